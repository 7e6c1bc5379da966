//! The one place for the desktop app's (and later the CLI's) use cases: start or connect to
//! a workspace, keep the cache in sync, read the inbox, send replies. The Tauri shell only
//! forwards to this.

mod actions;
pub mod admin;
mod app;
mod compose;
mod error;
mod files;
mod inbox;
mod local;
mod notices;
pub mod notify;
pub mod profiles;
mod records;
pub mod secrets;
pub mod settings;
mod views;
pub mod workspaces;

pub use app::{App, AppConfig, DEFAULT_UNDO_WINDOW};
pub use error::{CoreError, ErrorInfo};
pub use notify::NotificationStatus;
pub use profiles::{Profile, Profiles};
pub use secrets::{Keychain, SecretStore};
pub use settings::NotificationSettings;
pub use switchboard_store::{Applied, InboxItem, InboxSort, OutboxEntry, OutboxState};
pub use switchboard_sync::{SyncEvent, SyncStatus};
pub use views::{
    CareWindow, Compose, ContactEdit, ContactPanel, ConversationAction, Draft, InboxQuery, InboxView, Overview,
    SearchResults, SendRequest, Transcript, WorkspaceMode,
};
