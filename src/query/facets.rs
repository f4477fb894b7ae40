//! Facet counts: matching passages and documents per authority, year, visit
//! type, inspector or judgement.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::search::{matching_request, SearchError, SearchRequest};
use crate::document::DocumentMeta;
use crate::index::Reader;

/// What to count by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FacetBy {
    /// The authority a document is about.
    Authority,
    /// The year of the document's date.
    Year,
    /// The month of the document's date (`YYYY-MM`).
    Month,
    /// Visit type.
    Type,
    /// Each named inspector.
    Inspector,
    /// The overall judgement.
    Judgement,
}

/// Order of facet rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FacetSort {
    /// Most passages first (ties by value).
    Count,
    /// By value: time order for years and months (undated last).
    Key,
}

impl FacetBy {
    /// The natural order of this facet: time order for dates, else by count.
    pub fn default_sort(self) -> FacetSort {
        match self {
            FacetBy::Year | FacetBy::Month => FacetSort::Key,
            _ => FacetSort::Count,
        }
    }
}

/// One facet value and its counts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FacetRow {
    /// The value (`(none)` when a document has none).
    pub value: String,
    /// Matching passages.
    pub passages: usize,
    /// Documents with a matching passage.
    pub documents: usize,
}

/// Placeholder for documents without a value.
pub const NONE: &str = "(none)";

/// A document's values for a facet ([`NONE`] when it has none).
pub(crate) fn values(meta: &DocumentMeta, by: FacetBy) -> Vec<String> {
    let one = |v: Option<&str>| vec![v.unwrap_or(NONE).to_string()];
    match by {
        FacetBy::Authority => one(meta.authority.as_deref()),
        FacetBy::Year => one(meta.date.as_deref().and_then(|d| d.get(..4))),
        FacetBy::Month => one(meta.date.as_deref().and_then(|d| d.get(..7))),
        FacetBy::Type => one(meta.visit_type.map(|v| v.name())),
        FacetBy::Judgement => one(meta.judgements.overall_effectiveness.map(|g| g.name())),
        FacetBy::Inspector if meta.inspectors.is_empty() => one(None),
        FacetBy::Inspector => meta.inspectors.clone(),
    }
}

/// Counts per value in `sort` order, and any query corrections.
pub fn facets(
    reader: &Reader,
    request: &SearchRequest,
    by: FacetBy,
    sort: FacetSort,
) -> Result<(Vec<FacetRow>, Vec<String>), SearchError> {
    let (addrs, searcher, notes) = matching_request(reader, request)?;
    let mut meta_cache: HashMap<String, Vec<String>> = HashMap::new();
    let mut counts: BTreeMap<String, (usize, BTreeSet<String>)> = BTreeMap::new();
    let mut loader = reader.loader(&searcher);
    loader.prefetch(&addrs)?;
    for addr in addrs {
        // Metadata only: the passage itself is never loaded.
        let meta = loader.meta(addr)?;
        let path = meta.path.clone();
        let vals = meta_cache
            .entry(path.clone())
            .or_insert_with(|| values(&meta, by));
        for v in vals.iter() {
            let e = counts.entry(v.clone()).or_default();
            e.0 += 1;
            e.1.insert(path.clone());
        }
    }
    let mut rows: Vec<FacetRow> = counts
        .into_iter()
        .map(|(value, (passages, docs))| FacetRow {
            value,
            passages,
            documents: docs.len(),
        })
        .collect();
    match sort {
        FacetSort::Count => rows.sort_by(|a, b| {
            b.passages
                .cmp(&a.passages)
                .then_with(|| a.value.cmp(&b.value))
        }),
        // "(none)" sorts after every value.
        FacetSort::Key => {
            rows.sort_by(|a, b| (a.value == NONE, &a.value).cmp(&(b.value == NONE, &b.value)))
        }
    }
    Ok((rows, notes))
}
