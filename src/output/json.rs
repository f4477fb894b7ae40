//! The JSON output contract (field names are stable: scripts depend on them).

use serde_json::{json, Map, Value};

use crate::document::DocumentMeta;
use crate::document::Passage;
use crate::query::{DocGroup, Hit};

/// A document and its passages as one object (`extract --json`, `show --json`):
/// `{"document": {…}, "passages": [{paragraph, section, text, authorities_mentioned}, …]}`.
pub fn document_with_passages(meta: &DocumentMeta, passages: &[Passage]) -> Value {
    let passages: Vec<Value> = passages
        .iter()
        .map(|p| {
            json!({
                "paragraph": p.paragraph,
                "section": p.section,
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
    m.insert("paragraph".into(), json!(hit.passage.paragraph));
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
    m
}

/// Scores rounded so output is stable across platforms.
fn round_score(score: f32) -> f64 {
    (f64::from(score) * 10_000.0).round() / 10_000.0
}

/// One hit as a JSON line (no trailing newline).
pub fn hit_line(hit: &Hit) -> String {
    Value::Object(hit_object(hit)).to_string()
}

/// A context passage: position, section and text, marked as context.
pub fn context_object(p: &Passage) -> Value {
    json!({
        "paragraph": p.paragraph,
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
