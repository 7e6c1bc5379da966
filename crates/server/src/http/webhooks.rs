//! Webhook endpoints (admin): where events are delivered, signed with the endpoint's secret.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use switchboard_api::{
    CreateWebhookRequest, ErrorBody, PatchWebhookRequest, RotateWebhookSecretRequest, WebhookDelivery, WebhookEndpoint,
    WebhookEventType, WebhookWithSecret,
};

use super::AppState;
use super::extract::{AdminKey, ApiJson, ApiPath, AuthErrors, ClientIp, OptionalJson};
use super::idempotency::Sensitive;
use super::keys::actor;
use super::validate;
use super::webhook_rules::{self as rules, MAX_DESCRIPTION};
use crate::error::Error;
use crate::webhooks::signing;

const DEFAULT_GRACE_SECONDS: u32 = 24 * 3600;
const MAX_GRACE_SECONDS: u32 = 7 * 24 * 3600;

/// Every endpoint of the workspace, oldest first. Secrets are never listed.
#[utoipa::path(
    get,
    path = "/webhooks",
    operation_id = "listWebhooks",
    tag = "webhooks",
    security(("bearer" = ["admin"])),
    responses((status = 200, body = Vec<WebhookEndpoint>), AuthErrors)
)]
pub async fn list(State(state): State<AppState>, AdminKey(key): AdminKey) -> Result<Json<Vec<WebhookEndpoint>>, Error> {
    Ok(Json(state.storage.list_webhooks(key.workspace_id).await?))
}

/// A new endpoint. The answer carries its signing secret, which is shown only now and
/// when it is rotated.
#[utoipa::path(
    post,
    path = "/webhooks",
    operation_id = "createWebhook",
    tag = "webhooks",
    security(("bearer" = ["admin"])),
    request_body = CreateWebhookRequest,
    responses(
        (status = 201, body = WebhookWithSecret),
        (status = 400, description = "Bad field, or a URL into a private network (`url_not_allowed`)", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<CreateWebhookRequest>,
) -> Result<Sensitive<WebhookWithSecret>, Error> {
    let secret = match req.secret.as_deref() {
        Some(s) => rules::secret(s)?,
        None => signing::generate().expose(),
    };
    let now = crate::time::now();
    let endpoint = WebhookEndpoint {
        id: crate::ids::new_id("wh"),
        url: rules::url(&req.url, state.webhook_policy)?,
        description: validate::optional_text(req.description.as_deref(), "description", MAX_DESCRIPTION)?,
        events: req.events.map(|e| rules::events(e, "events")).transpose()?,
        channel: req.channel,
        active: req.active.unwrap_or(true),
        disabled_reason: None,
        headers: rules::headers(req.headers.unwrap_or_default())?,
        buffer_enabled: req.buffer_enabled.unwrap_or(false),
        buffer_window_seconds: rules::in_range(req.buffer_window_seconds.unwrap_or(5), "bufferWindowSeconds", 1, 60)?,
        max_buffer_size: rules::in_range(req.max_buffer_size.unwrap_or(50), "maxBufferSize", 1, 100)?,
        buffer_events: rules::events(
            req.buffer_events.unwrap_or_else(|| vec![WebhookEventType::MessageReceived]),
            "bufferEvents",
        )?,
        inactivity_minutes: req
            .inactivity_minutes
            .map(|m| rules::in_range(m, "inactivityMinutes", 1, 10080))
            .transpose()?,
        previous_secret_expires_at: None,
        last_delivery_state: None,
        last_status_code: None,
        last_delivery_at: None,
        created_at: now.clone(),
        updated_at: now,
    };
    let created = state.storage.create_webhook(actor(&key, ip), endpoint, secret).await?;
    Ok(Sensitive(StatusCode::CREATED, created))
}

/// Fields present change; `null` clears `description`, `channel` and `inactivityMinutes`,
/// and `events: null` means every event. `active: true` re-enables a disabled endpoint.
#[utoipa::path(
    patch,
    path = "/webhooks/{id}",
    operation_id = "updateWebhook",
    tag = "webhooks",
    security(("bearer" = ["admin"])),
    params(("id" = String, Path, description = "Endpoint id")),
    request_body = PatchWebhookRequest,
    responses(
        (status = 200, body = WebhookEndpoint),
        (status = 400, description = "Bad field, or a URL into a private network", body = ErrorBody),
        (status = 404, description = "No such endpoint", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<PatchWebhookRequest>,
) -> Result<Sensitive<WebhookEndpoint>, Error> {
    let url = req.url.as_deref().map(|u| rules::url(u, state.webhook_policy)).transpose()?;
    let description =
        req.description.map(|d| validate::optional_text(d.as_deref(), "description", MAX_DESCRIPTION)).transpose()?;
    let events = req.events.map(|e| e.map(|e| rules::events(e, "events")).transpose()).transpose()?;
    let headers = req.headers.map(rules::headers).transpose()?;
    let window = req.buffer_window_seconds.map(|w| rules::in_range(w, "bufferWindowSeconds", 1, 60)).transpose()?;
    let max = req.max_buffer_size.map(|m| rules::in_range(m, "maxBufferSize", 1, 100)).transpose()?;
    let buffer_events = req.buffer_events.map(|e| rules::events(e, "bufferEvents")).transpose()?;
    let inactivity = req
        .inactivity_minutes
        .map(|m| m.map(|m| rules::in_range(m, "inactivityMinutes", 1, 10080)).transpose())
        .transpose()?;
    let (channel, active, buffer_enabled) = (req.channel, req.active, req.buffer_enabled);
    let edit = Box::new(move |mut e: WebhookEndpoint| {
        e.url = url.unwrap_or(e.url);
        e.description = description.unwrap_or(e.description);
        e.events = events.unwrap_or(e.events);
        e.channel = channel.unwrap_or(e.channel);
        e.active = active.unwrap_or(e.active);
        e.headers = headers.unwrap_or(e.headers);
        e.buffer_enabled = buffer_enabled.unwrap_or(e.buffer_enabled);
        e.buffer_window_seconds = window.unwrap_or(e.buffer_window_seconds);
        e.max_buffer_size = max.unwrap_or(e.max_buffer_size);
        e.buffer_events = buffer_events.unwrap_or(e.buffer_events);
        e.inactivity_minutes = inactivity.unwrap_or(e.inactivity_minutes);
        Ok(e)
    });
    Ok(Sensitive(StatusCode::OK, state.storage.edit_webhook(actor(&key, ip), id, edit).await?))
}

#[utoipa::path(
    get,
    path = "/webhooks/{id}",
    operation_id = "getWebhook",
    tag = "webhooks",
    security(("bearer" = ["admin"])),
    params(("id" = String, Path, description = "Endpoint id")),
    responses(
        (status = 200, body = WebhookEndpoint),
        (status = 404, description = "No such endpoint", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn get(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<WebhookEndpoint>, Error> {
    Ok(Json(state.storage.webhook(key.workspace_id, id).await?))
}

/// Removes the endpoint with its queued deliveries and delivery log.
#[utoipa::path(
    delete,
    path = "/webhooks/{id}",
    operation_id = "deleteWebhook",
    tag = "webhooks",
    security(("bearer" = ["admin"])),
    params(("id" = String, Path, description = "Endpoint id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such endpoint", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, Error> {
    state.storage.delete_webhook(actor(&key, ip), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new signing secret at once. During the grace period deliveries carry a signature
/// with each secret, so receivers can switch when they are ready.
#[utoipa::path(
    post,
    path = "/webhooks/{id}/rotate",
    operation_id = "rotateWebhookSecret",
    tag = "webhooks",
    security(("bearer" = ["admin"])),
    params(("id" = String, Path, description = "Endpoint id")),
    request_body(content = RotateWebhookSecretRequest, description = "Optional; an empty body generates a secret"),
    responses(
        (status = 200, body = WebhookWithSecret),
        (status = 400, description = "Bad secret or grace period", body = ErrorBody),
        (status = 404, description = "No such endpoint", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn rotate(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
    OptionalJson(req): OptionalJson<RotateWebhookSecretRequest>,
) -> Result<Sensitive<WebhookWithSecret>, Error> {
    let grace = rules::in_range(
        req.grace_period_seconds.unwrap_or(DEFAULT_GRACE_SECONDS),
        "gracePeriodSeconds",
        0,
        MAX_GRACE_SECONDS,
    )?;
    let secret = match req.secret.as_deref() {
        Some(s) => rules::secret(s)?,
        None => signing::generate().expose(),
    };
    Ok(Sensitive(StatusCode::OK, state.storage.rotate_webhook_secret(actor(&key, ip), id, secret, grace).await?))
}

/// Queues a `test` event for this endpoint; follow it in the delivery log.
#[utoipa::path(
    post,
    path = "/webhooks/{id}/test",
    operation_id = "testWebhook",
    tag = "webhooks",
    security(("bearer" = ["admin"])),
    params(("id" = String, Path, description = "Endpoint id")),
    responses(
        (status = 202, body = WebhookDelivery),
        (status = 404, description = "No such endpoint", body = ErrorBody),
        (status = 409, description = "The endpoint is disabled", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn test(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
) -> Result<(StatusCode, Json<WebhookDelivery>), Error> {
    Ok((StatusCode::ACCEPTED, Json(state.storage.send_test_webhook(actor(&key, ip), id).await?)))
}
