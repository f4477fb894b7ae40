//! The JSON API: the CLI's answers over HTTP, with the same fields as
//! `search --json`, plus totals. Errors are `{error, hint}`.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use super::error::ApiError;
use super::params::Params;
use super::{blocking, page_request, search_request};
use crate::analysis::docs;
use crate::index::Reader;
use crate::output::envelope::{self, Paging};
use crate::output::json as out_json;
use crate::output::printer::{printer, HitRow, Listing};
use crate::output::Format;
use crate::query;

type Shared = State<Arc<super::AppState>>;

/// Paging of a view.
fn paging(p: &Params) -> Paging {
    Paging {
        offset: p.offset,
        n: p.n,
    }
}

/// `GET /api/search`: a page of hits (or of documents with `group_by=doc`) and the totals.
pub async fn search(State(state): Shared, RawQuery(raw): RawQuery) -> Response {
    answer(state, raw, move |reader, p| {
        let page = query::page::page(&reader, &page_request(&p)?)?;
        // Context passages around each hit, as `search --context` gives them.
        let contexts = if p.context > 0 && !p.group {
            Some(
                page.hits
                    .iter()
                    .map(|h| query::context(&reader, h, p.context))
                    .collect::<Result<Vec<_>, _>>()?,
            )
        } else {
            None
        };
        Ok(envelope::search_page(
            &p.q,
            &page,
            paging(&p),
            p.group,
            contexts.as_deref(),
        ))
    })
    .await
}

/// `GET /api/count`: exact numbers of passages and documents.
pub async fn count(State(state): Shared, RawQuery(raw): RawQuery) -> Response {
    answer(state, raw, move |reader, p| {
        let c = query::count(&reader, &search_request(&p, None)?)?;
        Ok(envelope::count(&p.q, &c))
    })
    .await
}

/// `GET /api/facets?by=…`: passages and documents per value.
pub async fn facets(State(state): Shared, RawQuery(raw): RawQuery) -> Response {
    answer(state, raw, move |reader, p| {
        let by =
            p.by.unwrap_or(crate::analysis::FacetBy::Field(crate::fields::AUTHORITY));
        let (rows, notes) =
            crate::analysis::facets(&reader, &search_request(&p, None)?, by, by.default_sort())?;
        Ok(envelope::facets(&p.q, by.name(), &rows, &notes))
    })
    .await
}

/// `GET /api/trend?q=…&by=year`: documents matching per bucket, as `trend --json` rows.
pub async fn trend(State(state): Shared, RawQuery(raw): RawQuery) -> Response {
    answer(state, raw, move |reader, p| {
        let by = p.by.unwrap_or(crate::analysis::FacetBy::Year);
        let t = super::trend_of(&reader, &p, by, None)?;
        Ok(envelope::trend(&p.q, &t))
    })
    .await
}

/// `GET /api/mentions?name=…`: every passage naming an authority.
pub async fn mentions(State(state): Shared, RawQuery(raw): RawQuery) -> Response {
    answer(state, raw, move |reader, p| {
        if p.q.trim().is_empty() {
            return Err(ApiError::bad_request(
                "no authority given",
                "add name=South+Glos (any of an authority's names)",
            ));
        }
        let mut notes = Vec::new();
        let filters = p.filters.resolve(&mut notes)?;
        let found = query::mentions(&reader, &p.q, &filters)?;
        notes.extend(found.notes);
        Ok(envelope::mentions(&p.q, &found.hits, paging(&p), &notes))
    })
    .await
}

/// `GET /api/docs`: documents matching the filters (and query), newest first.
pub async fn docs_list(State(state): Shared, RawQuery(raw): RawQuery) -> Response {
    answer(state, raw, move |reader, p| {
        // No query and no filter lists every document.
        let mut notes = Vec::new();
        let search = query::SearchRequest {
            query: p.q.clone(),
            filters: p.filters.resolve(&mut notes)?,
            options: query::MatchOptions { exact: p.exact },
            limit: None,
            detail: Default::default(),
            explain: false,
        };
        let request = docs::DocsRequest {
            search,
            sort: match p.sort {
                super::params::Sort::Date | super::params::Sort::Relevance => docs::DocSort::Date,
            },
            limit: None,
        };
        let mut list = docs::list(&reader, &request)?;
        notes.append(&mut list.notes);
        let docs: Vec<(&crate::document::DocumentMeta, u64)> =
            list.docs.iter().map(|d| (&d.meta, d.passages)).collect();
        Ok(envelope::documents(list.total, &docs, paging(&p), &notes))
    })
    .await
}

/// `GET /api/docs/{id}`: one document as indexed (the `extract --json` shape).
pub async fn doc(State(state): Shared, Path(id): Path<String>) -> Response {
    let result = blocking(&state, move |reader| {
        let found = docs::find(&reader, &id)?;
        let shown = docs::read(&reader, &found)?;
        Ok(out_json::document_with_passages(
            &shown.meta,
            &shown.passages,
        ))
    })
    .await;
    respond(result)
}

/// Hits loaded at a time while exporting.
const EXPORT_HITS: usize = 512;

/// Bytes sent to the client at a time while exporting.
const EXPORT_CHUNK_BYTES: usize = 64 * 1024;

/// Bytes written by a printer on a blocking thread, sent to the response body
/// in chunks; a closed connection makes the next write fail, which ends the export.
struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(EXPORT_CHUNK_BYTES));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client went away"))
    }
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= EXPORT_CHUNK_BYTES {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `GET /api/export.csv` and `/api/export.jsonl`: every hit of the view, streamed.
pub async fn export(
    State(state): Shared,
    Path(file): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let csv = match file.as_str() {
        "export.csv" => true,
        "export.jsonl" => false,
        _ => {
            return ApiError::not_found(
                format!("no such export '{file}'"),
                "use /api/export.csv or /api/export.jsonl",
            )
            .into_response()
        }
    };
    let p = match Params::parse(raw.as_deref()) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    // Check the query before answering 200: a bad one is a 400, not a broken file.
    let checked = blocking(&state, move |reader| {
        let request = search_request(&p, None)?;
        query::count(&reader, &request)?;
        Ok((reader, request))
    })
    .await;
    let (reader, request) = match checked {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    tokio::task::spawn_blocking(move || {
        let mut sink = ChannelWriter {
            tx,
            buf: Vec::with_capacity(EXPORT_CHUNK_BYTES),
        };
        // The CLI's printer, so the file is what `search --all --format csv|json`
        // prints; hits come a chunk at a time, so memory stays bounded.
        let printer = printer(if csv { Format::Csv } else { Format::Json });
        let mut out = termcolor::NoColor::new(&mut sink);
        let mut rank = 1;
        let mut written = true;
        let streamed = query::search::for_each_chunk(
            &reader,
            &request,
            EXPORT_HITS,
            |_| {},
            |hits| {
                written = printer
                    .hits(&mut out, &HitRow::plain(&hits), &Listing::default(), rank)
                    .is_ok();
                rank += hits.len();
                written
            },
        );
        if written && rank == 1 {
            // No hit: still the header of a table.
            written = printer.hits(&mut out, &[], &Listing::default(), 1).is_ok();
        }
        written &= streamed.is_ok();
        if written {
            let _ = sink.send();
        }
    });
    let body = Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx));
    let (mime, name) = if csv {
        ("text/csv; charset=utf-8", "ofsearch-export.csv")
    } else {
        ("application/x-ndjson", "ofsearch-export.jsonl")
    };
    let mut resp = (StatusCode::OK, body).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

/// Parse the parameters, run `work` on a blocking thread with a reader, and
/// answer its JSON (or its error as `{error, hint}`).
async fn answer(
    state: Arc<super::AppState>,
    raw: Option<String>,
    work: impl FnOnce(Arc<Reader>, Params) -> Result<Value, ApiError> + Send + 'static,
) -> Response {
    let p = match Params::parse(raw.as_deref()) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    respond(blocking(&state, move |reader| work(reader, p)).await)
}

fn respond(result: Result<Value, ApiError>) -> Response {
    match result {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

/// Any other `/api/…` path.
pub async fn unknown() -> Response {
    ApiError::not_found(
        "no such endpoint",
        "see the README: /api/search, /api/count, /api/facets, /api/mentions, /api/docs, /api/export.csv",
    )
    .into_response()
}
