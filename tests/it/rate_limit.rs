//! Per-key rate limits: GCRA quota, 429 with Retry-After, RateLimit headers.
//! The quota here is 3 a minute, so nothing refills while a test runs (one every 20 s).

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use switchboard_api::Scope;
use switchboard_tests::{TestServer, raw};

async fn start(per_minute: u32) -> (switchboard_server::RunningServer, String, tempfile::TempDir) {
    let t = TestServer::start_with(false, |c| c.rate_limit_per_minute = per_minute).await;
    (t.server, t.key, t.dir)
}

async fn me(server: &switchboard_server::RunningServer, key: &str) -> reqwest::Response {
    raw().get(format!("{}/api/v1/me", server.base_url())).bearer_auth(key).send().await.unwrap()
}

#[tokio::test]
async fn the_quota_counts_down_then_refuses_with_retry_after() {
    let (server, key, _dir) = start(3).await;
    for remaining in [2, 1, 0] {
        let res = me(&server, &key).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["ratelimit-policy"], "\"default\";q=3;w=60");
        let state = res.headers()["ratelimit"].to_str().unwrap().to_owned();
        assert!(state.starts_with(&format!("\"default\";r={remaining};t=")), "{state}");
    }
    let refused = me(&server, &key).await;
    assert_eq!(refused.status(), 429);
    let retry_after: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=20).contains(&retry_after), "one request refills every 20 s, got {retry_after}");
    assert!(refused.headers()["ratelimit"].to_str().unwrap().contains(";r=0;"));
    assert_eq!(refused.json::<Value>().await.unwrap()["code"], "rate_limited");

    // Another key of the same workspace has its own bucket.
    let other = server.issue_owner_key("Second", &[Scope::Read]).await.unwrap();
    assert_eq!(me(&server, &other.plaintext).await.status(), 200);
    // Unauthenticated routes are not metered.
    for _ in 0..5 {
        assert_eq!(raw().get(format!("{}/", server.base_url())).send().await.unwrap().status(), 200);
    }
}

#[tokio::test]
async fn a_workspace_quota_overrides_the_default() {
    let (server, key, _dir) = start(1).await;
    let workspace_id = server.workspace().id.clone();
    assert_eq!(me(&server, &key).await.status(), 200);
    assert_eq!(me(&server, &key).await.status(), 429);
    server.set_rate_limit(&workspace_id, Some(100)).await.unwrap();
    let res = me(&server, &key).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["ratelimit-policy"], "\"default\";q=100;w=60");
    assert!(server.set_rate_limit(&workspace_id, Some(0)).await.is_err());
    assert!(server.set_rate_limit("ws_nope", Some(5)).await.is_err());
}

#[tokio::test]
async fn a_throttled_write_does_not_use_up_its_idempotency_key() {
    let (server, key, _dir) = start(1).await;
    let workspace_id = server.workspace().id.clone();
    server.receive(&workspace_id, "+14155550123", switchboard_api::Channel::Whatsapp, "Hi").await.unwrap();
    assert_eq!(me(&server, &key).await.status(), 200);
    let send = || {
        raw()
            .post(format!("{}/api/v1/messages", server.base_url()))
            .bearer_auth(&key)
            .header("idempotency-key", "after-throttle")
            .json(&json!({"to": "+14155550123", "text": "hello"}))
            .send()
    };
    assert_eq!(send().await.unwrap().status(), 429);
    server.set_rate_limit(&workspace_id, Some(100)).await.unwrap();
    let res = send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("idempotent-replayed").is_none(), "the throttled attempt must not be replayed");
}
