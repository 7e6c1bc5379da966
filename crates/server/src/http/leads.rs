//! Leads: people who showed interest, captured by the AI agent or entered by members.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use switchboard_api::{CreateLeadRequest, ErrorBody, ErrorCode, Lead, LeadStatus, Page, PatchLeadRequest};

use super::AppState;
use super::extract::{ApiJson, ApiPath, AuthErrors, WriteKey};
use super::record_query::Filters;
use super::validate;
use crate::error::Error;

const MAX_FIELD: usize = 200;
const MAX_INTEREST: usize = 1000;

/// A new lead; at least one of name, email or phone.
#[utoipa::path(
    post,
    path = "/leads",
    operation_id = "createLead",
    tag = "leads",
    security(("bearer" = ["write"])),
    request_body = CreateLeadRequest,
    responses(
        (status = 201, body = Lead),
        (status = 400, description = "Bad field, unknown contact or conversation, or nothing to reach them by", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    WriteKey(key): WriteKey,
    ApiJson(req): ApiJson<CreateLeadRequest>,
) -> Result<(StatusCode, Json<Lead>), Error> {
    let now = crate::time::now();
    let lead = Lead {
        id: crate::ids::new_id("lead"),
        contact_id: req.contact_id,
        conversation_id: req.conversation_id,
        name: validate::optional_text(req.name.as_deref(), "name", MAX_FIELD)?,
        email: req.email.as_deref().map(validate::email).transpose()?,
        phone: req.phone.as_deref().map(validate::phone).transpose()?,
        interest: validate::optional_text(req.interest.as_deref(), "interest", MAX_INTEREST)?,
        status: req.status.unwrap_or(LeadStatus::New),
        created_at: now.clone(),
        updated_at: now,
        seq: 0,
    };
    if lead.name.is_none() && lead.email.is_none() && lead.phone.is_none() {
        return Err(Error::invalid("give at least one of name, email or phone"));
    }
    Ok((StatusCode::CREATED, Json(state.storage.create_lead(key.workspace_id, lead).await?)))
}

/// Move a lead along the pipeline or correct its details; `null` clears a field.
#[utoipa::path(
    patch,
    path = "/leads/{id}",
    operation_id = "updateLead",
    tag = "leads",
    security(("bearer" = ["write"])),
    params(("id" = String, Path, description = "Lead id")),
    request_body = PatchLeadRequest,
    responses(
        (status = 200, body = Lead),
        (status = 400, description = "Bad field, or no way left to reach them", body = ErrorBody),
        (status = 404, description = "No such lead", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    WriteKey(key): WriteKey,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<PatchLeadRequest>,
) -> Result<Json<Lead>, Error> {
    let name = req.name.map(|n| validate::optional_text(n.as_deref(), "name", MAX_FIELD)).transpose()?;
    let email = req.email.map(|e| e.as_deref().map(validate::email).transpose()).transpose()?;
    let phone = req.phone.map(|p| p.as_deref().map(validate::phone).transpose()).transpose()?;
    let interest = req.interest.map(|i| validate::optional_text(i.as_deref(), "interest", MAX_INTEREST)).transpose()?;
    let status = req.status;
    let edit = Box::new(move |mut lead: Lead| {
        if let Some(name) = name {
            lead.name = name;
        }
        if let Some(email) = email {
            lead.email = email;
        }
        if let Some(phone) = phone {
            lead.phone = phone;
        }
        if let Some(interest) = interest {
            lead.interest = interest;
        }
        if let Some(status) = status {
            lead.status = status;
        }
        if lead.name.is_none() && lead.email.is_none() && lead.phone.is_none() {
            // Depends on what the lead holds, not on the request alone.
            return Err(Error::api(ErrorCode::InvalidState, "a lead keeps at least one of name, email or phone"));
        }
        Ok(lead)
    });
    Ok(Json(state.storage.edit_lead(key.workspace_id, id, edit).await?))
}

super::record_routes::record_routes! {
    record: Lead,
    collection: "/leads",
    list_doc: "Newest first; filters `status`, `contactId`, `updatedSince`.",
    filters: Filters { status: Some(|s| LeadStatus::parse(s).is_some()), contact: true, language: false },
    list: list_leads,
    path: "/leads/{id}",
    tag: "leads",
    id: "Lead id",
    missing: "No such lead",
    get: lead,
    delete: delete_lead,
    delete_key: WriteKey,
    delete_scope: "write",
    operations: ("listLeads", "getLead", "deleteLead"),
}
