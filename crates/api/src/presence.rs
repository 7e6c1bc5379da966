//! Who is looking at or typing in a conversation right now: live, never stored.

use serde::{Deserialize, Serialize};

wire_enum!(
    /// `idle` leaves the conversation at once.
    PresenceState { Viewing => "viewing", Typing => "typing", Idle => "idle" }
);

/// `POST /conversations/{id}/presence`. Repeat it while it holds: it expires by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PresenceRequest {
    pub state: PresenceState,
}

/// One member's presence in a conversation, as the live stream carries it
/// (`event: presence`) and the presence routes return it. Past `expiresAt` it no longer
/// holds, whether or not an `idle` arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Presence {
    pub conversation_id: String,
    pub member_id: String,
    pub member_name: String,
    pub state: PresenceState,
    pub expires_at: String,
}
