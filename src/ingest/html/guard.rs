//! Protection against pathologically deep nesting.
//!
//! The HTML tree builder does work proportional to the depth of the open
//! element stack for many start tags, so 100,000 nested elements take
//! quadratic time. Before parsing, a lightweight tag scanner estimates the
//! nesting depth and removes start tags (and as many following end tags)
//! beyond a fixed limit. Text is never removed.

use std::borrow::Cow;

/// Maximum estimated nesting depth kept.
const MAX_DEPTH: usize = 1500;

const VOID: [&str; 16] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "command",
];

/// Elements whose start tag implicitly closes a previous sibling of the
/// same kind; they are not counted as nesting.
const SELF_CLOSING_SIBLINGS: [&str; 9] = ["p", "li", "dt", "dd", "tr", "td", "th", "option", "a"];

/// Return `html` unchanged when shallow, else a copy with over-deep tags removed.
pub(super) fn limit_depth(html: &str) -> Cow<'_, str> {
    let tags = html.bytes().filter(|&b| b == b'<').count();
    if tags <= MAX_DEPTH {
        return Cow::Borrowed(html);
    }
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0usize; // bytes of `html` already copied to `out`
    let mut depth = 0usize;
    let mut dropped = 0usize;
    let mut i = 0usize;
    while let Some(off) = bytes
        .get(i..)
        .and_then(|s| s.iter().position(|&b| b == b'<'))
    {
        let start = i + off;
        let rest = bytes.get(start..).unwrap_or(&[]);
        if rest.starts_with(b"<!--") {
            i = find(bytes, start + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let Some(end) = bytes
            .get(start..)
            .and_then(|s| s.iter().position(|&b| b == b'>'))
        else {
            break;
        };
        let end = start + end + 1;
        let closing = rest.get(1) == Some(&b'/');
        let name_start = start + if closing { 2 } else { 1 };
        let name_len = bytes
            .get(name_start..end)
            .unwrap_or(&[])
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 {
            i = start + 1;
            continue;
        }
        let name = html
            .get(name_start..name_start + name_len)
            .unwrap_or("")
            .to_ascii_lowercase();
        let self_closed = bytes.get(end.saturating_sub(2)) == Some(&b'/');
        let mut drop_tag = false;
        if closing {
            if dropped > 0 {
                dropped -= 1;
                drop_tag = true;
            } else if !SELF_CLOSING_SIBLINGS.contains(&name.as_str()) {
                depth = depth.saturating_sub(1);
            }
        } else if !VOID.contains(&name.as_str())
            && !self_closed
            && !SELF_CLOSING_SIBLINGS.contains(&name.as_str())
        {
            if depth >= MAX_DEPTH {
                dropped += 1;
                drop_tag = true;
            } else {
                depth += 1;
            }
        }
        if drop_tag {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            o.push_str(html.get(copied..start).unwrap_or(""));
            copied = end;
        }
        i = end;
        if !closing && matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
            let close = format!("</{name}");
            i = find_ci(bytes, i, close.as_bytes()).unwrap_or(bytes.len());
        }
    }
    match out {
        Some(mut o) => {
            o.push_str(html.get(copied..).unwrap_or(""));
            Cow::Owned(o)
        }
        None => Cow::Borrowed(html),
    }
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}
