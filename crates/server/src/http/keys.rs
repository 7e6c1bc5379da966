//! API key administration (admin scope). Secrets appear once, in the answer that creates
//! them; every action lands in the audit log.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use switchboard_api::{
    ApiKey, CreateKeyRequest, CreatedKey, ErrorBody, ListKeysQuery, RotateKeyRequest, RotatedKey, Scope,
};

use super::AppState;
use super::extract::{AdminKey, ApiJson, ApiPath, ApiQuery, AuthErrors, ClientIp, OptionalJson};
use super::idempotency::Sensitive;
use crate::error::Error;
use crate::storage::{Actor, AuthedKey, NewKey};

const MAX_NAME_CHARS: usize = 100;
const DEFAULT_GRACE_SECONDS: u32 = 24 * 60 * 60;
const MAX_GRACE_SECONDS: u32 = 30 * 24 * 60 * 60;

/// Who performs an administrative action, for the audit log.
pub(super) fn actor(key: &AuthedKey, ip: Option<String>) -> Actor {
    Actor {
        workspace_id: key.workspace_id.clone(),
        member_id: key.member_id.clone(),
        key_id: Some(key.key_id.clone()),
        ip,
    }
}

#[utoipa::path(
    get,
    path = "/keys",
    operation_id = "listKeys",
    tag = "keys",
    security(("bearer" = ["admin"])),
    params(ListKeysQuery),
    responses(
        (status = 200, body = Vec<ApiKey>),
        AuthErrors,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ApiQuery(q): ApiQuery<ListKeysQuery>,
) -> Result<Json<Vec<ApiKey>>, Error> {
    Ok(Json(state.storage.list_keys(key.workspace_id, q.include_inactive).await?))
}

/// Creates a key acting as the caller's member, or as `memberId`. The secret is in this
/// answer only.
#[utoipa::path(
    post,
    path = "/keys",
    operation_id = "createKey",
    tag = "keys",
    security(("bearer" = ["admin"])),
    request_body = CreateKeyRequest,
    responses(
        (status = 201, body = CreatedKey),
        (status = 400, description = "Bad name, scopes or expiry", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<CreateKeyRequest>,
) -> Result<Sensitive<CreatedKey>, Error> {
    let new = NewKey {
        member_id: req.member_id.unwrap_or_else(|| key.member_id.clone()),
        name: name(&req.name)?,
        scopes: scopes(req.scopes)?,
        expires_at: req.expires_at.as_deref().map(|e| super::validate::future_time(e, "expiresAt")).transpose()?,
    };
    let created = state.storage.create_key(actor(&key, ip), new).await?;
    Ok(Sensitive(StatusCode::CREATED, created))
}

/// Ends a key at once. Revoking a revoked key answers it unchanged.
#[utoipa::path(
    delete,
    path = "/keys/{id}",
    operation_id = "revokeKey",
    tag = "keys",
    security(("bearer" = ["admin"])),
    params(("id" = String, Path, description = "Key id")),
    responses(
        (status = 200, body = ApiKey),
        (status = 404, description = "No such key in this workspace", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn revoke(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ApiKey>, Error> {
    Ok(Json(state.storage.revoke_key(actor(&key, ip), id).await?))
}

/// A new secret for the key; the old one keeps working for the grace period.
#[utoipa::path(
    post,
    path = "/keys/{id}/rotate",
    operation_id = "rotateKey",
    tag = "keys",
    security(("bearer" = ["admin"])),
    params(("id" = String, Path, description = "Key id")),
    request_body(content = RotateKeyRequest, description = "Optional; an empty body uses the default grace period"),
    responses(
        (status = 200, body = RotatedKey),
        (status = 400, description = "Grace period out of range", body = ErrorBody),
        (status = 404, description = "No such key in this workspace", body = ErrorBody),
        (status = 409, description = "The key is revoked or expired", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn rotate(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
    OptionalJson(req): OptionalJson<RotateKeyRequest>,
) -> Result<Sensitive<RotatedKey>, Error> {
    let grace = req.grace_period_seconds.unwrap_or(DEFAULT_GRACE_SECONDS);
    if grace > MAX_GRACE_SECONDS {
        return Err(Error::invalid(format!("gracePeriodSeconds must be at most {MAX_GRACE_SECONDS} (30 days)")));
    }
    Ok(Sensitive(StatusCode::OK, state.storage.rotate_key(actor(&key, ip), id, grace).await?))
}

fn name(raw: &str) -> Result<String, Error> {
    super::validate::required_text(raw, "name", MAX_NAME_CHARS)
}

fn scopes(mut scopes: Vec<Scope>) -> Result<Vec<Scope>, Error> {
    if scopes.is_empty() {
        return Err(Error::invalid("scopes must name at least one of read, write, admin"));
    }
    scopes.sort_by_key(|s| s.as_str());
    scopes.dedup();
    Ok(scopes)
}
