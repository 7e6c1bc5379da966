//! Contacts: create, search, merge-patch, uniqueness, sync.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};

use reqwest::Method;
use serde_json::{Value, json};
use switchboard_api::Scope;
use switchboard_store::Store;
use switchboard_sync::SyncEngine;
use switchboard_tests::{TestServer, call};

#[tokio::test]
async fn contacts_are_created_normalized_found_and_patched() {
    let t = TestServer::start(true).await;
    let (status, ana) = call(
        &t,
        &t.key,
        Method::POST,
        "/contacts",
        Some(json!({"name": " Ana Pereira ", "phone": "+1 (415) 555-0188", "email": "Ana@Example.com",
                    "externalId": "crm-42", "customAttributes": {"plan": "gold", "visits": 3}})),
    )
    .await;
    assert_eq!(status, 201, "{ana}");
    assert_eq!(ana["name"], "Ana Pereira");
    assert_eq!(ana["phone"], "+14155550188");
    assert_eq!(ana["email"], "ana@example.com");
    let id = ana["id"].as_str().unwrap().to_owned();

    let (_, found) = call(&t, &t.key, Method::GET, "/contacts?q=crm-4", None).await;
    assert_eq!(found["data"].as_array().unwrap().len(), 1);
    let (_, got) = call(&t, &t.key, Method::GET, &format!("/contacts/{id}"), None).await;
    assert_eq!(got, ana);

    let (status, patched) = call(
        &t,
        &t.key,
        Method::PATCH,
        &format!("/contacts/{id}"),
        Some(json!({"email": null, "customAttributes": {"visits": 4, "plan": null, "city": "Lisbon"}})),
    )
    .await;
    assert_eq!(status, 200, "{patched}");
    assert!(patched["email"].is_null());
    assert_eq!(patched["name"], "Ana Pereira", "absent fields stay");
    assert_eq!(patched["customAttributes"], json!({"visits": 4, "city": "Lisbon"}));

    // Everything pages through once, newest first, and the cache agrees with the server.
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/contacts?limit=10&cursor={c}"),
            None => "/contacts?limit=10".to_owned(),
        };
        let (_, page) = call(&t, &t.key, Method::GET, &path, None).await;
        all.extend(page["data"].as_array().unwrap().clone());
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(all.len() as i64, t.counts().contacts);
    assert_eq!(all[0]["id"], id.as_str(), "newest first");
    let store = Arc::new(Mutex::new(Store::open_in_memory().unwrap()));
    SyncEngine::new(t.client(), store.clone()).catch_up().await.unwrap();
    let mut cached: Vec<Value> =
        store.lock().unwrap().all_contacts().unwrap().into_iter().map(|c| serde_json::to_value(c).unwrap()).collect();
    all.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    cached.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    assert_eq!(cached, all);
}

#[tokio::test]
async fn a_phone_or_external_id_belongs_to_one_contact() {
    let t = TestServer::start(false).await;
    call(&t, &t.key, Method::POST, "/contacts", Some(json!({"phone": "+14155550100", "externalId": "a"}))).await;
    let (_, other) = call(&t, &t.key, Method::POST, "/contacts", Some(json!({"name": "Other"}))).await;
    let before = t.counts();
    for body in [json!({"phone": "14155550100"}), json!({"externalId": "a"})] {
        let (status, answer) = call(&t, &t.key, Method::POST, "/contacts", Some(body.clone())).await;
        assert_eq!((status, answer["code"].as_str()), (409, Some("conflict")), "{body}");
        let (status, _) =
            call(&t, &t.key, Method::PATCH, &format!("/contacts/{}", other["id"].as_str().unwrap()), Some(body)).await;
        assert_eq!(status, 409);
    }
    assert_eq!(t.counts(), before);
}

#[tokio::test]
async fn bad_contacts_are_refused_and_write_nothing() {
    let t = TestServer::start(true).await;
    let before = t.counts();
    let attrs: serde_json::Map<String, Value> = (0..51).map(|i| (format!("k{i}"), json!(i))).collect();
    for (body, code) in [
        (json!({}), "invalid_parameter"),
        (json!({"name": "   "}), "invalid_parameter"),
        (json!({"phone": "not a phone"}), "invalid_parameter"),
        (json!({"email": "ana@"}), "invalid_parameter"),
        (json!({"name": "x".repeat(201)}), "invalid_parameter"),
        (json!({"name": "A", "customAttributes": {"nested": {"a": 1}}}), "invalid_parameter"),
        (json!({"name": "A", "customAttributes": {"gone": null}}), "invalid_parameter"),
        (json!({"name": "A", "customAttributes": attrs}), "invalid_parameter"),
        (json!({"name": "A", "nickname": "B"}), "invalid_body"),
        (json!({"name": 7}), "invalid_body"),
    ] {
        let (status, answer) = call(&t, &t.key, Method::POST, "/contacts", Some(body.clone())).await;
        assert_eq!((status, answer["code"].as_str()), (400, Some(code)), "{body}: {answer}");
    }
    let (status, _) = call(&t, &t.key, Method::PATCH, "/contacts/ct_nope", Some(json!({"name": "A"}))).await;
    assert_eq!(status, 404);
    let (status, _) = call(&t, &t.key, Method::GET, "/contacts?updatedSince=soon", None).await;
    assert_eq!(status, 400);
    assert_eq!(t.counts(), before);
}

#[tokio::test]
async fn contacts_respect_scope_and_workspace() {
    let t = TestServer::start(true).await;
    let (_, page) = call(&t, &t.key, Method::GET, "/contacts?limit=1", None).await;
    let id = page["data"][0]["id"].as_str().unwrap().to_owned();
    let reader = t.server.issue_owner_key("Reader", &[Scope::Read]).await.unwrap();
    let (status, _) = call(&t, &reader.plaintext, Method::POST, "/contacts", Some(json!({"name": "A"}))).await;
    assert_eq!(status, 403);
    let (status, _) = call(&t, &reader.plaintext, Method::GET, &format!("/contacts/{id}"), None).await;
    assert_eq!(status, 200);

    let other = t.server.create_workspace("Other", "Owner").await.unwrap();
    let (status, _) = call(&t, &other.key.plaintext, Method::GET, &format!("/contacts/{id}"), None).await;
    assert_eq!(status, 404);
    let (status, _) =
        call(&t, &other.key.plaintext, Method::PATCH, &format!("/contacts/{id}"), Some(json!({"name": "X"}))).await;
    assert_eq!(status, 404);
    let (_, theirs) = call(&t, &other.key.plaintext, Method::GET, "/contacts", None).await;
    assert!(theirs["data"].as_array().unwrap().is_empty());
}
