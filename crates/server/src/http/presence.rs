//! Collision detection: members announce that they view or type in a conversation, and
//! everyone else in the workspace sees it live on `/events/stream`.

use axum::Json;
use axum::extract::State;
use switchboard_api::{ErrorBody, Presence, PresenceRequest};

use super::AppState;
use super::extract::{ApiJson, ApiPath, AuthErrors, ReadKey, WriteKey};
use crate::error::Error;

/// Announce viewing or typing (or `idle` to leave). Lapses after 15 s (viewing) or 6 s
/// (typing) unless repeated. Returns who is present now, the caller included.
#[utoipa::path(
    post,
    path = "/conversations/{id}/presence",
    operation_id = "announcePresence",
    tag = "conversations",
    security(("bearer" = ["write"])),
    params(("id" = String, Path, description = "Conversation id")),
    request_body = PresenceRequest,
    responses(
        (status = 200, body = Vec<Presence>),
        (status = 400, description = "Bad JSON or state", body = ErrorBody),
        (status = 404, description = "No such conversation in this workspace", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn announce(
    State(state): State<AppState>,
    WriteKey(key): WriteKey,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<PresenceRequest>,
) -> Result<Json<Vec<Presence>>, Error> {
    let conversation = state.storage.conversation(key.workspace_id.clone(), id).await?;
    let member = state.storage.member(key.workspace_id.clone(), key.member_id.clone()).await?;
    Ok(Json(state.presence.set(&key.workspace_id, &conversation.id, &member.id, &member.name, req.state)))
}

/// Who views or types in a conversation now.
#[utoipa::path(
    get,
    path = "/conversations/{id}/presence",
    operation_id = "listPresence",
    tag = "conversations",
    security(("bearer" = ["read"])),
    params(("id" = String, Path, description = "Conversation id")),
    responses(
        (status = 200, body = Vec<Presence>),
        (status = 404, description = "No such conversation in this workspace", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ReadKey(key): ReadKey,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<Presence>>, Error> {
    let conversation = state.storage.conversation(key.workspace_id.clone(), id).await?;
    Ok(Json(state.presence.list(&key.workspace_id, &conversation.id)))
}
