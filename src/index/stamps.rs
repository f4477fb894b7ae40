//! When each document first entered the index. Every document record carries
//! a stamp (nanoseconds since the epoch) given when its path was first
//! written and kept when a changed file replaces it. Stamps only grow, commit
//! after commit, even when the clock steps back: a reader that has seen
//! every document up to stamp S will find each later document above S, which
//! is what a saved search needs to say "new since you last looked" without
//! saying anything twice.

use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::schema::KIND_DOC;
use super::{IndexError, Reader};

/// A first-indexed stamp: nanoseconds since the epoch.
pub type Stamp = u64;

/// The clock as a stamp.
pub fn now() -> Stamp {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// The stamp of the next commit after one stamped `newest`: now, or just
/// past `newest` when the clock has not moved past it.
pub fn next(newest: Stamp) -> Stamp {
    now().max(newest.saturating_add(1))
}

/// A stamp as a point in time (the epoch for a stamp too large to be one).
pub fn to_timestamp(stamp: Stamp) -> jiff::Timestamp {
    jiff::Timestamp::from_nanosecond(i128::from(stamp)).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// A point in time as a stamp (before the epoch: 0).
pub fn from_timestamp(t: jiff::Timestamp) -> Stamp {
    u64::try_from(t.as_nanosecond()).unwrap_or(0)
}

/// Each document of one snapshot of the index with its stamp.
#[derive(Debug, Clone, Default)]
pub struct FirstIndexed {
    /// Path and stamp of every document, in path order.
    pub documents: Vec<(String, Stamp)>,
}

impl FirstIndexed {
    /// The newest stamp (0 for an empty index).
    pub fn newest(&self) -> Stamp {
        self.documents.iter().map(|&(_, s)| s).max().unwrap_or(0)
    }

    /// Paths of the documents stamped after `after`.
    pub fn after(&self, after: Stamp) -> Vec<String> {
        self.documents
            .iter()
            .filter(|&&(_, s)| s > after)
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// A document's stamp.
    pub fn of(&self, path: &str) -> Option<Stamp> {
        self.documents
            .binary_search_by(|(p, _)| p.as_str().cmp(path))
            .ok()
            .map(|i| self.documents[i].1)
    }
}

/// Every document's first-indexed stamp in `searcher`'s snapshot (read from
/// fast fields only).
pub fn first_indexed(reader: &Reader, searcher: &Searcher) -> Result<FirstIndexed, IndexError> {
    let f = reader.fields();
    let err = |source| IndexError::Tantivy {
        dir: reader.handle().dir.clone(),
        source,
    };
    let query = TermQuery::new(
        Term::from_field_text(f.kind, KIND_DOC),
        IndexRecordOption::Basic,
    );
    let addrs: Vec<tantivy::DocAddress> = searcher
        .search(&query, &DocSetCollector)
        .map_err(err)?
        .into_iter()
        .collect();
    let mut documents = Vec::with_capacity(addrs.len());
    for (segment_ord, docs) in super::reader::by_segment(&addrs) {
        let fast = searcher.segment_reader(segment_ord).fast_fields();
        let column = fast.str("path").map_err(err)?;
        let paths =
            super::reader::strings_of(column.as_ref(), &docs).map_err(|source| IndexError::Io {
                dir: reader.handle().dir.clone(),
                source,
            })?;
        let stamps = fast.column_opt::<u64>("first_indexed").map_err(err)?;
        for (path, &doc) in paths.into_iter().zip(&docs) {
            if let Some(path) = path {
                let stamp = stamps.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
                documents.push((path, stamp));
            }
        }
    }
    documents.sort();
    Ok(FirstIndexed { documents })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_only_grow() {
        let far = now() + 1_000_000_000_000;
        assert_eq!(next(far), far + 1);
        assert!(next(0) > 0);
        assert_eq!(next(u64::MAX), u64::MAX);
    }

    #[test]
    fn documents_after_a_stamp() {
        let f = FirstIndexed {
            documents: vec![("a".into(), 5), ("b".into(), 9), ("c".into(), 7)],
        };
        assert_eq!(f.newest(), 9);
        assert_eq!(f.after(6), ["b", "c"]);
        assert_eq!(f.of("b"), Some(9));
        assert_eq!(f.of("z"), None);
        assert_eq!(
            from_timestamp(to_timestamp(1_700_000_000_000_000_000)),
            1_700_000_000_000_000_000
        );
    }
}
