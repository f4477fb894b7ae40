//! Find the spans of a passage that a query matched, and cut a snippet around them.

use super::build::{Analyzers, Matcher};
use crate::index::tokenize::Stems;

/// A token of the passage: its byte range in the passage, and where its
/// exact and stemmed forms sit in the shared [`Toks::forms`] buffer.
struct Tok {
    start: usize,
    end: usize,
    /// Position as indexed (punctuation opens gaps: `index::tokenize`).
    pos: usize,
    exact: (usize, usize),
    stemmed: (usize, usize),
}

/// The tokens of one passage. Their forms share one buffer: a passage has
/// hundreds of tokens, and a string each made highlighting allocation-bound.
struct Toks {
    forms: String,
    toks: Vec<Tok>,
}

impl Toks {
    fn form(&self, tok: &Tok, stemmed: bool) -> &str {
        let (s, e) = if stemmed { tok.stemmed } else { tok.exact };
        self.forms.get(s..e).unwrap_or_default()
    }
}

fn push_form(forms: &mut String, text: &str) -> (usize, usize) {
    let start = forms.len();
    forms.push_str(text);
    (start, forms.len())
}

/// The first bytes of the stems the stemmed matchers look for: a word is
/// stemmed only when it starts with one of them.
type StemHeads = Vec<u8>;

fn tokenize(text: &str, analyzers: &mut Analyzers, stem_heads: Option<&StemHeads>) -> Toks {
    let Toks {
        mut forms,
        mut toks,
    } = tokenize_reach(text, analyzers, usize::MAX);
    if let Some(heads) = stem_heads {
        // The stemmed analyzer is the exact one and then the stemmer, so each
        // exact form's stem is its stemmed form: no second pass over the text,
        // and stems kept from the queries before (a batch repeats its words).
        // A token is a run of letters and digits, whose stem keeps its first
        // letter (Snowball's English stemmer only cuts and mends endings), so
        // a word starting otherwise cannot stem to what is looked for: its
        // stemmed form is left empty, which no matcher's token is.
        forms.reserve(text.len());
        let mut stems = Stems::lend();
        for tok in &mut toks {
            let (s, e) = tok.exact;
            let exact = forms.get(s..e).unwrap_or_default();
            if !exact.bytes().next().is_some_and(|b| heads.contains(&b)) {
                tok.stemmed = (s, s);
                continue;
            }
            let stem = stems.stem(exact);
            let start = forms.len();
            forms.push_str(stem);
            tok.stemmed = (start, forms.len());
        }
    }
    Toks { forms, toks }
}

/// Byte ranges in `text` matched by any matcher, sorted and merged.
pub fn highlights(
    text: &str,
    matchers: &[Matcher],
    analyzers: &mut Analyzers,
) -> Vec<(usize, usize)> {
    if matchers.is_empty() {
        return Vec::new();
    }
    sequences_near_first_words(text, matchers, analyzers)
        .unwrap_or_else(|| highlights_tokenized(text, matchers, analyzers))
}

/// [`highlights`] by tokenising the whole passage: every kind of matcher.
fn highlights_tokenized(
    text: &str,
    matchers: &[Matcher],
    analyzers: &mut Analyzers,
) -> Vec<(usize, usize)> {
    let mut stem_heads: Option<StemHeads> = None;
    for m in matchers {
        if let Matcher::Sequence {
            tokens,
            stemmed: true,
            ..
        } = m
        {
            let heads = stem_heads.get_or_insert_with(Vec::new);
            heads.extend(tokens.iter().filter_map(|t| t.bytes().next()));
        }
    }
    let all = tokenize(text, analyzers, stem_heads.as_ref());
    let toks = &all.toks;
    let mut spans = Vec::new();
    for m in matchers {
        match m {
            Matcher::Prefix(p) => spans.extend(
                toks.iter()
                    .filter(|t| all.form(t, false).starts_with(p.as_str()))
                    .map(|t| (t.start, t.end)),
            ),
            Matcher::Sequence {
                tokens,
                offsets,
                slop,
                stemmed,
            } => {
                let Some(first) = tokens.first() else {
                    continue;
                };
                let want = Want {
                    tokens: &tokens[1..],
                    steps: &steps_of(tokens, offsets),
                    slop: *slop as usize,
                    stemmed: *stemmed,
                };
                for (i, t) in toks.iter().enumerate() {
                    if all.form(t, *stemmed) != first {
                        continue;
                    }
                    if let Some(end) = sequence_end(&all, i, &want) {
                        spans.push((t.start, end));
                    }
                }
            }
        }
    }
    merge(spans)
}

/// Where a sequence whose first token is `all.toks[head]` ends, if the rest
/// of it follows.
fn sequence_end(all: &Toks, head: usize, want: &Want) -> Option<usize> {
    let t = all.toks.get(head)?;
    let rest = all.toks.get(head + 1..).unwrap_or_default();
    match_rest(all, rest, t.pos, want).map(|end| end.unwrap_or(t.end))
}

/// The position step before each later token of a sequence.
fn steps_of(tokens: &[String], offsets: &[usize]) -> Vec<usize> {
    (1..tokens.len())
        .map(|k| match (offsets.get(k), offsets.get(k - 1)) {
            (Some(b), Some(a)) => b.saturating_sub(*a).max(1),
            _ => 1,
        })
        .collect()
}

/// The exact tokens of `text` from its start up to `reach` positions after
/// the first one (their stemmed forms left equal to the exact ones).
fn tokenize_reach(text: &str, analyzers: &mut Analyzers, reach: usize) -> Toks {
    let mut forms = String::with_capacity(if reach == usize::MAX { text.len() } else { 64 });
    let mut toks = Vec::new();
    let mut stream = analyzers.exact.token_stream(text);
    let mut first_pos = None;
    while stream.advance() {
        let t = stream.token();
        let first = *first_pos.get_or_insert(t.position);
        if t.position > first.saturating_add(reach) {
            break;
        }
        let exact = push_form(&mut forms, &t.text);
        toks.push(Tok {
            start: t.offset_from,
            end: t.offset_to,
            pos: t.position,
            exact,
            // Stemming is the costly half; exact-only matchers never read it.
            stemmed: exact,
        });
    }
    Toks { forms, toks }
}

/// Spans of sequences (phrases, words), found by scanning the text for
/// each sequence's first word and tokenising only from there to where the
/// rest could be: a long listing no longer tokenises every hit's passage
/// whole. Positions are only compared with each other, and the gaps between
/// them come from the text between the words, so this finds what
/// tokenising the whole passage finds. A stemmed word (always one token:
/// `query::build` matches a word of several exactly) is looked for by its
/// stem's first letter, which its every form starts with (see [`tokenize`]).
/// `None` when it cannot be used: a prefix matcher, a first word or stem
/// that does not start with ASCII, or the one character whose lower case is
/// ASCII but itself is not (the Kelvin sign).
fn sequences_near_first_words(
    text: &str,
    matchers: &[Matcher],
    analyzers: &mut Analyzers,
) -> Option<Vec<(usize, usize)>> {
    if text.contains('\u{212A}') {
        return None;
    }
    let mut stems: Option<crate::index::tokenize::LentStems> = None;
    let mut spans = Vec::new();
    for m in matchers {
        let Matcher::Sequence {
            tokens,
            offsets,
            slop,
            stemmed,
        } = m
        else {
            return None;
        };
        let stemmed = *stemmed;
        if stemmed && tokens.len() != 1 {
            return None;
        }
        let Some(first) = tokens.first() else {
            continue;
        };
        if !first.is_ascii() {
            return None;
        }
        // A stem need not begin its words ("happi": "happy"); its letter does.
        let needle = match stemmed {
            true => first.as_bytes().get(..1)?,
            false => first.as_bytes(),
        };
        let (&lead, _) = needle.split_first()?;
        let steps = steps_of(tokens, offsets);
        let want = Want {
            tokens: &tokens[1..],
            steps: &steps,
            slop: *slop as usize,
            stemmed: false,
        };
        let reach = steps.iter().sum::<usize>() + want.slop;
        let bytes = text.as_bytes();
        let mut from = 0;
        while let Some(i) = bytes.get(from..).and_then(|rest| {
            memchr::memchr2(lead.to_ascii_lowercase(), lead.to_ascii_uppercase(), rest)
        }) {
            let at = from + i;
            from = at + 1;
            let Some(candidate) = bytes.get(at..at + needle.len()) else {
                break;
            };
            // A word starts here only after a character that is not part of one.
            if !candidate.eq_ignore_ascii_case(needle)
                || text[..at]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            // `at` holds an ASCII byte, so it is a character boundary.
            let toks = tokenize_reach(&text[at..], analyzers, reach);
            let Some(head) = toks.toks.first() else {
                continue;
            };
            let form = toks.form(head, false);
            let same = match stemmed {
                true => stems.get_or_insert_with(Stems::lend).stem(form) == first.as_str(),
                false => form == first.as_str(),
            };
            if head.start != 0 || !same {
                continue;
            }
            if let Some(end) = sequence_end(&toks, 0, &want) {
                spans.push((at, at + end));
            }
        }
    }
    Some(merge(spans))
}

/// The rest of a sequence to match after its first token.
struct Want<'a> {
    tokens: &'a [String],
    steps: &'a [usize],
    slop: usize,
    stemmed: bool,
}

/// Match the remaining tokens in order, each at its step from the one before,
/// allowing `slop` positions of drift in all, as the index's phrase query does
/// (so a phrase never spans punctuation); returns the end of the last matched
/// token (`None` when nothing remained).
fn match_rest(all: &Toks, toks: &[Tok], first_pos: usize, want: &Want) -> Option<Option<usize>> {
    let mut budget = want.slop;
    let mut prev = first_pos;
    let mut i = 0;
    let mut end = None;
    for (token, step) in want.tokens.iter().zip(want.steps) {
        let expected = prev + step;
        loop {
            let t = toks.get(i)?;
            i += 1;
            let drift = t.pos.saturating_sub(expected);
            if drift > budget {
                return None;
            }
            if t.pos >= expected && all.form(t, want.stemmed) == token {
                budget -= drift;
                prev = t.pos;
                end = Some(t.end);
                break;
            }
        }
    }
    Some(end)
}

fn merge(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Longest snippet, in bytes, before it is cut around the first match.
pub const SNIPPET_BYTES: usize = 320;

/// Byte range of the passage shown as its snippet: a window around the first
/// highlight, cut at word boundaries.
pub fn snippet_range(text: &str, spans: &[(usize, usize)]) -> (usize, usize) {
    if text.len() <= SNIPPET_BYTES {
        return (0, text.len());
    }
    let anchor = spans.first().map(|s| s.0).unwrap_or(0).min(text.len());
    let mut start = anchor.saturating_sub(SNIPPET_BYTES / 3);
    let mut end = (start + SNIPPET_BYTES).min(text.len());
    if end == text.len() {
        start = end.saturating_sub(SNIPPET_BYTES);
    }
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    // Move to word boundaries so no word is cut in half.
    if start > 0 && start < anchor {
        if let Some(sp) = text[start..anchor].find(' ') {
            start += sp + 1;
        }
    }
    if end < text.len() {
        if let Some(sp) = text[start..end].rfind(' ') {
            end = start + sp;
        }
    }
    (start, end)
}

/// The snippet: the [`snippet_range`] with "…" where text was left out.
pub fn snippet(text: &str, spans: &[(usize, usize)]) -> String {
    let (start, end) = snippet_range(text, spans);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&text[start..end]);
    if end < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzers() -> Analyzers {
        Analyzers {
            stemmed: crate::index::tokenize::stemmed_analyzer(),
            exact: crate::index::tokenize::exact_analyzer(),
        }
    }

    fn seq(words: &[&str], slop: u32, stemmed: bool) -> Matcher {
        Matcher::Sequence {
            tokens: words.iter().map(|w| w.to_string()).collect(),
            offsets: (0..words.len()).collect(),
            slop,
            stemmed,
        }
    }

    proptest::proptest! {
        #[test]
        fn the_windowed_path_finds_what_whole_tokenising_finds(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "management", "Management", "MANAGEMENT", "oversight", "Oversight",
                    "managements", "of", "the", ",", ".", " - ", "(", "’s", "é", "multi-agency",
                    "xmanagement", "oversight's", "managers", "Managing", "happy", "Happiness",
                    "happi", "K\u{212A}", "oversee", "dying", "die",
                ]),
                0..40,
            ),
            slop in 0u32..3,
            stemmed in proptest::sample::select(vec!["manag", "oversight", "happi", "die"]),
        ) {
            let text = words.join(" ");
            let matchers = vec![
                seq(&["management", "oversight"], slop, false),
                seq(&["oversight"], 0, false),
                seq(&[stemmed], 0, true),
            ];
            let windowed = highlights(&text, &matchers, &mut analyzers());
            proptest::prop_assert_eq!(
                windowed,
                highlights_tokenized(&text, &matchers, &mut analyzers())
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn stems_of_exact_forms_are_the_stemmed_analyzers_tokens(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Managers", "managed", "management", "children's", "CHILDREN", "leaders'",
                    "inspections", ",", ".", " - ", "(", "é", "multi-agency", "Ofsted’s",
                    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrs", "2023", "ÉCOLES",
                ]),
                0..30,
            ),
        ) {
            let text = words.join(" ");
            let mut a = analyzers();
            let every_head: StemHeads = (0..=u8::MAX).collect();
            let toks = tokenize(&text, &mut a, Some(&every_head));
            let ours: Vec<&str> = toks.toks.iter().map(|t| toks.form(t, true)).collect();
            let theirs = a.tokens(&text, true);
            proptest::prop_assert_eq!(&ours, &theirs);
            // And each stem starts as its word does, which the heads rely on.
            for (tok, stem) in toks.toks.iter().zip(&theirs) {
                proptest::prop_assert_eq!(
                    toks.form(tok, false).bytes().next(),
                    stem.bytes().next()
                );
            }
        }
    }

    #[test]
    fn highlights_the_phrase_span() {
        let text = "Poor management oversight and management of oversight.";
        let h = highlights(
            text,
            &[seq(&["management", "oversight"], 0, false)],
            &mut analyzers(),
        );
        assert_eq!(h, vec![(5, 25)]);
        assert_eq!(&text[5..25], "management oversight");
        let h = highlights(
            text,
            &[seq(&["management", "oversight"], 1, false)],
            &mut analyzers(),
        );
        assert_eq!(h.len(), 2);
    }

    #[test]
    fn a_phrase_never_spans_punctuation() {
        let mo = || seq(&["management", "oversight"], 0, false);
        for text in [
            "performance management. Oversight of quality",
            "the management, oversight and learning",
            "management (oversight)",
            "management – oversight",
        ] {
            assert!(
                highlights(text, &[mo()], &mut analyzers()).is_empty(),
                "{text}"
            );
        }
        let h = highlights("management\n oversight", &[mo()], &mut analyzers());
        assert_eq!(h.len(), 1);
        let near = seq(&["management", "oversight"], 1, false);
        assert_eq!(
            highlights(
                "management, oversight",
                std::slice::from_ref(&near),
                &mut analyzers()
            )
            .len(),
            1
        );
        assert!(highlights("management. Oversight", &[near], &mut analyzers()).is_empty());
    }

    #[test]
    fn highlights_stems_and_prefixes() {
        let text = "Supervision is supervised by supervisors.";
        let mut a = analyzers();
        let stem = a.tokens("supervise", true);
        let h = highlights(text, &[seq(&[stem[0].as_str()], 0, true)], &mut a);
        assert!(!h.is_empty());
        let h = highlights(text, &[Matcher::Prefix("supervis".into())], &mut a);
        assert_eq!(h.len(), 3);
    }

    #[test]
    fn snippet_windows_long_text() {
        let text = "word ".repeat(200) + "target " + &"tail ".repeat(200);
        let at = text.find("target").unwrap();
        let s = snippet(&text, &[(at, at + 6)]);
        assert!(s.contains("target"));
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert!(s.len() <= SNIPPET_BYTES + 8);
        assert_eq!(snippet("short", &[]), "short");
    }
}
