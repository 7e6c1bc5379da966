//! What the app's use cases take and give: the UI's view of the workspace.

use serde::{Deserialize, Serialize};
use switchboard_api::{AiSource, Appointment, Channel, Contact, ConversationStatus, Lead, Message, Priority};
use switchboard_store::{ContactHit, InboxItem, InboxSort, MessageHit, OutboxEntry};
use switchboard_sync::SyncStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum WorkspaceMode {
    /// The in-process demo workspace.
    Local,
    Remote,
}

/// What the window's header shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    pub workspace_name: String,
    pub member_id: String,
    pub member_name: String,
    /// The key this app uses may manage keys and webhooks.
    pub is_admin: bool,
    pub mode: WorkspaceMode,
    pub server_url: String,
    pub status: SyncStatus,
}

/// The inbox's views, as agents name them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum InboxView {
    #[default]
    All,
    Mine,
    Unassigned,
    /// Handed to a person by the AI agent and not resolved since.
    Escalated,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InboxQuery {
    #[serde(default)]
    pub view: InboxView,
    pub status: Option<ConversationStatus>,
    pub channel: Option<Channel>,
    pub label: Option<String>,
    #[serde(default)]
    pub sort: InboxSort,
    /// The first rows only (the window paints these first, then asks for all).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// WhatsApp's customer-care window: free text only within 24 hours of the contact's last
/// message; outside it, a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CareWindow {
    /// False for channels without the rule (web chat).
    pub applies: bool,
    pub open: bool,
    /// When the window closes (or closed): the countdown's end.
    pub closes_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Transcript {
    pub conversation: InboxItem,
    pub messages: Vec<Message>,
    /// Sends of this conversation not on the server yet: held (undo), pending or failed.
    pub pending: Vec<OutboxEntry>,
    pub care_window: CareWindow,
    /// The contact's latest message: a draft made before a newer one is stale.
    pub last_inbound_message_id: Option<String>,
    /// The contact's message still waiting for an answer (nothing of ours after it, notes
    /// aside): what an AI draft answers. `None` when the last word is ours.
    pub unanswered_message_id: Option<String>,
}

/// What the composer sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Compose {
    Text {
        body: String,
    },
    /// Seen by the team only.
    Note {
        body: String,
    },
    Template {
        name: String,
        language: String,
        params: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SendRequest {
    pub conversation_id: String,
    pub compose: Compose,
    /// Send later (RFC 3339); unset sends after the undo window.
    pub send_at: Option<String>,
}

/// The AI's suggestion for the next reply, for the agent to edit and send.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub reply: String,
    pub sources: Vec<AiSource>,
    pub confidence: f64,
    pub low_confidence: bool,
    /// The contact's latest message when the draft was made.
    pub based_on_message_id: Option<String>,
}

/// What an agent does to a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ConversationAction {
    /// To a member, or `None` to unassign.
    #[serde(rename_all = "camelCase")]
    Assign {
        member_id: Option<String>,
    },
    Resolve,
    Reopen,
    /// Until a time in the future (RFC 3339).
    Snooze {
        until: String,
    },
    SetLabels {
        labels: Vec<String>,
    },
    SetPriority {
        priority: Priority,
    },
    /// The AI agent answers again.
    HandBackToAi,
    /// A person answers from now on.
    TakeOver,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ContactPanel {
    pub contact: Contact,
    pub leads: Vec<Lead>,
    pub appointments: Vec<Appointment>,
    pub conversations: Vec<InboxItem>,
}

/// Edits to a contact's details; unset fields stay, empty strings clear.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ContactEdit {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    pub messages: Vec<MessageHit>,
    pub contacts: Vec<ContactHit>,
}
