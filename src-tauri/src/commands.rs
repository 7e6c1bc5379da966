//! The commands the UI calls. Each one forwards to `switchboard_core::App`.

use switchboard_api::{
    Appointment, AppointmentStatus, Label, Lead, LeadStatus, Member, MessageTemplate, Presence, PresenceState,
};
use switchboard_core::{
    ContactEdit, ContactPanel, ConversationAction, Draft, ErrorInfo, InboxItem, InboxQuery, NotificationSettings,
    NotificationStatus, OutboxEntry, Overview, SearchResults, SendRequest, Transcript,
};
use tauri::{Manager, State};

use crate::state::AppState;

type Answer<T> = Result<T, ErrorInfo>;

#[tauri::command]
#[specta::specta]
pub async fn overview(state: State<'_, AppState>) -> Answer<Overview> {
    Ok(state.app().await?.overview())
}

#[tauri::command]
#[specta::specta]
pub async fn list_conversations(state: State<'_, AppState>, query: InboxQuery) -> Answer<Vec<InboxItem>> {
    Ok(state.app().await?.inbox(query).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn get_transcript(state: State<'_, AppState>, conversation_id: String) -> Answer<Transcript> {
    Ok(state.app().await?.transcript(conversation_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn mark_read(state: State<'_, AppState>, conversation_id: String) -> Answer<()> {
    Ok(state.app().await?.mark_read(conversation_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn send(state: State<'_, AppState>, request: SendRequest) -> Answer<OutboxEntry> {
    Ok(state.app().await?.send(request).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn retry_send(state: State<'_, AppState>, client_id: String) -> Answer<OutboxEntry> {
    Ok(state.app().await?.retry_send(client_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn discard_send(state: State<'_, AppState>, client_id: String) -> Answer<()> {
    Ok(state.app().await?.discard_send(client_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn ai_draft(state: State<'_, AppState>, conversation_id: String) -> Answer<Draft> {
    Ok(state.app().await?.ai_draft(conversation_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn templates(state: State<'_, AppState>) -> Answer<Vec<MessageTemplate>> {
    Ok(state.app().await?.templates().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn act(state: State<'_, AppState>, conversation_id: String, action: ConversationAction) -> Answer<()> {
    Ok(state.app().await?.act(conversation_id, action).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn members(state: State<'_, AppState>) -> Answer<Vec<Member>> {
    Ok(state.app().await?.members().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn contact_panel(state: State<'_, AppState>, contact_id: String) -> Answer<ContactPanel> {
    Ok(state.app().await?.contact_panel(contact_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn edit_contact(state: State<'_, AppState>, contact_id: String, edit: ContactEdit) -> Answer<()> {
    Ok(state.app().await?.edit_contact(contact_id, edit).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn leads(state: State<'_, AppState>) -> Answer<Vec<Lead>> {
    Ok(state.app().await?.leads().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn appointments(state: State<'_, AppState>) -> Answer<Vec<Appointment>> {
    Ok(state.app().await?.appointments().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn search(state: State<'_, AppState>, text: String) -> Answer<SearchResults> {
    Ok(state.app().await?.search(text).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn announce_presence(
    state: State<'_, AppState>,
    conversation_id: String,
    presence: PresenceState,
) -> Answer<Vec<Presence>> {
    Ok(state.app().await?.announce_presence(conversation_id, presence).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_lead_status(state: State<'_, AppState>, lead_id: String, status: LeadStatus) -> Answer<Lead> {
    Ok(state.app().await?.set_lead_status(lead_id, status).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_appointment_status(
    state: State<'_, AppState>,
    appointment_id: String,
    status: AppointmentStatus,
) -> Answer<Appointment> {
    Ok(state.app().await?.set_appointment_status(appointment_id, status).await?)
}

/// Into the user's Downloads folder; returns where the file went.
#[tauri::command]
#[specta::specta]
pub async fn export_leads(
    handle: tauri::AppHandle,
    state: State<'_, AppState>,
    status: Option<LeadStatus>,
) -> Answer<String> {
    let dir = handle.path().download_dir().or_else(|_| handle.path().document_dir()).map_err(|e| ErrorInfo {
        code: "io_error".into(),
        message: format!("no Downloads folder to save into: {e}"),
    })?;
    let path = state.app().await?.export_leads(dir, status).await?;
    Ok(path.display().to_string())
}

#[tauri::command]
#[specta::specta]
pub async fn labels(state: State<'_, AppState>) -> Answer<Vec<Label>> {
    Ok(state.app().await?.labels().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn notification_settings(state: State<'_, AppState>) -> Answer<NotificationSettings> {
    Ok(state.app().await?.notification_settings())
}

#[tauri::command]
#[specta::specta]
pub async fn set_notification_settings(state: State<'_, AppState>, settings: NotificationSettings) -> Answer<()> {
    Ok(state.app().await?.set_notification_settings(settings).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn notification_status(state: State<'_, AppState>) -> Answer<NotificationStatus> {
    Ok(state.app().await?.notification_status().await)
}

#[tauri::command]
#[specta::specta]
pub async fn test_notification(handle: tauri::AppHandle, state: State<'_, AppState>) -> Answer<()> {
    Ok(state.app().await?.test_notification(crate::events::on_notification_click(handle)).await?)
}

/// Conversations with unread messages, on the window's title and the dock/taskbar badge.
#[tauri::command]
#[specta::specta]
pub async fn show_unread(window: tauri::WebviewWindow, conversations: u32) -> Answer<()> {
    let title = if conversations > 0 { format!("({conversations}) Switchboard") } else { "Switchboard".into() };
    let internal = |e: tauri::Error| ErrorInfo { code: "internal".into(), message: e.to_string() };
    window.set_title(&title).map_err(internal)?;
    // Not every desktop has badges (most Linux ones do not): the title is enough there.
    let _ = window.set_badge_count((conversations > 0).then_some(i64::from(conversations)));
    Ok(())
}
