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
use crate::profiles::Profiles;
use crate::secrets::SecretStore;
use crate::settings::{self, NotificationSettings};
use crate::views::{Overview, WorkspaceMode};

/// How long a send waits before it goes, so the agent can take it back.
pub const DEFAULT_UNDO_WINDOW: Duration = Duration::from_secs(5);
/// A remote workspace that does not answer this fast at start opens from the cache.
const START_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Where the local workspace, the workspaces list and the caches live (the OS's app
    /// data folder).
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

    /// The remote workspaces (profiles) of the desktop app.
    pub fn profiles_dir(&self) -> PathBuf {
        self.data_dir.join("workspaces")
    }
}

/// Who this app is in the workspace: read from `/me`, or remembered for an offline start.
#[derive(Debug, Clone)]
pub(crate) struct Identity {
    pub workspace_name: String,
    pub member_id: String,
    pub member_name: String,
    pub key_id: String,
    pub admin: bool,
}

impl From<&MeResponse> for Identity {
    fn from(me: &MeResponse) -> Self {
        Self {
            workspace_name: me.workspace.name.clone(),
            member_id: me.member.id.clone(),
            member_name: me.member.name.clone(),
            key_id: me.key.id.clone(),
            admin: me.key.scopes.contains(&Scope::Admin),
        }
    }
}

/// Where the app's own key lives, so a rotation can put the new one there.
#[derive(Debug, Clone)]
pub(crate) enum KeyHome {
    Local { account: String },
    Profile { name: String },
}

/// A running app session: the workspace connection, the cache and its sync engine.
pub struct App {
    pub(crate) engine: Arc<SyncEngine>,
    pub(crate) identity: RwLock<Identity>,
    pub(crate) undo_window: Duration,
    pub(crate) notices: NoticeState,
    pub(crate) secrets: Arc<dyn SecretStore>,
    pub(crate) config: AppConfig,
    pub(crate) key_home: KeyHome,
    settings_path: PathBuf,
    mode: WorkspaceMode,
    /// The in-process server of the local workspace, taken out at shutdown.
    server: Mutex<Option<RunningServer>>,
    stop: watch::Sender<bool>,
}

impl App {
    /// Opens the workspace chosen last: a remote one (a profile), else the local workspace
    /// with its demo data. Returns once the cache has caught up (or, offline, at once), so
    /// the first paint is complete.
    pub async fn start(config: AppConfig, secrets: Arc<dyn SecretStore>) -> Result<Self, CoreError> {
        let dir = config.profiles_dir();
        let profiles = tokio::task::spawn_blocking(move || Profiles::open(&dir))
            .await
            .map_err(|e| CoreError::Internal(e.to_string()))??;
        match profiles.current().map(|p| p.name.clone()) {
            Some(name) => Self::open_remote(config, secrets, profiles, name).await,
            None => Self::open_local(config, secrets).await,
        }
    }

    async fn open_local(config: AppConfig, secrets: Arc<dyn SecretStore>) -> Result<Self, CoreError> {
        let local = local::start(&config.data_dir, config.simulate_every, &secrets).await?;
        let me = local.client.me().await?;
        let cache = config.data_dir.join("cache").join(format!("{}.sqlite3", me.workspace.id));
        let home = KeyHome::Local { account: local::account(&me.workspace.id) };
        let parts = Parts { client: local.client, identity: Identity::from(&me), cache, home };
        Self::assemble(config, secrets, parts, WorkspaceMode::Local, Some(local.server)).await
    }

    async fn open_remote(
        config: AppConfig,
        secrets: Arc<dyn SecretStore>,
        mut profiles: Profiles,
        name: String,
    ) -> Result<Self, CoreError> {
        let client = profiles.client(&secrets, &name).await?;
        let profile = profiles.get(&name).cloned().ok_or(CoreError::NotFound("profile"))?;
        let identity = match tokio::time::timeout(START_TIMEOUT, client.me()).await {
            Ok(Ok(me)) => {
                profiles.record_identity(&name, &me.member.id, &me.key.id)?;
                Identity::from(&me)
            }
            // Offline (or slow): open the cache as who the key was last time.
            Ok(Err(e)) if e.is_network() => remembered(&profile)?,
            Err(_) => remembered(&profile)?,
            Ok(Err(e)) => return Err(e.into()),
        };
        let parts = Parts { client, identity, cache: profiles.cache_path(&name), home: KeyHome::Profile { name } };
        Self::assemble(config, secrets, parts, WorkspaceMode::Remote, None).await
    }

    async fn assemble(
        config: AppConfig,
        secrets: Arc<dyn SecretStore>,
        parts: Parts,
        mode: WorkspaceMode,
        server: Option<RunningServer>,
    ) -> Result<Self, CoreError> {
        let cache = parts.cache;
        let store = tokio::task::spawn_blocking(move || {
            if let Some(dir) = cache.parent() {
                std::fs::create_dir_all(dir).map_err(|e| CoreError::Io(format!("{}: {e}", dir.display())))?;
            }
            Ok::<_, CoreError>(Store::open(&cache)?)
        })
        .await
        .map_err(|e| CoreError::Internal(e.to_string()))??;
        let engine = Arc::new(SyncEngine::new(parts.client, Arc::new(Mutex::new(store))));
        // A first catch-up before returning, with the members the rows name (assignees,
        // authors), so the first paint and the first action see them; failures here are
        // retried by the engine.
        let first = async {
            engine.catch_up().await?;
            engine.refresh_reference().await
        };
        match tokio::time::timeout(START_TIMEOUT, first).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "initial sync failed; showing the cache"),
            Err(_) => tracing::warn!("initial sync is slow; showing the cache while it goes on"),
        }
        let settings_path = settings::path(&config.data_dir);
        let loaded = settings::load(&settings_path);
        let notices = NoticeState { settings: Arc::new(RwLock::new(loaded)), ..Default::default() };
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(engine.clone().run(stopped.clone()));
        tokio::spawn(engine.clone().push_forever(stopped));
        Ok(Self {
            engine,
            identity: RwLock::new(parts.identity),
            undo_window: config.undo_window,
            notices,
            secrets,
            config,
            key_home: parts.home,
            settings_path,
            mode,
            server: Mutex::new(server),
            stop,
        })
    }

    /// Sync status changes and cache changes, for pushing to the UI.
    pub fn subscribe(&self) -> broadcast::Receiver<SyncEvent> {
        self.engine.subscribe()
    }

    pub fn config(&self) -> &AppConfig {
        &self.config
    }

    pub fn secrets(&self) -> &Arc<dyn SecretStore> {
        &self.secrets
    }

    /// Flips to `true` when the app shuts down: for tasks that follow it.
    pub fn stopped(&self) -> watch::Receiver<bool> {
        self.stop.subscribe()
    }

    pub fn overview(&self) -> Overview {
        let me = self.identity();
        Overview {
            workspace_name: me.workspace_name,
            member_id: me.member_id,
            member_name: me.member_name,
            is_admin: me.admin,
            mode: self.mode,
            server_url: self.client().base_url().origin().ascii_serialization(),
            status: self.engine.status(),
        }
    }

    pub(crate) fn identity(&self) -> Identity {
        match self.identity.read() {
            Ok(i) => i.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The client in use (its key changes when the app rotates it).
    pub(crate) fn client(&self) -> Client {
        self.engine.client()
    }

    pub(crate) async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, CoreError> + Send + 'static,
    ) -> Result<T, CoreError> {
        self.engine.on_store(f).await
    }

    pub(crate) fn member_id(&self) -> String {
        self.identity().member_id
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

    pub async fn shutdown(&self) {
        let _ = self.stop.send(true);
        let server = self.server.lock().ok().and_then(|mut s| s.take());
        if let Some(server) = server {
            server.shutdown().await;
        }
    }
}

struct Parts {
    client: Client,
    identity: Identity,
    cache: PathBuf,
    home: KeyHome,
}

fn remembered(p: &crate::profiles::Profile) -> Result<Identity, CoreError> {
    let (Some(member_id), Some(key_id)) = (p.member_id.clone(), p.key_id.clone()) else {
        return Err(CoreError::Config(format!(
            "{} cannot be reached and has not been opened online yet on this computer",
            p.base_url
        )));
    };
    Ok(Identity {
        workspace_name: p.workspace_name.clone(),
        member_id,
        member_name: p.member_name.clone(),
        key_id,
        admin: p.scopes.iter().any(|s| s == "admin"),
    })
}
