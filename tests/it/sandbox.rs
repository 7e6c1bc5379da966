//! The sandbox WhatsApp number of the local workspace: a visitor writes, an agent
//! answers, and the answer goes sent → delivered → read by itself, each step a
//! `message.status` event, in that order.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use switchboard_tests::receiver::Receiver;
use switchboard_tests::{TestServer, call, eventually};

#[tokio::test]
async fn replies_on_the_sandbox_number_are_delivered_and_read_by_themselves() {
    let t = TestServer::start_with(false, |c| {
        c.channels.sandbox_delivered_after = Duration::from_millis(100);
        c.channels.sandbox_read_after = Duration::from_millis(100);
    })
    .await;
    let (status, channel) =
        call(&t, &t.key, Method::POST, "/channels", Some(json!({"kind": "sandbox", "name": "Sandbox"}))).await;
    assert_eq!(status, 201, "{channel}");
    let mut receiver = Receiver::start().await;
    let (status, _) =
        call(&t, &t.key, Method::POST, "/webhooks", Some(json!({"url": receiver.url, "events": ["message.status"]})))
            .await;
    assert_eq!(status, 201);

    let ws = t.server.workspace().id.clone();
    let inbound = t.server.receive_on_sandbox(&ws, "+15550104242", "Is the clinic open on Sunday?").await.unwrap();
    let path = format!("/conversations/{}/messages", inbound.conversation_id);
    let (status, reply) = call(&t, &t.key, Method::POST, &path, Some(json!({"text": "Sundays 10-2."}))).await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["status"], "queued");
    let id = reply["id"].as_str().unwrap().to_owned();

    let mut statuses = Vec::new();
    for _ in 0..3 {
        let event = receiver.next().await.json();
        assert_eq!(event["data"]["messageId"], id.as_str());
        statuses.push((
            event["createdAt"].as_str().unwrap().to_owned(),
            event["data"]["status"].as_str().unwrap().to_owned(),
        ));
    }
    statuses.sort();
    let order: Vec<&str> = statuses.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(order, ["sent", "delivered", "read"]);
    eventually("the reply to read", Duration::from_secs(10), || async {
        let (_, page) = call(&t, &t.key, Method::GET, &path, None).await;
        (page["data"][1]["status"] == "read").then_some(())
    })
    .await;

    // The same number is the contact's on the next message: one contact, one conversation.
    let again = t.server.receive_on_sandbox(&ws, "+15550104242", "Thanks!").await.unwrap();
    assert_eq!(again.conversation_id, inbound.conversation_id);
    assert_eq!(t.counts().contacts, 1);
}
