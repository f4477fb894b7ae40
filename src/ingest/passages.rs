//! Turn cleaned blocks into passages: each paragraph with its section heading,
//! its position, and the authorities it names.

use super::block::{Block, BlockKind};
use crate::document::Passage;
use crate::gazetteer::Gazetteer;

/// Headings set the section of the paragraphs under them; paragraphs become passages.
pub fn passages(blocks: &[Block]) -> Vec<Passage> {
    from_blocks(blocks.to_vec())
}

/// [`passages`], taking the blocks so that a large document's text is moved, not copied.
pub fn from_blocks(blocks: Vec<Block>) -> Vec<Passage> {
    let gazetteer = Gazetteer::get();
    let mut section: Option<String> = None;
    let mut out = Vec::new();
    for block in blocks {
        match block.kind {
            BlockKind::Heading => section = Some(block.text),
            BlockKind::Paragraph => {
                if block.text.trim().is_empty() {
                    continue;
                }
                let authorities_mentioned = gazetteer
                    .mentioned(&block.text)
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                out.push(Passage {
                    paragraph: out.len(),
                    page: block.page,
                    section: section.clone(),
                    text: block.text,
                    authorities_mentioned,
                    kind: Default::default(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_and_positions() {
        let blocks = vec![
            Block::paragraph("Intro in Gloucestershire."),
            Block::heading("Main findings"),
            Block::paragraph("South Gloucestershire did well."),
            Block::paragraph("   "),
            Block::paragraph("More."),
        ];
        let p = passages(&blocks);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].section, None);
        assert_eq!(p[0].authorities_mentioned, vec!["Gloucestershire"]);
        assert_eq!(p[1].section.as_deref(), Some("Main findings"));
        assert_eq!(p[1].authorities_mentioned, vec!["South Gloucestershire"]);
        assert_eq!(p[2].paragraph, 2);
    }
}
