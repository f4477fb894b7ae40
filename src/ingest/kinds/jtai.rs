//! Joint targeted area inspections: Ofsted with the Care Quality Commission,
//! HMICFRS and HMI Probation, reported in one letter signed by each inspectorate.

use super::{jtai_theme, sign_off, KindText, LetterKind, OwnFacts};
use crate::document::VisitType;

/// `Joint targeted area inspection of the multi-agency response to … in X`,
/// `Joint targeted area inspection of X`.
pub struct JointTargetedAreaInspection;

impl LetterKind for JointTargetedAreaInspection {
    fn visit_type(&self) -> VisitType {
        VisitType::JointTargetedAreaInspection
    }

    fn is_heading(&self, heading: &str) -> bool {
        // "Joint targeted area inspection in 2017 found …" opens a sentence, not a letter.
        [
            "joint targeted area inspection of ",
            "joint targeted area inspection (jtai) of ",
        ]
        .iter()
        .any(|p| heading.starts_with(p))
    }

    fn is_named_in(&self, opening: &str) -> bool {
        opening.contains("findings of the joint targeted area inspection")
            || opening.contains("findings of a joint targeted area inspection")
            || opening.contains("carried out a joint inspection")
            || opening.contains("undertook a joint inspection")
    }

    fn read_own(&self, text: &KindText<'_>) -> OwnFacts {
        let members = sign_off::joint_signers(text.lines);
        let heading = text.heading.map(super::fold);
        let theme = jtai_theme::theme(heading.as_deref(), &super::fold(text.opening));
        let mut evidence = Vec::new();
        if !members.is_empty() {
            let signed: Vec<String> = members.iter().map(|m| m.describe()).collect();
            evidence.push(("inspectors", format!("signed by {}", signed.join("; "))));
        }
        if let Some(t) = theme {
            evidence.push(("theme", format!("the heading and opening name {t}")));
        }
        OwnFacts {
            members,
            theme,
            evidence,
            ..OwnFacts::default()
        }
    }
}
