//! Content-based metadata for Ofsted children's services reports and letters.
//!
//! Works on the cleaned full text of a PDF (blocks joined with blank lines), on raw
//! extracted text, and on Ofsted letters converted to Markdown / plain text. Documents
//! that are not Ofsted's own (news articles about inspections, say) get `is_ofsted ==
//! false` and no other field: nothing is guessed.
//!
//! Judgement mapping. ILACS (2018-) tables map one to one:
//! "The impact of leaders on social work practice with children and families" → `leaders`,
//! "The experiences and progress of children who need help and protection" → `help_and_protection`,
//! "The experiences and progress of children in care" (2018-2022: "... in care and care
//! leavers") → `in_care`, "The experiences and progress of care leavers" → `care_leavers`,
//! "Overall effectiveness" → `overall_effectiveness`.
//! Single inspection framework (SIF, 2013-2018):
//! `help_and_protection` ← "Children who need help and protection";
//! `in_care` ← "Children looked after and achieving permanence" (the "Adoption performance"
//! sub-judgement is not mapped);
//! `care_leavers` ← "Experiences and progress of care leavers";
//! `leaders` ← "Leadership, management and governance";
//! `overall_effectiveness` ← "The overall judgement is that children's services are ..." /
//! "Children's services in X are ...".
//! Grades are normalised to "outstanding", "good", "requires improvement" (also for
//! "requires improvement to be good" and SIF's "require improvement") or "inadequate".

use std::sync::OnceLock;

use regex::Regex;

use super::letter_meta;
use crate::document::{Grade, Judgements, VisitType};

/// Metadata extracted from a report's or letter's own text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportMeta {
    /// Title (first heading-like lines, or the letter's heading).
    pub title: Option<String>,
    /// Publication date (year, month, day).
    pub published: Option<(i16, i8, i8)>,
    /// Date of a letter (a date standing alone near the top).
    pub letter_date: Option<(i16, i8, i8)>,
    /// First day of the inspection or visit.
    pub inspection_start: Option<(i16, i8, i8)>,
    /// Last day of the inspection or visit.
    pub inspection_end: Option<(i16, i8, i8)>,
    /// The kind of inspection or visit; `None` for other kinds (e.g. the 2013
    /// looked-after-children inspections that predate the single inspection
    /// framework, or LSCB reviews).
    pub visit_type: Option<VisitType>,
    /// Lead (or reporting) inspector, name only.
    pub lead_inspector: Option<String>,
    /// Every named inspector, lead first, names only, no duplicates.
    pub inspectors: Vec<String>,
    /// Judgements.
    pub judgements: Judgements,
    /// Each inspector or signer with their role and inspectorate, lead first.
    pub inspector_roles: Vec<String>,
    /// A JTAI's theme.
    pub theme: Option<&'static str>,
    /// An area SEND inspection's outcome.
    pub send_outcome: Option<crate::document::SendOutcome>,
    /// An area SEND inspection's partnership bodies.
    pub partnership: Vec<String>,
    /// Is this Ofsted's own document?
    pub is_ofsted: bool,
    /// For letters: each field with the line or sentence it was read from.
    pub evidence: Vec<(&'static str, String)>,
}

/// A civil date as (year, month, day).
pub(crate) type Date = (i16, i8, i8);

/// A regex compiled once. Word boundaries in patterns run over a whole text
/// are ASCII ones (`(?-u:\b)`): at a Unicode `\b` the lazy DFA stops at the
/// first non-ASCII byte (every `’`) and the search is done again by the
/// PikeVM (0.5 % of a 10x text build's CPU; 0.02 % with ASCII boundaries).
fn re(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).unwrap_or_else(|e| panic!("bad regex {pat}: {e}")))
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_number(name: &str) -> Option<i8> {
    let l = name.to_lowercase();
    if l.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == l || (l.len() >= 3 && m.starts_with(&l) && l.len() <= 4))
        .and_then(|i| i8::try_from(i + 1).ok())
}

fn mk_date(y: i32, m: i8, d: i32) -> Option<Date> {
    if !(1990..=2100).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some((i16::try_from(y).ok()?, m, i8::try_from(d).ok()?))
}

/// Normalise typography and Markdown so simple patterns match.
fn normalise(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{2019}' | '\u{2018}' | '`' => s.push('\''),
            '\u{201c}' | '\u{201d}' => s.push('"'),
            '\u{2013}' | '\u{2014}' | '\u{2212}' | '\u{2010}' | '\u{2011}' => s.push('-'),
            '\u{a0}' | '\t' | '\u{c}' => s.push(' '),
            '*' | '_' => {}
            c => s.push(c),
        }
    }
    s.lines()
        .map(|l| l.trim().trim_start_matches('#').trim())
        .collect::<Vec<_>>()
        .join("\n")
}

fn flat(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn date_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"(?i)(?-u:\b)(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})(?-u:\b)",
    )
}

/// A date at the start of `s` ("14 September 2022", "Tuesday 3 May 2016", "12/09/2016").
pub(crate) fn parse_date_at_start(s: &str) -> Option<Date> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"(?i)^\s*(?:[a-z]+day,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})\b",
    );
    if let Some(c) = r.captures(s) {
        let m = month_number(c.get(2)?.as_str())?;
        return mk_date(
            c.get(3)?.as_str().parse().ok()?,
            m,
            c.get(1)?.as_str().parse().ok()?,
        );
    }
    static N: OnceLock<Regex> = OnceLock::new();
    let n = re(&N, r"^\s*(\d{1,2})/(\d{1,2})/(\d{2,4})\b");
    let c = n.captures(s)?;
    let mut y: i32 = c.get(3)?.as_str().parse().ok()?;
    if y < 100 {
        y += 2000;
    }
    mk_date(
        y,
        c.get(2)?.as_str().parse().ok()?,
        c.get(1)?.as_str().parse().ok()?,
    )
}

/// Parse a date range at the start of `s`: "17 to 21 March 2025", "17 March to 21 March 2025",
/// "30 November 2015 to 22 December 2015", "14 and 15 September 2022", "6 July 2015 - 30 July
/// 2015", "12/09/2016 to 06/10/2016", or a single date.
pub(crate) fn parse_range(s: &str) -> Option<(Date, Date)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"(?i)^\s*(?:[a-z]+day\s+)?(\d{1,2})(?:st|nd|rd|th)?(?:\s+([a-z]{3,9}))?(?:\s+(\d{4}))?\s*(?:-|to|and|until|till)\s*(?:[a-z]+day\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\s+(\d{4})\b",
    );
    if let Some(c) = r.captures(s) {
        let d2: i32 = c.get(4)?.as_str().parse().ok()?;
        let m2 = month_number(c.get(5)?.as_str())?;
        let y2: i32 = c.get(6)?.as_str().parse().ok()?;
        let d1: i32 = c.get(1)?.as_str().parse().ok()?;
        let m1 = match c.get(2) {
            Some(m) => month_number(m.as_str())?,
            None => m2,
        };
        let y1: i32 = match c.get(3) {
            Some(y) => y.as_str().parse().ok()?,
            None if m1 > m2 => y2 - 1,
            None => y2,
        };
        return Some((mk_date(y1, m1, d1)?, mk_date(y2, m2, d2)?));
    }
    static N: OnceLock<Regex> = OnceLock::new();
    let n = re(
        &N,
        r"^\s*(\d{1,2}/\d{1,2}/\d{2,4})\s*(?:-|to|and)\s*(\d{1,2}/\d{1,2}/\d{2,4})",
    );
    if let Some(c) = n.captures(s) {
        return Some((
            parse_date_at_start(c.get(1)?.as_str())?,
            parse_date_at_start(c.get(2)?.as_str())?,
        ));
    }
    let d = parse_date_at_start(s)?;
    Some((d, d))
}

fn days_from_civil(d: Date) -> i64 {
    let (y, m, dd) = (i64::from(d.0), i64::from(d.1), i64::from(d.2));
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + dd - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn normalise_grade(g: &str) -> Option<Grade> {
    let l = g.to_lowercase();
    let v = if l.starts_with("outstanding") {
        Grade::Outstanding
    } else if l.starts_with("good") {
        Grade::Good
    } else if l.starts_with("requires improvement")
        || l.starts_with("require improvement")
        || l == "improvement"
    {
        Grade::RequiresImprovement
    } else if l.starts_with("inadequate") {
        Grade::Inadequate
    } else {
        return None;
    };
    Some(v)
}

const GRADE: &str = r"(outstanding|good|requires? improvement|inadequate)";

fn find_grade(text: &str, label: &'static str) -> Option<Grade> {
    // Compiled once per label: compiling on every call was a sixth of the
    // time of ingesting plain text. Shared through an `Arc`, because a cloned
    // `Regex` starts with empty search caches (its lazy DFA built again on
    // every call was another eighth).
    type Cache = std::collections::HashMap<&'static str, std::sync::Arc<Regex>>;
    static CACHE: OnceLock<std::sync::Mutex<Cache>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let r = {
        let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(label) {
            Some(r) => std::sync::Arc::clone(r),
            None => {
                let pat =
                    format!(r"(?i)(?-u:\b){label}\s*[:\-]?\s*(?:is\s+|are\s+)?{GRADE}(?-u:\b)");
                let r = std::sync::Arc::new(Regex::new(&pat).ok()?);
                map.insert(label, std::sync::Arc::clone(&r));
                r
            }
        }
    };
    let c = r.captures(text)?;
    normalise_grade(c.get(1)?.as_str())
}

fn judgements(fl: &str) -> Judgements {
    let mut j = Judgements {
        leaders: find_grade(
            fl,
            r"impact of leaders on social work practice with children and families",
        )
        .or_else(|| find_grade(fl, r"leadership,? management and governance")),
        help_and_protection: find_grade(fl, r"children who need help and protection"),
        in_care: find_grade(
            fl,
            r"experiences and progress of children in care(?: and care leavers)?",
        )
        .or_else(|| find_grade(fl, r"children looked after and achieving permanence")),
        care_leavers: find_grade(fl, r"experiences and progress of care leavers"),
        overall_effectiveness: None,
    };
    static SIF: OnceLock<Regex> = OnceLock::new();
    let sif = re(
        &SIF,
        r"(?i)(?-u:\b)the overall judgement is (?:that )?(?:children's services (?:in [^.]{1,60}? )?(?:are |is |require )?)?(outstanding|good|requires? improvement|improvement|inadequate)(?-u:\b)",
    );
    static LEAD: OnceLock<Regex> = OnceLock::new();
    let lead = re(
        &LEAD,
        r"(?i)(?-u:\b)children's services in [A-Z][^.]{1,60}? (?:(?:are|is)\s+)?(outstanding|good|requires? improvement|inadequate)(?-u:\b)",
    );
    j.overall_effectiveness = find_grade(fl, r"overall effectiveness")
        .or_else(|| {
            sif.captures(fl)
                .and_then(|c| c.get(1))
                .and_then(|m| normalise_grade(m.as_str()))
        })
        .or_else(|| {
            lead.captures(fl)
                .and_then(|c| c.get(1))
                .and_then(|m| normalise_grade(m.as_str()))
        });
    j
}

/// Clean an inspector's name: drop titles, roles and parentheticals.
fn clean_name(raw: &str) -> Option<String> {
    static PAREN: OnceLock<Regex> = OnceLock::new();
    let paren = re(&PAREN, r"\([^)]*\)?");
    let s = paren.replace_all(raw, " ");
    let s = s.split(',').next().unwrap_or("");
    static ROLE: OnceLock<Regex> = OnceLock::new();
    let role = re(
        &ROLE,
        r"(?i)(?-u:\b)(?:senior\s+|lead\s+|team\s+)?(?:s?hmi|(?:his|her) majesty's inspectors?|ofsted inspectors?|social care regulatory inspector|regulatory inspector|additional inspector|seconded inspector|contracted inspector|inspector|dr|mr|mrs|ms|miss)(?-u:\b)\.?",
    );
    let s = role.replace_all(s, " ");
    let s = s.trim_matches(|c: char| !c.is_alphanumeric());
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() < 2 || words.len() > 5 {
        return None;
    }
    // An organisation is never a person ("… Fire & Rescue Services", "Care Quality Commission").
    const ORGANISATION: &[&str] = &[
        "services",
        "service",
        "commission",
        "inspectorate",
        "constabulary",
        "probation",
        "rescue",
        "ofsted",
        "council",
        "board",
        "police",
        "partnership",
    ];
    if words
        .iter()
        .any(|w| ORGANISATION.contains(&w.to_lowercase().as_str()))
    {
        return None;
    }
    for w in &words {
        let first = w.chars().next()?;
        let particle = matches!(
            *w,
            "de" | "van" | "von" | "der" | "la" | "le" | "da" | "di" | "du"
        );
        if !(first.is_uppercase() || particle) {
            return None;
        }
        if w.chars()
            .any(|c| !(c.is_alphabetic() || c == '-' || c == '\'' || c == '.'))
        {
            return None;
        }
    }
    Some(words.join(" "))
}

/// Names in a list ("A, B and C"), roles and titles dropped.
pub(crate) fn split_names(list: &str) -> Vec<String> {
    static SPLIT: OnceLock<Regex> = OnceLock::new();
    let split = re(&SPLIT, r"\s*(?:;|,|(?-u:\b)and(?-u:\b)|&)\s*");
    // Commas also separate a name from its role ("Jo Bloggs, HMI"); clean_name rejects roles.
    split.split(list).filter_map(clean_name).collect()
}

fn push_unique(v: &mut Vec<String>, name: String) {
    if !v.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
        v.push(name);
    }
}

fn inspectors(lines: &[&str], fl: &str) -> (Option<String>, Vec<String>) {
    let mut lead: Option<String> = None;
    let mut all: Vec<String> = Vec::new();
    static LEAD: OnceLock<Regex> = OnceLock::new();
    let lead_re = re(
        &LEAD,
        r"(?i)^(?:lead inspector|reporting inspector)\s*:?\s*(.*)$",
    );
    for (i, l) in lines.iter().enumerate() {
        if let Some(c) = lead_re.captures(l) {
            let rest = c.get(1).map(|m| m.as_str()).unwrap_or("");
            let name = clean_name(rest).or_else(|| {
                if rest.trim().is_empty() {
                    lines.get(i + 1).and_then(|n| clean_name(n))
                } else {
                    None
                }
            });
            if let Some(n) = name {
                if lead.is_none() {
                    lead = Some(n.clone());
                }
                push_unique(&mut all, n);
            }
        }
    }
    static DEP: OnceLock<Regex> = OnceLock::new();
    let dep = re(
        &DEP,
        r"(?i)(?-u:\b)deputy lead inspector\s*:?\s*([^:]{3,80}?)(?:\s+(?:team inspectors?|quality assurance|shadow|inspection team|lead inspector)(?-u:\b)|$|\n)",
    );
    static TEAM: OnceLock<Regex> = OnceLock::new();
    let team = re(
        &TEAM,
        r"(?i)(?-u:\b)(?:team inspectors?|other inspectors?|inspectors? for this (?:visit|inspection) (?:were|was)|(?:his|her) majesty's inspectors? for this (?:visit|inspection) (?:were|was)|the inspectors were)\s*:?\s*([^:]{3,500}?)(?:\.(?:\s|$)|\s+(?:quality assurance|shadow|senior hmi|deputy lead|lead inspector|information about|the inspection)(?-u:\b)|$)",
    );
    for src in [fl] {
        for c in dep.captures_iter(src) {
            if let Some(m) = c.get(1) {
                for n in split_names(m.as_str()) {
                    push_unique(&mut all, n);
                }
            }
        }
        for c in team.captures_iter(src) {
            if let Some(m) = c.get(1) {
                let names = split_names(m.as_str());
                if lead.is_none() {
                    lead = names.first().cloned();
                }
                for n in names {
                    push_unique(&mut all, n);
                }
            }
        }
    }
    if let Some(l) = &lead {
        all.retain(|n| !n.eq_ignore_ascii_case(l));
        all.insert(0, l.clone());
    }
    (lead, all)
}

fn is_ofsted_doc(lines: &[&str], fl: &str) -> bool {
    let lower = fl.to_lowercase();
    let head_flat: String = lower.chars().take(4000).collect();
    let head: Vec<String> = lines.iter().take(80).map(|l| l.to_lowercase()).collect();
    let line_starts = |p: &str| head.iter().any(|l| l.starts_with(p));
    // Structural markers of Ofsted's own reports and letters (not of articles about them).
    let mut signals = 0;
    for p in [
        "lead inspector",
        "reporting inspector",
        "inspection date",
        "dates of inspection",
        "report published",
        "judgement grade",
        "piccadilly gate",
        "this letter summarises the findings",
    ] {
        if line_starts(p) {
            signals += 1;
        }
    }
    // A letter's heading ("Monitoring visit of X") also heads news stories and
    // their teasers: it counts only beside a letter's own salutation or sign-off.
    let letter_heading = head
        .iter()
        .any(|l| super::kinds::letter_heading_kind(l).is_some());
    let letter_shape = lines
        .iter()
        .take(120)
        .any(|l| super::letter::is_salutation(l))
        || lines.iter().any(|l| super::letter::is_sign_off(l));
    if letter_heading && letter_shape {
        signals += 1;
    }
    if head_flat.contains("judgement grade") || head_flat.contains("the overall judgement is") {
        signals += 1;
    }
    let branded =
        lower.contains("ofsted") || lower.contains("majesty's inspector") || lower.contains(" hmi");
    (branded && signals >= 1) || signals >= 2
}

fn title(lines: &[&str]) -> Option<String> {
    static LETTER: OnceLock<Regex> = OnceLock::new();
    let letter = re(
        &LETTER,
        r"(?i)^(?:focused visit to|monitoring visit to|monitoring visit of|joint targeted area inspection of|inspection of|re-inspection of)\b",
    );
    static LABEL: OnceLock<Regex> = OnceLock::new();
    let label = re(
        &LABEL,
        r"(?i)^(?:inspection dates?|dates? of inspection|report published|published|lead inspector|reporting inspector|judgement\s+grade|the overall judgement|children's services in )",
    );
    // Report layout: heading lines before the first label line.
    let mut parts: Vec<&str> = Vec::new();
    let mut found_label = false;
    for l in lines.iter().take(14) {
        if label.is_match(l) {
            found_label = true;
            break;
        }
        if l.chars().all(|c| c.is_ascii_digit() || c.is_whitespace()) {
            continue;
        }
        parts.push(l);
    }
    if found_label && !parts.is_empty() {
        let t = flat(&parts.join(" "));
        if t.chars().count() <= 400 {
            return Some(t);
        }
    }
    lines
        .iter()
        .take(60)
        .find(|l| letter.is_match(l) && l.chars().count() <= 200)
        .map(|l| flat(l))
}

fn letter_date(lines: &[&str]) -> Option<Date> {
    for l in lines.iter().take(30) {
        if let Some(d) = parse_date_at_start(l) {
            let rest = date_re().replace(l, "");
            if rest.trim().is_empty() && l.len() <= 30 {
                return Some(d);
            }
        }
    }
    None
}

fn visit_type(
    fl_head: &str,
    title: Option<&str>,
    range: Option<(Date, Date)>,
    j: &Judgements,
) -> Option<VisitType> {
    let t = title.unwrap_or("").to_lowercase();
    let h = fl_head.to_lowercase();
    if let Some(k) = title.and_then(super::kinds::letter_heading_kind) {
        return Some(k);
    }
    // A letter names its kind in its opening ("This letter summarises the
    // findings of …"); a report's body sentence naming a visit says nothing of its own kind.
    if let Some(opening) = letter_opening(fl_head) {
        if let Some(k) = super::kinds::named_kind(opening) {
            return Some(k);
        }
    }
    // Pre-2013-framework looked-after-children inspections are none of the
    // contract's visit types: say nothing rather than mislabel them.
    if t.contains("looked after children services") {
        return None;
    }
    let sif = t.contains("children in need of help and protection")
        || h.contains("the overall judgement is")
        || h.contains("children looked after and achieving permanence");
    if sif {
        return Some(VisitType::SingleInspection);
    }
    let ilacs = t.contains("children's services")
        || t.contains("children's social care services")
        || j.overall_effectiveness.is_some();
    if ilacs {
        if let Some((s, e)) = range {
            let span = days_from_civil(e) - days_from_civil(s);
            return Some(if span <= 7 {
                VisitType::ShortInspection
            } else {
                VisitType::StandardInspection
            });
        }
    }
    None
}

/// A letter's opening: from "This letter" on, a few sentences.
fn letter_opening(fl: &str) -> Option<&str> {
    let at = fl.to_ascii_lowercase().find("this letter")?;
    let rest = fl.get(at..)?;
    let mut end = rest.len().min(1200);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    rest.get(..end)
}

/// Extract metadata from the document's text (blocks joined with "\n\n", raw text or Markdown).
pub fn extract(text: &str) -> ReportMeta {
    let norm = normalise(text);
    let lines: Vec<&str> = norm
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let fl = flat(&norm);
    if !is_ofsted_doc(&lines, &fl) {
        return ReportMeta::default();
    }
    let mut meta = ReportMeta {
        is_ofsted: true,
        ..ReportMeta::default()
    };
    meta.title = title(&lines);

    static PUB: OnceLock<Regex> = OnceLock::new();
    let pubre = re(
        &PUB,
        r"(?i)(?-u:\b)(?:report published|published|publication date)\s*:?\s*",
    );
    meta.published = pubre
        .find_iter(&fl)
        .find_map(|m| fl.get(m.end()..).and_then(parse_date_at_start));

    static DATES: OnceLock<Regex> = OnceLock::new();
    let dates = re(
        &DATES,
        r"(?i)(?-u:\b)(?:inspection dates?|dates? of (?:the )?(?:inspection|visit)|visit dates?)\s*:?\s*",
    );
    let mut range = dates
        .find_iter(&fl)
        .find_map(|m| fl.get(m.end()..).and_then(parse_range));
    if range.is_none() {
        static ON: OnceLock<Regex> = OnceLock::new();
        let on = re(
            &ON,
            r"(?i)(?-u:\b)findings of (?:the|a|an) [^.]{0,200}? (?:on|between|from)\s+",
        );
        range = on
            .find_iter(&fl)
            .find_map(|m| fl.get(m.end()..).and_then(parse_range));
    }
    if let Some((s, e)) = range {
        meta.inspection_start = Some(s);
        meta.inspection_end = Some(e);
    }
    meta.letter_date = letter_date(&lines);
    let (lead, all) = inspectors(&lines, &fl);
    meta.lead_inspector = lead;
    meta.inspectors = all;
    // Judgements come from the table near the start; restrict to the first part so that
    // "previous inspection" summaries later on cannot be mistaken for them.
    meta.judgements = judgements(&fl);
    let head: String = fl.chars().take(6000).collect();
    meta.visit_type = visit_type(&head, meta.title.as_deref(), range, &meta.judgements);
    let all_lines: Vec<&str> = norm.lines().map(str::trim).collect();
    if letter_meta::is_letter(&all_lines) {
        read_letter(&mut meta, text, &all_lines);
    }
    meta
}

/// A letter's own forms win over the report reader's guesses; a letter has no judgements.
fn read_letter(meta: &mut ReportMeta, raw: &str, lines: &[&str]) {
    let f = letter_meta::read(raw, lines);
    if f.title.is_some() {
        meta.title = f.title;
    }
    if f.visit_type.is_some() {
        meta.visit_type = f.visit_type;
    }
    if f.date.is_some() {
        meta.letter_date = f.date;
    }
    if let Some((s, e)) = f.visit {
        meta.inspection_start = Some(s);
        meta.inspection_end = Some(e);
    }
    if f.lead.is_some() {
        meta.lead_inspector = f.lead;
        meta.inspectors = f.inspectors;
    }
    meta.evidence = f.evidence;
    meta.inspector_roles = f.inspector_roles;
    meta.theme = f.theme;
    meta.send_outcome = f.send_outcome;
    meta.partnership = f.partnership;
    if matches!(
        meta.visit_type,
        Some(
            VisitType::FocusedVisit
                | VisitType::MonitoringVisit
                | VisitType::JointTargetedAreaInspection
                | VisitType::AssuranceVisit
                | VisitType::AreaSendInspection
        )
    ) {
        meta.judgements = Judgements::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ilacs_header() {
        let t = "Inspection of Dorset local authority children's services\n\nInspection dates: 17 to 21 March 2025\n\nLead inspector: Sarah Canto, His Majesty's Inspector\n\nJudgement Grade\n\nThe impact of leaders on social work practice with children and families Good\n\nOverall effectiveness Requires improvement to be good";
        let m = extract(t);
        assert!(m.is_ofsted);
        assert_eq!(m.inspection_start, Some((2025, 3, 17)));
        assert_eq!(m.inspection_end, Some((2025, 3, 21)));
        assert_eq!(m.visit_type, Some(VisitType::ShortInspection));
        assert_eq!(m.lead_inspector.as_deref(), Some("Sarah Canto"));
        assert_eq!(m.judgements.leaders, Some(Grade::Good));
        assert_eq!(
            m.judgements.overall_effectiveness,
            Some(Grade::RequiresImprovement)
        );
    }

    #[test]
    fn a_body_sentence_naming_a_joint_inspection_is_not_the_heading() {
        let t = "Inspection of Anytown local authority children's services\n\nInspection dates: 17 to 28 March 2025\n\nLead inspector: Ann Example, His Majesty's Inspector\n\nJudgement Grade\n\nThe impact of leaders on social work practice with children and families Good\n\nOverall effectiveness Good\n\nWhat needs to improve\n\nLeaders responded well to the findings of the\nJoint targeted area inspection in 2017 and have since\nJoint targeted area inspection of the multi-agency response to neglect in 2018\nfound that partners carried out a joint inspection of their own work.\n";
        let m = extract(t);
        assert_eq!(
            m.title.as_deref(),
            Some("Inspection of Anytown local authority children's services")
        );
        assert_eq!(m.visit_type, Some(VisitType::StandardInspection));
        assert_eq!(m.judgements.overall_effectiveness, Some(Grade::Good));
    }

    #[test]
    fn news_is_not_ofsted() {
        let m =
            extract("Ofsted inspectors said the council was inadequate after a monitoring visit.");
        assert_eq!(m, ReportMeta::default());
    }

    #[test]
    fn organisations_are_not_inspectors() {
        assert_eq!(
            split_names("Ofsted, the Care Quality Commission (CQC) and His Majesty's Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS)"),
            Vec::<String>::new()
        );
        assert_eq!(
            split_names("Ann Example and Bob Sample"),
            ["Ann Example", "Bob Sample"]
        );
    }

    #[test]
    fn ranges() {
        assert_eq!(
            parse_range("30 November 2015 to 22 December 2015"),
            Some(((2015, 11, 30), (2015, 12, 22)))
        );
        assert_eq!(
            parse_range("28 December to 8 January 2016"),
            Some(((2015, 12, 28), (2016, 1, 8)))
        );
        assert_eq!(
            parse_range("14 and 15 September 2022"),
            Some(((2022, 9, 14), (2022, 9, 15)))
        );
    }
}
