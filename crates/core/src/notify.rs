//! Desktop notifications through the OS's service (notify-rust): the freedesktop
//! notification daemon on Linux and the BSDs, Notification Center on macOS, toasts on
//! Windows. Only the freedesktop service reports clicks back; elsewhere a notification
//! still shows, and opening the app shows the conversation in the inbox.

use std::sync::Arc;

use serde::Serialize;

use crate::error::CoreError;

const APP_NAME: &str = "Switchboard";

/// Whether notifications can be shown, for the settings page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NotificationStatus {
    pub available: bool,
    /// The service's name and version, when it says.
    pub server: Option<String>,
    /// Why notifications cannot be shown, in words for the user.
    pub error: Option<String>,
}

/// What a notification says and which conversation a click opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub conversation_id: String,
    pub title: String,
    pub body: String,
}

pub type OnClick = Arc<dyn Fn(String) + Send + Sync>;

/// Asks the notification service who it is (a round trip on D-Bus on Linux).
pub async fn probe() -> NotificationStatus {
    blocking(probe_blocking).await.unwrap_or_else(|e| NotificationStatus {
        available: false,
        server: None,
        error: Some(e.to_string()),
    })
}

/// Shows `notice`; `on_click` gets its conversation id when the user clicks it.
pub async fn show(notice: Notice, on_click: OnClick) -> Result<(), CoreError> {
    blocking(move || show_blocking(notice, on_click)).await?
}

/// zbus (with the tokio runtime, as the keychain store needs) must be called from the
/// runtime's blocking pool, never from a worker thread.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, CoreError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| CoreError::Internal(e.to_string()))
}

fn notification(notice: &Notice) -> notify_rust::Notification {
    let mut n = notify_rust::Notification::new();
    n.appname(APP_NAME).summary(&notice.title).body(&notice.body);
    n
}

fn unavailable(e: notify_rust::error::Error) -> CoreError {
    CoreError::NotificationsUnavailable(e.to_string())
}

#[cfg(all(unix, not(target_os = "macos")))]
fn probe_blocking() -> NotificationStatus {
    match notify_rust::get_server_information() {
        Ok(info) => {
            NotificationStatus { available: true, server: Some(format!("{} {}", info.name, info.version)), error: None }
        }
        Err(e) => NotificationStatus {
            available: false,
            server: None,
            error: Some(format!("no notification service answers on this desktop session ({e})")),
        },
    }
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn probe_blocking() -> NotificationStatus {
    NotificationStatus { available: true, server: None, error: None }
}

#[cfg(all(unix, not(target_os = "macos")))]
fn show_blocking(notice: Notice, on_click: OnClick) -> Result<(), CoreError> {
    let handle = notification(&notice).action("default", "Open").show().map_err(unavailable)?;
    // Waits on the blocking pool (zbus needs the runtime there) until it is clicked or closed.
    tokio::task::spawn_blocking(move || {
        handle.wait_for_action(|action| {
            if action == "default" {
                on_click(notice.conversation_id.clone());
            }
        });
    });
    Ok(())
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn show_blocking(notice: Notice, _on_click: OnClick) -> Result<(), CoreError> {
    notification(&notice).show().map(|_| ()).map_err(unavailable)
}
