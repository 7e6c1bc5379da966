use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use switchboard_api::{ErrorBody, ErrorCode};

/// Every failure inside the server. `Api` errors are the caller's fault and carry a stable
/// code; everything else is ours, logged in full and answered as a bare 500 `internal`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{message}")]
    Api { code: ErrorCode, message: String },
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("cannot open the database: {0}")]
    Open(#[from] switchboard_sqlite::OpenError),
    #[error("background task failed: {0}")]
    Task(String),
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    pub fn api(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Api { code, message: message.into() }
    }

    pub fn not_found(what: &str) -> Self {
        Self::api(ErrorCode::NotFound, format!("{what} not found"))
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::api(ErrorCode::InvalidParameter, message)
    }

    /// The code a client sees for this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Api { code, .. } => *code,
            _ => ErrorCode::Internal,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let code = self.code();
        let message = match &self {
            Self::Api { message, .. } => message.clone(),
            other => {
                tracing::error!(error = %other, "request failed");
                "internal error".to_owned()
            }
        };
        let status = StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(ErrorBody { error: message, code })).into_response()
    }
}

/// The innermost cause of an HTTP client error, without the URL (reqwest's own message
/// names it, and URLs can hold tokens); one definition for the server and the engine.
pub use switchboard_ai::error::root_cause;
