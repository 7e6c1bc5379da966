use axum::Json;
use axum::extract::State;
use switchboard_api::{ErrorBody, KeyInfo, MeResponse, Scope};

use super::AppState;
use super::extract::Auth;
use crate::db::{get_member, get_workspace};
use crate::error::Error;

/// The workspace, member and key behind the API key (CAAC-compatible).
#[utoipa::path(
    get,
    path = "/me",
    tag = "workspace",
    security(("bearer" = [])),
    responses(
        (status = 200, body = MeResponse),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 403, description = "The key lacks the scope", body = ErrorBody),
    )
)]
pub async fn me(State(state): State<AppState>, Auth(key): Auth) -> Result<Json<MeResponse>, Error> {
    key.require(Scope::Read)?;
    let response = state
        .db
        .read(move |conn| {
            Ok(MeResponse {
                ok: true,
                workspace: get_workspace(conn, &key.workspace_id)?,
                member: get_member(conn, &key.workspace_id, &key.member_id)?,
                key: KeyInfo { id: key.key_id, prefix: key.prefix, scopes: key.scopes },
            })
        })
        .await?;
    Ok(Json(response))
}
