//! Meta's side of a WhatsApp channel: the subscription handshake and the webhook
//! notifications, addressed by channel id. No API key: each request proves itself with
//! the channel's verify token or app secret, and nothing unproven is read or stored.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::Serialize;
use switchboard_api::{ChannelKind, ErrorBody, ErrorCode};
use utoipa::ToSchema;

use super::AppState;
use super::extract::{ApiBytes, ApiPath, ApiQuery};
use crate::channels::config::StoredChannel;
use crate::channels::whatsapp::{inbound, signature};
use crate::error::Error;

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookReceipt {
    ok: bool,
    /// New messages stored.
    received: usize,
    /// Messages seen before (Meta retries notifications).
    duplicates: usize,
    /// Delivery reports applied.
    statuses: usize,
    /// Template reviews applied.
    templates: usize,
    /// Reports about messages this server did not send, and events for another number.
    ignored: usize,
}

async fn whatsapp_channel(state: &AppState, id: String) -> Result<StoredChannel, Error> {
    match state.storage.ingress_channel(id).await? {
        Some(c) if c.kind == ChannelKind::Whatsapp && c.whatsapp().is_some() => Ok(c),
        _ => Err(Error::not_found("WhatsApp channel")),
    }
}

/// Meta's subscription handshake: echoes `hub.challenge` when `hub.mode` is `subscribe`
/// and `hub.verify_token` is the channel's.
#[utoipa::path(
    get,
    path = "/channels/{id}/webhook",
    operation_id = "verifyChannelWebhook",
    tag = "channels",
    params(
        ("id" = String, Path, description = "Channel id"),
        ("hub.mode" = Option<String>, Query, description = "`subscribe`"),
        ("hub.verify_token" = Option<String>, Query, description = "The channel's verify token"),
        ("hub.challenge" = Option<String>, Query, description = "Echoed back"),
    ),
    responses(
        (status = 200, description = "The challenge, as plain text", body = String, content_type = "text/plain"),
        (status = 403, description = "Not our verify token (`verify_token_mismatch`)", body = ErrorBody),
        (status = 404, description = "No such WhatsApp channel", body = ErrorBody),
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<HashMap<String, String>>,
) -> Result<String, Error> {
    let channel = whatsapp_channel(&state, id).await?;
    let token = channel.whatsapp().map(|c| c.verify_token.as_str()).unwrap_or_default();
    let get = |k: &str| query.get(k).map(String::as_str);
    signature::challenge(get("hub.mode"), get("hub.verify_token"), get("hub.challenge"), token)
        .map(str::to_owned)
        .ok_or_else(|| {
            Error::api(ErrorCode::VerifyTokenMismatch, "the verify token or mode does not match this channel")
        })
}

/// A webhook notification from Meta: messages (text, media, location, contacts,
/// interactive replies) and delivery statuses. It must carry `X-Hub-Signature-256`, the
/// app secret's HMAC-SHA256 of the exact body. Messages Meta sends again are stored once;
/// statuses only move a message forward.
#[utoipa::path(
    post,
    path = "/channels/{id}/webhook",
    operation_id = "receiveChannelWebhook",
    tag = "channels",
    params(("id" = String, Path, description = "Channel id")),
    request_body(content = Object, description = "Meta's notification, as sent"),
    responses(
        (status = 200, body = WebhookReceipt),
        (status = 400, description = "Signed, but not a WhatsApp notification", body = ErrorBody),
        (status = 401, description = "Missing or wrong signature (`invalid_signature`); nothing stored", body = ErrorBody),
        (status = 404, description = "No such WhatsApp channel", body = ErrorBody),
        (status = 413, description = "The body is larger than the server takes", body = ErrorBody),
        (status = 503, description = "The channel is paused; Meta tries again later", body = ErrorBody),
    )
)]
pub async fn notify(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    ApiBytes(body): ApiBytes,
) -> Result<Json<WebhookReceipt>, Error> {
    let channel = whatsapp_channel(&state, id).await?;
    let secret = channel.whatsapp().map(|c| c.app_secret.as_str()).unwrap_or_default();
    let header = headers.get("x-hub-signature-256").and_then(|v| v.to_str().ok());
    if !signature::verify(secret, &body, header) {
        return Err(Error::api(
            ErrorCode::InvalidSignature,
            "X-Hub-Signature-256 is missing or is not the app secret's signature of this body",
        ));
    }
    if !channel.active {
        return Err(Error::api(ErrorCode::Unavailable, "this channel is paused"));
    }
    let notifications = inbound::parse(&body).map_err(|e| Error::api(ErrorCode::InvalidBody, e.to_string()))?;
    let report = state.storage.receive_whatsapp(channel, notifications).await?;
    Ok(Json(WebhookReceipt {
        ok: true,
        received: report.received,
        duplicates: report.duplicates,
        statuses: report.statuses,
        templates: report.templates,
        ignored: report.ignored,
    }))
}
