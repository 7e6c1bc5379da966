//! The Switchboard workspace server: API v1 over axum, SQLite storage, live change stream,
//! and the demo clinic with its visitor simulator. Embeddable: [`Server::start`] runs it
//! on any tokio runtime, which is how the desktop app hosts its local workspace.

mod agent_runner;
pub mod ai;
mod channel_storage;
pub mod channels;
mod db;
pub mod demo;
mod error;
mod events;
mod http;
pub mod ids;
pub mod keys;
mod presence;
mod record_storage;
mod replay;
mod server;
mod storage;
mod time;
pub mod vault;
mod webhook_storage;
pub mod webhooks;

pub use db::Db;
pub use error::Error;
pub use events::WorkspaceChange;
#[cfg(feature = "conformance")]
pub use http::conformance::Conformance;
pub use http::spec;
pub use server::{DEFAULT_RATE_LIMIT_PER_MINUTE, DatabaseLock, RunningServer, Server, ServerConfig, rotate_secret_key};
pub use storage::{AuthedKey, ConversationCursor, CreatedWorkspace, IssuedKey, Outbound, Recipient, Storage};
pub use switchboard_ai::model::ModelSettings;
pub use vault::SecretKeySource;
