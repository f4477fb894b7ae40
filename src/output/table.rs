//! CSV and TSV: a header, then the JSON contract's fields flattened (lists
//! joined with "; ", judgements as one column each), correctly quoted.

use std::io::Write;

use serde_json::Value;

use super::json::hit_object;
use crate::query::Hit;

/// Columns, in order: the JSON fields, with judgements spread out.
pub const HIT_COLUMNS: &[&str] = &[
    "path",
    "title",
    "source",
    "authority",
    "date",
    "visit_type",
    "inspectors",
    "lead_inspector",
    "inspection_start",
    "inspection_end",
    "overall_effectiveness",
    "leaders",
    "help_and_protection",
    "in_care",
    "care_leavers",
    "section",
    "paragraph",
    "text",
    "snippet",
    "highlights",
    "score",
    "authorities_mentioned",
];

/// A JSON value as one cell.
pub fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::Array(pair) => pair
                    .iter()
                    .map(|x| x.to_string())
                    .collect::<Vec<_>>()
                    .join("-"),
                other => cell(Some(other)),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Some(other) => other.to_string(),
    }
}

/// A CSV (or TSV) writer with the header already written.
pub fn writer<W: Write>(out: W, tsv: bool, header: &[&str]) -> csv::Result<csv::Writer<W>> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(if tsv { b'\t' } else { b',' })
        .from_writer(out);
    w.write_record(header)?;
    Ok(w)
}

/// One hit as a row of [`HIT_COLUMNS`].
pub fn hit_row(hit: &Hit) -> Vec<String> {
    let obj = hit_object(hit);
    let judgements = obj.get("judgements");
    HIT_COLUMNS
        .iter()
        .map(|col| {
            let direct = obj.get(*col);
            let v = direct.or_else(|| judgements.and_then(|j| j.get(*col)));
            cell(v)
        })
        .collect()
}

/// Columns of `docs` as CSV.
pub const DOC_COLUMNS: &[&str] = &[
    "path",
    "title",
    "source",
    "authority",
    "date",
    "visit_type",
    "inspectors",
    "lead_inspector",
    "inspection_start",
    "inspection_end",
    "overall_effectiveness",
    "leaders",
    "help_and_protection",
    "in_care",
    "care_leavers",
    "passages",
];

/// One document as a row of [`DOC_COLUMNS`].
pub fn doc_row(meta: &crate::document::DocumentMeta, passages: u64) -> Vec<String> {
    let obj = super::json::document_object(meta);
    let judgements = obj.get("judgements");
    DOC_COLUMNS
        .iter()
        .map(|col| {
            if *col == "passages" {
                return passages.to_string();
            }
            cell(
                obj.get(*col)
                    .or_else(|| judgements.and_then(|j| j.get(*col))),
            )
        })
        .collect()
}

/// Context passages in one cell: "¶N text" joined with " | ".
pub fn join_passages(passages: &[crate::document::Passage]) -> String {
    passages
        .iter()
        .map(|p| format!("¶{} {}", p.paragraph, p.text))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// One document group as a row: document columns, hits, best score, best snippets.
pub fn group_row(group: &crate::query::DocGroup) -> Vec<String> {
    let mut row = doc_row(&group.meta, 0);
    row.pop();
    row.push(group.hits.to_string());
    row.push(
        group
            .best
            .first()
            .map(|h| format!("{:.4}", h.score))
            .unwrap_or_default(),
    );
    row.push(
        group
            .best
            .iter()
            .map(|h| h.snippet.clone())
            .collect::<Vec<_>>()
            .join(" | "),
    );
    row
}
