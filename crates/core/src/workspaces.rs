//! The workspaces this app can open: the local one (always there) and remote ones added
//! with a server address and an API key (verified with `/me` before anything is saved;
//! the key only in the OS keychain). Which one opens is remembered for the next start.

use std::sync::Arc;

use serde::Serialize;

use crate::app::AppConfig;
use crate::error::CoreError;
use crate::profiles::Profiles;
use crate::secrets::SecretStore;

/// The local workspace's id in the switcher.
pub const LOCAL: &str = "local";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceEntry {
    /// [`LOCAL`], or the remote workspace's profile name.
    pub id: String,
    pub name: String,
    pub base_url: Option<String>,
    pub member_name: Option<String>,
    pub current: bool,
    pub local: bool,
}

async fn open(config: &AppConfig) -> Result<Profiles, CoreError> {
    let dir = config.profiles_dir();
    tokio::task::spawn_blocking(move || Profiles::open(&dir)).await.map_err(|e| CoreError::Internal(e.to_string()))?
}

pub async fn list(config: &AppConfig) -> Result<Vec<WorkspaceEntry>, CoreError> {
    let profiles = open(config).await?;
    let current = profiles.current().map(|p| p.name.clone());
    let mut out = vec![WorkspaceEntry {
        id: LOCAL.into(),
        name: "Local workspace (demo)".into(),
        base_url: None,
        member_name: None,
        current: current.is_none(),
        local: true,
    }];
    out.extend(profiles.list().iter().map(|p| WorkspaceEntry {
        id: p.name.clone(),
        name: p.workspace_name.clone(),
        base_url: Some(p.base_url.clone()),
        member_name: Some(p.member_name.clone()),
        current: current.as_deref() == Some(p.name.as_str()),
        local: false,
    }));
    Ok(out)
}

/// Adds a remote workspace and makes it the one to open; the caller reopens the app.
pub async fn add(
    config: &AppConfig,
    secrets: &Arc<dyn SecretStore>,
    name: &str,
    base_url: &str,
    key: &str,
) -> Result<(), CoreError> {
    let mut profiles = open(config).await?;
    profiles.add(secrets, name.trim(), base_url, key).await?;
    profiles.choose(name.trim()).map(|_| ())
}

/// Makes `id` the workspace to open ([`LOCAL`] for the local one).
pub async fn choose(config: &AppConfig, id: &str) -> Result<(), CoreError> {
    let mut profiles = open(config).await?;
    if id == LOCAL { profiles.choose_local() } else { profiles.choose(id).map(|_| ()) }
}

/// Forgets a remote workspace: its cache file and its key in the keychain go too.
pub async fn remove(config: &AppConfig, secrets: &Arc<dyn SecretStore>, id: &str) -> Result<(), CoreError> {
    if id == LOCAL {
        return Err(CoreError::InvalidInput("the local workspace cannot be removed".into()));
    }
    open(config).await?.remove(secrets, id).await
}
