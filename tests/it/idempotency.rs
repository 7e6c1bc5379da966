//! Idempotency-Key on writes, through raw HTTP so the exact bytes can be compared.

#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use switchboard_server::Storage;
use switchboard_tests::{TestServer, raw};

async fn post(t: &TestServer, key: &str, path: &str, idempotency_key: &str, body: Value) -> reqwest::Response {
    raw()
        .post(t.url(path))
        .bearer_auth(key)
        .header("idempotency-key", idempotency_key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_retry_replays_the_first_response_and_writes_nothing() {
    let t = TestServer::start(false).await;
    t.contact_writes("+14155550123").await;
    let body = json!({"to": "+14155550123", "text": "Your results are ready."});
    let first = post(&t, &t.key, "/messages", "order-1", body.clone()).await;
    assert_eq!(first.status(), 200);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first_body = first.bytes().await.unwrap();
    let after_first = t.counts();

    let second = post(&t, &t.key, "/messages", "order-1", body).await;
    assert_eq!(second.status(), 200);
    assert_eq!(second.headers()["idempotent-replayed"], "true");
    assert_eq!(second.bytes().await.unwrap(), first_body);
    assert_eq!(t.counts(), after_first);
}

#[tokio::test]
async fn the_same_key_for_another_request_is_refused() {
    let t = TestServer::start(false).await;
    t.contact_writes("+14155550123").await;
    post(&t, &t.key, "/messages", "k-1", json!({"to": "+14155550123", "text": "one"})).await;
    let before = t.counts();
    for (path, body) in [
        ("/messages", json!({"to": "+14155550123", "text": "two"})),
        ("/messages", json!({"to": "+14155550199", "text": "one"})),
        ("/conversations/conv_x/messages", json!({"text": "one"})),
    ] {
        let res = post(&t, &t.key, path, "k-1", body).await;
        assert_eq!(res.status(), 422, "{path}");
        assert_eq!(res.json::<Value>().await.unwrap()["code"], "idempotency_key_reused");
    }
    assert_eq!(t.counts(), before);
}

#[tokio::test]
async fn a_key_still_in_flight_is_a_conflict() {
    let t = TestServer::start(false).await;
    t.contact_writes("+14155550123").await;
    let workspace_id = t.server.workspace().id.clone();
    // Another request holds the key right now.
    t.server.db().idempotency_begin(workspace_id, "busy".into(), "another request".into()).await.unwrap();
    let before = t.counts();
    let res = post(&t, &t.key, "/messages", "busy", json!({"to": "+14155550123", "text": "hi"})).await;
    assert_eq!(res.status(), 409);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "idempotency_key_in_use");
    assert_eq!(t.counts(), before);
}

#[tokio::test]
async fn client_errors_are_replayed_too() {
    let t = TestServer::start(false).await;
    let body = json!({"to": "not a number", "text": "hi"});
    let first = post(&t, &t.key, "/messages", "bad-1", body.clone()).await;
    assert_eq!(first.status(), 400);
    let second = post(&t, &t.key, "/messages", "bad-1", body).await;
    assert_eq!(second.status(), 400);
    assert_eq!(second.headers()["idempotent-replayed"], "true");
    assert_eq!(second.json::<Value>().await.unwrap()["code"], "invalid_parameter");
}

#[tokio::test]
async fn keys_are_scoped_to_the_workspace() {
    let t = TestServer::start(false).await;
    let other = t.server.create_workspace("Other Clinic", "Other Owner").await.unwrap();
    t.contact_writes("+14155550123").await;
    let phone = "+14155550123";
    t.server.receive(&other.workspace.id, phone, switchboard_api::Channel::Whatsapp, "Hi").await.unwrap();
    let body = json!({"to": "+14155550123", "text": "Welcome!"});
    let mine: Value = post(&t, &t.key, "/messages", "shared-key", body.clone()).await.json().await.unwrap();
    let res = post(&t, &other.key.plaintext, "/messages", "shared-key", body).await;
    assert!(res.headers().get("idempotent-replayed").is_none(), "another workspace's response must not leak");
    let theirs: Value = res.json().await.unwrap();
    assert_ne!(mine["id"], theirs["id"]);
    assert_ne!(mine["contactId"], theirs["contactId"]);
}

#[tokio::test]
async fn an_unauthenticated_write_with_a_key_is_still_401() {
    let t = TestServer::start(false).await;
    let res = raw()
        .post(t.url("/messages"))
        .header("idempotency-key", "anon-1")
        .json(&json!({"to": "+14155550123", "text": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "missing_api_key");
}

/// A server killed with SIGKILL while a keyed write is running leaves its claim behind;
/// the next start releases it, so the client's retry right after the restart runs
/// instead of waiting out the claim with `409 idempotency_key_in_use`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_left_by_a_killed_server_is_released_when_it_starts_again() {
    use switchboard_tests::process::{Process, free_port};

    // A page that hangs the first time it is read, keeping `/ai/reply` (and its key) busy.
    let (asked, mut first_ask) = tokio::sync::mpsc::unbounded_channel::<()>();
    let page = axum::Router::new().route(
        "/prices",
        axum::routing::get(move || {
            let first = asked.send(()).is_ok();
            async move {
                if first {
                    std::future::pending::<()>().await;
                }
                "Haircut: $30"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}/prices", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, page).await });

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let port = free_port();
    let mut server = Process::serve(&db, port, &[]).await;
    let key = server.key.take().unwrap();
    let ask = || {
        raw()
            .post(format!("http://127.0.0.1:{port}/api/v1/ai/reply"))
            .bearer_auth(&key)
            .header("idempotency-key", "ask-1")
            .json(&json!({"message": "How much is a haircut?", "url": site}))
            .send()
    };
    let hanging = tokio::spawn(ask());
    first_ask.recv().await.unwrap();
    first_ask.close();
    server.kill().await;
    assert!(hanging.await.unwrap().is_err(), "the first request died with the server");
    let claims = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM idempotency_keys WHERE state = 'in_flight'", [], |r| r.get::<_, i64>(0))
        .unwrap();
    assert_eq!(claims, 1, "the killed server left its claim");

    let mut server = Process::serve(&db, port, &[]).await;
    let retry = ask().await.unwrap();
    assert_eq!(retry.status(), 200, "{}", retry.text().await.unwrap());
    server.kill().await;
}

/// Answers that carry a secret are kept for replay without it: the replay of a key's or a
/// webhook's creation or rotation is the same answer with `secret` null and
/// `secretWithheld: "secret_shown_once"` (even after the key was revoked), and the secret
/// is nowhere in the database or its WAL.
#[tokio::test]
async fn a_replay_never_hands_out_a_secret_again() {
    let t = TestServer::start(false).await;
    let key = t.key.clone();
    let created = post(&t, &key, "/keys", "make-key", json!({"name": "Zapier", "scopes": ["read"]})).await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    let key_id = created["key"]["id"].as_str().unwrap().to_owned();
    let mut secrets = vec![created["secret"].as_str().unwrap().to_owned()];
    assert!(created.get("secretWithheld").is_none(), "{created}");

    let rotated = post(&t, &key, &format!("/keys/{key_id}/rotate"), "rotate-key", json!({"gracePeriodSeconds": 0}))
        .await
        .json::<Value>()
        .await
        .unwrap();
    secrets.push(rotated["secret"].as_str().unwrap().to_owned());
    let hook = post(&t, &key, "/webhooks", "make-hook", json!({"url": "https://hooks.example/in"}))
        .await
        .json::<Value>()
        .await
        .unwrap();
    let hook_id = hook["endpoint"]["id"].as_str().unwrap().to_owned();
    secrets.push(hook["secret"].as_str().unwrap().to_owned());
    let hook_rotated = post(&t, &key, &format!("/webhooks/{hook_id}/rotate"), "rotate-hook", json!({}))
        .await
        .json::<Value>()
        .await
        .unwrap();
    secrets.push(hook_rotated["secret"].as_str().unwrap().to_owned());
    let new_key = rotated["key"]["id"].as_str().unwrap().to_owned();
    let (status, _) =
        switchboard_tests::call(&t, &key, reqwest::Method::DELETE, &format!("/keys/{new_key}"), None).await;
    assert_eq!(status, 200);

    for (path, idempotency_key, body, status, first) in [
        ("/keys".to_owned(), "make-key", json!({"name": "Zapier", "scopes": ["read"]}), 201, &created),
        (format!("/keys/{key_id}/rotate"), "rotate-key", json!({"gracePeriodSeconds": 0}), 200, &rotated),
        ("/webhooks".to_owned(), "make-hook", json!({"url": "https://hooks.example/in"}), 201, &hook),
        (format!("/webhooks/{hook_id}/rotate"), "rotate-hook", json!({}), 200, &hook_rotated),
    ] {
        let replay = post(&t, &key, &path, idempotency_key, body).await;
        assert_eq!(replay.status(), status, "{path}");
        assert_eq!(replay.headers()["idempotent-replayed"], "true");
        let replay: Value = replay.json().await.unwrap();
        assert_eq!(replay["secret"], Value::Null, "{path}: {replay}");
        assert_eq!(replay["secretWithheld"], "secret_shown_once", "{path}");
        let mut expected = first.clone();
        expected["secret"] = Value::Null;
        expected["secretWithheld"] = json!("secret_shown_once");
        assert_eq!(replay, expected, "{path}: the same answer, less its secret");
    }

    let files = [t.db_path(), t.db_path().with_extension("sqlite3-wal")];
    for file in files.iter().filter(|f| f.exists()) {
        let bytes = std::fs::read(file).unwrap();
        for secret in &secrets {
            assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "{} holds a secret", file.display());
        }
    }
}
