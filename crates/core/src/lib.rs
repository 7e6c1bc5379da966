//! The one place for the desktop app's (and later the CLI's) use cases: start or connect to
//! a workspace, keep the cache in sync, read the inbox, send replies. The Tauri shell only
//! forwards to this.

mod app;
mod error;
mod local;
pub mod profiles;
pub mod secrets;
mod views;

pub use app::{App, AppConfig};
pub use error::{CoreError, ErrorInfo};
pub use profiles::{Profile, Profiles};
pub use secrets::{Keychain, SecretStore};
pub use switchboard_store::{Applied, InboxItem};
pub use switchboard_sync::{SyncEvent, SyncStatus};
pub use views::{Overview, Transcript, WorkspaceMode};
