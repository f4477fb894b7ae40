//! Joint targeted area inspections: Ofsted with the Care Quality Commission,
//! HMICFRS and HMI Probation, reported in one letter signed by each inspectorate.

use super::LetterKind;
use crate::document::VisitType;

/// `Joint targeted area inspection of the multi-agency response to … in X`.
pub struct JointTargetedAreaInspection;

impl LetterKind for JointTargetedAreaInspection {
    fn visit_type(&self) -> VisitType {
        VisitType::JointTargetedAreaInspection
    }

    fn is_heading(&self, heading: &str) -> bool {
        heading.starts_with("joint targeted area inspection")
    }

    fn is_named_in(&self, opening: &str) -> bool {
        opening.contains("findings of the joint targeted area inspection")
            || opening.contains("findings of a joint targeted area inspection")
            || opening.contains("carried out a joint inspection")
            || opening.contains("undertook a joint inspection")
    }
}
