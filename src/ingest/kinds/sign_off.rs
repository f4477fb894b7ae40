//! A joint sign-off: the heads of each inspectorate signing one letter.
//!
//! The signers stand under their inspectorates' names, one after another or
//! side by side in columns: an organisation line (`Ofsted  Care Quality
//! Commission`), then each signer's name with their role on the lines under
//! it. A signer's inspectorate is the organisation heading their column, else
//! the one their role names.

use super::team::{inspectorate_in, person_name, Member};
use crate::ingest::letter;

/// Most lines read after the sign-off.
const MAX_LINES: usize = 40;

/// Is this cell only an organisation's name (`Ofsted`, `HMI Probation`)?
fn is_organisation(cell: &str) -> bool {
    let l = cell.to_lowercase();
    let role_word = ["director", "inspector ", "chief", "inspector,"]
        .iter()
        .any(|w| l.contains(w))
        || l.ends_with("inspector");
    !cell.contains(',')
        && cell.starts_with(char::is_uppercase)
        && cell.split_whitespace().count() <= 8
        && inspectorate_in(cell).is_some()
        && !role_word
}

/// Does this line end the signatures (body text, a footnote, a web address)?
fn ends_signatures(line: &str) -> bool {
    let t = line.trim();
    let sentence = t.ends_with(['.', '!', '?']) && t.split_whitespace().count() > 6;
    sentence
        || t.starts_with(|c: char| c.is_ascii_digit())
        || t.contains("www.")
        || t.contains("://")
        || t.to_lowercase().starts_with("copy to")
}

/// The signers after the last sign-off in `lines`, in order, each with role
/// and inspectorate; the first Ofsted signer is marked as the lead.
pub fn joint_signers(lines: &[&str]) -> Vec<Member> {
    let Some(at) = lines.iter().rposition(|l| letter::is_sign_off(l)) else {
        return Vec::new();
    };
    let mut out: Vec<Member> = Vec::new();
    // Organisations heading columns, waiting for their signers.
    let mut orgs: std::collections::VecDeque<&'static str> = Default::default();
    // Signers (indices in `out`) whose role lines may follow.
    let mut open: Vec<usize> = Vec::new();
    let mut role_lines = 0;
    for line in lines[at + 1..]
        .iter()
        .filter(|l| !l.trim().is_empty())
        .take(MAX_LINES)
    {
        if ends_signatures(line) {
            break;
        }
        let cells = letter::cells(line);
        let names: Vec<String> = cells.iter().filter_map(|c| person_name(c)).collect();
        if !cells.is_empty() && names.len() == cells.len() {
            open.clear();
            role_lines = 0;
            for name in names {
                open.push(out.len());
                out.push(Member {
                    name,
                    inspectorate: orgs.pop_front(),
                    ..Member::default()
                });
            }
        } else if !open.is_empty() && role_lines == 0 {
            // The line under a name is its role, even one naming only an organisation.
            add_roles(&mut out, &open, &cells);
            role_lines += 1;
        } else if !cells.is_empty() && cells.iter().all(|c| is_organisation(c)) {
            open.clear();
            orgs.extend(cells.iter().filter_map(|c| inspectorate_in(c)));
        } else if !open.is_empty() && role_lines < 3 {
            add_roles(&mut out, &open, &cells);
            role_lines += 1;
        } else {
            open.clear();
        }
    }
    for m in &mut out {
        if m.inspectorate.is_none() {
            m.inspectorate = inspectorate_in(&m.role);
        }
    }
    if let Some(lead) = out.iter_mut().find(|m| m.inspectorate == Some("Ofsted")) {
        lead.lead = true;
    } else if let Some(first) = out.first_mut() {
        first.lead = true;
    }
    out
}

/// Add a role line's cells to the open signers, column by column (all to the
/// last signer when the columns do not match).
fn add_roles(out: &mut [Member], open: &[usize], cells: &[String]) {
    let pairs: Vec<(usize, &String)> = if cells.len() == open.len() {
        open.iter().copied().zip(cells).collect()
    } else {
        let Some(&last) = open.last() else { return };
        cells.iter().map(|c| (last, c)).collect()
    };
    for (i, cell) in pairs {
        let Some(m) = out.get_mut(i) else { continue };
        if m.role.is_empty() {
            m.role = cell.clone();
        } else {
            // A second role starts with the title again; any other line continues the first.
            let second = ["His Majesty", "Her Majesty", "HM "]
                .iter()
                .any(|p| cell.starts_with(p));
            m.role.push_str(if second { "; " } else { " " });
            m.role.push_str(cell);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(ms: &[Member]) -> Vec<&str> {
        ms.iter().map(|m| m.name.as_str()).collect()
    }

    #[test]
    fn organisations_head_signers_listed_one_after_another() {
        let text = "Yours sincerely\n\n  Ofsted  Care Quality Commission\n\nAnn Example\nNational Director, Social Care\n\nBea Sample\nDeputy Chief Inspector\n\nHMI Constabulary  HMI Probation\n\nCal Person\nHer Majesty's Inspector of Constabulary\n\nDee Other\nAssistant Chief Inspector\n\n2 The Children Act 2004 (Joint Area Reviews) Regulations 2015 enable this.";
        let lines: Vec<&str> = text.lines().collect();
        let s = joint_signers(&lines);
        assert_eq!(
            names(&s),
            ["Ann Example", "Bea Sample", "Cal Person", "Dee Other"]
        );
        let orgs: Vec<_> = s.iter().map(|m| m.inspectorate).collect();
        assert_eq!(
            orgs,
            [
                Some("Ofsted"),
                Some("CQC"),
                Some("HMICFRS"),
                Some("HMI Probation")
            ]
        );
        assert_eq!(s[1].role, "Deputy Chief Inspector");
        assert!(s[0].lead && !s[1].lead);
        assert_eq!(
            s[0].describe(),
            "Ann Example, National Director, Social Care, Ofsted"
        );
    }

    #[test]
    fn roles_name_the_inspectorate_and_honours_are_dropped() {
        let text = "Yours sincerely\n\nAnn Example\nNational Director Regulation and Social Care, Ofsted\n\nDr Bea Sample BSc MB ChB FRCA\nChief Inspector of Hospitals and Interim Chief Inspector of Primary\nMedical Services, CQC\n\nCal Person OBE QPM\nHis Majesty's Inspector of Constabulary\nHis Majesty's Inspector of Fire & Rescue Services\n";
        let lines: Vec<&str> = text.lines().collect();
        let s = joint_signers(&lines);
        assert_eq!(names(&s), ["Ann Example", "Bea Sample", "Cal Person"]);
        assert_eq!(s[1].inspectorate, Some("CQC"));
        assert!(
            s[1].role.ends_with("Primary Medical Services, CQC"),
            "{}",
            s[1].role
        );
        assert_eq!(s[2].inspectorate, Some("HMICFRS"));
        assert!(s[0].lead);
    }

    #[test]
    fn signers_in_columns() {
        let lines = [
            "Yours sincerely",
            "Ann Example    Bea Sample     Cal Person",
            "Her Majesty's Inspector    Care Quality Commission    HMICFRS",
        ];
        let s = joint_signers(&lines);
        assert_eq!(names(&s), ["Ann Example", "Bea Sample", "Cal Person"]);
        assert_eq!(s[1].inspectorate, Some("CQC"));
        assert!(s[0].lead);
    }
}
