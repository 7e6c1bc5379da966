use std::time::Duration;

use switchboard_api::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server answered with an error body (or a bare error status).
    #[error("{message} ({code})")]
    Api { status: u16, code: ErrorCode, message: String, retry_after: Option<Duration> },
    /// No answer: connection refused, DNS, TLS, timeout.
    #[error("cannot reach the workspace server: {0}")]
    Network(String),
    /// An answer we could not read.
    #[error("unexpected response from the server: {0}")]
    InvalidResponse(String),
    #[error("not a valid server address: {0}")]
    InvalidUrl(String),
}

impl ClientError {
    pub(crate) fn network(e: reqwest::Error) -> Self {
        // reqwest's Display can include the URL, never the Authorization header.
        Self::Network(e.without_url().to_string())
    }

    /// A stable code for callers and UIs: the server's code, or one of ours.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Api { code, .. } => code.as_str(),
            Self::Network(_) => "network_error",
            Self::InvalidResponse(_) => "invalid_response",
            Self::InvalidUrl(_) => "invalid_url",
        }
    }

    pub fn api_code(&self) -> Option<ErrorCode> {
        match self {
            Self::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    pub fn is_network(&self) -> bool {
        matches!(self, Self::Network(_))
    }

    pub(crate) fn is_retryable(&self) -> bool {
        match self {
            Self::Network(_) => true,
            Self::Api { status, .. } => matches!(status, 429 | 502 | 503 | 504),
            _ => false,
        }
    }

    pub(crate) fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api { retry_after, .. } => retry_after.map(|d| d.min(Duration::from_secs(30))),
            _ => None,
        }
    }
}
