//! Page furniture removal: page numbers, running headers/footers, back-page boilerplate.

/// One physical line of a page, after furniture removal.
#[derive(Debug, Clone)]
pub struct PageLines {
    /// Lines kept on this page (may contain empty lines, which separate paragraphs).
    pub lines: Vec<String>,
    /// The page's 1-based number in the PDF.
    pub number: u32,
}

/// Split raw text into pages. pdf-extract (as called by [`super::extract_text`]) separates
/// pages with form feeds; text from elsewhere may not, in which case pages are guessed
/// from lines that hold only a page number.
pub fn split_pages(raw: &str) -> Vec<Vec<String>> {
    let raw = raw.replace("\r\n", "\n").replace('\r', "\n");
    if raw.contains('\u{c}') {
        return raw
            .split('\u{c}')
            .map(|p| p.lines().map(str::to_string).collect())
            .collect();
    }
    let mut pages: Vec<Vec<String>> = vec![Vec::new()];
    for line in raw.lines() {
        let is_number = is_page_number(line);
        if let Some(cur) = pages.last_mut() {
            cur.push(line.to_string());
        }
        if is_number {
            pages.push(Vec::new());
        }
    }
    pages
}

/// Normalise a line for repetition counting: trimmed, whitespace collapsed, digits as `#`,
/// lower case, typographic quotes folded.
pub fn furniture_key(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut last_space = true;
    for c in line.chars() {
        let c = match c {
            '\u{2019}' | '\u{2018}' => '\'',
            c if c.is_ascii_digit() => {
                if !out.ends_with('#') {
                    out.push('#');
                }
                last_space = false;
                continue;
            }
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.extend(c.to_lowercase());
            last_space = false;
        }
    }
    out.trim_end().to_string()
}

/// Is this line only a page number ("12", "Page 3 of 20", "- 4 -")?
pub fn is_page_number(line: &str) -> bool {
    let k = furniture_key(line);
    let k = k.trim_matches(|c: char| c == '-' || c == ' ' || c == '|');
    if k.is_empty() {
        return false;
    }
    if k == "#" {
        return line.trim().len() <= 3;
    }
    let k = k.strip_prefix("page ").unwrap_or("");
    let k = k.replace(" of ", "");
    k == "#" || k == "##"
}

/// Lines that open Ofsted's back page; everything after is boilerplate.
const BACK_PAGE_OPENERS: &[&str] = &[
    "the office for standards in education, children's services and skills",
    "ofsted has a duty to",
    "if you would like a copy of this document in a different format",
    "you may reuse this information",
    "© crown copyright",
];

fn is_back_page_opener(key: &str) -> bool {
    BACK_PAGE_OPENERS.iter().any(|p| key.starts_with(p))
}

/// Remove running headers/footers, page numbers and the back page.
pub fn remove_furniture(pages: Vec<Vec<String>>) -> Vec<PageLines> {
    use std::collections::{HashMap, HashSet};
    let n_pages = pages.len();
    // Count on how many pages each normalised line occurs.
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in &pages {
        let set: HashSet<String> = page
            .iter()
            .map(|l| furniture_key(l))
            .filter(|k| !k.is_empty() && k.chars().count() <= 160)
            .collect();
        for k in set {
            *counts.entry(k).or_insert(0) += 1;
        }
    }
    let threshold = if n_pages >= 4 {
        (n_pages * 2 / 5).max(3)
    } else {
        usize::MAX
    };
    let repeated = |k: &str| counts.get(k).copied().unwrap_or(0) >= threshold;

    // Back page: the earliest opener line within the last three pages.
    let mut cut: Option<(usize, usize)> = None;
    let first_tail = n_pages.saturating_sub(3);
    'outer: for (pi, page) in pages.iter().enumerate().skip(first_tail) {
        for (li, line) in page.iter().enumerate() {
            if is_back_page_opener(&furniture_key(line)) {
                cut = Some((pi, li));
                break 'outer;
            }
        }
    }

    let mut out = Vec::with_capacity(n_pages);
    for (pi, page) in pages.into_iter().enumerate() {
        if let Some((cp, _)) = cut {
            if pi > cp {
                break;
            }
        }
        let mut kept = Vec::with_capacity(page.len());
        let mut non_empty_seen = 0usize;
        for (li, line) in page.into_iter().enumerate() {
            if let Some((cp, cl)) = cut {
                if pi == cp && li >= cl {
                    break;
                }
            }
            let key = furniture_key(&line);
            if key.is_empty() {
                kept.push(String::new());
                continue;
            }
            non_empty_seen += 1;
            if is_page_number(&line) {
                continue;
            }
            // The title on the first page may coincide with the running header: keep it.
            let title_zone = pi == 0 && non_empty_seen <= 8 && !key.contains('#');
            if repeated(&key) && !title_zone {
                continue;
            }
            kept.push(line);
        }
        out.push(PageLines {
            lines: kept,
            number: u32::try_from(pi + 1).unwrap_or(u32::MAX),
        });
    }
    out
}

/// Is a whole block Ofsted boilerplate (copyright, licence, contact details)?
pub fn is_boilerplate_block(text: &str) -> bool {
    let l = text.to_lowercase();
    l.contains("crown copyright")
        || l.contains("ofsted.gov.uk")
        || l.contains("gov.uk/ofsted")
        || l.contains("gov.uk/government/organisations/ofsted")
        || l.starts_with("this document may be reproduced")
        || l.starts_with("if you would like a copy of this document")
        || l.starts_with("you may reuse this information")
        || l.contains("open government licence")
        || l.starts_with("further copies of this report")
}
