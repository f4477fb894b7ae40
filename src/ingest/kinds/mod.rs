//! The kinds of letter Ofsted sends to a director of children's services.
//!
//! Every letter shares one shape (see [`super::letter`] for its furniture and
//! [`super::letter_meta`] for the facts read from it); what tells the kinds
//! apart is the heading and the way the opening sentence names the visit.
//! Each kind lives in its own file behind [`LetterKind`]: a new kind of letter
//! is one new file and one line in [`KINDS`].

mod assurance_visit;
mod focused_visit;
mod jtai;
mod monitoring_visit;

use crate::document::VisitType;

/// One kind of letter: how it names itself.
pub trait LetterKind: Sync {
    /// The visit type of letters of this kind.
    fn visit_type(&self) -> VisitType;
    /// Does this heading line (lower case, straight quotes) open a letter of this kind?
    fn is_heading(&self, heading: &str) -> bool;
    /// Does this opening text (lower case, straight quotes) say the letter is of this kind?
    fn is_named_in(&self, opening: &str) -> bool;
}

/// Every kind, most specific first.
pub static KINDS: &[&dyn LetterKind] = &[
    &jtai::JointTargetedAreaInspection,
    &assurance_visit::AssuranceVisit,
    &monitoring_visit::MonitoringVisit,
    &focused_visit::FocusedVisit,
];

fn fold(s: &str) -> String {
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
