//! Appointments: booking requests and what became of them.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use switchboard_api::{
    Appointment, AppointmentStatus, CreateAppointmentRequest, ErrorBody, ErrorCode, Page, PatchAppointmentRequest,
};

use super::AppState;
use super::extract::{ApiJson, ApiPath, AuthErrors, WriteKey};
use super::record_query::Filters;
use super::validate;
use crate::error::Error;

const MAX_SERVICE: usize = 200;
const MAX_TEXT: usize = 1000;

#[utoipa::path(
    post,
    path = "/appointments",
    operation_id = "createAppointment",
    tag = "appointments",
    security(("bearer" = ["write"])),
    request_body = CreateAppointmentRequest,
    responses(
        (status = 201, body = Appointment),
        (status = 400, description = "Bad field, or unknown contact or conversation", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    WriteKey(key): WriteKey,
    ApiJson(req): ApiJson<CreateAppointmentRequest>,
) -> Result<(StatusCode, Json<Appointment>), Error> {
    let now = crate::time::now();
    let appointment = Appointment {
        id: crate::ids::new_id("appt"),
        contact_id: req.contact_id,
        conversation_id: req.conversation_id,
        service: validate::required_text(&req.service, "service", MAX_SERVICE)?,
        preferred_time: validate::optional_text(req.preferred_time.as_deref(), "preferredTime", MAX_SERVICE)?,
        starts_at: req.starts_at.as_deref().map(|t| validate::time(t, "startsAt")).transpose()?,
        status: req.status.unwrap_or(AppointmentStatus::Requested),
        name: validate::optional_text(req.name.as_deref(), "name", MAX_SERVICE)?,
        phone: req.phone.as_deref().map(validate::phone).transpose()?,
        notes: validate::optional_text(req.notes.as_deref(), "notes", MAX_TEXT)?,
        created_at: now.clone(),
        updated_at: now,
        seq: 0,
    };
    Ok((StatusCode::CREATED, Json(state.storage.create_appointment(key.workspace_id, appointment).await?)))
}

/// Confirm, decline or cancel, set the agreed time, or correct details. Declined and
/// cancelled appointments are final.
#[utoipa::path(
    patch,
    path = "/appointments/{id}",
    operation_id = "updateAppointment",
    tag = "appointments",
    security(("bearer" = ["write"])),
    params(("id" = String, Path, description = "Appointment id")),
    request_body = PatchAppointmentRequest,
    responses(
        (status = 200, body = Appointment),
        (status = 400, description = "Bad field", body = ErrorBody),
        (status = 404, description = "No such appointment", body = ErrorBody),
        (status = 409, description = "The appointment was declined or cancelled", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    WriteKey(key): WriteKey,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<PatchAppointmentRequest>,
) -> Result<Json<Appointment>, Error> {
    let service = req.service.map(|s| validate::required_text(&s, "service", MAX_SERVICE)).transpose()?;
    let preferred_time =
        req.preferred_time.map(|t| validate::optional_text(t.as_deref(), "preferredTime", MAX_SERVICE)).transpose()?;
    let starts_at =
        req.starts_at.map(|t| t.as_deref().map(|t| validate::time(t, "startsAt")).transpose()).transpose()?;
    let notes = req.notes.map(|n| validate::optional_text(n.as_deref(), "notes", MAX_TEXT)).transpose()?;
    let status = req.status;
    let edit = Box::new(move |mut a: Appointment| {
        if let Some(status) = status.filter(|s| *s != a.status) {
            if a.status.is_final() {
                return Err(Error::api(
                    ErrorCode::InvalidState,
                    format!("the appointment is {}; book a new one instead", a.status.as_str()),
                ));
            }
            a.status = status;
        }
        if let Some(service) = service {
            a.service = service;
        }
        if let Some(t) = preferred_time {
            a.preferred_time = t;
        }
        if let Some(t) = starts_at {
            a.starts_at = t;
        }
        if let Some(n) = notes {
            a.notes = n;
        }
        Ok(a)
    });
    Ok(Json(state.storage.edit_appointment(key.workspace_id, id, edit).await?))
}

super::record_routes::record_routes! {
    record: Appointment,
    collection: "/appointments",
    list_doc: "Newest first; filters `status`, `contactId`, `updatedSince`.",
    filters: Filters { status: Some(|s| AppointmentStatus::parse(s).is_some()), contact: true, language: false },
    list: list_appointments,
    path: "/appointments/{id}",
    tag: "appointments",
    id: "Appointment id",
    missing: "No such appointment",
    get: appointment,
    delete: delete_appointment,
    delete_key: WriteKey,
    delete_scope: "write",
    operations: ("listAppointments", "getAppointment", "deleteAppointment"),
}
