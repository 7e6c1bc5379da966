//! `Idempotency-Key` on every write (Stripe's rules): the same key with the same request
//! replays the first response for 24 h, marked `Idempotent-Replayed: true`; the same key
//! with a different request is 422; while the first is still running, 409. Server errors
//! are not kept, so a retry runs again. Keys are scoped to the caller's workspace.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use switchboard_api::{ErrorCode, IDEMPOTENCY_KEY_HEADER};

use super::extract::{Auth, IdempotencyKey};
use super::{AppState, MAX_BODY_BYTES};
use crate::error::Error;
use crate::storage::{IdempotencyBegin, StoredResponse};

/// Responses larger than this are answered but not kept for replay.
const MAX_STORED_BYTES: usize = 1024 * 1024;
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

pub async fn idempotency(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_write = matches!(*request.method(), Method::POST | Method::PATCH | Method::PUT | Method::DELETE);
    if !is_write || !request.headers().contains_key(IDEMPOTENCY_KEY_HEADER) {
        return next.run(request).await;
    }
    // From here on the request runs to the end, and its answer is kept, even if the caller
    // hangs up (a killed client, a dropped connection): a key claimed and then abandoned
    // half-way would stay "in flight" and its retry be refused until it is given up on.
    let task = tokio::spawn(async move {
        match run(state, request, next).await {
            Ok(response) | Err(response) => response,
        }
    });
    task.await.unwrap_or_else(|_| Error::api(ErrorCode::Internal, "internal error").into_response())
}

async fn run(state: AppState, request: Request, next: Next) -> Result<Response, Response> {
    let (mut parts, body) = request.into_parts();
    // The caller first: without a key a request is 401 whatever else is wrong with it, and
    // the workspace scopes the Idempotency-Key.
    let Auth(caller) = Auth::from_request_parts(&mut parts, &state).await.map_err(IntoResponse::into_response)?;
    let IdempotencyKey(key) =
        IdempotencyKey::from_request_parts(&mut parts, &state).await.map_err(IntoResponse::into_response)?;
    let Some(key) = key else { return Ok(next.run(Request::from_parts(parts, body)).await) };
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES).await.map_err(|_| {
        Error::api(ErrorCode::PayloadTooLarge, format!("request body is larger than {MAX_BODY_BYTES} bytes"))
            .into_response()
    })?;
    let fingerprint = fingerprint(&parts.method, parts.uri.path_and_query().map_or("", |p| p.as_str()), &bytes);
    let ws = caller.workspace_id.clone();
    let begin = state
        .storage
        .idempotency_begin(ws.clone(), key.clone(), fingerprint)
        .await
        .map_err(IntoResponse::into_response)?;
    match begin {
        IdempotencyBegin::Proceed => {}
        IdempotencyBegin::Replay(stored) => return Ok(replayed(stored)),
        IdempotencyBegin::InFlight => {
            return Err(Error::api(
                ErrorCode::IdempotencyKeyInUse,
                "a request with this Idempotency-Key is still being processed",
            )
            .into_response());
        }
        IdempotencyBegin::Mismatch => {
            return Err(Error::api(
                ErrorCode::IdempotencyKeyReused,
                "this Idempotency-Key was already used for a different request",
            )
            .into_response());
        }
    }

    let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    keep(state, ws, key, response).await
}

/// An answer with something secret in it (a new API key, a webhook signing secret, the
/// custom headers receivers' credentials travel in), for this request's eyes only. What is
/// kept for a replay with the same `Idempotency-Key` is the same answer with `secret` null,
/// `secretWithheld: "secret_shown_once"` and header values blank: none of it is written to
/// disk, and a replay, perhaps after the key was revoked, cannot hand it out again.
pub struct Sensitive<T>(pub StatusCode, pub T);

/// The body to keep for replay instead of the one sent; `None`: keep nothing.
#[derive(Clone)]
struct ReplayBody(Option<Vec<u8>>);

impl<T: serde::Serialize> IntoResponse for Sensitive<T> {
    fn into_response(self) -> Response {
        let Sensitive(status, body) = self;
        let Ok(value) = serde_json::to_value(&body) else {
            return Error::api(ErrorCode::Internal, "internal error").into_response();
        };
        let mut response = (status, axum::Json(&value)).into_response();
        // Fails closed: what cannot be made safe to keep is not kept (a retry runs again).
        let withheld = crate::replay::withhold(value).and_then(|v| serde_json::to_vec(&v).ok());
        response.extensions_mut().insert(ReplayBody(withheld));
        response
    }
}

/// Whether a body that is not `Sensitive` still carries a secret: a handler's mistake,
/// which must not reach the disk.
fn mentions_secret(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .is_some_and(|v| v.get("secret").is_some_and(serde_json::Value::is_string))
}

/// Stores the handler's answer for replay (or forgets the key when it is not one to keep).
async fn keep(state: AppState, ws: String, key: String, response: Response) -> Result<Response, Response> {
    let (head, body) = response.into_parts();
    let withheld = head.extensions.get::<ReplayBody>().map(|r| r.0.clone());
    if !keeps(head.status) {
        forget(&state, ws, key).await;
        return Ok(Response::from_parts(head, body));
    }
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        forget(&state, ws, key).await;
        return Err(Error::api(ErrorCode::Internal, "internal error").into_response());
    };
    let keepable = match withheld {
        Some(withheld) => withheld,
        None if mentions_secret(&bytes) => None,
        None => Some(bytes.to_vec()),
    };
    match keepable.filter(|b| b.len() <= MAX_STORED_BYTES) {
        Some(body) => {
            let stored = StoredResponse { status: head.status.as_u16(), body };
            if let Err(e) = state.storage.idempotency_finish(ws, key, Some(stored)).await {
                tracing::error!(error = %e, "could not keep a response for idempotent replay");
            }
        }
        None => forget(&state, ws, key).await,
    }
    Ok(Response::from_parts(head, Body::from(bytes)))
}

/// Kept: what the request itself decided. Not kept: server errors and answers about the
/// caller's situation rather than the request (auth, rate, conflicts), which may change.
fn keeps(status: StatusCode) -> bool {
    !status.is_server_error() && !matches!(status.as_u16(), 401 | 403 | 409 | 429)
}

async fn forget(state: &AppState, workspace_id: String, key: String) {
    if let Err(e) = state.storage.idempotency_finish(workspace_id, key, None).await {
        tracing::error!(error = %e, "could not release an Idempotency-Key");
    }
}

fn fingerprint(method: &Method, path_and_query: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method.as_str().as_bytes());
    hasher.update(b" ");
    hasher.update(path_and_query.as_bytes());
    hasher.update(b"\n");
    hasher.update(body);
    hex::encode(hasher.finalize())
}

fn replayed(stored: StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = (status, stored.body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    response
}
