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
        (json!({"name": "n", "scopes": ["read"], "expiresAt": "2001-01-01T00:00:00Z"}), "invalid_parameter"),
        (json!({"name": "n", "scopes": ["read"], "expiresAt": "next tuesday"}), "invalid_parameter"),
        (json!({"name": "n", "scopes": ["read"], "owner": "me"}), "invalid_body"),
    ];
    for (body, code) in cases {
        let (status, answer) = call(&t, &t.key, Method::POST, "/keys", Some(body.clone())).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(answer["code"], code, "{body}");
    }
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
