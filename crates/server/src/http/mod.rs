//! API v1 routes. Every response that is not 2xx carries `{error, code}`.

mod conversations;
mod extract;
mod me;
mod messages;
mod stream;
mod sync;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use switchboard_api::ErrorCode;
use tower_http::catch_panic::CatchPanicLayer;

use crate::db::Db;
use crate::error::Error;

/// Requests larger than this are refused with 413 before they are parsed.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Flips when the server stops, so open event streams end and shutdown completes.
    pub stopping: tokio::sync::watch::Receiver<bool>,
}

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/me", get(me::me))
        .route("/messages", post(messages::send))
        .route("/conversations", get(conversations::list))
        .route("/conversations/{id}", get(conversations::get))
        .route("/conversations/{id}/messages", get(messages::list).post(messages::post))
        .route("/sync", get(sync::sync))
        .route("/events/stream", get(stream::stream));
    Router::new()
        .nest(switchboard_api::API_BASE, api)
        .fallback(route_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(CatchPanicLayer::custom(|_| Error::api(ErrorCode::Internal, "internal error").into_response()))
        .with_state(state)
}

async fn route_not_found() -> Error {
    Error::api(ErrorCode::RouteNotFound, "no such route")
}

async fn method_not_allowed() -> Error {
    Error::api(ErrorCode::MethodNotAllowed, "this route does not accept that method")
}
