use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use switchboard_api::{MeResponse, Scope};
use switchboard_client::Client;
use switchboard_server::RunningServer;
use switchboard_store::Store;
use switchboard_sync::{SyncEngine, SyncEvent};
use tokio::sync::{broadcast, watch};

use crate::error::CoreError;
use crate::local;
use crate::notices::NoticeState;
use crate::notify::{self, Notice, NotificationStatus};
use crate::secrets::SecretStore;
use crate::settings::{self, NotificationSettings};
use crate::views::{Overview, WorkspaceMode};

/// How long a send waits before it goes, so the agent can take it back.
pub const DEFAULT_UNDO_WINDOW: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Where the local workspace and the caches live (the OS's app data folder).
    pub data_dir: PathBuf,
    /// Pace of the demo visitor simulator; `None` turns it off.
    pub simulate_every: Option<Duration>,
    /// How long a send can be undone ([`DEFAULT_UNDO_WINDOW`]); zero sends at once.
    pub undo_window: Duration,
}

impl AppConfig {
    pub fn new(data_dir: PathBuf) -> Self {
        Self { data_dir, simulate_every: None, undo_window: DEFAULT_UNDO_WINDOW }
    }
}

/// A running app session: the workspace connection, the cache and its sync engine.
pub struct App {
    pub(crate) client: Client,
    pub(crate) engine: Arc<SyncEngine>,
    pub(crate) me: MeResponse,
    pub(crate) undo_window: Duration,
    pub(crate) notices: NoticeState,
    settings_path: PathBuf,
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
        let settings_path = settings::path(&config.data_dir);
        let loaded = settings::load(&settings_path);
        let notices = NoticeState { settings: Arc::new(RwLock::new(loaded)), ..Default::default() };
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(engine.clone().run(stopped.clone()));
        tokio::spawn(engine.clone().push_forever(stopped));
        Ok(Self {
            client: local.client,
            engine,
            me,
            undo_window: config.undo_window,
            notices,
            settings_path,
            mode: WorkspaceMode::Local,
            server: Some(local.server),
            stop,
        })
    }

    /// Sync status changes and cache changes, for pushing to the UI.
    pub fn subscribe(&self) -> broadcast::Receiver<SyncEvent> {
        self.engine.subscribe()
    }

    pub fn overview(&self) -> Overview {
        Overview {
            workspace_name: self.me.workspace.name.clone(),
            member_id: self.me.member.id.clone(),
            member_name: self.me.member.name.clone(),
            is_admin: self.me.key.scopes.contains(&Scope::Admin),
            mode: self.mode,
            server_url: self.client.base_url().origin().ascii_serialization(),
            status: self.engine.status(),
        }
    }

    pub(crate) async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, CoreError> + Send + 'static,
    ) -> Result<T, CoreError> {
        self.engine.on_store(f).await
    }

    pub(crate) fn member_id(&self) -> String {
        self.me.member.id.clone()
    }

    pub fn notification_settings(&self) -> NotificationSettings {
        self.notices.settings.read().map(|s| s.notifications).unwrap_or_default()
    }

    pub async fn set_notification_settings(&self, wanted: NotificationSettings) -> Result<(), CoreError> {
        let mut next = self.notices.settings.read().map(|s| s.clone()).unwrap_or_default();
        next.notifications = wanted;
        let path = self.settings_path.clone();
        let saved = next.clone();
        tokio::task::spawn_blocking(move || settings::save(&path, &saved))
            .await
            .map_err(|e| CoreError::Internal(e.to_string()))??;
        if let Ok(mut s) = self.notices.settings.write() {
            *s = next;
        }
        Ok(())
    }

    /// Whether the OS can show notifications, and why the last one failed if it did.
    pub async fn notification_status(&self) -> NotificationStatus {
        let mut status = notify::probe().await;
        if status.error.is_none() {
            status.error = self.notices.last_error.lock().ok().and_then(|e| e.clone());
        }
        status
    }

    /// Shows a notification now, so the user sees what they will get (or why not).
    pub async fn test_notification(&self, on_click: notify::OnClick) -> Result<(), CoreError> {
        let notice = Notice {
            conversation_id: String::new(),
            title: "Notifications are on".into(),
            body: "Escalations from the AI agent will appear like this.".into(),
        };
        notify::show(notice, on_click).await
    }

    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        if let Some(server) = self.server {
            server.shutdown().await;
        }
    }
}
