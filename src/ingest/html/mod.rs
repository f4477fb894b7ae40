//! Main-content extraction from HTML pages (news articles, report pages).
//!
//! The extractor parses the page with `scraper`, converts the element tree
//! into a compact arena (dropping scripts, forms controls, hidden and other
//! non-content elements), splits it into text blocks, scores containers by
//! how much paragraph-like text they hold (penalising link-heavy and
//! boilerplate-hinted regions), and finally emits the cleaned blocks of the
//! best container in reading order.

mod decode;
mod dom;
mod guard;
mod meta;
mod score;
mod text;

#[cfg(test)]
mod tests;

pub use super::block::{Block, BlockKind};

/// What the extractor finds in one page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlArticle {
    /// Article title: `og:title`, else the article `<h1>`, else `<title>`
    /// without a trailing site-name suffix.
    pub title: Option<String>,
    /// Raw publication date string as found in the page metadata.
    pub published: Option<String>,
    /// The publication date parsed as (year, month, day), when parseable.
    pub published_date: Option<(i16, i8, i8)>,
    /// Site name (`og:site_name`, JSON-LD `publisher.name`).
    pub site_name: Option<String>,
    /// Author name, when declared in metadata.
    pub author: Option<String>,
    /// The article body blocks in reading order (without the title heading).
    pub blocks: Vec<Block>,
}

/// Decode bytes (BOM, `<meta charset>`, http-equiv content-type; default
/// UTF-8 with lossy fallback, windows-1252 when invalid UTF-8 and no
/// charset) and extract the main article.
pub fn extract(bytes: &[u8]) -> HtmlArticle {
    let text = decode::decode(bytes);
    extract_str(&text)
}

/// Extract the main article from an already decoded HTML string.
pub fn extract_str(html: &str) -> HtmlArticle {
    if html.trim().is_empty() {
        return HtmlArticle::default();
    }
    let html = guard::limit_depth(html);
    let doc = scraper::Html::parse_document(&html);
    let meta = meta::collect(&doc);
    let arena = dom::Arena::build(&doc);
    drop(doc);
    let mut blocks = score::extract_blocks(&arena);

    let mut title = meta.og_title.clone();
    if title.is_none() {
        title = blocks
            .iter()
            .find(|b| b.kind == BlockKind::Heading && b.is_h1)
            .map(|b| b.text.clone())
            .or_else(|| arena.first_h1_text());
    }
    if title.is_none() {
        title = meta.title_tag.as_deref().map(meta::strip_site_suffix);
    }
    // Drop a leading heading that repeats the title.
    let title_key = title.as_deref().map(text::fuzzy_key).unwrap_or_default();
    let h1_key = arena.first_h1_text().map(|t| text::fuzzy_key(&t));
    if let Some(pos) = blocks.iter().position(|b| b.kind == BlockKind::Heading) {
        let key = text::fuzzy_key(&blocks[pos].text);
        let early = blocks[..pos].iter().map(|b| b.text.len()).sum::<usize>() < 400;
        let same = !key.is_empty()
            && (key == title_key
                || (title_key.len() > 10
                    && (title_key.contains(&key) || key.contains(&title_key)))
                || h1_key.as_deref() == Some(key.as_str()));
        if early && same && (blocks[pos].is_h1 || key == title_key) {
            blocks.remove(pos);
        }
    }
    let published_date = meta.published.as_deref().and_then(meta::parse_date);
    HtmlArticle {
        title: title.filter(|t| !t.is_empty()),
        published: meta.published,
        published_date,
        site_name: meta.site_name,
        author: meta.author,
        blocks: blocks
            .into_iter()
            .map(|b| Block {
                kind: b.kind,
                text: b.text,
                page: None,
            })
            .collect(),
    }
}

/// Cheap check used by format detection: does this look like HTML (doctype,
/// `<html`, `<head`, `<body`, `<div`, `<p` ... within the first KB after
/// BOM/whitespace)?
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let mut b = bytes;
    for bom in [
        &[0xEF, 0xBB, 0xBF][..],
        &[0xFF, 0xFE][..],
        &[0xFE, 0xFF][..],
    ] {
        if let Some(rest) = b.strip_prefix(bom) {
            b = rest;
            break;
        }
    }
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let b = b.get(start..).unwrap_or(&[]);
    let head = b.get(..b.len().min(1024)).unwrap_or(&[]);
    let lower: Vec<u8> = head.iter().map(|c| c.to_ascii_lowercase()).collect();
    const MARKERS: [&[u8]; 14] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<body",
        b"<div",
        b"<p>",
        b"<p ",
        b"<meta",
        b"<title",
        b"<article",
        b"<section",
        b"<table",
        b"<h1",
        b"<br",
    ];
    if !lower.starts_with(b"<") {
        return false;
    }
    MARKERS
        .iter()
        .any(|m| lower.windows(m.len()).any(|w| w == *m))
}
