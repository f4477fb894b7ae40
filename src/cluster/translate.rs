//! The query language as SphinxQL: words, phrases, `OR`, `NOT` and
//! proximity become a `MATCH` over the exported tokens
//! ([`crate::export::form`]); filters become `WHERE` conditions on the
//! exported attributes. What the engine cannot express is refused, naming
//! the part, never dropped.

use tantivy::tokenizer::TextAnalyzer;

use crate::acronyms::{self, Acronym};
use crate::export::form::{
    self, ALL, ALL_FIELD, DATE_ATTR, EXACT_FIELD, MENTIONS_ATTR, NO_DATE, STEM_FIELD,
};
use crate::index::tokenize::{exact_analyzer, stemmed_analyzer, SENTENCE_GAP};
use crate::query::build::Matcher;
use crate::query::filter::{self, Resolved};
use crate::query::parse::{Expr, FilterField, QueryError};
use crate::query::MatchOptions;

/// Part of a request the engine cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TranslateError {
    /// The query does not parse or a filter names nothing.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// The query is valid, but this part has no SphinxQL form.
    #[error("the cluster cannot run {part}: {why}")]
    Refused {
        /// The part, as typed.
        part: String,
        /// Why not, and what to do instead.
        why: String,
    },
}

fn refuse(part: impl Into<String>, why: impl Into<String>) -> TranslateError {
    TranslateError::Refused {
        part: part.into(),
        why: why.into(),
    }
}

/// A request as SphinxQL: the `MATCH` text (none: every passage) and the
/// `WHERE` conditions AND-ed with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Translated {
    /// The full-text query, in Sphinx's extended syntax.
    pub matching: Option<String>,
    /// Attribute conditions.
    pub conditions: Vec<String>,
    /// What the user should know (a name taken as typed).
    pub notes: Vec<String>,
    /// What to highlight in a hit (the words and phrases not under `NOT`).
    pub matchers: Vec<Matcher>,
}

impl Translated {
    /// The `WHERE` clause's body (`MATCH(…) AND …`), or `None` for every passage.
    pub fn where_clause(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(m) = &self.matching {
            parts.push(format!("MATCH('{}')", sql_escape(m)));
        }
        parts.extend(self.conditions.iter().cloned());
        (!parts.is_empty()).then(|| parts.join(" AND "))
    }
}

/// `s` for a single-quoted SQL string.
pub fn sql_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\'', "\\'")
}

/// A piece of `MATCH` text, and whether it only subtracts.
struct Piece {
    text: String,
    negative: bool,
}

impl Piece {
    fn positive(text: String) -> Piece {
        Piece {
            text,
            negative: false,
        }
    }

    /// The piece on its own: a negation is taken from every passage.
    fn standalone(self) -> String {
        if self.negative {
            format!("(@{ALL_FIELD} {ALL} {})", self.text)
        } else {
            self.text
        }
    }
}

struct Translator {
    stemmed: TextAnalyzer,
    exact: TextAnalyzer,
    options: MatchOptions,
    notes: Vec<String>,
    matchers: Vec<Matcher>,
    /// Not under an odd number of `NOT`s: its words are highlighted.
    positive: bool,
}

use crate::query::build::tokens_at;

impl Translator {
    fn tokens(&mut self, text: &str, stemmed: bool) -> Vec<String> {
        let a = if stemmed {
            &mut self.stemmed
        } else {
            &mut self.exact
        };
        tokens_at(a, text).0
    }

    /// A run of words: one stemmed token in `stem`, else the exact tokens
    /// as a phrase in `exact` (ofsearch's rule: the stemmed field has no positions).
    fn words(&mut self, typed: &str, slop: u32, stemmed: bool) -> Result<String, TranslateError> {
        let (tokens, offsets) = if stemmed {
            let (t, o) = tokens_at(&mut self.stemmed, typed);
            if t.len() > 1 {
                tokens_at(&mut self.exact, typed)
            } else {
                (t, o)
            }
        } else {
            tokens_at(&mut self.exact, typed)
        };
        if self.positive && !tokens.is_empty() {
            self.matchers.push(Matcher::Sequence {
                tokens: tokens.clone(),
                offsets: offsets.clone(),
                slop,
                stemmed: stemmed && tokens.len() == 1,
            });
        }
        match tokens.as_slice() {
            [] => Err(refuse(
                format!("'{typed}'"),
                "it has no letters or digits, and the engine has no query matching nothing",
            )),
            [one] if stemmed => Ok(format!("(@{STEM_FIELD} {})", form::encoded(one))),
            [one] => Ok(format!("(@{EXACT_FIELD} {})", form::encoded(one))),
            many => {
                let mut phrase = String::new();
                for (i, t) in many.iter().enumerate() {
                    if i > 0 {
                        let step = offsets[i] - offsets[i - 1];
                        if step > SENTENCE_GAP {
                            return Err(refuse(
                                format!("\"{typed}\""),
                                "a phrase across a sentence end; drop the full stop",
                            ));
                        }
                        if step > 1 {
                            // ofsearch lets any word stand where the
                            // punctuation is; a Sphinx phrase has no such place.
                            return Err(refuse(
                                format!("\"{typed}\""),
                                "punctuation inside a phrase; drop it, or search the words as a phrase and beside each other",
                            ));
                        }
                        phrase.push(' ');
                    }
                    phrase.push_str(&form::encoded(t));
                }
                // Sphinx's `~k` allows k - 1 words between, in either order;
                // ofsearch's `~N`, N in order: `~N+1` finds all ofsearch finds.
                Ok(if slop > 0 {
                    format!("(@{EXACT_FIELD} \"{phrase}\"~{})", slop + 1)
                } else {
                    format!("(@{EXACT_FIELD} \"{phrase}\")")
                })
            }
        }
    }

    /// `q`, or the acronym, or any of its expansions (as ofsearch matches them).
    fn with_acronym(&mut self, q: String, acr: &Acronym) -> Result<String, TranslateError> {
        let mut any = vec![q, self.words(acr.short, 0, true)?];
        for long in acr.long {
            any.push(self.words(long, 0, false)?);
            if !long.ends_with('s') {
                any.push(self.words(&format!("{long}s"), 0, false)?);
            }
        }
        Ok(format!("({})", any.join(" | ")))
    }

    fn expansion_of(&mut self, expr: &Expr) -> Option<&'static Acronym> {
        let words = crate::query::build::plain_words(expr)?;
        let stems = self.tokens(&words.join(" "), true);
        acronyms::by_long(&stems, |l| self.tokens(l, true))
    }

    fn piece(&mut self, expr: &Expr) -> Result<Piece, TranslateError> {
        Ok(match expr {
            Expr::Word { text, prefix: true } => {
                return Err(refuse(
                    format!("'{text}*'"),
                    "prefixes are not exported; write the words in full (OR between them)",
                ))
            }
            Expr::Word {
                text,
                prefix: false,
            } => {
                let q = self.words(text, 0, !self.options.exact)?;
                Piece::positive(match acronyms::by_short(text) {
                    Some(acr) => self.with_acronym(q, acr)?,
                    None => q,
                })
            }
            Expr::Phrase { text, slop } => {
                let q = self.words(text, *slop, false)?;
                if *slop > 0 {
                    self.notes.push(format!(
                        "\"{text}\"~{slop} is near, not exact, on the cluster: Sphinx takes the words in either order (for two words it finds every passage ofsearch finds, and some where they come reversed)"
                    ));
                }
                let stems = self.tokens(text, true);
                let acr = acronyms::by_long(&stems, |l| self.tokens(l, true));
                Piece::positive(match acr {
                    Some(acr) if *slop == 0 => self.with_acronym(q, acr)?,
                    _ => q,
                })
            }
            Expr::Filter { .. } => {
                return Err(refuse(
                    describe(expr),
                    "a filter inside OR, NOT or a group; the engine applies filters to the whole query, so put it beside the words",
                ))
            }
            Expr::Not(inner) => {
                self.positive = !self.positive;
                let inner = self.piece(inner);
                self.positive = !self.positive;
                Piece {
                    text: format!("-({})", inner?.standalone()),
                    negative: true,
                }
            }
            Expr::And(parts) => {
                let acr = self.expansion_of(expr);
                let (mut pos, mut neg) = (Vec::new(), Vec::new());
                for p in parts {
                    let piece = self.piece(p)?;
                    if piece.negative {
                        neg.push(piece.text);
                    } else {
                        pos.push(piece.text);
                    }
                }
                let negative = pos.is_empty();
                let text = format!("({})", pos.into_iter().chain(neg).collect::<Vec<_>>().join(" "));
                match acr {
                    Some(acr) => Piece::positive(self.with_acronym(text, acr)?),
                    None => Piece { text, negative },
                }
            }
            Expr::Or(parts) => {
                let mut any = Vec::new();
                for p in parts {
                    any.push(self.piece(p)?.standalone());
                }
                Piece::positive(format!("({})", any.join(" | ")))
            }
        })
    }
}

/// A filter as typed, for messages.
fn describe(expr: &Expr) -> String {
    match expr {
        Expr::Filter { field, value } => {
            let name = match field {
                FilterField::Meta(id) => id.name(),
                FilterField::Section => "section",
                FilterField::Date => "date",
                FilterField::Title => "title",
                FilterField::Mentions => "mentions",
            };
            match value {
                crate::query::parse::FilterValue::One(v) => format!("{name}:\"{v}\""),
                crate::query::parse::FilterValue::Range(a, b) => format!("{name}:[{a} TO {b}]"),
            }
        }
        _ => "this part".into(),
    }
}

/// A day number from seconds since the epoch.
fn day(secs: i64) -> i64 {
    secs.div_euclid(86_400)
}

/// One resolved filter (or a group of alternatives) as a `WHERE` condition.
fn condition(
    group: &[Resolved],
    notes: &mut Vec<String>,
) -> Result<Option<String>, TranslateError> {
    let Some(first) = group.first() else {
        return Ok(None);
    };
    match first {
        Resolved::Keyword(field, _) => {
            let attr = match field {
                FilterField::Meta(id) => form::attr_name(*id),
                _ => MENTIONS_ATTR.to_string(),
            };
            let mut hashes = Vec::new();
            for r in group {
                match r {
                    Resolved::Keyword(f, v) if f == field => {
                        if matches!(f, FilterField::Meta(id) if id.name() == "inspector") {
                            notes.push(format!(
                                "inspector '{v}' is matched as typed on the cluster (no correction of misspelt names)"
                            ));
                        }
                        hashes.push(form::value_hash(v).to_string());
                    }
                    _ => {
                        return Err(refuse(
                            "filters of different fields OR-ed together",
                            "the engine ORs values of one attribute only",
                        ))
                    }
                }
            }
            Ok(Some(if hashes.len() == 1 {
                format!("{attr} = {}", hashes[0])
            } else {
                format!("{attr} IN ({})", hashes.join(", "))
            }))
        }
        Resolved::DateRange(from, to) if group.len() == 1 => {
            let mut c = vec![format!("{DATE_ATTR} > {NO_DATE}")];
            if let Some(f) = from {
                c.push(format!("{DATE_ATTR} >= {}", day(*f)));
            }
            if let Some(t) = to {
                c.push(format!("{DATE_ATTR} <= {}", day(*t)));
            }
            Ok(Some(c.join(" AND ")))
        }
        Resolved::DateRange(..) => Err(refuse("date ranges OR-ed together", "give one date range")),
        Resolved::Words(field, v) => Err(refuse(
            format!(
                "{}:\"{v}\"",
                if *field == FilterField::Title {
                    "title"
                } else {
                    "section"
                }
            ),
            "titles and sections are not exported; search the text instead",
        )),
        Resolved::Documents(_) => Err(refuse(
            "a filter by document",
            "documents are not exported by path; filter by authority, type or date",
        )),
    }
}

/// Flatten nested ANDs into their conjuncts.
fn conjuncts<'a>(expr: &'a Expr, out: &mut Vec<&'a Expr>) {
    match expr {
        Expr::And(parts) => parts.iter().for_each(|p| conjuncts(p, out)),
        other => out.push(other),
    }
}

/// Translate a query (parsed) and the command line's filter groups (each
/// group OR-ed within, the groups AND-ed).
pub fn translate(
    expr: Option<&Expr>,
    extra: &[Vec<Resolved>],
    options: MatchOptions,
) -> Result<Translated, TranslateError> {
    let mut t = Translator {
        stemmed: stemmed_analyzer(),
        exact: exact_analyzer(),
        options,
        notes: Vec::new(),
        matchers: Vec::new(),
        positive: true,
    };
    let mut out = Translated::default();
    if let Some(expr) = expr {
        // A run of plain words spelling an acronym's expansion is one piece.
        let whole = t.expansion_of(expr).is_some();
        let mut parts = Vec::new();
        if whole {
            parts.push(expr);
        } else {
            conjuncts(expr, &mut parts);
        }
        let mut pieces = Vec::new();
        for p in parts {
            if let Expr::Filter { field, value } = p {
                let resolved = filter::resolve(*field, value, &mut out.notes)?;
                out.conditions
                    .extend(condition(&[resolved], &mut out.notes)?);
            } else {
                pieces.push(t.piece(p)?);
            }
        }
        if !pieces.is_empty() {
            let negative = pieces.iter().all(|p| p.negative);
            let mut text: Vec<String> = Vec::new();
            if negative {
                text.push(format!("(@{ALL_FIELD} {ALL})"));
            }
            text.extend(pieces.into_iter().map(|p| p.text));
            out.matching = Some(text.join(" "));
        }
    }
    for group in extra {
        out.conditions.extend(condition(group, &mut out.notes)?);
    }
    out.notes.append(&mut t.notes);
    out.matchers = t.matchers;
    out.notes.dedup();
    Ok(out)
}

/// Parse and translate a query string (empty: filters alone).
pub fn translate_query(
    query: &str,
    extra: &[Vec<Resolved>],
    options: MatchOptions,
) -> Result<Translated, TranslateError> {
    let request = crate::query::SearchRequest {
        query: query.to_string(),
        filters: extra.to_vec(),
        ..Default::default()
    };
    let expr = request.expr()?;
    translate(expr.as_ref(), extra, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(q: &str) -> Translated {
        translate_query(q, &[], MatchOptions::default()).unwrap()
    }

    #[test]
    fn words_and_phrases_become_the_exported_tokens() {
        assert_eq!(m("Managers").matching.unwrap(), "(@stem manag)");
        assert_eq!(
            m("\"management oversight\"").matching.unwrap(),
            "(@exact \"management oversight\")"
        );
        assert_eq!(
            m("\"social workers\"~3").matching.unwrap(),
            "(@exact \"social workers\"~4)"
        );
        assert_eq!(
            m("decision-making").matching.unwrap(),
            "(@exact \"decision making\")"
        );
        assert_eq!(
            m("oversight -management").matching.unwrap(),
            "(@stem oversight) -((@stem manag))"
        );
        assert_eq!(
            m("-management").matching.unwrap(),
            "(@everything zqall) -((@stem manag))"
        );
        assert_eq!(
            m("a OR -b").matching.unwrap(),
            "((@stem a) | (@everything zqall -((@stem b))))"
        );
        assert!(m("IRO")
            .matching
            .unwrap()
            .contains("independent reviewing officer"));
    }

    #[test]
    fn filters_become_conditions() {
        let t = m("oversight authority:Bristol date:[2019 TO 2020]");
        assert_eq!(t.matching.unwrap(), "(@stem oversight)");
        assert!(
            t.conditions[0].starts_with("f_authority = "),
            "{:?}",
            t.conditions
        );
        assert!(
            t.conditions[1].contains("day >= 17897"),
            "{:?}",
            t.conditions
        );
        assert!(m("type:focused").matching.is_none());
        assert!(translate_query("", &[], MatchOptions::default()).is_err());
    }

    #[test]
    fn what_cannot_run_is_refused_by_name() {
        for (q, part) in [
            ("supervis*", "'supervis*'"),
            ("a OR authority:Bristol", "authority:\"Bristol\""),
            ("title:inspection", "title:\"inspection\""),
            ("\"management, oversight\"", "\"management, oversight\""),
        ] {
            match translate_query(q, &[], MatchOptions::default()) {
                Err(TranslateError::Refused { part: p, .. }) => assert_eq!(p, part, "{q}"),
                other => panic!("{q}: {other:?}"),
            }
        }
    }
}
