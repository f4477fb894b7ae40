//! Exact top-k pruning for searches for a phrase, a word, or several words
//! (their phrase ranked first), with or without filters.
//!
//! Scoring a phrase means reading every candidate's positions, which is most
//! of a top-10 search over a large index. A phrase occurs in a passage at
//! most as often as its rarest word does, and BM25 grows with the count, so
//! the phrase's BM25 weight applied to the words' counts (read without
//! positions) bounds a passage's score from above. A passage whose bound
//! cannot beat the k-th best score so far is passed over unread; every other
//! one is scored by the query's own scorer. The hits, scores and their order
//! are therefore those of scoring every match. A word alone is a phrase of
//! one; the other required clauses and filters add at most their maxima.

use super::every::seek_forward;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{BlockSegmentPostings, Postings, SegmentPostings};
use tantivy::query::{
    Bm25StatisticsProvider, Bm25Weight, BooleanQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, Score, Searcher, SegmentReader, Term};

use super::boosted::BoostedPhrase;
use crate::index::passage_kinds::SegmentKinds;
use crate::query::rank::kind_weight;

/// A query that can be pruned: its clauses required (nested conjunctions
/// included), at most one of them a phrase, the others single terms; with no
/// phrase, the term that can add the most is pruned on as a phrase of one
/// word. The phrase must be exact (no slop): a sloppy phrase can match more
/// often than its rarest word occurs.
///
/// The phrase may instead be optional and boosted ([`BoostedPhrase`], how a
/// search for several words ranks passages holding them as a phrase first).
/// The walk then sees only the passages holding all of the phrase's words,
/// and its top k is exact only when the k-th score is above the most a
/// passage without the phrase can score ([`PhrasePlan::covers`]).
pub struct PhrasePlan {
    /// The phrase's distinct words.
    words: Vec<Term>,
    /// The phrase's BM25 weight, as its scorer computes it (boost included).
    weight: Bm25Weight,
    /// The most the other clauses can add to a score.
    rest_max: f32,
    /// The phrase field's average length over the whole index.
    average: f32,
    /// Whether a match may lack the phrase.
    optional: bool,
    /// Whether the query's scores are weighed ([`crate::query::rank`]): a
    /// passage's bound then takes its length's weight too (the phrase
    /// field's length is the weighed field's: one tokenizer).
    weighed: bool,
    /// [`PhrasePlan::bound`] of each count up to [`TABLED_COUNTS`] (rows)
    /// and each field norm id (columns), worked out once per query: the
    /// walk asks for one per posting of the lead word, and a division each
    /// was most of the walk's own time.
    bounds: Vec<f32>,
}

/// Counts whose bounds [`PhrasePlan::bounds`] holds; a passage naming the
/// phrase's words more often has its bound worked out.
const TABLED_COUNTS: u32 = 8;

/// Field norm ids: one byte.
const NORM_IDS: usize = 256;

/// A query's required terms and its phrase, gathered from its clauses.
#[derive(Default)]
pub(super) struct Shape<'q> {
    phrase: Option<(&'q PhraseQuery, Score)>,
    optional: bool,
    /// Each required term and the most it can add to a score.
    terms: Vec<(&'q Term, f32)>,
    /// The most the required filters (a choice among values) can add.
    filters: f32,
    /// The fewest passages a required filter can match (`None`: unknown,
    /// or no filter).
    narrowest_filter: Option<u64>,
}

impl<'q> Shape<'q> {
    /// Gather a required clause; `None` when it is of another kind.
    pub(super) fn require(&mut self, clause: &'q dyn Query, searcher: &Searcher) -> Option<()> {
        if let Some(p) = clause.downcast_ref::<PhraseQuery>() {
            self.set_phrase(p, 1.0)
        } else if let Some(t) = clause.downcast_ref::<TermQuery>() {
            self.terms.push((t.term(), term_max(t, searcher)?));
            Some(())
        } else if let Some(b) = clause.downcast_ref::<BooleanQuery>() {
            if b.clauses().iter().all(|(occur, _)| *occur == Occur::Should) {
                let (max, matches) = filter_group(b, searcher)?;
                self.filters += max;
                if let Some(docs) = matches {
                    self.narrowest_filter =
                        Some(self.narrowest_filter.map_or(docs, |n| n.min(docs)));
                }
                return Some(());
            }
            // A conjunction inside a conjunction: its clauses are required too.
            for (occur, inner) in b.clauses() {
                if *occur != Occur::Must {
                    return None;
                }
                self.require(inner.as_ref(), searcher)?;
            }
            Some(())
        } else {
            None
        }
    }

    /// Whether a phrase was gathered.
    pub(super) fn has_phrase(&self) -> bool {
        self.phrase.is_some()
    }

    /// The most the required terms and filters gathered can add to a score.
    pub(super) fn rest_max(&self) -> f32 {
        self.terms.iter().map(|(_, max)| max).sum::<f32>() + self.filters
    }

    /// See the field of that name.
    pub(super) fn narrowest_filter(&self) -> Option<u64> {
        self.narrowest_filter
    }

    fn set_phrase(&mut self, phrase: &'q PhraseQuery, boost: Score) -> Option<()> {
        if self.phrase.is_some() {
            return None;
        }
        self.phrase = Some((phrase, boost));
        Some(())
    }
}

/// A filter of more values than this is not planned with.
const MAX_FILTER_VALUES: usize = 64;

/// A filter (any of several values, each adding its score): the most it
/// adds, and how many passages it matches at most when that is known
/// without matching. `None` when `b` is not all optional values.
fn filter_group(b: &BooleanQuery, searcher: &Searcher) -> Option<(f32, Option<u64>)> {
    // A prefix standing for hundreds of words is no filter: not worth a
    // lookup per word to plan with.
    if b.clauses().len() > MAX_FILTER_VALUES {
        return None;
    }
    let mut most = 0.0;
    let mut matches = Some(0u64);
    for (occur, inner) in b.clauses() {
        if *occur != Occur::Should {
            return None;
        }
        let (max, docs) = filter_max(inner.as_ref(), searcher)?;
        most += max;
        matches = matches.zip(docs).map(|(a, b)| a.saturating_add(b));
    }
    Some((most, matches))
}

/// The most one value of a filter adds to a score (a term's BM25 at its
/// most, or a date range's constant score: tantivy's range scorers score
/// every match as the boost they are given, 1 in a query's clauses), and
/// how many passages it matches when that is known without matching.
fn filter_max(clause: &dyn Query, searcher: &Searcher) -> Option<(f32, Option<u64>)> {
    if let Some(t) = clause.downcast_ref::<TermQuery>() {
        Some((term_max(t, searcher)?, searcher.doc_freq(t.term()).ok()))
    } else if clause.downcast_ref::<RangeQuery>().is_some() {
        Some((1.0, None))
    } else {
        None
    }
}

/// The most a term adds to a score: its BM25 at its greatest count in the
/// shortest passage.
fn term_max(t: &TermQuery, searcher: &Searcher) -> Option<f32> {
    Some(
        Bm25Weight::for_terms(searcher, std::slice::from_ref(t.term()))
            .ok()?
            .max_score(),
    )
}

/// A field's average length over the index, as BM25 weights take it.
pub(super) fn index_average(searcher: &Searcher, field: Field) -> Option<f32> {
    Some(
        searcher.total_num_tokens(field).ok()? as f32
            / Bm25StatisticsProvider::total_num_docs(searcher).ok()? as f32,
    )
}

/// A field's average length in a segment of `docs` documents holding
/// `tokens`, as the postings serializer takes it when it picks each block's
/// best (length, count) pair.
pub(super) fn segment_average(tokens: u64, docs: u32) -> f32 {
    tokens as f32 / docs.max(1) as f32
}

/// Relative room left in a bound for float sums taken in another order
/// than the scorer's.
pub(super) const ROUNDING_ROOM: f32 = 1e-4;

/// How a top-k search may pass over matches that cannot reach its k-th score.
pub enum Plan {
    /// A phrase, a word, or several words with their phrase boosted.
    Phrase(PhrasePlan),
    /// Any of several words ([`super::wand`]).
    Union(super::wand::UnionPlan),
}

impl Plan {
    /// The plan for `query`, if it has one; `phrases_exact` when none of its
    /// phrases allows words between its words.
    pub fn of(query: &dyn Query, searcher: &Searcher, phrases_exact: bool) -> Option<Plan> {
        // Weighing never raises a score: the plan of the query weighed holds.
        let (query, weighed_by) = match query.downcast_ref::<crate::query::rank::Weighed>() {
            Some(w) => (w.inner(), Some(w.text())),
            None => (query, None),
        };
        let weighed = weighed_by.is_some();
        let phrase = phrases_exact
            .then(|| PhrasePlan::of(query, searcher))
            .flatten()
            .map(|plan| plan.weighed(weighed));
        match phrase {
            Some(plan) => Some(Plan::Phrase(plan)),
            None => super::wand::UnionPlan::of(query, searcher)
                .map(|plan| plan.weighed_by(weighed_by))
                .map(Plan::Union),
        }
    }
}

/// A filter matching fewer than 1 / this of the lead word's passages is
/// left to the plain walk: it goes through the filter's matches, fewer than
/// the lead's postings the pruned walk reads before its threshold rises.
const NARROW_FILTER: u64 = 2;

impl PhrasePlan {
    /// The plan for `query`, when its shape allows one; the caller vouches
    /// that its phrases are exact (tantivy does not tell a phrase's slop).
    pub fn of(query: &dyn Query, searcher: &Searcher) -> Option<PhrasePlan> {
        let clauses = query.downcast_ref::<BooleanQuery>()?.clauses();
        let mut shape = Shape::default();
        let mut required = false;
        for (occur, clause) in clauses {
            match occur {
                Occur::Must => {
                    shape.require(clause.as_ref(), searcher)?;
                    required = true;
                }
                Occur::Should => {
                    let boosted = clause.downcast_ref::<BoostedPhrase>()?;
                    shape.set_phrase(&boosted.phrase, boosted.boost)?;
                    shape.optional = true;
                }
                Occur::MustNot => return None,
            }
        }
        // With no required clause, the one optional clause is required.
        shape.optional &= required;
        let optional = shape.optional;
        let (mut words, boost) = match shape.phrase.take() {
            Some((phrase, boost)) => (phrase.phrase_terms(), boost),
            None => {
                // No phrase: a single word is a phrase of one, whose count is
                // the word's own. The term that can add the most leads (the
                // searched word, not the clause keeping records away); it must
                // keep counts, which the block maxima are made from.
                let terms = &mut shape.terms;
                let lead = (0..terms.len()).max_by(|&a, &b| terms[a].1.total_cmp(&terms[b].1))?;
                (vec![terms.swap_remove(lead).0.clone()], 1.0)
            }
        };
        let field = words[0].field();
        let counted = searcher
            .schema()
            .get_field_entry(field)
            .field_type()
            .get_index_record_option()
            .is_some_and(|option| option.has_freq());
        if !counted {
            return None;
        }
        if let Some(narrowest) = shape.narrowest_filter {
            let lead = words
                .iter()
                .map(|w| searcher.doc_freq(w).unwrap_or(u64::MAX))
                .min()
                .unwrap_or(u64::MAX);
            if narrowest.saturating_mul(NARROW_FILTER) < lead {
                return None;
            }
        }
        let rest_max = shape.rest_max();
        let weight = Bm25Weight::for_terms(searcher, &words)
            .ok()?
            .boost_by(boost);
        let average = index_average(searcher, field)?;
        words.sort();
        words.dedup();
        // Tabled by `weighed`, once the caller knows.
        Some(PhrasePlan {
            words,
            weight,
            rest_max,
            average,
            optional,
            weighed: false,
            bounds: Vec::new(),
        })
    }

    /// The plan with its scores weighed or not, and its bounds tabled.
    fn weighed(self, weighed: bool) -> PhrasePlan {
        let mut plan = PhrasePlan {
            weighed,
            bounds: Vec::new(),
            ..self
        };
        let mut bounds = Vec::with_capacity(TABLED_COUNTS as usize * NORM_IDS);
        for count in 1..=TABLED_COUNTS {
            for norm in 0..=u8::MAX {
                bounds.push(plan.bound_of(norm, count, plan.share(norm)));
            }
        }
        plan.bounds = bounds;
        plan
    }

    /// A weighed score is at most its length's share of the sum (kind and
    /// lead weights are at most 1).
    fn share(&self, norm: u8) -> f32 {
        if self.weighed {
            crate::query::rank::length_weight_of_norm(norm)
        } else {
            1.0
        }
    }

    /// The most a passage of this length naming the phrase `count` times
    /// scores, before its kind's weight.
    fn bound_of(&self, norm: u8, count: u32, share: f32) -> f32 {
        (self.rest_max + self.weight.score(norm, count)) * share
    }

    /// [`PhrasePlan::bound_of`] with the passage's own share, from the table
    /// when it holds the count (the same value, worked out the same way).
    fn bound(&self, norm: u8, count: u32) -> f32 {
        let tabled = count
            .checked_sub(1)
            .and_then(|row| self.bounds.get(row as usize * NORM_IDS + usize::from(norm)));
        match tabled {
            Some(&bound) => bound,
            None => self.bound_of(norm, count, self.share(norm)),
        }
    }

    /// Whether the top k the plan's walk found, whose k-th scores
    /// `kth`, are the query's (`None`: it found fewer than k). A match the
    /// walk did not see lacks the phrase and scores at most what the other
    /// clauses can add.
    pub fn covers(&self, kth: Option<f32>) -> bool {
        if !self.optional {
            return true;
        }
        // Room for the sums' rounding, as the bound's own.
        kth.is_some_and(|kth| kth > self.rest_max + self.rest_max.abs() * ROUNDING_ROOM)
    }

    /// The words' postings (counts, no positions) and field lengths in one
    /// segment; `None` when a word is missing from it (no match there).
    pub fn in_segment(&self, reader: &SegmentReader) -> tantivy::Result<Option<SegmentBound<'_>>> {
        let field = self.words[0].field();
        let index = reader.inverted_index(field)?;
        let mut infos = Vec::with_capacity(self.words.len());
        for word in &self.words {
            match index.get_term_info(word)? {
                Some(info) => infos.push(info),
                None => return Ok(None),
            }
        }
        // The rarest word leads the walk, a block of its postings at a time.
        infos.sort_by_key(|info| info.doc_freq);
        let lead =
            index.read_block_postings_from_terminfo(&infos[0], IndexRecordOption::WithFreqs)?;
        let others = infos[1..]
            .iter()
            .map(|info| index.read_postings_from_terminfo(info, IndexRecordOption::WithFreqs))
            .collect::<std::io::Result<Vec<_>>>()?;
        let kinds = match self.weighed {
            true => Some(crate::query::rank::kinds_of(reader)?),
            false => None,
        };
        let (norms, blocks) = match reader.fieldnorms_readers().get_field(field)? {
            Some(norms) => {
                let blocks =
                    BlockScale::of(self, &norms, index.total_num_tokens(), infos[0].doc_freq);
                (norms, Some(blocks))
            }
            None => (FieldNormReader::constant(reader.max_doc(), 1), None),
        };
        Ok(Some(SegmentBound {
            plan: self,
            lead,
            others,
            norms,
            blocks,
            kinds,
        }))
    }
}

/// How to turn the lead word's stored block maxima into a bound on the
/// phrase's score.
///
/// Each block of postings stores the (length, count) pair that maximises
/// BM25's count factor under the segment's own average length; the search
/// uses the whole index's. With averages a (segment) and q (index), a
/// factor under q is at most max(1, q / a) times the factor under a, so the
/// stored pair, rescaled, bounds every passage of the block.
struct BlockScale {
    /// Weight reading the stored pairs under the segment's average length.
    segment: Bm25Weight,
    /// `segment`'s count factor is its score divided by this.
    segment_full: f32,
    /// The phrase's most possible score times max(1, q / a), with room
    /// for float rounding.
    phrase_full: f32,
}

impl BlockScale {
    fn of(plan: &PhrasePlan, norms: &FieldNormReader, tokens: u64, doc_freq: u32) -> BlockScale {
        // As the postings serializer computes it.
        let segment_avg = segment_average(tokens, norms.num_docs());
        let segment = Bm25Weight::for_one_term_without_explain(
            u64::from(doc_freq),
            u64::from(norms.num_docs()),
            segment_avg,
        );
        let spread = if segment_avg > 0.0 {
            (plan.average / segment_avg).max(1.0)
        } else {
            f32::INFINITY
        };
        BlockScale {
            segment_full: full(&segment),
            segment,
            phrase_full: full(&plan.weight) * spread * (1.0 + ROUNDING_ROOM),
        }
    }
}

/// A weight's score with a count factor of one: its idf times (1 + k1).
fn full(weight: &Bm25Weight) -> f32 {
    weight.score(0, u32::MAX)
}

/// A plan opened on one segment.
pub struct SegmentBound<'a> {
    plan: &'a PhrasePlan,
    lead: BlockSegmentPostings,
    others: Vec<SegmentPostings>,
    norms: FieldNormReader,
    /// `None` when the field keeps no lengths: no block is skipped.
    blocks: Option<BlockScale>,
    /// The passages' kinds, when the query's scores are weighed by them.
    kinds: Option<SegmentKinds>,
}

impl SegmentBound<'_> {
    /// Call `visit(doc)` for each document in `start..end` holding every
    /// word of the phrase whose bound reaches the threshold `visit` last
    /// returned (`None`: no threshold yet): a match tied with the threshold
    /// is visited. Documents come in increasing order.
    pub fn candidates(
        &mut self,
        start: DocId,
        end: DocId,
        mut visit: impl FnMut(DocId) -> Option<f32>,
    ) {
        let plan = self.plan;
        let mut threshold: Option<f32> = None;
        let mut at = self.lead.seek(start);
        while self.lead.block_len() > 0 {
            if let (Some(worst), Some(scale)) = (threshold, &self.blocks) {
                let block_max = self.lead.block_max_score(&self.norms, &scale.segment);
                let bound = plan.rest_max + scale.phrase_full * (block_max / scale.segment_full);
                if bound < worst {
                    if self.lead.docs().last().is_none_or(|&last| last >= end) {
                        return;
                    }
                    self.lead.advance();
                    at = 0;
                    continue;
                }
            }
            for i in at..self.lead.block_len() {
                let doc = self.lead.doc(i);
                if doc >= end {
                    return;
                }
                // The bound adds the same terms as the scorer but maybe not
                // in the same order: a tie may come out an ulp apart, so a
                // hair below the threshold still counts.
                let norm = self.norms.fieldnorm_id(doc);
                let reaching =
                    |bound: f32| threshold.is_none_or(|worst| bound >= worst - worst.abs() * 1e-6);
                let reaches = |count: u32| reaching(plan.bound(norm, count));
                // The lead word's own count bounds the phrase's too: a passage
                // that cannot reach the threshold with it is passed over
                // before the other words' postings are read for it.
                let lead = self.lead.freq(i);
                if !reaches(lead) {
                    continue;
                }
                // Its kind's weight too (at most 1): a column lookup that
                // spares the other words' postings a seek (a block decoded
                // each), and the scorer its reading of every clause and of
                // where the passage names the query.
                let share = match (&self.kinds, threshold) {
                    (Some(kinds), Some(_)) => {
                        let share = plan.share(norm) * kind_weight(kinds.get(doc));
                        if !reaching(plan.bound_of(norm, lead, share)) {
                            continue;
                        }
                        Some(share)
                    }
                    _ => None,
                };
                let Some(count) = counts(&mut self.others, doc, lead) else {
                    continue;
                };
                if !reaches(count) {
                    continue;
                }
                if let Some(share) = share {
                    if !reaching(plan.bound_of(norm, count, share)) {
                        continue;
                    }
                }
                threshold = visit(doc);
            }
            self.lead.advance();
            at = 0;
        }
    }
}

/// The least count of the phrase's words in `doc`, starting from the lead
/// word's; `None` when one of the others is not in it.
fn counts(others: &mut [SegmentPostings], doc: DocId, lead: u32) -> Option<u32> {
    let mut count = lead;
    for other in others {
        if seek_forward(other, doc) != doc {
            return None;
        }
        count = count.min(other.term_freq());
    }
    Some(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::engine::every::{every_match, top_matches};
    use proptest::prelude::*;
    use tantivy::schema::{Field, Schema, FAST, INDEXED, STRING, TEXT};
    use tantivy::DocAddress;
    use tantivy::{doc, Index};

    /// An index of `segments`, each a list of (kind, text) documents, with
    /// every third document deleted when `deletes`; and its kind and text
    /// fields (a third, `num`, numbers the documents modulo 7).
    fn index_of(segments: &[Vec<(bool, String)>], deletes: bool) -> (Index, Field, Field) {
        let mut schema = Schema::builder();
        let kind = schema.add_text_field("kind", STRING);
        let text = schema.add_text_field("text", TEXT);
        let num = schema.add_u64_field("num", INDEXED | FAST);
        // What kind of text each passage is, for the weighed scores.
        let passage_kind = schema.add_text_field("passage_kind", STRING | FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut id = 0u32;
        for segment in segments {
            for (passage, words) in segment {
                let k = if *passage { "passage" } else { "record" };
                let words = format!("{words} id{id}");
                let of_kind = ["finding", "improvement", "statistic", "news"][id as usize % 4];
                writer
                    .add_document(doc!(
                        kind => k,
                        text => words,
                        num => u64::from(id % 7),
                        passage_kind => of_kind
                    ))
                    .unwrap();
                id += 1;
            }
            writer.commit().unwrap();
        }
        if deletes {
            for gone in (0..id).step_by(3) {
                writer.delete_term(Term::from_field_text(text, &format!("id{gone}")));
            }
            writer.commit().unwrap();
        }
        (index, kind, text)
    }

    /// Passages (the clause keeping records out first) with these clauses.
    fn passages(kind: Field, clauses: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
        let records_out: Box<dyn Query> = Box::new(term(kind, "passage"));
        let mut all = vec![(Occur::Must, records_out)];
        all.extend(clauses);
        Box::new(BooleanQuery::new(all))
    }

    /// `query`'s clauses and a required `clause`, as the compiler adds a filter.
    fn requiring(query: &dyn Query, clause: Box<dyn Query>) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = query
            .downcast_ref::<BooleanQuery>()
            .expect("a boolean query")
            .clauses()
            .iter()
            .map(|(occur, q)| (*occur, q.box_clone()))
            .collect();
        clauses.push((Occur::Must, clause));
        Box::new(BooleanQuery::new(clauses))
    }

    /// Passages holding `words`: as a phrase when there are several, as
    /// the query compiler builds both.
    fn query_of(kind: Field, text: Field, words: &[&str]) -> Box<dyn Query> {
        let searched: Box<dyn Query> = match words {
            [word] => Box::new(term(text, word)),
            _ => Box::new(phrase(text, words)),
        };
        passages(kind, vec![(Occur::Must, searched)])
    }

    /// Passages holding every one of `words`, those holding `phrase`
    /// counted `boost` times, as the compiler builds a search for words (its
    /// phrase in the unstemmed field: it may miss passages holding the words).
    fn words_query(
        kind: Field,
        text: Field,
        words: &[&str],
        phrase_of: &[&str],
        boost: f32,
    ) -> Box<dyn Query> {
        let each: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .map(|w| (Occur::Must, Box::new(term(text, w)) as Box<dyn Query>))
            .collect();
        passages(
            kind,
            vec![
                (Occur::Must, Box::new(BooleanQuery::new(each))),
                (
                    Occur::Should,
                    Box::new(BoostedPhrase {
                        phrase: phrase(text, phrase_of),
                        boost,
                    }),
                ),
            ],
        )
    }

    /// `query` with a filter of two values (a word, a range of `num`), as
    /// the compiler adds `--authority` or `--since`.
    fn filtered(query: &dyn Query, text: Field) -> Box<dyn Query> {
        use std::ops::Bound::Included;
        let num = Field::from_field_id(2);
        let range = RangeQuery::new(
            Included(Term::from_field_u64(num, 2)),
            Included(Term::from_field_u64(num, 5)),
        );
        let any: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Should, Box::new(term(text, "c"))),
            (Occur::Should, Box::new(range)),
        ];
        requiring(query, Box::new(BooleanQuery::new(any)))
    }

    fn term(field: Field, word: &str) -> TermQuery {
        let option = if field.field_id() == 0 {
            IndexRecordOption::Basic
        } else {
            IndexRecordOption::WithFreqs
        };
        TermQuery::new(Term::from_field_text(field, word), option)
    }

    fn phrase(field: Field, words: &[&str]) -> PhraseQuery {
        PhraseQuery::new(
            words
                .iter()
                .map(|w| Term::from_field_text(field, w))
                .collect(),
        )
    }

    /// Every match scoring at least the `n`-th best, best first, ties in
    /// address order: what `top_matches` returns, by scoring them all.
    fn best_with_ties(searcher: &Searcher, query: &dyn Query, n: usize) -> Vec<(f32, DocAddress)> {
        let mut all = every_match(searcher, query, true).unwrap();
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        if let Some(&(cut, _)) = all.get(n - 1) {
            all.retain(|&(score, _)| score >= cut);
        }
        all
    }

    fn words() -> impl Strategy<Value = (bool, String)> {
        let word = prop::sample::select(vec!["a", "b", "c", "a b", "b a", "a b a b"]);
        (
            prop::bool::weighted(0.9),
            prop::collection::vec(word, 0..12).prop_map(|w| w.join(" ")),
        )
    }

    /// A query of each shape a plan is made for.
    type Shape = (Vec<&'static str>, Option<(Vec<&'static str>, f32)>);
    fn shapes() -> impl Strategy<Value = Shape> {
        prop::sample::select(vec![
            (vec!["a", "b"], None),
            (vec!["a"], None),
            (vec!["c"], None),
            // Words, with a phrase ranked first (and barely ahead); the
            // phrase's words may be held by fewer passages than the words.
            (vec!["a", "b"], Some((vec!["a", "b"], 100.0))),
            (vec!["b", "a"], Some((vec!["b", "a"], 100.0))),
            (vec!["a"], Some((vec!["a", "b"], 100.0))),
            (vec!["a"], Some((vec!["a", "b"], 1.0))),
            (vec!["c"], Some((vec!["a", "b"], 3.0))),
            (vec!["c"], Some((vec!["a", "b"], 0.01))),
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        #[test]
        fn pruned_top_k_equals_scoring_every_match(
            segments in prop::collection::vec(prop::collection::vec(words(), 1..1000), 1..4),
            n in 1usize..20,
            deletes: bool,
            (searched, ranked) in shapes(),
            with_filter: bool,
            weighed: bool,
        ) {
            let (index, kind, text) = index_of(&segments, deletes);
            let mut query = match ranked {
                Some((phrase, boost)) => words_query(kind, text, &searched, &phrase, boost),
                None => query_of(kind, text, &searched),
            };
            if with_filter {
                query = filtered(query.as_ref(), text);
            }
            if weighed {
                // Scores weighed by length, kind and lead (a word of two
                // forms and one of one): the plan's bound takes the length's
                // and the kind's weights too.
                let form = |w| Term::from_field_text(text, w);
                let lead = vec![vec![form("a"), form("c")], vec![form("b")]];
                query = Box::new(crate::query::rank::Weighed::new(query, text, Vec::new(), lead));
            }
            let searcher = index.reader().unwrap().searcher();
            let plan = Plan::of(query.as_ref(), &searcher, true)
                .filter(|p| matches!(p, Plan::Phrase(_)));
            // No plan is made when the clause keeping records out is the
            // rarest term (an index of few passages, many records holding the
            // word): its field keeps no counts to lead on. Not this test's case.
            prop_assume!(plan.is_some());
            let pruned = top_matches(&searcher, query.as_ref(), n, plan.as_ref()).unwrap();
            let full = top_matches(&searcher, query.as_ref(), n, None).unwrap();
            prop_assert_eq!(&pruned, &full);
            prop_assert_eq!(pruned, best_with_ties(&searcher, query.as_ref(), n));
        }
    }

    /// Passages holding any of `words`, each word's score summed, as the
    /// compiler builds a prefix search or an `OR` of words.
    fn any_query(kind: Field, text: Field, words: &[&str]) -> Box<dyn Query> {
        let any = words
            .iter()
            .map(|w| (Occur::Should, Box::new(term(text, w)) as Box<dyn Query>))
            .collect();
        passages(kind, vec![(Occur::Must, Box::new(BooleanQuery::new(any)))])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn pruned_top_k_of_any_word_equals_scoring_every_match(
            segments in prop::collection::vec(prop::collection::vec(words(), 1..1000), 1..4),
            n in 1usize..20,
            deletes: bool,
            any in prop::sample::select(vec![
                vec!["a", "b"],
                vec!["a", "b", "c"],
                vec!["c", "id3", "id40"],
                vec!["b", "c"],
            ]),
            with_filter: bool,
            long_first: bool,
            weighed: bool,
        ) {
            // Segments whose average lengths differ: a block's stored best
            // (length, count) pair is chosen under its segment's average, and
            // scored under the index's. The first segment's passages, or all
            // the others', are made longer.
            let mut segments = segments;
            for (i, segment) in segments.iter_mut().enumerate() {
                if (i == 0) == long_first {
                    for (_, words) in segment.iter_mut() {
                        words.push_str(&" z".repeat(40));
                    }
                }
            }
            let (index, kind, text) = index_of(&segments, deletes);
            let mut query = any_query(kind, text, &any);
            if with_filter {
                query = filtered(query.as_ref(), text);
            }
            if weighed {
                let form = |w| Term::from_field_text(text, w);
                let lead = vec![vec![form("a")], vec![form("b"), form("c")]];
                query = Box::new(crate::query::rank::Weighed::new(query, text, Vec::new(), lead));
            }
            let searcher = index.reader().unwrap().searcher();
            let plan = Plan::of(query.as_ref(), &searcher, true);
            prop_assert!(matches!(plan, Some(Plan::Union(_))));
            let pruned = top_matches(&searcher, query.as_ref(), n, plan.as_ref()).unwrap();
            let full = top_matches(&searcher, query.as_ref(), n, None).unwrap();
            prop_assert_eq!(&pruned, &full);
            prop_assert_eq!(pruned, best_with_ties(&searcher, query.as_ref(), n));
        }
    }

    #[test]
    fn a_union_finds_the_best_passage_of_a_segment_shorter_than_the_index() {
        // A block stores the (length, count) pair that scores best under its
        // segment's average length (7.5 here); the search scores under the
        // index's (57). Under the index's, the second block's best passage
        // (`a` twice in 20 words) beats the first block's (once in 4), which
        // beats the pair the second block stored (once in 5).
        let words = |n: usize, lead: &str| format!("{lead}{}", " x".repeat(n));
        let mut short = vec![(true, words(8, "a")); 127];
        short.push((true, words(2, "a")));
        short.extend(vec![(true, words(3, "a")); 127]);
        short.push((true, words(17, "a a")));
        let long = vec![(true, "y ".repeat(99)); 300];
        let (index, kind, text) = index_of(&[short, long], false);
        let searcher = index.reader().unwrap().searcher();
        let query = any_query(kind, text, &["a", "nowhere"]);
        let plan = Plan::of(query.as_ref(), &searcher, true);
        assert!(matches!(plan, Some(Plan::Union(_))));
        let pruned = top_matches(&searcher, query.as_ref(), 1, plan.as_ref()).unwrap();
        assert_eq!(pruned, best_with_ties(&searcher, query.as_ref(), 1));
        assert_eq!(pruned[0].1.doc_id, 255);
    }

    #[test]
    fn unions_of_many_words_or_of_uncounted_terms_have_no_plan() {
        let (index, kind, text) = index_of(&[vec![(true, "a b".to_string())]], false);
        let searcher = index.reader().unwrap().searcher();
        let words: Vec<String> = (0..17).map(|i| format!("w{i}")).collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let union =
            |words: &[&str]| Plan::of(any_query(kind, text, words).as_ref(), &searcher, true);
        assert!(matches!(union(&words[..16]), Some(Plan::Union(_))));
        assert!(union(&words).is_none());
        // The kinds of a record keep no counts: a filter, not a union to walk.
        assert!(union(&words[..1]).is_none_or(|plan| matches!(plan, Plan::Phrase(_))));
        let kinds = any_query(kind, kind, &["passage", "record"]);
        assert!(Plan::of(kinds.as_ref(), &searcher, true).is_none());
        // A filter far narrower than the union's commonest word is left to
        // the plain walk; a broad one is planned with.
        let (index, kind, text) = index_of(&[vec![(true, "a b".to_string()); 40]], false);
        let searcher = index.reader().unwrap().searcher();
        let filtered_by = |value: &str| {
            let filter = vec![(Occur::Should, Box::new(term(text, value)) as Box<dyn Query>)];
            let any = any_query(kind, text, &["a", "c"]);
            requiring(any.as_ref(), Box::new(BooleanQuery::new(filter)))
        };
        assert!(Plan::of(filtered_by("id7").as_ref(), &searcher, true).is_none());
        assert!(matches!(
            Plan::of(filtered_by("b").as_ref(), &searcher, true),
            Some(Plan::Union(_))
        ));
    }

    #[test]
    fn queries_of_other_shapes_have_no_plan() {
        let (index, kind, text) = index_of(&[vec![(true, "a b".to_string())]], false);
        let searcher = index.reader().unwrap().searcher();
        let query = query_of(kind, text, &["a", "b"]);
        let optional = BooleanQuery::new(vec![(Occur::Should, query.box_clone())]);
        assert!(PhrasePlan::of(&optional, &searcher).is_none());
        assert!(PhrasePlan::of(query.as_ref(), &searcher).is_some());
        assert!(PhrasePlan::of(query_of(kind, text, &["a"]).as_ref(), &searcher).is_some());
        assert!(PhrasePlan::of(
            words_query(kind, text, &["a", "b"], &["a", "b"], 9.0).as_ref(),
            &searcher
        )
        .is_some());
        // Terms that keep no counts have no block maxima to prune on.
        let records_only = BooleanQuery::new(vec![(
            Occur::Must,
            Box::new(term(kind, "passage")) as Box<dyn Query>,
        )]);
        assert!(PhrasePlan::of(&records_only, &searcher).is_none());
        // An optional clause other than a boosted phrase, or an excluded one.
        let excluded = BooleanQuery::new(vec![
            (Occur::Must, query.box_clone()),
            (Occur::MustNot, Box::new(term(text, "c")) as Box<dyn Query>),
        ]);
        assert!(PhrasePlan::of(&excluded, &searcher).is_none());
        let optional_term = BooleanQuery::new(vec![
            (Occur::Must, query.box_clone()),
            (Occur::Should, Box::new(term(text, "c")) as Box<dyn Query>),
        ]);
        assert!(PhrasePlan::of(&optional_term, &searcher).is_none());
        // The clause keeping records out is rarer than the word: it would
        // lead, and keeps no counts.
        let (records, kind_r, text_r) = index_of(&[vec![(false, "c".to_string())]], false);
        let in_records = records.reader().unwrap().searcher();
        assert!(PhrasePlan::of(query_of(kind_r, text_r, &["c"]).as_ref(), &in_records).is_none());
        // A filter far narrower than the searched word is left to the plain walk.
        let (index, kind, text) = index_of(&[vec![(true, "a b".to_string()); 40]], false);
        let searcher = index.reader().unwrap().searcher();
        let filtered_by = |value: &str| {
            BooleanQuery::new(vec![
                (Occur::Must, query_of(kind, text, &["a"])),
                (
                    Occur::Must,
                    Box::new(BooleanQuery::new(vec![(
                        Occur::Should,
                        Box::new(term(text, value)) as Box<dyn Query>,
                    )])),
                ),
            ])
        };
        assert!(PhrasePlan::of(&filtered_by("id7"), &searcher).is_none());
        let broad = filtered_by("b");
        assert!(PhrasePlan::of(&broad, &searcher).is_some());
    }
}
