//! The JSON documents the HTTP API answers with, one per request: totals and
//! paging around the very objects the JSON lines printer writes (a hit is
//! `search --json`'s line, a document `docs --json`'s), so the API and the
//! command line never disagree on a field.

use serde_json::{json, Map, Value};

use super::json;
use crate::analysis::trend::Trend;
use crate::analysis::FacetRow;
use crate::document::{DocumentMeta, Passage};
use crate::query::page::Page;
use crate::query::{Counted, Hit};

/// Which slice of a listing a page shows.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// Results skipped.
    pub offset: usize,
    /// Results per page.
    pub n: usize,
}

/// `/api/search`: the page's hits (with their context, when asked for) or
/// documents, and the totals.
pub fn search_page(
    query: &str,
    page: &Page,
    paging: Paging,
    grouped: bool,
    contexts: Option<&[(Vec<Passage>, Vec<Passage>)]>,
) -> Value {
    let mut body = json!({
        "query": query,
        "passages": page.passages,
        "documents": page.documents,
        "offset": paging.offset,
        "n": paging.n,
        "notes": page.notes,
    });
    if grouped {
        body["groups"] = page
            .groups
            .iter()
            .map(|g| Value::Object(json::group_object(g)))
            .collect();
    } else {
        body["hits"] = page
            .hits
            .iter()
            .enumerate()
            .map(|(i, h)| {
                Value::Object(match contexts.and_then(|c| c.get(i)) {
                    Some((before, after)) => json::hit_with_context(h, before, after),
                    None => json::hit_object(h),
                })
            })
            .collect();
    }
    body
}

/// `/api/count`.
pub fn count(query: &str, counted: &Counted) -> Value {
    let mut body: Map<String, Value> =
        json::count_object(query, counted.passages, counted.documents);
    body.insert("notes".into(), json!(counted.notes));
    Value::Object(body)
}

/// `/api/facets`.
pub fn facets(query: &str, by: &str, rows: &[FacetRow], notes: &[String]) -> Value {
    json!({"query": query, "by": by, "rows": rows, "notes": notes})
}

/// `/api/trend`: `trend --json`'s rows.
pub fn trend(query: &str, trend: &Trend) -> Value {
    json!({"query": query, "by": trend.by, "rows": trend.rows(), "notes": trend.notes})
}

/// `/api/mentions`: a page of the passages naming an authority, and the totals.
pub fn mentions(name: &str, hits: &[Hit], paging: Paging, notes: &[String]) -> Value {
    let documents = hits
        .iter()
        .map(|h| h.meta.path.as_str())
        .collect::<std::collections::HashSet<_>>()
        .len();
    let shown: Vec<Value> = hits
        .iter()
        .skip(paging.offset)
        .take(paging.n)
        .map(|h| Value::Object(json::hit_object(h)))
        .collect();
    json!({"name": name, "passages": hits.len(), "documents": documents, "offset": paging.offset, "n": paging.n, "hits": shown, "notes": notes})
}

/// `/api/docs`: a page of documents with their passage counts, and the total.
pub fn documents(
    total: usize,
    docs: &[(&DocumentMeta, u64)],
    paging: Paging,
    notes: &[String],
) -> Value {
    let page: Vec<Value> = docs
        .iter()
        .skip(paging.offset)
        .take(paging.n)
        .map(|(meta, passages)| {
            let mut o = json::document_object(meta);
            o.insert("passages".into(), json!(passages));
            Value::Object(o)
        })
        .collect();
    json!({"documents": total, "offset": paging.offset, "n": paging.n, "docs": page, "notes": notes})
}
