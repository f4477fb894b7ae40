//! The kinds of letter Ofsted sends to a director of children's services.
//!
//! Every letter shares one shape (see [`super::letter`] for its furniture and
//! [`super::letter_meta`] for the facts read from it); what tells the kinds
//! apart is the heading and the way the opening sentence names the visit.
//! Each kind lives in its own file behind [`LetterKind`]: a new kind of letter
//! is one new file and one line in [`KINDS`].

mod area_send;
mod assurance_visit;
mod focused_visit;
mod jtai;
mod jtai_theme;
mod monitoring_visit;
mod sign_off;
pub mod team;

pub use area_send::ends_table as ends_metadata_table;
pub use jtai_theme::JTAI_THEMES;

use crate::document::{SendOutcome, VisitType};

/// The text a kind's own reader is given.
#[derive(Debug, Clone, Copy)]
pub struct KindText<'a> {
    /// The document's lines, normalised (straight quotes), blank lines kept as empty strings.
    pub lines: &'a [&'a str],
    /// The heading, joined across its lines, as printed.
    pub heading: Option<&'a str>,
    /// The opening (heading on), as one line, as printed.
    pub opening: &'a str,
}

/// What a kind's own reader finds beyond the facts every letter shares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnFacts {
    /// The people named with their roles (signers, a team table), lead marked.
    pub members: Vec<team::Member>,
    /// A JTAI's theme, one of [`JTAI_THEMES`].
    pub theme: Option<&'static str>,
    /// An area SEND inspection's outcome.
    pub send_outcome: Option<SendOutcome>,
    /// An area SEND inspection's partnership: the local authority, the integrated care board.
    pub partnership: Vec<String>,
    /// Each field with the line or sentence it was read from.
    pub evidence: Vec<(&'static str, String)>,
}

/// One kind of letter: how it names itself, and what only it says.
pub trait LetterKind: Sync {
    /// The visit type of letters of this kind.
    fn visit_type(&self) -> VisitType;
    /// Does this heading line (lower case, straight quotes) open a letter of this kind?
    fn is_heading(&self, heading: &str) -> bool;
    /// Does this opening text (lower case, straight quotes) say the letter is of this kind?
    fn is_named_in(&self, opening: &str) -> bool;
    /// Facts only letters of this kind carry (a theme, an outcome, a signed or
    /// tabled team). The shared letter reader's facts stand where this says nothing.
    fn read_own(&self, _text: &KindText<'_>) -> OwnFacts {
        OwnFacts::default()
    }
    /// Does this line (trimmed, as printed) head a table of this kind's
    /// metadata (a team, a partnership's details) that is never a passage?
    fn is_metadata_table(&self, _line: &str) -> bool {
        false
    }
    /// Is this line (trimmed, as printed) one of this kind's own section headings?
    fn is_section_heading(&self, _line: &str) -> bool {
        false
    }
}

/// The reader of letters of this visit type.
pub fn kind_of(visit_type: VisitType) -> Option<&'static dyn LetterKind> {
    KINDS.iter().copied().find(|k| k.visit_type() == visit_type)
}

/// Does any kind say this line heads a metadata table?
pub fn is_metadata_table(line: &str) -> bool {
    line.len() <= 80 && KINDS.iter().any(|k| k.is_metadata_table(line))
}

/// Does any kind say this line is one of its section headings?
pub fn is_section_heading(line: &str) -> bool {
    line.len() <= 120 && KINDS.iter().any(|k| k.is_section_heading(line))
}

/// Every kind, most specific first.
pub static KINDS: &[&dyn LetterKind] = &[
    &area_send::AreaSendInspection,
    &jtai::JointTargetedAreaInspection,
    &assurance_visit::AssuranceVisit,
    &monitoring_visit::MonitoringVisit,
    &focused_visit::FocusedVisit,
];

pub(crate) fn fold(s: &str) -> String {
    s.trim()
        .trim_start_matches('#')
        .replace(['\u{2019}', '\u{2018}', '`'], "'")
        .replace(['*', '_'], "")
        .trim()
        .to_lowercase()
}

/// The kind of letter a heading line opens, if it is a letter's heading.
pub fn letter_heading_kind(line: &str) -> Option<VisitType> {
    if line.len() > 300 {
        return None;
    }
    let l = fold(line);
    KINDS
        .iter()
        .find(|k| k.is_heading(&l))
        .map(|k| k.visit_type())
}

/// The kind of letter its opening text names ("the findings of the focused visit").
pub fn named_kind(opening: &str) -> Option<VisitType> {
    let l = fold(opening);
    KINDS
        .iter()
        .find(|k| k.is_named_in(&l))
        .map(|k| k.visit_type())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_name_their_kind() {
        let cases = [
            ("Focused visit to Wigan children’s services", VisitType::FocusedVisit),
            ("Monitoring visit of Slough children's services", VisitType::MonitoringVisit),
            ("Monitoring visit to Sandwell children’s services", VisitType::MonitoringVisit),
            (
                "Joint targeted area inspection of the multi-agency response to abuse and neglect in Leeds",
                VisitType::JointTargetedAreaInspection,
            ),
            ("Assurance visit to Devon children’s services", VisitType::AssuranceVisit),
        ];
        for (h, want) in cases {
            assert_eq!(letter_heading_kind(h), Some(want), "{h}");
        }
        assert_eq!(
            letter_heading_kind("Inspection of Leeds local authority children's services"),
            None
        );
        assert_eq!(
            named_kind("This letter summarises the findings of the third monitoring visit to X"),
            Some(VisitType::MonitoringVisit)
        );
    }
}
