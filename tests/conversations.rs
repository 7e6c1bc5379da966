//! PATCH /conversations/{id}: status, snooze, assignee, priority, handler, labels.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use switchboard_api::{ListConversationsQuery, Scope};
use switchboard_store::Store;
use switchboard_sync::SyncEngine;
use switchboard_tests::{TestServer, raw};

async fn patch(t: &TestServer, key: &str, id: &str, body: Value) -> (u16, Value) {
    let res = raw().patch(t.url(&format!("/conversations/{id}"))).bearer_auth(key).json(&body).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

fn in_minutes(m: i64) -> String {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.query_row("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?1)", [format!("{m} minutes")], |r| r.get(0)).unwrap()
}

async fn first_conversation(t: &TestServer) -> switchboard_api::Conversation {
    t.client().list_conversations(&ListConversationsQuery::default()).await.unwrap().data[0].clone()
}

fn member_ids(t: &TestServer) -> Vec<String> {
    let conn = rusqlite::Connection::open(t.db_path()).unwrap();
    let mut stmt = conn.prepare("SELECT id FROM members ORDER BY created_at, id").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

#[tokio::test]
async fn a_patch_changes_only_what_it_names_and_syncs() {
    let t = TestServer::start(true).await;
    let c = first_conversation(&t).await;
    let agent = member_ids(&t)[1].clone();
    let (status, body) = patch(
        &t,
        &t.key,
        &c.id,
        json!({"assigneeId": agent, "priority": "urgent", "handler": "human", "labels": [" billing ", "VIP", "vip"]}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["assigneeId"], agent.as_str());
    assert_eq!(body["priority"], "urgent");
    assert_eq!(body["handler"], "human");
    assert_eq!(body["labels"], json!(["billing", "VIP"]));
    assert_eq!(body["status"], c.status.as_str(), "status was not named, so it stays");
    assert!(body["seq"].as_i64().unwrap() > c.seq);

    // null clears; absent keeps.
    let (_, body) = patch(&t, &t.key, &c.id, json!({"assigneeId": null})).await;
    assert!(body["assigneeId"].is_null());
    assert_eq!(body["priority"], "urgent");

    // An empty patch changes nothing, not even seq.
    let (_, same) = patch(&t, &t.key, &c.id, json!({})).await;
    assert_eq!(same, body);

    // The cache sees exactly what the server has.
    let store = Arc::new(Mutex::new(Store::open_in_memory().unwrap()));
    SyncEngine::new(t.client(), store.clone()).catch_up().await.unwrap();
    let cached = store.lock().unwrap().conversation(&c.id).unwrap().unwrap();
    assert_eq!(cached, t.client().get_conversation(&c.id).await.unwrap());
    assert_eq!(cached.labels, ["billing", "VIP"]);
}

#[tokio::test]
async fn snoozing_needs_a_future_time_and_wakes_up() {
    let t = TestServer::start(true).await;
    let c = first_conversation(&t).await;
    for (body, why) in [
        (json!({"status": "snoozed"}), "no time"),
        (json!({"status": "snoozed", "snoozedUntil": in_minutes(-5)}), "past"),
        (json!({"status": "snoozed", "snoozedUntil": "tomorrow-ish"}), "not a time"),
        (json!({"snoozedUntil": in_minutes(30)}), "not snoozed"),
    ] {
        let (status, answer) = patch(&t, &t.key, &c.id, body).await;
        assert_eq!((status, answer["code"].as_str()), (400, Some("invalid_parameter")), "{why}: {answer}");
    }
    let until = in_minutes(30);
    let (status, snoozed) = patch(&t, &t.key, &c.id, json!({"status": "snoozed", "snoozedUntil": until})).await;
    assert_eq!(status, 200);
    assert_eq!(snoozed["status"], "snoozed");
    assert_eq!(t.server.wake_snoozed().await.unwrap(), 0, "not due yet");

    // Time passes.
    let conn = rusqlite::Connection::open(t.db_path()).unwrap();
    conn.execute("UPDATE conversations SET snoozed_until = '2001-01-01T00:00:00.000Z' WHERE id = ?1", [&c.id]).unwrap();
    assert_eq!(t.server.wake_snoozed().await.unwrap(), 1);
    let woken = t.client().get_conversation(&c.id).await.unwrap();
    assert_eq!(woken.status, switchboard_api::ConversationStatus::Open);
    assert_eq!(woken.snoozed_until, None);

    // Resolving a snoozed conversation clears its time.
    patch(&t, &t.key, &c.id, json!({"status": "snoozed", "snoozedUntil": in_minutes(10)})).await;
    let (_, resolved) = patch(&t, &t.key, &c.id, json!({"status": "resolved"})).await;
    assert!(resolved["snoozedUntil"].is_null());
}

#[tokio::test]
async fn bad_patches_are_refused_and_change_nothing() {
    let t = TestServer::start(true).await;
    let c = first_conversation(&t).await;
    let before = t.counts().last_seq;
    let many: Vec<String> = (0..21).map(|i| format!("label-{i}")).collect();
    for (body, code) in [
        (json!({"status": "archived"}), "invalid_body"),
        (json!({"priority": 5}), "invalid_body"),
        (json!({"colour": "red"}), "invalid_body"),
        (json!({"labels": "vip"}), "invalid_body"),
        (json!({"labels": [""]}), "invalid_parameter"),
        (json!({"labels": ["x".repeat(51)]}), "invalid_parameter"),
        (json!({"labels": many}), "invalid_parameter"),
        (json!({"assigneeId": "mem_nobody"}), "invalid_parameter"),
    ] {
        let (status, answer) = patch(&t, &t.key, &c.id, body.clone()).await;
        assert_eq!((status, answer["code"].as_str()), (400, Some(code)), "{body}: {answer}");
    }
    let (status, answer) = patch(&t, &t.key, "conv_nope", json!({"priority": "low"})).await;
    assert_eq!((status, answer["code"].as_str()), (404, Some("not_found")));

    let other = t.server.create_workspace("Other", "Other Owner").await.unwrap();
    let (status, _) = patch(&t, &other.key.plaintext, &c.id, json!({"priority": "low"})).await;
    assert_eq!(status, 404, "another workspace's conversation does not exist for it");
    let other_member = member_ids(&t).into_iter().find(|m| *m == other.owner.id).unwrap();
    let (status, _) = patch(&t, &t.key, &c.id, json!({"assigneeId": other_member})).await;
    assert_eq!(status, 400, "a member of another workspace cannot be assigned");

    let reader = t.server.issue_owner_key("Reader", &[Scope::Read]).await.unwrap();
    let (status, answer) = patch(&t, &reader.plaintext, &c.id, json!({"priority": "low"})).await;
    assert_eq!((status, answer["code"].as_str()), (403, Some("insufficient_scope")));
    assert_eq!(t.counts().last_seq, before, "nothing changed");
}
