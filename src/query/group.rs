//! Group hits by document: one entry per document with its hit count and best passages.

use std::collections::HashMap;

use tantivy::DocAddress;

use super::search::{load_hits, prepare, rank_keys, Hit, SearchError, SearchRequest};
use crate::document::DocumentMeta;
use crate::index::Reader;

/// One document's share of the hits.
#[derive(Debug, Clone)]
pub struct DocGroup {
    /// The document.
    pub meta: std::sync::Arc<DocumentMeta>,
    /// How many of its passages matched.
    pub hits: usize,
    /// Its best passages, best first.
    pub best: Vec<Hit>,
}

/// Passages shown per document.
pub const BEST_PER_DOC: usize = 3;

/// Which documents of a grouped search to return, in which order.
#[derive(Debug, Clone, Copy, Default)]
pub struct GroupPage {
    /// Documents skipped.
    pub offset: usize,
    /// Documents returned (`None`: all).
    pub n: Option<usize>,
    /// Newest document first (undated last), else best match first; ties
    /// keep the best-match order.
    pub newest_first: bool,
}

/// A page of document groups and how many documents matched in all.
#[derive(Debug, Clone, Default)]
pub struct Grouped {
    /// The page's documents.
    pub groups: Vec<DocGroup>,
    /// Documents with a matching passage.
    pub documents: usize,
    /// Corrections made to the query.
    pub notes: Vec<String>,
}

/// One document's matches while grouping: places in the ranked matches.
struct Pending {
    hits: usize,
    best: Vec<usize>,
    date: Option<i64>,
}

/// A request's matches grouped by document (documents in the order of their
/// best passage), ranked from fast fields and with only the passages a
/// returned group shows loaded: a broad query at scale matches hundreds of
/// thousands of passages and shows three for each of a page of documents.
pub fn search_grouped(
    reader: &Reader,
    request: &SearchRequest,
    page: GroupPage,
) -> Result<Grouped, SearchError> {
    let (compiled, searcher) = prepare(reader, request, true)?;
    let notes = compiled.notes.clone();
    let all =
        super::engine::every_match(&searcher, compiled.query.as_ref(), true).map_err(|source| {
            crate::index::IndexError::Tantivy {
                dir: reader.handle().dir.clone(),
                source,
            }
        })?;
    if all.is_empty() {
        return Ok(Grouped {
            notes,
            ..Grouped::default()
        });
    }
    let loader = reader.loader(&searcher).with_detail(request.detail);
    let ranked = rank_keys(reader, loader.open_columns(), &all, None)?;
    let mut pending: Vec<Pending> = Vec::new();
    let mut group_of: HashMap<u32, usize> = HashMap::new();
    for &i in &ranked.order {
        let at = *group_of.entry(ranked.document[i]).or_insert_with(|| {
            pending.push(Pending {
                hits: 0,
                best: Vec::with_capacity(BEST_PER_DOC),
                date: ranked.date[i],
            });
            pending.len() - 1
        });
        let group = &mut pending[at];
        group.hits += 1;
        if group.best.len() < BEST_PER_DOC {
            group.best.push(i);
        }
    }
    if page.newest_first {
        // Stable: within a date, best match first.
        pending.sort_by_key(|g| std::cmp::Reverse((g.date.is_some(), g.date)));
    }
    let documents = pending.len();
    let kept: Vec<Pending> = pending
        .into_iter()
        .skip(page.offset)
        .take(page.n.unwrap_or(usize::MAX))
        .collect();
    // Loaded in index order, as every search loads.
    let mut wanted: Vec<(f32, DocAddress)> = kept
        .iter()
        .flat_map(|g| g.best.iter().map(|&i| all[i]))
        .collect();
    wanted.sort_unstable_by_key(|&(_, addr)| addr);
    let hits = load_hits(reader, loader, &compiled.matchers, &wanted)?;
    let mut by_addr: HashMap<DocAddress, Hit> =
        wanted.iter().map(|&(_, addr)| addr).zip(hits).collect();
    let groups = kept
        .into_iter()
        .filter_map(|g| {
            let best: Vec<Hit> = g
                .best
                .iter()
                .filter_map(|&i| by_addr.remove(&all[i].1))
                .collect();
            Some(DocGroup {
                meta: best.first()?.meta.clone(),
                hits: g.hits,
                best,
            })
        })
        .collect();
    Ok(Grouped {
        groups,
        documents,
        notes,
    })
}
