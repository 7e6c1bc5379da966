use serde::{Deserialize, Serialize};

use crate::model::{Channel, ConversationStatus, Handler, Member, Priority, Role, Scope, Workspace};

/// `GET /me`. `ok` and `workspace` are the CAAC-compatible part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeResponse {
    pub ok: bool,
    pub workspace: Workspace,
    pub member: Member,
    pub key: KeyInfo,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyInfo {
    pub id: String,
    pub prefix: String,
    pub scopes: Vec<Scope>,
}

/// `POST /messages` (CAAC-compatible): send to a phone number or a contact id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SendMessageRequest {
    pub to: String,
    /// Free text; WhatsApp accepts it only inside the 24-hour customer-care window.
    #[serde(default)]
    pub text: String,
    /// A template instead of text: the only way to open a conversation on WhatsApp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<crate::content::TemplateRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SendMessageResponse {
    pub ok: bool,
    pub id: String,
    pub conversation_id: String,
    pub contact_id: String,
}

/// `PATCH /conversations/{id}`: only the fields present change; `null` clears.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatchConversationRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ConversationStatus>,
    /// Required with `status: snoozed`, RFC 3339, in the future.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub snoozed_until: Option<Option<String>>,
    /// A member id, or `null` to unassign.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub assignee_id: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler: Option<Handler>,
    /// Replaces the labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<String>>,
}

/// Tells "absent" (outer `None`, via `default`) from "null" (`Some(None)`).
pub(crate) fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// `GET /conversations/counts`: what the inbox's views hold. `all`, `mine` and
/// `unassigned` count conversations that are not resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConversationCounts {
    pub all: i64,
    pub mine: i64,
    pub unassigned: i64,
    pub open: i64,
    pub pending: i64,
    pub snoozed: i64,
    pub resolved: i64,
}

/// `POST /members`: a teammate. There is one owner, so the role is admin or agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateMemberRequest {
    pub name: String,
    pub role: Role,
}

/// `PATCH /members/{id}`: rename, or change between admin and agent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatchMemberRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
}

/// `POST /contacts`: at least one of name, phone, email, externalId.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateContactRequest {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub external_id: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom_attributes: serde_json::Map<String, serde_json::Value>,
}

/// `PATCH /contacts/{id}`: fields present change, `null` clears; `customAttributes` is
/// merged key by key (a `null` value removes the key).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatchContactRequest {
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub name: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub phone: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub email: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub external_id: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub custom_attributes: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase")]
pub struct ListContactsQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// Text in the name, phone, email or external id.
    pub q: Option<String>,
    pub updated_since: Option<String>,
}

/// One page of a list endpoint. `next_cursor` is opaque; `None` means the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub data: Vec<T>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase")]
pub struct ListConversationsQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub status: Option<ConversationStatus>,
    pub channel: Option<Channel>,
    /// `me`, `unassigned`, or a member id.
    pub assignee: Option<String>,
    /// Conversations carrying this label (any case).
    pub label: Option<String>,
    /// Text in the contact's name, phone or email, or in the last message.
    pub q: Option<String>,
    /// Only conversations changed after this RFC 3339 time.
    pub updated_since: Option<String>,
    /// `true`: only conversations with messages from the contact the caller has not read.
    pub unread: Option<bool>,
    /// `true`: only unresolved conversations handed from the AI to a human.
    pub escalated: Option<bool>,
}

/// `POST /conversations/{id}/escalate`: hand the conversation to a human.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EscalateRequest {
    /// Why, in words the agent who picks it up reads.
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ListMessagesQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}
