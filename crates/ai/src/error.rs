//! What can go wrong in the engine, with the wire's stable code: the server hands it to
//! the caller as it is (a page that cannot be read, a model that failed).

use switchboard_api::ErrorCode;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct AiError {
    pub code: ErrorCode,
    pub message: String,
}

impl AiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }

    /// A page that could not be read.
    pub fn unreadable(why: impl std::fmt::Display) -> Self {
        Self::new(ErrorCode::UrlUnreadable, format!("url could not be read: {why}"))
    }

    /// The language model failed (unreachable, an error answer, an unusable answer).
    pub fn upstream(why: impl std::fmt::Display) -> Self {
        Self::new(ErrorCode::AiUpstreamFailed, format!("the language model failed: {why}"))
    }

    /// Something of ours (an HTTP client that could not be built).
    pub fn internal(why: impl std::fmt::Display) -> Self {
        Self::new(ErrorCode::Internal, why.to_string())
    }
}

/// The innermost cause of a failed request ("connection refused", "dns error: …"):
/// reqwest's own message is "error sending request for url (…)", and URLs can hold tokens.
pub fn root_cause(e: &reqwest::Error) -> String {
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    let mut innermost = None;
    while let Some(s) = source {
        innermost = Some(s.to_string());
        source = s.source();
    }
    innermost.unwrap_or_else(|| "the request failed".to_owned())
}
