//! Trends: for each bucket of time (or authority, visit type, judgement), how
//! many documents match each query, out of how many documents the bucket has.
//! Every number is an exact count, so a bucket's matches agree with
//! `search --count` under the same filters, and a bucket with no documents is
//! said to have none rather than shown as 0 %.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::docs::{self, DocsRequest};
use super::facets::{
    facet_rows, matched_documents, values, FacetBy, FacetSort, MatchedDocuments, NONE,
};
use crate::index::Reader;
use crate::query::search::{SearchError, SearchRequest};
use crate::query::MatchOptions;

/// What to trend.
#[derive(Debug, Clone)]
pub struct TrendRequest {
    /// One or more queries, compared side by side.
    pub queries: Vec<String>,
    /// Filters applied to every query and to the bucket totals.
    pub filters: Vec<Vec<crate::query::filter::Resolved>>,
    /// Stemming on or off.
    pub options: MatchOptions,
    /// What a bucket is.
    pub by: FacetBy,
}

impl TrendRequest {
    /// The search of one of its queries, under its filters.
    fn search(&self, query: &str) -> SearchRequest {
        SearchRequest {
            query: query.to_string(),
            filters: self.filters.clone(),
            options: self.options,
            limit: None,
            detail: Default::default(),
            explain: false,
        }
    }
}

/// One query's share of a bucket.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Cell {
    /// Documents in the bucket with a matching passage.
    pub documents: usize,
    /// Matching passages in the bucket.
    pub passages: usize,
    /// `documents` / the bucket's documents; `None` when the bucket has none.
    pub share: Option<f64>,
}

/// One bucket: its key, its documents, and each query's cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bucket {
    /// Year, month, authority, visit type or judgement (`(none)` for documents without one).
    pub key: String,
    /// Documents in the bucket (under the filters).
    pub documents: usize,
    /// One cell per query, in the order asked.
    pub cells: Vec<Cell>,
}

/// A trend table.
#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    /// What a bucket is (`year`, `month`, …).
    pub by: String,
    /// The queries, in order.
    pub queries: Vec<String>,
    /// Buckets in order: time order for years and months (every year or month
    /// between the first and the last, empty ones included), else most documents first.
    pub buckets: Vec<Bucket>,
    /// Corrections made to the queries or filters.
    #[serde(skip)]
    pub notes: Vec<String>,
}

/// Every year or month from `first` to `last` inclusive (`YYYY` or `YYYY-MM`).
fn time_range(first: &str, last: &str, by: FacetBy) -> Vec<String> {
    let parse = |s: &str| -> Option<(i32, i32)> {
        let y = s.get(..4)?.parse().ok()?;
        let m = if by == FacetBy::Month {
            s.get(5..7)?.parse().ok()?
        } else {
            1
        };
        Some((y, m))
    };
    let (Some(mut at), Some(end)) = (parse(first), parse(last)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while at <= end && out.len() < 10_000 {
        out.push(if by == FacetBy::Month {
            format!("{:04}-{:02}", at.0, at.1)
        } else {
            format!("{:04}", at.0)
        });
        at = if by == FacetBy::Month {
            if at.1 == 12 {
                (at.0 + 1, 1)
            } else {
                (at.0, at.1 + 1)
            }
        } else {
            (at.0 + 1, 1)
        };
    }
    out
}

/// Answer a trend request.
pub fn trend(reader: &Reader, req: &TrendRequest) -> Result<Trend, SearchError> {
    let matched = req
        .queries
        .iter()
        .map(|q| matched_documents(reader, &req.search(q)))
        .collect::<Result<Vec<_>, _>>()?;
    trend_of_matches(reader, req, &matched)
}

/// Documents per bucket under a request's filters, and the notes on them.
fn bucket_totals(
    reader: &Reader,
    req: &TrendRequest,
) -> Result<(HashMap<String, usize>, Vec<String>), SearchError> {
    let list = docs::list(
        reader,
        &DocsRequest {
            search: req.search(""),
            ..DocsRequest::default()
        },
    )?;
    let mut totals: HashMap<String, usize> = HashMap::new();
    for d in &list.docs {
        for k in values(&d.meta, req.by) {
            *totals.entry(k).or_default() += 1;
        }
    }
    Ok((totals, list.notes))
}

/// Answer a trend request whose queries' matches are already grouped by
/// document (one [`MatchedDocuments`] per query, in order): a caller that
/// also counts facets matches once for both.
pub fn trend_of_matches(
    reader: &Reader,
    req: &TrendRequest,
    matched: &[MatchedDocuments],
) -> Result<Trend, SearchError> {
    // Documents per bucket depend on the filters alone: a server asked for
    // trend after trend on one snapshot works them out once.
    let key = format!("{:?} {:?} {:?}", req.filters, req.options, req.by);
    let totals = reader.memo(&key, || bucket_totals(reader, req))?;
    let (totals, mut notes) = (&totals.0, totals.1.clone());
    // Each query's matches per bucket.
    let per_query: Vec<HashMap<String, (usize, usize)>> = matched
        .iter()
        .map(|m| {
            notes.extend(m.notes.iter().cloned());
            facet_rows(m, req.by, FacetSort::Key)
                .into_iter()
                .map(|r| (r.value, (r.documents, r.passages)))
                .collect()
        })
        .collect();
    let keys: Vec<String> = match req.by {
        FacetBy::Year | FacetBy::Month => {
            let dated: BTreeMap<&String, ()> = totals
                .keys()
                .filter(|k| *k != NONE)
                .map(|k| (k, ()))
                .collect();
            let mut keys = match (dated.keys().next(), dated.keys().last()) {
                (Some(first), Some(last)) => time_range(first, last, req.by),
                _ => Vec::new(),
            };
            if totals.contains_key(NONE) {
                keys.push(NONE.to_string());
            }
            keys
        }
        _ => {
            let mut keys: Vec<(&String, &usize)> = totals.iter().collect();
            keys.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            keys.into_iter().map(|(k, _)| k.clone()).collect()
        }
    };
    let buckets = keys
        .into_iter()
        .map(|key| {
            let documents = totals.get(&key).copied().unwrap_or(0);
            let cells = per_query
                .iter()
                .map(|m| {
                    let (d, p) = m.get(&key).copied().unwrap_or((0, 0));
                    Cell {
                        documents: d,
                        passages: p,
                        share: (documents > 0).then(|| d as f64 / documents as f64),
                    }
                })
                .collect();
            Bucket {
                key,
                documents,
                cells,
            }
        })
        .collect();
    notes.sort();
    notes.dedup();
    Ok(Trend {
        by: req.by.name().to_string(),
        queries: req.queries.clone(),
        buckets,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_ranges_fill_the_gaps() {
        assert_eq!(
            time_range("2019", "2021", FacetBy::Year),
            vec!["2019", "2020", "2021"]
        );
        assert_eq!(
            time_range("2019-11", "2020-02", FacetBy::Month),
            vec!["2019-11", "2019-12", "2020-01", "2020-02"]
        );
        assert!(time_range("x", "2020", FacetBy::Year).is_empty());
    }
}

/// One (bucket, query) pair: the shape of `trend --json` and CSV rows.
#[derive(Debug, Clone, Serialize)]
pub struct TrendRow<'a> {
    /// What a bucket is.
    pub by: &'a str,
    /// The bucket.
    pub bucket: &'a str,
    /// Documents in the bucket.
    pub bucket_documents: usize,
    /// The query.
    pub query: &'a str,
    /// Documents in the bucket matching it.
    pub documents: usize,
    /// Their share of the bucket (`null` when it has no documents).
    pub share: Option<f64>,
    /// Matching passages.
    pub passages: usize,
}

impl Trend {
    /// Every (bucket, query) pair, bucket by bucket.
    pub fn rows(&self) -> Vec<TrendRow<'_>> {
        self.buckets
            .iter()
            .flat_map(|b| {
                b.cells
                    .iter()
                    .zip(&self.queries)
                    .map(move |(c, q)| TrendRow {
                        by: &self.by,
                        bucket: &b.key,
                        bucket_documents: b.documents,
                        query: q,
                        documents: c.documents,
                        share: c.share.map(|s| (s * 10_000.0).round() / 10_000.0),
                        passages: c.passages,
                    })
            })
            .collect()
    }
}
