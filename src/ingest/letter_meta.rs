//! Facts read from an Ofsted letter: its heading, kind, date, visit dates,
//! inspectors and signer, each with the sentence it came from.
//!
//! The forms handled are the ones Ofsted's letters use across the years:
//! `on 23 and 24 November 2022`, `from 24 to 28 April 2023`, `on 30 April and
//! 1 May 2019`; `The inspectors were X, HMI, and Y, HMI`, `Her Majesty's
//! Inspectors for this visit were X and Y`, `carried out by X, Y and Z, Her
//! Majesty's Inspectors`, `lead inspector X and team inspectors Y and Z`, or
//! only a signature. The lead inspector is the one who signs (for a joint
//! inspection, Ofsted's signer).

use std::sync::LazyLock;

use regex::Regex;

use super::kinds;
use super::letter::{self, Signer};
use super::report_meta::{parse_date_at_start, parse_range, split_names, Date};
use crate::document::VisitType;

/// What a letter says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LetterFacts {
    /// The whole heading, joined across line breaks.
    pub title: Option<String>,
    /// The kind of letter.
    pub visit_type: Option<VisitType>,
    /// The letter's date line.
    pub date: Option<Date>,
    /// First and last day of the visit.
    pub visit: Option<(Date, Date)>,
    /// Every inspector named, lead first.
    pub inspectors: Vec<String>,
    /// The signer (Ofsted's, for a joint inspection).
    pub lead: Option<String>,
    /// Each inspector or signer with their role and inspectorate, lead first.
    pub inspector_roles: Vec<String>,
    /// A JTAI's theme.
    pub theme: Option<&'static str>,
    /// An area SEND inspection's outcome.
    pub send_outcome: Option<crate::document::SendOutcome>,
    /// An area SEND inspection's partnership bodies.
    pub partnership: Vec<String>,
    /// For each field, the line or sentence it was read from.
    pub evidence: Vec<(&'static str, String)>,
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad built-in regex {pattern}: {e}"))
}

/// Does this text read as a letter (a salutation, a sign-off, a letter's heading or opening)?
///
/// `lines` as for [`read`], blank lines kept: a heading opens its group of lines.
pub fn is_letter(lines: &[&str]) -> bool {
    let head = &lines[..lines.len().min(200)];
    head.iter()
        .any(|l| letter::is_salutation(l) || l.to_lowercase().starts_with("this letter summarises"))
        || heading(head).is_some()
        || lines.iter().any(|l| letter::is_sign_off(l))
}

/// Read a letter. `raw` is the text as extracted (pages split by form feeds);
/// `lines` the same text normalised (typographic quotes and dashes folded),
/// one entry per line, blank lines kept as empty strings.
pub fn read(raw: &str, lines: &[&str]) -> LetterFacts {
    let mut f = LetterFacts::default();
    let non_blank: Vec<&str> = lines.iter().copied().filter(|l| !l.is_empty()).collect();

    let found = heading(lines);
    let heading_line = found.as_ref().and_then(|h| lines.get(h.3).copied());
    if let Some((title, kind, set_on, _)) = found {
        f.visit_type = Some(kind);
        f.evidence
            .push(("title", format!("the heading, set on {set_on} line(s)")));
        f.evidence
            .push(("visit_type", format!("the heading: {title}")));
        f.title = Some(title);
    }
    let (opening, anchored) = opening(&non_blank, heading_line);
    // Only a letter's own opening names its kind, never a sentence of a report's body.
    if f.visit_type.is_none() && anchored {
        f.visit_type = kinds::named_kind(&opening);
        if f.visit_type.is_some() {
            f.evidence.push(("visit_type", first_sentence(&opening)));
        }
    }

    if let Some((d, line)) = date_line(raw) {
        f.date = Some(d);
        f.evidence.push(("date", line));
    }
    if let Some((range, sentence)) = visit_dates(&opening) {
        f.visit = Some(range);
        f.evidence.push(("inspection dates", sentence));
    }

    let (named, sentence) = named_inspectors(&opening);
    let signers: Vec<Signer> = letter::letter_signers(&non_blank);
    let ofsted_signer = signers
        .iter()
        .find(|s| s.is_ofsted())
        .map(|s| s.name.clone());
    let named_lead = lead_named(&opening);
    f.lead = ofsted_signer
        .clone()
        .or_else(|| named_lead.clone())
        .or_else(|| named.first().cloned());
    if let Some(s) = sentence {
        f.evidence.push(("inspectors", s));
    }
    if let Some(s) = &ofsted_signer {
        let roles: Vec<String> = signers
            .iter()
            .map(|s| format!("{} ({})", s.name, s.role))
            .collect();
        f.evidence
            .push(("lead_inspector", format!("signed by {}", roles.join(", "))));
        let _ = s;
    } else if let Some(l) = &named_lead {
        f.evidence
            .push(("lead_inspector", format!("named as lead inspector: {l}")));
    }
    let mut all = named;
    if all.is_empty() {
        // Named only in the signatures (every inspectorate's, for a joint inspection).
        all = signers.iter().map(|s| s.name.clone()).collect();
    }
    if let Some(lead) = &f.lead {
        all.retain(|n| !same_name(n, lead));
        all.insert(0, lead.clone());
    }
    f.inspectors = all;
    read_own(&mut f, lines, &opening);
    f
}

/// The kind's own reader: its signers or team table replace the shared
/// reader's names when it finds any; its theme, outcome and partnership are added.
fn read_own(f: &mut LetterFacts, lines: &[&str], opening: &str) {
    let Some(kind) = f.visit_type.and_then(kinds::kind_of) else {
        return;
    };
    let text = kinds::KindText {
        lines,
        heading: f.title.as_deref(),
        opening,
    };
    let own = kind.read_own(&text);
    if let Some(lead) = own.members.iter().find(|m| m.lead) {
        let mut members: Vec<&kinds::team::Member> = vec![lead];
        members.extend(own.members.iter().filter(|m| !m.lead));
        f.lead = Some(lead.name.clone());
        f.inspectors = Vec::new();
        for m in &members {
            if !f.inspectors.iter().any(|n| same_name(n, &m.name)) {
                f.inspectors.push(m.name.clone());
            }
        }
        f.inspector_roles = members.iter().map(|m| m.describe()).collect();
        f.evidence
            .retain(|(k, _)| *k != "inspectors" && *k != "lead_inspector");
    }
    f.theme = own.theme;
    f.send_outcome = own.send_outcome;
    f.partnership = own.partnership;
    f.evidence.extend(own.evidence);
}

fn same_name(a: &str, b: &str) -> bool {
    let k = |s: &str| s.to_lowercase().replace([' ', '-'], "");
    k(a) == k(b)
}

/// The letter's heading (joined across its lines) and the kind it names.
/// Returns the title, its kind, the lines it is set on and the index of its first line.
fn heading(lines: &[&str]) -> Option<(String, VisitType, usize, usize)> {
    let limit = lines.len().min(200);
    // A heading opens its group of lines: a line inside a paragraph that
    // happens to start with a kind's words ("Joint targeted area inspection of
    // … in 2017 found …") is body text.
    let at = (0..limit).find(|&i| {
        let opens = i == 0 || lines[i - 1].trim().is_empty() || letter::is_salutation(lines[i - 1]);
        opens && kinds::letter_heading_kind(lines[i]).is_some()
    })?;
    let kind = kinds::letter_heading_kind(lines[at])?;
    let mut title = lines[at].trim().to_string();
    let mut set_on = 1;
    // A heading set on two or three lines continues until the blank line under it.
    for next in lines[at + 1..].iter().take(3) {
        let next = next.trim();
        if next.is_empty()
            || next.to_lowercase().starts_with("this letter")
            || next.contains(':')
            || kinds::is_section_heading(next)
            || next.split_whitespace().count() > 14
            || letter::is_salutation(next)
        {
            break;
        }
        // A place name broken at its hyphen ("Stoke-on-" / "Trent") is one word.
        let broken_at_hyphen =
            title.ends_with('-') && title.chars().rev().nth(1).is_some_and(char::is_alphabetic);
        if !broken_at_hyphen {
            title.push(' ');
        }
        title.push_str(next);
        set_on += 1;
    }
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    Some((title, kind, set_on, at))
}

/// The opening of the letter: its first 3,000 characters from "This letter" or
/// the heading on, as one line, and whether either was found (else it is the
/// text's start).
fn opening(non_blank: &[&str], heading_line: Option<&str>) -> (String, bool) {
    // Older joint letters give the visit's dates before "This letter …":
    // the opening starts at whichever comes first.
    let this_letter = non_blank
        .iter()
        .position(|l| l.to_lowercase().starts_with("this letter"));
    let heading = heading_line.and_then(|h| non_blank.iter().position(|l| *l == h));
    let anchored = this_letter.is_some() || heading.is_some();
    let start = match (this_letter, heading) {
        (Some(t), Some(h)) => t.min(h),
        (t, h) => t.or(h).unwrap_or(0),
    };
    let mut s = String::new();
    for l in &non_blank[start..] {
        if s.len() > 3000 {
            break;
        }
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(l.trim());
    }
    (s, anchored)
}

fn first_sentence(s: &str) -> String {
    sentence_at(s, 0)
}

/// The sentence of `s` that holds byte `at`.
fn sentence_at(s: &str, at: usize) -> String {
    static END: LazyLock<Regex> = LazyLock::new(|| re(r"\.\s+[A-Z]"));
    let start = END
        .find_iter(s)
        .take_while(|m| m.start() < at)
        .last()
        .map(|m| m.start() + 1)
        .unwrap_or(0);
    let end = END
        .find_iter(s)
        .find(|m| m.start() >= at)
        .map(|m| m.start() + 1)
        .unwrap_or(s.len());
    s.get(start..end).unwrap_or("").trim().to_string()
}

/// The first line of the first page that holds only a date.
fn date_line(raw: &str) -> Option<(Date, String)> {
    let first_page = raw.split('\u{c}').next().unwrap_or(raw);
    let find = |text: &str| {
        text.lines()
            .map(str::trim)
            .find(|l| letter::is_lone_date(l))
            .and_then(|l| parse_date_at_start(l).map(|d| (d, l.to_string())))
    };
    find(first_page).or_else(|| {
        let head: String = raw.lines().take(40).collect::<Vec<_>>().join("\n");
        find(&head)
    })
}

/// The visit's days, from the opening: `on 23 and 24 November 2022`,
/// `from 24 to 28 April 2023`, `between 1 and 5 May 2023`.
fn visit_dates(opening: &str) -> Option<((Date, Date), String)> {
    static FINDINGS: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)\bfindings of (?:the|a|an|this) [^.]{0,240}? (?:on|between|from)\s+")
    });
    static ANY: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:on|between|from)\s+"));
    // A report's label ("Inspection dates: …") beats any sentence.
    static LABEL: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\binspection dates?\s*:\s*"));
    let found = LABEL
        .find_iter(opening)
        .chain(FINDINGS.find_iter(opening))
        .chain(ANY.find_iter(opening))
        .find_map(|m| {
            let rest = opening.get(m.end()..)?;
            parse_range(rest).map(|r| (r, m.start()))
        })?;
    let (range, at) = found;
    Some((range, sentence_at(opening, at)))
}

/// Inspectors named in the opening, and the sentence naming them.
fn named_inspectors(opening: &str) -> (Vec<String>, Option<String>) {
    static NAMING: LazyLock<Regex> = LazyLock::new(|| {
        re(concat!(
            r"(?i)(?:(?:carried out|undertaken|conducted)(?: [^.]{0,80}?)? by|",
            r"inspectors?(?: for this (?:visit|inspection))? (?:were|was)|",
            r"(?:the )?inspection team (?:was|were|comprised)|visiting inspectors? (?:were|was))",
            r"\s*:?\s*([^.]{3,400}?)(?:\.\s|\.$|$)"
        ))
    });
    for c in NAMING.captures_iter(opening) {
        let Some(list) = c.get(1) else { continue };
        let names = split_names(&strip_roles(list.as_str()));
        if !names.is_empty() {
            let at = c.get(0).map(|m| m.start()).unwrap_or(0);
            return (names, Some(sentence_at(opening, at)));
        }
    }
    (Vec::new(), None)
}

/// What a news story says of the visit it reports on, when it says it:
/// the inspectors it names, the lead, and the visit's days. Only sentences
/// about an inspection or a visit are read, so a story's other dates and
/// people never become the visit's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NamedVisit {
    /// Inspectors the story names.
    pub inspectors: Vec<String>,
    /// The lead inspector, when named as such.
    pub lead: Option<String>,
    /// First and last day of the visit.
    pub visit: Option<(Date, Date)>,
}

/// [`NamedVisit`] from a story's text.
pub fn named_visit(text: &str) -> NamedVisit {
    static SENTENCE: LazyLock<Regex> = LazyLock::new(|| re(r"[^.!?]+[.!?]?"));
    let mut found = NamedVisit::default();
    for s in SENTENCE.find_iter(text).map(|m| m.as_str().trim()) {
        let lower = s.to_lowercase();
        if !(lower.contains("inspect") || lower.contains("visit")) {
            continue;
        }
        if found.inspectors.is_empty() && lower.contains("inspector") {
            found.inspectors = named_inspectors(s).0;
            if found.inspectors.is_empty() {
                found.inspectors = names_after_inspectors(s);
            }
        }
        if found.lead.is_none() {
            found.lead = lead_named(s);
        }
        if found.visit.is_none() {
            found.visit = visit_dates(s).map(|(v, _)| v);
        }
    }
    if let Some(lead) = &found.lead {
        if !found.inspectors.iter().any(|n| same_name(n, lead)) {
            found.inspectors.insert(0, lead.clone());
        }
    }
    found
}

/// Names right after "inspector(s)" in a story's sentence: "the inspectors,
/// Jane Smith and Tom Brown, visited …", "inspectors Jane Smith and Tom Brown".
fn names_after_inspectors(sentence: &str) -> Vec<String> {
    static AFTER: LazyLock<Regex> = LazyLock::new(|| {
        let name = r"(?:[A-Z][\w'’-]+\s+){1,3}[A-Z][\w'’-]+";
        re(&format!(
            r"\binspectors?[,:]?\s+({name}(?:(?:,\s*|\s+and\s+|,\s+and\s+){name})*)"
        ))
    });
    AFTER
        .captures(sentence)
        .and_then(|c| c.get(1))
        .map(|m| split_names(m.as_str()))
        .unwrap_or_default()
}

/// Remove role words around names ("lead inspector X and team inspectors Y").
fn strip_roles(list: &str) -> String {
    static ROLES: LazyLock<Regex> = LazyLock::new(|| {
        re(concat!(
            r"(?i)\b(?:(?:the\s+)?(?:lead|team|deputy lead|senior|regulatory|social care regulatory)\s+inspectors?|",
            r"(?:her|his) majesty'?s\s+inspectors?(?:\s*\(hmis?\))?|hmis?|ofsted inspectors?|inspectors?)\b"
        ))
    });
    ROLES.replace_all(list, ",").into_owned()
}

/// `lead inspector X` in the opening.
fn lead_named(opening: &str) -> Option<String> {
    static LEAD: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)\blead inspector(?: was|:)?\s+([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){1,3})")
    });
    let c = LEAD.captures(opening)?;
    split_names(c.get(1)?.as_str()).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &str) -> LetterFacts {
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        read(text, &lines)
    }

    #[test]
    fn a_story_gives_the_visit_only_where_it_names_it() {
        let story = "Children's services in the borough remain inadequate, Ofsted has said. \
            The inspectors, Jane Smith and Tom Brown, visited the council on 14 and 15 September 2022. \
            The council's budget for 2023 was set on 1 March 2023.";
        let v = named_visit(story);
        assert_eq!(v.inspectors, ["Jane Smith", "Tom Brown"]);
        assert_eq!(v.visit.map(|(a, b)| (a.2, b.2)), Some((14, 15)));
        let quiet = named_visit("The council met on 1 and 2 March 2023 to set its budget.");
        assert_eq!(quiet, NamedVisit::default());
    }

    #[test]
    fn forms_of_naming_inspectors() {
        let cases = [
            ("carried out by Linda Steele and Donna Marriott, Her Majesty's Inspectors.", vec!["Linda Steele", "Donna Marriott"]),
            ("The visit was carried out by Her Majesty's Inspectors Matt Reed and Rachel Holden.", vec!["Matt Reed", "Rachel Holden"]),
            ("The inspectors were Andy Whippey, Her Majesty's Inspector, and Anne Waterman, Her Majesty's Inspector.", vec!["Andy Whippey", "Anne Waterman"]),
            ("Her Majesty's Inspectors were Jan Edwards, Victoria Horsefield and Alison Smale.", vec!["Jan Edwards", "Victoria Horsefield", "Alison Smale"]),
            ("His Majesty's Inspectors for this visit were lead inspector Sophie Wales and team inspectors Sally Sinclair and Mark Scanlon.", vec!["Sophie Wales", "Sally Sinclair", "Mark Scanlon"]),
            ("The inspectors were Margaret Burke HMI and Nigel Parkes HMI.", vec!["Margaret Burke", "Nigel Parkes"]),
        ];
        for (sentence, want) in cases {
            let text = format!("Focused visit to Leeds children's services\n\nThis letter summarises the findings of the focused visit to Leeds children's services on 1 and 2 May 2019. {sentence}\n\nMore text.");
            let f = facts(&text);
            assert_eq!(f.inspectors, want, "{sentence}");
            assert_eq!(f.visit, Some(((2019, 5, 1), (2019, 5, 2))));
        }
    }

    #[test]
    fn a_heading_broken_at_a_hyphen_and_a_labelled_date_range() {
        let text = "Area SEND inspection of Stoke-on-\nTrent Local Area Partnership\n\nInspection dates: 29 January 2024 to 02 February 2024\n\nOn 1 July 2022, the board took over.\n";
        let f = facts(text);
        assert_eq!(
            f.title.as_deref(),
            Some("Area SEND inspection of Stoke-on-Trent Local Area Partnership")
        );
        assert_eq!(f.visit_type, Some(VisitType::AreaSendInspection));
        assert_eq!(f.visit, Some(((2024, 1, 29), (2024, 2, 2))));
    }

    #[test]
    fn signer_is_the_lead_and_dates_span_months() {
        let text = "12 June 2019\n\nDear Ms X\n\nMonitoring visit to Leeds\nchildren's services\n\nThis letter summarises the findings of the third monitoring visit to Leeds children's services on 30 April and 1 May 2019. The inspectors were Ann One and Bob Two.\n\nYours sincerely\n\nBob Two\nHer Majesty's Inspector\n";
        let f = facts(text);
        assert_eq!(
            f.title.as_deref(),
            Some("Monitoring visit to Leeds children's services")
        );
        assert_eq!(f.visit_type, Some(VisitType::MonitoringVisit));
        assert_eq!(f.date, Some((2019, 6, 12)));
        assert_eq!(f.visit, Some(((2019, 4, 30), (2019, 5, 1))));
        assert_eq!(f.lead.as_deref(), Some("Bob Two"));
        assert_eq!(f.inspectors, vec!["Bob Two", "Ann One"]);
    }
}
