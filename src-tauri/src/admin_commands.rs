//! The admin console's and the workspace switcher's commands. Each forwards to the core.

use switchboard_api::{
    ApiKey, CreatedKey, DeliveryDetail, KnowledgeEntry, KnowledgeImport, WebhookDelivery, WebhookEndpoint,
    WebhookEventType, WebhookWithSecret, WorkspaceSettings,
};
use switchboard_core::ErrorInfo;
use switchboard_core::admin::{
    self, DeliveryFilter, KeyRow, NewKey, Rotation, SignatureCheck, SignatureVerdict, WebhookForm,
};
use switchboard_core::workspaces::{self, WorkspaceEntry};
use tauri::State;

use crate::state::AppState;

type Answer<T> = Result<T, ErrorInfo>;

#[tauri::command]
#[specta::specta]
pub async fn knowledge(state: State<'_, AppState>) -> Answer<Vec<KnowledgeEntry>> {
    Ok(state.app().await?.knowledge().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn import_knowledge(
    state: State<'_, AppState>,
    url: String,
    max_pages: Option<u32>,
) -> Answer<KnowledgeImport> {
    Ok(state.app().await?.import_knowledge(url, max_pages).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn settings(state: State<'_, AppState>) -> Answer<WorkspaceSettings> {
    Ok(state.app().await?.settings().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn update_settings(
    state: State<'_, AppState>,
    time_zone: Option<String>,
    region: Option<String>,
) -> Answer<WorkspaceSettings> {
    Ok(state.app().await?.update_settings(time_zone, region).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn keys(state: State<'_, AppState>) -> Answer<Vec<KeyRow>> {
    Ok(state.app().await?.keys().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn create_key(state: State<'_, AppState>, key: NewKey) -> Answer<CreatedKey> {
    Ok(state.app().await?.create_key(key).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn revoke_key(state: State<'_, AppState>, key_id: String) -> Answer<ApiKey> {
    Ok(state.app().await?.revoke_key(key_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn rotate_key(
    state: State<'_, AppState>,
    key_id: String,
    grace_period_seconds: Option<u32>,
) -> Answer<Rotation> {
    Ok(state.app().await?.rotate_key(key_id, grace_period_seconds).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn webhooks(state: State<'_, AppState>) -> Answer<Vec<WebhookEndpoint>> {
    Ok(state.app().await?.webhooks().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn create_webhook(state: State<'_, AppState>, form: WebhookForm) -> Answer<WebhookWithSecret> {
    Ok(state.app().await?.create_webhook(form).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn update_webhook(
    state: State<'_, AppState>,
    webhook_id: String,
    form: WebhookForm,
) -> Answer<WebhookEndpoint> {
    Ok(state.app().await?.update_webhook(webhook_id, form).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn delete_webhook(state: State<'_, AppState>, webhook_id: String) -> Answer<()> {
    Ok(state.app().await?.delete_webhook(webhook_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn rotate_webhook_secret(
    state: State<'_, AppState>,
    webhook_id: String,
    grace_period_seconds: Option<u32>,
) -> Answer<WebhookWithSecret> {
    Ok(state.app().await?.rotate_webhook_secret(webhook_id, grace_period_seconds).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn test_webhook(state: State<'_, AppState>, webhook_id: String) -> Answer<WebhookDelivery> {
    Ok(state.app().await?.test_webhook(webhook_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn deliveries(
    state: State<'_, AppState>,
    webhook_id: String,
    filter: DeliveryFilter,
) -> Answer<Vec<WebhookDelivery>> {
    Ok(state.app().await?.deliveries(webhook_id, filter).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn delivery(state: State<'_, AppState>, delivery_id: String) -> Answer<DeliveryDetail> {
    Ok(state.app().await?.delivery(delivery_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn replay_delivery(state: State<'_, AppState>, delivery_id: String) -> Answer<WebhookDelivery> {
    Ok(state.app().await?.replay_delivery(delivery_id).await?)
}

/// The events an endpoint can subscribe to, for the events picker.
#[tauri::command]
#[specta::specta]
pub async fn webhook_event_types() -> Answer<Vec<WebhookEventType>> {
    Ok(WebhookEventType::ALL.iter().copied().filter(|e| *e != WebhookEventType::Test).collect())
}

#[tauri::command]
#[specta::specta]
pub async fn check_signature(check: SignatureCheck) -> Answer<SignatureVerdict> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    Ok(admin::check_signature(&check, now))
}

#[tauri::command]
#[specta::specta]
pub async fn list_workspaces(state: State<'_, AppState>) -> Answer<Vec<WorkspaceEntry>> {
    Ok(workspaces::list(&state.config()?).await?)
}

/// Checks the key with the server, saves the workspace and opens it.
#[tauri::command]
#[specta::specta]
pub async fn add_workspace(
    handle: tauri::AppHandle,
    state: State<'_, AppState>,
    name: String,
    base_url: String,
    api_key: String,
) -> Answer<()> {
    workspaces::add(&state.config()?, &state.keychain().await?, &name, &base_url, &api_key).await?;
    state.reopen(handle).await;
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn switch_workspace(handle: tauri::AppHandle, state: State<'_, AppState>, id: String) -> Answer<()> {
    workspaces::choose(&state.config()?, &id).await?;
    state.reopen(handle).await;
    Ok(())
}

/// Forgets a remote workspace (its cache and keychain entry); the local one opens if it
/// was the open one.
#[tauri::command]
#[specta::specta]
pub async fn remove_workspace(handle: tauri::AppHandle, state: State<'_, AppState>, id: String) -> Answer<()> {
    let config = state.config()?;
    let was_open = workspaces::list(&config).await?.iter().any(|w| w.id == id && w.current);
    if was_open {
        workspaces::choose(&config, workspaces::LOCAL).await?;
        state.reopen(handle).await;
    }
    workspaces::remove(&config, &state.keychain().await?, &id).await?;
    Ok(())
}
