//! Channels (admin): WhatsApp Cloud API numbers, web widget inboxes and sandbox numbers.
//! Secrets are accepted, never shown again.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use switchboard_api::{ChannelConfig, CreateChannelRequest, ErrorBody, PatchChannelRequest};

use super::AppState;
use super::channel_rules as rules;
use super::extract::{AdminKey, ApiJson, AuthErrors, ClientIp};
use super::keys::actor;
use crate::error::Error;

/// Every channel of the workspace, oldest first.
#[utoipa::path(
    get,
    path = "/channels",
    tag = "channels",
    security(("bearer" = ["admin"])),
    responses((status = 200, body = Vec<ChannelConfig>), AuthErrors)
)]
pub async fn list(State(state): State<AppState>, AdminKey(key): AdminKey) -> Result<Json<Vec<ChannelConfig>>, Error> {
    Ok(Json(state.storage.list_channels(key.workspace_id).await?))
}

/// Connects a WhatsApp Cloud API number (its phone number id, access token, app secret
/// and a verify token of your choice), opens a web widget inbox, or adds a sandbox
/// number. For WhatsApp, enter the answer's `whatsapp.webhookPath` on this server as the
/// callback URL in Meta's app dashboard, with the same verify token.
#[utoipa::path(
    post,
    path = "/channels",
    tag = "channels",
    security(("bearer" = ["admin"])),
    request_body = CreateChannelRequest,
    responses(
        (status = 201, body = ChannelConfig),
        (status = 400, description = "Bad field, or a Graph URL into a private network", body = ErrorBody),
        (status = 409, description = "The phone number id is connected already", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<CreateChannelRequest>,
) -> Result<(StatusCode, Json<ChannelConfig>), Error> {
    let channel = rules::create(req, &key.workspace_id, state.webhook_policy)?;
    let created = state.storage.create_channel(actor(&key, ip), channel).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(
    get,
    path = "/channels/{id}",
    tag = "channels",
    security(("bearer" = ["admin"])),
    params(("id" = String, Path, description = "Channel id")),
    responses(
        (status = 200, body = ChannelConfig),
        (status = 404, description = "No such channel", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn get(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    Path(id): Path<String>,
) -> Result<Json<ChannelConfig>, Error> {
    Ok(Json(state.storage.channel(key.workspace_id, id).await?))
}

/// Fields present change: the name, `active` (a paused channel takes no notifications
/// and sends nothing), a WhatsApp number's secrets and Graph URL, a widget's origins.
#[utoipa::path(
    patch,
    path = "/channels/{id}",
    tag = "channels",
    security(("bearer" = ["admin"])),
    params(("id" = String, Path, description = "Channel id")),
    request_body = PatchChannelRequest,
    responses(
        (status = 200, body = ChannelConfig),
        (status = 400, description = "Bad field", body = ErrorBody),
        (status = 404, description = "No such channel", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<PatchChannelRequest>,
) -> Result<Json<ChannelConfig>, Error> {
    let policy = state.webhook_policy;
    let edit = Box::new(move |channel| rules::patch(channel, req, policy));
    Ok(Json(state.storage.edit_channel(actor(&key, ip), id, edit).await?))
}

/// Removes the channel. Its conversations stay in the inbox; replies it had not sent yet
/// fail with the reason.
#[utoipa::path(
    delete,
    path = "/channels/{id}",
    tag = "channels",
    security(("bearer" = ["admin"])),
    params(("id" = String, Path, description = "Channel id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such channel", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<StatusCode, Error> {
    state.storage.delete_channel(actor(&key, ip), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
