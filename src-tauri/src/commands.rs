//! The commands the UI calls. Each one forwards to `switchboard_core::App`.

use switchboard_api::Message;
use switchboard_core::{ErrorInfo, InboxItem, Overview, Transcript};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn overview(state: State<'_, AppState>) -> Result<Overview, ErrorInfo> {
    Ok(state.app().await?.overview())
}

#[tauri::command]
#[specta::specta]
pub async fn list_conversations(state: State<'_, AppState>) -> Result<Vec<InboxItem>, ErrorInfo> {
    Ok(state.app().await?.inbox().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn get_transcript(state: State<'_, AppState>, conversation_id: String) -> Result<Transcript, ErrorInfo> {
    Ok(state.app().await?.transcript(conversation_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn send_reply(
    state: State<'_, AppState>,
    conversation_id: String,
    text: String,
) -> Result<Message, ErrorInfo> {
    Ok(state.app().await?.send_reply(conversation_id, text).await?)
}
