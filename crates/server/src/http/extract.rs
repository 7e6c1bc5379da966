//! Extractors that turn every rejection into a coded error instead of axum's plain text.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use switchboard_api::{ErrorCode, IDEMPOTENCY_KEY_HEADER};

use super::AppState;
use crate::error::Error;
use crate::storage::AuthedKey;

pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        // Two steps, so that a well-formed body of the wrong shape is `invalid_body` (with
        // the field's path), and only text that is not JSON at all is `invalid_json`.
        let mut value = match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(value)) => value,
            Err(rejection) => return Err(json_error(rejection)),
        };
        whole_numbers(&mut value);
        // Every body is an object; serde would also read a struct from an array.
        if !value.is_object() {
            return Err(Error::api(ErrorCode::InvalidBody, "the body must be a JSON object"));
        }
        serde_path_to_error::deserialize(value).map(Self).map_err(|e| {
            let path = e.path().to_string();
            let message = if path == "." { e.inner().to_string() } else { format!("{path}: {}", e.inner()) };
            Error::api(ErrorCode::InvalidBody, message)
        })
    }
}

/// `51.0` is the integer 51 to JSON (and to JSON Schema); serde would refuse it for an
/// integer field. Fractions stay as they are, and are refused there.
fn whole_numbers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15) {
                // Exact below 2^53; the cast cannot lose anything there.
                #[allow(clippy::cast_possible_truncation)]
                let whole = f as i64;
                *n = serde_json::Number::from(whole);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        serde_json::Value::Object(map) => map.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

fn json_error(rejection: JsonRejection) -> Error {
    match rejection {
        JsonRejection::JsonSyntaxError(e) => {
            Error::api(ErrorCode::InvalidJson, format!("malformed JSON: {}", e.body_text()))
        }
        JsonRejection::JsonDataError(e) => Error::api(ErrorCode::InvalidBody, e.body_text()),
        JsonRejection::MissingJsonContentType(_) => {
            Error::api(ErrorCode::UnsupportedMediaType, "expected Content-Type: application/json")
        }
        JsonRejection::BytesRejection(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => Error::api(
            ErrorCode::PayloadTooLarge,
            format!("request body is larger than {} bytes", super::MAX_BODY_BYTES),
        ),
        other => Error::api(ErrorCode::InvalidBody, other.body_text()),
    }
}

/// Like [`ApiJson`], but an empty body (or JSON `null`) means `T::default()`.
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for OptionalJson<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let headers = req.headers();
        let length = headers.get(axum::http::header::CONTENT_LENGTH);
        // No length and no chunking (curl -X POST) is an empty body too.
        let empty = length.is_some_and(|v| v.as_bytes() == b"0")
            || (length.is_none() && !headers.contains_key(axum::http::header::TRANSFER_ENCODING));
        if empty {
            return Ok(Self(T::default()));
        }
        let (parts, body) = req.into_parts();
        let ApiBytes(bytes) = ApiBytes::from_request(Request::from_parts(parts.clone(), body), state).await?;
        if bytes.trim_ascii().is_empty() || bytes.trim_ascii() == b"null" {
            return Ok(Self(T::default()));
        }
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        ApiJson::<T>::from_request(req, state).await.map(|ApiJson(v)| Self(v))
    }
}

/// Path parameters; one that is not UTF-8 (`%FF`) or not of the type is `invalid_parameter`.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Self(p.0))
            .map_err(|e: PathRejection| Error::api(ErrorCode::InvalidParameter, e.body_text()))
    }
}

/// A raw body (signed ingress, checked byte for byte) within the server's body limit.
pub struct ApiBytes(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for ApiBytes {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::body::Bytes::from_request(req, state).await.map(Self).map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                Error::api(
                    ErrorCode::PayloadTooLarge,
                    format!("request body is larger than {} bytes", super::MAX_BODY_BYTES),
                )
            } else {
                Error::api(ErrorCode::InvalidBody, e.body_text())
            }
        })
    }
}

pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Self(q.0))
            .map_err(|e: QueryRejection| Error::api(ErrorCode::InvalidQuery, e.body_text()))
    }
}

/// The caller, from `Authorization: Bearer <key>`.
pub struct Auth(pub AuthedKey);

impl FromRequestParts<AppState> for Auth {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // Middleware that needed the caller first (idempotency) leaves it here.
        if let Some(authed) = parts.extensions.get::<AuthedKey>() {
            return Ok(Self(authed.clone()));
        }
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(|| Error::api(ErrorCode::MissingApiKey, "send the API key as 'Authorization: Bearer <key>'"))?;
        let key = header
            .to_str()
            .ok()
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, key)| key.trim().to_owned())
            .ok_or_else(|| Error::api(ErrorCode::InvalidApiKey, "the Authorization header is not 'Bearer <key>'"))?;
        let authed = state.storage.authenticate(key).await?;
        parts.extensions.insert(authed.clone());
        Ok(Self(authed))
    }
}

/// A caller whose key holds a scope, checked before the body is read, so a caller without
/// the scope learns nothing about what the body would have done.
macro_rules! scoped_key {
    ($name:ident, $scope:expr) => {
        pub struct $name(pub AuthedKey);

        impl FromRequestParts<AppState> for $name {
            type Rejection = Error;

            async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
                let Auth(key) = Auth::from_request_parts(parts, state).await?;
                key.require($scope)?;
                Ok(Self(key))
            }
        }
    };
}

scoped_key!(ReadKey, switchboard_api::Scope::Read);
scoped_key!(WriteKey, switchboard_api::Scope::Write);
scoped_key!(AdminKey, switchboard_api::Scope::Admin);

/// The errors every secured route may answer, for the OpenAPI document.
#[derive(utoipa::IntoResponses)]
// Never built: it only describes responses to the OpenAPI generator.
#[allow(dead_code)]
pub enum AuthErrors {
    /// Missing or invalid API key.
    #[response(status = 401)]
    Unauthorized(switchboard_api::ErrorBody),
    /// The key lacks the scope.
    #[response(status = 403)]
    Forbidden(switchboard_api::ErrorBody),
    /// Rate limit reached; see Retry-After.
    #[response(status = 429)]
    RateLimited(switchboard_api::ErrorBody),
}

/// The peer's address, for the audit log. Absent when the server runs without one (tests
/// calling the router directly).
pub struct ClientIp(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        Ok(Self(peer.map(|c| c.0.ip().to_string())))
    }
}

/// The optional `Idempotency-Key` header: 1–255 visible ASCII characters.
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(IDEMPOTENCY_KEY_HEADER) else {
            return Ok(Self(None));
        };
        let bad = || Error::api(ErrorCode::InvalidParameter, "Idempotency-Key must be 1-255 visible ASCII characters");
        let key = value.to_str().map_err(|_| bad())?;
        if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(bad());
        }
        Ok(Self(Some(key.to_owned())))
    }
}

/// A requested page size, 1 to `max` as the document states, or the default.
pub fn page_limit(requested: Option<u32>, default: u32, max: u32) -> Result<u32, Error> {
    match requested {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(Error::api(ErrorCode::InvalidQuery, format!("limit must be 1 to {max}"))),
    }
}
