//! Load stored passages and document records back from the index.

use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

use super::schema::KIND_DOC;
use super::{Fields, IndexError, IndexHandle};
use crate::document::{DocumentMeta, Passage};

/// A read-only view of the index at the moment it was opened.
pub struct Reader {
    handle: IndexHandle,
    reader: IndexReader,
}

/// A passage with its document's metadata, as stored.
#[derive(Debug, Clone)]
pub struct StoredPassage {
    /// The document the passage belongs to.
    pub meta: DocumentMeta,
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
            .try_into()
            .map_err(|source| IndexError::Tantivy {
                dir: handle.dir.clone(),
                source,
            })?;
        Ok(Reader {
            handle: handle.clone(),
            reader,
        })
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

    fn err(&self, source: tantivy::TantivyError) -> IndexError {
        IndexError::Tantivy {
            dir: self.handle.dir.clone(),
            source,
        }
    }

    /// Load a stored passage.
    pub fn passage(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
    ) -> Result<StoredPassage, IndexError> {
        let f = &self.handle.fields;
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.err(e))?;
        let meta = doc_meta(&doc, f);
        let text = doc
            .get_first(f.text)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let paragraph = doc
            .get_first(f.paragraph)
            .and_then(|v| v.as_u64())
            .unwrap_or_default() as usize;
        let extra: serde_json::Value = doc
            .get_first(f.passage_json)
            .and_then(|v| v.as_str())
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default();
        let section = extra
            .get("section")
            .and_then(|s| s.as_str())
            .map(str::to_string);
        let authorities_mentioned = extra
            .get("authorities_mentioned")
            .and_then(|a| a.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        Ok(StoredPassage {
            meta,
            passage: Passage {
                paragraph,
                section,
                text,
                authorities_mentioned,
            },
        })
    }

    /// The distinct document paths of these passages, read from the fast field
    /// (no stored document is loaded).
    pub fn distinct_paths(
        &self,
        searcher: &Searcher,
        addrs: &[DocAddress],
    ) -> Result<std::collections::BTreeSet<String>, IndexError> {
        let mut out = std::collections::BTreeSet::new();
        let mut current: Option<(u32, tantivy::columnar::StrColumn)> = None;
        let mut seen_ords = std::collections::HashSet::new();
        for addr in addrs {
            if current.as_ref().map(|(s, _)| *s) != Some(addr.segment_ord) {
                let segment = searcher.segment_reader(addr.segment_ord);
                let column = segment.fast_fields().str("path").map_err(|e| self.err(e))?;
                seen_ords.clear();
                current = column.map(|c| (addr.segment_ord, c));
            }
            let Some((_, column)) = &current else {
                continue;
            };
            for ord in column.term_ords(addr.doc_id) {
                if seen_ords.insert(ord) {
                    let mut path = String::new();
                    if column.ord_to_str(ord, &mut path).unwrap_or(false) {
                        out.insert(path);
                    }
                }
            }
        }
        Ok(out)
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
        let mut out = addrs
            .into_iter()
            .map(|a| self.passage(searcher, a))
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by_key(|p| p.passage.paragraph);
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
        addrs
            .into_iter()
            .map(|addr| self.passage(&searcher, addr))
            .collect()
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
        let mut docs = Vec::with_capacity(addrs.len());
        for addr in addrs {
            let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.err(e))?;
            docs.push(StoredDocument {
                meta: doc_meta(&doc, f),
                passages: doc
                    .get_first(f.passages)
                    .and_then(|v| v.as_u64())
                    .unwrap_or_default(),
            });
        }
        docs.sort_by(|a, b| a.meta.path.cmp(&b.meta.path));
        Ok(docs)
    }
}

fn doc_meta(doc: &TantivyDocument, f: &Fields) -> DocumentMeta {
    doc.get_first(f.doc_json)
        .and_then(|v| v.as_str())
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default()
}
