//! CSV and TSV: a header, then the JSON contract's fields flattened (lists
//! joined with "; ", judgements as one column each), correctly quoted.

use std::io::Write;

use serde_json::Value;

use super::json::hit_object;
use crate::query::Hit;

/// Document columns, in order: the JSON fields, with judgements spread out.
pub const DOCUMENT_COLUMNS: &[&str] = &[
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
    "doc_id",
];

/// Passage columns that follow the document columns in a hit row.
pub const PASSAGE_COLUMNS: &[&str] = &[
    "section",
    "kind",
    "paragraph",
    "page",
    "text",
    "snippet",
    "highlights",
    "score",
    "authorities_mentioned",
];

/// Document columns: the contract's, then the registry's printed fields.
pub fn document_columns() -> Vec<&'static str> {
    DOCUMENT_COLUMNS
        .iter()
        .copied()
        .chain(crate::fields::printed_keys())
        .collect()
}

/// Columns of a hit row.
pub fn hit_columns() -> Vec<&'static str> {
    [document_columns().as_slice(), PASSAGE_COLUMNS].concat()
}

/// Columns of a `docs` row.
pub fn doc_columns() -> Vec<&'static str> {
    [document_columns().as_slice(), &["passages"]].concat()
}

/// Values of `columns` from a JSON object, judgements looked up inside `judgements`.
fn row_of(obj: &serde_json::Map<String, Value>, columns: &[&str]) -> Vec<String> {
    let judgements = obj.get("judgements");
    columns
        .iter()
        .map(|col| {
            cell(
                obj.get(*col)
                    .or_else(|| judgements.and_then(|j| j.get(*col))),
            )
        })
        .collect()
}

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

/// A writer for more rows of a table whose header is already written.
pub fn writer_continued<W: Write>(out: W, tsv: bool) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .delimiter(if tsv { b'\t' } else { b',' })
        .has_headers(false)
        .from_writer(out)
}

/// One hit as a row of [`hit_columns`].
pub fn hit_row(hit: &Hit) -> Vec<String> {
    row_of(&hit_object(hit), &hit_columns())
}

/// One document as a row of [`doc_columns`].
pub fn doc_row(meta: &crate::document::DocumentMeta, passages: u64) -> Vec<String> {
    let mut obj = super::json::document_object(meta);
    obj.insert("passages".into(), Value::from(passages));
    row_of(&obj, &doc_columns())
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
    let mut row = row_of(
        &super::json::document_object(&group.meta),
        &document_columns(),
    );
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
            .map(|h| h.snippet())
            .collect::<Vec<_>>()
            .join(" | "),
    );
    row
}
