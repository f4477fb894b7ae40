//! Page metadata: title, publication date, site name, author.

use scraper::{Html, Node};
use serde_json::Value;

use super::text;

/// Metadata gathered from `<meta>`, `<title>`, `<time>` and JSON-LD.
#[derive(Debug, Default)]
pub(super) struct Meta {
    /// `og:title`.
    pub og_title: Option<String>,
    /// Text of the first `<title>`.
    pub title_tag: Option<String>,
    /// Raw publication date, best source first.
    pub published: Option<String>,
    /// `og:site_name` or JSON-LD publisher name.
    pub site_name: Option<String>,
    /// Author from `<meta>` or JSON-LD.
    pub author: Option<String>,
}

fn set(slot: &mut Option<String>, v: &str) {
    if slot.is_none() {
        let t = text::normalize(v);
        if !t.is_empty() {
            *slot = Some(t);
        }
    }
}

/// Collect metadata with a single pass over all nodes (no recursion).
pub(super) fn collect(doc: &Html) -> Meta {
    let mut m = Meta::default();
    // Date candidates by priority: 0 article:published_time, 1 JSON-LD,
    // 2 <time datetime>, 3 itemprop datePublished, 4 meta date names.
    let mut dates: [Option<String>; 5] = Default::default();
    let mut ld_author = None;
    let mut ld_publisher = None;
    let mut meta_author = None;
    for node in doc.tree.nodes() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        match el.name() {
            "meta" => {
                let key = el
                    .attr("property")
                    .or_else(|| el.attr("name"))
                    .or_else(|| el.attr("itemprop"))
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                let Some(content) = el.attr("content") else {
                    continue;
                };
                match key.as_str() {
                    "og:title" => set(&mut m.og_title, content),
                    "og:site_name" => set(&mut m.site_name, content),
                    "article:published_time" => set(&mut dates[0], content),
                    "datepublished" => set(&mut dates[3], content),
                    "date" | "pubdate" | "dc.date" | "dc.date.issued" | "dcterms.date"
                    | "publish-date" | "publish_date" | "sailthru.date" | "parsely-pub-date" => {
                        set(&mut dates[4], content)
                    }
                    "author" | "article:author" | "dc.creator" | "byl"
                        if !content.starts_with("http") =>
                    {
                        set(&mut meta_author, content)
                    }
                    _ => {}
                }
            }
            "title" if m.title_tag.is_none() => {
                let mut s = String::new();
                for c in node.children() {
                    if let Node::Text(t) = c.value() {
                        s.push_str(t);
                    }
                }
                set(&mut m.title_tag, &s);
            }
            "time" => {
                if let Some(dt) = el.attr("datetime") {
                    set(&mut dates[2], dt);
                }
                if el
                    .attr("itemprop")
                    .is_some_and(|v| v.eq_ignore_ascii_case("datepublished"))
                {
                    if let Some(dt) = el.attr("datetime") {
                        set(&mut dates[3], dt);
                    }
                }
            }
            "script"
                if el
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                let mut s = String::new();
                for c in node.children() {
                    if let Node::Text(t) = c.value() {
                        s.push_str(t);
                    }
                }
                if let Ok(v) = serde_json::from_str::<Value>(s.trim()) {
                    scan_ld(&v, 0, &mut dates[1], &mut ld_author, &mut ld_publisher);
                }
            }
            _ => {
                if el
                    .attr("itemprop")
                    .is_some_and(|v| v.eq_ignore_ascii_case("datepublished"))
                {
                    if let Some(dt) = el.attr("content").or_else(|| el.attr("datetime")) {
                        set(&mut dates[3], dt);
                    }
                }
            }
        }
    }
    m.published = dates.into_iter().flatten().next();
    if m.site_name.is_none() {
        m.site_name = ld_publisher;
    }
    m.author = meta_author.or(ld_author);
    m
}

fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("name").and_then(|n| n.as_str()).map(str::to_string),
        Value::Array(a) => a.iter().find_map(name_of),
        _ => None,
    }
}

fn scan_ld(
    v: &Value,
    depth: usize,
    date: &mut Option<String>,
    author: &mut Option<String>,
    publisher: &mut Option<String>,
) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(a) => {
            for x in a.iter().take(64) {
                scan_ld(x, depth + 1, date, author, publisher);
            }
        }
        Value::Object(o) => {
            if let Some(d) = o.get("datePublished").and_then(|d| d.as_str()) {
                set(date, d);
            }
            if let Some(a) = o.get("author").and_then(name_of) {
                set(author, &a);
            }
            if let Some(p) = o.get("publisher").and_then(name_of) {
                set(publisher, &p);
            }
            if let Some(g) = o.get("@graph") {
                scan_ld(g, depth + 1, date, author, publisher);
            }
            if let Some(g) = o.get("mainEntity") {
                scan_ld(g, depth + 1, date, author, publisher);
            }
        }
        _ => {}
    }
}

/// Remove a trailing " | Site" / " - Site" / " — Site" suffix from a `<title>`.
pub(super) fn strip_site_suffix(t: &str) -> String {
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · "] {
        if let Some(pos) = t.rfind(sep) {
            let (head, tail) = t.split_at(pos);
            if head.chars().count() >= 10 && tail.chars().count() <= 40 {
                return head.trim().to_string();
            }
        }
    }
    t.trim().to_string()
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn valid(y: i64, m: i64, d: i64) -> Option<(i16, i8, i8)> {
    if (1000..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d) {
        Some((y as i16, m as i8, d as i8))
    } else {
        None
    }
}

/// Parse common date formats into (year, month, day): ISO 8601
/// (`2019-11-19T...`), `YYYY/MM/DD`, `DD/MM/YYYY`, `19 November 2019`,
/// `November 19, 2019`, and compact `20191119`.
pub(super) fn parse_date(s: &str) -> Option<(i16, i8, i8)> {
    let s = s.trim();
    let nums: Vec<&str> = s
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    let num = |p: &&str| p.parse::<i64>().ok();
    // ISO-like: YYYY sep MM sep DD
    if let [y, m, d, ..] = nums.as_slice() {
        if y.len() == 4 {
            let dd: String = d.chars().take_while(char::is_ascii_digit).collect();
            if let (Some(y), Some(m), Some(d)) = (num(y), num(m), dd.parse::<i64>().ok()) {
                if let Some(v) = valid(y, m, d) {
                    return Some(v);
                }
            }
        }
    }
    if let Some(first) = nums.first() {
        if first.len() >= 8 && first.bytes().take(8).all(|b| b.is_ascii_digit()) {
            let y = first.get(0..4).and_then(|x| x.parse().ok());
            let m = first.get(4..6).and_then(|x| x.parse().ok());
            let d = first.get(6..8).and_then(|x| x.parse().ok());
            if let (Some(y), Some(m), Some(d)) = (y, m, d) {
                if let Some(v) = valid(y, m, d) {
                    return Some(v);
                }
            }
        }
    }
    // Month names anywhere, with a 4-digit year and a 1-2 digit day.
    let mut month = None;
    let mut year = None;
    let mut day = None;
    let mut numeric = Vec::new();
    for p in &nums {
        let low = p.to_ascii_lowercase();
        if month.is_none() && low.len() >= 3 && low.chars().all(|c| c.is_ascii_alphabetic()) {
            if let Some(i) = MONTHS.iter().position(|m| low.starts_with(m)) {
                month = Some(i as i64 + 1);
                continue;
            }
        }
        let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            continue;
        }
        if let Ok(v) = digits.parse::<i64>() {
            if digits.len() == 4 && year.is_none() {
                year = Some(v);
            } else if digits.len() <= 2 {
                numeric.push(v);
                if day.is_none() {
                    day = Some(v);
                }
            }
        }
    }
    if let (Some(m), Some(y), Some(d)) = (month, year, day) {
        return valid(y, m, d);
    }
    // DD/MM/YYYY (European order).
    if let (None, Some(y), [d, m, ..]) = (month, year, numeric.as_slice()) {
        return valid(y, *m, *d);
    }
    None
}
