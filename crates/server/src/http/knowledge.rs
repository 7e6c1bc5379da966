//! Knowledge entries: what the AI agent may answer from.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use switchboard_api::{CreateKnowledgeRequest, ErrorBody, KnowledgeEntry, Page, PatchKnowledgeRequest};

use super::AppState;
use super::extract::{AdminKey, ApiJson, ApiPath, AuthErrors};
use super::record_query::Filters;
use super::validate;
use crate::error::Error;

const MAX_TITLE: usize = 200;
const MAX_BODY: usize = 20_000;
const MAX_URL: usize = 2048;

/// A new entry (admin).
#[utoipa::path(
    post,
    path = "/knowledge",
    operation_id = "createKnowledgeEntry",
    tag = "knowledge",
    security(("bearer" = ["admin"])),
    request_body = CreateKnowledgeRequest,
    responses(
        (status = 201, body = KnowledgeEntry),
        (status = 400, description = "Bad title, body or URL", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ApiJson(req): ApiJson<CreateKnowledgeRequest>,
) -> Result<(StatusCode, Json<KnowledgeEntry>), Error> {
    let now = crate::time::now();
    let entry = KnowledgeEntry {
        id: crate::ids::new_id("kn"),
        title: validate::required_text(&req.title, "title", MAX_TITLE)?,
        body: validate::required_text(&req.body, "body", MAX_BODY)?,
        url: req.url.as_deref().map(|u| validate::url(u, "url", MAX_URL)).transpose()?,
        created_at: now.clone(),
        updated_at: now,
        seq: 0,
    };
    Ok((StatusCode::CREATED, Json(state.storage.create_knowledge(key.workspace_id, entry).await?)))
}

/// Change an entry (admin); `url: null` removes the link.
#[utoipa::path(
    patch,
    path = "/knowledge/{id}",
    operation_id = "updateKnowledgeEntry",
    tag = "knowledge",
    security(("bearer" = ["admin"])),
    params(("id" = String, Path, description = "Knowledge entry id")),
    request_body = PatchKnowledgeRequest,
    responses(
        (status = 200, body = KnowledgeEntry),
        (status = 400, description = "Bad title, body or URL", body = ErrorBody),
        (status = 404, description = "No such entry", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<PatchKnowledgeRequest>,
) -> Result<Json<KnowledgeEntry>, Error> {
    let title = req.title.as_deref().map(|t| validate::required_text(t, "title", MAX_TITLE)).transpose()?;
    let body = req.body.as_deref().map(|b| validate::required_text(b, "body", MAX_BODY)).transpose()?;
    let url = req.url.map(|u| u.as_deref().map(|u| validate::url(u, "url", MAX_URL)).transpose()).transpose()?;
    let edit = Box::new(move |mut e: KnowledgeEntry| {
        if let Some(title) = title {
            e.title = title;
        }
        if let Some(body) = body {
            e.body = body;
        }
        if let Some(url) = url {
            e.url = url;
        }
        Ok(e)
    });
    Ok(Json(state.storage.edit_knowledge(key.workspace_id, id, edit).await?))
}

super::record_routes::record_routes! {
    record: KnowledgeEntry,
    collection: "/knowledge",
    list_doc: "Newest first; filter `updatedSince`.",
    filters: Filters::default(),
    list: list_knowledge,
    path: "/knowledge/{id}",
    tag: "knowledge",
    id: "Knowledge entry id",
    missing: "No such entry",
    get: knowledge,
    delete: delete_knowledge,
    delete_key: AdminKey,
    delete_scope: "admin",
    operations: ("listKnowledgeEntries", "getKnowledgeEntry", "deleteKnowledgeEntry"),
}
