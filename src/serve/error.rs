//! Errors a request can meet, as HTTP statuses with a one-line message and a hint.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::analysis::docs::ShowError;
use crate::query::{QueryError, SearchError};

/// An error answer: `{"error": …, "hint": …}` for the API, a message on the page.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// What went wrong, one line.
    pub error: String,
    /// How to put it right.
    pub hint: String,
}

impl ApiError {
    /// 400 with a message and a hint.
    pub fn bad_request(error: impl Into<String>, hint: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            error: error.into(),
            hint: hint.into(),
        }
    }

    /// 404 for a document or page that does not exist.
    pub fn not_found(error: impl Into<String>, hint: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            error: error.into(),
            hint: hint.into(),
        }
    }

    /// 503 when the index cannot be read.
    pub fn unavailable(e: impl std::fmt::Display) -> ApiError {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            error: one_line(&e.to_string()),
            hint: "check the index folder, or run ofsearch ingest".into(),
        }
    }

    /// 500 for a bug.
    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            error: one_line(&e.to_string()),
            hint: "please report this with the request".into(),
        }
    }
}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> ApiError {
        ApiError::bad_request(format!("bad query: {}", e.message), e.hint)
    }
}

impl From<SearchError> for ApiError {
    fn from(e: SearchError) -> ApiError {
        match e {
            SearchError::Query(q) => q.into(),
            SearchError::Index(i) => ApiError::unavailable(i),
        }
    }
}

impl From<ShowError> for ApiError {
    fn from(e: ShowError) -> ApiError {
        match e {
            ShowError::Unknown { key, .. } => ApiError::not_found(
                format!("no document '{key}' in the index"),
                "use a doc_id from /api/docs or /api/search",
            ),
            ShowError::Index(i) => ApiError::unavailable(i),
        }
    }
}

impl From<crate::index::IndexError> for ApiError {
    fn from(e: crate::index::IndexError) -> ApiError {
        ApiError::unavailable(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": self.error, "hint": self.hint});
        (self.status, axum::Json(body)).into_response()
    }
}

/// Messages are one line: white space folded.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
