//! One page of results, with exact totals: what a web page or an API client
//! asks for (the CLI's `-n` is the first page of this, in rank order).

use super::group::{search_grouped, DocGroup, GroupPage};
use super::search::{count, search, Counted, Hit, SearchError, SearchRequest};
use crate::index::Reader;

/// Order of results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// Best match first (ties: newest, then path, then position).
    #[default]
    Relevance,
    /// Newest document first (undated last), best match first within a date.
    Date,
}

/// Which page of which results.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    /// The query and filters (its `limit` is ignored).
    pub search: SearchRequest,
    /// Order.
    pub order: Order,
    /// Results skipped (hits, or documents when grouped).
    pub offset: usize,
    /// Results on the page.
    pub n: usize,
    /// One entry per document.
    pub group: bool,
}

/// A page of results and the totals of the whole result set.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// Matching passages in all.
    pub passages: usize,
    /// Documents they belong to.
    pub documents: usize,
    /// This page's hits (when not grouped).
    pub hits: Vec<Hit>,
    /// This page's documents (when grouped).
    pub groups: Vec<DocGroup>,
    /// Corrections made to the query.
    pub notes: Vec<String>,
}

fn newest_first(
    a: &Option<crate::document::Day>,
    b: &Option<crate::document::Day>,
) -> std::cmp::Ordering {
    (b.is_some(), b).cmp(&(a.is_some(), a))
}

/// Answer a page request.
pub fn page(reader: &Reader, req: &PageRequest) -> Result<Page, SearchError> {
    let totals = count(reader, &req.search)?;
    page_with_totals(reader, req, totals)
}

/// Answer a page request whose totals are known already (a view that has
/// matched the request for its facets counts them from that).
pub fn page_with_totals(
    reader: &Reader,
    req: &PageRequest,
    totals: Counted,
) -> Result<Page, SearchError> {
    let mut out = Page {
        passages: totals.passages,
        documents: totals.documents,
        notes: totals.notes,
        ..Page::default()
    };
    if req.group {
        let grouped = search_grouped(
            reader,
            &req.search,
            GroupPage {
                offset: req.offset,
                n: Some(req.n),
                newest_first: req.order == Order::Date,
            },
        )?;
        out.groups = grouped.groups;
        return Ok(out);
    }
    let end = req.offset.saturating_add(req.n);
    let request = SearchRequest {
        limit: if req.order == Order::Date {
            None
        } else {
            Some(end)
        },
        ..req.search.clone()
    };
    let mut hits = search(reader, &request)?.hits;
    if req.order == Order::Date {
        // Stable: within a date, rank order stays.
        hits.sort_by(|a, b| newest_first(&a.meta.date, &b.meta.date));
    }
    out.hits = hits.into_iter().skip(req.offset).take(req.n).collect();
    Ok(out)
}
