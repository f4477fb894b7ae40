//! Passage texts, each compressed on its own with a zstd dictionary trained on
//! the corpus, kept as values of the `body` bytes fast field.
//!
//! tantivy's doc store compresses passages in 32 KiB blocks: a listing of a
//! common phrase hits most blocks and inflates nearly the whole corpus to
//! print a few per cent of it. A passage compressed alone reads only itself;
//! the dictionary (trained once, on the first batch with enough text) gives
//! back the ratio that small frames lose, so the store stays about a third
//! of the text. Being a fast field, it follows tantivy's segments through
//! merges and deletes with nothing to collect by hand.
//!
//! A value is `[dictionary id: u16 LE][zstd frame]`; the frame holds the
//! authorities the passage names (a count, then length-prefixed names, as
//! LEB128 varints) followed by the text. Dictionary 0 means none; others are
//! the files `ofsearch-dict-<id>.zdict` beside the index.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use tantivy::directory::{Directory, MmapDirectory, OwnedBytes};
use zstd::dict::DecoderDictionary;

/// Size of a trained dictionary (zstd's own default).
pub const DICT_BYTES: usize = 110 * 1024;
/// Passage text sampled to train a dictionary: about five times its size.
/// Training sits before the first passage can be written; 4 MiB trained
/// eight times slower for no smaller store (measured at 1x).
const SAMPLE_BYTES: usize = 512 * 1024;
/// Below this much text a dictionary would learn too little: passages are
/// stored without one until an ingest brings enough.
pub const MIN_TRAIN_BYTES: usize = 256 * 1024;
/// zstd level: with a dictionary, level 3 stores passages as small as 6 did
/// (at 1x) in a third of the time; every passage is compressed on the
/// writer's thread.
const LEVEL: i32 = 3;

/// Largest passage a stored value may claim to hold (a damaged size must
/// not make a reader allocate without bound).
const MAX_PASSAGE_BYTES: usize = 1 << 30;

/// File name of dictionary `id` in an index directory.
fn dict_name(id: u16) -> String {
    format!("ofsearch-dict-{id}.zdict")
}

/// Path of dictionary `id` in an index directory.
fn dict_path(dir: &Path, id: u16) -> PathBuf {
    dir.join(dict_name(id))
}

/// Ids of the dictionaries in an index directory.
fn dict_ids(dir: &Path) -> Vec<u16> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut ids: Vec<u16> = entries
        .filter_map(|e| {
            let name = e.ok()?.file_name();
            let name = name.to_str()?;
            name.strip_prefix("ofsearch-dict-")?
                .strip_suffix(".zdict")?
                .parse()
                .ok()
        })
        .filter(|&id| id != 0)
        .collect();
    ids.sort_unstable();
    ids
}

fn put_varint(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn take_varint(data: &mut &[u8]) -> Option<usize> {
    let mut n = 0usize;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = data.split_first()?;
        *data = rest;
        n |= usize::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some(n);
        }
    }
    None
}

/// Compresses passages for the writer.
pub struct Encoder {
    id: u16,
    compressor: zstd::bulk::Compressor<'static>,
    payload: Vec<u8>,
}

impl Encoder {
    /// An encoder without a dictionary.
    pub fn plain() -> io::Result<Encoder> {
        Encoder::with(0, &[])
    }

    fn with(id: u16, dict: &[u8]) -> io::Result<Encoder> {
        let mut compressor = zstd::bulk::Compressor::with_dictionary(LEVEL, dict)?;
        // The frame needs no checksum (the index has its own) nor the
        // dictionary's id (ours comes first); its content size it keeps.
        use zstd::zstd_safe::CParameter;
        compressor.set_parameter(CParameter::ChecksumFlag(false))?;
        compressor.set_parameter(CParameter::DictIdFlag(false))?;
        compressor.set_parameter(CParameter::ContentSizeFlag(true))?;
        Ok(Encoder {
            id,
            compressor,
            payload: Vec::new(),
        })
    }

    /// The encoder for an index directory: its newest dictionary, else one
    /// trained on `samples` and saved there when they are enough, else none.
    pub fn for_index<'a>(
        dir: &Path,
        samples: impl IntoIterator<Item = &'a str>,
    ) -> io::Result<Encoder> {
        if let Some(&id) = dict_ids(dir).last() {
            let path = dict_path(dir, id);
            let dict = std::fs::read(&path)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            return Encoder::with(id, &dict);
        }
        match train(samples) {
            Some(dict) => {
                let id = 1;
                save(dir, id, &dict)?;
                Encoder::with(id, &dict)
            }
            None => Encoder::plain(),
        }
    }

    /// Whether passages are compressed with a dictionary.
    pub fn has_dictionary(&self) -> bool {
        self.id != 0
    }

    /// The stored value of a passage.
    pub fn encode(&mut self, text: &str, mentioned: &[String]) -> io::Result<Vec<u8>> {
        self.payload.clear();
        put_varint(&mut self.payload, mentioned.len());
        for name in mentioned {
            put_varint(&mut self.payload, name.len());
            self.payload.extend_from_slice(name.as_bytes());
        }
        self.payload.extend_from_slice(text.as_bytes());
        let frame = self.compressor.compress(&self.payload)?;
        let mut out = Vec::with_capacity(2 + frame.len());
        out.extend_from_slice(&self.id.to_le_bytes());
        out.extend_from_slice(&frame);
        Ok(out)
    }
}

/// A dictionary trained on evenly spaced samples, or `None` when they are
/// too few (or zstd finds nothing to learn).
fn train<'a>(samples: impl IntoIterator<Item = &'a str>) -> Option<Vec<u8>> {
    let all: Vec<&str> = samples.into_iter().filter(|s| !s.is_empty()).collect();
    let total: usize = all.iter().map(|s| s.len()).sum();
    if total < MIN_TRAIN_BYTES {
        return None;
    }
    let step = total.div_ceil(SAMPLE_BYTES).max(1);
    let mut data = Vec::with_capacity(total.min(SAMPLE_BYTES) + 4096);
    let mut sizes = Vec::new();
    for s in all.iter().step_by(step) {
        data.extend_from_slice(s.as_bytes());
        sizes.push(s.len());
    }
    super::dict_train::train(&data, &sizes, DICT_BYTES, LEVEL)
}

/// File name of the BLAKE3 digest of dictionary `id` (the dictionary
/// carries no checksum of its own: a damaged one would decode every passage
/// into other text, silently, as the frames carry none either).
fn digest_name(id: u16) -> String {
    format!("ofsearch-dict-{id}.blake3")
}

/// Each dictionary file of the index in `dir` with what is wrong with it,
/// if anything: not a zstd dictionary, or bytes that no longer match the
/// digest written beside it (indexes built before digests were written are
/// checked for the dictionary's form only). Files `fresh` says were
/// verified as they are are not read again.
pub fn check_dictionaries(
    dir: &Path,
    fresh: &mut dyn FnMut(&str) -> bool,
) -> Vec<(String, Option<String>)> {
    dict_ids(dir)
        .into_iter()
        .map(|id| {
            let name = dict_name(id);
            let problem = if fresh(&name) {
                None
            } else {
                dictionary_problem(dir, id)
            };
            (name, problem)
        })
        .collect()
}

/// What is wrong with dictionary `id`, if anything.
fn dictionary_problem(dir: &Path, id: u16) -> Option<String> {
    /// Every trained zstd dictionary starts so.
    const MAGIC: [u8; 4] = 0xEC30_A437u32.to_le_bytes();
    let bytes = match std::fs::read(dict_path(dir, id)) {
        Ok(bytes) => bytes,
        Err(e) => return Some(format!("cannot read: {e}")),
    };
    if !bytes.starts_with(&MAGIC) {
        return Some("not a zstd dictionary".to_string());
    }
    let digest = std::fs::read_to_string(dir.join(digest_name(id))).ok();
    if digest.is_some_and(|d| d.trim() != blake3::hash(&bytes).to_hex().as_str()) {
        return Some("checksum mismatch: its bytes changed after it was written".to_string());
    }
    DecoderDictionary::try_new(&bytes)
        .err()
        .map(|e| format!("zstd cannot read it ({e})"))
}

/// Write a dictionary durably before any commit can refer to it, its
/// digest first (a digest without its dictionary is never read).
fn save(dir: &Path, id: u16, dict: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let digest_tmp = dir.join(format!(".{}.tmp", digest_name(id)));
    std::fs::write(&digest_tmp, format!("{}\n", blake3::hash(dict).to_hex()))?;
    std::fs::rename(&digest_tmp, dir.join(digest_name(id)))?;
    let path = dict_path(dir, id);
    let tmp = dir.join(format!(".ofsearch-dict-{id}.tmp"));
    let ctx = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    let mut f = std::fs::File::create(&tmp).map_err(ctx)?;
    f.write_all(dict).map_err(ctx)?;
    f.sync_all().map_err(ctx)?;
    std::fs::rename(&tmp, &path).map_err(ctx)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The dictionaries of one index, read from disk when first needed (a
/// reader opened before an ingest trained one may meet it later).
///
/// Each dictionary is digested once per process and shared by every decoder:
/// loading it into each decoder's context copied and digested the 110 KiB
/// again per thread, about 80 page faults of a top-10's 360. The digest
/// refers to the file's memory map rather than a copy of it: reading the file
/// into memory and zstd copying it again were 5 % of a top-10's process.
pub struct Dictionaries {
    dir: PathBuf,
    /// Dictionaries 1 to [`DIGESTED_IDS`] - 1, each digested on first use.
    prepared: [OnceLock<Digested>; DIGESTED_IDS],
    /// Dictionaries with higher ids, as bytes.
    late: Mutex<HashMap<u16, OwnedBytes>>,
}

/// Dictionaries with ids below this are digested once and shared; an index
/// has one (id 1), the rest are room for retraining.
const DIGESTED_IDS: usize = 8;

/// A dictionary's digest (`DecoderDictionary` borrows its bytes).
type Digest<'a> = DecoderDictionary<'a>;

self_cell::self_cell!(
    /// A mapped dictionary file with zstd's digest of it.
    struct Digested {
        owner: OwnedBytes,
        #[covariant]
        dependent: Digest,
    }
);

impl std::fmt::Debug for Dictionaries {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dictionaries")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Dictionaries {
    /// The dictionaries beside the index at `dir`.
    pub fn new(dir: &Path) -> Dictionaries {
        Dictionaries {
            dir: dir.to_path_buf(),
            prepared: Default::default(),
            late: Mutex::new(HashMap::new()),
        }
    }

    /// Dictionary `id`'s bytes, memory-mapped (through tantivy's directory,
    /// which keeps the map alive as long as the bytes are).
    fn read(&self, id: u16) -> io::Result<OwnedBytes> {
        let fail = |e: &dyn std::fmt::Display| self.damaged(id, io::ErrorKind::Other, e);
        let dir = MmapDirectory::open(&self.dir).map_err(|e| fail(&e))?;
        let file = dir
            .open_read(Path::new(&dict_name(id)))
            .map_err(|e| fail(&e))?;
        file.read_bytes().map_err(|e| fail(&e))
    }

    /// An error naming dictionary `id`'s file.
    fn damaged(&self, id: u16, kind: io::ErrorKind, e: &dyn std::fmt::Display) -> io::Error {
        let path = dict_path(&self.dir, id);
        io::Error::new(kind, format!("{}: {e} (rebuild the index)", path.display()))
    }

    /// Dictionary `id` digested, if its id is one kept digested (`Ok(None)`:
    /// look it up with [`Dictionaries::get`]). A value names its dictionary
    /// only once that is on disk, so a first use always finds it.
    fn prepared(&self, id: u16) -> io::Result<Option<&DecoderDictionary<'_>>> {
        let Some(cell) = self.prepared.get(usize::from(id)) else {
            return Ok(None);
        };
        if let Some(done) = cell.get() {
            return Ok(Some(done.borrow_dependent()));
        }
        let digested = Digested::try_new(self.read(id)?, |bytes| {
            DecoderDictionary::try_new(bytes.as_slice()).map_err(|e| self.damaged(id, e.kind(), &e))
        })?;
        Ok(Some(cell.get_or_init(|| digested).borrow_dependent()))
    }

    fn get(&self, id: u16) -> io::Result<OwnedBytes> {
        let mut late = self.late.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(d) = late.get(&id) {
            return Ok(d.clone());
        }
        let dict = self.read(id)?;
        late.insert(id, dict.clone());
        Ok(dict)
    }
}

/// A passage as stored: the authorities it names and its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    /// Canonical authorities named in the passage, in order.
    pub mentioned: Vec<String>,
    /// The passage text.
    pub text: String,
}

/// Decompresses stored passages; one per thread (zstd contexts are not shared).
pub struct Decoder<'d> {
    dicts: &'d Dictionaries,
    contexts: HashMap<u16, zstd::bulk::Decompressor<'d>>,
    buf: Vec<u8>,
}

impl Clone for Decoder<'_> {
    fn clone(&self) -> Self {
        Decoder::new(self.dicts)
    }
}

impl<'d> Decoder<'d> {
    /// A decoder over an index's dictionaries.
    pub fn new(dicts: &'d Dictionaries) -> Decoder<'d> {
        Decoder {
            dicts,
            contexts: HashMap::new(),
            buf: Vec::new(),
        }
    }

    /// Decode a stored value.
    pub fn decode(&mut self, value: &[u8]) -> io::Result<Body> {
        let bad = |why: &str| io::Error::new(io::ErrorKind::InvalidData, why.to_string());
        let (id, frame) = match value {
            [a, b, frame @ ..] => (u16::from_le_bytes([*a, *b]), frame),
            _ => return Err(bad("stored passage too short")),
        };
        let context = match self.contexts.entry(id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                let context = if id == 0 {
                    zstd::bulk::Decompressor::new()?
                } else if let Some(prepared) = self.dicts.prepared(id)? {
                    zstd::bulk::Decompressor::with_prepared_dictionary(prepared)?
                } else {
                    zstd::bulk::Decompressor::with_dictionary(self.dicts.get(id)?.as_slice())?
                };
                v.insert(context)
            }
        };
        let size = zstd::zstd_safe::get_frame_content_size(frame)
            .ok()
            .flatten()
            .ok_or_else(|| bad("stored passage has no size"))?;
        let size = usize::try_from(size)
            .ok()
            .filter(|&n| n <= MAX_PASSAGE_BYTES)
            .ok_or_else(|| bad("stored passage too large"))?;
        self.buf.clear();
        self.buf.reserve(size);
        context.decompress_to_buffer(frame, &mut self.buf)?;
        let mut rest = self.buf.as_slice();
        let count = take_varint(&mut rest).ok_or_else(|| bad("stored passage cut short"))?;
        let mut mentioned = Vec::with_capacity(count.min(64));
        for _ in 0..count {
            let len = take_varint(&mut rest).ok_or_else(|| bad("stored passage cut short"))?;
            if len > rest.len() {
                return Err(bad("stored passage cut short"));
            }
            let (name, tail) = rest.split_at(len);
            mentioned.push(text_of(name));
            rest = tail;
        }
        Ok(Body {
            mentioned,
            text: text_of(rest),
        })
    }
}

/// Stored text as a string: checked as UTF-8 (the fast path), repaired only
/// if damaged.
fn text_of(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_dictionary_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let texts: Vec<String> = (0..8000).map(sample_text).collect();
        let enc = Encoder::for_index(dir.path(), texts.iter().map(String::as_str)).unwrap();
        assert!(enc.has_dictionary());
        assert_eq!(
            check_dictionaries(dir.path(), &mut |_| false),
            [(dict_name(1), None)]
        );
        let path = dict_path(dir.path(), 1);
        let mut bytes = std::fs::read(&path).unwrap();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x20;
        std::fs::write(&path, &bytes).unwrap();
        let found = check_dictionaries(dir.path(), &mut |_| false);
        assert!(found[0].1.as_deref().unwrap().contains("checksum mismatch"));
        std::fs::write(&path, b"garbage").unwrap();
        let found = check_dictionaries(dir.path(), &mut |_| false);
        assert_eq!(found[0].1.as_deref(), Some("not a zstd dictionary"));
    }

    fn sample_text(i: usize) -> String {
        format!(
            "Passage {i}: managers provide regular management oversight of children's plans, \
             and social workers visit children in care at least every {} weeks.",
            i % 7 + 2
        )
    }

    #[test]
    fn passages_round_trip_with_and_without_a_dictionary() {
        let dir = tempfile::tempdir().unwrap();
        let texts: Vec<String> = (0..8000).map(sample_text).collect();
        let mut small =
            Encoder::for_index(dir.path(), texts.iter().take(3).map(String::as_str)).unwrap();
        assert!(!small.has_dictionary(), "too little text to train on");
        // A reader's dictionaries, first asked for before any was trained.
        let early = Dictionaries::new(dir.path());
        let mut early_dec = Decoder::new(&early);
        let plain_value = small.encode(&texts[1], &[]).unwrap();
        assert_eq!(early_dec.decode(&plain_value).unwrap().text, texts[1]);
        let mut enc = Encoder::for_index(dir.path(), texts.iter().map(String::as_str)).unwrap();
        assert!(enc.has_dictionary());
        assert_eq!(dict_ids(dir.path()), vec![1]);
        let dicts = Dictionaries::new(dir.path());
        let mut dec = Decoder::new(&dicts);
        let names = vec!["Derby".to_string(), "South Gloucestershire".to_string()];
        for (i, t) in texts.iter().enumerate().step_by(997) {
            let value = enc
                .encode(t, if i % 2 == 0 { &names } else { &[] })
                .unwrap();
            let body = dec.decode(&value).unwrap();
            assert_eq!(&body.text, t);
            assert_eq!(body.mentioned.len(), if i % 2 == 0 { 2 } else { 0 });
        }
        // A second writer uses the saved dictionary; a plain value still reads.
        let mut again = Encoder::for_index(dir.path(), std::iter::empty()).unwrap();
        assert!(again.has_dictionary());
        let mut plain = Encoder::plain().unwrap();
        let value = plain.encode("", &[]).unwrap();
        assert_eq!(dec.decode(&value).unwrap(), Body::default());
        let value = again.encode(&texts[5], &[]).unwrap();
        assert_eq!(dec.decode(&value).unwrap().text, texts[5]);
        // The dictionary trained after the early reader looked is still found.
        assert_eq!(early_dec.decode(&value).unwrap().text, texts[5]);
        assert_eq!(Decoder::new(&early).decode(&value).unwrap().text, texts[5]);
        // An id beyond the digested ones is read as bytes.
        let dict = std::fs::read(dict_path(dir.path(), 1)).unwrap();
        let high = DIGESTED_IDS as u16 + 1;
        save(dir.path(), high, &dict).unwrap();
        let value = Encoder::with(high, &dict)
            .unwrap()
            .encode(&texts[7], &[])
            .unwrap();
        assert_eq!(dec.decode(&value).unwrap().text, texts[7]);
    }

    #[test]
    fn damaged_values_are_errors_not_panics() {
        let dir = tempfile::tempdir().unwrap();
        let dicts = Dictionaries::new(dir.path());
        let mut dec = Decoder::new(&dicts);
        for bad in [
            &b""[..],
            b"\x00",
            b"\x00\x00garbage",
            b"\x07\x00\x28\xb5\x2f\xfd",
        ] {
            assert!(dec.decode(bad).is_err());
        }
        let mut enc = Encoder::plain().unwrap();
        let mut value = enc.encode("some text", &["X".into()]).unwrap();
        value.truncate(value.len() - 2);
        assert!(dec.decode(&value).is_err());
        // A damaged dictionary file (zstd's dictionary magic, then junk).
        let mut junk = vec![0x37, 0xa4, 0x30, 0xec];
        junk.extend(std::iter::repeat_n(0xff, 300));
        save(dir.path(), 2, &junk).unwrap();
        let err = dec.decode(b"\x02\x00\x28\xb5\x2f\xfd").unwrap_err();
        assert!(err.to_string().contains("ofsearch-dict-2.zdict"), "{err}");
    }
}
