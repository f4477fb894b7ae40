//! Load stored passages and document records back from the index.

use std::collections::HashMap;
use std::sync::Arc;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;

use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, IndexReader, ReloadPolicy, Searcher, Term};

use super::loader::Loader;
use super::schema::KIND_DOC;
use super::{Fields, IndexError, IndexHandle, OpenColumns};
use crate::document::{DocumentMeta, Passage};

/// Decompressed doc-store blocks kept per segment. Passages are always loaded
/// in index order, so a block is finished with once the next one is needed:
/// a small cache keeps the memory (and page faults) of long listings low.
const DOC_STORE_CACHE_BLOCKS: usize = 4;

/// A read-only view of the index at the moment it was opened.
pub struct Reader {
    handle: IndexHandle,
    reader: IndexReader,
    /// Read when a document's metadata is first decoded: a count never
    /// needs them, and at 100x the file is ~0.4 MB of JSON.
    links: std::sync::OnceLock<super::links::LinkFile>,
    dicts: super::passage_store::Dictionaries,
    /// The snapshot's columns as opened so far, kept for the next request.
    columns: std::sync::Mutex<Option<Arc<OpenColumns>>>,
    /// Values worked out from the snapshot for other requests on it.
    memo: super::memo::Memo,
}

/// A passage with its document's metadata, as stored.
#[derive(Debug, Clone)]
pub struct StoredPassage {
    /// The document the passage belongs to (shared by its passages).
    pub meta: Arc<DocumentMeta>,
    /// The passage.
    pub passage: Passage,
}

/// A per-file record with its passage count.
#[derive(Debug, Clone)]
pub struct StoredDocument {
    /// Document metadata.
    pub meta: DocumentMeta,
    /// Number of passages indexed for it.
    pub passages: u64,
}

impl Reader {
    /// Open a reader; it sees the last commit and is never reloaded behind the caller's back.
    pub fn open(handle: &IndexHandle) -> Result<Reader, IndexError> {
        let reader = handle
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
            .try_into()
            .map_err(|source| IndexError::Tantivy {
                dir: handle.dir.clone(),
                source,
            })?;
        Ok(Reader {
            handle: handle.clone(),
            reader,
            links: std::sync::OnceLock::new(),
            dicts: super::passage_store::Dictionaries::new(&handle.dir),
            columns: std::sync::Mutex::default(),
            memo: super::memo::Memo::default(),
        })
    }

    /// The fast-field columns of `searcher`'s snapshot, shared with every
    /// other request on it: a reader never reloads, so each column of its
    /// snapshot is opened once however many queries read it. A searcher of
    /// another snapshot gets columns of its own (and they replace these).
    pub fn open_columns(&self, searcher: &Searcher) -> Arc<OpenColumns> {
        let mut cached = self.columns.lock().unwrap_or_else(|e| e.into_inner());
        match cached.as_ref() {
            Some(columns) if columns.are_of(searcher) => columns.clone(),
            _ => cached.insert(Arc::new(OpenColumns::new(searcher))).clone(),
        }
    }

    /// A value worked out from this reader's snapshot, kept for later
    /// requests on it under `key` (see [`super::memo::Memo`]).
    pub fn memo<T: std::any::Any + Send + Sync, E>(
        &self,
        key: &str,
        make: impl FnOnce() -> Result<T, E>,
    ) -> Result<Arc<T>, E> {
        let generation = self.searcher().generation().generation_id();
        self.memo.get_or_try(generation, key, make)
    }

    /// Whether the links beside the index were written after its last
    /// commit (every ingest that commits relinks, but one stopped in between
    /// leaves the old links): stories read from them are what linking finds.
    pub fn keeps_current_links(&self) -> bool {
        let modified = |name: &str| {
            std::fs::metadata(self.handle.dir.join(name))
                .and_then(|m| m.modified())
                .ok()
        };
        match (modified(super::links::LINKS_FILE), modified("meta.json")) {
            (Some(links), Some(commit)) => links >= commit,
            _ => false,
        }
    }

    /// The news-to-letter links beside the index, read on first use.
    pub(super) fn links(&self) -> &super::links::LinkFile {
        self.links
            .get_or_init(|| super::links::LinkFile::read(&self.handle.dir))
    }

    /// A searcher over the snapshot.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Field handles.
    pub fn fields(&self) -> &Fields {
        &self.handle.fields
    }

    /// The index handle.
    pub fn handle(&self) -> &IndexHandle {
        &self.handle
    }

    pub(super) fn err(&self, source: tantivy::TantivyError) -> IndexError {
        IndexError::Tantivy {
            dir: self.handle.dir.clone(),
            source,
        }
    }

    /// A loader of stored passages over one searcher's snapshot.
    pub fn loader<'a>(&'a self, searcher: &'a Searcher) -> Loader<'a> {
        Loader::new(self, searcher)
    }

    /// The passage store's dictionaries.
    pub(super) fn dictionaries(&self) -> &super::passage_store::Dictionaries {
        &self.dicts
    }

    /// Load these passages, in index order (each dictionary block is read
    /// once), with their documents' metadata.
    fn load_passages(
        &self,
        searcher: &Searcher,
        addrs: impl IntoIterator<Item = DocAddress>,
    ) -> Result<Vec<StoredPassage>, IndexError> {
        let mut addrs: Vec<DocAddress> = addrs.into_iter().collect();
        addrs.sort();
        self.loader(searcher).passages(&addrs)
    }

    /// How many distinct documents these are: for each segment, the sorted
    /// distinct ordinals of `path` it holds.
    ///
    /// The largest segment's ordinals are counted as they are; the paths of
    /// the others are decoded, and those the largest one also holds (a
    /// document's passages may be split between segments written by
    /// different indexing threads) are found in one pass over its paths.
    pub fn distinct_paths_of(
        &self,
        searcher: &Searcher,
        per_segment: SegmentOrds,
    ) -> Result<usize, IndexError> {
        let mut segments = Vec::new();
        for (segment_ord, ords) in per_segment {
            let segment = searcher.segment_reader(segment_ord);
            if let Some(column) = segment.fast_fields().str("path").map_err(|e| self.err(e))? {
                segments.push((column, ords));
            }
        }
        let Some(largest) = (0..segments.len()).max_by_key(|&i| segments[i].1.len()) else {
            return Ok(0);
        };
        let (base_column, base_ords) = segments.swap_remove(largest);
        let mut others: Vec<Vec<u8>> = Vec::new();
        for (column, ords) in &segments {
            column
                .dictionary()
                .sorted_ords_to_term_cb(ords, |bytes| others.push(bytes.to_vec()))
                .map_err(|e| self.err(e.into()))?;
        }
        if others.is_empty() {
            return Ok(base_ords.len());
        }
        // Each dictionary gives its paths in byte order: with the others'
        // sorted together, one pass over the largest segment's paths, in
        // step with them, finds the shared ones without hashing.
        if segments.len() > 1 {
            others.sort_unstable();
            others.dedup();
        }
        let mut shared = 0usize;
        let mut next = 0usize;
        base_column
            .dictionary()
            .sorted_ords_to_term_cb(&base_ords, |bytes| {
                while next < others.len() && others[next].as_slice() < bytes {
                    next += 1;
                }
                if others.get(next).is_some_and(|o| o.as_slice() == bytes) {
                    shared += 1;
                    next += 1;
                }
            })
            .map_err(|e| self.err(e.into()))?;
        Ok(base_ords.len() + others.len() - shared)
    }

    /// The paths of the documents these passages belong to, read from the
    /// `path` fast field (no stored document is loaded).
    pub fn distinct_paths(
        &self,
        searcher: &Searcher,
        addrs: &[DocAddress],
    ) -> Result<std::collections::HashSet<String>, IndexError> {
        let mut paths = std::collections::HashSet::new();
        for (segment_ord, docs) in by_segment(addrs) {
            let segment = searcher.segment_reader(segment_ord);
            let Some(column) = segment.fast_fields().str("path").map_err(|e| self.err(e))? else {
                continue;
            };
            let ords = sorted_ords(&column, &docs);
            paths.extend(decode_sorted(&column, &ords).map_err(|e| self.err(e.into()))?);
        }
        Ok(paths)
    }

    /// Passages of one document within a range of positions, in order.
    pub fn passages_between(
        &self,
        searcher: &Searcher,
        path: &str,
        first: usize,
        last: usize,
    ) -> Result<Vec<StoredPassage>, IndexError> {
        use std::ops::Bound;
        use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery};
        let f = &self.handle.fields;
        let path_q: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(f.path, path),
            IndexRecordOption::Basic,
        ));
        let range: Box<dyn Query> = Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_u64(f.paragraph, first as u64)),
            Bound::Included(Term::from_field_u64(f.paragraph, last as u64)),
        ));
        let query = BooleanQuery::new(vec![(Occur::Must, path_q), (Occur::Must, range)]);
        let addrs = searcher
            .search(&query, &DocSetCollector)
            .map_err(|e| self.err(e))?;
        let mut out = self.load_passages(searcher, addrs)?;
        out.sort_by_key(|p| p.passage.paragraph);
        Ok(out)
    }

    /// The passages of these documents, each document's in order, read in one
    /// pass over the index (one query, the doc store in block order).
    pub fn passages_of(
        &self,
        searcher: &Searcher,
        paths: &[&str],
    ) -> Result<HashMap<String, Vec<Passage>>, IndexError> {
        use tantivy::query::{BooleanQuery, Occur, Query, TermSetQuery};
        let f = &self.handle.fields;
        let set: Box<dyn Query> = Box::new(TermSetQuery::new(
            paths.iter().map(|p| Term::from_field_text(f.path, p)),
        ));
        let kind: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(f.kind, super::schema::KIND_PASSAGE),
            IndexRecordOption::Basic,
        ));
        let query = BooleanQuery::new(vec![(Occur::Must, set), (Occur::Must, kind)]);
        let addrs = searcher
            .search(&query, &DocSetCollector)
            .map_err(|e| self.err(e))?;
        let mut out: HashMap<String, Vec<Passage>> = HashMap::new();
        for p in self.load_passages(searcher, addrs)? {
            out.entry(p.meta.path.clone()).or_default().push(p.passage);
        }
        for passages in out.values_mut() {
            passages.sort_by_key(|p| p.paragraph);
        }
        Ok(out)
    }

    /// The position (`paragraph`) of each of these passages, from its fast
    /// field (no stored document is loaded), in the order given.
    pub fn paragraphs(
        &self,
        columns: &OpenColumns,
        addrs: &[DocAddress],
    ) -> Result<Vec<u64>, IndexError> {
        self.fast_u64s(columns, addrs, "paragraph")
    }

    /// The first value of a u64 fast field for each of these documents, in
    /// the order given (0 where there is none).
    fn fast_u64s(
        &self,
        columns: &OpenColumns,
        addrs: &[DocAddress],
        field: &'static str,
    ) -> Result<Vec<u64>, IndexError> {
        let mut opened = HashMap::new();
        let mut out = Vec::with_capacity(addrs.len());
        for addr in addrs {
            let column = match opened.entry(addr.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => v.insert(
                    columns
                        .u64s(addr.segment_ord, field)
                        .map_err(|e| self.err(e))?,
                ),
            };
            out.push(
                column
                    .as_ref()
                    .and_then(|c| c.first(addr.doc_id))
                    .unwrap_or(0),
            );
        }
        Ok(out)
    }

    /// Every passage in the index (unordered): for audits and exports.
    pub fn all_passages(&self) -> Result<Vec<StoredPassage>, IndexError> {
        let f = &self.handle.fields;
        let searcher = self.searcher();
        let query = TermQuery::new(
            Term::from_field_text(f.kind, super::schema::KIND_PASSAGE),
            IndexRecordOption::Basic,
        );
        let addrs = searcher
            .search(&query, &DocSetCollector)
            .map_err(|e| self.err(e))?;
        self.load_passages(&searcher, addrs)
    }

    /// Every document in the index, in path order.
    pub fn documents(&self) -> Result<Vec<StoredDocument>, IndexError> {
        let f = &self.handle.fields;
        let searcher = self.searcher();
        let query = TermQuery::new(
            Term::from_field_text(f.kind, KIND_DOC),
            IndexRecordOption::Basic,
        );
        let addrs = searcher
            .search(&query, &DocSetCollector)
            .map_err(|e| self.err(e))?;
        let mut addrs = addrs.into_iter().collect::<Vec<_>>();
        addrs.sort();
        let mut docs = Vec::with_capacity(addrs.len());
        let mut loader = self.loader(&searcher);
        loader.prefetch(&addrs)?;
        let counts = self.fast_u64s(loader.open_columns(), &addrs, "passages")?;
        for (addr, passages) in addrs.into_iter().zip(counts) {
            docs.push(StoredDocument {
                meta: DocumentMeta::clone(&*loader.meta(addr)?),
                passages,
            });
        }
        docs.sort_by(|a, b| a.meta.path.cmp(&b.meta.path));
        Ok(docs)
    }
}

/// The strings of sorted, distinct ordinals of a string fast field, in one
/// pass over its dictionary (each dictionary block is decompressed once).
pub(crate) fn decode_sorted(column: &StrColumn, ords: &[u64]) -> std::io::Result<Vec<String>> {
    decode_sorted_with(column, ords, |bytes| {
        String::from_utf8_lossy(bytes).into_owned()
    })
}

/// [`decode_sorted`], each value made by `make` from the bytes stored.
pub(crate) fn decode_sorted_with<T>(
    column: &StrColumn,
    ords: &[u64],
    mut make: impl FnMut(&[u8]) -> T,
) -> std::io::Result<Vec<T>> {
    let mut out = Vec::with_capacity(ords.len());
    column
        .dictionary()
        .sorted_ords_to_term_cb(ords, |bytes| out.push(make(bytes)))?;
    Ok(out)
}

/// The distinct first ordinals of these documents in a string fast field, sorted.
pub(super) fn sorted_ords(column: &StrColumn, docs: &[DocId]) -> Vec<u64> {
    let num_terms = column.dictionary().num_terms();
    // Many documents over few values (every passage of a long listing, a few
    // thousand paths): a bit per value is cheaper than sorting them all.
    if docs.len() >= num_terms / 64 {
        let mut set = OrdSet::for_column(column);
        for &doc in docs {
            set.insert_first_of(column, doc);
        }
        return set.into_sorted();
    }
    distinct_sorted(docs.iter().map(|&doc| column.term_ords(doc).next()))
}

/// The distinct ordinals among these, sorted.
pub(super) fn distinct_sorted(ords: impl IntoIterator<Item = Option<u64>>) -> Vec<u64> {
    let mut out: Vec<u64> = ords.into_iter().flatten().collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// For each segment (by ordinal), some sorted ordinals of a string fast field.
pub type SegmentOrds = Vec<(u32, Vec<u64>)>;

/// A set of ordinals of one string fast field, a bit per value.
#[derive(Debug, Clone, Default)]
pub struct OrdSet {
    words: Vec<u64>,
    last: Option<u64>,
}

impl OrdSet {
    /// An empty set sized for `column`'s values.
    pub fn for_column(column: &StrColumn) -> OrdSet {
        OrdSet {
            words: vec![0; column.dictionary().num_terms().div_ceil(64)],
            last: None,
        }
    }

    /// Add the first value `doc` has in `column`, if any.
    pub fn insert_first_of(&mut self, column: &StrColumn, doc: DocId) {
        let Some(ord) = column.term_ords(doc).next() else {
            return;
        };
        // Neighbouring passages mostly share their document.
        if self.last != Some(ord) {
            if let Some(word) = usize::try_from(ord / 64)
                .ok()
                .and_then(|i| self.words.get_mut(i))
            {
                *word |= 1 << (ord % 64);
            }
            self.last = Some(ord);
        }
    }

    /// Add every member of `other` (a set over the same column).
    pub fn union_with(&mut self, other: &OrdSet) {
        if self.words.len() < other.words.len() {
            self.words.resize(other.words.len(), 0);
        }
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
        self.last = None;
    }

    /// The members, in order.
    pub fn into_sorted(self) -> Vec<u64> {
        let mut out = Vec::new();
        for (i, mut word) in (0u64..).zip(self.words) {
            while word != 0 {
                out.push(i * 64 + u64::from(word.trailing_zeros()));
                word &= word - 1;
            }
        }
        out
    }
}

/// The first value of a string fast field for each of these documents of one
/// segment (`None` where a document has none), decoded in one dictionary pass.
pub(crate) fn strings_of(
    column: Option<&StrColumn>,
    docs: &[DocId],
) -> std::io::Result<Vec<Option<String>>> {
    let Some(column) = column else {
        return Ok(vec![None; docs.len()]);
    };
    let sorted = sorted_ords(column, docs);
    let names = decode_sorted(column, &sorted)?;
    Ok(docs
        .iter()
        .map(|&doc| {
            let ord = column.term_ords(doc).next()?;
            names.get(sorted.binary_search(&ord).ok()?).cloned()
        })
        .collect())
}

/// Addresses grouped by segment, in segment order.
pub(crate) fn by_segment(addrs: &[DocAddress]) -> std::collections::BTreeMap<u32, Vec<DocId>> {
    let mut out: std::collections::BTreeMap<u32, Vec<DocId>> = std::collections::BTreeMap::new();
    for addr in addrs {
        out.entry(addr.segment_ord).or_default().push(addr.doc_id);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::OrdSet;

    /// The distinct paths of every passage of an index with these segments.
    fn distinct_paths(segments: &[&[&str]]) -> usize {
        let (_dir, handle) = super::super::test_index::with_segments(segments, |d, f, _| {
            d.add_text(f.text_exact, "management oversight")
        });
        let reader = super::Reader::open(&handle).unwrap();
        let searcher = reader.searcher();
        assert_eq!(searcher.segment_readers().len(), segments.len());
        let mut per_segment = Vec::new();
        for (ord, segment) in (0u32..).zip(searcher.segment_readers()) {
            let column = segment.fast_fields().str("path").unwrap().unwrap();
            let docs: Vec<u32> = (0..segment.max_doc()).collect();
            per_segment.push((ord, super::sorted_ords(&column, &docs)));
        }
        reader.distinct_paths_of(&searcher, per_segment).unwrap()
    }

    /// Passages of path `b` in two segments (as two indexing threads can
    /// leave them) count once; `a` and `c` once each.
    #[test]
    fn documents_split_between_segments_count_once() {
        assert_eq!(distinct_paths(&[&["a", "b", "b"], &["b", "c", "c"]]), 3);
    }

    /// With three segments, paths shared by the smaller two, by all three,
    /// or by the largest and one other each count once.
    #[test]
    fn documents_split_among_three_segments_count_once() {
        let segments: &[&[&str]] = &[
            &["a", "b", "d", "e", "f"],
            &["b", "c", "g"],
            &["c", "d", "g", "h"],
        ];
        assert_eq!(distinct_paths(segments), 8);
    }

    fn set(ords: &[u64]) -> OrdSet {
        let mut s = OrdSet {
            words: vec![0; 4],
            last: None,
        };
        for &o in ords {
            s.words[(o / 64) as usize] |= 1 << (o % 64);
        }
        s
    }

    #[test]
    fn ord_sets_list_their_members_in_order() {
        assert_eq!(
            set(&[200, 3, 64, 63, 0]).into_sorted(),
            vec![0, 3, 63, 64, 200]
        );
        assert!(set(&[]).into_sorted().is_empty());
    }

    #[test]
    fn ord_sets_unite() {
        let mut a = set(&[1, 130]);
        a.union_with(&set(&[1, 2, 255]));
        assert_eq!(a.into_sorted(), vec![1, 2, 130, 255]);
        let mut short = OrdSet::default();
        short.union_with(&set(&[100]));
        assert_eq!(short.into_sorted(), vec![100]);
    }
}
