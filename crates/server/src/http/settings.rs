//! The workspace's settings: where the business is (time zone, region).

use axum::Json;
use axum::extract::State;
use switchboard_ai::locale::{effective, parse_zone};
use switchboard_api::{ErrorBody, PatchSettingsRequest, WorkspaceSettings};

use super::AppState;
use super::extract::{AdminKey, ApiJson, AuthErrors, ClientIp, ReadKey};
use super::keys::actor;
use crate::error::Error;
use crate::record_storage::{PageRequest, RecordFilter};
use crate::storage::{Region, WorkspaceLocale};

/// The workspace's settings, with what the AI agent goes by when they are not set.
#[utoipa::path(
    get,
    path = "/settings",
    operation_id = "getSettings",
    tag = "workspace",
    security(("bearer" = ["read"])),
    responses(
        (status = 200, body = WorkspaceSettings),
        AuthErrors,
    )
)]
pub async fn get(State(state): State<AppState>, ReadKey(key): ReadKey) -> Result<Json<WorkspaceSettings>, Error> {
    let locale = state.storage.locale(key.workspace_id.clone()).await?;
    Ok(Json(settings(&state, key.workspace_id, locale).await?))
}

/// Change the settings (admin): a field left out stays, `null` clears it.
#[utoipa::path(
    patch,
    path = "/settings",
    operation_id = "updateSettings",
    tag = "workspace",
    security(("bearer" = ["admin"])),
    request_body = PatchSettingsRequest,
    responses(
        (status = 200, body = WorkspaceSettings),
        (status = 400, description = "An unknown time zone or region", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<PatchSettingsRequest>,
) -> Result<Json<WorkspaceSettings>, Error> {
    let zone = req
        .time_zone
        .map(|z| {
            z.map(|name| {
                parse_zone(&name).ok_or_else(|| {
                    Error::invalid("timeZone must be an IANA time zone name such as \"America/Sao_Paulo\"")
                })
            })
            .transpose()
        })
        .transpose()?;
    let region = req
        .region
        .map(|r| {
            r.map(|code| {
                Region::parse(&code).ok_or_else(|| {
                    Error::invalid("region must be an ISO 3166-1 alpha-2 code in capitals, such as \"BR\"")
                })
            })
            .transpose()
        })
        .transpose()?;
    let workspace_id = key.workspace_id.clone();
    let edit = Box::new(move |mut locale: WorkspaceLocale| {
        if let Some(zone) = zone {
            locale.zone = zone;
        }
        if let Some(region) = region {
            locale.region = region;
        }
        locale
    });
    let locale = state.storage.edit_locale(actor(&key, ip), edit).await?;
    Ok(Json(settings(&state, workspace_id, locale).await?))
}

async fn settings(state: &AppState, workspace_id: String, locale: WorkspaceLocale) -> Result<WorkspaceSettings, Error> {
    let page = PageRequest { after: None, limit: crate::ai::KNOWLEDGE_READ };
    let knowledge = state.storage.list_knowledge(workspace_id, RecordFilter::default(), page).await?.data;
    let business = state.ai.business(&knowledge);
    let region = locale.region.map(|r| r.as_str().to_owned());
    let (agent_region, agent_zone) = effective(region.clone(), locale.zone, business.region.as_deref());
    Ok(WorkspaceSettings {
        time_zone: locale.zone.map(|z| z.name().to_owned()),
        region,
        agent_time_zone: agent_zone.map(|z| z.name().to_owned()),
        agent_region,
        time_zones: switchboard_ai::locale::zone_names().into_iter().map(str::to_owned).collect(),
        regions: switchboard_ai::locale::regions().to_vec(),
    })
}
