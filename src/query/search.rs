//! Run a query against the index: ranked hits with highlights, exact counts,
//! and exhaustive authority mentions.

use std::cmp::Ordering;

use tantivy::collector::{Count, TopDocs};
use tantivy::DocAddress;

use super::build::{compile, Analyzers, MatchOptions};
use super::filter::Resolved;
use super::highlight::{highlights, snippet};
use super::parse::{parse, Expr, FilterField, QueryError};
use crate::document::{DocumentMeta, Passage};
use crate::gazetteer::Gazetteer;
use crate::index::{IndexError, Reader};

/// A matching passage with its document's metadata.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The passage's document.
    pub meta: DocumentMeta,
    /// The passage.
    pub passage: Passage,
    /// BM25-based rank score.
    pub score: f32,
    /// The passage around its first match.
    pub snippet: String,
    /// Byte ranges in `passage.text` that matched.
    pub highlights: Vec<(usize, usize)>,
}

/// A search failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query is malformed.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// The index could not be read.
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The query string, in the query language; empty means filters only.
    pub query: String,
    /// Filters from command-line flags: each group is OR-ed within, and the
    /// groups are AND-ed with each other and the query.
    pub filters: Vec<Vec<Resolved>>,
    /// Stemming on or off.
    pub options: MatchOptions,
    /// Most hits to return; `None` for all.
    pub limit: Option<usize>,
}

impl SearchRequest {
    fn expr(&self) -> Result<Option<Expr>, QueryError> {
        if self.query.trim().is_empty() {
            if self.filters.is_empty() {
                return Err(QueryError::new(
                    "empty query",
                    "type at least one word, or give a filter such as --authority",
                ));
            }
            return Ok(None);
        }
        parse(&self.query).map(Some)
    }
}

/// Extra candidates fetched beyond the limit so ties at the cut are ordered stably.
const TIE_MARGIN: usize = 64;

/// Ranked hits for a request.
pub fn search(reader: &Reader, request: &SearchRequest) -> Result<Vec<Hit>, SearchError> {
    let expr = request.expr()?;
    let handle = reader.handle();
    let compiled = compile(handle, expr.as_ref(), &request.filters, request.options)?;
    let searcher = reader.searcher();
    let index_err = |source| IndexError::Tantivy {
        dir: handle.dir.clone(),
        source,
    };
    let fetch = match request.limit {
        Some(0) => return Ok(Vec::new()),
        Some(k) => k.saturating_add(TIE_MARGIN),
        None => searcher
            .search(compiled.query.as_ref(), &Count)
            .map_err(index_err)?,
    };
    if fetch == 0 {
        return Ok(Vec::new());
    }
    let mut top: Vec<(f32, DocAddress)> = searcher
        .search(
            compiled.query.as_ref(),
            &TopDocs::with_limit(fetch).order_by_score(),
        )
        .map_err(index_err)?;
    // Load in index order: the doc store decompresses each block once, not once
    // per hit; `rank_order` below restores the ranking.
    top.sort_unstable_by_key(|(_, addr)| *addr);
    let mut analyzers = Analyzers::of(handle);
    let mut hits = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let stored = reader.passage(&searcher, addr)?;
        let spans = highlights(&stored.passage.text, &compiled.matchers, &mut analyzers);
        hits.push(Hit {
            snippet: snippet(&stored.passage.text, &spans),
            highlights: spans,
            meta: stored.meta,
            passage: stored.passage,
            score,
        });
    }
    hits.sort_by(rank_order);
    if let Some(k) = request.limit {
        hits.truncate(k);
    }
    Ok(hits)
}

/// Exact number of matching passages and of the documents they belong to.
pub fn count(reader: &Reader, request: &SearchRequest) -> Result<(usize, usize), SearchError> {
    let expr = request.expr()?;
    let handle = reader.handle();
    let compiled = compile(handle, expr.as_ref(), &request.filters, request.options)?;
    let searcher = reader.searcher();
    let addrs = searcher
        .search(
            compiled.query.as_ref(),
            &tantivy::collector::DocSetCollector,
        )
        .map_err(|source| IndexError::Tantivy {
            dir: handle.dir.clone(),
            source,
        })?;
    let mut paths = std::collections::HashSet::new();
    for addr in &addrs {
        let stored = reader.passage(&searcher, *addr)?;
        paths.insert(stored.meta.path);
    }
    Ok((addrs.len(), paths.len()))
}

/// Newest first among equals: score, then date (newest), then path, then paragraph.
fn rank_order(a: &Hit, b: &Hit) -> Ordering {
    b.score
        .partial_cmp(&a.score)
        .unwrap_or(Ordering::Equal)
        .then_with(|| b.meta.date.cmp(&a.meta.date))
        .then_with(|| a.meta.path.cmp(&b.meta.path))
        .then_with(|| a.passage.paragraph.cmp(&b.passage.paragraph))
}

/// Every passage that names `authority` (any of its names), grouped by document
/// in date order (undated last), then by position.
pub fn mentions(
    reader: &Reader,
    authority: &str,
    filters: &[Vec<Resolved>],
) -> Result<Vec<Hit>, SearchError> {
    let canonical = super::filter::resolve_authority(authority)?;
    let mut all = filters.to_vec();
    all.push(vec![Resolved::Keyword(
        FilterField::Mentions,
        canonical.to_string(),
    )]);
    let request = SearchRequest {
        query: String::new(),
        filters: all,
        options: MatchOptions::default(),
        limit: None,
    };
    let mut hits = search(reader, &request)?;
    let gazetteer = Gazetteer::get();
    for hit in &mut hits {
        hit.highlights = gazetteer
            .find_all(&hit.passage.text)
            .into_iter()
            .filter(|m| m.authority == canonical)
            .map(|m| (m.start, m.end))
            .collect();
        hit.snippet = snippet(&hit.passage.text, &hit.highlights);
    }
    hits.sort_by(|a, b| {
        let date = |h: &Hit| (h.meta.date.is_none(), h.meta.date.clone());
        date(a)
            .cmp(&date(b))
            .then_with(|| a.meta.path.cmp(&b.meta.path))
            .then_with(|| a.passage.paragraph.cmp(&b.passage.paragraph))
    });
    Ok(hits)
}
