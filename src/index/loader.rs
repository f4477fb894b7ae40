//! Load stored passages with their documents' metadata, a batch at a time:
//! what a search's hits and a listing's chunks are made of.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Searcher};

use super::headers::{HeaderColumns, MetaDetail};
use super::reader::{
    by_segment, decode_sorted, decode_sorted_with, distinct_sorted, sorted_ords, StoredPassage,
};
use super::{IndexError, OpenColumns, Reader};
use crate::document::{DocumentMeta, Passage};

/// Columns of one segment and the values already decoded from them.
#[derive(Clone)]
struct SegmentColumns {
    doc_json: Option<StrColumn>,
    /// Only in header mode.
    header: Option<HeaderColumns>,
    /// By the ordinal of `doc_json` (full mode) or `path` (header mode).
    metas: HashMap<u64, Arc<DocumentMeta>>,
    body: Option<tantivy::columnar::BytesColumn>,
    section: Option<StrColumn>,
    sections: HashMap<u64, String>,
    paragraph: Option<tantivy::columnar::Column<u64>>,
    /// Absent in a segment without any PDF passage.
    page: Option<tantivy::columnar::Column<u64>>,
    kinds: super::passage_kinds::SegmentKinds,
}

impl SegmentColumns {
    /// The column a document's metadata is keyed by: its JSON, or its path
    /// when only headers are read.
    fn key_column(&self) -> Option<&StrColumn> {
        match &self.header {
            Some(header) => header.path.as_ref(),
            None => self.doc_json.as_ref(),
        }
    }

    /// The key of a document's metadata, given one of its passages.
    fn meta_key(&self, doc: DocId) -> Option<u64> {
        self.key_column()?.term_ords(doc).next()
    }

    /// Decode, in one pass over the dictionary, the section headings of these
    /// sorted, distinct ordinals that are not decoded yet: looking each up on
    /// its own would read a dictionary block per heading.
    fn fetch_sections(&mut self, mut ords: Vec<u64>) -> std::io::Result<()> {
        let Some(column) = &self.section else {
            return Ok(());
        };
        ords.retain(|ord| !self.sections.contains_key(ord));
        if ords.is_empty() {
            return Ok(());
        }
        let texts = decode_sorted(column, &ords)?;
        self.sections.extend(ords.into_iter().zip(texts));
        Ok(())
    }
}

/// What a [`Loader`] decoded, kept only to be freed.
pub struct Decoded {
    _segments: Vec<SegmentColumns>,
    _shared: Arc<std::sync::Mutex<SharedMetas>>,
}

impl Decoded {
    /// Free these on a thread of their own: a long listing's metadata (ten
    /// thousand documents, each a few dozen allocations) takes milliseconds
    /// to free, and whoever asked for the listing need not wait for that.
    /// A process that exits first never frees it, which costs nothing.
    pub fn free_in_background(all: Vec<Decoded>) {
        // If no thread can be made, it is freed here.
        let _ = std::thread::Builder::new()
            .name("ofsearch-free".into())
            .spawn(move || drop(all));
    }
}

/// Documents' metadata by segment and key (see [`SegmentColumns::metas`]).
type SharedMetas = HashMap<(u32, u64), Arc<DocumentMeta>>;

/// From this many documents' metadata on, it is parsed on every core.
const PARALLEL_PARSE_FROM: usize = 512;

/// Loads stored passages of one snapshot with their document's metadata,
/// decoding each document's metadata once. A clone starts with what was decoded so far.
#[derive(Clone)]
pub struct Loader<'a> {
    reader: &'a Reader,
    segments: Vec<Option<SegmentColumns>>,
    detail: MetaDetail,
    decoder: super::passage_store::Decoder<'a>,
    /// Metadata decoded by this loader or any of its clones, by segment and
    /// `doc_json` ordinal: loaders on several threads parse a document once.
    shared: Arc<std::sync::Mutex<SharedMetas>>,
    /// The snapshot's columns, shared with its clones and with every other
    /// request of the reader ([`Reader::open_columns`]).
    open: Arc<OpenColumns>,
}

impl<'a> Loader<'a> {
    /// A loader over one searcher's snapshot.
    pub(super) fn new(reader: &'a Reader, searcher: &'a Searcher) -> Loader<'a> {
        Loader {
            reader,
            segments: Vec::new(),
            detail: MetaDetail::Full,
            decoder: super::passage_store::Decoder::new(reader.dictionaries()),
            shared: Arc::default(),
            open: reader.open_columns(searcher),
        }
    }

    /// The columns this loader opens, to share with whatever else reads the
    /// same snapshot (see [`OpenColumns`]).
    pub fn open_columns(&self) -> &OpenColumns {
        &self.open
    }

    /// This loader, reading as much of each document as `detail` says; set
    /// before anything is loaded.
    pub fn with_detail(mut self, detail: MetaDetail) -> Loader<'a> {
        debug_assert!(self.segments.is_empty());
        self.detail = detail;
        self
    }

    fn columns(&mut self, segment_ord: u32) -> Result<&mut SegmentColumns, IndexError> {
        let i = segment_ord as usize;
        if self.segments.len() <= i {
            self.segments.resize_with(i + 1, || None);
        }
        let (open, reader, detail) = (&self.open, self.reader, self.detail);
        // Taken by reference: the columns and their caches are too big to
        // move in and out for every hit.
        let slot = &mut self.segments[i];
        match slot {
            Some(columns) => Ok(columns),
            None => {
                let err = |e| reader.err(e);
                // Headers are read from their own columns: the metadata's
                // JSON column is not opened for them.
                let (doc_json, header) = match detail {
                    MetaDetail::Full => (open.strs(segment_ord, "doc_json").map_err(err)?, None),
                    MetaDetail::Header => (
                        None,
                        Some(HeaderColumns::open(open, segment_ord).map_err(err)?),
                    ),
                };
                Ok(slot.insert(SegmentColumns {
                    doc_json,
                    header,
                    metas: HashMap::new(),
                    body: open.bytes(segment_ord, "body").map_err(err)?,
                    section: open.strs(segment_ord, "section").map_err(err)?,
                    sections: HashMap::new(),
                    paragraph: open.u64s(segment_ord, "paragraph").map_err(err)?,
                    page: open.u64s(segment_ord, "page").map_err(err)?,
                    kinds: super::passage_kinds::SegmentKinds::of(
                        open.strs(segment_ord, "passage_kind").map_err(err)?,
                    )
                    .map_err(|e| reader.err(e.into()))?,
                }))
            }
        }
    }

    /// What this loader decoded (documents' metadata, section headings),
    /// owned apart from the index so it can be freed on another thread.
    pub fn into_decoded(self) -> Decoded {
        Decoded {
            _segments: self.segments.into_iter().flatten().collect(),
            _shared: self.shared,
        }
    }

    /// The kind of a passage.
    pub fn passage_kind(
        &mut self,
        addr: DocAddress,
    ) -> Result<crate::document::PassageKind, IndexError> {
        Ok(self.columns(addr.segment_ord)?.kinds.get(addr.doc_id))
    }

    /// The metadata of the document a passage (or record) belongs to.
    pub fn meta(&mut self, addr: DocAddress) -> Result<Arc<DocumentMeta>, IndexError> {
        if let Some(meta) = self.cached_meta(addr)? {
            return Ok(meta);
        }
        self.prefetch(&[addr])?;
        Ok(self.cached_meta(addr)?.unwrap_or_default())
    }

    fn cached_meta(&mut self, addr: DocAddress) -> Result<Option<Arc<DocumentMeta>>, IndexError> {
        let columns = self.columns(addr.segment_ord)?;
        Ok(columns
            .meta_key(addr.doc_id)
            .and_then(|ord| columns.metas.get(&ord).cloned()))
    }

    /// Decode, in one pass per segment, the metadata of every document these
    /// passages belong to: looking each up on its own would decompress a
    /// dictionary block per document.
    pub fn prefetch(&mut self, addrs: &[DocAddress]) -> Result<(), IndexError> {
        for (segment_ord, docs) in by_segment(addrs) {
            let columns = self.columns(segment_ord)?;
            let wanted = match (&columns.header, columns.key_column()) {
                (_, None) => continue,
                (Some(_), Some(_)) => {
                    distinct_keys(docs.iter().map(|&doc| (columns.meta_key(doc), doc)))
                }
                // Full metadata needs no passage of the document: ordinals
                // of many passages are collected faster as a set.
                (None, Some(column)) => sorted_ords(column, &docs)
                    .into_iter()
                    .map(|ord| (ord, DocId::MAX))
                    .collect(),
            };
            self.fetch_metas(segment_ord, wanted)?;
        }
        Ok(())
    }

    /// Decode the metadata of documents given by their sorted, distinct keys
    /// in one segment, each with one of its passages (header mode reads the
    /// header from it), but for those this loader or a clone has decoded already.
    fn fetch_metas(
        &mut self,
        segment_ord: u32,
        mut wanted: Vec<(u64, DocId)>,
    ) -> Result<(), IndexError> {
        let shared = self.shared.clone();
        let reader = self.reader;
        let columns = self.columns(segment_ord)?;
        wanted.retain(|(ord, _)| !columns.metas.contains_key(ord));
        if wanted.is_empty() {
            return Ok(());
        }
        // What another clone decoded already is taken, not parsed again.
        {
            let shared = shared.lock().unwrap_or_else(|e| e.into_inner());
            wanted.retain(|&(ord, _)| match shared.get(&(segment_ord, ord)) {
                Some(meta) => {
                    columns.metas.insert(ord, meta.clone());
                    false
                }
                None => true,
            });
        }
        let io_err = |e: std::io::Error| reader.err(e.into());
        let metas = match (&mut columns.header, &columns.doc_json) {
            (Some(header), _) => header.metas(&wanted).map_err(io_err)?,
            (None, Some(column)) => {
                let ords: Vec<u64> = wanted.iter().map(|&(ord, _)| ord).collect();
                let mut metas = parse_metas(column, &ords).map_err(|e| {
                    if e.kind() == std::io::ErrorKind::InvalidData {
                        IndexError::Corrupt {
                            dir: reader.handle().dir.clone(),
                            what: e.to_string(),
                        }
                    } else {
                        io_err(e)
                    }
                })?;
                reader.links().attach_all(metas.iter_mut());
                metas
            }
            (None, None) => return Ok(()),
        };
        let metas: Vec<Arc<DocumentMeta>> = metas.into_iter().map(Arc::new).collect();
        shared.lock().unwrap_or_else(|e| e.into_inner()).extend(
            wanted
                .iter()
                .map(|&(ord, _)| (segment_ord, ord))
                .zip(metas.iter().cloned()),
        );
        let columns = self.columns(segment_ord)?;
        columns
            .metas
            .extend(wanted.into_iter().map(|(ord, _)| ord).zip(metas));
        Ok(())
    }

    /// Load stored passages (best given in index order) with their
    /// documents' metadata. Each segment's passage texts are read in one
    /// ordered pass over its dictionary, and a text that several of them
    /// share (a repeated paragraph) is decompressed once.
    pub fn passages(&mut self, addrs: &[DocAddress]) -> Result<Vec<StoredPassage>, IndexError> {
        let mut out = Vec::with_capacity(addrs.len());
        // In index order, one run per segment.
        for run in addrs.chunk_by(|a, b| a.segment_ord == b.segment_ord) {
            self.run_passages(run, &mut out)?;
        }
        Ok(out)
    }

    /// [`Loader::passages`] for passages of one segment. Each passage's
    /// ordinals are looked up once: column lookups are a good part of a
    /// long listing's time.
    fn run_passages(
        &mut self,
        run: &[DocAddress],
        out: &mut Vec<StoredPassage>,
    ) -> Result<(), IndexError> {
        let reader = self.reader;
        let Some(segment_ord) = run.first().map(|a| a.segment_ord) else {
            return Ok(());
        };
        let columns = self.columns(segment_ord)?;
        let first_ord = |column: Option<&StrColumn>, doc| column?.term_ords(doc).next();
        let meta_ords: Vec<Option<u64>> = run.iter().map(|a| columns.meta_key(a.doc_id)).collect();
        let section_ords: Vec<Option<u64>> = run
            .iter()
            .map(|a| first_ord(columns.section.as_ref(), a.doc_id))
            .collect();
        columns
            .fetch_sections(distinct_sorted(section_ords.iter().copied()))
            .map_err(|e| reader.err(e.into()))?;
        let body = columns.body.clone();
        let body_ords: Vec<Option<u64>> = run
            .iter()
            .map(|a| body.as_ref()?.term_ords(a.doc_id).next())
            .collect();
        let wanted_metas =
            distinct_keys(run.iter().zip(&meta_ords).map(|(a, ord)| (*ord, a.doc_id)));
        self.fetch_metas(segment_ord, wanted_metas)?;
        let wanted = distinct_sorted(body_ords.iter().copied());
        let mut bodies = Vec::with_capacity(wanted.len());
        if let Some(column) = &body {
            let mut failed = None;
            column
                .dictionary()
                .sorted_ords_to_term_cb(&wanted, |bytes| match self.decoder.decode(bytes) {
                    Ok(body) => bodies.push(body),
                    Err(e) => {
                        bodies.push(super::passage_store::Body::default());
                        failed = Some(e);
                    }
                })
                .map_err(|e| reader.err(e.into()))?;
            if let Some(source) = failed {
                return Err(IndexError::Io {
                    dir: reader.handle().dir.clone(),
                    source,
                });
            }
        }
        // How many hits still want each body: the last one takes it, the
        // others (a repeated paragraph) get a copy.
        let mut wanted_by = vec![0u32; wanted.len()];
        let body_at: Vec<Option<usize>> = body_ords
            .iter()
            .map(|ord| {
                let at = wanted.binary_search(&(*ord)?).ok()?;
                wanted_by[at] += 1;
                Some(at)
            })
            .collect();
        let columns = self.columns(segment_ord)?;
        // A document's passages come one after another: its metadata is
        // looked up when the document changes.
        let mut last: Option<(u64, Arc<DocumentMeta>)> = None;
        for (((addr, meta_ord), section_ord), at) in
            run.iter().zip(meta_ords).zip(section_ords).zip(body_at)
        {
            let doc = addr.doc_id;
            let paragraph = columns
                .paragraph
                .as_ref()
                .and_then(|c| c.first(doc))
                .unwrap_or_default() as usize;
            let page = columns
                .page
                .as_ref()
                .and_then(|c| c.first(doc))
                .and_then(|p| u32::try_from(p).ok());
            let section = section_ord.and_then(|ord| columns.sections.get(&ord).cloned());
            let body = match at.and_then(|at| Some((bodies.get_mut(at)?, &mut wanted_by[at]))) {
                Some((body, wanted_by)) => {
                    *wanted_by -= 1;
                    if *wanted_by == 0 {
                        std::mem::take(body)
                    } else {
                        body.clone()
                    }
                }
                None => Default::default(),
            };
            let meta = match (meta_ord, &last) {
                (Some(ord), Some((was, meta))) if *was == ord => meta.clone(),
                (Some(ord), _) => {
                    let meta = columns.metas.get(&ord).cloned().unwrap_or_default();
                    last = Some((ord, meta.clone()));
                    meta
                }
                (None, _) => Arc::default(),
            };
            out.push(StoredPassage {
                meta,
                passage: Passage {
                    paragraph,
                    page,
                    section,
                    text: body.text,
                    authorities_mentioned: body.mentioned,
                    kind: columns.kinds.get(doc),
                },
            });
        }
        Ok(())
    }
}

/// The documents' metadata stored as JSON under these sorted, distinct
/// `doc_json` ordinals, parsed.
fn parse_metas(column: &StrColumn, ords: &[u64]) -> std::io::Result<Vec<DocumentMeta>> {
    // Stored metadata that no longer parses is damage, never an empty document.
    let parse = |json: &[u8]| -> std::io::Result<DocumentMeta> {
        serde_json::from_slice(json).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("a document's stored metadata does not parse: {e}"),
            )
        })
    };
    if ords.len() < PARALLEL_PARSE_FROM {
        return decode_sorted_with(column, ords, parse)?
            .into_iter()
            .collect();
    }
    // A long listing names thousands of documents: parse on every core.
    use rayon::prelude::*;
    let jsons = decode_sorted_with(column, ords, <[u8]>::to_vec)?;
    jsons.par_iter().map(|json| parse(json)).collect()
}

/// The distinct keys among these, sorted, each with the first passage given for it.
fn distinct_keys(keyed: impl Iterator<Item = (Option<u64>, DocId)>) -> Vec<(u64, DocId)> {
    let mut out: Vec<(u64, DocId)> = keyed.filter_map(|(ord, doc)| Some((ord?, doc))).collect();
    out.sort_unstable();
    out.dedup_by_key(|(ord, _)| *ord);
    out
}
