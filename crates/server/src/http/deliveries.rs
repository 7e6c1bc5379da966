//! The delivery log (admin): every delivery of an endpoint, each attempt, and replay.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use switchboard_api::{
    DeliveryDetail, DeliveryState, ErrorBody, ErrorCode, ListDeliveriesQuery, Page, WebhookDelivery, WebhookEventType,
};

use super::AppState;
use super::extract::{AdminKey, ApiPath, ApiQuery, AuthErrors, ClientIp};
use super::keys::actor;
use super::record_query;
use crate::error::Error;
use crate::webhook_storage::DeliveryFilter;

/// Newest first; filters `state` (pending, succeeded, failed) and `event`.
#[utoipa::path(
    get,
    path = "/webhooks/{id}/deliveries",
    operation_id = "listWebhookDeliveries",
    tag = "webhooks",
    security(("bearer" = ["admin"])),
    params(("id" = String, Path, description = "Endpoint id"), ListDeliveriesQuery),
    responses(
        (status = 200, body = Page<WebhookDelivery>),
        (status = 400, description = "Bad filter, limit or cursor", body = ErrorBody),
        (status = 404, description = "No such endpoint", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<ListDeliveriesQuery>,
) -> Result<Json<Page<WebhookDelivery>>, Error> {
    let bad = |m: String| Error::api(ErrorCode::InvalidQuery, m);
    let filter = DeliveryFilter {
        state: q
            .state
            .as_deref()
            .map(|s| DeliveryState::parse(s).ok_or_else(|| bad(format!("state: unknown value '{s}'"))))
            .transpose()?,
        event: q
            .event
            .as_deref()
            .map(|e| WebhookEventType::parse(e).ok_or_else(|| bad(format!("event: unknown value '{e}'"))))
            .transpose()?,
    };
    let page = record_query::page(q.limit, q.cursor.as_deref())?;
    Ok(Json(state.storage.list_deliveries(key.workspace_id, id, filter, page).await?))
}

/// One delivery: the exact body sent and every attempt with its answer.
#[utoipa::path(
    get,
    path = "/deliveries/{id}",
    operation_id = "getDelivery",
    tag = "webhooks",
    security(("bearer" = ["admin"])),
    params(("id" = String, Path, description = "Delivery id (the webhook-id header)")),
    responses(
        (status = 200, body = DeliveryDetail),
        (status = 404, description = "No such delivery", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn get(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<DeliveryDetail>, Error> {
    Ok(Json(state.storage.delivery(key.workspace_id, id).await?))
}

/// Sends the delivery again now, same body and `webhook-id`: one more attempt for a
/// finished delivery, or sooner for a pending one.
#[utoipa::path(
    post,
    path = "/deliveries/{id}/replay",
    operation_id = "replayDelivery",
    tag = "webhooks",
    security(("bearer" = ["admin"])),
    params(("id" = String, Path, description = "Delivery id")),
    responses(
        (status = 202, body = WebhookDelivery),
        (status = 404, description = "No such delivery", body = ErrorBody),
        (status = 409, description = "The endpoint is disabled", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn replay(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
) -> Result<(StatusCode, Json<WebhookDelivery>), Error> {
    Ok((StatusCode::ACCEPTED, Json(state.storage.replay_delivery(actor(&key, ip), id).await?)))
}
