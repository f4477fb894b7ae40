//! Whitespace normalisation and small text helpers.

/// Append `s` to `out`, collapsing whitespace runs (including nbsp) to one
/// space and dropping zero-width characters. `out` is assumed normalised.
pub(super) fn push_normalized(out: &mut String, s: &str) {
    for c in s.chars() {
        if is_space(c) {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else if !is_invisible(c) {
            out.push(c);
        }
    }
}

/// Whitespace-like characters, including no-break and typographic spaces.
pub(super) fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}' || c == '\u{2007}'
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
    )
}

/// Collapse whitespace and trim.
pub(super) fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_normalized(&mut out, s);
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// Count non-whitespace characters.
pub(super) fn visible_len(s: &str) -> usize {
    s.chars().filter(|c| !is_space(*c)).count()
}

/// Lowercased alphanumeric skeleton of a string, for fuzzy comparison.
pub(super) fn fuzzy_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Count comma-like punctuation (Latin, CJK, Arabic).
pub(super) fn commas(s: &str) -> usize {
    s.chars()
        .filter(|c| matches!(c, ',' | '，' | '、' | '،' | ';'))
        .count()
}
