//! Paragraph reconstruction: join lines, split on bullets and numbered paragraphs,
//! rejoin paragraphs split by page breaks, resolve line-end hyphens, detect headings.

use std::sync::OnceLock;

use regex::Regex;

use super::furniture::PageLines;
use super::{Block, BlockKind};
use crate::ingest::hyphen::{append_line, Vocab};

/// Bullet characters seen in Ofsted PDFs (private-use symbol-font bullets included).
const BULLETS: &[char] = &[
    '\u{f0b7}', '\u{f0a7}', '\u{f0d8}', '\u{f076}', '\u{f0fc}', '◼', '•', '─', '▪', '●', '■', '◾',
    '‣', '⁃', '∙', '·', '➢', '►', '▶', '○',
];

#[derive(Debug)]
struct RawBlock {
    lines: Vec<String>,
    /// Started by a bullet or numbered-paragraph marker.
    item: bool,
    starts_page: bool,
    ends_page: bool,
    /// The page the block's first line is on.
    page: u32,
}

fn numbered_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^\(?(\d{1,3})[.)](?:\s+(\S.*))?$").unwrap_or_else(|_| unreachable!())
    })
}

fn footnote_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // Superscript footnote numbers glued to a word or to sentence punctuation.
    RE.get_or_init(|| {
        Regex::new(r"([a-z]{3,}[.,;:]?|[a-z][.,;:])(\d{1,2})(\s|$)")
            .unwrap_or_else(|_| unreachable!())
    })
}

/// Strip a leading bullet marker; `None` if the line is not a bullet item.
fn strip_bullet(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let mut chars = t.chars();
    let first = chars.next()?;
    if BULLETS.contains(&first) {
        return Some(chars.as_str().trim_start());
    }
    if first == '-' || first == '–' {
        let rest = chars.as_str();
        if rest.starts_with(char::is_whitespace) {
            return Some(rest.trim_start());
        }
    }
    None
}

/// Strip a numbered-paragraph marker ("13." / "13)"); returns the rest (maybe empty).
fn strip_number(line: &str) -> Option<String> {
    let t = line.trim();
    let caps = numbered_re().captures(t)?;
    Some(
        caps.get(2)
            .map(|m| m.as_str().to_string())
            .unwrap_or_default(),
    )
}

fn clean_chars(line: &str) -> String {
    let mut s = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '\u{a0}' | '\t' => s.push(' '),
            '\u{ad}' | '\u{200b}' | '\u{feff}' => {}
            c if ('\u{e000}'..='\u{f8ff}').contains(&c) => s.push(' '),
            c if c.is_control() => {}
            c => s.push(c),
        }
    }
    s
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn footnote_start_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^(\d{1,2})\s+[A-Z]").unwrap_or_else(|_| unreachable!()))
}

/// Does a line look like the start of a footnote ("1 The local authority ...")?
fn is_footnote_start(line: &str) -> bool {
    footnote_start_re().is_match(line.trim_start())
}

fn strip_footnote_number(line: &str) -> String {
    let t = line.trim_start();
    t.trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start()
        .to_string()
}

/// Is `line` the short heading-like line `prev` printed again (a table's
/// header row under the heading of the same name)?
fn is_repeated_heading(prev: &str, line: &str) -> bool {
    let (p, l) = (prev.trim(), line.trim());
    !l.is_empty()
        && l.eq_ignore_ascii_case(p)
        && l.split_whitespace().count() <= 8
        && !l.ends_with(['.', ',', ';'])
        && l.starts_with(char::is_uppercase)
}

fn ends_terminal(s: &str) -> bool {
    let t = s.trim_end();
    t.ends_with(['.', '!', '?', ':', ';', '"', '\u{201d}'])
}

fn starts_continuation(s: &str) -> bool {
    s.trim_start()
        .chars()
        .next()
        .map(|c| c.is_lowercase())
        .unwrap_or(false)
}

fn is_heading(b: &RawBlock, text: &str) -> bool {
    if b.item || b.lines.len() > 3 {
        return false;
    }
    let n = text.chars().count();
    if n == 0 || n > 120 {
        return false;
    }
    let first = text.chars().next().unwrap_or(' ');
    if !(first.is_uppercase() || first.is_ascii_digit()) {
        return false;
    }
    if text.ends_with(['.', ',', ';']) {
        return false;
    }
    if text.ends_with('?') && n > 60 {
        return false;
    }
    if text.ends_with(':') && n > 60 {
        return false;
    }
    text.split_whitespace().count() <= 18
}

/// Build blocks from furniture-free pages.
pub fn build_blocks(pages: &[PageLines]) -> Vec<Block> {
    let vocab = Vocab::new(
        pages
            .iter()
            .flat_map(|p| p.lines.iter().map(String::as_str)),
    );
    let mut raw: Vec<RawBlock> = Vec::new();
    // Footnotes at the foot of a page are moved to the end of the document so that a
    // paragraph running across the page break can be rejoined.
    let mut notes: Vec<RawBlock> = Vec::new();
    for page in pages {
        let page_start = raw.len();
        let mut cur: Option<RawBlock> = None;
        let mut first_on_page = true;
        let flush = |cur: &mut Option<RawBlock>, raw: &mut Vec<RawBlock>| {
            if let Some(b) = cur.take() {
                if b.lines.iter().any(|l| !l.trim().is_empty()) || b.item {
                    raw.push(b);
                }
            }
        };
        let mut prev_line = String::new();
        for line in &page.lines {
            let line = clean_chars(line);
            if is_repeated_heading(&prev_line, &line) {
                // A table's header row repeats its heading: the heading stands
                // alone, once, and the rows under it are a paragraph of their own.
                if let Some(mut b) = cur.take() {
                    let heading = b.lines.pop();
                    let starts_page = b.starts_page;
                    if !b.lines.is_empty() {
                        raw.push(b);
                    }
                    if let Some(h) = heading {
                        raw.push(RawBlock {
                            lines: vec![h],
                            item: false,
                            starts_page,
                            ends_page: false,
                            page: page.number,
                        });
                    }
                }
                prev_line.clear();
                continue;
            }
            if !line.trim().is_empty() {
                prev_line.clone_from(&line);
            }
            if line.trim().is_empty() {
                // A blank line ends the paragraph, except right after a lone number marker.
                let pending_marker = cur
                    .as_ref()
                    .map(|b| b.item && b.lines.is_empty())
                    .unwrap_or(false);
                if !pending_marker {
                    flush(&mut cur, &mut raw);
                }
                continue;
            }
            let (start_item, text) = if let Some(rest) = strip_bullet(&line) {
                (true, rest.to_string())
            } else if let Some(rest) = strip_number(&line) {
                (true, rest)
            } else {
                (false, line.trim().to_string())
            };
            if start_item {
                flush(&mut cur, &mut raw);
                let mut b = RawBlock {
                    lines: Vec::new(),
                    item: true,
                    starts_page: first_on_page,
                    ends_page: false,
                    page: page.number,
                };
                if !text.is_empty() {
                    b.lines.push(text);
                }
                cur = Some(b);
            } else {
                match cur.as_mut() {
                    Some(b) => b.lines.push(text),
                    None => {
                        cur = Some(RawBlock {
                            lines: vec![text],
                            item: false,
                            starts_page: first_on_page,
                            ends_page: false,
                            page: page.number,
                        })
                    }
                }
            }
            first_on_page = false;
        }
        flush(&mut cur, &mut raw);
        let mut page_notes = Vec::new();
        while raw.len() > page_start
            && raw
                .last()
                .map(|b| {
                    !b.item
                        && b.lines
                            .first()
                            .map(|l| is_footnote_start(l))
                            .unwrap_or(false)
                })
                .unwrap_or(false)
        {
            if let Some(mut b) = raw.pop() {
                if let Some(first) = b.lines.first_mut() {
                    *first = strip_footnote_number(first);
                }
                page_notes.push(b);
            }
        }
        page_notes.reverse();
        notes.extend(page_notes);
        if raw.len() > page_start {
            if let Some(last) = raw.last_mut() {
                last.ends_page = true;
            }
        }
    }
    for mut n in notes {
        n.starts_page = false;
        n.ends_page = false;
        raw.push(n);
    }

    // Join each block's lines, then merge paragraphs split by a page break.
    let mut texts: Vec<(RawBlock, String)> = Vec::new();
    for b in raw {
        let mut acc = String::new();
        for l in &b.lines {
            append_line(&mut acc, l, &vocab);
        }
        let text = collapse_ws(&acc);
        if let Some((prev, prev_text)) = texts.last_mut() {
            if prev.ends_page
                && b.starts_page
                && !b.item
                && !ends_terminal(prev_text)
                && starts_continuation(&text)
            {
                append_line(prev_text, &text, &vocab);
                prev.ends_page = b.ends_page;
                prev.lines.extend(b.lines);
                continue;
            }
        }
        texts.push((b, text));
    }

    let mut out = Vec::with_capacity(texts.len());
    for (b, text) in texts {
        let text = footnote_re().replace_all(&text, "$1$3").trim().to_string();
        if text.is_empty() || super::furniture::is_boilerplate_block(&text) {
            continue;
        }
        let kind = if is_heading(&b, &text) && !is_fact_line(&text) {
            BlockKind::Heading
        } else {
            BlockKind::Paragraph
        };
        out.push(Block {
            kind,
            text,
            page: Some(b.page),
        });
    }
    join_split_headings(out)
}

/// Lines that state a report's facts ("Report published: …") are not section headings.
fn is_fact_line(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "report published",
        "published:",
        "inspection date",
        "dates of inspection",
        "lead inspector",
        "deputy lead inspector",
        "team inspector",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

/// A title set on several lines ("Inspection of services …" / "and" / "Review of …")
/// comes out as heading, lone conjunction, heading: make it one heading.
fn join_split_headings(blocks: Vec<Block>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    let mut iter = blocks.into_iter().peekable();
    while let Some(b) = iter.next() {
        let lone_conjunction =
            b.kind == BlockKind::Paragraph && matches!(b.text.as_str(), "and" | "&" | "or");
        let between_headings = out.last().is_some_and(|p| p.kind == BlockKind::Heading)
            && iter.peek().is_some_and(|n| n.kind == BlockKind::Heading);
        if lone_conjunction && between_headings {
            if let (Some(prev), Some(next)) = (out.last_mut(), iter.next()) {
                prev.text = format!("{} {} {}", prev.text, b.text, next.text);
            }
            continue;
        }
        out.push(b);
    }
    out
}

#[cfg(test)]
mod split_heading_tests {
    use super::*;

    #[test]
    fn a_repeated_heading_stands_alone_once() {
        let page = PageLines {
            lines: vec![
                "Closing sentence of the section before.".into(),
                "".into(),
                "Areas for action".into(),
                "  Areas for action".into(),
                "Leaders should do one thing well".into(),
                "and then another.".into(),
            ],
            number: 1,
        };
        let blocks = build_blocks(&[page]);
        let texts: Vec<(&str, BlockKind)> =
            blocks.iter().map(|b| (b.text.as_str(), b.kind)).collect();
        assert_eq!(
            texts,
            vec![
                (
                    "Closing sentence of the section before.",
                    BlockKind::Paragraph
                ),
                ("Areas for action", BlockKind::Heading),
                (
                    "Leaders should do one thing well and then another.",
                    BlockKind::Paragraph
                ),
            ]
        );
    }

    #[test]
    fn joins_a_title_split_around_and() {
        let blocks = vec![
            Block {
                kind: BlockKind::Heading,
                text: "Inspection of services".into(),
                page: None,
            },
            Block {
                kind: BlockKind::Paragraph,
                text: "and".into(),
                page: None,
            },
            Block {
                kind: BlockKind::Heading,
                text: "Review of the LSCB".into(),
                page: None,
            },
            Block {
                kind: BlockKind::Paragraph,
                text: "Body.".into(),
                page: None,
            },
        ];
        let out = join_split_headings(blocks);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].text, "Inspection of services and Review of the LSCB");
    }

    #[test]
    fn fact_lines_are_not_headings() {
        assert!(is_fact_line("Report published: 25/11/2016"));
        assert!(!is_fact_line("Main findings"));
    }
}
