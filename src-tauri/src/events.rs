use std::sync::Arc;

use serde::Serialize;
use switchboard_api::Presence;
use switchboard_core::{App, SyncEvent, SyncStatus};
use tauri::Manager;
use tauri_specta::Event;
use tokio::sync::broadcast::error::RecvError;

/// Conversations whose rows changed in the cache; the UI reloads just those.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct InboxChanged {
    pub conversation_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct SyncStatusChanged {
    pub status: SyncStatus,
}

/// A member views or types in a conversation, or stopped: shown so two agents do not
/// answer the same person at once.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct PresenceChanged {
    pub presence: Presence,
}

/// A notification was clicked: the window shows this conversation.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct OpenConversation {
    pub conversation_id: String,
}

/// Another workspace was opened: the window starts over.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct WorkspaceChanged {}

/// Brings the main window to the front, e.g. for a clicked notification or a second launch.
pub fn focus_main(handle: &tauri::AppHandle) {
    if let Some(window) = handle.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// What a click on a notification does: the window comes forward and opens the chat.
pub fn on_notification_click(handle: tauri::AppHandle) -> switchboard_core::notify::OnClick {
    Arc::new(move |conversation_id: String| {
        focus_main(&handle);
        if conversation_id.is_empty() {
            return;
        }
        if let Err(e) = (OpenConversation { conversation_id }).emit(&handle) {
            tracing::warn!(error = %e, "could not open the notification's conversation");
        }
    })
}

/// Pushes the core's sync events to the window for as long as the app runs.
pub fn forward(handle: tauri::AppHandle, app: Arc<App>) {
    let mut rx = app.subscribe();
    let mut stopped = app.stopped();
    tauri::async_runtime::spawn(async move {
        loop {
            let event = tokio::select! {
                e = rx.recv() => e,
                _ = stopped.changed() => return,
            };
            let result = match event {
                Ok(SyncEvent::Changed(applied)) => {
                    InboxChanged { conversation_ids: applied.conversation_ids.into_iter().collect() }.emit(&handle)
                }
                Ok(SyncEvent::Status(status)) => SyncStatusChanged { status }.emit(&handle),
                Ok(SyncEvent::Presence(presence)) => PresenceChanged { presence }.emit(&handle),
                // Missed some: a full refresh covers whatever they were.
                Err(RecvError::Lagged(_)) => InboxChanged { conversation_ids: Vec::new() }.emit(&handle),
                Err(RecvError::Closed) => return,
            };
            if let Err(e) = result {
                tracing::warn!(error = %e, "could not deliver an event to the window");
            }
        }
    });
}
