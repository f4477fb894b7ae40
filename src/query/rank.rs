//! Rank like an analyst reads: a passage's relevance (BM25 over its words,
//! its phrase first) weighed by what kind of text it is and how much of it
//! there is. Findings that say something come before a bare list item that
//! only names the topic.
//!
//! The weight is a number in (0, 1] per passage, multiplied into the score.
//! Because it never raises a score, every bound the pruned walks
//! ([`super::prune`], [`super::wand`]) take from BM25 still bounds the
//! weighed score: their top k stays exact.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

use crate::document::PassageKind;
use crate::index::passage_kinds::SegmentKinds;

/// How much a passage of each kind keeps of its relevance. Measured on the
/// judged queries (benches/relevance): lists of what to improve,
/// recommendations, grade lines, counts and words about the visit itself
/// are what an analyst skims past.
pub fn kind_weight(kind: PassageKind) -> Score {
    match kind {
        PassageKind::Finding => 1.0,
        PassageKind::News => 0.5,
        PassageKind::Improvement | PassageKind::Recommendation => 0.4,
        PassageKind::Statistic | PassageKind::Judgement | PassageKind::Context => 0.3,
    }
}

/// Words (indexed tokens) from which a passage is long enough to say
/// something: shorter ones keep a share of their score that grows with
/// their length.
const FULL_LENGTH: u32 = 40;

/// The least share a very short passage keeps (of what a passage of
/// [`FULL_LENGTH`] words keeps).
const SHORTEST_SHARE: Score = 0.2;

/// Words from which a passage keeps all of its relevance. BM25 favours a
/// short passage that names the query over a longer one that says what was
/// found about it; between [`FULL_LENGTH`] and this, a passage keeps
/// (words / this)^[`SUBSTANCE_EXPONENT`] (0.94 at 40 words), and a shorter
/// one that times its own share.
const SUBSTANTIAL: u32 = 60;

/// See [`SUBSTANTIAL`].
const SUBSTANCE_EXPONENT: Score = 0.15;

/// How much a passage of `words` indexed tokens keeps of its relevance.
pub fn length_weight(words: u32) -> Score {
    if words >= SUBSTANTIAL {
        return 1.0;
    }
    let substance =
        (words.max(FULL_LENGTH) as Score / SUBSTANTIAL as Score).powf(SUBSTANCE_EXPONENT);
    if words >= FULL_LENGTH {
        return substance;
    }
    let share = (words as Score / FULL_LENGTH as Score).sqrt();
    share.max(SHORTEST_SHARE) * substance
}

/// [`length_weight`] of each length a field norm can stand for, by the
/// norm's id: a passage's length is read as one of 256 ids, and the
/// weight's power, computed per passage, was 7.6 % of a batch of 100x
/// top-10s. The same function on the same lengths: the same bits.
fn length_weights() -> &'static [Score; 256] {
    use std::sync::LazyLock;
    static WEIGHTS: LazyLock<[Score; 256]> = LazyLock::new(|| {
        std::array::from_fn(|id| length_weight(FieldNormReader::id_to_fieldnorm(id as u8)))
    });
    &WEIGHTS
}

/// [`length_weight`] of the length a field norm id stands for.
pub fn length_weight_of_norm(id: u8) -> Score {
    length_weights()[id as usize]
}

/// What a clause of a ranked query adds to a score, for `--explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The query's words (BM25 over the passage text).
    Words,
    /// The query's words as a phrase, boosted.
    Phrase,
    /// Filters and the clause that keeps to passages.
    Filters,
}

/// Why a passage scored what it did: the parts of its score.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreParts {
    /// BM25 of the query's words.
    pub words: Score,
    /// The boosted phrase (0 when the passage lacks it, or the query has none).
    pub phrase: Score,
    /// What filters add (they match or not; a small constant each).
    pub filters: Score,
    /// The passage's kind.
    pub kind: PassageKind,
    /// What its kind keeps of the relevance.
    pub kind_weight: Score,
    /// The passage's length in indexed words.
    pub length: u32,
    /// What its length keeps of the relevance.
    pub length_weight: Score,
    /// The word position by which every query word has appeared, in any
    /// form sharing its stem (`None` when none appears).
    pub lead: Option<u32>,
    /// The fewest times a query word is named, in any form sharing its
    /// stem (0 when none is).
    pub mentions: u32,
    /// What that position and those mentions keep of the relevance.
    pub lead_weight: Score,
    /// (words + phrase + filters) × kind weight × length weight × lead weight.
    pub score: Score,
}

/// Where a passage first names all of the query's words (the word position
/// by which each has appeared), from which it keeps a share of its score
/// that falls as the mention comes later: a passage that opens on the topic
/// is about it; one that names it once at the end of a long paragraph
/// mentions it in passing. A passage that comes back to the topic is about
/// it wherever it first names it, so the share it can lose shrinks with
/// each further mention ([`lead_floor`]).
const LEAD_NEAR: u32 = 5;
/// From this position on, a passage keeps its [`lead_floor`].
const LEAD_FAR: u32 = 80;
/// The least share a passage that names the query once keeps for a late mention.
const LEAD_FLOOR: Score = 0.65;
/// How much each further mention of every query word raises that least share.
const LEAD_FLOOR_STEP: Score = 0.15;

/// The least share of its score a passage keeps for a late lead when each
/// query word is named at least `mentions` times.
pub fn lead_floor(mentions: u32) -> Score {
    let extra = mentions.max(1) - 1;
    (LEAD_FLOOR + LEAD_FLOOR_STEP * extra as Score).min(1.0)
}

/// How much a passage keeps when the query's words have all appeared by
/// word `position`, each named at least `mentions` times (`None`: none of
/// them appears in a form the lead reads, so no evidence).
pub fn lead_weight(position: Option<u32>, mentions: u32) -> Score {
    let floor = lead_floor(mentions);
    match position {
        None => 1.0,
        Some(p) if p <= LEAD_NEAR => 1.0,
        Some(p) if p >= LEAD_FAR => floor,
        Some(p) => {
            let span = (LEAD_FAR - LEAD_NEAR) as Score;
            1.0 - (1.0 - floor) * (p - LEAD_NEAR) as Score / span
        }
    }
}

/// Words too common to say what a passage is about.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "of", "on", "or",
    "the", "to", "with",
];

/// The words whose first positions tell where a passage names the query,
/// as terms of `field` (unstemmed, with positions): its tokens less
/// function words, each once, and each with the forms `variants` gives for
/// it (the indexed words sharing its stem, so "conference" is named by
/// "conferences"). A passage names a word where it first uses any of its forms.
pub fn lead_terms<F>(field: Field, tokens: &[String], mut variants: F) -> Vec<Vec<Term>>
where
    F: FnMut(&str) -> Vec<String>,
{
    let mut seen: Vec<&String> = Vec::new();
    for t in tokens {
        if !FUNCTION_WORDS.contains(&t.as_str()) && !seen.contains(&t) {
            seen.push(t);
        }
    }
    seen.into_iter()
        .map(|t| {
            let mut forms = vec![t.clone()];
            for v in variants(t) {
                if !forms.contains(&v) {
                    forms.push(v);
                }
            }
            forms
                .iter()
                .map(|f| Term::from_field_text(field, f))
                .collect()
        })
        .collect()
}

/// A query whose matches' scores are weighed by kind and length.
#[derive(Debug)]
pub struct Weighed {
    inner: Box<dyn Query>,
    /// The field whose lengths are the passages' lengths.
    text: Field,
    /// The inner query's clauses, each with what it stands for: they add
    /// up to its score, so each is scored alone to explain one.
    parts: Vec<(Part, Box<dyn Query>)>,
    /// Per query word, the terms of its forms, whose first positions say
    /// how early a passage names the query.
    lead: Vec<Vec<Term>>,
}

impl Clone for Weighed {
    fn clone(&self) -> Weighed {
        Weighed {
            inner: self.inner.box_clone(),
            text: self.text,
            parts: self
                .parts
                .iter()
                .map(|(p, q)| (*p, q.box_clone()))
                .collect(),
            lead: self.lead.clone(),
        }
    }
}

impl Weighed {
    /// `inner`'s matches, scored by `inner` and weighed; lengths read from
    /// `text`. `parts` are the clauses whose scores `inner` sums.
    pub fn new(
        inner: Box<dyn Query>,
        text: Field,
        parts: Vec<(Part, Box<dyn Query>)>,
        lead: Vec<Vec<Term>>,
    ) -> Weighed {
        Weighed {
            inner,
            text,
            parts,
            lead,
        }
    }

    /// The parts of one matching passage's score.
    pub fn explain(
        &self,
        searcher: &tantivy::Searcher,
        addr: tantivy::DocAddress,
    ) -> tantivy::Result<ScoreParts> {
        let reader = searcher.segment_reader(addr.segment_ord);
        let doc = addr.doc_id;
        let (mut words, mut phrase, mut filters) = (0.0, 0.0, 0.0);
        for (part, query) in &self.parts {
            let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
            let mut scorer = weight.scorer(reader, 1.0)?;
            // A scorer starts on its first match, which may lie past `doc`
            // (a phrase scorer refuses to seek backwards).
            if scorer.doc() > doc || scorer.seek(doc) != doc {
                continue;
            }
            let score = scorer.score();
            match part {
                Part::Words => words += score,
                Part::Phrase => phrase += score,
                Part::Filters => filters += score,
            }
        }
        let r = Priors::of(reader, self.text, &self.lead)?.read(doc);
        let (kind_weight, length_weight, lead_weight) =
            (r.kind_weight, r.length_weight, r.lead_weight);
        let (kind, length, lead, mentions) = (r.kind, r.length, r.lead, r.mentions);
        Ok(ScoreParts {
            words,
            phrase,
            filters,
            kind,
            kind_weight,
            length,
            length_weight,
            lead,
            mentions,
            lead_weight,
            score: (words + phrase + filters) * kind_weight * length_weight * lead_weight,
        })
    }

    /// The query whose scores are weighed: what the pruned walks plan on.
    pub fn inner(&self) -> &dyn Query {
        self.inner.as_ref()
    }

    /// The field whose lengths weigh the scores.
    pub fn text(&self) -> Field {
        self.text
    }
}

impl Query for Weighed {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.inner.weight(scoring)?;
        Ok(if scoring.is_scoring_enabled() {
            Box::new(WeighedWeight {
                inner,
                text: self.text,
                lead: self.lead.clone(),
            })
        } else {
            inner
        })
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor)
    }
}

struct WeighedWeight {
    inner: Box<dyn Weight>,
    text: Field,
    lead: Vec<Vec<Term>>,
}

/// What a passage's score is weighed by, read per segment.
struct Priors {
    kinds: SegmentKinds,
    norms: FieldNormReader,
    /// Per query word, its forms' postings, read forward as passages are
    /// scored.
    lead: Vec<Vec<SegmentPostings>>,
    positions: Vec<u32>,
}

/// Each segment's kinds, opened once for every query that weighs its
/// passages: opening a column reads its block headers (a measurable part
/// of a batch's 100x top-10). Segments are never changed, only dropped; an
/// entry of a dropped one goes when the table is full.
pub fn kinds_of(reader: &SegmentReader) -> tantivy::Result<SegmentKinds> {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex};
    /// Segments remembered at most (an index has a few; a server reloads).
    const KEPT: usize = 64;
    static OPENED: LazyLock<Mutex<HashMap<tantivy::index::SegmentId, SegmentKinds>>> =
        LazyLock::new(Mutex::default);
    let id = reader.segment_id();
    let lock = || OPENED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(kinds) = lock().get(&id) {
        return Ok(kinds.clone());
    }
    let kinds = SegmentKinds::of(reader.fast_fields().str("passage_kind")?)?;
    let mut opened = lock();
    if opened.len() >= KEPT {
        opened.clear();
    }
    opened.insert(id, kinds.clone());
    Ok(kinds)
}

impl Priors {
    fn of(reader: &SegmentReader, text: Field, lead: &[Vec<Term>]) -> tantivy::Result<Priors> {
        let mut postings = Vec::with_capacity(lead.len());
        for forms in lead {
            let mut word = Vec::with_capacity(forms.len());
            for term in forms {
                let index = reader.inverted_index(term.field())?;
                let option = IndexRecordOption::WithFreqsAndPositions;
                if let Some(p) = index.read_postings(term, option)? {
                    word.push(p);
                }
            }
            if !word.is_empty() {
                postings.push(word);
            }
        }
        Ok(Priors {
            kinds: kinds_of(reader)?,
            norms: reader.get_fieldnorms_reader(text)?,
            lead: postings,
            positions: Vec::new(),
        })
    }

    /// The position by which every query word found in `doc` (in any of
    /// its forms) has appeared, and the fewest times one of them is named
    /// there (0 when none is). Passages are asked for in increasing order.
    fn lead(&mut self, doc: DocId) -> (Option<u32>, u32) {
        let mut by = None;
        let mut fewest: Option<u32> = None;
        for forms in &mut self.lead {
            if let Some((first, named)) = first_naming(forms, doc, &mut self.positions) {
                by = Some(by.map_or(first, |b: u32| b.max(first)));
                fewest = Some(fewest.map_or(named, |f| f.min(named)));
            }
        }
        (by, fewest.unwrap_or(0))
    }

    /// What `doc`'s lead keeps of its score, or `None` as soon as
    /// `reaches` turns down a bound of it. The counts come first (they need
    /// no positions) and fix the least share; from four mentions of every
    /// word that is all of it, and no position is read. Then each word's
    /// first position can only lower the bound, so reading stops at the
    /// first word that sinks it below what `reaches` asks.
    fn lead_weight_reaching(
        &mut self,
        doc: DocId,
        mut reaches: impl FnMut(Score) -> bool,
    ) -> Option<Score> {
        let mut fewest: Option<u32> = None;
        for forms in &mut self.lead {
            let named = times_named(forms, doc);
            if named > 0 {
                fewest = Some(fewest.map_or(named, |f| f.min(named)));
            }
        }
        let Some(fewest) = fewest else {
            return Some(lead_weight(None, 0));
        };
        if lead_floor(fewest) >= 1.0 {
            return Some(1.0);
        }
        let mut by = None;
        for forms in &mut self.lead {
            let Some(first) = first_position(forms, doc, &mut self.positions) else {
                continue;
            };
            by = Some(by.map_or(first, |b: u32| b.max(first)));
            if !reaches(lead_weight(by, fewest)) {
                return None;
            }
        }
        Some(lead_weight(by, fewest))
    }

    /// What `doc`'s lead keeps of its score.
    fn lead_weight(&mut self, doc: DocId) -> Score {
        let (by, mentions) = self.lead(doc);
        lead_weight(by, mentions)
    }

    fn kind(&self, doc: DocId) -> PassageKind {
        self.kinds.get(doc)
    }

    fn length(&self, doc: DocId) -> u32 {
        self.norms.fieldnorm(doc)
    }

    /// `raw` weighed by `doc`'s kind and length, the lead still to come.
    /// Every path multiplies in this order, so all give the same bits.
    fn before_lead(&self, raw: Score, doc: DocId) -> Score {
        let length = length_weight_of_norm(self.norms.fieldnorm_id(doc));
        raw * kind_weight(self.kind(doc)) * length
    }

    /// What `doc`'s score is weighed by, read whole (to explain it).
    fn read(&mut self, doc: DocId) -> Reading {
        let (kind, length) = (self.kind(doc), self.length(doc));
        let (lead, mentions) = self.lead(doc);
        Reading {
            kind,
            length,
            lead,
            mentions,
            kind_weight: kind_weight(kind),
            length_weight: length_weight(length),
            lead_weight: lead_weight(lead, mentions),
        }
    }
}

/// Where `doc` first names one query word in any of its `forms`, and how
/// many times it names it (`None`: in none of them). The postings are read
/// forward only.
fn first_naming(
    forms: &mut [SegmentPostings],
    doc: DocId,
    positions: &mut Vec<u32>,
) -> Option<(u32, u32)> {
    let named = times_named(forms, doc);
    let first = first_position(forms, doc, positions)?;
    Some((first, named))
}

/// How many times `doc` names one query word in all of its `forms`, each
/// form's postings moved to `doc` or past it (forward only).
fn times_named(forms: &mut [SegmentPostings], doc: DocId) -> u32 {
    let mut named = 0;
    for postings in forms {
        if postings.doc() < doc {
            postings.seek(doc);
        }
        if postings.doc() == doc {
            named += postings.term_freq();
        }
    }
    named
}

/// Where `doc` first names one query word in any of its `forms`, whose
/// postings [`times_named`] has moved to `doc`.
fn first_position(
    forms: &mut [SegmentPostings],
    doc: DocId,
    positions: &mut Vec<u32>,
) -> Option<u32> {
    let mut word: Option<u32> = None;
    for postings in forms {
        if postings.doc() != doc {
            continue;
        }
        postings.positions(positions);
        if let Some(&first) = positions.first() {
            word = Some(word.map_or(first, |w| w.min(first)));
        }
    }
    word
}

/// A passage's kind, length and lead, with their weights.
struct Reading {
    kind: PassageKind,
    length: u32,
    lead: Option<u32>,
    mentions: u32,
    kind_weight: Score,
    length_weight: Score,
    lead_weight: Score,
}

impl Weight for WeighedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(WeighedScorer {
            inner: self.inner.scorer(reader, boost)?,
            priors: Priors::of(reader, self.text, &self.lead)?,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let r = Priors::of(reader, self.text, &self.lead)?.read(doc);
        let (kind, words, lead, mentions) = (r.kind, r.length, r.lead, r.mentions);
        let (k, l, f) = (r.kind_weight, r.length_weight, r.lead_weight);
        let mut e = Explanation::new_with_string(
            "relevance × kind × length × lead".to_string(),
            inner.value() * k * l * f,
        );
        e.add_detail(inner);
        e.add_detail(Explanation::new_with_string(format!("kind: {kind}"), k));
        e.add_detail(Explanation::new_with_string(
            format!("length: {words} words"),
            l,
        ));
        e.add_detail(Explanation::new_with_string(
            format!("lead: query words all named by word {lead:?}, each {mentions}+ times"),
            f,
        ));
        Ok(e)
    }
}

struct WeighedScorer {
    inner: Box<dyn Scorer>,
    priors: Priors,
}

/// The score of `scorer`'s current passage, or `None` when it cannot reach
/// `floor`: a top-k walk keeps nothing below its k-th score, so a weighed
/// passage whose score before the lead weight (itself at most 1) is already
/// below it is passed over without reading where it names the query.
pub fn score_reaching(scorer: &mut dyn Scorer, floor: Option<Score>) -> Option<Score> {
    let Some(weighed) = scorer.downcast_mut::<WeighedScorer>() else {
        return Some(scorer.score());
    };
    let doc = weighed.inner.doc();
    let before_lead = weighed.priors.before_lead(weighed.inner.score(), doc);
    let Some(floor) = floor else {
        return Some(before_lead * weighed.priors.lead_weight(doc));
    };
    if before_lead < floor {
        return None;
    }
    // Every weight is monotone in float arithmetic too: a product below
    // the floor with a weight's bound is below it with the weight.
    let reaches = |lead: Score| before_lead * lead >= floor;
    let score = before_lead * weighed.priors.lead_weight_reaching(doc, reaches)?;
    (score >= floor).then_some(score)
}

impl DocSet for WeighedScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for WeighedScorer {
    fn score(&mut self) -> Score {
        let doc = self.inner.doc();
        let before_lead = self.priors.before_lead(self.inner.score(), doc);
        before_lead * self.priors.lead_weight(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_never_raise_a_score() {
        for kind in PassageKind::ALL {
            let k = kind_weight(*kind);
            assert!(k > 0.0 && k <= 1.0, "{kind}");
        }
        for words in 0..200 {
            let l = length_weight(words);
            assert!(l > 0.0 && l <= 1.0, "{words}");
        }
        for mentions in 0..10 {
            for position in [None, Some(0), Some(20), Some(LEAD_FAR), Some(500)] {
                let w = lead_weight(position, mentions);
                assert!(w > 0.0 && w <= 1.0, "{position:?} {mentions}");
            }
        }
    }

    #[test]
    fn a_late_mention_keeps_less_than_an_early_one() {
        assert_eq!(lead_weight(None, 0), 1.0);
        assert_eq!(lead_weight(Some(LEAD_NEAR), 1), 1.0);
        assert!(lead_weight(Some(20), 1) < 1.0 && lead_weight(Some(20), 1) > LEAD_FLOOR);
        assert_eq!(lead_weight(Some(LEAD_FAR), 1), LEAD_FLOOR);
        assert_eq!(lead_weight(Some(500), 1), LEAD_FLOOR);
        let field = tantivy::schema::Field::from_field_id(3);
        let tokens: Vec<String> = ["children", "in", "need", "plans", "children"]
            .map(String::from)
            .to_vec();
        let plural = |t: &str| vec![format!("{t}s"), t.to_string()];
        let terms = lead_terms(field, &tokens, plural);
        let texts: Vec<Vec<String>> = terms
            .iter()
            .map(|forms| {
                forms
                    .iter()
                    .map(|t| t.value().as_str().unwrap_or("").to_string())
                    .collect()
            })
            .collect();
        assert_eq!(
            texts,
            [
                ["children", "childrens"],
                ["need", "needs"],
                ["plans", "planss"]
            ]
        );
    }

    /// A passage that comes back to the query loses less for naming it
    /// late; from four mentions of every word, nothing.
    #[test]
    fn each_further_mention_softens_a_late_lead() {
        let late = |mentions| lead_weight(Some(LEAD_FAR), mentions);
        assert!(late(1) < late(2) && late(2) < late(3) && late(3) < late(4));
        assert_eq!(late(0), late(1));
        assert_eq!(late(4), 1.0);
        assert_eq!(late(9), 1.0);
        assert!(lead_weight(Some(20), 2) > lead_weight(Some(20), 1));
    }

    #[test]
    fn longer_passages_keep_more_up_to_a_point() {
        assert!(length_weight(4) < length_weight(12));
        assert!(length_weight(12) < length_weight(FULL_LENGTH));
        assert!(length_weight(FULL_LENGTH) < length_weight(50));
        assert!(length_weight(FULL_LENGTH) > 0.9);
        assert!(length_weight(50) < length_weight(SUBSTANTIAL));
        assert_eq!(length_weight(SUBSTANTIAL), 1.0);
        assert_eq!(length_weight(SUBSTANTIAL), length_weight(400));
    }
}
