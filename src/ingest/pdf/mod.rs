//! PDF text extraction and cleaning into searchable blocks.

mod extract;
mod furniture;
mod paragraphs;

pub use super::block::{Block, BlockKind};
use super::judgement_table;
use super::letter::{self, DropRule};
pub use extract::has_pdf_header;

/// Why a PDF could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// No `%PDF` header.
    #[error("not a PDF (no %PDF header)")]
    NotPdf,
    /// Encrypted document.
    #[error("encrypted PDF")]
    Encrypted,
    /// pdf-extract returned an error.
    #[error("PDF text extraction failed: {0}")]
    Extract(String),
    /// pdf-extract panicked.
    #[error("PDF text extraction panicked: {0}")]
    Panicked(String),
    /// No text could be extracted.
    #[error("PDF has no extractable text")]
    NoText,
}

/// Extract raw text (pdf-extract behind catch_unwind; `%PDF` header checked first).
pub fn extract_text(bytes: &[u8]) -> Result<String, PdfError> {
    extract::extract_text(bytes)
}

/// Clean raw extracted text into blocks: furniture removed, paragraphs rebuilt.
pub fn clean(raw: &str) -> Vec<Block> {
    clean_explained(raw).0
}

/// [`clean`], also returning each letter-furniture line dropped and the rule that dropped it.
pub fn clean_explained(raw: &str) -> (Vec<Block>, Vec<(DropRule, String)>) {
    let pages = furniture::split_pages(raw);
    let mut pages = furniture::remove_furniture(pages);
    if !raw.contains(extract::PAGE_BREAK) {
        // One page (pdf-extract separates pages with form feeds): the pages
        // split_pages guessed from page-number lines are all on it.
        for page in &mut pages {
            page.number = 1;
        }
    }
    let dropped = drop_letter_furniture(&mut pages);
    for page in &mut pages {
        ungrade_headings(&mut page.lines);
    }
    (paragraphs::build_blocks(&pages), dropped)
}

/// Blank out a letter's furniture lines before paragraphs are built, so that a
/// letterhead at a page's foot cannot join the paragraph running over the break.
fn drop_letter_furniture(pages: &mut [furniture::PageLines]) -> Vec<(DropRule, String)> {
    // One list of lines, a blank between pages so no group spans a page break.
    let mut flat: Vec<&str> = Vec::new();
    let mut at: Vec<(usize, usize)> = Vec::new();
    for (pi, page) in pages.iter().enumerate() {
        for (li, line) in page.lines.iter().enumerate() {
            flat.push(line);
            at.push((pi, li));
        }
        flat.push("");
        at.push((pi, usize::MAX));
    }
    let marks = letter::mark(&flat);
    let ends: Vec<(usize, usize)> = table_ends(&flat, &marks)
        .into_iter()
        .filter_map(|k| at.get(k).copied())
        .collect();
    let mut dropped = Vec::new();
    let hits: Vec<(usize, usize, DropRule)> = marks
        .iter()
        .zip(&at)
        .filter_map(|(m, &(pi, li))| m.map(|rule| (pi, li, rule)))
        .collect();
    for (pi, li, rule) in hits {
        if let Some(line) = pages[pi].lines.get_mut(li) {
            dropped.push((rule, std::mem::take(line).trim().to_string()));
        }
    }
    head_summaries(pages, &ends);
    dropped
}

/// Each section heading set with its grade in a column of its own, as one
/// line without the grade (the grade is the table's cell, not the heading's).
fn ungrade_headings(lines: &mut Vec<String>) {
    let found: Vec<(std::ops::Range<usize>, String)> = {
        let view: Vec<&str> = lines.iter().map(String::as_str).collect();
        let mut found = Vec::new();
        let mut i = 0;
        while i < view.len() {
            match judgement_table::graded_heading_at(&view, i) {
                Some((span, heading)) => {
                    i = span.end;
                    found.push((span, heading));
                }
                None => i += 1,
            }
        }
        found
    };
    // From the last, so that the earlier spans still hold.
    for (span, heading) in found.into_iter().rev() {
        lines.splice(span, [heading]);
    }
}

/// The last line of each judgement table among the marks.
fn table_ends(flat: &[&str], marks: &letter::Marks) -> Vec<usize> {
    let is_table = |k: usize| marks.get(k) == Some(&Some(DropRule::JudgementTable));
    (0..flat.len())
        .filter(|&k| is_table(k))
        .filter(|&k| {
            let next = (k + 1..flat.len()).find(|&j| !flat[j].trim().is_empty());
            !next.is_some_and(is_table)
        })
        .collect()
}

/// After each judgement table (its last line at page `pi`, line `li`, already
/// blanked), a heading of its own for the summary the table stands over:
/// the summary's passages never sit under a row of the table, and a real
/// heading right after the table (`Executive summary`) is nearer to them.
fn head_summaries(pages: &mut [furniture::PageLines], ends: &[(usize, usize)]) {
    // From the last, so that the earlier positions still hold.
    for &(pi, li) in ends.iter().rev() {
        if let Some(page) = pages.get_mut(pi) {
            if li < page.lines.len() {
                let heading = [judgement_table::SUMMARY_HEADING.to_string(), String::new()];
                page.lines.splice(li + 1..li + 1, heading);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_block_carries_the_page_its_first_line_is_on() {
        let raw = "Main findings\n\nLeaders know their services well.\n\n\
                   Managers provide oversight of plans and\n\u{c}\
                   their decisions are recorded.\n\n\
                   A second page paragraph.\n\n\
                   1 A footnote on page two.\n\u{c}\
                   A third page paragraph.\n";
        let blocks = clean(raw);
        let pages: Vec<(u32, &str)> = blocks
            .iter()
            .filter_map(|b| Some((b.page?, b.text.as_str())))
            .collect();
        assert_eq!(
            pages,
            [
                (1, "Main findings"),
                (1, "Leaders know their services well."),
                // Joined across the break: the page it starts on.
                (
                    1,
                    "Managers provide oversight of plans and their decisions are recorded."
                ),
                (2, "A second page paragraph."),
                (3, "A third page paragraph."),
                // Footnotes move to the end and keep their page.
                (2, "A footnote on page two."),
            ]
        );
    }

    #[test]
    fn one_page_without_form_feeds_is_page_one() {
        let raw = "First paragraph here.\n\n2\n\nSecond paragraph here.\n";
        let blocks = clean(raw);
        assert_eq!(blocks.len(), 2);
        assert!(blocks.iter().all(|b| b.page == Some(1)), "{blocks:?}");
    }

    #[test]
    fn the_judgement_table_is_no_heading_and_the_summary_has_its_own() {
        let raw = "Inspection of Anytown children's services\n\n\
                   Judgement  Grade\n\n\
                   The effect of managers on\nthe work with families  Good\n\n\
                   The progress of children  Requires improvement\nto be good\n\n\
                   Overall effectiveness  Good\n\n\
                   Children in the area receive good help. Leaders know\nthe service well.\n\n\
                   What needs to improve?\n\nThe timeliness of plans.\n";
        let (blocks, dropped) = clean_explained(raw);
        let texts: Vec<(BlockKind, &str)> =
            blocks.iter().map(|b| (b.kind, b.text.as_str())).collect();
        assert_eq!(
            texts,
            [
                (
                    BlockKind::Heading,
                    "Inspection of Anytown children's services"
                ),
                (BlockKind::Heading, judgement_table::SUMMARY_HEADING),
                (
                    BlockKind::Paragraph,
                    "Children in the area receive good help. Leaders know the service well."
                ),
                (BlockKind::Heading, "What needs to improve?"),
                (BlockKind::Paragraph, "The timeliness of plans."),
            ]
        );
        assert_eq!(dropped.len(), 6, "{dropped:?}");
        assert!(dropped
            .iter()
            .all(|(rule, _)| *rule == DropRule::JudgementTable));
    }

    #[test]
    fn a_heading_set_with_its_grade_cell_keeps_its_words() {
        let raw = "Closing sentence of a part.\n\n\
                   The progress of children in care  Good\n\n\
                   Children in care are well supported.\n";
        let texts: Vec<(BlockKind, String)> =
            clean(raw).into_iter().map(|b| (b.kind, b.text)).collect();
        assert_eq!(
            texts[1],
            (
                BlockKind::Heading,
                "The progress of children in care".to_string()
            )
        );
    }

    #[test]
    fn rejects_non_pdf() {
        assert!(matches!(extract_text(b"hello"), Err(PdfError::NotPdf)));
    }

    #[test]
    fn cleans_furniture_and_joins_pages() {
        let mut raw = String::new();
        for p in 1..=5 {
            raw.push_str("Inspection of Dorset local authority children's services\n");
            raw.push_str(&format!("17 to 21 March 2025  {p}\n\n"));
            let word = ["alpha", "beta", "gamma", "delta", "epsilon"][p - 1];
            raw.push_str(&format!("{p}.  Leaders provide {word} management\n"));
            raw.push_str(&format!(
                "oversight and multi-\nagency {word} work is pre-\n"
            ));
            raw.push_str(&format!("proceedings {word}\n\u{c}"));
        }
        raw.push_str("continued text here.\n\n\u{f0b7} A bullet point\n\n© Crown copyright 2025\n");
        let blocks = clean(&raw);
        assert!(blocks.iter().all(|b| !b.text.contains("17 to 21 March")));
        assert!(blocks.iter().all(|b| !b.text.contains("Crown")));
        assert!(blocks
            .iter()
            .any(|b| b.text.contains("management oversight and multi-agency")));
        assert!(blocks.iter().any(|b| b.text == "A bullet point"));
        assert!(blocks.iter().any(|b| b
            .text
            .ends_with("pre-proceedings epsilon continued text here.")));
    }
}
