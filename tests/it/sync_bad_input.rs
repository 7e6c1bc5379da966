//! What a server (a broken one, a newer one, a proxy that cuts a body short) can send the
//! sync engine, and that none of it corrupts the cache: a page it cannot read is refused
//! whole with a clear error, kinds of rows it does not know are skipped, fields it does
//! not know are ignored, and older copies of rows never replace newer ones.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use serde_json::{Value, json};
use switchboard_client::Client;
use switchboard_store::Store;
use switchboard_sync::SyncEngine;

/// Serves `/api/v1/sync` from a script: the body to answer for each `since`.
async fn fake_server(pages: HashMap<i64, String>) -> String {
    let pages = Arc::new(pages);
    let app = axum::Router::new()
        .route(
            "/api/v1/sync",
            axum::routing::get(
                |State(pages): State<Arc<HashMap<i64, String>>>, Query(q): Query<HashMap<String, String>>| async move {
                    let since: i64 = q.get("since").and_then(|s| s.parse().ok()).unwrap_or(0);
                    let body = pages
                        .get(&since)
                        .cloned()
                        .unwrap_or_else(|| r#"{"changes":[],"next":0,"hasMore":false}"#.into());
                    ([("content-type", "application/json")], body)
                },
            ),
        )
        .with_state(pages);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    url
}

fn contact(id: &str, name: &str, seq: i64) -> Value {
    json!({"type": "contact", "data": {"id": id, "name": name, "phone": null, "email": null, "externalId": null,
        "customAttributes": {}, "createdAt": "2026-01-01T00:00:00.000Z", "updatedAt": "2026-01-01T00:00:00.000Z", "seq": seq}})
}

fn message(id: &str, body: &str, status: &str, seq: i64) -> Value {
    json!({"type": "message", "data": {"id": id, "conversationId": "conv_1", "direction": "inbound", "author": "contact",
        "authorId": null, "kind": "text", "body": body, "status": status, "clientId": null,
        "createdAt": "2026-01-01T00:00:00.000Z", "seq": seq}})
}

fn page(changes: Vec<Value>, next: i64, has_more: bool) -> String {
    json!({"changes": changes, "next": next, "hasMore": has_more}).to_string()
}

async fn engine(pages: HashMap<i64, String>) -> (SyncEngine, Arc<Mutex<Store>>) {
    let url = fake_server(pages).await;
    let store = Arc::new(Mutex::new(Store::open_in_memory().unwrap()));
    (SyncEngine::new(Client::new(&url, "sb_live_test").unwrap(), store.clone()), store)
}

#[tokio::test]
async fn a_body_cut_short_is_refused_and_changes_nothing() {
    let full = page(vec![contact("ct_1", "Ana", 1), message("m1", "hi", "delivered", 2)], 2, false);
    let (engine, store) = engine(HashMap::from([(0, full[..full.len() / 2].to_owned())])).await;
    let err = engine.catch_up().await.unwrap_err();
    assert_eq!(err.code(), "invalid_response");
    let s = store.lock().unwrap();
    assert_eq!(s.cursor().unwrap(), 0);
    assert!(s.all_contacts().unwrap().is_empty());
}

#[tokio::test]
async fn a_row_that_does_not_parse_refuses_its_whole_page() {
    // A known kind of row with a value this version cannot read (a status it does not
    // know): nothing of the page is applied, the cursor stays, the error says which row.
    let bad = page(vec![contact("ct_1", "Ana", 1), message("m1", "hi", "vanished", 2)], 2, false);
    let (engine, store) = engine(HashMap::from([(0, bad)])).await;
    let err = engine.catch_up().await.unwrap_err();
    assert_eq!(err.code(), "invalid_response");
    assert!(err.to_string().contains("message"), "{err}");
    let s = store.lock().unwrap();
    assert_eq!(s.cursor().unwrap(), 0);
    assert!(s.all_contacts().unwrap().is_empty(), "the good row of a refused page is not applied either");
}

#[tokio::test]
async fn new_kinds_of_rows_and_new_fields_from_a_newer_server_are_skipped() {
    let mut with_extra = contact("ct_1", "Ana", 1);
    with_extra["data"]["pronouns"] = json!("she/her");
    let poll = json!({"type": "poll", "data": {"id": "poll_1", "question": "Rate us", "seq": 2}});
    let newer = page(vec![with_extra, poll, message("m1", "hello", "delivered", 3)], 3, false);
    let (engine, store) = engine(HashMap::from([(0, newer)])).await;
    assert_eq!(engine.catch_up().await.unwrap(), 3);
    let s = store.lock().unwrap();
    assert_eq!(s.all_contacts().unwrap()[0].name.as_deref(), Some("Ana"));
    assert_eq!(s.all_messages().unwrap()[0].body, "hello");
}

#[tokio::test]
async fn older_copies_and_a_cursor_going_back_never_undo_newer_rows() {
    let first = page(vec![contact("ct_1", "Ana (newest)", 10)], 10, true);
    // The next page, out of order: an older copy of the same row, and a cursor behind
    // the one already reached.
    let second =
        page(vec![contact("ct_1", "Ana (stale)", 7), message("m1", "late but new", "delivered", 11)], 8, false);
    let (engine, store) = engine(HashMap::from([(0, first), (10, second)])).await;
    let reached = engine.catch_up().await.unwrap();
    assert_eq!(reached, 10, "the cursor never moves back");
    let s = store.lock().unwrap();
    assert_eq!(s.all_contacts().unwrap()[0].name.as_deref(), Some("Ana (newest)"));
    assert_eq!(s.all_messages().unwrap().len(), 1);
}

/// A first sync of several pages writes without indexing and indexes at the end: once
/// it returns, everything is searchable, and what arrives later is indexed as it comes.
#[tokio::test]
async fn a_first_sync_of_several_pages_is_searchable_when_it_ends() {
    let conversation = json!({"type": "conversation", "data": {"id": "conv_1", "contactId": "ct_1", "channel": "web",
        "status": "open", "handler": "ai", "assigneeId": null, "snoozedUntil": null, "priority": "none", "labels": [],
        "lastMessagePreview": null, "lastMessageAt": null, "lastInboundAt": null,
        "createdAt": "2026-01-01T00:00:00.000Z", "updatedAt": "2026-01-01T00:00:00.000Z", "seq": 2}});
    let first = page(
        vec![contact("ct_1", "Ana", 1), conversation, message("m1", "root canal friday", "delivered", 3)],
        3,
        true,
    );
    let second = page(vec![message("m2", "parking is free", "delivered", 4)], 4, false);
    let (engine, store) = engine(HashMap::from([(0, first), (3, second)])).await;
    assert_eq!(engine.catch_up().await.unwrap(), 4);
    let mut s = store.lock().unwrap();
    assert!(!s.in_bulk().unwrap());
    let found = |s: &Store, text: &str| {
        s.search_messages(&switchboard_store::SearchQuery { text: text.into(), ..Default::default() })
            .unwrap()
            .into_iter()
            .map(|h| h.message_id)
            .collect::<Vec<_>>()
    };
    assert_eq!(found(&s, "root canal"), ["m1"]);
    assert_eq!(found(&s, "parking"), ["m2"]);
    assert_eq!(s.search_contacts("ana", 5).unwrap().len(), 1);
    let later = serde_json::from_value(message("m3", "see you at noon", "delivered", 5)).unwrap();
    s.apply(&[later], 5).unwrap();
    assert_eq!(found(&s, "noon"), ["m3"]);
}
