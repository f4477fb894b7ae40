//! Monitoring visits to authorities judged inadequate (2015 on), each reported in a letter.

use super::LetterKind;
use crate::document::VisitType;

/// `Monitoring visit of/to X children's services`, `Third monitoring visit to X`.
pub struct MonitoringVisit;

/// Ordinals that may stand before "monitoring visit".
const ORDINALS: &[&str] = &[
    "",
    "first ",
    "second ",
    "third ",
    "fourth ",
    "fifth ",
    "sixth ",
    "seventh ",
    "eighth ",
    "ninth ",
    "tenth ",
    "eleventh ",
    "twelfth ",
    "1st ",
    "2nd ",
    "3rd ",
    "4th ",
    "5th ",
    "6th ",
    "7th ",
    "8th ",
    "9th ",
    "10th ",
];

impl LetterKind for MonitoringVisit {
    fn visit_type(&self) -> VisitType {
        VisitType::MonitoringVisit
    }

    fn is_heading(&self, heading: &str) -> bool {
        ORDINALS.iter().any(|o| {
            heading.strip_prefix(o).is_some_and(|r| {
                r.starts_with("monitoring visit to ") || r.starts_with("monitoring visit of ")
            })
        })
    }

    fn is_named_in(&self, opening: &str) -> bool {
        ["findings of the ", "findings of a ", "findings of an "]
            .iter()
            .any(|p| {
                opening.match_indices(p).any(|(i, _)| {
                    let rest = &opening[i + p.len()..];
                    ORDINALS.iter().any(|o| {
                        rest.strip_prefix(o)
                            .is_some_and(|r| r.starts_with("monitoring visit"))
                    })
                })
            })
    }
}
