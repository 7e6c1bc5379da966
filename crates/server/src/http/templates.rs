//! Message templates: WhatsApp's way to write first or after the 24-hour window.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use switchboard_api::{
    CreateTemplateRequest, ErrorBody, ErrorCode, MessageTemplate, Page, PatchTemplateRequest, TemplateStatus,
};

use super::AppState;
use super::extract::{AdminKey, ApiJson, ApiPath, AuthErrors};
use super::record_query::Filters;
use super::validate;
use crate::error::Error;

/// WhatsApp's limit for a template body.
const MAX_BODY: usize = 1024;

/// A new template (admin). Parameters are `{{1}}`, `{{2}}`, … numbered from 1 without gaps.
#[utoipa::path(
    post,
    path = "/templates",
    operation_id = "createTemplate",
    tag = "templates",
    security(("bearer" = ["admin"])),
    request_body = CreateTemplateRequest,
    responses(
        (status = 201, body = MessageTemplate),
        (status = 400, description = "Bad name, language or body", body = ErrorBody),
        (status = 409, description = "A template with this name and language exists", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ApiJson(req): ApiJson<CreateTemplateRequest>,
) -> Result<(StatusCode, Json<MessageTemplate>), Error> {
    let (body, param_count) = body(&req.body)?;
    let now = crate::time::now();
    let template = MessageTemplate {
        id: crate::ids::new_id("tpl"),
        name: validate::template_name(&req.name)?,
        language: validate::language(&req.language)?,
        category: req.category,
        body,
        param_count,
        status: req.status.unwrap_or(TemplateStatus::Approved),
        created_at: now.clone(),
        updated_at: now,
        seq: 0,
    };
    Ok((StatusCode::CREATED, Json(state.storage.create_template(key.workspace_id, template).await?)))
}

/// Change the body, category or review status (admin).
#[utoipa::path(
    patch,
    path = "/templates/{id}",
    operation_id = "updateTemplate",
    tag = "templates",
    security(("bearer" = ["admin"])),
    params(("id" = String, Path, description = "Template id")),
    request_body = PatchTemplateRequest,
    responses(
        (status = 200, body = MessageTemplate),
        (status = 400, description = "Bad body", body = ErrorBody),
        (status = 404, description = "No such template", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    AdminKey(key): AdminKey,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<PatchTemplateRequest>,
) -> Result<Json<MessageTemplate>, Error> {
    let new_body = req.body.as_deref().map(body).transpose()?;
    let edit = Box::new(move |mut t: MessageTemplate| {
        if let Some((body, params)) = new_body {
            t.body = body;
            t.param_count = params;
        }
        if let Some(category) = req.category {
            t.category = category;
        }
        if let Some(status) = req.status {
            t.status = status;
        }
        Ok(t)
    });
    Ok(Json(state.storage.edit_template(key.workspace_id, id, edit).await?))
}

/// A template body and its parameter count: `{{n}}` placeholders numbered 1..=count, each
/// used at least once.
fn body(raw: &str) -> Result<(String, i64), Error> {
    let body = validate::required_text(raw, "body", MAX_BODY)?;
    // The parameters' grammar is beyond what the OpenAPI document can state: a body that
    // breaks it is well-formed text WhatsApp would refuse (`invalid_template`, 422).
    let invalid = |m: &str| Error::api(ErrorCode::InvalidTemplate, m.to_owned());
    let mut seen = std::collections::BTreeSet::new();
    let mut rest = body.as_str();
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| invalid("body: '{{' without a closing '}}'"))?;
        let n: u32 = after[..end].trim().parse().map_err(|_| invalid("body: parameters are numbers, like {{1}}"))?;
        seen.insert(n);
        rest = &after[end + 2..];
    }
    let count = seen.len() as u32;
    if seen.iter().copied().ne(1..=count) {
        return Err(invalid("body: parameters must be numbered {{1}}, {{2}}, … without gaps"));
    }
    Ok((body, i64::from(count)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_counted_and_numbered_without_gaps() {
        assert_eq!(body("Hi {{1}}, your visit is on {{2}}. See you, {{1}}!").expect("valid").1, 2);
        assert_eq!(body("No parameters").expect("valid").1, 0);
        assert!(body("Hi {{2}}").is_err());
        assert!(body("Hi {{name}}").is_err());
        assert!(body("Hi {{1").is_err());
    }
}

super::record_routes::record_routes! {
    record: MessageTemplate,
    collection: "/templates",
    list_doc: "Newest first; filters `status`, `language`, `updatedSince`.",
    filters: Filters { status: Some(|s| TemplateStatus::parse(s).is_some()), contact: false, language: true },
    list: list_templates,
    path: "/templates/{id}",
    tag: "templates",
    id: "Template id",
    missing: "No such template",
    get: template,
    delete: delete_template,
    delete_key: AdminKey,
    delete_scope: "admin",
    operations: ("listTemplates", "getTemplate", "deleteTemplate"),
}
