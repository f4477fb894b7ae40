//! Store ingested documents: replace a file's passages when its content changed,
//! skip it when it did not, commit in batches.

use std::collections::HashMap;

use tantivy::index::SegmentId;
use tantivy::{DateTime, IndexWriter, TantivyDocument, Term};

use super::schema::{KIND_DOC, KIND_PASSAGE};
use super::SMALL_INDEX_DOCS;
use super::{IndexError, IndexHandle};
use crate::document::Document;
use crate::fields::{FieldId, Values};

/// Memory the tantivy writer may use for its buffers, in bytes.
pub const DEFAULT_MEMORY_BUDGET: usize = 200 * 1024 * 1024;

/// Size and modification time of a file, to skip unchanged files without reading them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FileStat {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch (0 when unknown).
    pub mtime: u64,
}

impl FileStat {
    /// Stat a file (following symlinks).
    pub fn of(path: &std::path::Path) -> std::io::Result<FileStat> {
        let meta = std::fs::metadata(path)?;
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
            .unwrap_or(0);
        Ok(FileStat {
            size: meta.len(),
            mtime,
        })
    }
}

/// What the index knows about one ingested file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KnownFile {
    /// BLAKE3 of its content.
    pub content_hash: String,
    /// Size and mtime when it was ingested, if recorded.
    pub stat: Option<FileStat>,
    /// When its path first entered the index.
    pub first_indexed: Option<super::stamps::Stamp>,
}

impl KnownFile {
    /// Same size and a known, equal modification time: unchanged without reading it.
    pub fn same_stat(&self, stat: &FileStat) -> bool {
        self.stat.is_some_and(|s| s.mtime != 0 && s == *stat)
    }
}

/// Writes documents into an index; only one may exist per index at a time.
pub struct Writer {
    handle: IndexHandle,
    writer: IndexWriter,
    existing: HashMap<String, KnownFile>,
    dirty: bool,
    /// Documents (records and passages) added by this writer.
    added: u64,
    /// Made when the first documents arrive: a dictionary may be trained on them.
    encoder: Option<super::passage_store::Encoder>,
    /// First-indexed stamp of the documents new to the index in this commit.
    stamp: super::stamps::Stamp,
    /// Stamps kept for paths that come back ([`Writer::keep_first_indexed`]).
    carried: HashMap<String, super::stamps::Stamp>,
}

impl Writer {
    /// Take the index's write lock. Fails fast when another process holds it.
    pub fn open(handle: &IndexHandle, memory_budget: usize) -> Result<Writer, IndexError> {
        let dir = handle.dir.clone();
        let writer = handle
            .index
            .writer(memory_budget.max(15_000_000))
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => IndexError::Locked(dir.clone()),
                source => IndexError::Tantivy {
                    dir: dir.clone(),
                    source,
                },
            })?;
        // An ingest that failed half-way (a full disk, a kill) may have left
        // temporary files of its own; tantivy collects its unused segment
        // files at the next commit.
        super::rebuild::remove_leftovers(&dir).map_err(|source| IndexError::Io {
            dir: dir.clone(),
            source,
        })?;
        let existing = existing_files(handle).map_err(|source| IndexError::Tantivy {
            dir: dir.clone(),
            source,
        })?;
        if existing.is_empty() {
            // A first build merges once, at the end (`finish`): merges in the
            // background only competed with indexing for the cores and were
            // merged again there (about 4 s of a 45 s 100x build).
            writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        }
        let newest = existing
            .values()
            .filter_map(|k| k.first_indexed)
            .max()
            .unwrap_or(0);
        Ok(Writer {
            handle: handle.clone(),
            writer,
            existing,
            dirty: false,
            added: 0,
            encoder: None,
            stamp: super::stamps::next(newest),
            carried: HashMap::new(),
        })
    }

    /// Let the passage store see the first documents of an ingest before any
    /// is written: when the index has no dictionary yet, one is trained on
    /// their passages (if they are enough). Later calls do nothing.
    pub fn prepare<'a>(
        &mut self,
        docs: impl IntoIterator<Item = &'a Document>,
    ) -> Result<(), IndexError> {
        if self.encoder.is_none() {
            let samples = docs
                .into_iter()
                .flat_map(|d| d.passages.iter().map(|p| p.text.as_str()));
            let encoder = super::passage_store::Encoder::for_index(&self.handle.dir, samples)
                .map_err(|source| self.io_err(source))?;
            self.encoder = Some(encoder);
        }
        Ok(())
    }

    fn io_err(&self, source: std::io::Error) -> IndexError {
        IndexError::Io {
            dir: self.handle.dir.clone(),
            source,
        }
    }

    /// Give documents that come back (a rebuild's) the first-indexed stamps
    /// they had; new ones stay newer than all of them.
    pub fn keep_first_indexed(&mut self, stamps: HashMap<String, super::stamps::Stamp>) {
        if let Some(&newest) = stamps.values().max() {
            self.stamp = self.stamp.max(super::stamps::next(newest));
        }
        self.carried = stamps;
    }

    /// Is this file already indexed with this content?
    pub fn is_unchanged(&self, path: &str, content_hash: &str) -> bool {
        self.existing
            .get(path)
            .is_some_and(|k| k.content_hash == content_hash)
    }

    /// Every file in the index with its hash and stat, as of opening.
    pub fn known_files(&self) -> &HashMap<String, KnownFile> {
        &self.existing
    }

    /// Paths of the files in the index.
    pub fn indexed_paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = self.existing.keys().cloned().collect();
        paths.sort();
        paths
    }

    /// Add a document, replacing any earlier version of the same path.
    pub fn put(&mut self, doc: &Document) -> Result<(), IndexError> {
        self.put_with_stat(doc, None)
    }

    /// Add a document with its file's size and mtime, replacing any earlier
    /// version of the same path.
    pub fn put_with_stat(
        &mut self,
        doc: &Document,
        stat: Option<FileStat>,
    ) -> Result<(), IndexError> {
        self.prepare(std::iter::once(doc))?;
        let f = self.handle.fields.clone();
        let meta = &doc.meta;
        self.dirty = true;
        // Documents go to tantivy one by one: its queue is bounded in
        // operations, so a huge file cannot pile up in memory ahead of it.
        if self.existing.contains_key(&meta.path) {
            self.writer
                .delete_term(Term::from_field_text(f.path, &meta.path));
        }

        let doc_json = serde_json::to_string(meta).map_err(|e| self.io_err(e.into()))?;
        let date = meta
            .date
            .and_then(super::date_to_timestamp)
            .map(DateTime::from_timestamp_secs);

        let mut shared = TantivyDocument::default();
        shared.add_text(f.path, &meta.path);
        for id in FieldId::all() {
            let spec = id.spec();
            if let Values::Document(values) = spec.values {
                for v in values(meta) {
                    shared.add_text(f.of(id), spec.stored(&v));
                }
            }
        }
        if let Some(d) = date {
            shared.add_date(f.date, d);
        }
        shared.add_text(f.doc_json, &doc_json);

        let mut record = shared.clone();
        record.add_text(f.title, &meta.title);
        record.add_text(f.kind, KIND_DOC);
        record.add_text(f.content_hash, &meta.content_hash);
        record.add_u64(f.passages, doc.passages.len() as u64);
        // A changed file is the same document: it keeps its first stamp.
        let first_indexed = self
            .existing
            .get(&meta.path)
            .and_then(|k| k.first_indexed)
            .or_else(|| self.carried.get(&meta.path).copied())
            .unwrap_or(self.stamp);
        record.add_u64(f.first_indexed, first_indexed);
        if let Some(st) = stat {
            record.add_u64(f.file_size, st.size);
            record.add_u64(f.file_mtime, st.mtime);
        }
        self.add(record)?;

        for p in &doc.passages {
            let mut d = shared.clone();
            d.add_text(f.kind, KIND_PASSAGE);
            d.add_u64(f.paragraph, p.paragraph as u64);
            if let Some(page) = p.page {
                d.add_u64(f.page, u64::from(page));
            }
            for id in FieldId::all() {
                let spec = id.spec();
                if let Values::Passage(values) = spec.values {
                    for v in values(p) {
                        d.add_text(f.of(id), spec.stored(&v));
                    }
                }
            }
            d.add_text(f.text, &p.text);
            d.add_text(f.text_exact, &p.text);
            let body = match self.encoder.as_mut() {
                Some(encoder) => encoder.encode(&p.text, &p.authorities_mentioned),
                None => Err(std::io::Error::other("no passage encoder")),
            }
            .map_err(|source| self.io_err(source))?;
            d.add_bytes(f.body, &body);
            if let Some(s) = &p.section {
                d.add_text(f.section, s);
            }
            for a in &p.authorities_mentioned {
                d.add_text(f.mentioned, a);
            }
            self.add(d)?;
        }
        self.existing.insert(
            meta.path.clone(),
            KnownFile {
                content_hash: meta.content_hash.clone(),
                stat,
                first_indexed: Some(first_indexed),
            },
        );
        Ok(())
    }

    /// Remove a file's document and passages.
    pub fn remove(&mut self, path: &str) {
        let f = &self.handle.fields;
        self.dirty = true;
        self.writer.delete_term(Term::from_field_text(f.path, path));
        self.existing.remove(path);
    }

    fn add(&mut self, doc: TantivyDocument) -> Result<(), IndexError> {
        self.added += 1;
        self.writer
            .add_document(doc)
            .map(|_| ())
            .map_err(|source| self.err(source))
    }

    fn err(&self, source: tantivy::TantivyError) -> IndexError {
        IndexError::Tantivy {
            dir: self.handle.dir.clone(),
            source,
        }
    }

    /// Make everything added so far durable and visible to new readers
    /// (nothing to do when nothing changed).
    pub fn commit(&mut self) -> Result<(), IndexError> {
        if !self.dirty {
            return Ok(());
        }
        self.writer
            .commit()
            .map(|_| ())
            .map_err(|source| self.err(source))?;
        self.dirty = false;
        // Documents of a later commit are newer than any a reader of this one saw.
        self.stamp = super::stamps::next(self.stamp);
        Ok(())
    }

    /// Commit, then wait for background merges to finish. When this writer
    /// wrote most of the index (a bulk build) and left more than
    /// [`MERGE_ABOVE_SEGMENTS`] segments, they are merged into one per core
    /// (at most [`MERGE_ABOVE_SEGMENTS`]; into one when the index is
    /// small, [`SMALL_INDEX_DOCS`]): tantivy's background merges
    /// depend on how the threads' flushes fall, so a large build ended with 3
    /// segments one time and 10 the next, and every query pays per segment
    /// (a 100x listing 68 ms on one segment, 97 ms on ten). One merge runs on
    /// one core; two halves merged side by side take half the time: a 100x
    /// build took 36 s against 38 s, and its listing 66 ms against 62 ms.
    pub fn finish(mut self) -> Result<(), IndexError> {
        self.commit()?;
        let dir = self.handle.dir.clone();
        self.writer
            .wait_merging_threads()
            .map_err(|source| IndexError::Tantivy { dir, source })?;
        // Ids and counts only: a segment's metadata held anywhere in the
        // process keeps its files from being deleted after the merge.
        let segments: Vec<(SegmentId, u64)> = self
            .handle
            .index
            .searchable_segment_metas()
            .unwrap_or_default()
            .iter()
            .map(|m| (m.id(), u64::from(m.num_docs())))
            .collect();
        let total: u64 = segments.iter().map(|&(_, docs)| docs).sum();
        if let Some(target) = merge_target(segments.len(), total, self.added) {
            // Everything is committed already: a merge that cannot run
            // (the index locked again meanwhile, a full disk) leaves the
            // segments as they are, and the index as good.
            let _ = merge_all(&self.handle, segments, target);
        }
        Ok(())
    }
}

/// A bulk build that leaves more segments than this is merged down to one
/// per core, at most this many. Two (one per indexing thread on two cores)
/// is what a build small enough to flush once leaves; merging those would
/// buy little.
pub const MERGE_ABOVE_SEGMENTS: usize = 2;

/// How many segments a writer that added `added` of an index's `total`
/// documents, now in `segments` segments, merges them into (`None`: it
/// leaves them, as an ingest that wrote under half of the index does).
///
/// A small index ([`SMALL_INDEX_DOCS`]) ends in one segment: it is searched
/// on one thread, so a second segment buys nothing and costs every query a
/// second set of files to open and terms to look up (a 1x top-10 1.92 ms on
/// two segments, 1.80 ms on one); the merge costs a 1x build about 70 ms.
fn merge_target(segments: usize, total: u64, added: u64) -> Option<usize> {
    let (above, target) = if total < u64::from(SMALL_INDEX_DOCS) {
        (1, 1)
    } else {
        (MERGE_ABOVE_SEGMENTS, merged_segments())
    };
    (segments > above && added.saturating_mul(2) >= total).then_some(target)
}

/// How many segments a bulk build's final merge leaves: one per core (each
/// merge runs on one), at most [`MERGE_ABOVE_SEGMENTS`].
pub fn merged_segments() -> usize {
    crate::cores::available().clamp(1, MERGE_ABOVE_SEGMENTS)
}

/// The index's segments in `groups` groups of about equal document counts
/// (largest first, each to the lightest group), as segment ids.
fn balanced_groups(mut segments: Vec<(SegmentId, u64)>, groups: usize) -> Vec<Vec<SegmentId>> {
    segments.sort_by_key(|&(_, docs)| std::cmp::Reverse(docs));
    let mut out: Vec<(u64, Vec<SegmentId>)> = vec![(0, Vec::new()); groups.max(1)];
    for (id, docs) in segments {
        if let Some(lightest) = out.iter_mut().min_by_key(|(total, _)| *total) {
            lightest.0 += docs;
            lightest.1.push(id);
        }
    }
    out.into_iter().map(|(_, ids)| ids).collect()
}

/// Merge these segments (ids and document counts) down to `target`, the
/// merges side by side, and wait for them.
fn merge_all(
    handle: &IndexHandle,
    segments: Vec<(SegmentId, u64)>,
    target: usize,
) -> tantivy::Result<()> {
    // A merge indexes nothing: the smallest budget tantivy allows will do.
    let mut writer: IndexWriter = handle.index.writer_with_num_threads(1, 15_000_000)?;
    let merges: Vec<_> = balanced_groups(segments, target)
        .into_iter()
        .filter(|ids| ids.len() > 1)
        .map(|ids| writer.merge(&ids))
        .collect();
    if !merges.is_empty() {
        for merge in merges {
            merge.wait()?;
        }
        // The merged segments' files go now, not at the next ingest.
        writer.garbage_collect_files().wait()?;
    }
    writer.wait_merging_threads()
}

/// Path → content hash and stat of every file in the index.
fn existing_files(handle: &IndexHandle) -> tantivy::Result<HashMap<String, KnownFile>> {
    let reader = handle.index.reader()?;
    let searcher = reader.searcher();
    let query = tantivy::query::TermQuery::new(
        Term::from_field_text(handle.fields.kind, KIND_DOC),
        tantivy::schema::IndexRecordOption::Basic,
    );
    let addrs: Vec<tantivy::DocAddress> = searcher
        .search(&query, &tantivy::collector::DocSetCollector)?
        .into_iter()
        .collect();
    let mut out = HashMap::with_capacity(addrs.len());
    // Everything comes from fast fields: no stored document is loaded.
    for (segment_ord, docs) in super::reader::by_segment(&addrs) {
        let fast = searcher.segment_reader(segment_ord).fast_fields();
        let paths = super::reader::strings_of(fast.str("path")?.as_ref(), &docs)?;
        let hashes = super::reader::strings_of(fast.str("content_hash")?.as_ref(), &docs)?;
        let sizes = fast.column_opt::<u64>("file_size")?;
        let mtimes = fast.column_opt::<u64>("file_mtime")?;
        let firsts = fast.column_opt::<u64>("first_indexed")?;
        for (i, &doc) in docs.iter().enumerate() {
            let size = sizes.as_ref().and_then(|c| c.first(doc));
            let mtime = mtimes.as_ref().and_then(|c| c.first(doc));
            let stat = match (size, mtime) {
                (Some(size), Some(mtime)) => Some(FileStat { size, mtime }),
                _ => None,
            };
            let path = paths.get(i).cloned().flatten();
            let hash = hashes.get(i).cloned().flatten();
            if let (Some(p), Some(h)) = (path, hash) {
                out.insert(
                    p,
                    KnownFile {
                        content_hash: h,
                        stat,
                        first_indexed: firsts.as_ref().and_then(|c| c.first(doc)),
                    },
                );
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{DocumentMeta, Passage};

    #[test]
    fn a_large_file_is_indexed_whole_and_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let handle = crate::index::open_or_create(dir.path()).unwrap();
        let passages = |word: &str| -> Vec<Passage> {
            (0..5000)
                .map(|i| Passage {
                    paragraph: i,
                    page: None,
                    section: None,
                    text: format!("{word} passage {i}"),
                    authorities_mentioned: Vec::new(),
                    kind: Default::default(),
                })
                .collect()
        };
        let meta = DocumentMeta {
            path: "big.txt".into(),
            content_hash: "a".into(),
            title: "Big".into(),
            ..DocumentMeta::default()
        };
        let mut writer = Writer::open(&handle, 50_000_000).unwrap();
        let first = Document {
            meta: meta.clone(),
            passages: passages("alpha"),
        };
        writer.put(&first).unwrap();
        writer.commit().unwrap();
        let second = Document {
            meta: DocumentMeta {
                content_hash: "b".into(),
                ..meta
            },
            passages: passages("beta"),
        };
        writer.put(&second).unwrap();
        writer.finish().unwrap();

        let reader = crate::index::Reader::open(&handle).unwrap();
        let docs = reader.documents().unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].passages as usize, 5000);
        let all = reader.all_passages().unwrap();
        assert_eq!(all.len(), 5000);
        assert!(all
            .iter()
            .all(|p| p.passage.text.starts_with("beta") && p.meta.path == "big.txt"));
    }

    fn small_doc(path: &str) -> Document {
        Document {
            meta: DocumentMeta {
                path: path.into(),
                content_hash: path.into(),
                title: path.into(),
                ..DocumentMeta::default()
            },
            passages: (0..3)
                .map(|i| Passage {
                    paragraph: i,
                    page: None,
                    section: None,
                    text: format!("management oversight {path} {i}"),
                    authorities_mentioned: Vec::new(),
                    kind: Default::default(),
                })
                .collect(),
        }
    }

    #[test]
    fn groups_are_balanced_by_documents() {
        let ids: Vec<SegmentId> = (0..5).map(|_| SegmentId::generate_random()).collect();
        let sizes = [100u64, 60, 50, 30, 20];
        let segments: Vec<_> = ids.iter().copied().zip(sizes).collect();
        let groups = balanced_groups(segments.clone(), 2);
        let docs = |g: &Vec<SegmentId>| -> u64 {
            g.iter()
                .map(|id| segments.iter().find(|(s, _)| s == id).map_or(0, |s| s.1))
                .sum()
        };
        let mut totals: Vec<u64> = groups.iter().map(docs).collect();
        totals.sort_unstable();
        assert_eq!(totals, vec![130, 130]);
        assert_eq!(balanced_groups(segments, 1)[0].len(), 5);
    }

    fn segments(handle: &IndexHandle) -> usize {
        handle.index.searchable_segment_ids().unwrap().len()
    }

    #[test]
    fn small_builds_end_in_one_segment_large_ones_in_one_per_core() {
        let large = u64::from(SMALL_INDEX_DOCS) + 1;
        assert_eq!(merge_target(2, 100, 100), Some(1));
        assert_eq!(merge_target(5, 100, 50), Some(1));
        assert_eq!(merge_target(1, 100, 100), None);
        assert_eq!(merge_target(5, 100, 49), None, "under half: left alone");
        assert_eq!(merge_target(3, large, large), Some(merged_segments()));
        assert_eq!(merge_target(MERGE_ABOVE_SEGMENTS, large, large), None);
        assert_eq!(merge_target(9, large, 10), None);
    }

    /// A small bulk build that leaves several segments ends in one; a small
    /// ingest into a larger index leaves the layout alone.
    #[test]
    fn a_small_bulk_build_ends_in_one_segment() {
        let dir = tempfile::tempdir().unwrap();
        let handle = crate::index::open_or_create(dir.path()).unwrap();
        let mut writer = Writer::open(&handle, 50_000_000).unwrap();
        // Each commit leaves at least one segment of its own (one per
        // indexing thread that got documents), and a first build does not
        // merge in the background.
        for batch in 0..3 {
            for i in 0..4 {
                writer.put(&small_doc(&format!("{batch}-{i}.txt"))).unwrap();
            }
            writer.commit().unwrap();
        }
        assert!(
            segments(&handle) > MERGE_ABOVE_SEGMENTS,
            "{} segments",
            segments(&handle)
        );
        writer.finish().unwrap();
        assert_eq!(segments(&handle), 1);
        let reader = crate::index::Reader::open(&handle).unwrap();
        assert_eq!(reader.documents().unwrap().len(), 12);
        assert_eq!(reader.all_passages().unwrap().len(), 36);

        let mut writer = Writer::open(&handle, 50_000_000).unwrap();
        for batch in 0..2 {
            writer
                .put(&small_doc(&format!("late-{batch}.txt")))
                .unwrap();
            writer.commit().unwrap();
        }
        writer.finish().unwrap();
        assert!(segments(&handle) > 1, "{} segments", segments(&handle));
        let reader = crate::index::Reader::open(&handle).unwrap();
        assert_eq!(reader.documents().unwrap().len(), 14);
    }
}
