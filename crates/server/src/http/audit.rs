use axum::Json;
use axum::extract::State;
use switchboard_api::{AuditEntry, ErrorBody, ListAuditQuery, Page};

use super::AppState;
use super::extract::{AdminKey, ApiQuery, AuthErrors, page_limit};
use crate::error::Error;

/// Who did what to keys (and later webhooks and members), newest first. Admin scope.
#[utoipa::path(
    get,
    path = "/audit-log",
    operation_id = "listAuditLog",
    tag = "audit",
    security(("bearer" = ["admin"])),
    params(ListAuditQuery),
    responses(
        (status = 200, body = Page<AuditEntry>),
        (status = 400, description = "Bad limit or cursor", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ApiQuery(q): ApiQuery<ListAuditQuery>,
) -> Result<Json<Page<AuditEntry>>, Error> {
    let limit = page_limit(q.limit, 50, 200)?;
    Ok(Json(state.storage.audit_log(key.workspace_id, q.cursor, limit).await?))
}
