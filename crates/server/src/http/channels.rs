//! Channels (admin): WhatsApp Cloud API numbers, web widget inboxes and sandbox numbers.
//! Secrets are accepted, never shown again.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use switchboard_api::{ChannelConfig, CreateChannelRequest, ErrorBody, PatchChannelRequest};

use super::AppState;
use super::channel_rules as rules;
use super::extract::{AdminKey, ApiJson, ApiPath, AuthErrors, ClientIp, ReadKey};
use super::keys::actor;
use crate::channels::whatsapp::graph::MAX_MEDIA_BYTES;
use crate::error::Error;

/// Every channel of the workspace, oldest first.
#[utoipa::path(
    get,
    path = "/channels",
    operation_id = "listChannels",
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
    operation_id = "createChannel",
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
    operation_id = "getChannel",
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
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ChannelConfig>, Error> {
    Ok(Json(state.storage.channel(key.workspace_id, id).await?))
}

/// Fields present change: the name, `active` (a paused channel takes no notifications
/// and sends nothing), a WhatsApp number's secrets and Graph URL, a widget's origins.
#[utoipa::path(
    patch,
    path = "/channels/{id}",
    operation_id = "updateChannel",
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
    ApiPath(id): ApiPath<String>,
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
    operation_id = "deleteChannel",
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
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, Error> {
    state.storage.delete_channel(actor(&key, ip), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A file a contact sent on WhatsApp (an attachment's `url` points here), read from Meta
/// with the channel's token as it is asked for. Files that a browser could run (HTML,
/// SVG) are sent as downloads under a sandbox policy.
#[utoipa::path(
    get,
    path = "/channels/{id}/media/{mediaId}",
    operation_id = "getChannelMedia",
    tag = "channels",
    security(("bearer" = ["read"])),
    params(("id" = String, Path, description = "Channel id"), ("mediaId" = String, Path, description = "Meta's media id")),
    responses(
        (status = 200, description = "The file, with its type", content_type = "application/octet-stream"),
        (status = 404, description = "No such channel or media (Meta keeps media for 30 days)", body = ErrorBody),
        (status = 413, description = "Larger than 100 MB", body = ErrorBody),
        (status = 502, description = "Meta failed, or refused the channel's token", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn media(
    State(state): State<AppState>,
    ReadKey(key): ReadKey,
    ApiPath((id, media_id)): ApiPath<(String, String)>,
) -> Result<Response, Error> {
    let channel = state.storage.ingress_channel(id).await?.filter(|c| c.workspace_id == key.workspace_id);
    let Some(config) = channel.as_ref().and_then(|c| c.whatsapp()) else {
        return Err(Error::not_found("WhatsApp channel"));
    };
    let media = state.graph.media(config, &media_id, state.webhook_policy).await.map_err(|e| {
        let code = if e.code == switchboard_api::ErrorCode::UrlNotAllowed {
            switchboard_api::ErrorCode::UpstreamFailed
        } else {
            e.code
        };
        Error::api(code, e.reason)
    })?;
    let mut read = 0u64;
    let stream = media.body.bytes_stream().map(move |chunk| {
        let chunk = chunk.map_err(std::io::Error::other)?;
        read += chunk.len() as u64;
        if read > MAX_MEDIA_BYTES {
            return Err(std::io::Error::other("the file is larger than 100 MB"));
        }
        Ok(chunk)
    });
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    let mime = HeaderValue::from_str(&media.mime_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let shown_inline = ["image/", "audio/", "video/"].iter().any(|p| media.mime_type.starts_with(p))
        && !media.mime_type.contains("svg");
    headers.insert(header::CONTENT_TYPE, mime);
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    if let Some(length) = media.length {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    if !shown_inline {
        headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment"));
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
    }
    Ok(response)
}
