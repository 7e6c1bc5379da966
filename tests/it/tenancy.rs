//! No route ever shows or touches another workspace's rows.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{Value, json};
use switchboard_api::ListConversationsQuery;
use switchboard_client::Client;
use switchboard_tests::{TestServer, raw};

#[tokio::test]
async fn another_workspace_sees_and_touches_nothing() {
    let t = TestServer::start(true).await;
    let clinic = t.client();
    let theirs = clinic.list_conversations(&ListConversationsQuery::default()).await.unwrap().data[0].clone();
    let other = t.server.create_workspace("Rival Salon", "Rival Owner").await.unwrap();
    let intruder = Client::new(&t.server.base_url(), other.key.plaintext.clone()).unwrap();

    assert!(intruder.list_conversations(&ListConversationsQuery::default()).await.unwrap().data.is_empty());
    assert!(intruder.sync(0, None).await.unwrap().changes.is_empty());
    let before = t.counts();
    let attempts = [
        raw().get(t.url(&format!("/conversations/{}", theirs.id))),
        raw().get(t.url(&format!("/conversations/{}/messages", theirs.id))),
        raw().post(t.url(&format!("/conversations/{}/messages", theirs.id))).json(&json!({"text": "hijack"})),
        raw().post(t.url("/messages")).json(&json!({"to": theirs.contact_id, "text": "hijack"})),
    ];
    for attempt in attempts {
        let res = attempt.bearer_auth(&other.key.plaintext).send().await.unwrap();
        assert_eq!(res.status(), 404);
        assert_eq!(res.json::<Value>().await.unwrap()["code"], "not_found");
    }
    assert_eq!(t.counts(), before, "nothing was written into the clinic");
}

#[tokio::test]
async fn the_live_stream_carries_only_the_callers_workspace() {
    let t = TestServer::start(true).await;
    let other = t.server.create_workspace("Rival Salon", "Rival Owner").await.unwrap();
    let res = raw()
        .get(t.url("/events/stream"))
        .bearer_auth(&other.key.plaintext)
        .header("last-event-id", "0")
        .send()
        .await
        .unwrap();
    let mut body = res.bytes_stream();
    // The clinic changes first, then the rival writes: a leak would arrive before the rival's row.
    t.server.simulate_visitor().await.unwrap();
    let intruder = Client::new(&t.server.base_url(), other.key.plaintext.clone()).unwrap();
    t.server.receive(&other.workspace.id, "+14155550777", switchboard_api::Channel::Whatsapp, "Hi").await.unwrap();
    let hi = switchboard_api::SendMessageRequest { to: "+14155550777".into(), text: "Hi!".into(), template: None };
    let sent = intruder.send_message(&hi, None).await.unwrap();
    let mut parser = switchboard_client::SseParser::new();
    let read = async {
        loop {
            let chunk = body.next().await.expect("stream open").unwrap();
            for event in parser.push(&chunk) {
                let change: switchboard_api::Change = serde_json::from_str(&event.data).unwrap();
                match change {
                    switchboard_api::Change::Message(m) if m.id == sent.id => return,
                    switchboard_api::Change::Message(m) => assert_eq!(m.conversation_id, sent.conversation_id),
                    switchboard_api::Change::Conversation(c) => assert_eq!(c.id, sent.conversation_id),
                    switchboard_api::Change::Contact(c) => assert_eq!(c.id, sent.contact_id),
                    other => panic!("unexpected change {other:?}"),
                }
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(20), read).await.expect("the rival's own message arrived");
}

#[tokio::test]
async fn members_are_listed_per_workspace() {
    let t = TestServer::start(true).await;
    let res = raw().get(t.url("/members")).bearer_auth(&t.key).send().await.unwrap();
    let members: Vec<Value> = res.json().await.unwrap();
    let names: Vec<_> = members.iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Clinic Owner", "Dana Whitfield", "Priya Shah", "Sam Rivera"], "by name");
    assert_eq!(members[1]["role"], "admin");
    let agent = members[3]["id"].as_str().unwrap();
    let one: Value =
        raw().get(t.url(&format!("/members/{agent}"))).bearer_auth(&t.key).send().await.unwrap().json().await.unwrap();
    assert_eq!(one["name"], "Sam Rivera");

    let other = t.server.create_workspace("Rival", "Rival Owner").await.unwrap();
    let theirs: Vec<Value> =
        raw().get(t.url("/members")).bearer_auth(&other.key.plaintext).send().await.unwrap().json().await.unwrap();
    assert_eq!(theirs.len(), 1);
    let res = raw().get(t.url(&format!("/members/{agent}"))).bearer_auth(&other.key.plaintext).send().await.unwrap();
    assert_eq!(res.status(), 404);
}
