//! Facet counts: matching passages and documents per authority, year, visit
//! type, inspector, judgement or passage kind.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::document::{DocumentMeta, PassageKind};
use crate::fields::{FieldId, Values};
use crate::index::{loader::Decoded, Reader};
use crate::query::search::{matching_request, SearchError, SearchRequest};

/// What to count by: a time bucket, or a registry field ([`crate::fields::FIELDS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacetBy {
    /// The year of the document's date.
    Year,
    /// The month of the document's date (`YYYY-MM`).
    Month,
    /// A metadata field's values.
    Field(FieldId),
}

impl FacetBy {
    /// What `name` counts by (`year`, `month` or a field that facets), if anything.
    pub fn named(name: &str) -> Option<FacetBy> {
        match name.to_ascii_lowercase().as_str() {
            "year" => Some(FacetBy::Year),
            "month" => Some(FacetBy::Month),
            other => FieldId::named(other)
                .filter(|f| f.spec().facet)
                .map(FacetBy::Field),
        }
    }

    /// Every name a facet may be asked for by.
    pub fn names() -> Vec<&'static str> {
        let fields = FieldId::all().filter(|f| f.spec().facet).map(FieldId::name);
        ["year", "month"].into_iter().chain(fields).collect()
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            FacetBy::Year => "year",
            FacetBy::Month => "month",
            FacetBy::Field(f) => f.name(),
        }
    }

    /// Whether it counts passages by their own values rather than their documents'.
    fn per_passage(self) -> bool {
        matches!(self, FacetBy::Field(f) if matches!(f.spec().values, Values::Passage(_)))
    }
}

impl std::str::FromStr for FacetBy {
    type Err = String;

    fn from_str(s: &str) -> Result<FacetBy, String> {
        FacetBy::named(s).ok_or_else(|| format!("use one of: {}", FacetBy::names().join(", ")))
    }
}

/// Order of facet rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
        FacetBy::Year => one(meta.date.map(|d| d.strftime("%Y").to_string()).as_deref()),
        FacetBy::Month => one(meta
            .date
            .map(|d| d.strftime("%Y-%m").to_string())
            .as_deref()),
        FacetBy::Field(f) => match f.spec().values {
            Values::Document(of) => {
                let v = of(meta);
                if v.is_empty() {
                    one(None)
                } else {
                    v
                }
            }
            // Per passage, not per document: see `facet_rows`.
            Values::Passage(_) => Vec::new(),
        },
    }
}

/// The documents with a matching passage, each once with how many of its
/// passages match: what every facet of one request is counted from, so a
/// page that shows several facets matches and groups once.
#[derive(Debug, Clone, Default)]
pub struct MatchedDocuments {
    /// Each document's metadata and its matching passages.
    pub documents: Vec<(Arc<DocumentMeta>, usize)>,
    /// For each document, its matching passages of each kind (in
    /// [`PassageKind::ALL`]'s order).
    pub kinds: Vec<[usize; KINDS]>,
    /// Corrections made to the query.
    pub notes: Vec<String>,
}

/// Match a request and group its passages by document.
pub fn matched_documents(
    reader: &Reader,
    request: &SearchRequest,
) -> Result<MatchedDocuments, SearchError> {
    let (addrs, searcher, notes) = matching_request(reader, request)?;
    let mut loader = reader.loader(&searcher);
    loader.prefetch(&addrs)?;
    let mut documents: Vec<(Arc<DocumentMeta>, usize)> = Vec::new();
    let mut kinds: Vec<[usize; KINDS]> = Vec::new();
    let mut by_path: HashMap<String, usize> = HashMap::new();
    // A document's passages come one after another and share one decoded
    // metadata: the path is looked up only when that changes (a document
    // split over segments is still counted once, by its path).
    let mut last: Option<(*const DocumentMeta, usize)> = None;
    for addr in addrs {
        let meta = loader.meta(addr)?;
        let at = match last {
            Some((ptr, at)) if std::ptr::eq(ptr, Arc::as_ptr(&meta)) => at,
            _ => {
                let at = *by_path.entry(meta.path.clone()).or_insert_with(|| {
                    documents.push((meta.clone(), 0));
                    kinds.push([0; KINDS]);
                    documents.len() - 1
                });
                last = Some((Arc::as_ptr(&meta), at));
                at
            }
        };
        documents[at].1 += 1;
        let kind = loader.passage_kind(addr)?;
        if let Some(n) = kinds[at].get_mut(kind_slot(kind)) {
            *n += 1;
        }
    }
    Decoded::free_in_background(vec![loader.into_decoded()]);
    Ok(MatchedDocuments {
        documents,
        kinds,
        notes,
    })
}

/// How many passage kinds there are.
pub const KINDS: usize = PassageKind::ALL.len();

/// A kind's place in [`PassageKind::ALL`].
fn kind_slot(kind: PassageKind) -> usize {
    PassageKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or_default()
}

/// Counts per kind: each kind's passages, and the documents holding one.
fn kind_counts(matched: &MatchedDocuments) -> BTreeMap<String, (usize, usize)> {
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for per_kind in &matched.kinds {
        for (kind, &n) in PassageKind::ALL.iter().zip(per_kind) {
            if n > 0 {
                let c = counts.entry(kind.name().to_string()).or_default();
                c.0 += n;
                c.1 += 1;
            }
        }
    }
    counts
}

/// Counts per value of matched documents, in `sort` order.
pub fn facet_rows(matched: &MatchedDocuments, by: FacetBy, sort: FacetSort) -> Vec<FacetRow> {
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    if by.per_passage() {
        // `kind` is the one per-passage field (a test holds it so).
        counts = kind_counts(matched);
    }
    for (meta, passages) in matched.documents.iter().filter(|_| !by.per_passage()) {
        let mut vals = values(meta, by);
        // A value named twice counts the passages twice, the document once.
        for v in &vals {
            counts.entry(v.clone()).or_default().0 += passages;
        }
        vals.sort_unstable();
        vals.dedup();
        for v in vals {
            counts.entry(v).or_default().1 += 1;
        }
    }
    let mut rows: Vec<FacetRow> = counts
        .into_iter()
        .map(|(value, (passages, documents))| FacetRow {
            value,
            passages,
            documents,
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
    rows
}

/// Counts per value in `sort` order, and any query corrections.
pub fn facets(
    reader: &Reader,
    request: &SearchRequest,
    by: FacetBy,
    sort: FacetSort,
) -> Result<(Vec<FacetRow>, Vec<String>), SearchError> {
    let matched = matched_documents(reader, request)?;
    Ok((facet_rows(&matched, by, sort), matched.notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Passages are counted per value for `kind` alone (`MatchedDocuments::kinds`):
    /// a second per-passage field would need its own counts there, and this
    /// test says so rather than letting its facet show the kinds.
    #[test]
    fn kind_is_the_only_per_passage_field() {
        let per_passage: Vec<&str> = crate::fields::FieldId::all()
            .filter(|f| FacetBy::Field(*f).per_passage())
            .map(|f| f.name())
            .collect();
        assert_eq!(
            per_passage,
            ["kind"],
            "count the new field in matched_documents"
        );
    }

    fn doc(path: &str, authority: Option<&str>, inspectors: &[&str]) -> Arc<DocumentMeta> {
        Arc::new(DocumentMeta {
            path: path.into(),
            authority: authority.map(Into::into),
            inspectors: inspectors.iter().map(|s| s.to_string()).collect(),
            ..DocumentMeta::default()
        })
    }

    #[test]
    fn rows_count_passages_per_value_and_each_document_once() {
        let matched = MatchedDocuments {
            documents: vec![
                (
                    doc("a", Some("Leeds"), &["Ann Smith", "Ann Smith", "Bo Li"]),
                    3,
                ),
                (doc("b", Some("Leeds"), &[]), 2),
                (doc("c", None, &["Bo Li"]), 1),
            ],
            kinds: vec![[1, 2, 0, 0, 0, 0, 0], [0; KINDS], [0, 0, 0, 0, 0, 0, 1]],
            notes: Vec::new(),
        };
        let row = |value: &str, passages, documents| FacetRow {
            value: value.into(),
            passages,
            documents,
        };
        assert_eq!(
            facet_rows(
                &matched,
                FacetBy::Field(crate::fields::AUTHORITY),
                FacetSort::Count
            ),
            vec![row("Leeds", 5, 2), row(NONE, 1, 1)]
        );
        // A name listed twice counts its document's passages twice, the document once.
        assert_eq!(
            facet_rows(
                &matched,
                FacetBy::Field(crate::fields::INSPECTOR),
                FacetSort::Key
            ),
            vec![row("Ann Smith", 6, 1), row("Bo Li", 4, 2), row(NONE, 2, 1)]
        );
        // Kinds count passages, and each document holding one.
        assert_eq!(
            facet_rows(
                &matched,
                FacetBy::Field(crate::fields::KIND),
                FacetSort::Count
            ),
            vec![
                row("improvement", 2, 1),
                row("finding", 1, 1),
                row("news", 1, 1)
            ]
        );
    }
}
