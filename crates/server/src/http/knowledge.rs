//! Knowledge entries: what the AI agent may answer from.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use switchboard_ai::import::{MAX_BODY, MAX_TITLE, plan};
use switchboard_ai::site::{DEFAULT_PAGES, MAX_PAGES};
use switchboard_api::{
    CreateKnowledgeRequest, ErrorBody, ImportKnowledgeRequest, ImportedPage, KnowledgeEntry, KnowledgeImport, Page,
    PatchKnowledgeRequest, SkippedPage,
};

use super::AppState;
use super::extract::{AdminKey, ApiJson, ApiPath, AuthErrors};
use super::record_query::Filters;
use super::validate;
use crate::error::Error;

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
        imported: false,
        created_at: now.clone(),
        updated_at: now,
        seq: 0,
    };
    Ok((StatusCode::CREATED, Json(state.storage.create_knowledge(key.workspace_id, entry).await?)))
}

/// Change an entry (admin); `url: null` removes the link. An imported entry, once edited,
/// is the editor's: imports leave it as it is.
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
        e.imported = false;
        Ok(e)
    });
    Ok(Json(state.storage.edit_knowledge(key.workspace_id, id, edit).await?))
}

/// Reads a website into knowledge (admin): the page at `url` and the pages it links to on
/// the same site (robots.txt respected; at most `maxPages`, 10 MB and a minute), one
/// entry per heading. Importing again updates those entries: changed text is replaced,
/// new headings are added, and headings gone from a page read again are removed. Entries
/// a person wrote or edited are left as they are, even when they cite a page read.
#[utoipa::path(
    post,
    path = "/knowledge/import",
    operation_id = "importKnowledge",
    tag = "knowledge",
    security(("bearer" = ["admin"])),
    request_body = ImportKnowledgeRequest,
    responses(
        (status = 200, body = KnowledgeImport),
        (status = 400, description = "Bad URL or page count", body = ErrorBody),
        (status = 422, description = "The site could not be read (refused address, robots.txt, no text)", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn import(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ApiJson(req): ApiJson<ImportKnowledgeRequest>,
) -> Result<Json<KnowledgeImport>, Error> {
    let url = validate::url(&req.url, "url", MAX_URL)?;
    let pages = match req.max_pages {
        None => DEFAULT_PAGES,
        Some(n) if (1..=MAX_PAGES as u32).contains(&n) => n as usize,
        Some(_) => return Err(Error::invalid(format!("maxPages must be between 1 and {MAX_PAGES}"))),
    };
    let site = state.ai.read_site(&url, pages).await?;
    let urls: Vec<String> = site.pages.iter().map(|p| p.url.clone()).collect();
    let now = crate::time::now();
    let read = site.pages.clone();
    let changes = state
        .storage
        .import_knowledge(
            key.workspace_id,
            urls,
            Box::new(move |existing| plan(existing, &read, &now, || crate::ids::new_id("kn"))),
        )
        .await?;
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(Json(KnowledgeImport {
        pages: site
            .pages
            .iter()
            .map(|p| ImportedPage { url: p.url.clone(), title: p.title.clone(), entries: count(p.sections.len()) })
            .collect(),
        skipped: site.skipped.into_iter().map(|s| SkippedPage { url: s.url, reason: s.reason }).collect(),
        created: count(changes.create.len()),
        updated: count(changes.update.len()),
        unchanged: count(changes.unchanged),
        removed: count(changes.delete.len()),
        edited: count(changes.edited),
    }))
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
