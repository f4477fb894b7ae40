//! Atom feeds: `/feed.atom?q=…&filters` (any search, as the results page
//! takes it) and `/watch/NAME.atom` (a saved search), each the newest
//! matching documents with their best passage, for feed readers.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::params::Params;
use super::{blocking, search_request, AppState};
use crate::index::stamps;
use crate::output::atom::{self, FeedEntry, FeedHead};
use crate::query::{self, GroupPage};
use crate::watch::{WatchBook, WatchError};

/// Documents in a feed: the newest, as feed readers keep what they saw.
pub const FEED_ENTRIES: usize = 50;

/// Where this server is, as the client reached it: the `Host` header when
/// it is a plain host (and port), else the loopback.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// The search part of a view's parameters (query, filters, exact): what a
/// feed and its results page share.
fn search_part(p: &Params) -> String {
    Params {
        q: p.q.clone(),
        filters: p.filters.clone(),
        exact: p.exact,
        ..Params::default()
    }
    .link(|_| {})
}

/// A feed's title: the query and its filters.
fn title(p: &Params) -> String {
    let mut parts = Vec::new();
    if !p.q.trim().is_empty() {
        parts.push(p.q.trim().to_string());
    }
    for (id, values) in &p.filters.values {
        for v in values {
            parts.push(format!("{}={v}", id.name()));
        }
    }
    for (key, v) in [("since", &p.filters.since), ("until", &p.filters.until)] {
        if let Some(v) = v {
            parts.push(format!("{key}={v}"));
        }
    }
    format!("ofsearch: {}", parts.join(" · "))
}

/// The feed of a view's search.
async fn feed(state: Arc<AppState>, p: Params, head: FeedHead) -> Result<Response, ApiError> {
    let request = search_request(&p, None)?;
    let bytes = blocking(&state, move |reader| {
        let grouped = query::search_grouped(
            &reader,
            &request,
            GroupPage {
                offset: 0,
                n: Some(FEED_ENTRIES),
                newest_first: true,
            },
        )?;
        let firsts = stamps::first_indexed(&reader, &reader.searcher())?;
        let entries: Vec<FeedEntry> = grouped
            .groups
            .iter()
            .map(|g| FeedEntry {
                group: g,
                first_indexed: firsts
                    .of(&g.meta.path)
                    .map_or_else(jiff::Timestamp::now, stamps::to_timestamp),
            })
            .collect();
        let mut out = Vec::new();
        atom::write_feed(&mut out, &head, &entries).map_err(ApiError::internal)?;
        Ok(out)
    })
    .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        bytes,
    )
        .into_response())
}

/// `/feed.atom?q=…&filters`.
pub async fn search_feed(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let answer = async {
        let p = Params::parse(raw.as_deref())?;
        let base = base_url(&headers);
        let part = search_part(&p);
        let head = FeedHead {
            title: title(&p),
            self_url: format!("{base}/feed.atom?{part}"),
            page_url: format!("{base}/?{part}"),
            base_url: base,
        };
        feed(state, p, head).await
    };
    answer.await.unwrap_or_else(IntoResponse::into_response)
}

/// `/watch/NAME.atom`: a saved search's feed (reading it marks nothing read).
pub async fn watch_feed(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    let answer = async {
        let Some(name) = file.strip_suffix(".atom") else {
            return Err(ApiError::not_found(
                format!("no such page: /watch/{file}"),
                "a watch's feed is /watch/NAME.atom",
            ));
        };
        let book = WatchBook::open(state.dir()).map_err(ApiError::internal)?;
        let watch = book.get(name).map_err(|e| match e {
            WatchError::Unknown { .. } => ApiError::not_found(
                e.to_string(),
                "`ofsearch watch list` shows the watches; `ofsearch watch add` saves one",
            ),
            e => ApiError::internal(e),
        })?;
        let filters = watch.typed_filters().map_err(ApiError::internal)?;
        let p = Params {
            q: watch.query.clone(),
            filters,
            exact: watch.exact,
            ..Params::default()
        };
        let base = base_url(&headers);
        let head = FeedHead {
            title: format!(
                "ofsearch watch \"{name}\": {}",
                title(&p).trim_start_matches("ofsearch: ")
            ),
            self_url: format!("{base}/watch/{name}.atom"),
            page_url: format!("{base}/?{}", search_part(&p)),
            base_url: base,
        };
        feed(state, p, head).await
    };
    answer.await.unwrap_or_else(IntoResponse::into_response)
}

/// The subscribe link of a results page: the same search as a feed.
pub fn feed_link(p: &Params) -> String {
    format!("/feed.atom?{}", search_part(p))
}
