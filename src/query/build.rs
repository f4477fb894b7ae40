//! Turn a parsed query into a tantivy query, and into the matchers that find
//! the spans to highlight in a passage.

use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery, RegexQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, Searcher, Term};

use crate::acronyms::{self, Acronym};

use super::engine::{BoostedPhrase, ForwardOnly};
use super::filter::{self, Resolved};
use super::parse::{Expr, FilterField, QueryError};
use crate::index::schema::{self, Fields, KIND_PASSAGE};
use crate::index::IndexHandle;

/// How a query is matched.
#[derive(Debug, Clone, Copy, Default)]
pub struct MatchOptions {
    /// Match words without stemming.
    pub exact: bool,
}

/// Finds spans to highlight in a passage's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// Consecutive tokens (with up to `slop` others between) that equal these,
    /// compared stemmed or exact.
    Sequence {
        /// Tokens in analyzer form.
        tokens: Vec<String>,
        /// Each token's position relative to the first (punctuation in the
        /// query opens the same gaps as in the text; see `index::tokenize`).
        offsets: Vec<usize>,
        /// Words allowed between them.
        slop: u32,
        /// Compare stemmed forms.
        stemmed: bool,
    },
    /// Exact tokens starting with this.
    Prefix(String),
}

/// A query ready to run, with its highlight matchers.
pub struct Compiled {
    /// The tantivy query.
    pub query: Box<dyn Query>,
    /// What to highlight.
    pub matchers: Vec<Matcher>,
    /// Corrections made to the query (misspelt names), to tell the user.
    pub notes: Vec<String>,
    /// No phrase in the query allows words between its words (so top-k
    /// pruning may bound a phrase's count by its words' counts).
    pub phrases_exact: bool,
}

/// The two analyzers the text fields use.
#[derive(Clone)]
pub struct Analyzers {
    /// Stemmed (`text`, `section`, `title`).
    pub stemmed: TextAnalyzer,
    /// Exact (`text_exact`).
    pub exact: TextAnalyzer,
}

impl Analyzers {
    /// The analyzers registered on an index.
    pub fn of(handle: &IndexHandle) -> Analyzers {
        let tokenizers = handle.index.tokenizers();
        Analyzers {
            stemmed: tokenizers.get(schema::STEMMED).unwrap_or_default(),
            exact: tokenizers.get(schema::EXACT).unwrap_or_default(),
        }
    }

    /// Tokens of `text` with their positions relative to the first token.
    pub fn tokens_at(&mut self, text: &str, stemmed: bool) -> (Vec<String>, Vec<usize>) {
        let analyzer = if stemmed {
            &mut self.stemmed
        } else {
            &mut self.exact
        };
        tokens_at(analyzer, text)
    }

    /// Tokens of `text` in stemmed or exact form.
    pub fn tokens(&mut self, text: &str, stemmed: bool) -> Vec<String> {
        let analyzer = if stemmed {
            &mut self.stemmed
        } else {
            &mut self.exact
        };
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }
}

struct Builder<'a> {
    fields: &'a Fields,
    searcher: &'a Searcher,
    analyzers: Analyzers,
    options: MatchOptions,
    matchers: Vec<Matcher>,
    notes: Vec<String>,
    sloppy: bool,
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

/// A prefix standing for more indexed words than this matches every one of
/// them alike (a constant score), as a query of that many clauses would be
/// slow to score.
const MAX_PREFIX_WORDS: usize = 1024;

/// The fewest letters a word shares with its stem for its other forms to be
/// looked up (fewer would list a large part of the vocabulary).
const MIN_STEM_LOOKUP: usize = 3;

/// Passages holding any of `words`, each scored by BM25 and summed.
fn any_word(field: Field, words: &[String]) -> Box<dyn Query> {
    match words {
        [] => Box::new(EmptyQuery),
        [one] => term_query(field, one),
        many => Box::new(BooleanQuery::new(
            many.iter()
                .map(|w| (Occur::Should, term_query(field, w)))
                .collect(),
        )),
    }
}

fn sequence_query(field: Field, tokens: &[String], offsets: &[usize], slop: u32) -> Box<dyn Query> {
    match tokens {
        [] => Box::new(EmptyQuery),
        [one] => term_query(field, one),
        many => Box::new(phrase_query(field, many, offsets, slop)),
    }
}

/// The tokens at their offsets (positions past the offsets given follow
/// the last) as a phrase.
fn phrase_query(field: Field, tokens: &[String], offsets: &[usize], slop: u32) -> PhraseQuery {
    let terms = tokens
        .iter()
        .zip(offsets.iter().copied().chain(tokens.len()..))
        .map(|(t, at)| (at, Term::from_field_text(field, t)))
        .collect();
    PhraseQuery::new_with_offset_and_slop(terms, slop)
}

impl Builder<'_> {
    fn text_field(&self, stemmed: bool) -> Field {
        if stemmed {
            self.fields.text
        } else {
            self.fields.text_exact
        }
    }

    /// Query for a run of words, recording its highlight matcher.
    fn words(&mut self, text: &str, slop: u32, stemmed: bool) -> Box<dyn Query> {
        let mut stemmed = stemmed;
        let (mut tokens, mut offsets) = self.analyzers.tokens_at(text, stemmed);
        // The stemmed field has no positions: a word that splits into several
        // tokens ("decision-making") is matched as an exact phrase.
        if stemmed && tokens.len() > 1 {
            stemmed = false;
            (tokens, offsets) = self.analyzers.tokens_at(text, false);
        }
        if tokens.is_empty() {
            return Box::new(EmptyQuery);
        }
        self.sloppy |= slop > 0 && tokens.len() > 1;
        let q = sequence_query(self.text_field(stemmed), &tokens, &offsets, slop);
        self.matchers.push(Matcher::Sequence {
            tokens,
            offsets,
            slop,
            stemmed,
        });
        q
    }

    fn expr(&mut self, expr: &Expr, positive: bool) -> Result<Box<dyn Query>, QueryError> {
        Ok(match expr {
            Expr::Word { text, prefix: true } => {
                let lower = text.to_lowercase();
                let q = match self.prefix_words(&lower) {
                    // Each word scored by BM25 and summed, so the passages
                    // using the words most rank first (as FTS5 ranks a prefix).
                    Some(words) => any_word(self.fields.text_exact, &words),
                    None => {
                        let pattern = format!("{}.*", regex_escape(&lower));
                        let q = RegexQuery::from_pattern(&pattern, self.fields.text_exact)
                            .map_err(|e| {
                                QueryError::new(
                                    format!("bad prefix '{text}*': {e}"),
                                    "use letters before *",
                                )
                            })?;
                        Box::new(q) as Box<dyn Query>
                    }
                };
                if positive {
                    self.matchers.push(Matcher::Prefix(lower));
                }
                q
            }
            Expr::Word {
                text,
                prefix: false,
            } => {
                let stemmed = !self.options.exact;
                let q = self.sequence(text, 0, stemmed, positive);
                match acronyms::by_short(text) {
                    Some(acr) => self.with_acronym(q, acr, positive),
                    None => q,
                }
            }
            Expr::Phrase { text, slop } => {
                let q = self.sequence(text, *slop, false, positive);
                let stems = self.analyzers.tokens(text, true);
                let acr = acronyms::by_long(&stems, |l| self.analyzers.tokens(l, true));
                match acr {
                    Some(acr) if *slop == 0 => self.with_acronym(q, acr, positive),
                    _ => q,
                }
            }
            Expr::And(_) if self.expansion_of(expr).is_some() => {
                let acr = self.expansion_of(expr);
                let q = self.and(expr, positive)?;
                match acr {
                    Some(acr) => self.with_acronym(q, acr, positive),
                    None => q,
                }
            }
            Expr::Filter { field, value } => {
                let resolved = filter::resolve(*field, value, &mut self.notes)?;
                self.filter(&resolved)
            }
            Expr::Not(inner) => {
                let q = self.expr(inner, !positive)?;
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                    (Occur::MustNot, excluded(q)),
                ]))
            }
            Expr::And(_) => self.and(expr, positive)?,
            Expr::Or(parts) => {
                let mut clauses = Vec::with_capacity(parts.len());
                for p in parts {
                    clauses.push((Occur::Should, self.expr(p, positive)?));
                }
                Box::new(BooleanQuery::new(clauses))
            }
        })
    }

    /// A run of words as a query, recording its matcher when it counts for highlights.
    fn sequence(&mut self, text: &str, slop: u32, stemmed: bool, positive: bool) -> Box<dyn Query> {
        let matchers = self.matchers.len();
        let q = self.words(text, slop, stemmed);
        if !positive {
            self.matchers.truncate(matchers);
        }
        q
    }

    /// The acronym whose expansion a plain run of words spells out.
    fn expansion_of(&mut self, expr: &Expr) -> Option<&'static Acronym> {
        let words = plain_words(expr)?;
        let stems = self.analyzers.tokens(&words.join(" "), true);
        acronyms::by_long(&stems, |l| self.analyzers.tokens(l, true))
    }

    /// `q`, or the acronym (stemmed, so "IROs" counts), or any of its expansions
    /// (exact phrases, singular or with a plural "s").
    fn with_acronym(&mut self, q: Box<dyn Query>, acr: &Acronym, positive: bool) -> Box<dyn Query> {
        let mut clauses = vec![(Occur::Should, q)];
        clauses.push((Occur::Should, self.sequence(acr.short, 0, true, positive)));
        for form in acr.long {
            clauses.push((Occur::Should, self.sequence(form, 0, false, positive)));
            if !form.ends_with('s') {
                let plural = format!("{form}s");
                clauses.push((Occur::Should, self.sequence(&plural, 0, false, positive)));
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn and(&mut self, expr: &Expr, positive: bool) -> Result<Box<dyn Query>, QueryError> {
        let Expr::And(parts) = expr else {
            return self.expr(expr, positive);
        };
        Ok({
            {
                let mut clauses = Vec::with_capacity(parts.len());
                for p in parts {
                    if let Expr::Not(inner) = p {
                        clauses.push((Occur::MustNot, excluded(self.expr(inner, !positive)?)));
                    } else {
                        clauses.push((Occur::Must, self.expr(p, positive)?));
                    }
                }
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
        })
    }

    /// The indexed exact words starting with `prefix`, in order, when there
    /// are at most [`MAX_PREFIX_WORDS`] of them (`None` past that).
    fn prefix_words(&self, prefix: &str) -> Option<Vec<String>> {
        let field = self.fields.text_exact;
        let mut words = std::collections::BTreeSet::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field).ok()?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .into_stream()
                .ok()?;
            while stream.advance() {
                let key = stream.key();
                if !key.starts_with(prefix.as_bytes()) {
                    break;
                }
                words.insert(String::from_utf8_lossy(key).into_owned());
                if words.len() > MAX_PREFIX_WORDS {
                    return None;
                }
            }
        }
        Some(words.into_iter().collect())
    }

    /// The indexed exact words that share `token`'s stem (what a stemmed
    /// search for it matches), for the lead weight to read where a passage
    /// first names it in any form; none under `--exact`, for a stem too
    /// short to look up, or past [`MAX_PREFIX_WORDS`] words to stem.
    fn stem_forms(&mut self, token: &str) -> Vec<String> {
        if self.options.exact {
            return Vec::new();
        }
        let [stem] = &self.analyzers.tokens(token, true)[..] else {
            return Vec::new();
        };
        // The words sharing a stem start with what it shares with the word
        // ("happi", "happy": "happ").
        let shared: String = stem
            .chars()
            .zip(token.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a)
            .collect();
        if shared.chars().count() < MIN_STEM_LOOKUP {
            return Vec::new();
        }
        let Some(words) = self.prefix_words(&shared) else {
            return Vec::new();
        };
        words
            .into_iter()
            .filter(|w| w != token && self.analyzers.tokens(w, true) == std::slice::from_ref(stem))
            .collect()
    }

    /// An inspector name as indexed; a misspelt one is taken as the closest indexed name.
    fn inspector(&mut self, value: &str) -> String {
        let field = self.fields.of(crate::fields::INSPECTOR);
        let mut known = std::collections::BTreeSet::new();
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            if inverted
                .get_term_info(&Term::from_field_text(field, value))
                .ok()
                .flatten()
                .is_some()
            {
                return value.to_string();
            }
            let mut terms = inverted.terms().stream().ok();
            while let Some(stream) = terms.as_mut() {
                if !stream.advance() {
                    break;
                }
                known.insert(String::from_utf8_lossy(stream.key()).into_owned());
            }
        }
        let best = known
            .iter()
            .map(|k| (strsim::levenshtein(k, value), k))
            .filter(|(d, _)| *d <= 3.max(value.len() / 5))
            .min();
        match best {
            Some((_, name)) => {
                self.notes.push(format!(
                    "inspector '{value}' is not indexed: taken as '{name}'"
                ));
                name.clone()
            }
            None => value.to_string(),
        }
    }

    /// Passages and records of the documents whose title matches `words`.
    /// Titles are indexed on document records only (repeated on every passage
    /// they were a tenth of the stemmed tokens an ingest indexed), so the
    /// filter finds those records first, then their paths.
    fn documents_titled(&mut self, words: BooleanQuery) -> Box<dyn Query> {
        let f = self.fields;
        let records: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(f.kind, crate::index::schema::KIND_DOC),
            IndexRecordOption::Basic,
        ));
        let query = BooleanQuery::new(vec![(Occur::Must, records), (Occur::Must, Box::new(words))]);
        let Ok(addrs) = self
            .searcher
            .search(&query, &tantivy::collector::DocSetCollector)
        else {
            return Box::new(EmptyQuery);
        };
        let addrs: Vec<tantivy::DocAddress> = addrs.into_iter().collect();
        let mut paths = Vec::new();
        for (segment_ord, docs) in crate::index::reader::by_segment(&addrs) {
            let fast = self.searcher.segment_reader(segment_ord).fast_fields();
            let column = fast.str("path").ok().flatten();
            let names =
                crate::index::reader::strings_of(column.as_ref(), &docs).unwrap_or_default();
            paths.extend(
                names
                    .into_iter()
                    .flatten()
                    .map(|p| Term::from_field_text(f.path, &p)),
            );
        }
        if paths.is_empty() {
            return Box::new(EmptyQuery);
        }
        Box::new(tantivy::query::TermSetQuery::new(paths))
    }

    /// A resolved filter as a query (filters never highlight).
    fn filter(&mut self, resolved: &Resolved) -> Box<dyn Query> {
        let f = self.fields;
        match resolved {
            Resolved::Keyword(FilterField::Meta(id), value) if id.name() == "inspector" => {
                let name = self.inspector(value);
                Box::new(TermQuery::new(
                    Term::from_field_text(f.of(*id), &name),
                    IndexRecordOption::Basic,
                ))
            }
            Resolved::Keyword(field, value) => {
                let target = match field {
                    FilterField::Meta(id) => f.of(*id),
                    _ => f.mentioned,
                };
                Box::new(TermQuery::new(
                    Term::from_field_text(target, value),
                    IndexRecordOption::Basic,
                ))
            }
            Resolved::Words(field, value) => {
                let title = *field == FilterField::Title;
                let target = if title { f.title } else { f.section };
                // Title and section words are indexed without positions: all must appear.
                let tokens = self.analyzers.tokens(value, true);
                if tokens.is_empty() {
                    return Box::new(EmptyQuery);
                }
                let words = BooleanQuery::new(
                    tokens
                        .iter()
                        .map(|t| {
                            let q: Box<dyn Query> = Box::new(TermQuery::new(
                                Term::from_field_text(target, t),
                                IndexRecordOption::Basic,
                            ));
                            (Occur::Must, q)
                        })
                        .collect(),
                );
                if title {
                    self.documents_titled(words)
                } else {
                    Box::new(words)
                }
            }
            Resolved::DateRange(from, to) => {
                use std::ops::Bound;
                let bound = |secs: &Option<i64>| match secs {
                    None => Bound::Unbounded,
                    Some(s) => Bound::Included(Term::from_field_date(
                        f.date,
                        DateTime::from_timestamp_secs(*s),
                    )),
                };
                if from.is_none() && to.is_none() {
                    // `date:[* TO *]`: any dated document (tantivy refuses a
                    // range with no bound at all).
                    return Box::new(tantivy::query::ExistsQuery::new("date".into(), false));
                }
                Box::new(RangeQuery::new(bound(from), bound(to)))
            }
            Resolved::Documents(paths) if paths.is_empty() => Box::new(EmptyQuery),
            Resolved::Documents(paths) => Box::new(tantivy::query::TermSetQuery::new(
                paths.iter().map(|p| Term::from_field_text(f.path, p)),
            )),
        }
    }
}

/// Tokens of `text` by `analyzer`, with their positions relative to the first.
pub fn tokens_at(analyzer: &mut TextAnalyzer, text: &str) -> (Vec<String>, Vec<usize>) {
    let mut stream = analyzer.token_stream(text);
    let (mut tokens, mut offsets) = (Vec::new(), Vec::new());
    let mut first = None;
    while stream.advance() {
        let t = stream.token();
        let start = *first.get_or_insert(t.position);
        tokens.push(t.text.clone());
        offsets.push(t.position - start);
    }
    (tokens, offsets)
}

/// An excluded clause: tantivy asks it about documents before the one its
/// scorer stands on ([`ForwardOnly`]).
fn excluded(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ForwardOnly(q))
}

fn regex_escape(s: &str) -> String {
    regex::escape(s)
}

/// Is this a plain run of words (no operators, phrases or filters)?
pub fn plain_words(expr: &Expr) -> Option<Vec<&str>> {
    match expr {
        Expr::And(parts) => parts
            .iter()
            .map(|p| match p {
                Expr::Word {
                    text,
                    prefix: false,
                } => Some(text.as_str()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// The words a passage should name early to be about the query: the plain
/// words and the phrases' words the query requires, as typed (OR, NOT,
/// prefixes and filters name no such word).
fn lead_words(expr: &Expr) -> Vec<&str> {
    match expr {
        Expr::Word {
            text,
            prefix: false,
        }
        | Expr::Phrase { text, .. } => vec![text.as_str()],
        Expr::And(parts) => parts.iter().flat_map(lead_words).collect(),
        _ => Vec::new(),
    }
}

/// Can only passages match `expr`? Words and phrases are indexed in
/// passages' text alone, and `mentions:` on passages alone; document records
/// hold neither.
fn only_passages(expr: &Expr) -> bool {
    match expr {
        Expr::Word { .. } | Expr::Phrase { .. } => true,
        Expr::Filter { field, .. } => *field == FilterField::Mentions,
        Expr::And(parts) => parts.iter().any(only_passages),
        Expr::Or(parts) => !parts.is_empty() && parts.iter().all(only_passages),
        Expr::Not(_) => false,
    }
}

/// How many times a search for several words counts the passages holding
/// them as a phrase: enough to lift them over passages that only hold the
/// words, not so much that a bare list item that *is* the phrase beats a
/// finding that uses it (benches/relevance: 100 ranked "Management
/// oversight and supervision." above what inspectors found).
const PHRASE_BOOST: f32 = 10.0;

/// Compile a query, AND-ed with extra filters (from command-line flags).
///
/// Unless `scored`, a query that only passages can match leaves out the
/// clause keeping document records away: it matches nearly every document,
/// so intersecting with it is work for nothing (12 % of a phrase's count at
/// 100x). A scored query keeps it, as its share of every score.
pub fn compile(
    handle: &IndexHandle,
    searcher: &Searcher,
    expr: Option<&Expr>,
    extra: &[Vec<Resolved>],
    options: MatchOptions,
    scored: bool,
) -> Result<Compiled, QueryError> {
    let mut b = Builder {
        fields: &handle.fields,
        searcher,
        analyzers: Analyzers::of(handle),
        options,
        matchers: Vec::new(),
        notes: Vec::new(),
        sloppy: false,
    };
    use super::rank::Part;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    // What each clause stands for, to explain a score.
    let mut labels: Vec<Part> = Vec::new();
    if scored || !expr.is_some_and(only_passages) {
        clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(handle.fields.kind, KIND_PASSAGE),
                IndexRecordOption::Basic,
            )),
        ));
        labels.push(Part::Filters);
    }
    if let Some(expr) = expr {
        clauses.push((Occur::Must, b.expr(expr, true)?));
        labels.push(Part::Words);
        // Passages that hold the words as a phrase rank first.
        if let Some(words) = plain_words(expr) {
            let (tokens, offsets) = b.analyzers.tokens_at(&words.join(" "), false);
            if tokens.len() > 1 {
                let phrase = BoostedPhrase {
                    phrase: phrase_query(handle.fields.text_exact, &tokens, &offsets, 0),
                    boost: PHRASE_BOOST,
                };
                clauses.push((Occur::Should, Box::new(phrase)));
                labels.push(Part::Phrase);
            }
        }
    }
    for group in extra {
        let any: Vec<(Occur, Box<dyn Query>)> =
            group.iter().map(|r| (Occur::Should, b.filter(r))).collect();
        if !any.is_empty() {
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
            labels.push(Part::Filters);
        }
    }
    let query: Box<dyn Query> = if scored {
        let lead = expr.map(lead_words).unwrap_or_default().join(" ");
        let (tokens, _) = b.analyzers.tokens_at(&lead, false);
        let lead = super::rank::lead_terms(handle.fields.text_exact, &tokens, |t| b.stem_forms(t));
        let parts = clauses
            .iter()
            .zip(&labels)
            .map(|((_, q), label)| (*label, q.box_clone()))
            .collect();
        let query = Box::new(BooleanQuery::new(clauses));
        Box::new(super::rank::Weighed::new(
            query,
            handle.fields.text,
            parts,
            lead,
        ))
    } else {
        Box::new(BooleanQuery::new(clauses))
    };
    Ok(Compiled {
        query,
        matchers: b.matchers,
        notes: b.notes,
        phrases_exact: !b.sloppy,
    })
}

#[cfg(test)]
mod tests {
    use super::only_passages;
    use crate::query::parse::parse;

    fn passages_only(query: &str) -> bool {
        only_passages(&parse(query).unwrap())
    }

    #[test]
    fn words_phrases_and_mentions_match_passages_only() {
        for query in [
            "oversight",
            "\"management oversight\"",
            "manag*",
            "mentions:\"South Gloucestershire\"",
            "oversight -management",
            "authority:Bristol oversight",
            "oversight OR \"social workers\"",
        ] {
            assert!(passages_only(query), "{query}");
        }
    }

    #[test]
    fn filters_and_negations_alone_may_match_records() {
        for query in [
            "authority:Bristol",
            "title:inspection",
            "section:leadership",
            "-oversight",
            "oversight OR authority:Bristol",
            "date:[2019 TO 2021]",
        ] {
            assert!(!passages_only(query), "{query}");
        }
    }
}
