//! `ofsearch serve`: a search page and an HTTP JSON API over the same index,
//! query language and output contract as the CLI.
//!
//! The front end only translates: URL parameters become [`params::Params`],
//! which become the library's requests ([`crate::query::page::PageRequest`],
//! [`crate::query::SearchRequest`]); searches run on blocking threads, a
//! bounded number at once, each from the index's last commit.

mod api;
mod error;
mod feed;
mod page;
pub mod params;
mod state;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::routing::get;
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

pub use error::ApiError;
pub use state::AppState;

use crate::index::Reader;
use crate::query::page::{Order, PageRequest};
use crate::query::{MatchOptions, SearchRequest};
use params::{Params, Sort};

/// Longest a request may take before it is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Requests handled at once; more wait.
pub const MAX_CONCURRENT_REQUESTS: usize = 256;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The index folder.
    pub index: std::path::PathBuf,
    /// Where to listen.
    pub bind: SocketAddr,
    /// An origin allowed to call the API from a browser (CORS), if any.
    pub cors: Option<String>,
    /// Open a browser at the address.
    pub open: bool,
}

/// The search request of these parameters (`limit` as given).
pub(crate) fn search_request(p: &Params, limit: Option<usize>) -> Result<SearchRequest, ApiError> {
    let mut notes = Vec::new();
    let filters = p.filters.resolve(&mut notes)?;
    if p.q.trim().is_empty() && filters.is_empty() {
        return Err(ApiError::bad_request(
            "empty query",
            "type at least one word, or give a filter such as authority=Leeds",
        ));
    }
    Ok(SearchRequest {
        query: p.q.clone(),
        filters,
        options: MatchOptions { exact: p.exact },
        limit,
        detail: Default::default(),
        explain: p.explain,
    })
}

/// The page request of these parameters.
pub(crate) fn page_request(p: &Params) -> Result<PageRequest, ApiError> {
    Ok(PageRequest {
        search: search_request(p, None)?,
        order: match p.sort {
            Sort::Relevance => Order::Relevance,
            Sort::Date => Order::Date,
        },
        offset: p.offset,
        n: p.n,
        group: p.group,
    })
}

/// The trend of a view's query by `by`, under its filters; `matched`, when
/// given, is the query's matches already grouped by document.
pub(crate) fn trend_of(
    reader: &Reader,
    p: &Params,
    by: crate::analysis::FacetBy,
    matched: Option<&crate::analysis::MatchedDocuments>,
) -> Result<crate::analysis::trend::Trend, ApiError> {
    let request = search_request(p, None)?;
    let request = crate::analysis::trend::TrendRequest {
        queries: vec![p.q.clone()],
        filters: request.filters,
        options: request.options,
        by,
    };
    Ok(match matched {
        Some(m) => {
            crate::analysis::trend::trend_of_matches(reader, &request, std::slice::from_ref(m))?
        }
        None => crate::analysis::trend::trend(reader, &request)?,
    })
}

/// Run `work` with a reader of the last commit on a blocking thread, at most
/// [`AppState::searches`] at once.
pub(crate) async fn blocking<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce(Arc<Reader>) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let _permit = state.searches.acquire().await.map_err(ApiError::internal)?;
    let state = state.clone();
    tokio::task::spawn_blocking(move || work(state.reader()?))
        .await
        .map_err(ApiError::internal)?
}

async fn css() -> impl axum::response::IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("assets/app.css"),
    )
}

async fn js() -> impl axum::response::IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("assets/app.js"),
    )
}

/// What a browser may do with our pages: only our own script and style, no
/// inline script, no framing.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The application: routes and limits, for a server or an in-process test.
pub fn router(state: Arc<AppState>, cors: Option<&str>) -> Router {
    let api = Router::new()
        .route("/search", get(api::search))
        .route("/count", get(api::count))
        .route("/facets", get(api::facets))
        .route("/mentions", get(api::mentions))
        .route("/docs", get(api::docs_list))
        .route("/docs/{id}", get(api::doc))
        .route("/trend", get(api::trend))
        .route("/{file}", get(api::export))
        .fallback(api::unknown);
    let mut api = api;
    if let Some(origin) = cors.and_then(|o| HeaderValue::from_str(o).ok()) {
        api = api.layer(SetResponseHeaderLayer::overriding(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            origin,
        ));
    }
    Router::new()
        .route("/", get(page::search))
        .route("/doc/{id}", get(page::document))
        .route("/doc/{id}/file", get(page::file))
        .route("/doc/{id}/pdf", get(page::pdf))
        .route("/feed.atom", get(feed::search_feed))
        .route("/watch/{file}", get(feed::watch_feed))
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
        .nest("/api", api)
        .fallback(page::not_found)
        .method_not_allowed_fallback(|| async {
            ApiError {
                status: StatusCode::METHOD_NOT_ALLOWED,
                error: "only GET is served".into(),
                hint: "ofsearch serve is read-only".into(),
            }
        })
        // A route that sets its own policy (an original file) keeps it.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(16 * 1024))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
            MAX_CONCURRENT_REQUESTS,
        ))
        .with_state(state)
}

/// Serve until Ctrl-C (or SIGTERM).
pub fn run(options: ServeOptions) -> anyhow::Result<()> {
    use anyhow::Context;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server's runtime")?;
    runtime.block_on(async move {
        // Fail now, not on the first request, when the index cannot be
        // read or any of its files is damaged (every file is read).
        crate::index::check::check(&options.index)?.into_result()?;
        let state = Arc::new(AppState::new(options.index.clone()));
        state
            .reader()
            .map_err(|e| anyhow::anyhow!("{} (hint: {})", e.error, e.hint))?;
        let listener = tokio::net::TcpListener::bind(options.bind)
            .await
            .with_context(|| format!("cannot listen on {}", options.bind))?;
        let addr = listener.local_addr()?;
        let url = format!("http://{addr}/");
        eprintln!(
            "ofsearch: serving {} on {url} (Ctrl-C to stop)",
            options.index.display()
        );
        if options.open {
            if let Err(e) = webbrowser::open(&url) {
                eprintln!("ofsearch: could not open a browser: {e}");
            }
        }
        let app = router(state, options.cors.as_deref());
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown())
            .await
            .context("serving")?;
        eprintln!("ofsearch: stopped");
        Ok(())
    })
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
