use axum::Json;
use axum::extract::State;
use switchboard_api::{KeyInfo, MeResponse};

use super::AppState;
use super::extract::{AuthErrors, ReadKey};
use crate::error::Error;

/// The workspace, member and key behind the API key (CAAC-compatible).
#[utoipa::path(
    get,
    path = "/me",
    operation_id = "getMe",
    tag = "workspace",
    security(("bearer" = ["read"])),
    responses(
        (status = 200, body = MeResponse),
        AuthErrors,
    )
)]
pub async fn me(State(state): State<AppState>, ReadKey(key): ReadKey) -> Result<Json<MeResponse>, Error> {
    let response = MeResponse {
        ok: true,
        workspace: state.storage.workspace(key.workspace_id.clone()).await?,
        member: state.storage.member(key.workspace_id.clone(), key.member_id.clone()).await?,
        key: KeyInfo { id: key.key_id, prefix: key.prefix, scopes: key.scopes },
    };
    Ok(Json(response))
}
