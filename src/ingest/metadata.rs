//! Assemble a document's metadata from what the format cleaner and the
//! content-based extractors found.

use std::collections::HashMap;

use super::block::Block;
use super::report_meta::{self, ReportMeta};
use crate::document::{DocumentMeta, Passage, VisitType};
use crate::gazetteer::Gazetteer;

/// What a format cleaner knows about a document before metadata extraction.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    /// Title from markup or layout, when the format gives one.
    pub title: Option<String>,
    /// The whole text, furniture included (letterheads carry dates and names).
    pub full_text: String,
    /// The cleaned body.
    pub blocks: Vec<Block>,
    /// Publication date from markup, `(year, month, day)`.
    pub published: Option<(i16, i8, i8)>,
    /// Publisher from markup.
    pub publisher: Option<String>,
    /// Letter furniture the cleaner dropped, with the rule that dropped each line.
    pub dropped: Vec<(super::letter::DropRule, String)>,
}

/// `YYYY-MM-DD` for a valid civil date.
pub fn iso_date(ymd: Option<(i16, i8, i8)>) -> Option<crate::document::Day> {
    let (y, m, d) = ymd?;
    jiff::civil::Date::new(y, m, d).ok()
}

/// A story's passages read for the visit it reports on (its facts come early).
const STORY_PASSAGES_READ: usize = 30;

/// Build the document metadata for `path`, given its passages (their
/// `authorities_mentioned` say which authority it is about when the title does not).
pub fn document_meta(
    path: &str,
    content_hash: &str,
    ex: &Extracted,
    passages: &[Passage],
) -> DocumentMeta {
    let report = report_meta::extract(&ex.full_text);
    // An Ofsted document's own heading beats a cleaner's guess at a title.
    let (first, second) = if report.is_ofsted {
        (report.title.clone(), ex.title.clone())
    } else {
        (ex.title.clone(), report.title.clone())
    };
    let title = first
        .or(second)
        .or_else(|| first_heading(passages))
        .unwrap_or_else(|| fallback_title(path));
    let authority = about_authority(&title, passages);
    if report.is_ofsted {
        ofsted_meta(path, content_hash, title, authority, report)
    } else {
        // A story gives the visit's people and days only where it names them.
        let told: String = passages
            .iter()
            .take(STORY_PASSAGES_READ)
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let visit = super::letter_meta::named_visit(&told);
        DocumentMeta {
            path: path.to_string(),
            content_hash: content_hash.to_string(),
            source: ex.publisher.clone(),
            visit_type: news_visit_type(&title, passages),
            date: iso_date(ex.published),
            title,
            authority,
            lead_inspector: visit.lead.clone(),
            inspectors: visit.inspectors,
            inspection_start: iso_date(visit.visit.map(|v| v.0)),
            inspection_end: iso_date(visit.visit.map(|v| v.1)),
            ..DocumentMeta::default()
        }
    }
}

fn ofsted_meta(
    path: &str,
    content_hash: &str,
    title: String,
    authority: Option<String>,
    r: ReportMeta,
) -> DocumentMeta {
    let date = iso_date(r.letter_date)
        .or_else(|| iso_date(r.published))
        .or_else(|| iso_date(r.inspection_end));
    DocumentMeta {
        path: path.to_string(),
        content_hash: content_hash.to_string(),
        title,
        source: Some("ofsted".to_string()),
        authority,
        date,
        visit_type: r.visit_type,
        inspectors: r.inspectors,
        lead_inspector: r.lead_inspector,
        inspection_start: iso_date(r.inspection_start),
        inspection_end: iso_date(r.inspection_end),
        judgements: r.judgements,
        inspector_roles: r.inspector_roles,
        theme: r.theme.map(str::to_string),
        send_outcome: r.send_outcome,
        partnership: r.partnership,
        ..DocumentMeta::default()
    }
}

fn first_heading(passages: &[Passage]) -> Option<String> {
    passages.iter().find_map(|p| p.section.clone())
}

fn fallback_title(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

/// The authority a document is about: the one its title names, else the one
/// named in most passages (ties go to the earliest named).
pub fn about_authority(title: &str, passages: &[Passage]) -> Option<String> {
    if let Some(first) = Gazetteer::get().mentioned(title).first() {
        return Some(first.to_string());
    }
    // (passages naming it, order of first mention)
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for p in passages {
        for name in &p.authorities_mentioned {
            let order = counts.len();
            counts.entry(name.as_str()).or_insert((0, order)).0 += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
        .map(|(name, _)| name.to_string())
}

/// Visit types named in news, most specific first.
const VISIT_PHRASES: &[(&str, VisitType)] = &[
    (
        "joint targeted area inspection",
        VisitType::JointTargetedAreaInspection,
    ),
    ("jtai", VisitType::JointTargetedAreaInspection),
    ("focused visit", VisitType::FocusedVisit),
    ("monitoring visit", VisitType::MonitoringVisit),
    ("assurance visit", VisitType::AssuranceVisit),
    ("short inspection", VisitType::ShortInspection),
    ("standard inspection", VisitType::StandardInspection),
];

/// The visit a news article reports on, from its title and opening paragraphs.
fn news_visit_type(title: &str, passages: &[Passage]) -> Option<VisitType> {
    let opening = std::iter::once(title).chain(passages.iter().take(3).map(|p| p.text.as_str()));
    for text in opening {
        let lower = text.to_lowercase();
        let first = VISIT_PHRASES
            .iter()
            .filter_map(|(p, v)| lower.find(p).map(|i| (i, *v)))
            .min_by_key(|(i, _)| *i);
        if let Some((_, v)) = first {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_validated() {
        assert_eq!(
            iso_date(Some((2022, 10, 20)))
                .map(|d| d.to_string())
                .as_deref(),
            Some("2022-10-20")
        );
        assert_eq!(iso_date(Some((2022, 2, 30))), None);
        assert_eq!(iso_date(None), None);
    }

    #[test]
    fn authority_from_title_then_body() {
        let blocks = vec![
            Block::paragraph("Gloucestershire was mentioned first."),
            Block::paragraph("South Gloucestershire here."),
            Block::paragraph("And South Gloucestershire again."),
        ];
        let passages = crate::ingest::passages::passages(&blocks);
        assert_eq!(
            about_authority("South Glos Council failing", &[]).as_deref(),
            Some("South Gloucestershire")
        );
        assert_eq!(
            about_authority("Council criticised", &passages).as_deref(),
            Some("South Gloucestershire")
        );
        assert_eq!(
            about_authority("Council criticised", &passages[..2]).as_deref(),
            Some("Gloucestershire"),
            "a tie goes to the earliest named"
        );
        assert_eq!(about_authority("Nothing", &[]), None);
    }

    #[test]
    fn news_visit_type_from_opening() {
        let blocks = vec![Block::paragraph(
            "Ofsted said following a recent monitoring visit.",
        )];
        let passages = crate::ingest::passages::passages(&blocks);
        assert_eq!(
            news_visit_type("Pace of change", &passages),
            Some(VisitType::MonitoringVisit)
        );
        assert_eq!(news_visit_type("Nothing here", &[]), None);
    }
}
