//! The unit every format cleaner produces: a heading or a paragraph of clean text.

/// Kind of a cleaned block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A section heading: becomes the `section` of the paragraphs under it.
    Heading,
    /// A paragraph or list item: becomes a passage.
    Paragraph,
}

/// A block of cleaned text in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Heading or paragraph.
    pub kind: BlockKind,
    /// The text, whitespace-normalised, markup removed.
    pub text: String,
    /// The 1-based PDF page the block's first line is on (`None` outside PDFs).
    pub page: Option<u32>,
}

impl Block {
    /// A paragraph block.
    pub fn paragraph(text: impl Into<String>) -> Block {
        Block {
            kind: BlockKind::Paragraph,
            text: text.into(),
            page: None,
        }
    }

    /// A heading block.
    pub fn heading(text: impl Into<String>) -> Block {
        Block {
            kind: BlockKind::Heading,
            text: text.into(),
            page: None,
        }
    }
}

/// Collapse every run of whitespace (including no-break spaces) to one space and trim.
pub fn normalize_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Does the text end a sentence (terminal punctuation, possibly inside closing quotes)?
pub fn ends_sentence(s: &str) -> bool {
    let trimmed = s.trim_end_matches(['"', '\'', '”', '’', ')', ']', '*', ' ']);
    matches!(
        trimmed.chars().last(),
        Some('.' | '!' | '?' | ':' | ';' | '…')
    )
}

/// Does the text start with a lower-case letter (a continuation of a split paragraph)?
pub fn starts_lowercase(s: &str) -> bool {
    s.chars()
        .find(|c| !c.is_whitespace())
        .is_some_and(|c| c.is_lowercase())
}

/// Join paragraphs that a page break split in two: one that does not end a sentence,
/// followed by one that starts in lower case.
pub fn join_split_paragraphs(blocks: Vec<Block>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for block in blocks {
        if block.kind == BlockKind::Paragraph && starts_lowercase(&block.text) {
            if let Some(prev) = out.last_mut() {
                if prev.kind == BlockKind::Paragraph && !ends_sentence(&prev.text) {
                    prev.text.push(' ');
                    prev.text.push_str(&block.text);
                    continue;
                }
            }
        }
        out.push(block);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_space() {
        assert_eq!(normalize_space("  a \u{a0} b\n\tc "), "a b c");
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("It ended."));
        assert!(ends_sentence("“It ended.”"));
        assert!(ends_sentence("Ofsted highlighted:"));
        assert!(!ends_sentence("business support and"));
        assert!(!ends_sentence("rarely challenges poor practice’"));
    }

    #[test]
    fn joins_page_split_paragraph() {
        let blocks = vec![
            Block::paragraph("through the use of business support and"),
            Block::paragraph("improving the electronic recording system."),
            Block::paragraph("Next one."),
        ];
        let joined = join_split_paragraphs(blocks);
        assert_eq!(joined.len(), 2);
        assert_eq!(
            joined[0].text,
            "through the use of business support and improving the electronic recording system."
        );
    }
}
