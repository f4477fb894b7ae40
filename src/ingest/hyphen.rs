//! A word hyphenated across a line end, rejoined: `multi-` / `agency` keeps
//! its hyphen (`multi-agency`), a soft break `assess-` / `ment` loses it
//! (`assessment`). Shared by every format's paragraph builder (PDF, text and
//! Markdown), each giving the document's own words as the vocabulary.

use std::collections::HashSet;

/// Endings that are never a word of their own: `assess-` / `ment` is one word.
const SUFFIXES: &[&str] = &[
    "ment", "ments", "tion", "tions", "sion", "sions", "ation", "ations", "ness", "ity", "ities",
    "ance", "ances", "ence", "ences", "ing", "ings", "ed", "ly", "ally", "ise", "ised", "ises",
    "ize", "ized", "ive", "ively", "ship", "able", "ible", "ful", "fully", "ial", "ous",
];

/// Vocabulary of the document used to decide line-end hyphens.
#[derive(Debug, Default)]
pub struct Vocab {
    words: HashSet<String>,
}

impl Vocab {
    /// The words of a document's lines (lower case, hyphenated compounds kept whole).
    pub fn new<'a>(lines: impl IntoIterator<Item = &'a str>) -> Self {
        let mut words = HashSet::new();
        for l in lines {
            for w in l.split_whitespace() {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
                if w.is_empty() || w.ends_with('-') || w.starts_with('-') {
                    continue;
                }
                words.insert(w.to_lowercase());
            }
        }
        Vocab { words }
    }

    /// Should `left-` at a line end and `right` on the next line keep the hyphen?
    fn keep_hyphen(&self, left: &str, right: &str) -> bool {
        let l = left.to_lowercase();
        let r = right.to_lowercase();
        let hy = format!("{l}-{r}");
        let joined = format!("{l}{r}");
        if self.words.contains(&hy) {
            return true;
        }
        if self.words.contains(&joined) {
            return false;
        }
        // Ofsted's documents are not auto-hyphenated: a line-end hyphen is
        // nearly always a real compound, so keep it unless the document shows
        // the joined spelling or the second part is only an ending.
        !SUFFIXES.contains(&r.as_str())
    }
}

fn last_word(s: &str) -> &str {
    let s = s.trim_end_matches('-');
    let start = s
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphabetic())
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    s.get(start..).unwrap_or("")
}

fn first_word(s: &str) -> &str {
    let end = s
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    s.get(..end).unwrap_or("")
}

/// Append line `next` to `acc` (a space between), rejoining a word
/// hyphenated across the line end.
pub fn append_line(acc: &mut String, next: &str, vocab: &Vocab) {
    let next = next.trim();
    if next.is_empty() {
        return;
    }
    let trimmed_len = acc.trim_end().len();
    acc.truncate(trimmed_len);
    if acc.is_empty() {
        acc.push_str(next);
        return;
    }
    let ends_hyphen = acc.ends_with('-')
        && acc
            .chars()
            .rev()
            .nth(1)
            .map(|c| c.is_alphabetic())
            .unwrap_or(false);
    let next_lower = next
        .chars()
        .next()
        .map(|c| c.is_lowercase())
        .unwrap_or(false);
    if ends_hyphen && next_lower {
        let left = last_word(acc).to_string();
        let right = first_word(next);
        if !vocab.keep_hyphen(&left, right) {
            acc.pop();
        }
        acc.push_str(next);
    } else {
        acc.push(' ');
        acc.push_str(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(lines: &[&str], vocab: &Vocab) -> String {
        let mut acc = String::new();
        for l in lines {
            append_line(&mut acc, l, vocab);
        }
        acc
    }

    #[test]
    fn real_hyphens_stay_and_soft_breaks_go() {
        let none = Vocab::default();
        assert_eq!(
            joined(&["the multi-", "agency hub"], &none),
            "the multi-agency hub"
        );
        assert_eq!(
            joined(&["pre-", "proceedings work"], &none),
            "pre-proceedings work"
        );
        assert_eq!(
            joined(&["an assess-", "ment of need"], &none),
            "an assessment of need"
        );
        let vocab = Vocab::new(["the partnership works well"]);
        assert_eq!(joined(&["the partner-", "ship"], &vocab), "the partnership");
        assert_eq!(joined(&["ends here -", "next"], &none), "ends here - next");
        assert_eq!(joined(&["A line", "Another"], &none), "A line Another");
    }
}
