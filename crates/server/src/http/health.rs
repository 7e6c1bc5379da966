use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use switchboard_api::{ErrorBody, ErrorCode};
use utoipa::ToSchema;

use super::AppState;
use crate::error::Error;

#[derive(Serialize, ToSchema)]
pub struct Health {
    ok: bool,
    service: &'static str,
    version: &'static str,
}

/// Liveness: the process answers. No key needed.
#[utoipa::path(get, path = "/", operation_id = "getLiveness", tag = "health", responses((status = 200, body = Health)))]
pub async fn live() -> Json<Health> {
    Json(Health { ok: true, service: "switchboard", version: env!("CARGO_PKG_VERSION") })
}

#[derive(Serialize, ToSchema)]
pub struct Ready {
    ready: bool,
}

/// Readiness: 503 until the database is migrated and holds its workspace. No key needed.
#[utoipa::path(
    get,
    path = "/ready",
    operation_id = "getReadiness",
    tag = "health",
    responses(
        (status = 200, body = Ready),
        (status = 503, description = "Still starting", body = ErrorBody),
    )
)]
pub async fn ready(State(state): State<AppState>) -> Result<Json<Ready>, Error> {
    if state.ready.load(Ordering::Acquire) {
        Ok(Json(Ready { ready: true }))
    } else {
        Err(Error::api(ErrorCode::Unavailable, "the server is starting"))
    }
}
