//! Letter furniture: the parts of a letter that are not its body.
//!
//! Ofsted writes to a director of children's services: a letterhead with its
//! contact block, a date line, the recipient's name, job title and address, a
//! salutation, then the body, a sign-off, the signatures (one per inspectorate
//! for a joint inspection) and `Copy to:` lines. Every format cleaner (PDF, text
//! and Markdown, HTML) hands this module its lines, blank lines separating
//! groups, and drops what it marks, so a letter's furniture never becomes a
//! passage whatever it arrived as. The rules are structural (where a line
//! stands, how long it is, what it looks like), never keyed to a name.

use std::sync::LazyLock;

use regex::Regex;

use super::judgement_table;

/// Why a line was dropped: shown by `extract --explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DropRule {
    /// Sender's letterhead or a contact block (address, phone, e-mail, web).
    Letterhead,
    /// A line holding only a date (the letter's date line).
    DateLine,
    /// The recipient's name, job title, organisation and address.
    Recipient,
    /// `Dear …`.
    Salutation,
    /// `Yours sincerely` and the like.
    SignOff,
    /// A signer's name or role.
    Signature,
    /// `Copy to:` / `cc:` lines.
    CopyTo,
    /// A table of metadata (an inspection team, a partnership's details), read
    /// into the document's fields.
    MetadataTable,
    /// A report's table of judgements (header or caption and rows), read into
    /// the document's judgements.
    JudgementTable,
}

impl DropRule {
    /// Short name printed by `extract --explain`.
    pub fn name(self) -> &'static str {
        match self {
            DropRule::Letterhead => "letterhead or contact block",
            DropRule::DateLine => "date line",
            DropRule::Recipient => "recipient block",
            DropRule::Salutation => "salutation",
            DropRule::SignOff => "sign-off",
            DropRule::Signature => "signature",
            DropRule::CopyTo => "copy-to line",
            DropRule::MetadataTable => "metadata table",
            DropRule::JudgementTable => "judgement table",
        }
    }
}

fn re(pattern: &str) -> Regex {
    // Patterns are literals in this file; a typo is caught by the unit tests.
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad built-in regex {pattern}: {e}"))
}

/// A line with an address, phone, e-mail or web signal.
static CONTACT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?:(?-u:\b)[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}(?-u:\b)", // UK postcode
        r"|(?i:^(?:direct\s+)?(?:t|tel|telephone|textphone|phone|fax|f|mobile)(?-u:\b)[:.]?\s*[\d(+])", // phone line
        r"|(?-u:\b)0\d{3,4}\s?\d{3}\s?\d{3,4}(?-u:\b)", // UK phone number
        r"|[\w.+-]+@[\w-]+\.",                          // e-mail
        r"|(?i:^(?:www\.|https?://)\S+$))"              // a bare web address
    ))
});

/// A UK postcode ending a line: the last line of an address.
static POSTCODE_END: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?-u:\b)[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\s*$"));

static SALUTATION: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?:Dear|To) (?:Mr|Mrs|Ms|Miss|Dr|Sir|Madam|[A-Z][a-z]+)(?-u:\b)[^.]{0,40}$")
});

static SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:yours (?:sincerely|faithfully|truly)|kind regards|best regards|with best wishes),?$",
    )
});

static LONE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?\d{1,2}(?:st|nd|rd|th)?\s+",
        r"(?:january|february|march|april|may|june|july|august|september|october|november|december)",
        r",?\s+\d{4}$"
    ))
});

static COPY_TO: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^(?:copy to|copies to|cc)\s*[:.]"));

/// The role under a signer's name.
static ROLE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)^(?:senior\s+)?(?:(?:her|his) majesty.?s (?:chief )?inspector(?: of [a-z ]+)?|h\.?m\.?i\.?|",
        r"(?:lead |senior |social care regulatory |regulatory |ofsted )?inspector|",
        r"(?:regional|deputy|national|interim) director[a-z ,’'-]*|",
        r"(?:ofsted|care quality commission|cqc|hmicfrs|hmi probation|hm inspectorate of [a-z ]+)|",
        r"[a-z ]*(?:inspector|director|manager|lead)[a-z ,’'-]*,? (?:ofsted|care quality commission|cqc|hmicfrs|hmi probation|hm inspectorate of [a-z ]+))$"
    ))
});

/// Ofsted's own name standing alone (the letterhead's first line).
static SENDER: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^ofsted$"));

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// A line short enough to be part of an address, a name or a role.
fn is_short(s: &str) -> bool {
    // Cheap first: a body paragraph is long, and counting its words costs.
    if s.len() > 4 * 80 {
        return false;
    }
    let w = words(s);
    w > 0 && w <= 10 && s.chars().count() <= 80
}

/// A short line that does not read as a sentence.
fn is_label(s: &str) -> bool {
    static NUMBERED: LazyLock<Regex> = LazyLock::new(|| re(r"^\(?\d{1,3}[.)]\s"));
    let t = s.trim();
    let sentence = t.ends_with('.') && words(t) > 4;
    is_short(t) && !sentence && !t.ends_with(['?', '!', ':']) && !NUMBERED.is_match(t)
}

/// Is this line a letter's date line?
pub fn is_lone_date(line: &str) -> bool {
    line.len() <= 60 && LONE_DATE.is_match(line.trim())
}

/// Is this line a salutation (`Dear Ms Smith`)?
pub fn is_salutation(line: &str) -> bool {
    line.len() <= 120 && SALUTATION.is_match(line.trim())
}

/// Is this line a sign-off (`Yours sincerely`)?
pub fn is_sign_off(line: &str) -> bool {
    line.len() <= 40 && SIGN_OFF.is_match(line.trim())
}

/// Is this cell a signer's role (`His Majesty's Inspector`, `Senior HMI`, …)?
pub fn is_role(cell: &str) -> bool {
    ROLE.is_match(&normalise_cell(cell))
}

/// Does the line carry an address, phone, e-mail or web signal?
pub fn is_contact_line(line: &str) -> bool {
    line.len() <= 400 && CONTACT_LINE.is_match(line)
}

fn normalise_cell(s: &str) -> String {
    s.trim()
        .trim_matches(|c: char| c == '*' || c == '_')
        .replace(['\u{2019}', '`'], "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Split a signature line into its columns (two or more spaces, or a tab, apart).
pub fn cells(line: &str) -> Vec<String> {
    static GAP: LazyLock<Regex> = LazyLock::new(|| re(r"\s{2,}|\t"));
    GAP.split(line.trim())
        .map(normalise_cell)
        .filter(|c| !c.is_empty())
        .collect()
}

/// A name of two to five capitalised words (particles allowed).
fn looks_like_name(cell: &str) -> bool {
    let ws: Vec<&str> = cell.split_whitespace().collect();
    (2..=5).contains(&ws.len())
        && ws.iter().all(|w| {
            let first = w.chars().next().unwrap_or(' ');
            (first.is_uppercase()
                || matches!(*w, "de" | "van" | "von" | "der" | "la" | "le" | "da" | "du"))
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '.' | '’'))
        })
}

/// One signer: a name and the role under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// The signer's name.
    pub name: String,
    /// The role line under the name (may be empty).
    pub role: String,
}

impl Signer {
    /// Does the role say the signer is Ofsted's (not another inspectorate's)?
    pub fn is_ofsted(&self) -> bool {
        let r = self.role.to_lowercase();
        let other = [
            "care quality",
            "cqc",
            "hmicfrs",
            "constabulary",
            "probation",
            "police",
        ];
        !other.iter().any(|o| r.contains(o))
    }
}

/// Signers found in `lines` (the signature area, in order): each name line
/// paired column by column with the role line under it.
pub fn signers(lines: &[&str]) -> Vec<Signer> {
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| cells(l))
        .filter(|c| !c.is_empty())
        .collect();
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if !row.iter().all(|c| looks_like_name(c) && !is_role(c)) {
            continue;
        }
        let roles = rows.get(i + 1).filter(|r| r.iter().any(|c| is_role(c)));
        for (k, name) in row.iter().enumerate() {
            let role = roles
                .and_then(|r| r.get(k).or(r.last()))
                .cloned()
                .unwrap_or_default();
            out.push(Signer {
                name: name.clone(),
                role,
            });
        }
    }
    out
}

/// The signers of a letter: the names after its sign-off, else a name over a
/// role line near its end (letters signed without `Yours sincerely`).
pub fn letter_signers(lines: &[&str]) -> Vec<Signer> {
    if let Some(at) = lines.iter().rposition(|l| is_sign_off(l)) {
        let area: Vec<&str> = lines[at + 1..]
            .iter()
            .copied()
            .filter(|l| !l.trim().is_empty())
            .take(16)
            .collect();
        let found = signers(&area);
        if !found.is_empty() {
            return found;
        }
    }
    let tail_from = lines.len().saturating_sub(40);
    let tail: Vec<&str> = lines[tail_from..]
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
        .collect();
    let role_at = tail.iter().rposition(|l| {
        let c = cells(l);
        !c.is_empty() && c.iter().all(|c| is_role(c))
    });
    match role_at {
        Some(r) if r > 0 => signers(&tail[r - 1..=r]),
        _ => Vec::new(),
    }
}

/// Longest line a date line, salutation, sign-off, signature or copy-to line can be, in bytes.
const MAX_FURNITURE_LINE: usize = 300;

/// What [`mark`] decided for each line: `None` keeps it.
pub type Marks = Vec<Option<DropRule>>;

/// Mark the furniture lines of a text given as lines (blank lines separate groups).
///
/// Safe on documents that are not letters: each rule needs a letter's own
/// shape (a contact group, a lone date, a salutation, a sign-off).
pub fn mark<S: AsRef<str>>(lines: &[S]) -> Marks {
    let text: Vec<&str> = lines.iter().map(|l| l.as_ref().trim()).collect();
    let mut marks: Marks = vec![None; text.len()];
    let groups = groups(&text);

    for (gi, &(start, end)) in groups.iter().enumerate() {
        let group = &text[start..end];
        // A group of short lines with an address, phone or web signal: letterhead,
        // recipient address or a footer's contact block.
        let signals = group.iter().filter(|l| is_contact_line(l)).count();
        let short = group.iter().all(|l| is_label(l) || is_contact_line(l));
        let longest = group.iter().map(|l| words(l)).max().unwrap_or(0);
        if signals > 0 && short && longest <= 15 {
            let postal_only = |g: &[&str]| {
                g.iter()
                    .all(|l| !is_contact_line(l) || (POSTCODE_END.is_match(l) && !l.contains('@')))
            };
            // An address over a phone and e-mail block is the sender's letterhead.
            let over_contacts = groups.get(gi + 1).is_some_and(|&(s, e)| {
                text[s..e].iter().any(|l| is_contact_line(l)) && !postal_only(&text[s..e])
            });
            let rule = if postal_only(group)
                && !over_contacts
                && !group.iter().any(|l| SENDER.is_match(l))
            {
                DropRule::Recipient
            } else {
                DropRule::Letterhead
            };
            for i in start..end {
                if is_lone_date(text[i]) {
                    marks[i] = Some(DropRule::DateLine);
                } else if is_salutation(text[i]) {
                    marks[i] = Some(DropRule::Salutation);
                } else {
                    marks[i] = Some(rule);
                }
            }
            continue;
        }
        if group.len() == 1 && SENDER.is_match(group[0]) {
            // "Ofsted" alone over its address: part of the letterhead.
            let next_is_contact = groups
                .get(gi + 1)
                .is_some_and(|&(s, e)| text[s..e].iter().any(|l| is_contact_line(l)));
            if next_is_contact || gi == 0 {
                marks[start] = Some(DropRule::Letterhead);
            }
        }
    }

    for i in 0..text.len() {
        // Every rule below is about a short line; most lines of a text are not.
        if marks[i].is_some() || text[i].len() > MAX_FURNITURE_LINE {
            continue;
        }
        let line = text[i];
        // A date line opens its group; a date ending a wrapped sentence does not.
        let opens_group = i == 0 || text[i - 1].is_empty();
        if let Some(table) = judgement_table::table_at(&text, i) {
            // Its header or caption, above `i`, was kept until its rows were seen.
            for j in table.filter(|&j| !text[j].is_empty()) {
                marks[j].get_or_insert(DropRule::JudgementTable);
            }
        } else if crate::ingest::kinds::is_metadata_table(line) {
            mark_table(&text, &mut marks, i);
        } else if is_lone_date(line) && opens_group {
            marks[i] = Some(DropRule::DateLine);
            mark_recipient_after(&text, &mut marks, i);
        } else if is_salutation(line) {
            marks[i] = Some(DropRule::Salutation);
            mark_recipient_before(&text, &mut marks, i);
        } else if is_sign_off(line) {
            marks[i] = Some(DropRule::SignOff);
            mark_signature_after(&text, &mut marks, i);
        } else if COPY_TO.is_match(line) {
            mark_copy_to(&text, &mut marks, i);
        } else if is_role_line(line) {
            marks[i] = Some(DropRule::Signature);
            // The name over a role, when the letter has no sign-off.
            if let Some(p) = prev_non_blank(&text, i) {
                if marks[p].is_none() && cells(text[p]).iter().all(|c| looks_like_name(c)) {
                    marks[p] = Some(DropRule::Signature);
                }
            }
        }
    }
    marks
}

/// Drop a letter's furniture from cleaned blocks (a letter reprinted in a web
/// page): each block is judged as a group of its own.
pub fn drop_from_blocks(
    blocks: Vec<super::block::Block>,
) -> (Vec<super::block::Block>, Vec<(DropRule, String)>) {
    let mut lines: Vec<&str> = Vec::with_capacity(blocks.len() * 2);
    for b in &blocks {
        lines.push(&b.text);
        lines.push("");
    }
    let marks = mark(&lines);
    let mut kept = Vec::with_capacity(blocks.len());
    let mut dropped = Vec::new();
    for (b, m) in blocks.into_iter().zip(marks.into_iter().step_by(2)) {
        match m {
            Some(rule) => dropped.push((rule, b.text)),
            None => kept.push(b),
        }
    }
    (kept, dropped)
}

fn is_role_line(line: &str) -> bool {
    let c = cells(line);
    !c.is_empty() && c.iter().all(|c| is_role(c))
}

/// (start, end) of each run of non-blank lines.
fn groups(text: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, l) in text.iter().enumerate() {
        match (l.is_empty(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

fn prev_non_blank(text: &[&str], i: usize) -> Option<usize> {
    (0..i).rev().find(|&j| !text[j].is_empty())
}

/// Is this line the start of the letter's own text (its heading or first sentence)?
fn starts_body(line: &str) -> bool {
    let l = line.to_lowercase();
    l.starts_with("this letter")
        || crate::ingest::kinds::letter_heading_kind(line).is_some()
        || is_salutation(line)
}

/// Recipient lines after the date line: short address-like lines up to the
/// salutation or the letter's heading (at most a dozen).
fn mark_recipient_after(text: &[&str], marks: &mut Marks, date: usize) {
    let mut seen = 0;
    let mut candidate = Vec::new();
    for (j, line) in text.iter().enumerate().skip(date + 1) {
        if line.is_empty() {
            continue;
        }
        if marks[j].is_some() || starts_body(line) || !is_label(line) {
            break;
        }
        candidate.push(j);
        seen += 1;
        if seen > 12 {
            return;
        }
    }
    // A name and a job title at least; a lone short line may be a heading.
    if candidate.len() >= 2 {
        for j in candidate {
            marks[j] = Some(DropRule::Recipient);
        }
    }
}

/// Recipient lines just before the salutation (a letter with no date line).
fn mark_recipient_before(text: &[&str], marks: &mut Marks, salutation: usize) {
    let mut candidate = Vec::new();
    let mut j = salutation;
    while j > 0 {
        j -= 1;
        let line = text[j];
        if line.is_empty() {
            if !candidate.is_empty() {
                break;
            }
            continue;
        }
        if marks[j].is_some() || !is_label(line) || starts_body(line) {
            return;
        }
        candidate.push(j);
        if candidate.len() > 12 {
            return;
        }
    }
    if candidate.len() >= 2 {
        for j in candidate {
            marks[j] = Some(DropRule::Recipient);
        }
    }
}

/// Signatures after the sign-off: names, roles, organisations, copy-to lines,
/// up to the first line that reads as body text.
fn mark_signature_after(text: &[&str], marks: &mut Marks, sign_off: usize) {
    let mut copy_to = false;
    for j in sign_off + 1..text.len() {
        let line = text[j];
        if line.is_empty() {
            continue;
        }
        let columns = cells(line);
        let label = is_label(line) || (columns.len() > 1 && columns.iter().all(|c| is_label(c)));
        // Names and roles end with no full stop; a sentence is text again.
        let sentence = line.ends_with(['.', '!', '?']) && !copy_to;
        if COPY_TO.is_match(line) {
            copy_to = true;
        } else if !label || sentence {
            break;
        }
        marks[j] = Some(if copy_to {
            DropRule::CopyTo
        } else {
            DropRule::Signature
        });
    }
}

/// A metadata table: its heading and its rows, up to a sentence or the next section.
fn mark_table(text: &[&str], marks: &mut Marks, at: usize) {
    marks[at] = Some(DropRule::MetadataTable);
    let mut rows = 0;
    for j in at + 1..text.len() {
        let line = text[j];
        if line.is_empty() {
            continue;
        }
        if marks[j].is_some() || rows >= 30 || crate::ingest::kinds::ends_metadata_table(line) {
            break;
        }
        marks[j] = Some(DropRule::MetadataTable);
        rows += 1;
    }
}

/// A `Copy to:` line and the short lines of its group.
fn mark_copy_to(text: &[&str], marks: &mut Marks, at: usize) {
    marks[at] = Some(DropRule::CopyTo);
    for j in at + 1..text.len() {
        let line = text[j];
        if line.is_empty() || !is_label(line) || marks[j].is_some() {
            break;
        }
        marks[j] = Some(DropRule::CopyTo);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(text: &str) -> Vec<String> {
        let lines: Vec<&str> = text.lines().collect();
        let marks = mark(&lines);
        lines
            .iter()
            .zip(marks)
            .filter(|(l, m)| m.is_none() && !l.trim().is_empty())
            .map(|(l, _)| l.trim().to_string())
            .collect()
    }

    const LETTER: &str = "Ofsted\nPiccadilly Gate\nStore Street\nManchester\nM1 2WD\n\n\
        T 0300 123 1231\nTextphone 0161 618 8524\nenquiries@ofsted.gov.uk\nwww.gov.uk/ofsted\n\n\
        15 June 2018\n\nMs Jane Doe\nDirector of Children's Services\nAnytown Council\nCivic Centre,\nAnytown\nAT1 1AA\n\n\
        Dear Ms Doe\n\nFocused visit to Anytown children's services\n\n\
        This letter summarises the findings of a focused visit to Anytown children's services.\n\n\
        Overview\n\nSenior managers have a clear vision.\n\n\
        Yours sincerely\n\nJohn Smith\nHer Majesty's Inspector\n\nCopy to: Someone Else, Chief Executive\n";

    #[test]
    fn strips_letter_furniture_and_keeps_body() {
        assert_eq!(
            kept(LETTER),
            vec![
                "Focused visit to Anytown children's services",
                "This letter summarises the findings of a focused visit to Anytown children's services.",
                "Overview",
                "Senior managers have a clear vision.",
            ]
        );
    }

    #[test]
    fn recipient_without_postcode_before_salutation() {
        let t = "3 March 2021\n\nA Person\nDirector of Children's Services\nSomewhere Council\n\nDear A\n\nMonitoring visit to Somewhere children's services\n\nBody sentence here.";
        assert_eq!(
            kept(t),
            vec![
                "Monitoring visit to Somewhere children's services",
                "Body sentence here."
            ]
        );
    }

    #[test]
    fn signature_without_sign_off() {
        let t = "Body sentence that ends the letter.\n\nBrenda Example\nHer Majesty's Inspector\n";
        assert_eq!(kept(t), vec!["Body sentence that ends the letter."]);
        let lines: Vec<&str> = t.lines().collect();
        let s = letter_signers(&lines);
        assert_eq!(s[0].name, "Brenda Example");
    }

    #[test]
    fn joint_signatures_in_columns() {
        let lines = [
            "Yours sincerely",
            "Jane Ofsted-Person    Sam Carer     Pat Police",
            "Her Majesty's Inspector    Care Quality Commission    HMICFRS",
        ];
        let s = letter_signers(&lines);
        assert_eq!(s.len(), 3);
        assert!(s[0].is_ofsted());
        assert!(!s[1].is_ofsted());
        assert!(!s[2].is_ofsted());
        assert_eq!(kept(&lines.join("\n")), Vec::<String>::new());
    }

    #[test]
    fn a_letter_reprinted_in_a_page_loses_its_furniture() {
        use super::super::block::Block;
        let blocks = vec![
            Block::paragraph("The council published the letter in full."),
            Block::paragraph("Dear Ms Doe,"),
            Block::paragraph("This letter summarises the findings of the focused visit."),
            Block::paragraph("Yours sincerely,"),
            Block::paragraph("John Smith"),
            Block::paragraph("His Majesty's Inspector"),
            Block::paragraph("Readers can comment below."),
        ];
        let (kept, dropped) = drop_from_blocks(blocks);
        let texts: Vec<&str> = kept.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "The council published the letter in full.",
                "This letter summarises the findings of the focused visit.",
                "Readers can comment below."
            ]
        );
        assert_eq!(dropped.len(), 4);
    }

    #[test]
    fn body_text_with_a_phone_number_stays() {
        let t = "Families can call the service on 0300 123 4567 at any time, and inspectors\nfound that calls were answered promptly by trained staff who know the area well.";
        assert_eq!(kept(t).len(), 2);
    }
}
