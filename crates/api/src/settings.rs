//! The workspace's settings: where the business is, which the AI agent reads times and
//! phone numbers by.

use serde::{Deserialize, Serialize};

use crate::requests::present;

/// `GET /settings`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceSettings {
    /// The business's IANA time zone ("America/Sao_Paulo"): "tomorrow at 10" and opening
    /// hours are read in it, and a booking's time becomes an instant. Null: the time zone
    /// of the region.
    pub time_zone: Option<String>,
    /// The business's region (ISO 3166-1 alpha-2, "BR"): a phone number written without a
    /// country code is read as this region's. Null: the region the knowledge points to (its
    /// phone numbers, its currency).
    pub region: Option<String>,
    /// What the AI agent goes by now: `timeZone`, or the region's. Null: UTC.
    pub agent_time_zone: Option<String>,
    /// What the AI agent goes by now: `region`, or the knowledge's. Null: none, so only
    /// numbers written with a country code are read.
    pub agent_region: Option<String>,
    /// Every `timeZone` this server accepts (its IANA database's names), for a form to
    /// offer: a client's own list can name zones the server's does not.
    #[serde(default)]
    pub time_zones: Vec<String>,
    /// Every `region` this server accepts (regions with phone numbers of their own).
    #[serde(default)]
    pub regions: Vec<String>,
}

/// `PATCH /settings` (admin): a field left out stays, `null` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatchSettingsRequest {
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub time_zone: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub region: Option<Option<String>>,
}
