use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApi, OpenApiBuilder};

use super::AppState;

/// The document every route adds itself to.
pub fn base() -> OpenApi {
    let mut bearer = Http::new(HttpAuthScheme::Bearer);
    bearer.description = Some("An API key: `Authorization: Bearer sb_live_…`".into());
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Switchboard workspace API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "API v1 of a Switchboard workspace. `/me`, `/messages` and `/ai/reply` are compatible with \
                     the CAAC Go Developer API v1. Errors are `{error, code}` with a stable `code`. Each \
                     operation names the key scope it needs (`read`, `write` or `admin`; admin includes write, \
                     write includes read) in its `bearer` security requirement.",
                ))
                .build(),
        )
        .components(Some(ComponentsBuilder::new().security_scheme("bearer", SecurityScheme::Http(bearer)).build()))
        .build()
}

/// The complete OpenAPI 3.1 document of this server: the routes' types, with the rules
/// the handlers enforce (`openapi_rules.rs`).
pub fn spec() -> serde_json::Value {
    complete(super::routes().into_openapi())
}

/// The document of `openapi` as served.
pub fn complete(openapi: OpenApi) -> serde_json::Value {
    let mut doc = serde_json::to_value(&openapi).unwrap_or_default();
    super::openapi_rules::complete(&mut doc);
    doc
}

/// This document. No key needed.
#[utoipa::path(
    get,
    path = "/openapi.json",
    operation_id = "getOpenApiDocument",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json"))
)]
pub async fn openapi_json(State(state): State<AppState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], state.spec.as_str().to_owned())
}
