//! The passage text and metadata in the form a Sphinx (or Manticore) index
//! holds them, shared by the export ([`super::sphinx`]) and the cluster
//! client (the `cluster` part), so a query's words become the very tokens the
//! exported text holds.
//!
//! Text is exported as ofsearch's own tokens, not as prose: Sphinx then has
//! nothing left to analyse, and its counts equal ofsearch's. Each token is
//! made of ASCII letters and digits ([`encode_token`]); the gaps
//! `index::tokenize` opens at punctuation are kept: a clause gap is a
//! [`GAP`] token, a sentence gap a [`BOUNDARY`] character (a `phrase_boundary`
//! of step [`SENTENCE_GAP`](crate::index::tokenize::SENTENCE_GAP) in the
//! generated configuration).

use tantivy::tokenizer::TextAnalyzer;

use crate::fields::FieldId;
use crate::index::tokenize::{CLAUSE_GAP, SENTENCE_GAP};

/// The token standing in a clause gap's position.
pub const GAP: &str = "zqgap";

/// The token every passage holds (in its own field, [`ALL_FIELD`]), so a
/// query of negations alone has something to subtract from.
pub const ALL: &str = "zqall";

/// The full-text field holding [`ALL`].
pub const ALL_FIELD: &str = "everything";

/// The full-text field of stemmed tokens (no positions needed).
pub const STEM_FIELD: &str = "stem";

/// The full-text field of exact tokens, gaps kept.
pub const EXACT_FIELD: &str = "exact";

/// The character that stands for a sentence gap.
pub const BOUNDARY: char = '.';

/// Attribute holding the day (since 1970-01-01) of a passage's document date.
pub const DATE_ATTR: &str = "day";

/// The value of [`DATE_ATTR`] for a document without a date: below every real day.
pub const NO_DATE: i64 = -1_000_000;

/// Attribute holding the document's number ([`doc_number`]).
pub const DOC_ATTR: &str = "doc";

/// Attribute holding the passages' authorities mentioned, hashed.
pub const MENTIONS_ATTR: &str = "f_mentioned";

/// A token as the exported text spells it: itself when it is ASCII letters
/// and digits (and does not start with `zq`), else `zq` and the token with
/// every other character written `z<hex code point>z` (`café` →
/// `zqcafze9z`). One token each way; never one of [`GAP`] or [`ALL`].
pub fn encode_token(token: &str, out: &mut String) {
    let plain = token
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if plain && !token.starts_with("zq") {
        out.push_str(token);
        return;
    }
    out.push_str("zq");
    for c in token.chars() {
        if (c.is_ascii_lowercase() && c != 'z') || c.is_ascii_digit() {
            out.push(c);
        } else {
            out.push_str(&format!("z{:x}z", u32::from(c)));
        }
    }
}

/// A token encoded ([`encode_token`]) into a new string.
pub fn encoded(token: &str) -> String {
    let mut s = String::with_capacity(token.len() + 2);
    encode_token(token, &mut s);
    s
}

/// What stands between two tokens `step` positions apart (1: adjacent).
pub fn push_gap(step: usize, out: &mut String) {
    let gap = step.saturating_sub(1);
    if gap >= SENTENCE_GAP {
        out.push(' ');
        out.push(BOUNDARY);
    } else {
        for _ in 0..gap / CLAUSE_GAP.max(1) {
            out.push(' ');
            out.push_str(GAP);
        }
    }
}

/// `text`'s exact tokens, gaps kept, appended to `out` (space separated).
pub fn exact_text(analyzer: &mut TextAnalyzer, text: &str, out: &mut String) {
    let mut stream = analyzer.token_stream(text);
    let mut last: Option<usize> = None;
    while stream.advance() {
        let t = stream.token();
        if let Some(prev) = last {
            push_gap(t.position.saturating_sub(prev), out);
        }
        if !out.is_empty() {
            out.push(' ');
        }
        encode_token(&t.text, out);
        last = Some(t.position);
    }
}

/// `text`'s stemmed tokens appended to `out` (space separated).
pub fn stem_text(analyzer: &mut TextAnalyzer, text: &str, out: &mut String) {
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        if !out.is_empty() {
            out.push(' ');
        }
        encode_token(&stream.token().text, out);
    }
}

/// The attribute holding a registry field's values, hashed.
pub fn attr_name(id: FieldId) -> String {
    format!("f_{}", id.spec().index)
}

/// A stored keyword value as a 32-bit attribute value (FNV-1a): what a
/// filter compares. Distinct values of one field may collide with odds of
/// about n²/2³³ (n values): none among the corpus's thousands.
pub fn value_hash(stored: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in stored.as_bytes() {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// A day as days since 1970-01-01.
pub fn day_of(date: crate::document::Day) -> Option<i64> {
    crate::index::date_to_timestamp(date).map(|s| s.div_euclid(86_400))
}

/// A document's number: the 48 bits of its `doc_id`.
pub fn doc_number(doc_id: &str) -> u64 {
    u64::from_str_radix(doc_id.get(..12).unwrap_or(doc_id), 16).unwrap_or(0)
}

/// A passage's Sphinx id (unique, never 0): the document's number, then the
/// paragraph in 15 bits.
pub fn passage_id(doc_id: &str, paragraph: usize) -> u64 {
    (doc_number(doc_id) << 15) | ((paragraph as u64 + 1) & 0x7fff)
}

/// Most paragraphs a document may have for [`passage_id`] to stay unique.
pub const MAX_PARAGRAPHS: usize = 0x7ffe;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::tokenize::{exact_analyzer, stemmed_analyzer};

    #[test]
    fn tokens_are_ascii_and_one_to_one() {
        assert_eq!(encoded("oversight"), "oversight");
        assert_eq!(encoded("café"), "zqcafze9z");
        assert_eq!(encoded("zqgap"), "zqz7azqgap");
        assert_eq!(encoded("zebra"), "zebra");
        assert_ne!(encoded("zq"), GAP);
        assert!(encoded("naïve½").bytes().all(|b| b.is_ascii_alphanumeric()));
    }

    #[test]
    fn gaps_are_kept() {
        let mut s = String::new();
        exact_text(
            &mut exact_analyzer(),
            "Management oversight, of work. Then café",
            &mut s,
        );
        assert_eq!(s, "management oversight zqgap of work . then zqcafze9z");
        let mut s = String::new();
        stem_text(&mut stemmed_analyzer(), "Managers managed", &mut s);
        assert_eq!(s, "manag manag");
    }

    #[test]
    fn ids_and_days() {
        assert_eq!(day_of(jiff::civil::date(1970, 1, 2)), Some(1));
        assert_eq!(passage_id("000000000001", 0), (1 << 15) | 1);
        assert_ne!(value_hash("a"), value_hash("b"));
    }
}
