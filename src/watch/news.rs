//! What is new for a watch: the documents first indexed after its mark (or
//! after a date), and the watch's search restricted to them.

use crate::index::stamps::{self, FirstIndexed, Stamp};
use crate::query::filter::Resolved;
use crate::query::{MatchOptions, MetaDetail, SearchRequest};

use super::{Watch, WatchError};

/// Where a read starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// After what the watch has seen.
    LastRead,
    /// Documents first indexed at or after this time.
    Since(jiff::Timestamp),
}

/// A watch's news in one snapshot of the index.
#[derive(Debug, Clone)]
pub struct News {
    /// Documents first indexed after this stamp are new.
    pub after: Stamp,
    /// The new documents, matching or not, in path order.
    pub documents: Vec<String>,
    /// The watch's search, restricted to the new documents.
    pub request: SearchRequest,
    /// The watch's mark once this is read: the snapshot's newest stamp.
    pub seen: jiff::Timestamp,
    /// Corrections made to the watch's filters (misspelt names taken as known ones).
    pub notes: Vec<String>,
}

/// The watch's own search over the whole index, with the corrections made
/// to its filters. A saved query or filter this version no longer takes is
/// an error naming the watch.
pub fn request(watch: &Watch) -> Result<(SearchRequest, Vec<String>), WatchError> {
    let mut notes = Vec::new();
    let filters = watch
        .typed_filters()?
        .resolve(&mut notes)
        .map_err(|e| watch.invalid(format!("its filters do not resolve: {e}")))?;
    if !watch.query.trim().is_empty() {
        crate::query::parse(&watch.query)
            .map_err(|e| watch.invalid(format!("its query does not parse: {e}")))?;
    }
    let request = SearchRequest {
        query: watch.query.clone(),
        filters,
        options: MatchOptions { exact: watch.exact },
        limit: None,
        detail: MetaDetail::Full,
        explain: false,
    };
    Ok((request, notes))
}

/// The watch's news in a snapshot of the index: its search restricted to
/// the documents first indexed after `start`.
pub fn news(watch: &Watch, snapshot: &FirstIndexed, start: Start) -> Result<News, WatchError> {
    let after = match start {
        Start::LastRead => stamps::from_timestamp(watch.seen),
        Start::Since(t) => stamps::from_timestamp(t).saturating_sub(1),
    };
    let (mut request, notes) = request(watch)?;
    let documents = snapshot.after(after);
    request
        .filters
        .push(vec![Resolved::Documents(documents.clone())]);
    Ok(News {
        after,
        documents,
        request,
        seen: stamps::to_timestamp(snapshot.newest().max(stamps::from_timestamp(watch.seen))),
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::request::Filters;

    fn snapshot() -> FirstIndexed {
        FirstIndexed {
            documents: vec![("a".into(), 10), ("b".into(), 20), ("c".into(), 30)],
        }
    }

    fn watch(seen: Stamp) -> Watch {
        Watch::new(
            "w",
            "neglect",
            &Filters::default(),
            false,
            stamps::to_timestamp(seen),
        )
    }

    #[test]
    fn new_means_first_indexed_after_the_mark() {
        let n = news(&watch(20), &snapshot(), Start::LastRead).unwrap();
        assert_eq!(n.documents, ["c"]);
        assert_eq!(stamps::from_timestamp(n.seen), 30);
        assert_eq!(
            n.request.filters.last().unwrap(),
            &vec![Resolved::Documents(vec!["c".into()])]
        );
        let none = news(&watch(30), &snapshot(), Start::LastRead).unwrap();
        assert!(none.documents.is_empty());
        // A mark never moves back, whatever the snapshot.
        let ahead = news(&watch(99), &snapshot(), Start::LastRead).unwrap();
        assert_eq!(stamps::from_timestamp(ahead.seen), 99);
    }

    #[test]
    fn since_takes_documents_at_or_after_a_time() {
        let n = news(
            &watch(30),
            &snapshot(),
            Start::Since(stamps::to_timestamp(20)),
        )
        .unwrap();
        assert_eq!(n.documents, ["b", "c"]);
    }

    #[test]
    fn a_query_that_no_longer_parses_names_the_watch() {
        let mut w = watch(0);
        w.query = "\"unclosed".into();
        let e = news(&w, &snapshot(), Start::LastRead)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("watch \"w\": its query does not parse"),
            "{e}"
        );
    }
}
