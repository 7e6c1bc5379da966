use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use switchboard_api::{CreateMemberRequest, ErrorBody, Member, PatchMemberRequest};

use super::AppState;
use super::extract::{AdminKey, ApiJson, ApiPath, AuthErrors, ClientIp, ReadKey};
use super::keys::actor;
use super::validate;
use crate::error::Error;

const MAX_NAME: usize = 100;

/// Everyone in the workspace (to assign conversations to), by name.
#[utoipa::path(
    get,
    path = "/members",
    operation_id = "listMembers",
    tag = "members",
    security(("bearer" = ["read"])),
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
    operation_id = "getMember",
    tag = "members",
    security(("bearer" = ["read"])),
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
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Member>, Error> {
    Ok(Json(state.storage.member(key.workspace_id, id).await?))
}

/// Add a teammate (admin or agent); audited. Give them a key with `POST /keys` and `memberId`.
#[utoipa::path(
    post,
    path = "/members",
    operation_id = "createMember",
    tag = "members",
    security(("bearer" = ["admin"])),
    request_body = CreateMemberRequest,
    responses(
        (status = 201, body = Member),
        (status = 400, description = "Bad name, or the owner role", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<CreateMemberRequest>,
) -> Result<(StatusCode, Json<Member>), Error> {
    let name = validate::required_text(&req.name, "name", MAX_NAME)?;
    Ok((StatusCode::CREATED, Json(state.storage.create_member(actor(&key, ip), name, req.role).await?)))
}

/// Rename a member or change them between admin and agent; audited.
#[utoipa::path(
    patch,
    path = "/members/{id}",
    operation_id = "updateMember",
    tag = "members",
    security(("bearer" = ["admin"])),
    params(("id" = String, Path, description = "Member id")),
    request_body = PatchMemberRequest,
    responses(
        (status = 200, body = Member),
        (status = 400, description = "Bad name", body = ErrorBody),
        (status = 404, description = "No such member in this workspace", body = ErrorBody),
        (status = 409, description = "Ownership does not change through the API", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<PatchMemberRequest>,
) -> Result<Json<Member>, Error> {
    let name = req.name.map(|n| validate::required_text(&n, "name", MAX_NAME)).transpose()?;
    let patch = PatchMemberRequest { name, role: req.role };
    Ok(Json(state.storage.patch_member(actor(&key, ip), id, patch).await?))
}
