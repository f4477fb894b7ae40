//! Run a query against the index: ranked hits with highlights, exact counts,
//! and exhaustive authority mentions.

use std::cmp::Ordering;

use tantivy::DocAddress;

use super::build::{compile, Analyzers, MatchOptions, Matcher};
use super::engine::Plan;
use super::filter::Resolved;
use super::highlight::{highlights, snippet};
use super::parse::{parse, Expr, FilterField, QueryError};
use super::MetaDetail;
use crate::document::{DocumentMeta, Passage};
use crate::gazetteer::Gazetteer;
use crate::index::{IndexError, OpenColumns, Reader};

/// A matching passage with its document's metadata.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The passage's document (shared by hits of the same document).
    pub meta: std::sync::Arc<DocumentMeta>,
    /// The passage.
    pub passage: Passage,
    /// BM25-based rank score.
    pub score: f32,
    /// Byte ranges in `passage.text` that matched.
    pub highlights: Vec<(usize, usize)>,
    /// The parts of its score, when asked for ([`SearchRequest::explain`]).
    pub explain: Option<super::rank::ScoreParts>,
}

impl Hit {
    /// The passage around its first match, with "…" where text is left out.
    /// Made when asked for: a text listing prints the passage itself.
    pub fn snippet(&self) -> String {
        snippet(&self.passage.text, &self.highlights)
    }
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
    /// How much of each hit's document to read: a printer that shows only
    /// the header asks for [`MetaDetail::Header`] and is spared the rest.
    pub detail: MetaDetail,
    /// Say how each hit's score is made (ranked searches with a limit).
    pub explain: bool,
}

impl SearchRequest {
    /// The parsed query: `None` for filters alone; an empty query without
    /// filters is an error.
    pub fn expr(&self) -> Result<Option<Expr>, QueryError> {
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

/// Up to this many hits tied past the limit are loaded and ordered whole;
/// more are ordered by keys read from fast fields first.
const LOAD_TIES_UP_TO: usize = 64;

/// Hits, with any corrections made to the query.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Ranked hits.
    pub hits: Vec<Hit>,
    /// Corrections to tell the user about (misspelt names taken as known ones).
    pub notes: Vec<String>,
}

/// Exact counts, with any corrections made to the query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counted {
    /// Matching passages.
    pub passages: usize,
    /// Documents they belong to.
    pub documents: usize,
    /// Corrections to tell the user about.
    pub notes: Vec<String>,
}

/// The request compiled against a snapshot of the index; `scored` when its
/// matches' scores are used.
pub(super) fn prepare(
    reader: &Reader,
    request: &SearchRequest,
    scored: bool,
) -> Result<(super::build::Compiled, tantivy::Searcher), SearchError> {
    let expr = request.expr()?;
    let searcher = reader.searcher();
    let compiled = compile(
        reader.handle(),
        &searcher,
        expr.as_ref(),
        &request.filters,
        request.options,
        scored,
    )?;
    Ok((compiled, searcher))
}

/// Ranked hits for a request.
pub fn search(reader: &Reader, request: &SearchRequest) -> Result<Found, SearchError> {
    let handle = reader.handle();
    let (compiled, searcher) = prepare(reader, request, true)?;
    let notes = compiled.notes.clone();
    let index_err = |source| IndexError::Tantivy {
        dir: handle.dir.clone(),
        source,
    };
    let mut top = match request.limit {
        Some(0) => {
            return Ok(Found {
                hits: Vec::new(),
                notes,
            })
        }
        Some(k) => {
            let plan = Plan::of(compiled.query.as_ref(), &searcher, compiled.phrases_exact);
            // Ties with the k-th hit are ordered by document (newest first),
            // which the walk cannot see: it keeps every match tied with the
            // k-th, and they are ordered below.
            super::engine::top_matches(&searcher, compiled.query.as_ref(), k, plan.as_ref())
        }
        None => super::engine::every_match(&searcher, compiled.query.as_ref(), true),
    }
    .map_err(index_err)?;
    if top.is_empty() {
        return Ok(Found {
            hits: Vec::new(),
            notes,
        });
    }
    // The ranking by keys and the loader read the same columns: opened once.
    let loader = reader.loader(&searcher).with_detail(request.detail);
    if let Some(k) = request.limit {
        // Many ties with the k-th: ranked by keys read from fast fields, and
        // only the k best loaded.
        if top.len() > k.saturating_add(LOAD_TIES_UP_TO) {
            top = rank_by_keys(reader, loader.open_columns(), &top, Some(k))?;
        }
    }
    // Load in index order: the doc store decompresses each block once, not once
    // per hit; `rank_order` below restores the ranking.
    top.sort_unstable_by_key(|(_, addr)| *addr);
    let mut hits = load_hits(reader, loader, &compiled.matchers, &top)?;
    if request.explain {
        explain_hits(reader, &searcher, compiled.query.as_ref(), &top, &mut hits)?;
    }
    hits.sort_by(rank_order);
    if let Some(k) = request.limit {
        hits.truncate(k);
    }
    Ok(Found { hits, notes })
}

/// Each hit's score parts, `hits` loaded from `top` in the same order.
fn explain_hits(
    reader: &Reader,
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
    top: &[(f32, DocAddress)],
    hits: &mut [Hit],
) -> Result<(), SearchError> {
    let Some(weighed) = query.downcast_ref::<super::rank::Weighed>() else {
        return Ok(());
    };
    for (hit, (_, addr)) in hits.iter_mut().zip(top) {
        let parts = weighed
            .explain(searcher, *addr)
            .map_err(|source| IndexError::Tantivy {
                dir: reader.handle().dir.clone(),
                source,
            })?;
        hit.explain = Some(parts);
    }
    Ok(())
}

/// Rank keys of at least this many hits are read on two threads.
const PARALLEL_KEYS_FROM: usize = 4096;

/// Result sets at least this large are loaded and highlighted on several
/// threads: decompressing their doc-store blocks dominates a long listing.
const PARALLEL_FROM: usize = 128;

/// Load and highlight hits given in index order, on up to all cores for large sets.
pub(super) fn load_hits(
    reader: &Reader,
    mut loader: crate::index::loader::Loader<'_>,
    matchers: &[Matcher],
    top: &[(f32, DocAddress)],
) -> Result<Vec<Hit>, SearchError> {
    // Each part's metadata is read by `Loader::passages`, once per document
    // across the clones.
    let threads = if top.len() >= PARALLEL_FROM {
        crate::cores::available().min(4)
    } else {
        1
    };
    if threads <= 1 {
        return load_part(reader, &mut loader, matchers, top);
    }
    // Contiguous parts, so each thread decompresses its own run of blocks.
    let size = top.len().div_ceil(threads);
    let mut parts = top.chunks(size);
    let first = parts.next().unwrap_or_default();
    std::thread::scope(|scope| {
        let others: Vec<_> = parts
            .map(|part| {
                let mut loader = loader.clone();
                scope.spawn(move || load_part(reader, &mut loader, matchers, part))
            })
            .collect();
        let mut hits = load_part(reader, &mut loader, matchers, first)?;
        for handle in others {
            match handle.join() {
                Ok(part) => hits.extend(part?),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok(hits)
    })
}

fn load_part(
    reader: &Reader,
    loader: &mut crate::index::loader::Loader<'_>,
    matchers: &[Matcher],
    part: &[(f32, DocAddress)],
) -> Result<Vec<Hit>, SearchError> {
    let mut analyzers = Analyzers::of(reader.handle());
    let mut hits = Vec::with_capacity(part.len());
    let addrs: Vec<DocAddress> = part.iter().map(|(_, addr)| *addr).collect();
    let stored = loader.passages(&addrs)?;
    for (&(score, _), stored) in part.iter().zip(stored) {
        let spans = highlights(&stored.passage.text, matchers, &mut analyzers);
        hits.push(Hit {
            highlights: spans,
            meta: stored.meta,
            passage: stored.passage,
            score,
            explain: None,
        });
    }
    Ok(hits)
}

/// Exact number of matching passages and of the documents they belong to.
pub fn count(reader: &Reader, request: &SearchRequest) -> Result<Counted, SearchError> {
    let (compiled, searcher) = prepare(reader, request, false)?;
    let (passages, paths) = super::engine::count_with_paths(&searcher, compiled.query.as_ref())
        .map_err(|source| IndexError::Tantivy {
            dir: reader.handle().dir.clone(),
            source,
        })?;
    let documents = reader.distinct_paths_of(&searcher, paths)?;
    Ok(Counted {
        passages,
        documents,
        notes: compiled.notes,
    })
}

/// Every matching passage's address, in index order.
fn matching(
    reader: &Reader,
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
) -> Result<Vec<DocAddress>, SearchError> {
    let found = super::engine::every_match(searcher, query, false).map_err(|source| {
        IndexError::Tantivy {
            dir: reader.handle().dir.clone(),
            source,
        }
    })?;
    let mut addrs: Vec<DocAddress> = found.into_iter().map(|(_, addr)| addr).collect();
    // Already in order when the segments come in order (a linear check).
    addrs.sort_unstable();
    Ok(addrs)
}

/// Addresses of every passage matching a request, the searcher they belong
/// to, and the corrections made to the query.
pub fn matching_request(
    reader: &Reader,
    request: &SearchRequest,
) -> Result<(Vec<DocAddress>, tantivy::Searcher, Vec<String>), SearchError> {
    let (compiled, searcher) = prepare(reader, request, false)?;
    let addrs = matching(reader, &searcher, compiled.query.as_ref())?;
    Ok((addrs, searcher, compiled.notes))
}

/// Newest first among equals: score, then date (newest), then path, then paragraph.
fn rank_order(a: &Hit, b: &Hit) -> Ordering {
    b.score
        .partial_cmp(&a.score)
        .unwrap_or(Ordering::Equal)
        .then_with(|| document_order((&a.meta.date, &a.meta.path), (&b.meta.date, &b.meta.path)))
        .then_with(|| a.passage.paragraph.cmp(&b.passage.paragraph))
}

/// Documents in rank order among equal scores: newest first (undated last,
/// as `None` sorts below any date), then by path. One definition for the
/// ranked search (dates as text) and listings (dates as timestamps).
fn document_order<D: Ord>(a: (&D, &String), b: (&D, &String)) -> Ordering {
    b.0.cmp(a.0).then_with(|| a.1.cmp(b.1))
}

/// Every passage that names `authority` (any of its names), grouped by document
/// in date order (undated last), then by position.
pub fn mentions(
    reader: &Reader,
    authority: &str,
    filters: &[Vec<Resolved>],
) -> Result<Found, SearchError> {
    let mut notes = Vec::new();
    let canonical = super::filter::resolve_authority(authority, &mut notes)?;
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
        detail: Default::default(),
        explain: false,
    };
    let mut found = search(reader, &request)?;
    found.notes.extend(notes);
    let hits = &mut found.hits;
    let gazetteer = Gazetteer::get();
    for hit in hits.iter_mut() {
        hit.highlights = gazetteer
            .find_all(&hit.passage.text)
            .into_iter()
            .filter(|m| m.authority == canonical)
            .map(|m| (m.start, m.end))
            .collect();
    }
    hits.sort_by(|a, b| {
        let date = |h: &Hit| (h.meta.date.is_none(), h.meta.date);
        date(a)
            .cmp(&date(b))
            .then_with(|| a.meta.path.cmp(&b.meta.path))
            .then_with(|| a.passage.paragraph.cmp(&b.passage.paragraph))
    });
    Ok(found)
}

/// The `n` passages before and after a hit, in document order.
pub fn context(
    reader: &Reader,
    hit: &Hit,
    n: usize,
) -> Result<(Vec<Passage>, Vec<Passage>), SearchError> {
    if n == 0 {
        return Ok((Vec::new(), Vec::new()));
    }
    let at = hit.passage.paragraph;
    let searcher = reader.searcher();
    let around = reader.passages_between(
        &searcher,
        &hit.meta.path,
        at.saturating_sub(n),
        at.saturating_add(n),
    )?;
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for p in around {
        match p.passage.paragraph.cmp(&at) {
            Ordering::Less => before.push(p.passage),
            Ordering::Greater => after.push(p.passage),
            Ordering::Equal => {}
        }
    }
    Ok((before, after))
}

/// Highlight spans of a query in each of these texts (a document's passages
/// shown whole), as search results highlight them.
pub fn highlight_texts(
    reader: &Reader,
    query: &str,
    options: MatchOptions,
    texts: &[&str],
) -> Result<Vec<Vec<(usize, usize)>>, SearchError> {
    let expr = parse(query)?;
    let searcher = reader.searcher();
    let compiled = compile(reader.handle(), &searcher, Some(&expr), &[], options, true)?;
    let mut analyzers = Analyzers::of(reader.handle());
    Ok(texts
        .iter()
        .map(|t| highlights(t, &compiled.matchers, &mut analyzers))
        .collect())
}

/// Every hit of a request in rank order, handed to `each` a chunk at a time
/// (stop by returning `false`): only a chunk's passages are loaded at once,
/// and the next chunk is loaded on another thread while `each` writes this
/// one. `on_notes` gets the corrections made to the query before any hit.
pub fn for_each_chunk(
    reader: &Reader,
    request: &SearchRequest,
    chunk: usize,
    on_notes: impl FnOnce(&[String]),
    each: impl FnMut(Vec<Hit>) -> bool,
) -> Result<(), SearchError> {
    for_each_chunk_formatted(reader, request, chunk, on_notes, |_, hits| hits, each)
}

/// [`for_each_chunk`], with each chunk turned into what `each` takes by
/// `format` (given the chunk and the place of its first hit in the whole
/// listing) on the loading threads: a printer formats chunks on every core
/// while the caller only writes them out, in order.
pub fn for_each_chunk_formatted<T: Send>(
    reader: &Reader,
    request: &SearchRequest,
    chunk: usize,
    on_notes: impl FnOnce(&[String]),
    format: impl Fn(usize, Vec<Hit>) -> T + Sync,
    mut each: impl FnMut(T) -> bool,
) -> Result<(), SearchError> {
    let handle = reader.handle();
    let (compiled, searcher) = prepare(reader, request, true)?;
    on_notes(&compiled.notes);
    let index_err = |source| IndexError::Tantivy {
        dir: handle.dir.clone(),
        source,
    };
    // Every match with its score, in one pass (no count first).
    let top =
        super::engine::every_match(&searcher, compiled.query.as_ref(), true).map_err(index_err)?;
    if top.is_empty() {
        return Ok(());
    }
    let loader = reader.loader(&searcher).with_detail(request.detail);
    if top.len() <= chunk {
        // One chunk: loaded on every core at once, nothing to overlap.
        let mut top = top;
        top.sort_unstable_by_key(|(_, addr)| *addr);
        let mut hits = load_hits(reader, loader, &compiled.matchers, &top)?;
        hits.sort_by(rank_order);
        each(format(0, hits));
        return Ok(());
    }
    let keyed = rank_by_keys(reader, loader.open_columns(), &top, None)?;
    let matchers = &compiled.matchers;
    // Chunks are dealt round-robin to one loader per core and taken back in
    // order: loading (decompressing, highlighting) runs on every core while
    // the caller writes what is ready.
    let workers = crate::cores::available().min(4);
    let chunks: Vec<&[(f32, DocAddress)]> = keyed.chunks(chunk.max(1)).collect();
    let format = &format;
    let decoded = std::thread::scope(|scope| {
        let mut inboxes = Vec::with_capacity(workers);
        let mut loaders = Vec::with_capacity(workers);
        for w in 0..workers {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Result<T, SearchError>>(1);
            inboxes.push(rx);
            let mut loader = loader.clone();
            let chunks = &chunks;
            loaders.push(scope.spawn(move || {
                for (k, part) in chunks.iter().enumerate().skip(w).step_by(workers) {
                    // Loaded in index order, then put back in the chunk's
                    // (rank) order: `at[j]` is the rank of the j-th loaded hit.
                    let mut at: Vec<usize> = (0..part.len()).collect();
                    at.sort_unstable_by_key(|&i| part[i].1);
                    let load: Vec<(f32, DocAddress)> = at.iter().map(|&i| part[i]).collect();
                    let hits = load_part(reader, &mut loader, matchers, &load).map(|hits| {
                        let mut ranked: Vec<(usize, Hit)> = at.into_iter().zip(hits).collect();
                        ranked.sort_unstable_by_key(|(i, _)| *i);
                        let hits = ranked.into_iter().map(|(_, hit)| hit).collect();
                        format(k * chunk.max(1), hits)
                    });
                    let failed = hits.is_err();
                    // The inbox is gone once `each` asked to stop.
                    if tx.send(hits).is_err() || failed {
                        break;
                    }
                }
                loader.into_decoded()
            }));
        }
        for k in 0..chunks.len() {
            let Some(hits) = inboxes.get(k % workers).and_then(|rx| rx.recv().ok()) else {
                break;
            };
            if !each(hits?) {
                break;
            }
        }
        // Dropping the inboxes stops the loaders that are still ahead.
        drop(inboxes);
        let decoded: Vec<_> = loaders
            .into_iter()
            .map(|l| {
                l.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect();
        Ok::<_, SearchError>(decoded)
    });
    // The metadata of every listed document is freed off the caller's time.
    let mut decoded = decoded?;
    decoded.push(loader.into_decoded());
    crate::index::loader::Decoded::free_in_background(decoded);
    Ok(())
}

/// `top` in `rank_order`, from the keys it sorts by read out of fast fields
/// (dates, paths and positions), without loading any passage or decoding
/// any metadata; only the `best` first when given.
fn rank_by_keys(
    reader: &Reader,
    columns: &OpenColumns,
    top: &[(f32, DocAddress)],
    best: Option<usize>,
) -> Result<Vec<(f32, DocAddress)>, IndexError> {
    let ranked = rank_keys(reader, columns, top, best)?;
    Ok(ranked.order.into_iter().map(|i| top[i]).collect())
}

/// Hits put in `rank_order` from fast fields (see [`rank_by_keys`]), with
/// what that read about their documents.
pub(super) struct RankedKeys {
    /// Places in the hits given, in rank order (only the best ones when
    /// asked for fewer).
    pub order: Vec<usize>,
    /// For each hit given, its document's place in document order (newest
    /// first, then by path): equal for the passages of one document.
    pub document: Vec<u32>,
    /// For each hit given, its document's date (a Unix timestamp).
    pub date: Vec<Option<i64>>,
}

/// See [`RankedKeys`].
pub(super) fn rank_keys(
    reader: &Reader,
    columns: &OpenColumns,
    top: &[(f32, DocAddress)],
    best: Option<usize>,
) -> Result<RankedKeys, IndexError> {
    let addrs: Vec<DocAddress> = top.iter().map(|(_, a)| *a).collect();
    // Two independent reads of fast fields, side by side when there are
    // enough to pay for a thread (the ties of a top-10 are a few hundred).
    let (paragraphs, keys) = if addrs.len() < PARALLEL_KEYS_FROM || crate::cores::available() < 2 {
        (
            reader.paragraphs(columns, &addrs)?,
            reader.document_keys(columns, &addrs)?,
        )
    } else {
        std::thread::scope(|scope| {
            let paragraphs = scope.spawn(|| reader.paragraphs(columns, &addrs));
            let keys = reader.document_keys(columns, &addrs);
            let paragraphs = paragraphs
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            Ok::<_, IndexError>((paragraphs?, keys?))
        })?
    };
    let ranks = document_ranks(&keys);
    let date = keys
        .of_passage
        .iter()
        .map(|&doc| keys.docs.get(doc as usize).and_then(|d| d.0))
        .collect();
    // One integer per hit sorts as (score, document rank, paragraph), ties
    // kept in index order (the hit's place in `top`): the order of a stable
    // sort on those keys, at the cost of an unstable one.
    let mut packed: Vec<u128> = (0u32..)
        .zip(top.iter().zip(paragraphs.iter().zip(&ranks)))
        .map(|(i, (&(score, _), (&paragraph, &rank)))| {
            u128::from(!ordered_bits(score)) << 96
                | u128::from(rank) << 64
                | u128::from(u32::try_from(paragraph).unwrap_or(u32::MAX)) << 32
                | u128::from(i)
        })
        .collect();
    // Keys are distinct (each ends with its place), so the `best` picked
    // out and sorted are the first `best` of sorting them all: a top 10 of
    // a million tied matches sorts ten.
    match best {
        Some(k) if k < packed.len() => {
            if k > 0 {
                packed.select_nth_unstable(k - 1);
            }
            packed.truncate(k);
            packed.sort_unstable();
        }
        _ => packed.sort_unstable(),
    }
    // The low 32 bits are the hit's place in `top`.
    Ok(RankedKeys {
        order: packed
            .into_iter()
            .map(|key| (key & u128::from(u32::MAX)) as usize)
            .collect(),
        document: ranks,
        date,
    })
}

/// For each hit's document, its place in [`rank_order`]'s order of documents
/// (newest first, undated last, then by path); the same document always gets
/// the same number. Sorting hits by these numbers compares integers, not dates
/// and paths, tens of thousands of times.
fn document_ranks(keys: &crate::index::doc_keys::DocumentKeys) -> Vec<u32> {
    let docs = &keys.docs;
    let by_document = |a: &(Option<i64>, String), b: &(Option<i64>, String)| {
        document_order((&a.0, &a.1), (&b.0, &b.1))
    };
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_unstable_by(|&a, &b| by_document(&docs[a], &docs[b]));
    let mut rank_of = vec![0u32; docs.len()];
    let mut rank = 0u32;
    for (i, &doc) in order.iter().enumerate() {
        if i > 0 && by_document(&docs[order[i - 1]], &docs[doc]).is_ne() {
            rank += 1;
        }
        rank_of[doc] = rank;
    }
    keys.of_passage
        .iter()
        .map(|&doc| rank_of.get(doc as usize).copied().unwrap_or(u32::MAX))
        .collect()
}

/// A score's bits, ordered as the scores are (scores are never NaN; -0
/// counts as 0, as it compares).
fn ordered_bits(score: f32) -> u32 {
    let bits = if score == 0.0 { 0 } else { score.to_bits() };
    if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    }
}

#[cfg(test)]
mod tests {
    use super::ordered_bits;

    #[test]
    fn score_bits_order_as_scores() {
        let scores = [-3.5f32, -1.0, -0.0, 0.0, 1e-30, 0.5, 1.0, 7.25, f32::MAX];
        for pair in scores.windows(2) {
            assert!(ordered_bits(pair[0]) <= ordered_bits(pair[1]), "{pair:?}");
        }
        assert_eq!(ordered_bits(-0.0), ordered_bits(0.0));
    }
}
