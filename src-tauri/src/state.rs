use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use switchboard_core::{App, AppConfig, CoreError, ErrorInfo, SecretStore, secrets};
use tauri::Manager;
use tauri_specta::Event;
use tokio::sync::watch;

use crate::events;

type Startup = Option<Result<Arc<App>, ErrorInfo>>;

/// What every start (and every switch of workspace) opens with.
#[derive(Clone)]
pub struct Launch {
    pub data_dir: PathBuf,
    pub simulate_every: Option<Duration>,
    pub service: &'static str,
}

/// The app session, once started. Commands wait for start-up instead of failing early.
pub struct AppState {
    tx: watch::Sender<Startup>,
    launch: Mutex<Option<Launch>>,
    keychain: Mutex<Option<Arc<dyn SecretStore>>>,
}

fn abandoned() -> ErrorInfo {
    ErrorInfo { code: "internal".into(), message: "start-up was abandoned".into() }
}

impl AppState {
    pub fn new() -> Self {
        Self { tx: watch::channel(None).0, launch: Mutex::new(None), keychain: Mutex::new(None) }
    }

    pub async fn app(&self) -> Result<Arc<App>, ErrorInfo> {
        let mut rx = self.tx.subscribe();
        let ready = rx.wait_for(Option::is_some).await.map_err(|_| abandoned())?;
        ready.as_ref().cloned().unwrap_or_else(|| Err(abandoned()))
    }

    /// How the app was started: for the workspace commands, which work without a session.
    pub fn config(&self) -> Result<AppConfig, ErrorInfo> {
        let launch = self.launch.lock().ok().and_then(|l| l.clone()).ok_or_else(abandoned)?;
        Ok(AppConfig { simulate_every: launch.simulate_every, ..AppConfig::new(launch.data_dir) })
    }

    pub async fn keychain(&self) -> Result<Arc<dyn SecretStore>, ErrorInfo> {
        if let Some(k) = self.keychain.lock().ok().and_then(|k| k.clone()) {
            return Ok(k);
        }
        let service = self.launch.lock().ok().and_then(|l| l.clone()).ok_or_else(abandoned)?.service;
        let opened = secrets::open_keychain(service).await?;
        if let Ok(mut k) = self.keychain.lock() {
            *k = Some(opened.clone());
        }
        Ok(opened)
    }

    /// Closes the open workspace and opens the chosen one; the window reloads.
    pub async fn reopen(&self, handle: tauri::AppHandle) {
        let old = self.tx.send_replace(None);
        if let Some(Ok(app)) = old {
            app.shutdown().await;
        }
        open(&handle, self).await;
        if let Err(e) = (events::WorkspaceChanged {}).emit(&handle) {
            tracing::warn!(error = %e, "could not tell the window the workspace changed");
        }
    }
}

pub fn start(handle: tauri::AppHandle, launch: Launch) {
    if let Ok(mut l) = handle.state::<AppState>().launch.lock() {
        *l = Some(launch);
    }
    tauri::async_runtime::spawn(async move {
        let state = handle.state::<AppState>();
        open(&handle, &state).await;
    });
}

async fn open(handle: &tauri::AppHandle, state: &AppState) {
    let result = async {
        let config = state.config()?;
        let secrets = state.keychain().await?;
        App::start(config, secrets).await.map_err(|e: CoreError| {
            tracing::error!(error = %e, code = e.code(), "start-up failed");
            ErrorInfo::from(e)
        })
    }
    .await
    .map(Arc::new);
    if let Ok(app) = &result {
        events::forward(handle.clone(), app.clone());
        app.watch_notifications(events::on_notification_click(handle.clone()));
    }
    state.tx.send_replace(Some(result));
}
