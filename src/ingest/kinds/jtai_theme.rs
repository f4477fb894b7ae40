//! The theme of a joint targeted area inspection, read from its heading and
//! opening: the multi-agency response it looked at.
//!
//! The 2016-2018 letters are headed "the multi-agency response to abuse and
//! neglect" and name their theme as the inspection's "deep dive" focus; later
//! letters name it in the heading or in the opening's "multi-agency response
//! to …". Each theme is one of [`JTAI_THEMES`].

/// Every theme a JTAI letter is given, each with the phrases (lower case)
/// that name it, most specific first: the first theme whose phrase is found wins.
const RULES: &[(&str, &[&str])] = &[
    (
        "sexual abuse in the family",
        &["sexual abuse in the family"],
    ),
    (
        "child sexual exploitation and missing",
        &["child sexual exploitation", "sexual exploitation and"],
    ),
    ("domestic abuse", &["domestic abuse"]),
    ("serious youth violence", &["serious youth violence"]),
    (
        "child exploitation",
        &[
            "criminal exploitation",
            "child exploitation",
            "exploitation",
        ],
    ),
    ("initial need and risk", &["initial need and risk"]),
    (
        "children who need help",
        &["need help", "needing help", "early help"],
    ),
    ("neglect", &["neglect"]),
];

/// The canonical theme names (the values of `DocumentMeta::theme`).
pub use crate::document::JTAI_THEMES;

/// The generic theme of the 2016-2018 letters, whose own theme is their deep dive.
const GENERIC: &str = "abuse and neglect";

/// The theme a phrase names, `GENERIC` included.
fn classify(text: &str) -> Option<&'static str> {
    if text.contains(GENERIC) {
        return Some(GENERIC);
    }
    RULES
        .iter()
        .find(|(_, phrases)| phrases.iter().any(|p| text.contains(p)))
        .map(|(theme, _)| *theme)
}

/// What follows "response to" in `text` (the whole text when it is not there),
/// up to the end of its sentence.
fn response_to(text: &str) -> Option<&str> {
    let at = text.find("response to")?;
    let rest = text.get(at + "response to".len()..)?;
    let end = rest.find(". ").unwrap_or(rest.len());
    rest.get(..end)
}

/// The deep-dive focus named in the opening, up to its sentence's end.
fn deep_dive(opening: &str) -> Option<&str> {
    let at = opening.find("deep dive")?;
    let rest = opening.get(at..)?;
    let end = rest.find(". ").unwrap_or(rest.len()).min(400);
    rest.get(..end)
}

/// The theme of a JTAI letter from its heading and opening (both lower case,
/// straight quotes), one of [`JTAI_THEMES`].
pub fn theme(heading: Option<&str>, opening: &str) -> Option<&'static str> {
    let named = heading
        .and_then(|h| response_to(h).and_then(classify))
        .or_else(|| response_to(opening).and_then(classify))
        .or_else(|| heading.and_then(classify))?;
    if named != GENERIC {
        return Some(named);
    }
    let focus = deep_dive(opening).and_then(classify);
    Some(focus.filter(|t| *t != GENERIC).unwrap_or(GENERIC))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_from_the_heading() {
        let h = "joint targeted area inspection of the multi-agency response to sexual abuse in the family in anytown";
        assert_eq!(theme(Some(h), ""), Some("sexual abuse in the family"));
        let h = "joint targeted area inspection of the multi-agency response to child sexual exploitation, children associated with gangs and children missing from home in anytown";
        assert_eq!(
            theme(Some(h), ""),
            Some("child sexual exploitation and missing")
        );
    }

    #[test]
    fn theme_from_the_opening_when_the_heading_names_only_the_area() {
        let h = "joint targeted area inspection of anytown";
        let o = "this letter summarises the findings of the joint targeted area inspection (jtai) of the multi-agency response to children who are victims of domestic abuse in anytown. this inspection took place from 1 to 5 may 2024.";
        assert_eq!(theme(Some(h), o), Some("domestic abuse"));
        let o = "this letter summarises the findings of the jtai of the multi-agency response to identification of initial need and risk in anytown.";
        assert_eq!(theme(Some(h), o), Some("initial need and risk"));
        let o = "the findings of the jtai of the multi-agency response to the criminal exploitation of children in anytown.";
        assert_eq!(theme(Some(h), o), Some("child exploitation"));
    }

    #[test]
    fn abuse_and_neglect_takes_its_deep_dive() {
        let h = "joint targeted area inspection of the multi-agency response to abuse and neglect in anytown";
        let o = "between 1 and 5 may 2017, ofsted and others undertook a joint inspection of the multi-agency response to abuse and neglect in anytown. this inspection included a 'deep dive' focus on the response to children living with domestic abuse. more.";
        assert_eq!(theme(Some(h), o), Some("domestic abuse"));
        let o = "a 'deep dive' focus on older children who have been neglected. more.";
        assert_eq!(theme(Some(h), o), Some("neglect"));
        assert_eq!(theme(Some(h), "no focus named."), Some("abuse and neglect"));
    }

    #[test]
    fn every_theme_is_canonical() {
        for (t, _) in RULES {
            assert!(JTAI_THEMES.contains(t));
        }
        assert_eq!(theme(None, "nothing about a theme"), None);
    }
}
