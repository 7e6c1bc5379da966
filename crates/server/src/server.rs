use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use switchboard_api::{Channel, Message, Scope, Workspace};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::channels::sender::{ChannelSender, SenderConfig};
use crate::db::{self, Db};
use crate::demo::{self, Simulator, SimulatorConfig};
use crate::error::Error;
use crate::http::{HttpConfig, router};
use crate::storage::{CreatedWorkspace, IssuedKey, Storage};
use crate::vault::SecretKeySource;
use crate::webhooks::engine::{Engine, EngineConfig};

#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub db_path: PathBuf,
    pub bind: SocketAddr,
    /// Seed the demo clinic when the database is empty.
    pub demo: bool,
    /// Run the visitor simulator at this pace (demo workspaces only).
    pub simulate_every: Option<Duration>,
    /// Requests a minute per API key, unless its workspace sets its own.
    pub rate_limit_per_minute: u32,
    /// How webhooks are delivered, where they may go, and the clock retries run on.
    pub webhooks: EngineConfig,
    /// Run the delivery engine. Off only in tests that drive it step by step with
    /// [`RunningServer::webhooks`].
    pub deliver_webhooks: bool,
    /// Run the AI agent on contacts' messages in conversations the AI handles.
    pub ai_agent: bool,
    /// The language model `/ai/reply` and the agent use; `None` is the built-in composer.
    /// Pages it reads follow the same target policy as webhooks.
    pub language_model: Option<switchboard_ai::model::ModelSettings>,
    /// How channels send (the sandbox number's pace); Graph URLs follow the webhooks' policy.
    pub channels: SenderConfig,
    /// Requests a minute per address to the web widget's public API.
    pub widget_rate_limit_per_minute: u32,
    /// The key that seals the secrets the server keeps (webhook secrets, channel tokens):
    /// by default a file beside the database, made on first start.
    pub secret_key: SecretKeySource,
    /// Check every answer against the OpenAPI document and keep what does not match
    /// ([`RunningServer::conformance`]). Tests only; needs the `conformance`
    /// feature.
    pub check_responses: bool,
}

impl ServerConfig {
    /// A production server on `bind` over `db_path`: no demo, the default rate limit,
    /// webhooks to public addresses only, the built-in composer and the AI agent on.
    pub fn new(db_path: PathBuf, bind: SocketAddr) -> Self {
        Self {
            db_path,
            bind,
            demo: false,
            simulate_every: None,
            rate_limit_per_minute: DEFAULT_RATE_LIMIT_PER_MINUTE,
            webhooks: EngineConfig::default(),
            deliver_webhooks: true,
            ai_agent: true,
            language_model: None,
            channels: SenderConfig::default(),
            widget_rate_limit_per_minute: DEFAULT_WIDGET_RATE_LIMIT_PER_MINUTE,
            secret_key: SecretKeySource::BesideDatabase,
            check_responses: false,
        }
    }
}

/// The default quota: generous for people and apps, a brake for runaway scripts.
pub const DEFAULT_RATE_LIMIT_PER_MINUTE: u32 = 1200;

/// A chatting visitor makes a request every two seconds (polling) plus their messages;
/// an office behind one address has several.
pub const DEFAULT_WIDGET_RATE_LIMIT_PER_MINUTE: u32 = 300;

/// Entry point for embedding and for `switchboard serve`.
pub struct Server;

/// A server running on the current tokio runtime.
pub struct RunningServer {
    /// Held while the server runs: one process owns the database.
    _owner: DatabaseLock,
    addr: SocketAddr,
    db: Db,
    workspace: Workspace,
    first_key: Option<IssuedKey>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    webhooks: Engine,
    #[cfg(feature = "conformance")]
    conformance: Option<Arc<crate::http::conformance::Conformance>>,
}

impl Server {
    /// Binds and answers at once (only `GET /` until ready, 503 elsewhere), then migrates
    /// the database and creates its workspace on first start, then reports ready.
    pub async fn start(config: ServerConfig) -> Result<RunningServer, Error> {
        let (path, source) = (config.db_path.clone(), config.secret_key.clone());
        let (owner, db) = tokio::task::spawn_blocking(move || -> Result<_, Error> {
            let owner = DatabaseLock::take(&path)?;
            let vault = load_vault(&source, &path)?;
            Ok((owner, Db::connect(&path, Arc::new(vault))?))
        })
        .await
        .map_err(|e| Error::Task(e.to_string()))??;
        let listener = TcpListener::bind(config.bind).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let ready = Arc::new(AtomicBool::new(false));
        let ai = Arc::new(crate::ai::engine(config.webhooks.policy, config.language_model.clone())?);
        #[cfg(feature = "conformance")]
        let conformance =
            config.check_responses.then(|| crate::http::conformance::Conformance::new(crate::http::spec()));
        #[cfg(not(feature = "conformance"))]
        if config.check_responses {
            tracing::warn!("check_responses needs the conformance feature; answers are not checked");
        }
        let http = HttpConfig {
            stopping: stopped.clone(),
            ready: ready.clone(),
            rate_limit_per_minute: config.rate_limit_per_minute,
            webhook_policy: config.webhooks.policy,
            ai: ai.clone(),
            widget_rate_limit_per_minute: config.widget_rate_limit_per_minute,
            graph: crate::channels::whatsapp::graph::GraphClient::new(config.webhooks.policy)?,
            #[cfg(feature = "conformance")]
            conformance: conformance.clone(),
        };
        let app = router(Arc::new(db.clone()), http);
        let mut shutdown = stopped.clone();
        let mut tasks = vec![tokio::spawn(async move {
            let graceful = async move {
                let _ = shutdown.changed().await;
            };
            if let Err(e) = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
                .with_graceful_shutdown(graceful)
                .await
            {
                tracing::error!(error = %e, "server stopped with an error");
            }
        })];

        let prepared = {
            let db = db.clone();
            let demo = config.demo;
            tokio::task::spawn_blocking(move || prepare(&db, demo)).await.map_err(|e| Error::Task(e.to_string()))
        };
        let (workspace, first_key) = match prepared {
            Ok(Ok(prepared)) => prepared,
            Ok(Err(e)) | Err(e) => {
                let _ = stop.send(true);
                for task in tasks {
                    let _ = task.await;
                }
                return Err(e);
            }
        };
        ready.store(true, Ordering::Release);

        tasks.push(tokio::spawn(wake_snoozed_every(db.clone(), SNOOZE_CHECK, stopped.clone())));
        tasks.push(tokio::spawn(db.clone().checkpoint_every(CHECKPOINT_EVERY, stopped.clone())));
        let webhooks = match Engine::new(db.clone(), config.webhooks.clone()) {
            Ok(engine) => engine,
            Err(e) => {
                let _ = stop.send(true);
                return Err(e);
            }
        };
        match ChannelSender::new(db.clone(), config.webhooks.policy, config.channels) {
            Ok(sender) => tasks.push(tokio::spawn(sender.run(stopped.clone()))),
            Err(e) => {
                let _ = stop.send(true);
                return Err(e);
            }
        }
        if config.ai_agent {
            tasks.push(tokio::spawn(crate::agent_runner::run(db.clone(), ai, stopped.clone())));
        }
        if config.deliver_webhooks {
            tasks.push(tokio::spawn(webhooks.clone().run(stopped.clone())));
        }
        if let Some(every) = config.simulate_every {
            let simulator = Simulator::new(db.clone(), workspace.id.clone(), SimulatorConfig { every });
            tasks.push(tokio::spawn(simulator.run(stopped)));
        }
        tracing::info!(%addr, workspace = %workspace.id, "workspace server listening");
        Ok(RunningServer {
            _owner: owner,
            addr,
            db,
            workspace,
            first_key,
            stop,
            tasks,
            webhooks,
            #[cfg(feature = "conformance")]
            conformance,
        })
    }
}

/// An advisory lock on `<database>.lock` for as long as a server (or a maintenance command)
/// uses the database: queues, claims and leases are released at start on the promise that
/// no other process is using them, and a key rotation must not run under a live server.
/// The operating system drops it when the process ends, however it ends.
pub struct DatabaseLock {
    _file: std::fs::File,
}

impl DatabaseLock {
    pub fn take(db_path: &std::path::Path) -> Result<Self, Error> {
        let mut name = db_path.file_name().unwrap_or_default().to_os_string();
        name.push(".lock");
        let path = db_path.with_file_name(name);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Task(format!(
                "another Switchboard server is using {} (it holds {})",
                db_path.display(),
                path.display()
            ))),
            Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
        }
    }
}

/// The server key of the database at `path`; a key file is made only for a database that
/// holds nothing sealed yet.
fn load_vault(source: &SecretKeySource, path: &std::path::Path) -> Result<crate::vault::Vault, Error> {
    let may_create = !db::sealed::holds_sealed(path);
    let vault = crate::vault::load(source, path, may_create).map_err(|e| Error::Task(e.to_string()))?;
    if vault.old_keys() > 0 {
        tracing::warn!(
            old_keys = vault.old_keys(),
            "the server key file still holds keys of an unfinished rotation; run `switchboard secret-key rotate` again"
        );
    }
    Ok(vault)
}

/// Rotates the server key of a database whose key is a file: a new key goes first in the
/// file, every secret is sealed under it, then the old keys leave the file. The server
/// must be stopped (the database's lock says so). A rotation cut short leaves the old keys
/// in the file (the next start seals everything under the first and warns); running it
/// again finishes it. Returns the new key's id and how many secrets were sealed anew.
pub fn rotate_secret_key(db_path: &std::path::Path, source: &SecretKeySource) -> Result<(String, usize), Error> {
    if !db_path.is_file() {
        return Err(Error::invalid(format!("there is no database at {}", db_path.display())));
    }
    let _owner = DatabaseLock::take(db_path)?;
    let Some(file) = source.file(db_path) else {
        return Err(Error::invalid(
            "the server key comes from SWITCHBOARD_SECRET_KEY: put a new key first in it, start the server once, \
             then remove the old key",
        ));
    };
    let vault_error = |e: crate::vault::VaultError| Error::Task(e.to_string());
    // The current key must open what is there before anything changes.
    load_vault(source, db_path)?;
    let id = crate::vault::rotate_file(&file).map_err(vault_error)?;
    let vault = crate::vault::load(source, db_path, false).map_err(vault_error)?;
    let db = Db::open(db_path, Arc::new(vault))?;
    let resealed = db.reseal_secrets()?;
    drop(db);
    crate::vault::retire_old_keys(&file).map_err(vault_error)?;
    Ok((id, resealed))
}

/// How often the WAL is copied into the database file, off the commit path.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// How often snoozed conversations are checked for their time to reopen.
const SNOOZE_CHECK: Duration = Duration::from_secs(15);

async fn wake_snoozed_every(db: Db, every: Duration, mut stop: watch::Receiver<bool>) {
    let mut ticker = tokio::time::interval(every);
    loop {
        tokio::select! {
            _ = ticker.tick() => {
                if let Err(e) = db.wake_snoozed().await {
                    tracing::warn!(error = %e, "could not reopen snoozed conversations");
                }
            }
            _ = stop.changed() => return,
        }
    }
}

/// Migrates, and on an empty database creates the workspace with its first admin key.
fn prepare(db: &Db, demo: bool) -> Result<(Workspace, Option<IssuedKey>), Error> {
    db.migrate()?;
    let resealed = db.reseal_secrets()?;
    if resealed > 0 {
        tracing::info!(resealed, "sealed the stored secrets under the current server key");
    }
    let released = db.write_blocking(|w| db::idempotency::release_claims(w.conn()))?;
    if released > 0 {
        tracing::info!(released, "released Idempotency-Key claims of requests cut short by the last stop");
    }
    if let Some(workspace) = db.write_blocking(|w| db::first_workspace(w.conn()))? {
        return Ok((workspace, None));
    }
    let created =
        if demo { demo::seed(db)? } else { db.write_blocking(|w| db::create_workspace(w, "My Workspace", "Owner"))? };
    Ok((created.workspace, Some(created.key)))
}

impl RunningServer {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// What holds this server's answers to the OpenAPI document, when `check_responses`
    /// is on.
    #[cfg(feature = "conformance")]
    pub fn conformance(&self) -> Option<Arc<crate::http::conformance::Conformance>> {
        self.conformance.clone()
    }

    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The webhook delivery engine, with the clock it runs on.
    pub fn webhooks(&self) -> &Engine {
        &self.webhooks
    }

    /// The admin key created on first start of an empty database; `None` afterwards.
    /// Taking it leaves `None`: the plaintext exists once.
    pub fn take_first_key(&mut self) -> Option<IssuedKey> {
        self.first_key.take()
    }

    /// Issues a new key for the workspace owner. For the embedding app, which owns the
    /// database, to recover when its stored key is gone.
    pub async fn issue_owner_key(&self, name: &str, scopes: &[Scope]) -> Result<IssuedKey, Error> {
        let ws = self.workspace.id.clone();
        let name = name.to_owned();
        let scopes = scopes.to_vec();
        self.db
            .write(move |w| {
                let owner: String = w.conn().query_row(
                    "SELECT id FROM members WHERE workspace_id = ?1 AND role = 'owner' ORDER BY created_at LIMIT 1",
                    [&ws],
                    |r| r.get(0),
                )?;
                db::issue_key(w.conn(), &ws, &owner, &name, &scopes, None)
            })
            .await
    }

    /// Creates another workspace in this server, with its owner and first admin key.
    pub async fn create_workspace(&self, name: &str, owner_name: &str) -> Result<CreatedWorkspace, Error> {
        let (name, owner_name) = (name.to_owned(), owner_name.to_owned());
        self.db.write(move |w| db::create_workspace(w, &name, &owner_name)).await
    }

    /// Sets a workspace's own rate limit (requests a minute per key); `None` restores the
    /// server's default.
    pub async fn set_rate_limit(&self, workspace_id: &str, per_minute: Option<u32>) -> Result<(), Error> {
        if per_minute == Some(0) {
            return Err(Error::invalid("a rate limit must allow at least one request a minute"));
        }
        let workspace_id = workspace_id.to_owned();
        self.db
            .write(move |w| {
                let changed = w.conn().execute(
                    "UPDATE workspaces SET rate_limit_per_minute = ?2 WHERE id = ?1",
                    rusqlite::params![workspace_id, per_minute],
                )?;
                if changed == 0 { Err(Error::not_found("workspace")) } else { Ok(()) }
            })
            .await
    }

    /// Reopens snoozed conversations whose time has come, now rather than at the next
    /// periodic check. Returns how many.
    pub async fn wake_snoozed(&self) -> Result<usize, Error> {
        self.db.wake_snoozed().await
    }

    /// An inbound text from `phone` (normalized `+` and digits) on `channel`, as the
    /// channel would deliver it; for tests, demos and benchmarks. Returns the message.
    pub async fn receive(
        &self,
        workspace_id: &str,
        phone: &str,
        channel: Channel,
        text: &str,
    ) -> Result<Message, Error> {
        let (ws, phone, text) = (workspace_id.to_owned(), phone.to_owned(), text.to_owned());
        self.db.write(move |w| Ok(db::receive_text(w, &ws, &phone, channel, &text)?.0)).await
    }

    /// A text from `phone` to the workspace's sandbox WhatsApp number, as the simulated
    /// number delivers it; for tests and demos. Returns the message.
    pub async fn receive_on_sandbox(&self, workspace_id: &str, phone: &str, text: &str) -> Result<Message, Error> {
        let (ws, phone, text) = (workspace_id.to_owned(), phone.to_owned(), text.to_owned());
        self.db
            .write(move |w| {
                let sandbox = db::channels::list_channels(w.conn(), &ws)?
                    .into_iter()
                    .find(|c| c.kind == switchboard_api::ChannelKind::Sandbox)
                    .ok_or_else(|| Error::not_found("sandbox channel"))?;
                let wa_id = phone.trim_start_matches('+').to_owned();
                let identity = (db::channels::IdentityKind::WaId, wa_id.as_str());
                db::channel_inbound::text_from(w, &sandbox, identity, Some(&phone), None, &text)
            })
            .await
    }

    /// The workspace's channels, as an admin sees them (no secrets).
    pub async fn channels(&self) -> Result<Vec<switchboard_api::ChannelConfig>, Error> {
        crate::channel_storage::ChannelStorage::list_channels(&self.db, self.workspace.id.clone()).await
    }

    /// One simulated inbound message now (tests and demos).
    pub async fn simulate_visitor(&self) -> Result<(), Error> {
        Simulator::new(self.db.clone(), self.workspace.id.clone(), SimulatorConfig { every: Duration::from_secs(1) })
            .tick()
            .await
    }

    /// Stops accepting requests and waits for the server and simulator to end.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}
