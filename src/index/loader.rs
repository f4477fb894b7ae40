//! Load stored passages with their documents' metadata, a batch at a time:
//! what a search's hits and a listing's chunks are made of.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Searcher};

use super::reader::{by_segment, decode_sorted, distinct_sorted, sorted_ords, StoredPassage};
use super::{IndexError, Reader};
use crate::document::{DocumentMeta, Passage};

/// Columns of one segment and the values already decoded from them.
#[derive(Clone)]
struct SegmentColumns {
    doc_json: Option<StrColumn>,
    metas: HashMap<u64, Arc<DocumentMeta>>,
    body: Option<tantivy::columnar::BytesColumn>,
    section: Option<StrColumn>,
    sections: HashMap<u64, Option<String>>,
    paragraph: Option<tantivy::columnar::Column<u64>>,
}

impl SegmentColumns {
    /// A passage's section heading, each distinct one decoded once.
    fn section(&mut self, doc: DocId) -> std::io::Result<Option<String>> {
        let Some(ord) = self.section.as_ref().and_then(|c| c.term_ords(doc).next()) else {
            return Ok(None);
        };
        if let Some(s) = self.sections.get(&ord) {
            return Ok(s.clone());
        }
        let mut bytes = Vec::new();
        if let Some(column) = &self.section {
            column.dictionary().ord_to_term(ord, &mut bytes)?;
        }
        let s = Some(String::from_utf8_lossy(&bytes).into_owned());
        self.sections.insert(ord, s.clone());
        Ok(s)
    }
}

/// Documents' metadata by segment and `doc_json` ordinal.
type SharedMetas = HashMap<(u32, u64), Arc<DocumentMeta>>;

/// From this many documents' metadata on, it is parsed on every core.
const PARALLEL_PARSE_FROM: usize = 512;

/// Loads stored passages of one snapshot with their document's metadata,
/// decoding each document's metadata once. A clone starts with what was decoded so far.
#[derive(Clone)]
pub struct Loader<'a> {
    reader: &'a Reader,
    searcher: &'a Searcher,
    segments: Vec<Option<SegmentColumns>>,
    decoder: super::passage_store::Decoder<'a>,
    /// Metadata decoded by this loader or any of its clones, by segment and
    /// `doc_json` ordinal: loaders on several threads parse a document once.
    shared: Arc<std::sync::Mutex<SharedMetas>>,
}

impl<'a> Loader<'a> {
    /// A loader over one searcher's snapshot.
    pub(super) fn new(reader: &'a Reader, searcher: &'a Searcher) -> Loader<'a> {
        Loader {
            reader,
            searcher,
            segments: Vec::new(),
            decoder: super::passage_store::Decoder::new(reader.dictionaries()),
            shared: Arc::default(),
        }
    }

    fn columns(&mut self, segment_ord: u32) -> Result<&mut SegmentColumns, IndexError> {
        let i = segment_ord as usize;
        if self.segments.len() <= i {
            self.segments.resize_with(i + 1, || None);
        }
        let (searcher, reader) = (self.searcher, self.reader);
        // Taken by reference: the columns and their caches are too big to
        // move in and out for every hit.
        let slot = &mut self.segments[i];
        match slot {
            Some(columns) => Ok(columns),
            None => {
                let fast = searcher.segment_reader(segment_ord).fast_fields();
                let err = |e| reader.err(e);
                Ok(slot.insert(SegmentColumns {
                    doc_json: fast.str("doc_json").map_err(err)?,
                    metas: HashMap::new(),
                    body: fast.bytes("body").map_err(err)?,
                    section: fast.str("section").map_err(err)?,
                    sections: HashMap::new(),
                    paragraph: fast.column_opt::<u64>("paragraph").map_err(err)?,
                }))
            }
        }
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
            .doc_json
            .as_ref()
            .and_then(|c| c.term_ords(addr.doc_id).next())
            .and_then(|ord| columns.metas.get(&ord).cloned()))
    }

    /// Decode, in one pass per segment, the metadata of every document these
    /// passages belong to: looking each up on its own would decompress a
    /// dictionary block per document.
    pub fn prefetch(&mut self, addrs: &[DocAddress]) -> Result<(), IndexError> {
        for (segment_ord, docs) in by_segment(addrs) {
            let columns = self.columns(segment_ord)?;
            let Some(column) = &columns.doc_json else {
                continue;
            };
            let ords = sorted_ords(column, &docs);
            self.fetch_metas(segment_ord, ords)?;
        }
        Ok(())
    }

    /// Decode the metadata of these sorted, distinct `doc_json` ordinals of
    /// one segment, but for those this loader or a clone has decoded already.
    fn fetch_metas(&mut self, segment_ord: u32, mut ords: Vec<u64>) -> Result<(), IndexError> {
        let shared = self.shared.clone();
        let columns = self.columns(segment_ord)?;
        let Some(column) = &columns.doc_json else {
            return Ok(());
        };
        ords.retain(|ord| !columns.metas.contains_key(ord));
        if ords.is_empty() {
            return Ok(());
        }
        // What another clone decoded already is taken, not parsed again.
        {
            let shared = shared.lock().unwrap_or_else(|e| e.into_inner());
            ords.retain(|&ord| match shared.get(&(segment_ord, ord)) {
                Some(meta) => {
                    columns.metas.insert(ord, meta.clone());
                    false
                }
                None => true,
            });
        }
        let jsons = decode_sorted(column, &ords).map_err(|e| self.reader.err(e.into()))?;
        let parse =
            |json: &String| -> DocumentMeta { serde_json::from_str(json).unwrap_or_default() };
        // A long listing names thousands of documents: parse on every core.
        let mut metas: Vec<DocumentMeta> = if jsons.len() >= PARALLEL_PARSE_FROM {
            use rayon::prelude::*;
            jsons.par_iter().map(parse).collect()
        } else {
            jsons.iter().map(parse).collect()
        };
        self.reader.links().attach_all(metas.iter_mut());
        let metas: Vec<Arc<DocumentMeta>> = metas.into_iter().map(Arc::new).collect();
        shared.lock().unwrap_or_else(|e| e.into_inner()).extend(
            ords.iter()
                .map(|&ord| (segment_ord, ord))
                .zip(metas.iter().cloned()),
        );
        let columns = self.columns(segment_ord)?;
        columns.metas.extend(ords.into_iter().zip(metas));
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
        let meta_ords: Vec<Option<u64>> = run
            .iter()
            .map(|a| first_ord(columns.doc_json.as_ref(), a.doc_id))
            .collect();
        let body = columns.body.clone();
        let body_ords: Vec<Option<u64>> = run
            .iter()
            .map(|a| body.as_ref()?.term_ords(a.doc_id).next())
            .collect();
        self.fetch_metas(segment_ord, distinct_sorted(meta_ords.iter().copied()))?;
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
        let columns = self.columns(segment_ord)?;
        // A document's passages come one after another: its metadata is
        // looked up when the document changes.
        let mut last: Option<(u64, Arc<DocumentMeta>)> = None;
        for ((addr, meta_ord), body_ord) in run.iter().zip(meta_ords).zip(body_ords) {
            let doc = addr.doc_id;
            let paragraph = columns
                .paragraph
                .as_ref()
                .and_then(|c| c.first(doc))
                .unwrap_or_default() as usize;
            let section = columns.section(doc).map_err(|e| reader.err(e.into()))?;
            let body = body_ord
                .and_then(|ord| wanted.binary_search(&ord).ok())
                .and_then(|at| bodies.get(at))
                .cloned()
                .unwrap_or_default();
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
                    section,
                    text: body.text,
                    authorities_mentioned: body.mentioned,
                },
            });
        }
        Ok(())
    }
}
