//! Cleaner for scraped text and Markdown: drops site furniture, letterheads and
//! signatures, strips markup, and returns the body as headings and paragraphs.
//!
//! Scraped pages arrive as lines separated by blank lines, with the article's
//! navigation, related-story teasers, footers and comment threads still in them.
//! The rules below work on three levels: whole lines that are furniture, whole
//! blocks (lines without a blank between them) that are letterheads or footers,
//! and the tail of the page after the article ends.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::block::{ends_sentence, join_split_paragraphs, normalize_space, Block, BlockKind};
use super::hyphen::{append_line, Vocab};
use super::letter::{self, DropRule};

/// What the text cleaner makes of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CleanText {
    /// The headline or first heading, when the text has one.
    pub title: Option<String>,
    /// Body blocks in reading order (the title is not repeated here).
    pub blocks: Vec<Block>,
    /// The whole text with markup stripped but nothing dropped: metadata
    /// extractors need letterheads, dates and signatures that passages do not keep.
    pub full_text: String,
}

/// One line after Markdown has been stripped.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    heading: bool,
    bullet: bool,
}

/// A run of lines with no blank line between them.
type RawBlock = Vec<Line>;

/// A unit after lines are grouped: one heading, bullet item or paragraph.
#[derive(Debug, Clone)]
struct Unit {
    text: String,
    heading: bool,
    bullet: bool,
}

fn re(pattern: &str) -> Regex {
    // Patterns are literals in this file; a typo is caught by the unit tests.
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad built-in regex {pattern}: {e}"))
}

static MD_LINK: LazyLock<Regex> = LazyLock::new(|| re(r"!?\[([^\]]*)\]\([^)]*\)"));
static MD_EMPHASIS: LazyLock<Regex> = LazyLock::new(|| re(r"\*\*|__|(^|\s)\*(\S)"));
static MD_HEADING: LazyLock<Regex> = LazyLock::new(|| re(r"^\s{0,3}#{1,6}\s+"));
static BULLET: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*(?:[-*+•◼▪●◦○■□►▸‣⁃·]|\u{f0b7}|─)\s+"));

/// Whole lines that are navigation, buttons or credits.
static FURNITURE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)^(?:",
        r"make an enquiry|contact us|subscribe(?: today| now| here)?|sign up(?: now| today)?|",
        r"continue reading|share(?: this)?(?: article| story| page)?|",
        r"print(?: this)?(?: page| article)?|advertisement|skip to (?:main )?content|menu|search|home|",
        r"back to top|log ?in|sign in|register|accept(?: all)?(?: cookies)?|",
        r"keep abreast of the latest news.*|",
        r".*(?-u:\b)website design by(?-u:\b).*|.*(?-u:\b)web design by(?-u:\b).*|.*(?-u:\b)powered by(?-u:\b).*|",
        r"a .{1,60} collaboration(?-u:\b).*|",
        r"(?:©|\(c\)|copyright(?-u:\b)).*|",
        r".*(?-u:\b)(?:january|february|march|april|may|june|july|august|september|october|november|december) \d{1,2}, \d{4} at \d{1,2}:\d{2}\s*(?:am|pm).*",
        r")$"
    ))
});

/// Words of icon fonts and share bars ("closechevron-downbars linkedin facebook…").
const ICON_WORDS: &[&str] = &[
    "facebook",
    "twitter",
    "linkedin",
    "instagram",
    "youtube",
    "pinterest",
    "rss",
    "whatsapp",
    "tiktok",
    "chevron",
    "blank",
    "bars",
    "close",
    "email",
];

/// Lines after which the article is over: related stories, comments, pleas.
static TAIL_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)^(?:read full story|read more|more from(?-u:\b).*|one response to(?-u:\b).*|\d+ responses? to(?-u:\b).*|",
        r"(?:\d+ )?comments?|leave a (?:reply|comment).*|thank you for reading(?-u:\b).*|",
        r"related (?:articles|stories|posts|news|content|links|reading)(?-u:\b).*|",
        r"you (?:may|might) also (?:like|be interested in)(?-u:\b).*|",
        r"read the (?:full )?report(?: in full)?(?-u:\b).*)$"
    ))
});

/// Teaser lists end each item with a "read full story" link: the cut moves back over them.
static TEASER_MARKER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:read full story|read more)$"));

/// Photo credits; the short caption beside one goes with it.
static CREDIT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:photo|picture|image|photograph|credit|illustration|main image)(?: credit)?\s*[:：]",
    )
});

/// Strip Markdown markup from one line, keeping its words.
fn strip_markdown(raw: &str) -> Line {
    let mut text = raw.trim_end().to_string();
    let heading = MD_HEADING.is_match(&text);
    if heading {
        text = MD_HEADING.replace(&text, "").into_owned();
    }
    let bullet = BULLET.is_match(&text);
    if bullet {
        text = BULLET.replace(&text, "").into_owned();
    }
    // Most lines hold neither a link nor emphasis: a byte test spares them
    // a regex scan (`\s` in the emphasis pattern leaves it no prefilter) and a copy.
    if text.contains('[') {
        if let Cow::Owned(t) = MD_LINK.replace_all(&text, "$1") {
            text = t;
        }
    }
    if text.contains(['*', '_']) {
        if let Cow::Owned(t) = MD_EMPHASIS.replace_all(&text, "$1$2") {
            text = t;
        }
    }
    Line {
        text: normalize_space(&text),
        heading,
        bullet,
    }
}

fn is_icon_soup(line: &str) -> bool {
    let lower = line.to_lowercase();
    let hits = ICON_WORDS.iter().filter(|w| lower.contains(*w)).count();
    hits >= 4 && lower.split_whitespace().count() <= 40
}

/// Longest line that can be navigation, a credit or a footer line, in bytes.
const MAX_FURNITURE_LINE: usize = 400;

fn is_furniture_line(line: &str) -> bool {
    // Furniture is short; testing long body lines only costs time.
    line.len() <= MAX_FURNITURE_LINE
        && (FURNITURE_LINE.is_match(line) || CREDIT_LINE.is_match(line) || is_icon_soup(line))
}

/// A block that is a letterhead, an address or a site footer.
fn is_contact_block(block: &RawBlock) -> bool {
    let signals = block
        .iter()
        .filter(|l| l.text.len() <= MAX_FURNITURE_LINE && letter::is_contact_line(&l.text))
        .count();
    if signals == 0 {
        return false;
    }
    // A long running paragraph that quotes a phone number is body text, not a letterhead.
    let longest = block
        .iter()
        .map(|l| l.text.split_whitespace().count())
        .max()
        .unwrap_or(0);
    block.len() > 1 || longest <= 15
}

/// A picture's caption and credit.
fn is_credit_block(block: &RawBlock) -> bool {
    block.iter().any(|l| CREDIT_LINE.is_match(&l.text))
        && block.iter().all(|l| word_count(&l.text) <= 8)
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// A short line without sentence punctuation: a heading, a link label or a caption.
fn is_heading_like(s: &str) -> bool {
    let words = word_count(s);
    words > 0 && words <= 12 && !ends_sentence(s)
}

/// Group blocks into units: bullets and Markdown headings stand alone, other
/// lines join (a word hyphenated across a line end rejoined as in PDFs).
fn units_of(blocks: &[RawBlock]) -> Vec<Unit> {
    let vocab = Vocab::new(blocks.iter().flatten().map(|l| l.text.as_str()));
    let mut units = Vec::new();
    for block in blocks {
        let mut current: Option<Unit> = None;
        for line in block {
            if line.text.is_empty() {
                continue;
            }
            let starts_new =
                line.heading || line.bullet || current.as_ref().is_some_and(|u| u.heading);
            // Scraped news puts one paragraph per line; a line that ends a sentence and is
            // followed by another line that starts a new one is a paragraph break.
            let sentence_break = current.as_ref().is_some_and(|u| {
                ends_sentence(&u.text) && !line.text.starts_with(char::is_lowercase)
            });
            if starts_new || sentence_break || current.is_none() {
                if let Some(u) = current.take() {
                    units.push(u);
                }
                current = Some(Unit {
                    text: line.text.clone(),
                    heading: line.heading,
                    bullet: line.bullet,
                });
            } else if let Some(u) = current.as_mut() {
                append_line(&mut u.text, &line.text, &vocab);
            }
        }
        if let Some(u) = current {
            units.push(u);
        }
    }
    units
}

/// Index of the first unit at which the article is over, moving back over teasers.
fn tail_cut(units: &[Unit]) -> usize {
    let Some(marker) = units.iter().position(|u| TAIL_MARKER.is_match(&u.text)) else {
        return units.len();
    };
    if !TEASER_MARKER.is_match(&units[marker].text) {
        return marker;
    }
    let mut cut = marker;
    while cut > 0 {
        let prev = &units[cut - 1].text;
        let teaser = prev.ends_with("[...]") || prev.ends_with("[…]") || prev.ends_with("...");
        if teaser || is_heading_like(prev) {
            cut -= 1;
        } else {
            break;
        }
    }
    cut
}

/// Clean scraped text or Markdown.
pub fn clean(input: &str) -> CleanText {
    clean_explained(input).0
}

/// [`clean`], also returning each letter-furniture line dropped and the rule that dropped it.
pub fn clean_explained(input: &str) -> (CleanText, Vec<(DropRule, String)>) {
    let input = input.trim_start_matches('\u{feff}');
    let mut lines: Vec<Line> = input.lines().map(strip_markdown).collect();
    // Lines set in columns (a joint letter's signatures) keep their column gaps
    // for the letter rules and the metadata readers.
    let columned: Vec<std::borrow::Cow<str>> = input
        .lines()
        .zip(&lines)
        .map(|(raw, line)| {
            let raw = raw.trim();
            if raw.contains("  ") || raw.contains('\t') {
                std::borrow::Cow::Owned(letter::cells(raw).join("  "))
            } else {
                std::borrow::Cow::Borrowed(line.text.as_str())
            }
        })
        .collect();
    let full_text = columned.join("\n");

    // A letter's furniture goes first: a blanked line separates what was around it.
    let marks = letter::mark(&columned);
    drop(columned);
    let mut dropped = Vec::new();
    for (line, mark) in lines.iter_mut().zip(marks) {
        if let Some(rule) = mark {
            dropped.push((rule, std::mem::take(&mut line.text)));
        }
    }

    let mut raw_blocks: Vec<RawBlock> = Vec::new();
    let mut current: RawBlock = Vec::new();
    for line in lines {
        if line.text.is_empty() {
            if !current.is_empty() {
                raw_blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        raw_blocks.push(current);
    }

    // A tail marker stands alone, so a footer block glued to it cannot hide it.
    let raw_blocks: Vec<RawBlock> = raw_blocks
        .into_iter()
        .flat_map(|b| {
            let mut parts: Vec<RawBlock> = vec![Vec::new()];
            for line in b {
                if TAIL_MARKER.is_match(&line.text) {
                    parts.push(vec![line]);
                    parts.push(Vec::new());
                } else if let Some(last) = parts.last_mut() {
                    last.push(line);
                }
            }
            parts.into_iter().filter(|p| !p.is_empty())
        })
        .collect();

    let kept: Vec<RawBlock> = raw_blocks
        .into_iter()
        .filter(|b| !is_contact_block(b) && !is_credit_block(b))
        .map(|b| {
            b.into_iter()
                .filter(|l| !is_furniture_line(&l.text))
                .collect::<RawBlock>()
        })
        .filter(|b| !b.is_empty())
        .collect();

    let mut units = units_of(&kept);
    units.truncate(tail_cut(&units));

    let continues: Vec<bool> = units
        .iter()
        .skip(1)
        .map(|u| super::block::starts_lowercase(&u.text))
        .chain(std::iter::once(false))
        .collect();
    let mut blocks: Vec<Block> = units
        .into_iter()
        .zip(continues)
        .map(|(u, next_continues)| {
            // A line the next one continues is a paragraph split by a page break.
            let heading = u.heading || (!u.bullet && !next_continues && is_heading_like(&u.text));
            Block {
                kind: if heading {
                    BlockKind::Heading
                } else {
                    BlockKind::Paragraph
                },
                text: u.text,
                page: None,
            }
        })
        .collect();
    blocks = join_split_paragraphs(blocks);

    // The title is the first heading before any paragraph.
    let mut title = None;
    if let Some(first_para) = blocks.iter().position(|b| b.kind == BlockKind::Paragraph) {
        if let Some(h) = blocks[..first_para]
            .iter()
            .position(|b| b.kind == BlockKind::Heading)
        {
            title = Some(blocks.remove(h).text);
            // A long line between the headline and the body is a standfirst, not a section.
            if let Some(next) = blocks.first_mut() {
                if next.kind == BlockKind::Heading && word_count(&next.text) >= 8 {
                    next.kind = BlockKind::Paragraph;
                }
            }
        }
    }
    let clean = CleanText {
        title,
        blocks: drop_empty_headings(blocks),
        full_text,
    };
    (clean, dropped)
}

/// Text larger than this is cleaned in pieces cut at paragraph breaks, so that a
/// large file costs a few times the piece, not a few times the file.
pub const CHUNK_BYTES: usize = 8 * 1024 * 1024;

/// Longest line accepted in a large text file: anything longer is not prose.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// A line longer than [`MAX_LINE_BYTES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineTooLong;

/// Where to end a piece of `text` that starts at `start`: the last blank line
/// (else line break) before `start + chunk`, or the end of the text.
fn chunk_end(text: &str, start: usize, chunk: usize) -> Result<usize, LineTooLong> {
    if text.len() - start <= chunk {
        return Ok(text.len());
    }
    let mut limit = start + chunk;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = &text[start..limit];
    if let Some(i) = window.rfind("\n\n") {
        return Ok(start + i + 2);
    }
    if let Some(i) = window.rfind('\n') {
        return Ok(start + i + 1);
    }
    // No line break in a whole piece: look a little further, within the line limit.
    let mut far = (start + MAX_LINE_BYTES).min(text.len());
    while !text.is_char_boundary(far) {
        far -= 1;
    }
    match text[limit..far].find('\n') {
        Some(i) => Ok(limit + i + 1),
        None if far == text.len() => Ok(far),
        None => Err(LineTooLong),
    }
}

/// Clean text of any size: small text at once, large text in pieces of about
/// `chunk` bytes cut at paragraph breaks (the first piece gives the title and
/// the text metadata is read from).
pub fn clean_large(
    input: &str,
    chunk: usize,
) -> Result<(CleanText, Vec<(DropRule, String)>), LineTooLong> {
    if input.len() <= chunk {
        return Ok(clean_explained(input));
    }
    let mut out = CleanText::default();
    let mut dropped = Vec::new();
    let mut start = 0;
    while start < input.len() {
        let end = chunk_end(input, start, chunk.max(1))?;
        let (piece, piece_dropped) = clean_explained(&input[start..end]);
        dropped.extend(piece_dropped);
        if start == 0 {
            out.title = piece.title;
            out.full_text = piece.full_text;
        } else if let Some(t) = piece.title {
            // A later piece's "title" is a heading in the middle of the document.
            out.blocks.push(Block::heading(t));
        }
        out.blocks.extend(piece.blocks);
        start = end;
    }
    Ok((out, dropped))
}

/// Headings with no paragraph under them are link labels or captions, not sections.
pub fn drop_empty_headings(blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    let mut iter = blocks.into_iter().peekable();
    while let Some(b) = iter.next() {
        let next_is_para = iter.peek().is_some_and(|n| n.kind == BlockKind::Paragraph);
        if b.kind == BlockKind::Paragraph || next_is_para {
            out.push(b);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(c: &CleanText) -> Vec<&str> {
        c.blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Paragraph)
            .map(|b| b.text.as_str())
            .collect()
    }

    #[test]
    fn strips_markdown_but_keeps_words() {
        let l = strip_markdown("### **Headline findings**");
        assert!(l.heading);
        assert_eq!(l.text, "Headline findings");
        let l = strip_markdown("- Management oversight, including by [IROs](http://x).");
        assert!(l.bullet);
        assert_eq!(l.text, "Management oversight, including by IROs.");
    }

    #[test]
    fn drops_navigation_teasers_and_footer() {
        let page = "Make an Enquiry\nContact Us\n\nCouncil improves, says Ofsted\n\n\
            The council has improved its services for children in care since the last visit.\n\n\
            Knowledge & Resources\n\nSome Other Story Title\n\n\nAn excerpt of another story [...]\n\nRead Full Story\n\
            Delivering a diverse, reliable range of services to children and their families across the UK\n\
            D1, Parkside, Knowledge Gateway, Nesfield Road, Colchester, Essex CO4 3ZL\nContact Us\n\n\
            closechevron-downbars linkedin facebook pinterest youtube rss twitter";
        let c = clean(page);
        assert_eq!(c.title.as_deref(), Some("Council improves, says Ofsted"));
        assert_eq!(
            paragraphs(&c),
            vec![
                "The council has improved its services for children in care since the last visit."
            ]
        );
    }

    #[test]
    fn drops_letterhead_salutation_and_signature() {
        let letter = "Ofsted  \nPiccadilly Gate  \nManchester  \nM1 2WD\n\nT 0300 123 1231  \n\
            enquiries@ofsted.  \ngov.uk\n\n20 October 2022\n\nDear Ms Smith\n\n\
            ### **Focused visit to Somewhere children's services**\n\nThis letter summarises the findings.\n\n\
            Yours sincerely\n\nA Person  \n**His Majesty's Inspector**";
        let c = clean(letter);
        assert_eq!(
            c.title.as_deref(),
            Some("Focused visit to Somewhere children's services")
        );
        assert_eq!(paragraphs(&c), vec!["This letter summarises the findings."]);
        assert!(c.full_text.contains("20 October 2022"));
        assert!(c.full_text.contains("Yours sincerely"));
    }

    #[test]
    fn bullets_are_passages_and_headings_sections() {
        let text = "Title here\n\nOfsted highlighted:\n\n  • First point.\n  • Second point.\n\n\
            Progress is ‘too slow’\n\nThe council was rated inadequate.";
        let c = clean(text);
        let kinds: Vec<_> = c.blocks.iter().map(|b| (b.kind, b.text.as_str())).collect();
        assert_eq!(
            kinds,
            vec![
                (BlockKind::Paragraph, "Ofsted highlighted:"),
                (BlockKind::Paragraph, "First point."),
                (BlockKind::Paragraph, "Second point."),
                (BlockKind::Heading, "Progress is ‘too slow’"),
                (BlockKind::Paragraph, "The council was rated inadequate."),
            ]
        );
    }

    #[test]
    fn drops_photo_credit_and_comments() {
        let text =
            "Headline\n\nStandfirst that runs on for quite a few words, inspectors have said\n\n\
            group meeting\nPhoto: Rido/Fotolia\n\nBody text here.\n\nMore from Community Care\n\n\
            One Response to Headline\n\n  1. Someone February 26, 2018 at 1:45 pm #";
        let c = clean(text);
        assert_eq!(
            paragraphs(&c),
            vec![
                "Standfirst that runs on for quite a few words, inspectors have said",
                "Body text here."
            ]
        );
    }

    #[test]
    fn a_word_hyphenated_across_a_line_end_is_rejoined() {
        let c = clean("Title\n\nPartners share information in the multi-\nagency safeguarding hub, and every assess-\nment is timely; pre-\nproceedings work is strong.\n");
        let text = &c.blocks[0].text;
        assert!(text.contains("the multi-agency safeguarding hub"), "{text}");
        assert!(text.contains("every assessment is timely"), "{text}");
        assert!(text.contains("pre-proceedings work"), "{text}");
    }

    #[test]
    fn joins_paragraph_split_by_page_break() {
        let text = "Heading\n\nThis includes the use of business support and\n\nimproving the system. More.";
        let c = clean(text);
        assert_eq!(
            paragraphs(&c),
            vec!["This includes the use of business support and improving the system. More."]
        );
    }

    #[test]
    fn large_text_is_cleaned_in_pieces() {
        let para = "The council has improved its services for children in care.\n\n";
        let text = format!("Headline here\n\n{}", para.repeat(2000));
        let whole = clean(&text);
        let (pieces, _) = clean_large(&text, 4096).unwrap();
        assert_eq!(pieces.title, whole.title);
        assert_eq!(paragraphs(&pieces).len(), 2000);
        let one_line = "a".repeat(10_000);
        assert!(clean_large(&one_line, 100).is_ok());
        assert_eq!(chunk_end("abc\ndef", 0, 5), Ok(4));
        assert_eq!(chunk_end("ab\n\ncd\nef", 0, 7), Ok(4));
    }

    #[test]
    fn empty_and_odd_input_does_not_panic() {
        for s in [
            "", "\n\n\n", "#", "- ", "**", "[", "](", "\u{feff}", "a\r\nb",
        ] {
            let _ = clean(s);
        }
    }
}
