//! Contacts: the people conversations are with.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use switchboard_api::{Contact, CreateContactRequest, ErrorBody, ListContactsQuery, Page, PatchContactRequest};

use super::AppState;
use super::extract::{ApiJson, ApiPath, ApiQuery, AuthErrors, ReadKey, WriteKey};
use super::{record_query, validate};
use crate::error::Error;

const MAX_NAME: usize = 200;
const MAX_EXTERNAL_ID: usize = 200;

/// Newest first; `q` matches name, phone, email or external id.
#[utoipa::path(
    get,
    path = "/contacts",
    operation_id = "listContacts",
    tag = "contacts",
    security(("bearer" = ["read"])),
    params(ListContactsQuery),
    responses(
        (status = 200, body = Page<Contact>),
        (status = 400, description = "Bad limit, cursor or filter", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ReadKey(key): ReadKey,
    ApiQuery(q): ApiQuery<ListContactsQuery>,
) -> Result<Json<Page<Contact>>, Error> {
    let bad = |m: &str| Error::api(switchboard_api::ErrorCode::InvalidQuery, m.to_owned());
    let page = record_query::page(q.limit, q.cursor.as_deref())?;
    let text = validate::text(q.q.as_deref().unwrap_or_default(), "q", 200).map_err(|_| bad("q is too long"))?;
    let since = record_query::updated_since(q.updated_since.as_deref())?;
    Ok(Json(state.storage.list_contacts(key.workspace_id, text, since, page.after, page.limit).await?))
}

#[utoipa::path(
    get,
    path = "/contacts/{id}",
    operation_id = "getContact",
    tag = "contacts",
    security(("bearer" = ["read"])),
    params(("id" = String, Path, description = "Contact id")),
    responses(
        (status = 200, body = Contact),
        (status = 404, description = "No such contact in this workspace", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ReadKey(key): ReadKey,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Contact>, Error> {
    Ok(Json(state.storage.contact(key.workspace_id, id).await?))
}

/// A new contact; at least one of name, phone, email or externalId.
#[utoipa::path(
    post,
    path = "/contacts",
    operation_id = "createContact",
    tag = "contacts",
    security(("bearer" = ["write"])),
    request_body = CreateContactRequest,
    responses(
        (status = 201, body = Contact),
        (status = 400, description = "Bad field, or nothing to know the contact by", body = ErrorBody),
        (status = 409, description = "The phone or external id belongs to another contact", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    WriteKey(key): WriteKey,
    ApiJson(req): ApiJson<CreateContactRequest>,
) -> Result<(StatusCode, Json<Contact>), Error> {
    validate::attributes(&req.custom_attributes, false)?;
    let new = CreateContactRequest {
        name: validate::optional_text(req.name.as_deref(), "name", MAX_NAME)?,
        phone: req.phone.as_deref().map(validate::phone).transpose()?,
        email: req.email.as_deref().map(validate::email).transpose()?,
        external_id: validate::optional_text(req.external_id.as_deref(), "externalId", MAX_EXTERNAL_ID)?,
        custom_attributes: req.custom_attributes,
    };
    if new.name.is_none() && new.phone.is_none() && new.email.is_none() && new.external_id.is_none() {
        return Err(Error::invalid("give at least one of name, phone, email or externalId"));
    }
    Ok((StatusCode::CREATED, Json(state.storage.create_contact(key.workspace_id, new).await?)))
}

/// Fields present change, `null` clears; `customAttributes` merges key by key.
#[utoipa::path(
    patch,
    path = "/contacts/{id}",
    operation_id = "updateContact",
    tag = "contacts",
    security(("bearer" = ["write"])),
    params(("id" = String, Path, description = "Contact id")),
    request_body = PatchContactRequest,
    responses(
        (status = 200, body = Contact),
        (status = 400, description = "Bad field", body = ErrorBody),
        (status = 404, description = "No such contact in this workspace", body = ErrorBody),
        (status = 409, description = "The phone or external id belongs to another contact", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    WriteKey(key): WriteKey,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<PatchContactRequest>,
) -> Result<Json<Contact>, Error> {
    if let Some(attrs) = &req.custom_attributes {
        validate::attributes(attrs, true)?;
    }
    let patch = PatchContactRequest {
        name: req.name.map(|n| validate::optional_text(n.as_deref(), "name", MAX_NAME)).transpose()?,
        phone: req.phone.map(|p| p.as_deref().map(validate::phone).transpose()).transpose()?,
        email: req.email.map(|e| e.as_deref().map(validate::email).transpose()).transpose()?,
        external_id: req
            .external_id
            .map(|e| validate::optional_text(e.as_deref(), "externalId", MAX_EXTERNAL_ID))
            .transpose()?,
        custom_attributes: req.custom_attributes,
    };
    Ok(Json(state.storage.patch_contact(key.workspace_id, id, patch).await?))
}
