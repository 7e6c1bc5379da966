//! API key administration and the audit log.

#![allow(clippy::unwrap_used)]

use reqwest::Method;
use serde_json::{Value, json};
use switchboard_api::Scope;
use switchboard_tests::{TestServer, call, raw};

async fn status_of(t: &TestServer, key: &str) -> u16 {
    raw().get(t.url("/me")).bearer_auth(key).send().await.unwrap().status().as_u16()
}

fn count(t: &TestServer, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(t.db_path()).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn a_created_key_works_and_its_secret_is_shown_once() {
    let t = TestServer::start(false).await;
    let (status, created) =
        call(&t, &t.key, Method::POST, "/keys", Some(json!({"name": "Zapier", "scopes": ["write", "read", "write"]})))
            .await;
    assert_eq!(status, 201);
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert_eq!(created["key"]["scopes"], json!(["read", "write"]));
    assert!(secret.starts_with(created["key"]["prefix"].as_str().unwrap()));
    assert_eq!(status_of(&t, &secret).await, 200);

    let (_, listed) = call(&t, &t.key, Method::GET, "/keys", None).await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert!(!listed.to_string().contains(&secret), "a list never shows a secret");
    let stored = std::fs::read(t.db_path()).unwrap();
    assert!(!stored.windows(secret.len()).any(|w| w == secret.as_bytes()), "only the hash is stored");
}

#[tokio::test]
async fn bad_key_requests_are_refused_and_write_nothing() {
    let t = TestServer::start(false).await;
    let (keys, audit) = (count(&t, "api_keys"), count(&t, "audit_log"));
    let cases = [
        (json!({"name": "", "scopes": ["read"]}), "invalid_parameter"),
        (json!({"name": "x".repeat(101), "scopes": ["read"]}), "invalid_parameter"),
        (json!({"name": "n", "scopes": []}), "invalid_parameter"),
        (json!({"name": "n", "scopes": ["superuser"]}), "invalid_body"),
        (json!({"name": "n", "scopes": "read"}), "invalid_body"),
        (json!({"name": "n", "scopes": ["read"], "expiresAt": "next tuesday"}), "invalid_parameter"),
        (json!({"name": "n", "scopes": ["read"], "owner": "me"}), "invalid_body"),
    ];
    for (body, code) in cases {
        let (status, answer) = call(&t, &t.key, Method::POST, "/keys", Some(body.clone())).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(answer["code"], code, "{body}");
    }
    let past = json!({"name": "n", "scopes": ["read"], "expiresAt": "2001-01-01T00:00:00Z"});
    let (status, answer) = call(&t, &t.key, Method::POST, "/keys", Some(past)).await;
    assert_eq!((status, answer["code"].as_str()), (422, Some("time_not_in_future")), "{answer}");
    let key_id = t.client().me().await.unwrap().key.id;
    let (status, answer) = call(
        &t,
        &t.key,
        Method::POST,
        &format!("/keys/{key_id}/rotate"),
        Some(json!({"gracePeriodSeconds": 99_999_999})),
    )
    .await;
    assert_eq!((status, answer["code"].as_str()), (400, Some("invalid_parameter")));
    assert_eq!((count(&t, "api_keys"), count(&t, "audit_log")), (keys, audit));
}

#[tokio::test]
async fn only_admin_keys_manage_keys() {
    let t = TestServer::start(false).await;
    let writer = t.server.issue_owner_key("Writer", &[Scope::Read, Scope::Write]).await.unwrap();
    let key_id = t.client().me().await.unwrap().key.id;
    for (method, path) in [
        (Method::GET, "/keys".to_owned()),
        (Method::POST, "/keys".to_owned()),
        (Method::DELETE, format!("/keys/{key_id}")),
        (Method::POST, format!("/keys/{key_id}/rotate")),
        (Method::GET, "/audit-log".to_owned()),
    ] {
        let body = (method == Method::POST).then(|| json!({"name": "n", "scopes": ["read"]}));
        let (status, answer) = call(&t, &writer.plaintext, method.clone(), &path, body).await;
        assert_eq!(status, 403, "{method} {path}");
        assert_eq!(answer["code"], "insufficient_scope");
    }
    assert_eq!(status_of(&t, &t.key).await, 200, "the admin key is untouched");
}

#[tokio::test]
async fn revoking_ends_a_key_at_once() {
    let t = TestServer::start(false).await;
    let (_, created) = call(&t, &t.key, Method::POST, "/keys", Some(json!({"name": "CI", "scopes": ["read"]}))).await;
    let (id, secret) = (created["key"]["id"].as_str().unwrap(), created["secret"].as_str().unwrap());
    let (status, revoked) = call(&t, &t.key, Method::DELETE, &format!("/keys/{id}"), None).await;
    assert_eq!(status, 200);
    assert!(revoked["revokedAt"].is_string());
    assert_eq!(status_of(&t, secret).await, 401);
    let (_, again) = call(&t, &t.key, Method::DELETE, &format!("/keys/{id}"), None).await;
    assert_eq!(again["revokedAt"], revoked["revokedAt"], "revoking twice changes nothing");

    let (_, active) = call(&t, &t.key, Method::GET, "/keys", None).await;
    assert!(active.as_array().unwrap().iter().all(|k| k["id"] != id));
    let (_, all) = call(&t, &t.key, Method::GET, "/keys?includeInactive=true", None).await;
    assert!(all.as_array().unwrap().iter().any(|k| k["id"] == id));
}

#[tokio::test]
async fn rotation_keeps_the_old_key_for_the_grace_period() {
    let t = TestServer::start(false).await;
    let (_, created) = call(&t, &t.key, Method::POST, "/keys", Some(json!({"name": "App", "scopes": ["write"]}))).await;
    let (id, old_secret) = (created["key"]["id"].as_str().unwrap(), created["secret"].as_str().unwrap());

    // An empty body: the default grace period of 24 hours.
    let res = raw().post(t.url(&format!("/keys/{id}/rotate"))).bearer_auth(&t.key).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let rotated: Value = res.json().await.unwrap();
    assert_eq!(rotated["key"]["name"], "App");
    assert_eq!(rotated["key"]["scopes"], json!(["write"]));
    let ends = rotated["previous"]["expiresAt"].as_str().unwrap();
    let hours = (chrono_like_hours_from_now(ends) - 24.0).abs();
    assert!(hours < 0.1, "the old key ends in 24 h, not at {ends}");
    assert_eq!(status_of(&t, old_secret).await, 200, "still valid during the grace period");
    let new_secret = rotated["secret"].as_str().unwrap();
    assert_eq!(status_of(&t, new_secret).await, 200);

    // Grace 0: the key it replaces stops at once.
    let new_id = rotated["key"]["id"].as_str().unwrap();
    let (status, again) =
        call(&t, &t.key, Method::POST, &format!("/keys/{new_id}/rotate"), Some(json!({"gracePeriodSeconds": 0}))).await;
    assert_eq!(status, 200);
    assert_eq!(status_of(&t, new_secret).await, 401);
    assert_eq!(status_of(&t, again["secret"].as_str().unwrap()).await, 200);
    let (status, conflict) = call(&t, &t.key, Method::POST, &format!("/keys/{new_id}/rotate"), None).await;
    assert_eq!((status, conflict["code"].as_str()), (409, Some("conflict")));
}

/// Hours between now and an RFC 3339 time, computed from the server's own clock format.
fn chrono_like_hours_from_now(rfc3339: &str) -> f64 {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.query_row("SELECT (julianday(?1) - julianday('now')) * 24.0", [rfc3339], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn an_expired_key_is_refused() {
    let t = TestServer::start(false).await;
    let (_, created) = call(&t, &t.key, Method::POST, "/keys", Some(json!({"name": "Temp", "scopes": ["read"]}))).await;
    let (id, secret) = (created["key"]["id"].as_str().unwrap(), created["secret"].as_str().unwrap());
    assert_eq!(status_of(&t, secret).await, 200);
    // Time passes: its end of life is now in the past.
    let conn = rusqlite::Connection::open(t.db_path()).unwrap();
    conn.execute("UPDATE api_keys SET expires_at = '2001-01-01T00:00:00.000Z' WHERE id = ?1", [id]).unwrap();
    assert_eq!(status_of(&t, secret).await, 401);
}

#[tokio::test]
async fn every_key_action_is_in_the_audit_log() {
    let t = TestServer::start(false).await;
    let me = t.client().me().await.unwrap();
    let (_, created) = call(&t, &t.key, Method::POST, "/keys", Some(json!({"name": "Log", "scopes": ["read"]}))).await;
    let id = created["key"]["id"].as_str().unwrap().to_owned();
    call(&t, &t.key, Method::POST, &format!("/keys/{id}/rotate"), Some(json!({"gracePeriodSeconds": 60}))).await;
    call(&t, &t.key, Method::DELETE, &format!("/keys/{id}"), None).await;

    let mut entries = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/audit-log?limit=1&cursor={c}"),
            None => "/audit-log?limit=1".to_owned(),
        };
        let (status, page) = call(&t, &t.key, Method::GET, &path, None).await;
        assert_eq!(status, 200);
        entries.extend(page["data"].as_array().unwrap().clone());
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let actions: Vec<_> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["key.revoked", "key.rotated", "key.created"], "newest first");
    for e in &entries {
        assert_eq!(e["actorMemberId"], me.member.id.as_str());
        assert_eq!(e["actorKeyId"], me.key.id.as_str());
        assert_eq!(e["ip"], "127.0.0.1");
    }
    assert_eq!(entries[0]["targetId"], id.as_str());
}

#[tokio::test]
async fn another_workspace_cannot_see_or_touch_keys() {
    let t = TestServer::start(false).await;
    let other = t.server.create_workspace("Other", "Other Owner").await.unwrap();
    let mine = t.client().me().await.unwrap().key.id;
    for (method, path) in [(Method::DELETE, format!("/keys/{mine}")), (Method::POST, format!("/keys/{mine}/rotate"))] {
        let (status, answer) = call(&t, &other.key.plaintext, method, &path, None).await;
        assert_eq!((status, answer["code"].as_str()), (404, Some("not_found")), "{path}");
    }
    let (_, listed) = call(&t, &other.key.plaintext, Method::GET, "/keys", None).await;
    assert!(listed.as_array().unwrap().iter().all(|k| k["id"] != mine.as_str()));
    let (_, log) = call(&t, &other.key.plaintext, Method::GET, "/audit-log", None).await;
    assert!(log["data"].as_array().unwrap().is_empty());
    assert_eq!(status_of(&t, &t.key).await, 200);
}

/// An open event stream and everything it carried, read in the background: when it
/// ended, and its text.
struct OpenStream {
    ended: tokio::task::JoinHandle<(std::time::Instant, String)>,
}

async fn open_stream(t: &TestServer, key: &str) -> OpenStream {
    let mut res = raw().get(t.url("/events/stream")).bearer_auth(key).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let ended = tokio::spawn(async move {
        let mut text = String::new();
        // Keep-alives come every 15 s; a stream that outlives the test's deadline fails it.
        while let Ok(Some(chunk)) = res.chunk().await {
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
        (std::time::Instant::now(), text)
    });
    OpenStream { ended }
}

impl OpenStream {
    /// Waits for the end; the time it came, and what was streamed.
    async fn end(self, within: std::time::Duration) -> (std::time::Instant, String) {
        tokio::time::timeout(within, self.ended).await.expect("the stream ended in time").unwrap()
    }
}

async fn reading_key(t: &TestServer, body: Value) -> (String, String) {
    let (status, created) = call(t, &t.key, Method::POST, "/keys", Some(body)).await;
    assert_eq!(status, 201, "{created}");
    (created["key"]["id"].as_str().unwrap().to_owned(), created["secret"].as_str().unwrap().to_owned())
}

/// A stream opened with a key ends within a second of the key losing access (revoked,
/// expired, rotated with no grace, or at the end of a rotation's grace) and carries no
/// change made afterwards; the client reads the end as `invalid_api_key`.
#[tokio::test]
async fn an_open_stream_ends_within_a_second_of_its_key_losing_access() {
    use std::time::{Duration, Instant};
    let t = TestServer::start(false).await;
    let second = Duration::from_secs(1);

    let (id, revoked) = reading_key(&t, json!({"name": "revoked", "scopes": ["read"]})).await;
    let stream = open_stream(&t, &revoked).await;
    let mut client_stream =
        switchboard_client::Client::new(&t.server.base_url(), revoked.clone()).unwrap().events(0).await.unwrap();
    let (status, _) = call(&t, &t.key, Method::DELETE, &format!("/keys/{id}"), None).await;
    let at = Instant::now();
    assert_eq!(status, 200);
    t.contact_writes("+14155550300").await;
    let (ended, text) = stream.end(Duration::from_secs(5)).await;
    assert!(ended - at < second, "revoked: ended {:?} after", ended - at);
    assert!(text.contains("event: unauthorized") && text.contains("invalid_api_key"), "{text}");
    assert!(!text.contains("+14155550300"), "nothing written after the revoke: {text}");
    let end = loop {
        match client_stream.next().await {
            Ok(Some(_)) => continue,
            other => break other,
        }
    };
    assert_eq!(end.unwrap_err().api_code(), Some(switchboard_api::ErrorCode::InvalidApiKey));

    let expires = chrono::Utc::now() + chrono::Duration::seconds(2);
    let expires_at = expires.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let (_, expiring) = reading_key(&t, json!({"name": "expiring", "scopes": ["read"], "expiresAt": expires_at})).await;
    let stream = open_stream(&t, &expiring).await;
    let (ended, text) = stream.end(Duration::from_secs(6)).await;
    let late = chrono::Utc::now() - expires - chrono::Duration::from_std(ended.elapsed()).unwrap();
    assert!(late < chrono::Duration::seconds(1) && late >= chrono::Duration::zero(), "expired: ended {late} after");
    assert!(text.contains("event: unauthorized"), "{text}");

    for grace in [0, 2] {
        let (id, rotated) = reading_key(&t, json!({"name": format!("rotated {grace}"), "scopes": ["read"]})).await;
        let stream = open_stream(&t, &rotated).await;
        let path = format!("/keys/{id}/rotate");
        let (status, answer) = call(&t, &t.key, Method::POST, &path, Some(json!({"gracePeriodSeconds": grace}))).await;
        assert_eq!(status, 200, "{answer}");
        let grace_end = answer["previous"]["expiresAt"].as_str().unwrap();
        let grace_end = chrono::DateTime::parse_from_rfc3339(grace_end).unwrap().with_timezone(&chrono::Utc);
        let (ended, text) = stream.end(Duration::from_secs(6)).await;
        let late = chrono::Utc::now() - grace_end - chrono::Duration::from_std(ended.elapsed()).unwrap();
        assert!(late < chrono::Duration::seconds(1), "rotated with {grace} s of grace: ended {late} after");
        assert!(text.contains("event: unauthorized"), "{text}");
    }
}
