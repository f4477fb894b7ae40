//! Every match of a query, with its score when asked, in index order.
//!
//! A large index ends as one big segment (bulk ingests merge into it), so
//! searching segment by segment leaves all but one core idle. A segment
//! this large is cut into doc-id ranges, one per core, each searched by its
//! own scorer (seeking to the range's start), and the parts joined in order.

use tantivy::query::{EnableScoring, Query, Weight};

use super::prune::Plan;
use crate::index::reader::{OrdSet, SegmentOrds};
use crate::query::rank::score_reaching;
use tantivy::{DocAddress, DocId, DocSet, Searcher, SegmentReader, TERMINATED};

/// Segments with fewer documents are searched whole, on one core: below
/// this, starting a thread costs more than the split saves (the index's
/// own notion of small, which also decides its segments).
const SPLIT_FROM: u32 = crate::index::SMALL_INDEX_DOCS;

/// One slice of work: a range of one segment's doc ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Part {
    segment: u32,
    start: DocId,
    end: DocId,
}

/// Every match of `query` in `searcher`, in index order, scored when `scored`
/// (the score is 0 otherwise). Deleted documents are left out.
pub fn every_match(
    searcher: &Searcher,
    query: &dyn Query,
    scored: bool,
) -> tantivy::Result<Vec<(f32, DocAddress)>> {
    let parts = for_parts(searcher, query, scored, |part, scorer, alive| {
        let mut out = Vec::new();
        each_in(part, scorer, alive, scored, |doc, score| {
            out.push((score, DocAddress::new(part.segment, doc)));
        });
        out
    })?;
    Ok(parts.into_iter().flatten().collect())
}

/// The `n` best matches, best first, ties going to the lower address (the
/// same hits, in the same order, as tantivy's `TopDocs` collector), followed
/// by every other match tied with the `n`-th: a caller that breaks ties by
/// something the walk cannot see gets them all in one walk. With a `plan`,
/// matches that cannot reach the `n`-th are passed over unscored.
pub fn top_matches(
    searcher: &Searcher,
    query: &dyn Query,
    n: usize,
    plan: Option<&Plan>,
) -> tantivy::Result<Vec<(f32, DocAddress)>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    // tantivy's walk of a union cannot start or stop inside a segment: parts
    // of one would each propose, and keep, the same passages.
    let split = match plan {
        Some(Plan::Union(_)) => Split::PerSegment,
        _ => Split::PerCore,
    };
    let parts = for_parts_split(searcher, query, true, split, |part, scorer, alive| {
        let mut best = Best::new(n);
        let reader = searcher.segment_reader(part.segment);
        let mut propose = |doc| {
            if seek_forward(scorer, doc) == doc && alive.is_none_or(|a| a.is_alive(doc)) {
                if let Some(score) = score_reaching(scorer, best.threshold()) {
                    best.push(score, DocAddress::new(part.segment, doc));
                }
            }
            best.threshold()
        };
        let phrase = match plan {
            Some(Plan::Phrase(phrase)) => phrase.in_segment(reader)?,
            _ => None,
        };
        match (plan, phrase) {
            (_, Some(mut bound)) => bound.candidates(part.start, part.end, propose),
            (Some(Plan::Union(union)), _) => union.candidates(reader, &mut propose)?,
            _ => {
                let mut doc = seek_forward(scorer, part.start);
                while doc != TERMINATED && doc < part.end {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        if let Some(score) = score_reaching(scorer, best.threshold()) {
                            best.push(score, DocAddress::new(part.segment, doc));
                        }
                    }
                    doc = scorer.advance();
                }
            }
        }
        Ok::<_, tantivy::TantivyError>(best.into_vec())
    })?;
    let mut all = Vec::new();
    for part in parts {
        all.extend(part?);
    }
    // A stable sort, for its speed on runs: a part's ties come in address
    // order, and a query scoring every match alike ties a million of them
    // (addresses are distinct, so it orders them as any sort would).
    all.sort_by(|a, b| by_rank(a, b).reverse());
    // Each part kept everything tied with its own n-th, which is at most
    // the whole's: cut at the whole's.
    let kth = all.get(n - 1).map(|&(cut, _)| cut);
    if let Some(cut) = kth {
        let end = all.partition_point(|&(score, _)| score >= cut);
        all.truncate(end);
    }
    // A plan whose walk skipped matches without the phrase vouches for its
    // top k only when they all beat those: else every match is scored.
    if let Some(Plan::Phrase(plan)) = plan {
        if !plan.covers(kth) {
            return top_matches(searcher, query, n, None);
        }
    }
    Ok(all)
}

/// Rank of a match: higher score first, then the lower address.
fn by_rank(a: &(f32, DocAddress), b: &(f32, DocAddress)) -> std::cmp::Ordering {
    a.0.partial_cmp(&b.0)
        .unwrap_or(std::cmp::Ordering::Equal)
        .then_with(|| b.1.cmp(&a.1))
}

/// The `n` best of the matches pushed in address order, and the others
/// tied with the `n`-th.
struct Best {
    n: usize,
    heap: std::collections::BinaryHeap<std::cmp::Reverse<Ranked>>,
    /// Matches outside the heap whose score equals its worst's.
    ties: Vec<Ranked>,
}

/// A match ordered by [`by_rank`].
struct Ranked(f32, DocAddress);

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        by_rank(&(self.0, self.1), &(other.0, other.1))
    }
}

impl Best {
    fn new(n: usize) -> Best {
        Best {
            n,
            heap: std::collections::BinaryHeap::with_capacity(n.min(1 << 16)),
            ties: Vec::new(),
        }
    }

    fn push(&mut self, score: f32, addr: DocAddress) {
        let entry = Ranked(score, addr);
        if self.heap.len() < self.n {
            self.heap.push(std::cmp::Reverse(entry));
            return;
        }
        let Some(mut worst) = self.heap.peek_mut() else {
            return;
        };
        // Addresses come in order, so a tie never displaces an earlier hit.
        if entry > worst.0 {
            let out = std::mem::replace(&mut *worst, std::cmp::Reverse(entry)).0;
            drop(worst);
            let cut = self.heap.peek().map_or(f32::NEG_INFINITY, |w| w.0 .0);
            if out.0 < cut {
                // Every tie was tied with `out`: all of them fell below too.
                self.ties.clear();
            } else {
                self.ties.push(out);
            }
        } else if entry.0 >= worst.0 .0 {
            self.ties.push(entry);
        }
    }

    /// The score a match must reach to be kept, once `n` are in.
    fn threshold(&self) -> Option<f32> {
        if self.heap.len() < self.n {
            return None;
        }
        self.heap.peek().map(|worst| worst.0 .0)
    }

    fn into_vec(self) -> Vec<(f32, DocAddress)> {
        self.heap
            .into_iter()
            .map(|std::cmp::Reverse(ranked)| ranked)
            .chain(self.ties)
            .map(|Ranked(score, addr)| (score, addr))
            .collect()
    }
}

/// How [`for_parts`] cuts the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Split {
    /// A large segment in one range per core.
    PerCore,
    /// Each segment whole.
    PerSegment,
}

/// What [`for_parts`] runs on each part: its scorer there, and which
/// documents are still alive.
trait EachPart<T>:
    Fn(Part, &mut dyn tantivy::query::Scorer, Option<&tantivy::fastfield::AliveBitSet>) -> T + Sync
{
}
impl<T, F> EachPart<T> for F where
    F: Fn(Part, &mut dyn tantivy::query::Scorer, Option<&tantivy::fastfield::AliveBitSet>) -> T
        + Sync
{
}

/// Run `each_part` on every part of the index, a large segment cut into one
/// range per core, in parallel when the index is large; the results come
/// back in index order.
fn for_parts<T: Send>(
    searcher: &Searcher,
    query: &dyn Query,
    scored: bool,
    each_part: impl EachPart<T>,
) -> tantivy::Result<Vec<T>> {
    for_parts_split(searcher, query, scored, Split::PerCore, each_part)
}

/// [`for_parts`], the index cut as `split` says.
fn for_parts_split<T: Send>(
    searcher: &Searcher,
    query: &dyn Query,
    scored: bool,
    split: Split,
    each_part: impl EachPart<T>,
) -> tantivy::Result<Vec<T>> {
    let scoring = if scored {
        EnableScoring::enabled_from_searcher(searcher)
    } else {
        EnableScoring::disabled_from_searcher(searcher)
    };
    let weight = query.weight(scoring)?;
    let weight: &dyn Weight = weight.as_ref();
    let max_docs: Vec<DocId> = searcher
        .segment_readers()
        .iter()
        .map(SegmentReader::max_doc)
        .collect();
    let total: u64 = max_docs.iter().map(|&d| u64::from(d)).sum();
    // A small index is walked on this thread; counting the cores reads
    // cgroup files, which a 2 ms query should not pay for.
    let cores = if total < u64::from(SPLIT_FROM) {
        1
    } else {
        crate::cores::available().min(8)
    };
    let pieces = match split {
        Split::PerCore => cores,
        Split::PerSegment => 1,
    };
    let parts = split_parts(&max_docs, pieces);
    let run = |part: Part| -> tantivy::Result<T> {
        let reader = searcher.segment_reader(part.segment);
        let mut scorer = weight.scorer(reader, 1.0)?;
        Ok(each_part(part, scorer.as_mut(), reader.alive_bitset()))
    };
    if parts.len() <= 1 || cores <= 1 {
        return parts.into_iter().map(run).collect();
    }
    use rayon::prelude::*;
    match walkers() {
        Some(pool) => pool.install(|| parts.into_par_iter().map(run).collect()),
        None => parts.into_iter().map(run).collect(),
    }
}

/// The threads that walk a large index's parts: one per core, at most 8,
/// started by the process's first such search and kept for its next ones,
/// so a batch of queries (`search -`, the server) no longer starts and
/// stops threads for each. `None` when they cannot be started: the parts
/// are then walked on the caller's thread.
fn walkers() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(crate::cores::available().min(8))
            .thread_name(|i| format!("ofsearch-walk-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Move `docs` to its first document at or after `target`; one already
/// there or past it stays (tantivy's `seek` must not be asked to go back).
pub(super) fn seek_forward<D: DocSet + ?Sized>(docs: &mut D, target: DocId) -> DocId {
    let doc = docs.doc();
    if doc < target {
        docs.seek(target)
    } else {
        doc
    }
}

/// Call `f` with every live match of `part` and its score (0 unless `scored`).
fn each_in(
    part: Part,
    scorer: &mut dyn tantivy::query::Scorer,
    alive: Option<&tantivy::fastfield::AliveBitSet>,
    scored: bool,
    mut f: impl FnMut(DocId, f32),
) {
    let mut doc = seek_forward(scorer, part.start);
    while doc != TERMINATED && doc < part.end {
        if alive.is_none_or(|a| a.is_alive(doc)) {
            f(doc, if scored { scorer.score() } else { 0.0 });
        }
        doc = scorer.advance();
    }
}

/// How many passages match, and for each segment holding some, the
/// distinct ordinals of their `path` (sorted): counted while matching, so a
/// count never lists its matches.
pub fn count_with_paths(
    searcher: &Searcher,
    query: &dyn Query,
) -> tantivy::Result<(usize, SegmentOrds)> {
    let parts = for_parts(searcher, query, false, |part, scorer, alive| {
        let column = searcher
            .segment_reader(part.segment)
            .fast_fields()
            .str("path")
            .ok()
            .flatten();
        let mut set = column.as_ref().map(OrdSet::for_column);
        let mut n = 0usize;
        each_in(part, scorer, alive, false, |doc, _| {
            n += 1;
            if let (Some(set), Some(column)) = (set.as_mut(), column.as_ref()) {
                set.insert_first_of(column, doc);
            }
        });
        (part.segment, n, set)
    })?;
    let mut total = 0;
    let mut per_segment: Vec<(u32, OrdSet)> = Vec::new();
    for (segment, n, set) in parts {
        total += n;
        if n == 0 {
            continue;
        }
        let Some(set) = set else { continue };
        match per_segment.last_mut() {
            Some((s, merged)) if *s == segment => merged.union_with(&set),
            _ => per_segment.push((segment, set)),
        }
    }
    let per_segment = per_segment
        .into_iter()
        .map(|(segment, set)| (segment, set.into_sorted()))
        .collect();
    Ok((total, per_segment))
}

/// The parts to search: each segment whole, or cut into `cores` equal
/// ranges when it is large.
fn split_parts(max_docs: &[DocId], cores: usize) -> Vec<Part> {
    let mut parts = Vec::new();
    for (segment, &max_doc) in (0u32..).zip(max_docs) {
        let pieces = if max_doc >= SPLIT_FROM {
            cores.max(1)
        } else {
            1
        };
        let pieces = u32::try_from(pieces).unwrap_or(1);
        let size = max_doc.div_ceil(pieces).max(1);
        let mut start = 0;
        while start < max_doc {
            let end = start.saturating_add(size).min(max_doc);
            parts.push(Part {
                segment,
                start,
                end,
            });
            start = end;
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_segments_are_searched_whole() {
        let parts = split_parts(&[10, 0, 5], 2);
        assert_eq!(
            parts,
            vec![
                Part {
                    segment: 0,
                    start: 0,
                    end: 10
                },
                Part {
                    segment: 2,
                    start: 0,
                    end: 5
                },
            ]
        );
    }

    #[test]
    fn a_large_segment_is_cut_into_ranges_that_cover_it() {
        let big = SPLIT_FROM * 3 + 7;
        let parts = split_parts(&[big], 3);
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].start, 0);
        assert_eq!(parts[2].end, big);
        for pair in parts.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
    }
}
