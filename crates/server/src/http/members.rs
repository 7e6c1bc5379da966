use axum::Json;
use axum::extract::{Path, State};
use switchboard_api::{ErrorBody, Member};

use super::AppState;
use super::extract::ReadKey;
use crate::error::Error;

/// Everyone in the workspace (to assign conversations to), by name.
#[utoipa::path(
    get,
    path = "/members",
    tag = "members",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<Member>),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 403, description = "The key lacks the scope", body = ErrorBody),
        (status = 429, description = "Rate limit reached; see Retry-After", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>, ReadKey(key): ReadKey) -> Result<Json<Vec<Member>>, Error> {
    Ok(Json(state.storage.members(key.workspace_id).await?))
}

#[utoipa::path(
    get,
    path = "/members/{id}",
    tag = "members",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Member id")),
    responses(
        (status = 200, body = Member),
        (status = 404, description = "No such member in this workspace", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 403, description = "The key lacks the scope", body = ErrorBody),
        (status = 429, description = "Rate limit reached; see Retry-After", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ReadKey(key): ReadKey,
    Path(id): Path<String>,
) -> Result<Json<Member>, Error> {
    Ok(Json(state.storage.member(key.workspace_id, id).await?))
}
