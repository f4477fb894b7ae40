//! Plain data types that flow from `ingest` through `index` to `output`.

use serde::{Deserialize, Serialize};

/// The judgements an inspection gives, each `outstanding`, `good`,
/// `requires improvement` or `inadequate`; absent when the document gives none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Judgements {
    /// Overall effectiveness of children's services.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub overall_effectiveness: Option<String>,
    /// Impact of leaders on social work practice.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub leaders: Option<String>,
    /// Experiences and progress of children who need help and protection.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub help_and_protection: Option<String>,
    /// Experiences and progress of children in care.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub in_care: Option<String>,
    /// Experiences and progress of care leavers.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub care_leavers: Option<String>,
}

impl Judgements {
    /// True when no judgement is known.
    pub fn is_empty(&self) -> bool {
        self.iter().all(|(_, v)| v.is_none())
    }

    /// Each judgement with its JSON name, in a fixed order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, Option<&str>)> {
        [
            (
                "overall_effectiveness",
                self.overall_effectiveness.as_deref(),
            ),
            ("leaders", self.leaders.as_deref()),
            ("help_and_protection", self.help_and_protection.as_deref()),
            ("in_care", self.in_care.as_deref()),
            ("care_leavers", self.care_leavers.as_deref()),
        ]
        .into_iter()
    }
}

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
    /// Letter or publication date, else the last inspection date (`YYYY-MM-DD`).
    pub date: Option<String>,
    /// Kind of inspection or visit, lower case.
    pub visit_type: Option<String>,
    /// Every named inspector.
    pub inspectors: Vec<String>,
    /// The lead inspector.
    pub lead_inspector: Option<String>,
    /// First day of the inspection (`YYYY-MM-DD`).
    pub inspection_start: Option<String>,
    /// Last day of the inspection (`YYYY-MM-DD`).
    pub inspection_end: Option<String>,
    /// Judgements given by the inspection.
    pub judgements: Judgements,
}

/// One paragraph or bullet item of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    /// 0-based position of the passage in its document.
    pub paragraph: usize,
    /// Heading the passage sits under.
    pub section: Option<String>,
    /// The whole passage text.
    pub text: String,
    /// Canonical authorities named in this passage.
    pub authorities_mentioned: Vec<String>,
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
