//! A report's table of judgements, read as a table: its lines are metadata,
//! never headings and never passages.
//!
//! Every inspection report since 2013 opens with one. The ILACS reports
//! (2018 on) set it under a `Judgement | Grade` header, one row per judgement:
//! what is judged, set on one to three lines, then its grade in a column of its
//! own (`… children and families  Requires improvement` / `to be good`). The
//! older single-inspection-framework reports set it in a box under a caption
//! stating the overall judgement (`Children's services in X require
//! improvement to be good`), its rows numbered (`2.1 Adoption performance  Good`).
//!
//! The rules are by shape, never keyed to a report: a row is a short phrase,
//! no sentence, that ends in a capitalised grade with no colon before it (a
//! section heading writes `… in care: good`); a table is two rows or more, with
//! only blank lines between them, and the header words or the caption right
//! above. The judgements themselves are read from the raw text by
//! [`super::report_meta`]; this module only says which lines the table holds.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// The section of a summary the report gives no heading of its own: the
/// passages between a judgement table and the next heading.
pub const SUMMARY_HEADING: &str = "Summary";

/// Most lines one row is set on, its grade included (the grade's own
/// continuation line `to be good` apart).
const MAX_ROW_LINES: usize = 5;
/// Most words in a row: what is judged and its grade.
const MAX_ROW_WORDS: usize = 24;
/// Most rows in one table (the SIF box has five, ILACS four or five).
const MAX_ROWS: usize = 10;
/// Most words in the caption over a SIF box.
const MAX_CAPTION_WORDS: usize = 16;

fn re(pattern: &str) -> Regex {
    // Patterns are literals in this file; a typo is caught by the unit tests.
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad built-in regex {pattern}: {e}"))
}

/// A row, its lines joined by `\n`: a phrase, then a capitalised grade in a
/// column of its own (after a gap of two spaces or more, a tab, or a line break).
static ROW: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"^([\p{Lu}\d][^:]*?)(?:[ \t]{2,}|\t|\n)",
        r"(?:Outstanding|Good|Inadequate|Requires?\s+[Ii]mprovement(?:\s+[Tt]o\s+[Bb]e\s+[Gg]ood)?)$"
    ))
});

/// A caption stating a grade in words (`… require improvement to be good`).
static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\p{Lu}[^:]*\s(?:outstanding|good|inadequate|requires?\s+improvement(?:\s+to\s+be\s+good)?)$",
    )
});

/// A sentence ends inside the text (a word, then a full stop).
static SENTENCE_END: LazyLock<Regex> = LazyLock::new(|| re(r"\p{Ll}[.!?](?:\s|$)"));

/// The words of a table's header row, each possibly on a line of its own.
const HEADER_WORDS: &[&str] = &["judgement grade", "judgements grade", "judgement", "grade"];

/// Whitespace collapsed, lower case.
fn fold(line: &str) -> String {
    line.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Could this line end a row (it ends in a grade word)? A cheap test that
/// spares the patterns almost every line of a long text.
fn may_end_row(line: &str) -> bool {
    let t = line.trim_end();
    [
        "Outstanding",
        "Good",
        "Inadequate",
        "improvement",
        "Improvement",
        "good",
    ]
    .iter()
    .any(|w| t.ends_with(w))
}

/// Is this text (lines joined by `\n`) a row's shape: short, no sentence, a
/// grade in its own column at its end?
fn is_row(text: &str) -> bool {
    text.split_whitespace().count() <= MAX_ROW_WORDS
        && !SENTENCE_END.is_match(text)
        && ROW.is_match(text)
}

/// The lines `at..end` that make one row starting at line `at`, if they do.
fn row_at(lines: &[&str], at: usize) -> Option<usize> {
    let mut joined = String::new();
    for (k, line) in lines.iter().enumerate().skip(at).take(MAX_ROW_LINES) {
        let line = line.trim();
        if line.is_empty() {
            return None;
        }
        if !joined.is_empty() {
            joined.push('\n');
        }
        joined.push_str(line);
        if may_end_row(line) && is_row(&joined) {
            // "Requires improvement" / "to be good": the grade's own second line.
            let next = lines.get(k + 1).map(|l| fold(l));
            // (A blank line ends the row: `fold` of one is empty.)
            return Some(if next.as_deref() == Some("to be good") {
                k + 2
            } else {
                k + 1
            });
        }
    }
    None
}

/// Whitespace collapsed, case kept.
fn fold_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first non-blank line at or after `from`.
fn next_non_blank(lines: &[&str], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&j| !lines[j].trim().is_empty())
}

/// The first non-blank line before `before`.
fn prev_non_blank(lines: &[&str], before: usize) -> Option<usize> {
    (0..before).rev().find(|&j| !lines[j].trim().is_empty())
}

/// Where the header or caption over the first row at `first` starts.
fn header_start(lines: &[&str], first: usize) -> usize {
    let mut start = first;
    // The header words, on one line or two ("Judgement" / "Grade").
    while let Some(p) = prev_non_blank(lines, start) {
        if first - p > 4 || !HEADER_WORDS.contains(&fold(lines[p]).as_str()) {
            break;
        }
        start = p;
    }
    if start != first {
        return start;
    }
    // A SIF box's caption, on one line or two, right above its rows.
    let Some(p1) = prev_non_blank(lines, first) else {
        return first;
    };
    // The caption's last line alone, then with the line above it.
    let two = (p1 > 0 && !lines[p1 - 1].trim().is_empty()).then(|| p1 - 1);
    [Some(p1), two]
        .into_iter()
        .flatten()
        .find(|&start| is_caption(&lines[start..=p1]))
        .unwrap_or(first)
}

/// The lines of the judgement table whose first row is at line `at`, header
/// or caption included; `None` unless two rows or more start there.
///
/// `lines` are a document's lines, blank lines kept (they separate rows).
pub fn table_at(lines: &[&str], at: usize) -> Option<Range<usize>> {
    let mut end = row_at(lines, at)?;
    let mut rows = 1;
    while rows < MAX_ROWS {
        let Some(next) = next_non_blank(lines, end) else {
            break;
        };
        match row_at(lines, next) {
            Some(e) => {
                end = e;
                rows += 1;
            }
            None => break,
        }
    }
    (rows >= 2).then(|| header_start(lines, at)..end)
}

/// A table's lines (as [`table_at`] found them, blank lines left out) as its
/// rows, each one line: the header or caption first, then one per judgement.
pub fn rows(lines: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while lines
        .get(i)
        .is_some_and(|l| HEADER_WORDS.contains(&fold(l).as_str()))
    {
        i += 1;
    }
    if i == 0 {
        i = (1..=2)
            .find(|&n| lines.get(..n).is_some_and(is_caption))
            .unwrap_or(0);
    }
    if i > 0 {
        out.push(fold_space(&lines[..i].join(" ")));
    }
    while i < lines.len() {
        let end = row_at(lines, i).unwrap_or(i + 1).max(i + 1);
        out.push(fold_space(&lines[i..end].join(" ")));
        i = end;
    }
    out
}

/// Is this a SIF box's caption (a statement of a grade, no row, no sentence)?
fn is_caption(lines: &[&str]) -> bool {
    let text = fold_space(&lines.join(" "));
    text.split_whitespace().count() <= MAX_CAPTION_WORDS
        && !SENTENCE_END.is_match(&text)
        && CAPTION.is_match(&text)
        && !is_row(&lines.join("\n"))
}

/// A section heading set as a table row, its grade in a column of its own
/// (`The experiences and progress of children in care  Good`), standing
/// alone at line `at`: a blank line or the text's edge above and below. The
/// lines it spans and its words without the grade, which is the table's cell,
/// not the heading's.
pub fn graded_heading_at(lines: &[&str], at: usize) -> Option<(Range<usize>, String)> {
    let blank = |j: usize| lines.get(j).is_none_or(|l| l.trim().is_empty());
    if at > 0 && !blank(at - 1) {
        return None;
    }
    let end = row_at(lines, at)?;
    if !blank(end) {
        return None;
    }
    let joined = lines[at..end]
        .iter()
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join("\n");
    // "… Requires improvement" / "to be good": the row's own two lines.
    let joined = joined.strip_suffix("\nto be good").unwrap_or(&joined);
    let heading = ROW.captures(joined)?.get(1)?.as_str();
    Some((at..end, fold_space(heading)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<&str> {
        text.lines().collect()
    }

    /// The table found from the first line that starts one, as its lines.
    fn found(text: &str) -> Option<Vec<String>> {
        let l = lines(text);
        (0..l.len()).find_map(|i| table_at(&l, i)).map(|r| {
            l[r].iter()
                .filter(|s| !s.trim().is_empty())
                .map(|s| s.trim().to_string())
                .collect()
        })
    }

    #[test]
    fn reads_a_header_and_rows_set_over_several_lines() {
        let text = "Lead inspector: A Person, Inspector\n\nJudgement  Grade\n\n\
            The effect of managers on the work\nwith families  Good\n\n\
            The progress of\nchildren who are helped  Requires improvement\nto be good\n\n\
            Overall effectiveness  Outstanding\n\n\
            Children in the area receive good services. They benefit\nfrom stable staff.\n";
        let t = found(text).expect("a table");
        assert_eq!(t.first().map(String::as_str), Some("Judgement  Grade"));
        assert_eq!(
            t.last().map(String::as_str),
            Some("Overall effectiveness  Outstanding")
        );
        assert_eq!(t.len(), 7, "{t:?}");
    }

    #[test]
    fn reads_a_numbered_box_under_its_caption() {
        let text = "Report published: 1 May 2016\n\
            Services for children in the area require improvement to be\ngood\n\
            1.  Help for families  Require\nimprovement\n\
            2.  Care for children and\nplanning  Good\n\
              2.1 One part of the care  Inadequate\n\
            3.  Leaders and managers  Good\n\n\
            Executive summary\n";
        let t = found(text).expect("a table");
        assert_eq!(
            t.first().map(String::as_str),
            Some("Services for children in the area require improvement to be")
        );
        assert_eq!(
            t.last().map(String::as_str),
            Some("3.  Leaders and managers  Good")
        );
        assert_eq!(t.len(), 8, "{t:?}");
    }

    #[test]
    fn headings_and_sentences_are_no_rows() {
        // A section heading with its grade after a colon.
        assert!(
            found("The progress of children in care: good\n\nThe care of children: good\n")
                .is_none()
        );
        // Wrapped sentences that happen to end in a grade word.
        assert!(found(
            "Most children live in homes that are Good\nand staff say the work is Good\n"
        )
        .is_none());
        assert!(found(
            "Leaders know the service well. It is Good\n\nThe staff are settled. It is Good\n"
        )
        .is_none());
        // One row is no table.
        assert!(found("Overall effectiveness  Good\n\nChildren are safe.\n").is_none());
        assert!(found("").is_none());
    }

    #[test]
    fn rows_are_rebuilt_from_their_lines() {
        let l = [
            "Judgement  Grade",
            "The work with",
            "families  Requires improvement",
            "to be good",
            "Overall effectiveness  Good",
        ];
        assert_eq!(
            rows(&l),
            [
                "Judgement Grade",
                "The work with families Requires improvement to be good",
                "Overall effectiveness Good"
            ]
        );
        let l = [
            "Services in the area require improvement to be",
            "good",
            "1.  Help  Good",
            "2.  Care  Requires",
            "improvement",
        ];
        assert_eq!(
            rows(&l),
            [
                "Services in the area require improvement to be good",
                "1. Help Good",
                "2. Care Requires improvement"
            ]
        );
    }

    #[test]
    fn a_heading_loses_its_grade_cell() {
        let l = lines("Closing sentence.\n\nThe progress of children\nin care  Requires\nImprovement\n\nBody text.");
        assert_eq!(
            graded_heading_at(&l, 2),
            Some((2..5, "The progress of children in care".to_string()))
        );
        // Not alone: the first lines of a paragraph.
        let l = lines("The progress of children  Good\nwas reported on.");
        assert_eq!(graded_heading_at(&l, 0), None);
        let l = lines("Body.\nThe progress of children  Good\n");
        assert_eq!(graded_heading_at(&l, 1), None);
    }

    #[test]
    fn a_table_ends_at_the_first_line_that_is_no_row() {
        let text = "Judgement\nGrade\nThe first area  Good\nThe second area  Inadequate\nThe summary starts here and ends Good\nin a sentence.\n";
        let t = found(text).expect("a table");
        assert_eq!(t.len(), 4, "{t:?}");
    }
}
