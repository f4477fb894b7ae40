//! The 2020 assurance visits, made during the pandemic and reported in a letter.

use super::LetterKind;
use crate::document::VisitType;

/// `Assurance visit to X children's services`.
pub struct AssuranceVisit;

impl LetterKind for AssuranceVisit {
    fn visit_type(&self) -> VisitType {
        VisitType::AssuranceVisit
    }

    fn is_heading(&self, heading: &str) -> bool {
        heading.starts_with("assurance visit to ") || heading.starts_with("assurance visit of ")
    }

    fn is_named_in(&self, opening: &str) -> bool {
        opening.contains("findings of the assurance visit")
            || opening.contains("findings of an assurance visit")
    }
}
