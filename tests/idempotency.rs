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
