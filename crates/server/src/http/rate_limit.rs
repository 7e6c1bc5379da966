//! Per-key rate limits (GCRA, the `governor` crate). Every authenticated answer says where
//! the caller stands, in the IETF draft's structured headers:
//! `RateLimit-Policy: "default";q=600;w=60` and `RateLimit: "default";r=599;t=1`.
//! Over the limit: 429 `rate_limited` with `Retry-After`.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dashmap::DashMap;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::{Quota, RateLimiter};
use switchboard_api::ErrorCode;

use super::AppState;
use super::extract::Auth;
use crate::error::Error;

type KeyLimiter =
    RateLimiter<governor::state::NotKeyed, governor::state::InMemoryState, DefaultClock, StateInformationMiddleware>;

/// One limiter per API key, created with its workspace's quota.
pub struct RateLimits {
    default_per_minute: NonZeroU32,
    limiters: DashMap<String, (u32, Arc<KeyLimiter>)>,
    clock: DefaultClock,
}

impl RateLimits {
    pub fn new(default_per_minute: u32) -> Self {
        Self {
            default_per_minute: NonZeroU32::new(default_per_minute).unwrap_or(NonZeroU32::MIN),
            limiters: DashMap::new(),
            clock: DefaultClock::default(),
        }
    }

    fn limiter(&self, key_id: &str, per_minute: NonZeroU32) -> Arc<KeyLimiter> {
        let wanted = per_minute.get();
        if let Some(entry) = self.limiters.get(key_id).filter(|e| e.0 == wanted) {
            return entry.1.clone();
        }
        // A changed quota starts a fresh bucket.
        let limiter = Arc::new(RateLimiter::direct(Quota::per_minute(per_minute)).with_middleware());
        self.limiters.insert(key_id.to_owned(), (wanted, limiter.clone()));
        limiter
    }
}

pub async fn rate_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !request.headers().contains_key(header::AUTHORIZATION) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    // A bad key is the handler's 401 to give; only known keys are metered.
    let Ok(Auth(caller)) = Auth::from_request_parts(&mut parts, &state).await else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let limits = &state.rate_limits;
    let per_minute = caller.rate_limit_per_minute.and_then(NonZeroU32::new).unwrap_or(limits.default_per_minute);
    let limiter = limits.limiter(&caller.key_id, per_minute);
    let window = Duration::from_secs(60) / per_minute.get();
    match limiter.check() {
        Ok(snapshot) => {
            let remaining = snapshot.remaining_burst_capacity();
            let refill = window * (per_minute.get() - remaining);
            let mut response = next.run(Request::from_parts(parts, body)).await;
            headers(response.headers_mut(), per_minute.get(), remaining, refill);
            response
        }
        Err(not_until) => {
            let wait = not_until.wait_time_from(limits.clock.now());
            let retry_after = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let mut response = Error::api(
                ErrorCode::RateLimited,
                format!("rate limit of {per_minute} requests a minute reached; retry in {retry_after} s"),
            )
            .into_response();
            let h = response.headers_mut();
            h.insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            headers(h, per_minute.get(), 0, window * per_minute.get());
            response
        }
    }
}

fn headers(h: &mut HeaderMap, per_minute: u32, remaining: u32, refill: Duration) {
    let reset = refill.as_secs() + u64::from(refill.subsec_nanos() > 0);
    if let Ok(v) = HeaderValue::from_str(&format!("\"default\";q={per_minute};w=60")) {
        h.insert("ratelimit-policy", v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("\"default\";r={remaining};t={reset}")) {
        h.insert("ratelimit", v);
    }
}
