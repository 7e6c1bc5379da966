//! Guards the widget's public API: CORS limited to the inbox's allowed origins (and the
//! server's own pages), preflights answered here, and a per-address quota, since there is
//! no key to meter. A browser on another origin is refused before the handler runs, so a
//! page it was not meant for cannot write into the inbox.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use switchboard_api::ErrorCode;

use super::AppState;
use crate::error::Error;

const PREFIX: &str = "/api/v1/widget/";

pub struct WidgetLimits {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl WidgetLimits {
    pub fn new(per_minute: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN));
        Self { limiter: RateLimiter::keyed(quota), clock: DefaultClock::default() }
    }
}

pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let Some(rest) = path.strip_prefix(PREFIX) else { return next.run(request).await };
    let inbox_id = rest.split('/').next().unwrap_or_default().to_owned();

    if let Some(ip) = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
        && let Err(not_until) = state.widget_limits.limiter.check_key(&ip)
    {
        let wait = not_until.wait_time_from(state.widget_limits.clock.now()).as_secs().max(1);
        let mut response =
            Error::api(ErrorCode::RateLimited, "too many messages from this address; wait a moment").into_response();
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return response;
    }

    let origin = request.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let Some(origin) = origin else {
        // Not a browser's cross-origin call (a server, curl): nothing for CORS to guard.
        return next.run(request).await;
    };
    let allowed = match state.storage.web_inbox(inbox_id).await {
        Ok(Some(inbox)) => {
            inbox.web().is_some_and(|w| w.allowed_origins.contains(&origin)) || same_origin(request.headers(), &origin)
        }
        Ok(None) => same_origin(request.headers(), &origin),
        Err(e) => return e.into_response(),
    };
    if !allowed {
        return Error::api(ErrorCode::OriginNotAllowed, format!("this inbox does not take messages from {origin}"))
            .into_response();
    }
    let mut response = if request.method() == Method::OPTIONS {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST"));
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type"));
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        r
    } else {
        next.run(request).await
    };
    if let Ok(value) = HeaderValue::from_str(&origin) {
        response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    response.headers_mut().append(header::VARY, HeaderValue::from_static("Origin"));
    response
}

/// The widget page this server serves calls its own API; browsers send `Origin` on
/// those POSTs too.
fn same_origin(headers: &HeaderMap, origin: &str) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else { return false };
    origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_origin_is_scheme_and_exactly_the_host() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h, "http://127.0.0.1:8080"));
        assert!(!same_origin(&h, "http://127.0.0.1:8081"));
        assert!(!same_origin(&h, "http://127.0.0.1:8080.evil.example"));
        assert!(!same_origin(&h, "null"));
    }
}
