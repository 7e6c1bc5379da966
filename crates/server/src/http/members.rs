use axum::Json;
use axum::extract::{Path, State};
use switchboard_api::{ErrorBody, Member};

use super::AppState;
use super::extract::{AuthErrors, ReadKey};
use crate::error::Error;

/// Everyone in the workspace (to assign conversations to), by name.
#[utoipa::path(
    get,
    path = "/members",
    tag = "members",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<Member>),
        AuthErrors,
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
        AuthErrors,
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ReadKey(key): ReadKey,
    Path(id): Path<String>,
) -> Result<Json<Member>, Error> {
    Ok(Json(state.storage.member(key.workspace_id, id).await?))
}
