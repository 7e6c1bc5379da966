use serde::{Deserialize, Serialize};

/// Stable, machine-readable error codes. The string form is part of the API contract:
/// never rename a variant's wire name, only add new ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidJson,
    InvalidBody,
    InvalidQuery,
    InvalidParameter,
    MissingApiKey,
    InvalidApiKey,
    InsufficientScope,
    NotFound,
    RouteNotFound,
    MethodNotAllowed,
    Conflict,
    /// The resource's state does not allow this (e.g. a delivery report for a note).
    InvalidState,
    /// WhatsApp accepts free text only within 24 hours of the contact's last message;
    /// outside it, send a template.
    OutsideCareWindow,
    IdempotencyKeyReused,
    IdempotencyKeyInUse,
    /// A webhook URL that points into a private, loopback, link-local or metadata network.
    UrlNotAllowed,
    /// The `url` given to `/ai/reply` could not be fetched or read as text.
    UrlUnreadable,
    /// The language model provider failed or timed out.
    AiUpstreamFailed,
    /// A channel notification whose signature (`X-Hub-Signature-256`) is missing or wrong.
    InvalidSignature,
    /// The WhatsApp subscription handshake named another verify token.
    VerifyTokenMismatch,
    /// WhatsApp cannot deliver to this recipient (not on WhatsApp, not allowed, blocked).
    InvalidRecipient,
    /// The channel's credentials were refused by its provider (an expired access token).
    ChannelAuthFailed,
    /// WhatsApp refused the template (unknown, not approved, wrong parameters).
    TemplateRejected,
    /// The request's `Origin` is not one the web widget inbox allows.
    OriginNotAllowed,
    /// A time that must be in the future (a snooze, a key's expiry) is not.
    TimeNotInFuture,
    /// Each bound is valid but together they are not (`from` after `to`, too long a span).
    InvalidRange,
    /// A template body whose `{{n}}` parameters are not numbered 1, 2, 3… or not closed.
    InvalidTemplate,
    /// A secret (a new key, a signing secret) was shown once, to the first request with this
    /// `Idempotency-Key`, and is not kept: rotate to get a new one. The server answers such
    /// a replay with the object and `secretWithheld`; clients report it with this code.
    SecretShownOnce,
    PayloadTooLarge,
    UnsupportedMediaType,
    RateLimited,
    UpstreamFailed,
    Unavailable,
    Internal,
    /// A code this client version does not know yet (a newer server).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidJson => "invalid_json",
            Self::InvalidBody => "invalid_body",
            Self::InvalidQuery => "invalid_query",
            Self::InvalidParameter => "invalid_parameter",
            Self::MissingApiKey => "missing_api_key",
            Self::InvalidApiKey => "invalid_api_key",
            Self::InsufficientScope => "insufficient_scope",
            Self::NotFound => "not_found",
            Self::RouteNotFound => "route_not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict => "conflict",
            Self::InvalidState => "invalid_state",
            Self::OutsideCareWindow => "outside_care_window",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::IdempotencyKeyInUse => "idempotency_key_in_use",
            Self::UrlNotAllowed => "url_not_allowed",
            Self::UrlUnreadable => "url_unreadable",
            Self::AiUpstreamFailed => "ai_upstream_failed",
            Self::InvalidSignature => "invalid_signature",
            Self::VerifyTokenMismatch => "verify_token_mismatch",
            Self::InvalidRecipient => "invalid_recipient",
            Self::ChannelAuthFailed => "channel_auth_failed",
            Self::TemplateRejected => "template_rejected",
            Self::OriginNotAllowed => "origin_not_allowed",
            Self::TimeNotInFuture => "time_not_in_future",
            Self::InvalidRange => "invalid_range",
            Self::InvalidTemplate => "invalid_template",
            Self::SecretShownOnce => "secret_shown_once",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::RateLimited => "rate_limited",
            Self::UpstreamFailed => "upstream_failed",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
            Self::Unknown => "unknown",
        }
    }

    /// The HTTP status the server answers with for this code.
    pub fn http_status(self) -> u16 {
        match self {
            Self::InvalidJson
            | Self::InvalidBody
            | Self::InvalidQuery
            | Self::InvalidParameter
            | Self::UrlNotAllowed => 400,
            Self::MissingApiKey | Self::InvalidApiKey | Self::InvalidSignature => 401,
            Self::InsufficientScope | Self::VerifyTokenMismatch | Self::OriginNotAllowed => 403,
            Self::NotFound | Self::RouteNotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict | Self::InvalidState | Self::IdempotencyKeyInUse | Self::SecretShownOnce => 409,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::IdempotencyKeyReused
            | Self::OutsideCareWindow
            | Self::UrlUnreadable
            | Self::InvalidRecipient
            | Self::TemplateRejected
            | Self::TimeNotInFuture
            | Self::InvalidRange
            | Self::InvalidTemplate => 422,
            Self::RateLimited => 429,
            Self::UpstreamFailed | Self::AiUpstreamFailed | Self::ChannelAuthFailed => 502,
            Self::Unavailable => 503,
            Self::Internal | Self::Unknown => 500,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Body of every error response: `{"error": "human text", "code": "stable_code"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: String,
    pub code: ErrorCode,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_name_matches_as_str() {
        for code in [
            ErrorCode::InvalidJson,
            ErrorCode::MissingApiKey,
            ErrorCode::RouteNotFound,
            ErrorCode::PayloadTooLarge,
            ErrorCode::UrlNotAllowed,
            ErrorCode::UrlUnreadable,
            ErrorCode::AiUpstreamFailed,
            ErrorCode::InvalidSignature,
            ErrorCode::VerifyTokenMismatch,
            ErrorCode::InvalidRecipient,
            ErrorCode::ChannelAuthFailed,
            ErrorCode::TemplateRejected,
            ErrorCode::OriginNotAllowed,
            ErrorCode::SecretShownOnce,
            ErrorCode::TimeNotInFuture,
            ErrorCode::InvalidRange,
            ErrorCode::InvalidTemplate,
            ErrorCode::Internal,
        ] {
            let json = serde_json::to_string(&code).expect("serialize");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn unknown_codes_from_newer_servers_parse() {
        let body: ErrorBody = serde_json::from_str(r#"{"error":"x","code":"brand_new_code"}"#).expect("parse");
        assert_eq!(body.code, ErrorCode::Unknown);
    }
}
