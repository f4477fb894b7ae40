//! The JSON output contract (field names are stable: scripts depend on them).

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::document::DocumentMeta;
use crate::document::Passage;
use crate::query::{DocGroup, Hit};

/// A document and its passages as one object (`extract --json`, `show --json`):
/// `{"document": {…}, "passages": [{paragraph, page, section, kind, text, authorities_mentioned}, …]}`.
pub fn document_with_passages(meta: &DocumentMeta, passages: &[Passage]) -> Value {
    let passages: Vec<Value> = passages
        .iter()
        .map(|p| {
            json!({
                "paragraph": p.paragraph,
                "page": p.page,
                "section": p.section,
                "kind": p.kind,
                "text": p.text,
                "authorities_mentioned": p.authorities_mentioned,
            })
        })
        .collect();
    json!({
        "document": Value::Object(document_object(meta)),
        "passages": passages,
    })
}

/// Document fields of the contract, in order.
pub fn document_object(meta: &DocumentMeta) -> Map<String, Value> {
    let mut judgements = Map::new();
    for (name, value) in meta.judgements.iter() {
        if let Some(v) = value {
            judgements.insert(name.to_string(), Value::String(v.to_string()));
        }
    }
    let mut m = Map::new();
    m.insert("path".into(), json!(meta.path));
    m.insert("title".into(), json!(meta.title));
    m.insert("source".into(), json!(meta.source));
    m.insert("authority".into(), json!(meta.authority));
    m.insert("date".into(), json!(meta.date));
    m.insert("visit_type".into(), json!(meta.visit_type));
    m.insert("inspectors".into(), json!(meta.inspectors));
    m.insert("lead_inspector".into(), json!(meta.lead_inspector));
    m.insert("inspection_start".into(), json!(meta.inspection_start));
    m.insert("inspection_end".into(), json!(meta.inspection_end));
    m.insert("judgements".into(), Value::Object(judgements));
    // Fields only some kinds of document have: printed when present.
    for (key, value) in crate::fields::printed_extras(meta) {
        m.insert(key.into(), json!(value));
    }
    if !meta.inspector_roles.is_empty() {
        m.insert("inspector_roles".into(), json!(meta.inspector_roles));
    }
    if !meta.partnership.is_empty() {
        m.insert("partnership".into(), json!(meta.partnership));
    }
    m.insert("doc_id".into(), json!(meta.id()));
    // Links (`ofsearch link`): news documents say what they report on, letters who reported them.
    if meta.source.as_deref() == Some("ofsted") {
        if !meta.reported_by.is_empty() {
            m.insert("reported_by".into(), json!(meta.reported_by));
        }
    } else {
        m.insert("reports_on".into(), json!(meta.reports_on));
    }
    m
}

/// One hit as a JSON object.
pub fn hit_object(hit: &Hit) -> Map<String, Value> {
    let mut m = document_object(&hit.meta);
    m.insert("section".into(), json!(hit.passage.section));
    m.insert("kind".into(), json!(hit.passage.kind));
    m.insert("paragraph".into(), json!(hit.passage.paragraph));
    m.insert("page".into(), json!(hit.passage.page));
    m.insert("text".into(), json!(hit.passage.text));
    m.insert("snippet".into(), json!(hit.snippet()));
    m.insert(
        "highlights".into(),
        json!(hit
            .highlights
            .iter()
            .map(|(s, e)| [*s, *e])
            .collect::<Vec<_>>()),
    );
    m.insert("score".into(), json!(round_score(hit.score)));
    m.insert(
        "authorities_mentioned".into(),
        json!(hit.passage.authorities_mentioned),
    );
    if let Some(parts) = &hit.explain {
        m.insert("explain".into(), explain_object(parts));
    }
    m
}

/// The parts of a hit's score (`--explain`), rounded as scores are.
pub fn explain_object(p: &crate::query::rank::ScoreParts) -> Value {
    json!({
        "words": round_score(p.words),
        "phrase": round_score(p.phrase),
        "filters": round_score(p.filters),
        "kind": p.kind,
        "kind_weight": round_score(p.kind_weight),
        "length": p.length,
        "length_weight": round_score(p.length_weight),
        "lead": p.lead,
        "mentions": p.mentions,
        "lead_weight": round_score(p.lead_weight),
        "score": round_score(p.score),
    })
}

/// Exact counts of a query (`search --count`, `/api/count`).
pub fn count_object(query: &str, passages: usize, documents: usize) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("query".into(), json!(query));
    m.insert("passages".into(), json!(passages));
    m.insert("documents".into(), json!(documents));
    m
}

/// One facet row, with what it counts by (`facets --json`; `/api/facets` rows).
pub fn facet_row_object(by: &str, row: &crate::analysis::FacetRow) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("by".into(), json!(by));
    m.insert("value".into(), json!(row.value));
    m.insert("passages".into(), json!(row.passages));
    m.insert("documents".into(), json!(row.documents));
    m
}

/// Scores rounded so output is stable across platforms.
fn round_score(score: f32) -> f64 {
    (f64::from(score) * 10_000.0).round() / 10_000.0
}

/// Write one hit as a JSON line, newline included: the bytes of
/// [`hit_object`], written straight from the hit instead of from a map of
/// copies of its fields (a long listing writes tens of thousands).
pub fn write_hit_line(out: &mut dyn std::io::Write, hit: &Hit) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, &HitLine::of(hit))?;
    out.write_all(b"\n")
}

/// [`hit_object`]'s fields, in its order, borrowed from the hit.
#[derive(Serialize)]
struct HitLine<'a> {
    path: &'a str,
    title: &'a str,
    source: &'a Option<String>,
    authority: &'a Option<String>,
    date: &'a Option<crate::document::Day>,
    visit_type: Option<crate::document::VisitType>,
    inspectors: &'a [String],
    lead_inspector: &'a Option<String>,
    inspection_start: &'a Option<crate::document::Day>,
    inspection_end: &'a Option<crate::document::Day>,
    judgements: Judgements<'a>,
    #[serde(flatten)]
    extras: Extras<'a>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    inspector_roles: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    partnership: &'a [String],
    doc_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reported_by: Option<&'a [crate::document::LinkRef]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reports_on: Option<&'a Option<crate::document::LinkRef>>,
    section: &'a Option<String>,
    kind: crate::document::PassageKind,
    paragraph: usize,
    page: Option<u32>,
    text: &'a str,
    snippet: String,
    highlights: Vec<[usize; 2]>,
    score: f64,
    authorities_mentioned: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<Value>,
}

impl<'a> HitLine<'a> {
    fn of(hit: &'a Hit) -> HitLine<'a> {
        let meta = &hit.meta;
        let ofsted = meta.source.as_deref() == Some("ofsted");
        HitLine {
            path: &meta.path,
            title: &meta.title,
            source: &meta.source,
            authority: &meta.authority,
            date: &meta.date,
            visit_type: meta.visit_type,
            inspectors: &meta.inspectors,
            lead_inspector: &meta.lead_inspector,
            inspection_start: &meta.inspection_start,
            inspection_end: &meta.inspection_end,
            judgements: Judgements(&meta.judgements),
            extras: Extras(meta),
            inspector_roles: &meta.inspector_roles,
            partnership: &meta.partnership,
            doc_id: meta.id(),
            reported_by: Some(meta.reported_by.as_slice()).filter(|r| ofsted && !r.is_empty()),
            reports_on: Some(&meta.reports_on).filter(|_| !ofsted),
            section: &hit.passage.section,
            kind: hit.passage.kind,
            paragraph: hit.passage.paragraph,
            page: hit.passage.page,
            text: &hit.passage.text,
            snippet: hit.snippet(),
            highlights: hit.highlights.iter().map(|&(s, e)| [s, e]).collect(),
            score: round_score(hit.score),
            authorities_mentioned: &hit.passage.authorities_mentioned,
            explain: hit.explain.as_ref().map(explain_object),
        }
    }
}

/// The registry's fields printed beside the contract's own ([`crate::fields::printed_extras`]).
struct Extras<'a>(&'a DocumentMeta);

impl Serialize for Extras<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(crate::fields::printed_extras(self.0))
    }
}

/// The judgements a document has, by name, in their fixed order.
struct Judgements<'a>(&'a crate::document::Judgements);

impl Serialize for Judgements<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(
            self.0
                .iter()
                .filter_map(|(name, grade)| Some((name, grade?.to_string()))),
        )
    }
}

/// A context passage: position, page, section and text, marked as context.
pub fn context_object(p: &Passage) -> Value {
    json!({
        "paragraph": p.paragraph,
        "page": p.page,
        "section": p.section,
        "text": p.text,
        "context": true,
    })
}

/// A hit with the passages around it (`--context`).
pub fn hit_with_context(hit: &Hit, before: &[Passage], after: &[Passage]) -> Map<String, Value> {
    let mut m = hit_object(hit);
    m.insert(
        "context_before".into(),
        Value::Array(before.iter().map(context_object).collect()),
    );
    m.insert(
        "context_after".into(),
        Value::Array(after.iter().map(context_object).collect()),
    );
    m
}

/// One document group (`--group-by doc`): document fields, hit count, best passages.
pub fn group_object(group: &DocGroup) -> Map<String, Value> {
    let mut m = document_object(&group.meta);
    m.insert("hits".into(), json!(group.hits));
    m.insert(
        "score".into(),
        json!(group.best.first().map_or(0.0, |h| round_score(h.score))),
    );
    let best: Vec<Value> = group
        .best
        .iter()
        .map(|h| {
            json!({
                "paragraph": h.passage.paragraph,
                "page": h.passage.page,
                "section": h.passage.section,
                "text": h.passage.text,
                "snippet": h.snippet(),
                "highlights": h.highlights.iter().map(|(s, e)| [*s, *e]).collect::<Vec<_>>(),
                "score": round_score(h.score),
            })
        })
        .collect();
    m.insert("passages".into(), Value::Array(best));
    m
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::Value;

    use crate::document::{DocumentMeta, Grade, LinkRef, Passage, VisitType};
    use crate::query::Hit;

    fn link(path: &str) -> LinkRef {
        LinkRef {
            path: path.into(),
            title: "A \"quoted\" title – with a dash".into(),
            date: Some("2024-01-02".parse().unwrap()),
            doc_id: "abc".into(),
            confidence: 0.875,
            evidence: vec!["named the council".into()],
        }
    }

    /// The line written straight from a hit is the line of its map, byte for
    /// byte, whatever the document: letters with and without reporting news,
    /// news with and without a letter, scores whole and not, odd text.
    #[test]
    fn typed_line_is_the_map_line() {
        let mut letter = DocumentMeta {
            path: "letters/a.pdf".into(),
            title: "Focused visit to Bristol".into(),
            source: Some("ofsted".into()),
            authority: Some("Bristol".into()),
            date: Some("2023-05-06".parse().unwrap()),
            visit_type: Some(VisitType::FocusedVisit),
            inspectors: vec!["Ann Smith".into(), "Bo Li".into()],
            lead_inspector: Some("Ann Smith".into()),
            ..DocumentMeta::default()
        };
        letter.judgements.leaders = Some(Grade::Good);
        letter.judgements.in_care = Some(Grade::RequiresImprovement);
        let mut reported = letter.clone();
        reported.reported_by = vec![link("news/b.html"), link("news/c.html")];
        let news = DocumentMeta {
            path: "news/b.html".into(),
            title: "Council \\ services \u{1F600}".into(),
            source: Some("news".into()),
            ..DocumentMeta::default()
        };
        let mut linked = news.clone();
        linked.reports_on = Some(link("letters/a.pdf"));
        let bare = DocumentMeta::default();
        let send = DocumentMeta {
            visit_type: Some(VisitType::AreaSendInspection),
            send_outcome: Some(crate::document::SendOutcome::Inconsistent),
            inspector_roles: vec!["Ann Smith, HMI, Ofsted".into()],
            partnership: vec!["Bristol City Council".into(), "NHS ICB".into()],
            ..letter.clone()
        };
        let jtai = DocumentMeta {
            theme: Some("domestic abuse".into()),
            ..letter.clone()
        };
        for (meta, score) in [
            (send, 2.5),
            (jtai, 2.0),
            (letter, 8.16213_f32),
            (reported, 3.0),
            (news, 0.0),
            (linked, 1e-7),
            (bare, f32::NAN),
        ] {
            let hit = Hit {
                meta: Arc::new(meta),
                passage: Passage {
                    paragraph: 4,
                    page: Some(7),
                    section: Some("Tab\there, \"quotes\", \u{7}bell".into()),
                    text: "Management oversight is weak.\nA second line.".into(),
                    authorities_mentioned: vec!["Bristol".into()],
                    kind: crate::document::PassageKind::Improvement,
                },
                score,
                highlights: vec![(0, 20)],
                explain: None,
            };
            let map = Value::Object(super::hit_object(&hit)).to_string();
            let mut written = Vec::new();
            super::write_hit_line(&mut written, &hit).unwrap();
            assert_eq!(String::from_utf8(written).unwrap(), map + "\n");
        }
    }
}
