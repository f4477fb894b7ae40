//! Area SEND inspections of a local area partnership (the 2023 framework, its
//! monitoring inspections included): Ofsted with the Care Quality Commission,
//! reported as a report with an outcome, an inspection-team table and the
//! partnership's details table. Both tables are metadata, never passages.

use std::sync::LazyLock;

use regex::Regex;

use super::team::{inspectorate_in, person_name, Member};
use super::{fold, KindText, LetterKind, OwnFacts};
use crate::document::{SendOutcome, VisitType};
use crate::ingest::letter;

/// `Area SEND inspection of X Local Area Partnership`, `Area SEND monitoring inspection of …`.
pub struct AreaSendInspection;

/// The heading of the inspection-team table.
const TEAM_TABLE: &str = "inspection team";
/// The heading of the partnership's details table.
const DETAILS_TABLE: &str = "local area partnership details";

/// The report's own section headings (folded), where a table ends.
const SECTIONS: &[&str] = &[
    "information about this inspection",
    "information about the local area partnership",
    "inspection outcome",
    "areas for improvement",
    "areas for priority action",
    "what is it like to be a child or young person with send in this area?",
    "what is the area partnership doing that is effective?",
    "what does the area partnership need to do better?",
    TEAM_TABLE,
    DETAILS_TABLE,
];

/// Most lines a table runs to.
const MAX_TABLE_LINES: usize = 30;

impl LetterKind for AreaSendInspection {
    fn visit_type(&self) -> VisitType {
        VisitType::AreaSendInspection
    }

    fn is_heading(&self, heading: &str) -> bool {
        let send = heading.starts_with("area send ")
            || heading.starts_with("joint local area send ")
            || heading.starts_with("local area send ");
        let monitoring = heading.starts_with("monitoring inspection of ")
            && heading.contains("local area partnership");
        (send && heading.contains("inspection") && !heading.contains("report")) || monitoring
    }

    fn is_named_in(&self, opening: &str) -> bool {
        opening.contains("area send inspection of ")
            || opening.contains("area send monitoring inspection")
    }

    fn read_own(&self, text: &KindText<'_>) -> OwnFacts {
        let mut f = OwnFacts::default();
        let team = table_after(text.lines, TEAM_TABLE);
        if let Some(team) = &team {
            f.members = team_members(team);
            if !f.members.is_empty() {
                let all: Vec<String> = f.members.iter().map(Member::describe).collect();
                f.evidence.push((
                    "inspectors",
                    format!("the inspection team table: {}", all.join("; ")),
                ));
            }
        }
        if let Some(details) = table_rows(text.lines, DETAILS_TABLE) {
            f.partnership = partnership(&details);
        }
        let flat = text.lines.join(" ");
        if let Some((outcome, sentence)) = outcome(&flat) {
            f.send_outcome = Some(outcome);
            f.evidence.push(("send_outcome", sentence));
        }
        f
    }

    fn is_metadata_table(&self, line: &str) -> bool {
        let l = fold(line);
        l == TEAM_TABLE || l == DETAILS_TABLE
    }

    fn is_section_heading(&self, line: &str) -> bool {
        SECTIONS.contains(&fold(line).as_str())
    }
}

/// Does this line end a table: a sentence, or another section's heading?
pub fn ends_table(line: &str) -> bool {
    let t = line.trim();
    // A page's running footer ("… inspection report: X Local Area Partnership") ends it too.
    (t.ends_with(['.', '!', '?']) && t.split_whitespace().count() > 6)
        || super::is_section_heading(t)
        || t.to_lowercase().contains("inspection report:")
}

/// The rows of the table under the heading `name` (blank lines left out).
fn table_rows<'a>(lines: &[&'a str], name: &str) -> Option<Vec<&'a str>> {
    let at = lines.iter().position(|l| fold(l) == name)?;
    let rows = lines[at + 1..]
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .take_while(|l| !ends_table(l))
        .take(MAX_TABLE_LINES)
        .collect();
    Some(rows)
}

/// The table under the heading `name`, joined as one line.
fn table_after(lines: &[&str], name: &str) -> Option<String> {
    let rows = table_rows(lines, name)?;
    Some(
        rows.join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Each `Name[ HMI], Ofsted|CQC …role…` of a team table, the Ofsted lead marked.
fn team_members(table: &str) -> Vec<Member> {
    static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"([A-Z][\p{L}'’.-]*(?:\s+[A-Z][\p{L}'’.-]*){1,7})\s*,\s*(Ofsted|CQC|Care Quality Commission)\b")
            .unwrap_or_else(|e| panic!("bad built-in regex: {e}"))
    });
    // (name, words moved to the role, inspectorate, where the name starts, where the entry ends)
    let mut found: Vec<(String, String, &'static str, usize, usize)> = Vec::new();
    for c in ENTRY.captures_iter(table) {
        let (Some(run), Some(org)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let words: Vec<&str> = run.as_str().split_whitespace().collect();
        // Role and organisation words stand before and after a name in a flattened row.
        let is_name_word = |w: &&str| person_name(&format!("{w} Xx")).is_some();
        let first = words.iter().position(is_name_word).unwrap_or(words.len());
        let last = words
            .iter()
            .rposition(is_name_word)
            .map_or(first, |i| i + 1);
        let Some(name) = words
            .get(first..last)
            .and_then(|ws| person_name(&ws.join(" ")))
        else {
            continue;
        };
        let after = words.get(last..).unwrap_or(&[]).join(" ");
        let skipped: usize = words[..first].iter().map(|w| w.len() + 1).sum();
        let start = run.start() + skipped.min(run.len());
        let inspectorate = inspectorate_in(org.as_str()).unwrap_or("Ofsted");
        found.push((name, after, inspectorate, start, org.end()));
    }
    let mut out = Vec::with_capacity(found.len());
    for (i, (name, before_org, inspectorate, _, end)) in found.iter().enumerate() {
        let next = found.get(i + 1).map_or(table.len(), |n| n.3);
        let role_after = table.get(*end..next.max(*end)).unwrap_or("");
        let role = [before_org.as_str(), role_after]
            .iter()
            .map(|s| s.trim_matches(|c: char| c == ',' || c.is_whitespace()))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        out.push(Member {
            name: name.clone(),
            role,
            inspectorate: Some(inspectorate),
            lead: false,
        });
    }
    let lead = out
        .iter()
        .position(|m| m.inspectorate == Some("Ofsted") && m.role.to_lowercase().contains("lead"))
        .or_else(|| out.iter().position(|m| m.inspectorate == Some("Ofsted")));
    if let Some(m) = lead.and_then(|i| out.get_mut(i)) {
        m.lead = true;
    }
    out
}

/// The local authority and the integrated care board from the details
/// table: the rows under its header (`Local authority  Integrated care board`)
/// up to the first person named, read as one line. The authority ends at its
/// "Council", else before "NHS", else with the first row's first cell.
fn partnership(rows: &[&str]) -> Vec<String> {
    let Some(header) = rows
        .iter()
        .position(|r| fold(r).starts_with("local authority"))
    else {
        return Vec::new();
    };
    let mut bodies: Vec<&str> = Vec::new();
    for (i, row) in rows[header + 1..].iter().take(3).enumerate() {
        let cells = letter::cells(row);
        let first = cells.first().map(String::as_str).unwrap_or("");
        let l = row.to_lowercase();
        let person = i > 0 && person_name(first).is_some();
        if row.contains(',') || person || l.contains("director") || l.contains("www.") {
            break;
        }
        bodies.push(row);
    }
    let text = bodies
        .iter()
        .flat_map(|r| r.split_whitespace())
        .collect::<Vec<_>>()
        .join(" ");
    let first_cell = bodies
        .first()
        .and_then(|r| letter::cells(r).into_iter().next())
        .unwrap_or_default();
    let split = text
        .find(" Council ")
        .map(|i| i + " Council".len())
        .or_else(|| text.find(" NHS ").filter(|&i| i > 0))
        .or_else(|| {
            (!first_cell.is_empty() && text.starts_with(&first_cell)).then_some(first_cell.len())
        });
    let Some(at) = split else {
        return Vec::new();
    };
    let (la, icb) = text.split_at(at);
    let (la, icb) = (la.trim(), icb.trim());
    if la.is_empty() || icb.is_empty() {
        return Vec::new();
    }
    vec![la.to_string(), icb.to_string()]
}

/// The outcome the report states first, and its sentence.
fn outcome(flat: &str) -> Option<(SendOutcome, String)> {
    let l = flat.to_lowercase();
    let from = l.find("inspection outcome").unwrap_or(0);
    let phrases: &[(&str, SendOutcome)] = &[
        ("positive experiences and outcomes", SendOutcome::Positive),
        (
            "inconsistent experiences and outcomes",
            SendOutcome::Inconsistent,
        ),
        (
            "widespread and/or systemic failings",
            SendOutcome::SystemicFailings,
        ),
        (
            "widespread or systemic failings",
            SendOutcome::SystemicFailings,
        ),
        (
            "widespread and systemic failings",
            SendOutcome::SystemicFailings,
        ),
    ];
    let rest = l.get(from..)?;
    let (at, outcome) = phrases
        .iter()
        .filter_map(|(p, o)| rest.find(p).map(|i| (i, *o)))
        .min_by_key(|(i, _)| *i)?;
    // The outcome is stated near its heading, not far into the body.
    if from > 0 && at > 1500 {
        return None;
    }
    let abs = from + at;
    let start = flat
        .get(..abs)
        .and_then(|s| s.rfind(". "))
        .map_or(0, |i| i + 2);
    let end = flat
        .get(abs..)
        .and_then(|s| s.find(". "))
        .map_or(flat.len(), |i| abs + i + 1);
    Some((
        outcome,
        flat.get(start..end).unwrap_or("").trim().to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings() {
        let k = AreaSendInspection;
        assert!(k.is_heading("area send inspection of anytown local area partnership"));
        assert!(k.is_heading("area send monitoring inspection of anytown local area partnership"));
        assert!(!k.is_heading("area send inspection report: anytown local area partnership"));
        assert!(!k.is_heading("local area partnership report"));
    }

    #[test]
    fn team_table_with_roles_and_inspectorates() {
        let t = "Ofsted Care Quality Commission Ann Example HMI, Ofsted Lead inspector Bea Sample, CQC Lead inspector Cal Person, Ofsted HMI Lead Inspector Dee Other, CQC inspector Eve Jones-Smith HMI, Ofsted";
        let m = team_members(t);
        let names: Vec<&str> = m.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Ann Example",
                "Bea Sample",
                "Cal Person",
                "Dee Other",
                "Eve Jones-Smith"
            ]
        );
        assert!(m[0].lead && !m[2].lead);
        assert_eq!(m[1].inspectorate, Some("CQC"));
        assert_eq!(m[0].role, "HMI, Lead inspector");
        assert_eq!(m[2].role, "HMI Lead Inspector");
    }

    #[test]
    fn lead_is_the_ofsted_lead_wherever_listed() {
        let t = "Bea Sample, CQC lead inspector Ann Example, Ofsted HMI Cal Person, Ofsted HMI, lead inspector";
        let m = team_members(t);
        assert_eq!(
            m.iter().find(|m| m.lead).map(|m| m.name.as_str()),
            Some("Cal Person")
        );
    }

    #[test]
    fn outcomes() {
        let cases = [
            ("Inspection outcome The local area partnership's arrangements lead to inconsistent experiences and outcomes for children. More.", SendOutcome::Inconsistent),
            ("Inspection outcome There are widespread and/or systemic failings leading to significant concerns. The positive experiences and outcomes of some.", SendOutcome::SystemicFailings),
            ("Inspection outcome The arrangements typically lead to positive experiences and outcomes for children.", SendOutcome::Positive),
        ];
        for (t, want) in cases {
            assert_eq!(outcome(t).map(|o| o.0), Some(want), "{t}");
        }
        assert_eq!(outcome("Nothing said here."), None);
    }

    #[test]
    fn partnership_from_the_details_table() {
        let side_by_side = [
            "Local authority  Integrated care board",
            "Anytown  NHS Anytown and District Integrated",
            "Care Board",
            "Ann Example, Director of Children's  Bea Sample, Chief Executive",
        ];
        assert_eq!(
            partnership(&side_by_side),
            ["Anytown", "NHS Anytown and District Integrated Care Board"]
        );
        let one_under_other = [
            "Local Authority  Integrated Care Board",
            "Anytown Borough Council",
            "Westshire Integrated Care Board",
            "Ann Example, Director",
        ];
        let wrapped = [
            "Local authority  Integrated care board",
            "Borough of Anytown upon",
            "Water  NHS Westshire ICB",
            "Ann Example",
        ];
        assert_eq!(
            partnership(&wrapped),
            ["Borough of Anytown upon Water", "NHS Westshire ICB"]
        );
        assert_eq!(
            partnership(&one_under_other),
            ["Anytown Borough Council", "Westshire Integrated Care Board"]
        );
        assert!(partnership(&["No header here"]).is_empty());
    }

    #[test]
    fn tables_end_at_a_sentence_or_a_section() {
        let lines = [
            "Inspection team",
            "",
            "Ofsted  Care Quality Commission",
            "Ann Example, Ofsted Lead inspector",
            "Information about this inspection",
            "Body.",
        ];
        assert_eq!(
            table_after(&lines, TEAM_TABLE).as_deref(),
            Some("Ofsted Care Quality Commission Ann Example, Ofsted Lead inspector")
        );
    }
}
