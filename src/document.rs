//! Plain data types that flow from `ingest` through `index` to `output`.

use serde::{Deserialize, Serialize};

/// Declares a closed set of domain words: each variant with the one name the
/// output contract uses and the other names a user may type for it.
macro_rules! domain_words {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $display:literal $(| $alias:literal)*,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $display)] $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The name used in output and in the index.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $display,)+
                }
            }

            /// Other names accepted for this value (lower case).
            pub fn aliases(self) -> &'static [&'static str] {
                match self {
                    $($name::$variant => &[$($alias,)*],)+
                }
            }

            /// The value named by `s` (its name or an alias; case, `_` and `-` ignored).
            pub fn parse(s: &str) -> Option<$name> {
                let key = s.trim().to_lowercase().replace(['_', '-'], " ");
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.name() == key || v.aliases().contains(&key.as_str()))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

domain_words! {
    /// The kind of inspection or visit a document reports on.
    VisitType {
        /// A focused visit (2018 on): one area of practice, a letter.
        FocusedVisit = "focused visit" | "focused",
        /// A monitoring visit to an authority judged inadequate: a letter.
        MonitoringVisit = "monitoring visit" | "monitoring",
        /// A standard ILACS inspection (about two weeks on site).
        StandardInspection = "standard inspection" | "standard",
        /// A short ILACS inspection (about a week on site).
        ShortInspection = "short inspection" | "short",
        /// A 2013-2018 single inspection framework inspection.
        SingleInspection = "single inspection" | "single" | "sif",
        /// A joint targeted area inspection (Ofsted with CQC, HMICFRS, HMI Probation).
        JointTargetedAreaInspection = "joint targeted area inspection" | "jtai" | "joint targeted",
        /// A 2020 assurance visit (during the pandemic): a letter.
        AssuranceVisit = "assurance visit" | "assurance",
        /// An area SEND inspection of a local area partnership (2023 framework,
        /// its monitoring inspections included): Ofsted with the CQC.
        AreaSendInspection = "area SEND inspection" | "area send inspection" | "area send" | "send",
    }
}

/// The themes of joint targeted area inspections (the values of
/// [`DocumentMeta::theme`]).
pub const JTAI_THEMES: &[&str] = &[
    "sexual abuse in the family",
    "child sexual exploitation and missing",
    "domestic abuse",
    "serious youth violence",
    "child exploitation",
    "initial need and risk",
    "children who need help",
    "neglect",
    "abuse and neglect",
];

domain_words! {
    /// The outcome of an area SEND inspection (the 2023 framework's three).
    SendOutcome {
        /// The arrangements typically lead to positive experiences and outcomes.
        Positive = "positive experiences and outcomes" | "positive",
        /// The arrangements lead to inconsistent experiences and outcomes.
        Inconsistent = "inconsistent experiences and outcomes" | "inconsistent",
        /// Widespread and/or systemic failings leading to significant concerns.
        SystemicFailings = "widespread and/or systemic failings" | "widespread or systemic failings" | "systemic failings" | "systemic" | "widespread",
    }
}

domain_words! {
    /// What kind of text a passage is, read from its section and its shape
    /// at ingest: ranking puts findings first, and `kind:` filters by it.
    PassageKind {
        /// Evaluative prose: what inspectors found.
        Finding = "finding" | "findings",
        /// An item under "What needs to improve", "Areas for improvement" or "Priority action".
        Improvement = "improvement" | "improvements" | "improve" | "area for improvement" | "priority action",
        /// A recommendation.
        Recommendation = "recommendation" | "recommendations",
        /// A graded heading or an outcome line.
        Judgement = "judgement" | "judgment" | "judgements" | "grade",
        /// A counts line ("16 are unaccompanied asylum-seeking children").
        Statistic = "statistic" | "statistics" | "stat" | "stats",
        /// About the authority or the inspection: dates, scope, team, sign-off.
        Context = "context",
        /// Body text of a news page.
        News = "news",
    }
}

// The macro derives the traits, so `#[default]` cannot be placed on a variant.
#[allow(clippy::derivable_impls)]
impl Default for PassageKind {
    fn default() -> PassageKind {
        PassageKind::Finding
    }
}

domain_words! {
    /// A judgement grade.
    Grade {
        /// Outstanding.
        Outstanding = "outstanding",
        /// Good.
        Good = "good",
        /// Requires improvement (to be good).
        RequiresImprovement = "requires improvement" | "requires improvement to be good" | "require improvement" | "ri",
        /// Inadequate.
        Inadequate = "inadequate",
    }
}

/// The judgements an inspection gives; absent when the document gives none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Judgements {
    /// Overall effectiveness of children's services.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub overall_effectiveness: Option<Grade>,
    /// Impact of leaders on social work practice.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub leaders: Option<Grade>,
    /// Experiences and progress of children who need help and protection.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub help_and_protection: Option<Grade>,
    /// Experiences and progress of children in care.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub in_care: Option<Grade>,
    /// Experiences and progress of care leavers.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub care_leavers: Option<Grade>,
}

impl Judgements {
    /// True when no judgement is known.
    pub fn is_empty(&self) -> bool {
        self.iter().all(|(_, v)| v.is_none())
    }

    /// Each judgement with its JSON name, in a fixed order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, Option<Grade>)> {
        [
            ("overall_effectiveness", self.overall_effectiveness),
            ("leaders", self.leaders),
            ("help_and_protection", self.help_and_protection),
            ("in_care", self.in_care),
            ("care_leavers", self.care_leavers),
        ]
        .into_iter()
    }
}

/// A calendar day; written and read as `YYYY-MM-DD` (JSON, CSV, text).
pub type Day = jiff::civil::Date;

/// Facts about one ingested document, shared by all of its passages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// The file as given to `ingest` (relative paths stay relative).
    pub path: String,
    /// Hex BLAKE3 hash of the file's bytes.
    #[serde(skip_serializing)]
    #[serde(default)]
    pub content_hash: String,
    /// Document title.
    pub title: String,
    /// `ofsted` for Ofsted's own letters and reports, else the publisher when known.
    pub source: Option<String>,
    /// Canonical authority the document is about.
    pub authority: Option<String>,
    /// Letter or publication date, else the last inspection date (printed `YYYY-MM-DD`).
    pub date: Option<Day>,
    /// Kind of inspection or visit.
    pub visit_type: Option<VisitType>,
    /// Every named inspector.
    pub inspectors: Vec<String>,
    /// The lead inspector.
    pub lead_inspector: Option<String>,
    /// First day of the inspection.
    pub inspection_start: Option<Day>,
    /// Last day of the inspection.
    pub inspection_end: Option<Day>,
    /// Judgements given by the inspection.
    pub judgements: Judgements,
    /// Each inspector or signer with their role and inspectorate, when the
    /// document gives them (`Yvette Stanley, National Director, Social Care, Ofsted`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inspector_roles: Vec<String>,
    /// For a joint targeted area inspection: its theme, one of [`JTAI_THEMES`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// For an area SEND inspection: its outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_outcome: Option<SendOutcome>,
    /// For an area SEND inspection: the local area partnership's bodies (the
    /// local authority, the integrated care board) as its details table names them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partnership: Vec<String>,
    /// For a news document: the letter or report it is about (`ofsearch link`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reports_on: Option<LinkRef>,
    /// For a letter or report: the news documents about it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reported_by: Vec<LinkRef>,
}

/// One end of a link between a news document and the letter or report it is about.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LinkRef {
    /// The other document's path.
    pub path: String,
    /// Its title.
    pub title: String,
    /// Its date.
    pub date: Option<Day>,
    /// Its `doc_id`.
    pub doc_id: String,
    /// How sure the link is, in [0, 1].
    pub confidence: f64,
    /// Why: quoted sentences found in the letter, the authority, the dates.
    pub evidence: Vec<String>,
}

impl DocumentMeta {
    /// A stable short id for the document: the first 12 hex digits of the
    /// BLAKE3 hash of its path (the same path always gets the same id, so a
    /// link to it survives re-ingesting a changed file).
    pub fn id(&self) -> String {
        doc_id(&self.path)
    }
}

/// The id [`DocumentMeta::id`] gives the document at `path`.
pub fn doc_id(path: &str) -> String {
    let hex = blake3::hash(path.as_bytes()).to_hex();
    hex[..12].to_string()
}

/// One paragraph or bullet item of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    /// 0-based position of the passage in its document.
    pub paragraph: usize,
    /// The 1-based PDF page the passage starts on (`None` for text and HTML).
    #[serde(default)]
    pub page: Option<u32>,
    /// Heading the passage sits under.
    pub section: Option<String>,
    /// The whole passage text.
    pub text: String,
    /// Canonical authorities named in this passage.
    pub authorities_mentioned: Vec<String>,
    /// What kind of text it is.
    #[serde(default)]
    pub kind: PassageKind,
}

/// An ingested document: its metadata and passages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Document-level facts.
    #[serde(flatten)]
    pub meta: DocumentMeta,
    /// Passages in reading order.
    pub passages: Vec<Passage>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_words_round_trip() {
        for v in VisitType::ALL {
            assert_eq!(VisitType::parse(v.name()), Some(*v));
            let json = serde_json::to_string(v).unwrap();
            assert_eq!(json, format!("\"{}\"", v.name()));
        }
        assert_eq!(
            VisitType::parse("JTAI"),
            Some(VisitType::JointTargetedAreaInspection)
        );
        assert_eq!(
            Grade::parse("requires-improvement"),
            Some(Grade::RequiresImprovement)
        );
        assert_eq!(Grade::parse("RI"), Some(Grade::RequiresImprovement));
        assert_eq!(Grade::parse("excellent"), None);
    }
}
