//! Focused visits (2018 on): one area of practice, reported in a letter.

use super::LetterKind;
use crate::document::VisitType;

/// `Focused visit to X children's services`.
pub struct FocusedVisit;

impl LetterKind for FocusedVisit {
    fn visit_type(&self) -> VisitType {
        VisitType::FocusedVisit
    }

    fn is_heading(&self, heading: &str) -> bool {
        heading.starts_with("focused visit to ") || heading.starts_with("focused visit of ")
    }

    fn is_named_in(&self, opening: &str) -> bool {
        opening.contains("findings of the focused visit")
            || opening.contains("findings of a focused visit")
    }
}
