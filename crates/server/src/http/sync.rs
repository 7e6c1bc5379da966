use axum::Json;
use axum::extract::State;
use switchboard_api::{ErrorBody, ErrorCode, MAX_SYNC_LIMIT, SyncPage, SyncQuery};

use super::AppState;
use super::extract::{ApiQuery, AuthErrors, ReadKey, page_limit};
use crate::error::Error;

/// Rows changed after `since`, in `seq` order, with the cursor to store next.
#[utoipa::path(
    get,
    path = "/sync",
    operation_id = "syncChanges",
    tag = "sync",
    security(("bearer" = ["read"])),
    params(SyncQuery),
    responses(
        (status = 200, body = SyncPage),
        (status = 400, description = "Bad since or limit", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn sync(
    State(state): State<AppState>,
    ReadKey(key): ReadKey,
    ApiQuery(q): ApiQuery<SyncQuery>,
) -> Result<Json<SyncPage>, Error> {
    let since = q.since.unwrap_or(0);
    if since < 0 {
        return Err(Error::api(ErrorCode::InvalidQuery, "since must be 0 or a cursor from a previous page"));
    }
    let limit = page_limit(q.limit, 500, MAX_SYNC_LIMIT)?;
    Ok(Json(state.storage.changes_since(key.workspace_id, since, limit).await?))
}
