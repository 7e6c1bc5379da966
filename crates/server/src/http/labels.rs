//! Labels: the workspace's palette of tags for conversations.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use switchboard_api::{CreateLabelRequest, ErrorBody, Label, Page, PatchLabelRequest};

use super::AppState;
use super::extract::{AdminKey, ApiJson, ApiPath, AuthErrors};
use super::record_query::Filters;
use super::validate;
use crate::error::Error;

const DEFAULT_COLOR: &str = "#6b7280";

/// A new label (admin). Names are unique ignoring case, 1–50 characters, no commas.
#[utoipa::path(
    post,
    path = "/labels",
    operation_id = "createLabel",
    tag = "labels",
    security(("bearer" = ["admin"])),
    request_body = CreateLabelRequest,
    responses(
        (status = 201, body = Label),
        (status = 400, description = "Bad name or color", body = ErrorBody),
        (status = 409, description = "A label with this name exists", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ApiJson(req): ApiJson<CreateLabelRequest>,
) -> Result<(StatusCode, Json<Label>), Error> {
    let name = validate::required_text(&req.name, "name", 50)?;
    if name.contains(',') {
        return Err(Error::invalid("name must not contain commas"));
    }
    let now = crate::time::now();
    let label = Label {
        id: crate::ids::new_id("lbl"),
        name,
        color: req.color.as_deref().map(validate::color).transpose()?.unwrap_or_else(|| DEFAULT_COLOR.to_owned()),
        description: validate::optional_text(req.description.as_deref(), "description", 500)?,
        created_at: now.clone(),
        updated_at: now,
        seq: 0,
    };
    Ok((StatusCode::CREATED, Json(state.storage.create_label(key.workspace_id, label).await?)))
}

/// Change the colour or description (admin). The name stays: conversations carry it.
#[utoipa::path(
    patch,
    path = "/labels/{id}",
    operation_id = "updateLabel",
    tag = "labels",
    security(("bearer" = ["admin"])),
    params(("id" = String, Path, description = "Label id")),
    request_body = PatchLabelRequest,
    responses(
        (status = 200, body = Label),
        (status = 400, description = "Bad color or description", body = ErrorBody),
        (status = 404, description = "No such label", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<PatchLabelRequest>,
) -> Result<Json<Label>, Error> {
    let color = req.color.as_deref().map(validate::color).transpose()?;
    let description = req.description.map(|d| validate::optional_text(d.as_deref(), "description", 500)).transpose()?;
    let edit = Box::new(move |mut label: Label| {
        if let Some(color) = color {
            label.color = color;
        }
        if let Some(description) = description {
            label.description = description;
        }
        Ok(label)
    });
    Ok(Json(state.storage.edit_label(key.workspace_id, id, edit).await?))
}

super::record_routes::record_routes! {
    record: Label,
    collection: "/labels",
    list_doc: "Newest first; filter `updatedSince`.",
    filters: Filters::default(),
    list: list_labels,
    path: "/labels/{id}",
    tag: "labels",
    id: "Label id",
    missing: "No such label",
    get: label,
    delete: delete_label,
    delete_key: AdminKey,
    delete_scope: "admin",
    operations: ("listLabels", "getLabel", "deleteLabel"),
}
