use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use switchboard_core::{App, AppConfig, CoreError, ErrorInfo, secrets};
use tauri::Manager;
use tokio::sync::watch;

use crate::events;

type Startup = Option<Result<Arc<App>, ErrorInfo>>;

/// The app session, once started. Commands wait for start-up instead of failing early.
pub struct AppState {
    tx: watch::Sender<Startup>,
}

impl AppState {
    pub fn new() -> Self {
        Self { tx: watch::channel(None).0 }
    }

    pub async fn app(&self) -> Result<Arc<App>, ErrorInfo> {
        let mut rx = self.tx.subscribe();
        let ready = rx
            .wait_for(Option::is_some)
            .await
            .map_err(|_| ErrorInfo { code: "internal".into(), message: "start-up was abandoned".into() })?;
        match ready.as_ref() {
            Some(result) => result.clone(),
            None => Err(ErrorInfo { code: "internal".into(), message: "start-up was abandoned".into() }),
        }
    }
}

pub fn start(handle: tauri::AppHandle, data_dir: PathBuf, simulate_every: Option<Duration>, service: &'static str) {
    tauri::async_runtime::spawn(async move {
        let result = async {
            let secrets = secrets::open_keychain(service).await?;
            App::start(AppConfig { simulate_every, ..AppConfig::new(data_dir) }, secrets).await
        }
        .await
        .map(Arc::new)
        .map_err(|e: CoreError| {
            tracing::error!(error = %e, code = e.code(), "start-up failed");
            ErrorInfo::from(e)
        });
        if let Ok(app) = &result {
            events::forward(handle.clone(), app.clone());
            app.watch_notifications(events::on_notification_click(handle.clone()));
        }
        handle.state::<AppState>().tx.send_replace(Some(result));
    });
}
