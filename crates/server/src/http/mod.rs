//! API v1 routes. Every response that is not 2xx carries `{error, code}`.
//!
//! Routes are registered only through `utoipa_axum::routes!`, so each one is in the
//! OpenAPI spec as well (`tests::every_route_is_registered_with_its_spec` keeps it so).

mod ai;
mod appointments;
mod audit;
mod channel_rules;
mod channels;
#[cfg(feature = "conformance")]
pub mod conformance;
mod contacts;
mod content;
mod conversations;
mod deliveries;
mod extract;
mod health;
mod idempotency;
mod keys;
mod knowledge;
mod labels;
mod leads;
mod me;
mod members;
mod messages;
mod openapi;
mod openapi_formats;
mod openapi_rules;
mod presence;
mod rate_limit;
mod record_query;
mod record_routes;
mod settings;
mod stream;
mod sync;
mod templates;
mod usage;
mod validate;
mod webhook_rules;
mod webhooks;
mod whatsapp;
mod widget;
mod widget_guard;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use switchboard_api::ErrorCode;
use tower_http::catch_panic::CatchPanicLayer;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Error;
use crate::storage::Storage;

pub use openapi::spec;

/// Requests larger than this are refused with 413 before they are parsed.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub storage: Arc<dyn Storage>,
    /// Flips when the server stops, so open event streams end and shutdown completes.
    pub stopping: tokio::sync::watch::Receiver<bool>,
    /// False until the database is migrated and has its workspace.
    pub ready: Arc<AtomicBool>,
    /// The OpenAPI document, serialized once.
    pub spec: Arc<String>,
    pub rate_limits: Arc<rate_limit::RateLimits>,
    pub presence: Arc<crate::presence::PresenceBoard>,
    pub webhook_policy: crate::webhooks::ssrf::TargetPolicy,
    pub ai: Arc<switchboard_ai::AiEngine>,
    pub widget_limits: Arc<widget_guard::WidgetLimits>,
    pub graph: crate::channels::whatsapp::graph::GraphClient,
}

/// Every documented route, relative to the server root.
fn routes() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .routes(routes!(openapi::openapi_json))
        .routes(routes!(me::me))
        .routes(routes!(settings::get, settings::patch))
        .routes(routes!(messages::send))
        .routes(routes!(ai::reply))
        .routes(routes!(conversations::list))
        .routes(routes!(conversations::counts))
        .routes(routes!(conversations::get, conversations::patch))
        .routes(routes!(messages::list, messages::post))
        .routes(routes!(messages::update_status))
        .routes(routes!(presence::list, presence::announce))
        .routes(routes!(conversations::mark_read))
        .routes(routes!(conversations::escalate))
        .routes(routes!(sync::sync))
        .routes(routes!(stream::stream))
        .routes(routes!(keys::list, keys::create))
        .routes(routes!(keys::revoke))
        .routes(routes!(keys::rotate))
        .routes(routes!(audit::list))
        .routes(routes!(usage::usage))
        .routes(routes!(members::list, members::create))
        .routes(routes!(members::get, members::patch))
        .routes(routes!(contacts::list, contacts::create))
        .routes(routes!(contacts::get, contacts::patch))
        .routes(routes!(leads::list, leads::create))
        .routes(routes!(leads::get, leads::patch, leads::delete))
        .routes(routes!(appointments::list, appointments::create))
        .routes(routes!(appointments::get, appointments::patch, appointments::delete))
        .routes(routes!(labels::list, labels::create))
        .routes(routes!(labels::get, labels::patch, labels::delete))
        .routes(routes!(templates::list, templates::create))
        .routes(routes!(templates::get, templates::patch, templates::delete))
        .routes(routes!(knowledge::list, knowledge::create))
        .routes(routes!(knowledge::import))
        .routes(routes!(knowledge::get, knowledge::patch, knowledge::delete))
        .routes(routes!(webhooks::list, webhooks::create))
        .routes(routes!(webhooks::get, webhooks::patch, webhooks::delete))
        .routes(routes!(webhooks::rotate))
        .routes(routes!(webhooks::test))
        .routes(routes!(deliveries::list))
        .routes(routes!(deliveries::get))
        .routes(routes!(deliveries::replay))
        .routes(routes!(channels::list, channels::create))
        .routes(routes!(channels::get, channels::patch, channels::delete))
        .routes(routes!(channels::media))
        .routes(routes!(whatsapp::verify, whatsapp::notify))
        .routes(routes!(widget::create_contact))
        .routes(routes!(widget::get_contact))
        .routes(routes!(widget::list_conversations, widget::open_conversation))
        .routes(routes!(widget::list_messages, widget::post_message));
    OpenApiRouter::with_openapi(openapi::base())
        .routes(routes!(health::live))
        .routes(routes!(health::ready))
        .routes(routes!(widget::page))
        .routes(routes!(widget::script))
        .nest(switchboard_api::API_BASE, v1)
}

/// What the HTTP layer needs besides storage.
pub struct HttpConfig {
    pub stopping: tokio::sync::watch::Receiver<bool>,
    pub ready: Arc<AtomicBool>,
    /// Requests a minute per API key, unless its workspace sets its own.
    pub rate_limit_per_minute: u32,
    /// Where webhook URLs may point.
    pub webhook_policy: crate::webhooks::ssrf::TargetPolicy,
    pub ai: Arc<switchboard_ai::AiEngine>,
    /// Requests a minute per address to the web widget's public API.
    pub widget_rate_limit_per_minute: u32,
    /// Reads media that contacts sent on WhatsApp.
    pub graph: crate::channels::whatsapp::graph::GraphClient,
    /// Holds every answer to the document (tests only).
    #[cfg(feature = "conformance")]
    pub conformance: Option<Arc<conformance::Conformance>>,
}

pub fn router(storage: Arc<dyn Storage>, config: HttpConfig) -> Router {
    let (router, spec) = routes().split_for_parts();
    let spec = Arc::new(openapi::complete(spec).to_string());
    #[cfg(feature = "conformance")]
    let conformance = config.conformance.clone();
    let HttpConfig {
        stopping,
        ready,
        rate_limit_per_minute,
        webhook_policy,
        ai,
        widget_rate_limit_per_minute,
        graph,
        ..
    } = config;
    let rate_limits = Arc::new(rate_limit::RateLimits::new(rate_limit_per_minute));
    let presence = Arc::default();
    let widget_limits = Arc::new(widget_guard::WidgetLimits::new(widget_rate_limit_per_minute));
    let state =
        AppState { storage, stopping, ready, spec, rate_limits, presence, webhook_policy, ai, widget_limits, graph };
    let router = router
        // Only requests that reach a route and method: a wrong method is 405, whatever
        // its Idempotency-Key.
        .route_layer(middleware::from_fn_with_state(state.clone(), idempotency::idempotency));
    #[cfg(feature = "conformance")]
    let router = match conformance {
        Some(c) => router.route_layer(middleware::from_fn_with_state(c, conformance::check)),
        None => router,
    };
    router
        .fallback(route_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), widget_guard::guard))
        .layer(middleware::from_fn_with_state(state.clone(), rate_limit::rate_limit))
        .layer(middleware::from_fn_with_state(state.clone(), until_ready))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(coded_errors))
        .layer(CatchPanicLayer::custom(|_| Error::api(ErrorCode::Internal, "internal error").into_response()))
        .with_state(state)
}

/// While the database is being prepared, only the health routes answer.
async fn until_ready(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if state.ready.load(Ordering::Acquire) || request.uri().path() == "/" {
        return next.run(request).await;
    }
    let mut response = Error::api(ErrorCode::Unavailable, "the server is starting; try again shortly").into_response();
    response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static("1"));
    response
}

/// The last guard of "every error is `{error, code}`": an API answer of 400 or more that
/// is not JSON (a rejection some extractor left in axum's plain text) is rewritten with
/// the code its status stands for, and logged, because it means an extractor to fix.
async fn coded_errors(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with(switchboard_api::API_BASE);
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !api || status.as_u16() < 400 || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.map(|b| String::from_utf8_lossy(&b).trim().to_owned());
    let text =
        text.ok().filter(|t| !t.is_empty()).unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned());
    let code = match status.as_u16() {
        401 => ErrorCode::InvalidApiKey,
        403 => ErrorCode::InsufficientScope,
        404 => ErrorCode::RouteNotFound,
        405 => ErrorCode::MethodNotAllowed,
        409 => ErrorCode::Conflict,
        413 => ErrorCode::PayloadTooLarge,
        415 => ErrorCode::UnsupportedMediaType,
        429 => ErrorCode::RateLimited,
        503 => ErrorCode::Unavailable,
        s if s >= 500 => ErrorCode::Internal,
        _ => ErrorCode::InvalidParameter,
    };
    tracing::warn!(status = status.as_u16(), %code, "an error answered without a code");
    let mut coded = (status, axum::Json(switchboard_api::ErrorBody { error: text, code })).into_response();
    for (name, value) in &parts.headers {
        if name != axum::http::header::CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            coded.headers_mut().insert(name.clone(), value.clone());
        }
    }
    coded
}

async fn route_not_found() -> Error {
    Error::api(ErrorCode::RouteNotFound, "no such route")
}

async fn method_not_allowed() -> Error {
    Error::api(ErrorCode::MethodNotAllowed, "this route does not accept that method")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;

    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    /// Before migrations finish, only liveness answers; everything else is a coded 503.
    #[tokio::test]
    async fn until_ready_only_liveness_answers() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = crate::db::Db::connect(&dir.path().join("db.sqlite3"), Arc::new(crate::vault::Vault::ephemeral()))
            .expect("connect");
        let (_stop, stopping) = tokio::sync::watch::channel(false);
        let ready = Arc::new(AtomicBool::new(false));
        let config = super::HttpConfig {
            stopping,
            ready: ready.clone(),
            rate_limit_per_minute: 60,
            webhook_policy: Default::default(),
            ai: Arc::new(crate::ai::engine(Default::default(), None).expect("ai engine")),
            widget_rate_limit_per_minute: 60,
            graph: crate::channels::whatsapp::graph::GraphClient::new(Default::default()).expect("graph client"),
            #[cfg(feature = "conformance")]
            conformance: None,
        };
        let app = super::router(Arc::new(db), config);
        let call = |path: &str| {
            let app = app.clone();
            let request = Request::get(path).body(Body::empty()).expect("request");
            async move { app.oneshot(request).await.expect("response") }
        };
        assert_eq!(call("/").await.status(), StatusCode::OK);
        for path in ["/ready", "/api/v1/me", "/api/v1/openapi.json"] {
            let response = call(path).await;
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
            assert_eq!(response.headers()["retry-after"], "1");
            let body = axum::body::to_bytes(response.into_body(), 1 << 16).await.expect("body");
            let body: serde_json::Value = serde_json::from_slice(&body).expect("json");
            assert_eq!(body["code"], "unavailable");
        }
        ready.store(true, std::sync::atomic::Ordering::Release);
        assert_eq!(call("/api/v1/openapi.json").await.status(), StatusCode::OK);
    }

    /// A route added with axum's plain route method would be served but missing from the spec.
    #[test]
    fn every_route_is_registered_with_its_spec() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http");
        let forbidden = [concat!(".", "route("), concat!(".", "route_service(")];
        for entry in std::fs::read_dir(&dir).expect("http folder") {
            let path = entry.expect("entry").path();
            let source = std::fs::read_to_string(&path).expect("read");
            for needle in forbidden {
                assert!(!source.contains(needle), "{} registers a route outside routes!()", path.display());
            }
        }
    }
}
