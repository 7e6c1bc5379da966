//! Unread per member: read markers move forward only, sync, and drive `?unread=true`.

#![allow(clippy::unwrap_used)]

use reqwest::Method;
use serde_json::{Value, json};
use switchboard_api::{Change, Channel, Scope};
use switchboard_tests::{TestServer, call};

fn ids(page: &Value) -> Vec<String> {
    page["data"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn reading_clears_unread_until_the_contact_writes_again() {
    let t = TestServer::start(false).await;
    let ws = t.server.workspace().id.clone();
    let a = t.contact_writes("+14155550101").await;
    // Times are in milliseconds: two writes in the same one tie, and the inbox order
    // between them is the ids'. This test is about order, so they must not tie.
    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    let b = t.contact_writes("+14155550102").await;
    let (_, unread) = call(&t, &t.key, Method::GET, "/conversations?unread=true", None).await;
    assert_eq!(ids(&unread), [b.clone(), a.clone()]);

    let (status, marker) = call(&t, &t.key, Method::POST, &format!("/conversations/{a}/read"), None).await;
    assert_eq!(status, 200, "{marker}");
    let (_, unread) = call(&t, &t.key, Method::GET, "/conversations?unread=true", None).await;
    assert_eq!(ids(&unread), [b.clone()]);

    let (_, agent) = call(&t, &t.key, Method::POST, "/members", Some(json!({"name": "Sam", "role": "agent"}))).await;
    let req = json!({"name": "Sam", "scopes": ["read", "write"], "memberId": agent["id"]});
    let sams = call(&t, &t.key, Method::POST, "/keys", Some(req)).await.1["secret"].as_str().unwrap().to_owned();
    let (_, sams_unread) = call(&t, &sams, Method::GET, "/conversations?unread=true", None).await;
    assert_eq!(ids(&sams_unread).len(), 2, "reading is per member");

    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    let again = t.server.receive(&ws, "+14155550101", Channel::Whatsapp, "One more thing").await.unwrap();
    assert_eq!(again.conversation_id, a);
    let (_, unread) = call(&t, &t.key, Method::GET, "/conversations?unread=true", None).await;
    assert_eq!(ids(&unread), [a.clone(), b.clone()]);
    let (_, read_all) = call(&t, &t.key, Method::GET, "/conversations?unread=false", None).await;
    assert_eq!(ids(&read_all).len(), 2, "unread=false does not filter");

    let (_, transcript) = call(&t, &t.key, Method::GET, &format!("/conversations/{a}/messages"), None).await;
    let first = transcript["data"][0]["id"].as_str().unwrap();
    let (_, latest) = call(&t, &t.key, Method::POST, &format!("/conversations/{a}/read"), None).await;
    let (_, same) =
        call(&t, &t.key, Method::POST, &format!("/conversations/{a}/read"), Some(json!({"messageId": first}))).await;
    assert_eq!(same, latest, "a marker never moves backwards");
    assert!(latest["seq"].as_i64() > marker["seq"].as_i64());

    let page = t.client().sync(0, None).await.unwrap();
    let markers: Vec<_> = page.changes.iter().filter(|c| matches!(c, Change::ReadMarker(_))).collect();
    assert_eq!(markers.len(), 1, "one marker per member and conversation, at its latest state");
}

#[tokio::test]
async fn marking_read_checks_its_input_scope_and_workspace() {
    let t = TestServer::start(false).await;
    let a = t.contact_writes("+14155550101").await;
    let path = format!("/conversations/{a}/read");
    let before = t.counts().last_seq;
    for (body, status) in
        [(json!({"messageId": "msg_nope"}), 404), (json!({"messageId": 5}), 400), (json!({"upTo": "now"}), 400)]
    {
        let (got, err) = call(&t, &t.key, Method::POST, &path, Some(body.clone())).await;
        assert_eq!(got, status, "{body}: {err}");
    }
    assert_eq!(call(&t, &t.key, Method::POST, "/conversations/conv_nope/read", None).await.0, 404);
    assert_eq!(call(&t, &t.key, Method::GET, "/conversations?unread=maybe", None).await.0, 400);
    let reader = t.server.issue_owner_key("reader", &[Scope::Read]).await.unwrap().plaintext;
    assert_eq!(call(&t, &reader, Method::POST, &path, None).await.0, 403);
    let other = t.server.create_workspace("Rival", "Owner").await.unwrap().key.plaintext;
    assert_eq!(call(&t, &other, Method::POST, &path, None).await.0, 404);
    assert_eq!(t.counts().last_seq, before, "nothing was written");
}
