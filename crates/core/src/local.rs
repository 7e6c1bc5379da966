//! The local workspace: the server crate in-process on 127.0.0.1 with the demo clinic,
//! reached over real HTTP with a real key kept in the keychain, like a remote one.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use switchboard_api::{ErrorCode, Scope};
use switchboard_client::Client;
use switchboard_server::webhooks::ssrf::TargetPolicy;
use switchboard_server::{RunningServer, Server, ServerConfig};

use crate::error::CoreError;
use crate::secrets::{self, SecretStore};

const DB_FILE: &str = "local-workspace.sqlite3";
const KEY_NAME: &str = "Switchboard desktop";

pub struct LocalWorkspace {
    pub server: RunningServer,
    pub client: Client,
}

pub fn db_path(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join(DB_FILE)
}

pub fn account(workspace_id: &str) -> String {
    format!("local-workspace/{workspace_id}")
}

pub async fn start(
    data_dir: &Path,
    simulate_every: Option<Duration>,
    secrets: &Arc<dyn SecretStore>,
) -> Result<LocalWorkspace, CoreError> {
    let mut config = ServerConfig {
        demo: true,
        simulate_every,
        ..ServerConfig::new(db_path(data_dir), SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
    };
    // The local workspace delivers to receivers on this machine.
    config.webhooks.policy = TargetPolicy { allow_loopback: true };
    let mut server = Server::start(config).await?;
    let account = account(&server.workspace().id);
    let key = match server.take_first_key() {
        Some(first) => {
            secrets::set(secrets, &account, &first.plaintext).await?;
            first.plaintext
        }
        None => match secrets::get(secrets, &account).await? {
            Some(stored) => stored,
            None => issue(&server, secrets, &account).await?,
        },
    };
    let mut client = Client::new(&server.base_url(), key)?;
    // A key revoked from another client, or a keychain restored from elsewhere: we own this
    // database, so mint a fresh key rather than locking the user out.
    if let Err(e) = client.me().await {
        if e.api_code() != Some(ErrorCode::InvalidApiKey) {
            return Err(e.into());
        }
        let key = issue(&server, secrets, &account).await?;
        client = Client::new(&server.base_url(), key)?;
    }
    Ok(LocalWorkspace { server, client })
}

async fn issue(server: &RunningServer, secrets: &Arc<dyn SecretStore>, account: &str) -> Result<String, CoreError> {
    let key = server.issue_owner_key(KEY_NAME, &[Scope::Read, Scope::Write, Scope::Admin]).await?;
    secrets::set(secrets, account, &key.plaintext).await?;
    Ok(key.plaintext)
}
