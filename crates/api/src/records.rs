//! Leads, appointments, labels, message templates and knowledge entries: the workspace's
//! records besides conversations. Each carries a `seq` and syncs like a conversation.

use serde::{Deserialize, Serialize};

use crate::requests::present;

wire_enum!(LeadStatus {
    New => "new", Contacted => "contacted", Qualified => "qualified", Won => "won", Lost => "lost"
});
wire_enum!(
    /// `declined` and `cancelled` are final.
    AppointmentStatus {
        Requested => "requested", Confirmed => "confirmed", Declined => "declined", Cancelled => "cancelled"
    }
);
wire_enum!(TemplateCategory { Marketing => "marketing", Utility => "utility", Authentication => "authentication" });
wire_enum!(
    /// Only approved templates can be sent (WhatsApp's review, or the workspace's own).
    TemplateStatus { Approved => "approved", Pending => "pending", Rejected => "rejected" }
);

impl AppointmentStatus {
    pub fn is_final(self) -> bool {
        matches!(self, AppointmentStatus::Declined | AppointmentStatus::Cancelled)
    }
}

/// Someone who showed interest: captured by the AI agent from a conversation, or entered
/// by a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Lead {
    pub id: String,
    pub contact_id: Option<String>,
    pub conversation_id: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// What they are interested in, in their words.
    pub interest: Option<String>,
    pub status: LeadStatus,
    pub created_at: String,
    pub updated_at: String,
    pub seq: i64,
}

/// A booking request and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Appointment {
    pub id: String,
    pub contact_id: Option<String>,
    pub conversation_id: Option<String>,
    pub service: String,
    /// The time as the contact put it ("Tuesday after 5").
    pub preferred_time: Option<String>,
    /// The agreed start, once there is one (RFC 3339).
    pub starts_at: Option<String>,
    pub status: AppointmentStatus,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub notes: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub seq: i64,
}

/// A label conversations can carry (by name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Label {
    pub id: String,
    pub name: String,
    /// `#rrggbb`.
    pub color: String,
    pub description: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub seq: i64,
}

/// A pre-written message with numbered parameters `{{1}}`, `{{2}}`, …: on WhatsApp the
/// only way to write first or after the 24-hour window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MessageTemplate {
    pub id: String,
    /// Lowercase letters, digits and underscores, as WhatsApp requires.
    pub name: String,
    /// e.g. `en` or `en_US`.
    pub language: String,
    pub category: TemplateCategory,
    pub body: String,
    /// How many parameters the body takes.
    pub param_count: i64,
    pub status: TemplateStatus,
    pub created_at: String,
    pub updated_at: String,
    pub seq: i64,
}

/// Something the AI agent may answer from: a fact, a policy, a price list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeEntry {
    pub id: String,
    pub title: String,
    pub body: String,
    /// Where the text comes from, cited with answers.
    pub url: Option<String>,
    /// Read from a website by an import, which updates or removes it when it imports that
    /// page again. An entry a person wrote or edited is never changed by an import.
    #[serde(default)]
    pub imported: bool,
    pub created_at: String,
    pub updated_at: String,
    pub seq: i64,
}

/// How far a member has read a conversation. Messages from the contact after
/// `lastReadAt` are unread for that member; one marker per member and conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReadMarker {
    pub id: String,
    pub conversation_id: String,
    pub member_id: String,
    /// The `createdAt` of the last message read.
    pub last_read_at: String,
    pub created_at: String,
    pub updated_at: String,
    pub seq: i64,
}

/// `POST /conversations/{id}/read`: read up to a message, by default the latest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MarkReadRequest {
    #[serde(default)]
    pub message_id: Option<String>,
}

/// `POST /leads`: at least one of name, email or phone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateLeadRequest {
    /// Defaults to the conversation's contact.
    #[serde(default)]
    pub contact_id: Option<String>,
    #[serde(default)]
    pub conversation_id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub interest: Option<String>,
    /// Defaults to `new`.
    #[serde(default)]
    pub status: Option<LeadStatus>,
}

/// `PATCH /leads/{id}`: fields present change, `null` clears.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatchLeadRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<LeadStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub name: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub email: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub phone: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub interest: Option<Option<String>>,
}

/// `POST /appointments`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateAppointmentRequest {
    /// Defaults to the conversation's contact.
    #[serde(default)]
    pub contact_id: Option<String>,
    #[serde(default)]
    pub conversation_id: Option<String>,
    pub service: String,
    #[serde(default)]
    pub preferred_time: Option<String>,
    /// RFC 3339.
    #[serde(default)]
    pub starts_at: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    /// Defaults to `requested`.
    #[serde(default)]
    pub status: Option<AppointmentStatus>,
}

/// `PATCH /appointments/{id}`: fields present change, `null` clears. A declined or
/// cancelled appointment no longer changes status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatchAppointmentRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<AppointmentStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub preferred_time: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub starts_at: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub notes: Option<Option<String>>,
}

/// `POST /labels`. Names are unique in a workspace, ignoring case, and do not change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateLabelRequest {
    pub name: String,
    /// `#rrggbb`; defaults to grey.
    #[serde(default)]
    pub color: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// `PATCH /labels/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatchLabelRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub description: Option<Option<String>>,
}

/// `POST /templates`. Name and language together are unique.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateTemplateRequest {
    pub name: String,
    pub language: String,
    pub category: TemplateCategory,
    pub body: String,
    /// Defaults to `approved`.
    #[serde(default)]
    pub status: Option<TemplateStatus>,
}

/// `PATCH /templates/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatchTemplateRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<TemplateCategory>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TemplateStatus>,
}

/// `POST /knowledge`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateKnowledgeRequest {
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub url: Option<String>,
}

/// `POST /knowledge/import`: a website read into knowledge entries, one per heading.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImportKnowledgeRequest {
    /// The page to start from; pages it links to on the same site are read too.
    pub url: String,
    /// Pages read at most (1–50, default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pages: Option<u32>,
}

/// What an import read and changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeImport {
    pub pages: Vec<ImportedPage>,
    /// Pages found but not read (robots.txt, errors, limits).
    pub skipped: Vec<SkippedPage>,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Entries of pages read again whose heading is gone.
    pub removed: u32,
    /// Sections whose entry a person wrote or edited: left as the person wrote them.
    pub edited: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ImportedPage {
    pub url: String,
    pub title: String,
    /// Its sections, each an entry.
    pub entries: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SkippedPage {
    pub url: String,
    pub reason: String,
}

/// `PATCH /knowledge/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatchKnowledgeRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub url: Option<Option<String>>,
}

/// Query of the record lists: newest first, with the filters each list documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase")]
pub struct ListRecordsQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// Only rows changed after this RFC 3339 time.
    pub updated_since: Option<String>,
    /// Leads and appointments: this status. Templates: this review status.
    pub status: Option<String>,
    /// Leads and appointments: of this contact.
    pub contact_id: Option<String>,
    /// Templates: in this language.
    pub language: Option<String>,
}
