use serde::{Deserialize, Serialize};

use crate::content::{Attachment, ContactCard, Location, MessageKind, TemplateRef};

wire_enum!(Role { Owner => "owner", Admin => "admin", Agent => "agent" });
wire_enum!(Scope { Read => "read", Write => "write", Admin => "admin" });
wire_enum!(Channel { Whatsapp => "whatsapp", Web => "web" });
wire_enum!(ConversationStatus {
    Open => "open", Pending => "pending", Snoozed => "snoozed", Resolved => "resolved"
});
wire_enum!(
    /// Who answers the conversation right now: the AI agent or a human member.
    Handler { Ai => "ai", Human => "human" }
);
wire_enum!(Priority { None => "none", Low => "low", Medium => "medium", High => "high", Urgent => "urgent" });
wire_enum!(Direction { Inbound => "inbound", Outbound => "outbound" });
wire_enum!(Author { Contact => "contact", Member => "member", Ai => "ai", System => "system" });
wire_enum!(MessageStatus {
    Queued => "queued", Sent => "sent", Delivered => "delivered", Read => "read", Failed => "failed"
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Workspace {
    pub id: String,
    pub name: String,
    pub plan: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub id: String,
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    pub id: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The contact's id in another system (a CRM, a shop).
    pub external_id: Option<String>,
    /// Free-form attributes: string, number, boolean values.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom_attributes: serde_json::Map<String, serde_json::Value>,
    pub created_at: String,
    pub updated_at: String,
    pub seq: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    pub id: String,
    pub contact_id: String,
    pub channel: Channel,
    pub status: ConversationStatus,
    pub handler: Handler,
    pub assignee_id: Option<String>,
    /// When a snoozed conversation reopens by itself (it also reopens when the contact writes).
    pub snoozed_until: Option<String>,
    /// When the conversation was handed to a human (by the AI agent or an integration);
    /// cleared when it goes back to the AI.
    #[serde(default)]
    pub escalated_at: Option<String>,
    /// Why it was handed over, in words an agent reads.
    #[serde(default)]
    pub escalation_reason: Option<String>,
    pub priority: Priority,
    pub labels: Vec<String>,
    pub last_message_preview: Option<String>,
    pub last_message_at: Option<String>,
    pub last_inbound_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub seq: i64,
}

/// One message of a conversation. Internal notes (`kind: note`) are part of the transcript
/// for members but never go to the contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: String,
    pub conversation_id: String,
    pub direction: Direction,
    pub author: Author,
    pub author_id: Option<String>,
    #[serde(default)]
    pub kind: MessageKind,
    /// The text; a caption for media; the rendered text of a template.
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Attachment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_card: Option<ContactCard>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<TemplateRef>,
    /// Delivery: queued → sent → delivered → read, or failed; never backwards.
    pub status: MessageStatus,
    /// Why delivery failed, when `status` is `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The stable code of that failure (`outside_care_window`, `invalid_recipient`,
    /// `rate_limited`, `template_rejected`, `channel_auth_failed`, `upstream_failed`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<crate::ErrorCode>,
    /// The sender's Idempotency-Key, so a client can match its outbox entry.
    pub client_id: Option<String>,
    pub created_at: String,
    pub seq: i64,
}
