use serde::{Deserialize, Serialize};

/// `POST /ai/reply`: compatible with the CAAC Go request (`message`, `url`, `context`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AiReplyRequest {
    /// What the visitor asked.
    pub message: String,
    /// A web page to answer from (fetched by the server; private addresses are refused).
    #[serde(default)]
    pub url: Option<String>,
    /// Text to answer from, e.g. a price list.
    #[serde(default)]
    pub context: Option<String>,
    /// A conversation of this workspace whose messages are read as well.
    #[serde(default)]
    pub conversation_id: Option<String>,
}

/// Where part of an answer came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AiSource {
    pub title: String,
    pub url: Option<String>,
    pub excerpt: String,
}

/// The drafted reply. `reply` is a string, as in the CAAC Go response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AiReply {
    pub reply: String,
    pub sources: Vec<AiSource>,
    /// 0 to 1.
    pub confidence: f64,
    /// True when the reply is a guess a person should check before it goes out.
    pub low_confidence: bool,
}
