//! The documents side: list documents matching filters (and optionally a
//! query), find one by its path or id, and read it back as indexed.

use std::cmp::Ordering;

use crate::document::{DocumentMeta, Passage};
use crate::index::{IndexError, Reader, StoredDocument};
use crate::query::search::{matching_request, SearchError, SearchRequest};

/// Order of a document listing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DocSort {
    /// Newest first (undated last), then path.
    #[default]
    Date,
    /// By authority (none last), then newest first.
    Authority,
    /// By path.
    Path,
}

/// Which documents to list.
#[derive(Debug, Clone, Default)]
pub struct DocsRequest {
    /// Query and filters: documents with at least one matching passage. An
    /// empty query with no filters lists every document.
    pub search: SearchRequest,
    /// Order.
    pub sort: DocSort,
    /// Most documents to return; `None` for all.
    pub limit: Option<usize>,
}

/// Documents of a listing, the total before the limit, and query corrections.
#[derive(Debug, Clone, Default)]
pub struct DocList {
    /// The documents, in order, at most the limit.
    pub docs: Vec<StoredDocument>,
    /// How many matched in all.
    pub total: usize,
    /// Corrections to tell the user.
    pub notes: Vec<String>,
}

fn order(sort: DocSort) -> impl Fn(&StoredDocument, &StoredDocument) -> Ordering {
    move |a, b| {
        let (a, b) = (&a.meta, &b.meta);
        let newest = |x: &DocumentMeta, y: &DocumentMeta| {
            (y.date.is_some(), &y.date).cmp(&(x.date.is_some(), &x.date))
        };
        match sort {
            DocSort::Date => newest(a, b).then_with(|| a.path.cmp(&b.path)),
            DocSort::Authority => (a.authority.is_none(), &a.authority)
                .cmp(&(b.authority.is_none(), &b.authority))
                .then_with(|| newest(a, b))
                .then_with(|| a.path.cmp(&b.path)),
            DocSort::Path => a.path.cmp(&b.path),
        }
    }
}

/// Documents matching a request, sorted and cut to its limit.
pub fn list(reader: &Reader, request: &DocsRequest) -> Result<DocList, SearchError> {
    let mut docs = reader.documents()?;
    let mut notes = Vec::new();
    let filtered = !request.search.query.trim().is_empty() || !request.search.filters.is_empty();
    if filtered {
        let (addrs, searcher, n) = matching_request(reader, &request.search)?;
        notes = n;
        let paths = reader.distinct_paths(&searcher, &addrs)?;
        docs.retain(|d| paths.contains(&d.meta.path));
    }
    docs.sort_by(order(request.sort));
    let total = docs.len();
    if let Some(n) = request.limit {
        docs.truncate(n);
    }
    Ok(DocList { docs, total, notes })
}

/// A document as indexed: its metadata and every passage in order.
#[derive(Debug, Clone)]
pub struct ShownDocument {
    /// Document-level facts.
    pub meta: DocumentMeta,
    /// Passages in reading order.
    pub passages: Vec<Passage>,
}

/// Why a document could not be shown.
#[derive(Debug, thiserror::Error)]
pub enum ShowError {
    /// No document has that path or id.
    #[error("no document '{key}' in the index{}", hint(.closest))]
    Unknown {
        /// What was asked for.
        key: String,
        /// The closest paths, for a hint.
        closest: Vec<String>,
    },
    /// The index could not be read.
    #[error(transparent)]
    Index(#[from] IndexError),
}

fn hint(closest: &[String]) -> String {
    if closest.is_empty() {
        String::new()
    } else {
        format!(" (hint: did you mean {}?)", closest.join(", "))
    }
}

/// The document with this path (as listed by `docs`) or id.
pub fn find(reader: &Reader, key: &str) -> Result<StoredDocument, ShowError> {
    let docs = reader.documents()?;
    let key_trim = key.trim();
    if let Some(d) = docs
        .iter()
        .find(|d| d.meta.path == key_trim || d.meta.id() == key_trim)
    {
        return Ok(d.clone());
    }
    // The file name alone is enough when it is unique.
    let by_name: Vec<&StoredDocument> = docs
        .iter()
        .filter(|d| {
            std::path::Path::new(&d.meta.path)
                .file_name()
                .is_some_and(|n| n.to_string_lossy() == key_trim)
        })
        .collect();
    if let [one] = by_name.as_slice() {
        return Ok((*one).clone());
    }
    let mut scored: Vec<(f64, &str)> = docs
        .iter()
        .map(|d| {
            (
                strsim::normalized_levenshtein(&d.meta.path, key_trim),
                d.meta.path.as_str(),
            )
        })
        .collect();
    scored.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(Ordering::Equal));
    let best = scored.first().map_or(0.0, |s| s.0);
    Err(ShowError::Unknown {
        key: key.to_string(),
        // The closest, and any nearly as close.
        closest: scored
            .iter()
            .take(3)
            .filter(|(s, _)| *s >= best - 0.05 && *s > 0.3)
            .map(|(_, p)| p.to_string())
            .collect(),
    })
}

/// Every passage of a document, in order.
pub fn read(reader: &Reader, doc: &StoredDocument) -> Result<ShownDocument, ShowError> {
    let searcher = reader.searcher();
    let passages = reader
        .passages_between(&searcher, &doc.meta.path, 0, usize::MAX)?
        .into_iter()
        .map(|p| p.passage)
        .collect();
    Ok(ShownDocument {
        meta: doc.meta.clone(),
        passages,
    })
}
