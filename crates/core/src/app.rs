use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use switchboard_api::{Change, MeResponse, Message};
use switchboard_client::Client;
use switchboard_server::RunningServer;
use switchboard_store::{InboxItem, Store};
use switchboard_sync::{SyncEngine, SyncEvent};
use tokio::sync::{broadcast, watch};

use crate::error::CoreError;
use crate::local;
use crate::secrets::SecretStore;
use crate::views::{Overview, Transcript, WorkspaceMode};

const INBOX_LIMIT: u32 = 500;

#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Where the local workspace and the caches live (the OS's app data folder).
    pub data_dir: PathBuf,
    /// Pace of the demo visitor simulator; `None` turns it off.
    pub simulate_every: Option<Duration>,
}

/// A running app session: the workspace connection, the cache and its sync engine.
pub struct App {
    client: Client,
    engine: Arc<SyncEngine>,
    me: MeResponse,
    mode: WorkspaceMode,
    server: Option<RunningServer>,
    stop: watch::Sender<bool>,
}

impl App {
    /// Starts the local workspace (no remote one is configured yet), opens its cache and
    /// starts syncing. Returns once the cache has caught up, so the first paint is complete.
    pub async fn start(config: AppConfig, secrets: Arc<dyn SecretStore>) -> Result<Self, CoreError> {
        let local = local::start(&config.data_dir, config.simulate_every, &secrets).await?;
        let me = local.client.me().await?;
        let cache_path = config.data_dir.join("cache").join(format!("{}.sqlite3", me.workspace.id));
        let store = tokio::task::spawn_blocking(move || Store::open(&cache_path))
            .await
            .map_err(|e| CoreError::Internal(e.to_string()))??;
        let store = Arc::new(Mutex::new(store));
        let engine = Arc::new(SyncEngine::new(local.client.clone(), store));
        // A first catch-up before returning; failures here are retried by the engine.
        if let Err(e) = engine.catch_up().await {
            tracing::warn!(error = %e, "initial sync failed; showing the cache");
        }
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(engine.clone().run(stopped));
        Ok(Self { client: local.client, engine, me, mode: WorkspaceMode::Local, server: Some(local.server), stop })
    }

    /// Sync status changes and cache changes, for pushing to the UI.
    pub fn subscribe(&self) -> broadcast::Receiver<SyncEvent> {
        self.engine.subscribe()
    }

    pub fn overview(&self) -> Overview {
        Overview {
            workspace_name: self.me.workspace.name.clone(),
            member_name: self.me.member.name.clone(),
            mode: self.mode,
            server_url: self.client.base_url().origin().ascii_serialization(),
            status: self.engine.status(),
        }
    }

    async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, CoreError> + Send + 'static,
    ) -> Result<T, CoreError> {
        self.engine.on_store(f).await
    }

    pub async fn inbox(&self) -> Result<Vec<InboxItem>, CoreError> {
        self.with_store(|s| Ok(s.inbox(INBOX_LIMIT)?)).await
    }

    pub async fn transcript(&self, conversation_id: String) -> Result<Transcript, CoreError> {
        self.with_store(move |s| {
            let conversation = s.inbox_item(&conversation_id)?.ok_or(CoreError::NotFound("conversation"))?;
            Ok(Transcript { conversation, messages: s.transcript(&conversation_id)? })
        })
        .await
    }

    /// Sends an agent reply. The message is in the cache when this returns, before the
    /// live stream echoes it.
    pub async fn send_reply(&self, conversation_id: String, text: String) -> Result<Message, CoreError> {
        let text = text.trim().to_owned();
        if text.is_empty() {
            return Err(CoreError::InvalidInput("a reply cannot be empty".into()));
        }
        // One key per send: a retried request cannot post the reply twice.
        let idempotency_key = format!("desk_{:032x}", rand::random::<u128>());
        let message = self
            .client
            .post_message(&conversation_id, &switchboard_api::PostMessageRequest::text(text), Some(&idempotency_key))
            .await?;
        let change = Change::Message(message.clone());
        // Cursor 0: this row arrived out of band and must not advance the sync cursor.
        self.with_store(move |s| Ok(s.apply(&[change], 0).map(|_| ())?)).await?;
        Ok(message)
    }

    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        if let Some(server) = self.server {
            server.shutdown().await;
        }
    }
}
