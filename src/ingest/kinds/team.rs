//! People named by a letter or report with their role and inspectorate: the
//! joint sign-off of a JTAI letter, the inspection-team table of an area SEND
//! report. A role ("Deputy Chief Inspector") or an organisation ("Fire &
//! Rescue Services") is never a person.

/// One named inspector or signer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Member {
    /// The person's name, titles and letters after it dropped.
    pub name: String,
    /// Their role as printed ("National Director, Social Care", "HMI, lead inspector").
    pub role: String,
    /// Their inspectorate (`Ofsted`, `CQC`, `HMICFRS`, `HMI Probation`), when known.
    pub inspectorate: Option<&'static str>,
    /// Named as the lead (Ofsted's signer or Ofsted's lead inspector).
    pub lead: bool,
}

impl Member {
    /// `Name, Role, Inspectorate`, leaving out what is not known.
    pub fn describe(&self) -> String {
        let mut parts = vec![self.name.as_str()];
        if !self.role.is_empty() {
            parts.push(&self.role);
        }
        if let Some(i) = self.inspectorate {
            // "Chief Inspector of Health Care, CQC" already names it.
            if !self.role.ends_with(i) {
                parts.push(i);
            }
        }
        parts.join(", ")
    }
}

/// The inspectorate a role or heading names (lower case or not), if any.
pub fn inspectorate_in(text: &str) -> Option<&'static str> {
    let l = text.to_lowercase();
    let has = |w: &str| {
        l.match_indices(w).any(|(i, _)| {
            let before = l[..i].chars().next_back();
            let after = l[i + w.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    };
    if has("ofsted") || has("social care") {
        Some("Ofsted")
    } else if has("cqc")
        || has("care quality commission")
        || has("health care")
        || has("primary medical")
        || has("hospitals")
    {
        Some("CQC")
    } else if has("constabulary")
        || has("hmicfrs")
        || has("hmic")
        || has("fire & rescue")
        || has("fire and rescue")
    {
        Some("HMICFRS")
    } else if has("probation") || has("hmip") {
        Some("HMI Probation")
    } else {
        None
    }
}

/// Words that are a role, a title or an organisation, never part of a name.
const NOT_NAME: &[&str] = &[
    "hmi",
    "lead",
    "inspector",
    "inspectors",
    "ofsted",
    "cqc",
    "care",
    "quality",
    "commission",
    "national",
    "director",
    "deputy",
    "assistant",
    "chief",
    "regional",
    "senior",
    "team",
    "her",
    "his",
    "majesty's",
    "majesty’s",
    "constabulary",
    "probation",
    "fire",
    "rescue",
    "services",
    "service",
    "social",
    "health",
    "inspectorate",
    "of",
    "and",
    "the",
];

/// Titles before a name.
const TITLES: &[&str] = &[
    "dr",
    "dr.",
    "mr",
    "mrs",
    "ms",
    "miss",
    "prof",
    "professor",
    "sir",
    "dame",
];

/// Is `w` letters after a name (an honour or a degree: `CBE`, `QPM`, `BSc`, `ChB`, `FRCA`)?
fn is_post_nominal(w: &str) -> bool {
    let w = w.trim_matches(|c: char| c == ',' || c == '.');
    let upper = w.chars().filter(|c| c.is_uppercase()).count();
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    (2..=5).contains(&letters)
        && w.chars().all(char::is_alphabetic)
        && upper * 2 >= letters
        && !w.chars().skip(1).all(char::is_lowercase)
}

/// The person's name in a cell, titles and letters after it dropped; `None`
/// when the cell is not a person's name (a role, an organisation).
pub fn person_name(cell: &str) -> Option<String> {
    let cell = cell.split(',').next().unwrap_or("").trim();
    let mut words: Vec<&str> = cell.split_whitespace().collect();
    while words
        .first()
        .is_some_and(|w| TITLES.contains(&w.to_lowercase().as_str()))
    {
        words.remove(0);
    }
    while words.len() > 2 && words.last().is_some_and(|w| is_post_nominal(w)) {
        words.pop();
    }
    if !(2..=4).contains(&words.len()) {
        return None;
    }
    let ok = words.iter().all(|w| {
        let first = w.chars().next().unwrap_or(' ');
        first.is_uppercase()
            && !NOT_NAME.contains(&w.to_lowercase().as_str())
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
            && w.chars().any(char::is_lowercase)
    });
    ok.then(|| words.join(" ").replace('’', "'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_titles_and_honours() {
        assert_eq!(
            person_name("Dr Ann Example BSc MB ChB MSc FRCA").as_deref(),
            Some("Ann Example")
        );
        assert_eq!(
            person_name("Pat Person, CBE").as_deref(),
            Some("Pat Person")
        );
        assert_eq!(
            person_name("Sam Someone OBE QPM").as_deref(),
            Some("Sam Someone")
        );
        assert_eq!(
            person_name("Jo Mac-Donald").as_deref(),
            Some("Jo Mac-Donald")
        );
    }

    #[test]
    fn roles_and_organisations_are_not_people() {
        for cell in [
            "Deputy Chief Inspector",
            "Assistant Chief Inspector",
            "Care Quality Commission",
            "HMI Constabulary",
            "HMI Probation",
            "Fire & Rescue Services",
            "Rescue Services",
            "National Director, Social Care",
            "Ofsted",
        ] {
            assert_eq!(person_name(cell), None, "{cell}");
        }
    }

    #[test]
    fn inspectorates_from_roles() {
        assert_eq!(
            inspectorate_in("National Director, Social Care"),
            Some("Ofsted")
        );
        assert_eq!(
            inspectorate_in("Chief Inspector of Health Care, CQC"),
            Some("CQC")
        );
        assert_eq!(
            inspectorate_in("Her Majesty's Inspector of Constabulary"),
            Some("HMICFRS")
        );
        assert_eq!(inspectorate_in("HMI Probation"), Some("HMI Probation"));
        assert_eq!(inspectorate_in("Assistant Chief Inspector"), None);
        let m = Member {
            name: "Ann Example".into(),
            role: "National Director, Social Care".into(),
            inspectorate: Some("Ofsted"),
            lead: true,
        };
        assert_eq!(
            m.describe(),
            "Ann Example, National Director, Social Care, Ofsted"
        );
    }
}
