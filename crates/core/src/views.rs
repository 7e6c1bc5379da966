use serde::Serialize;
use switchboard_api::Message;
use switchboard_store::InboxItem;
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
    pub member_name: String,
    pub mode: WorkspaceMode,
    pub server_url: String,
    pub status: SyncStatus,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Transcript {
    pub conversation: InboxItem,
    pub messages: Vec<Message>,
}
