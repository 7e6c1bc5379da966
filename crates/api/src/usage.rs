use serde::{Deserialize, Serialize};

/// `GET /usage?from&to&period`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct UsageQuery {
    /// First day, `YYYY-MM-DD` (UTC); default 29 days before `to`.
    pub from: Option<String>,
    /// Last day, included, `YYYY-MM-DD` (UTC); default today.
    pub to: Option<String>,
    /// `day` (default) or `month`.
    pub period: Option<String>,
}

/// Activity in one period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UsageCounts {
    pub messages_in: i64,
    /// Sent by people (members).
    pub messages_out: i64,
    /// Sent by the AI agent.
    pub ai_replies: i64,
    /// Conversations that got at least one reply (human or AI).
    pub conversations_handled: i64,
    /// Contacts who wrote at least once.
    pub active_contacts: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UsagePeriod {
    /// `YYYY-MM-DD` for a day, `YYYY-MM` for a month.
    pub start: String,
    #[serde(flatten)]
    pub counts: UsageCounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub period: String,
    pub from: String,
    pub to: String,
    /// Only periods with activity.
    pub data: Vec<UsagePeriod>,
    /// Over the whole range (distinct contacts and conversations counted once).
    pub totals: UsageCounts,
}
