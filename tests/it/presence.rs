//! Collision detection: one agent's viewing and typing reach the others live, lapse by
//! themselves, and never cross workspaces.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use switchboard_api::{Presence, PresenceState};
use switchboard_client::{Client, EventStream, StreamEvent};
use switchboard_tests::{TestServer, call};

/// A teammate with their own write key.
async fn teammate(t: &TestServer, name: &str) -> Client {
    let (_, member) = call(t, &t.key, Method::POST, "/members", Some(json!({"name": name, "role": "agent"}))).await;
    let req = json!({"name": name, "scopes": ["read", "write"], "memberId": member["id"]});
    let (_, key) = call(t, &t.key, Method::POST, "/keys", Some(req)).await;
    Client::new(&t.server.base_url(), key["secret"].as_str().unwrap()).unwrap()
}

/// The next presence event on `stream`, skipping changes.
async fn next_presence(stream: &mut EventStream) -> Presence {
    let wait = async {
        loop {
            if let Some(StreamEvent::Presence(p)) = stream.next().await.unwrap() {
                return p;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), wait).await.expect("a presence event within 10 s")
}

#[tokio::test]
async fn two_agents_see_each_other() {
    let t = TestServer::start(false).await;
    let conversation = t.contact_writes("+14155550100").await;
    let (dana, sam) = (t.client(), teammate(&t, "Sam").await);
    let last = t.counts().last_seq;
    let mut sams_stream = sam.events(last).await.unwrap();

    let present = dana.announce_presence(&conversation, PresenceState::Viewing).await.unwrap();
    assert_eq!(present.len(), 1);
    let seen = next_presence(&mut sams_stream).await;
    assert_eq!((seen.conversation_id.as_str(), seen.state), (conversation.as_str(), PresenceState::Viewing));
    assert_eq!(seen.member_id, dana.me().await.unwrap().member.id);
    assert!(seen.expires_at > switchboard_tests::now(), "it lapses in the future, not now");

    let both = sam.announce_presence(&conversation, PresenceState::Typing).await.unwrap();
    assert_eq!(both.iter().map(|p| p.state).collect::<Vec<_>>(), [PresenceState::Viewing, PresenceState::Typing]);
    assert_eq!(next_presence(&mut sams_stream).await.state, PresenceState::Typing, "the stream carries one's own too");

    dana.announce_presence(&conversation, PresenceState::Idle).await.unwrap();
    assert_eq!(next_presence(&mut sams_stream).await.state, PresenceState::Idle);
    let (_, now) = call(&t, &t.key, Method::GET, &format!("/conversations/{conversation}/presence"), None).await;
    assert_eq!(now.as_array().unwrap().len(), 1, "only Sam is left: {now}");
    assert_eq!(t.counts().last_seq, last, "presence writes nothing");
}

#[tokio::test]
async fn presence_stays_in_its_workspace_and_checks_its_input() {
    let t = TestServer::start(false).await;
    let conversation = t.contact_writes("+14155550100").await;
    let other = t.server.create_workspace("Rival", "Owner").await.unwrap();
    let rival = Client::new(&t.server.base_url(), other.key.plaintext.clone()).unwrap();
    let rivals_conversation = {
        let ws = other.workspace.id.clone();
        let m = t.server.receive(&ws, "+14155550200", switchboard_api::Channel::Web, "Hi").await.unwrap();
        m.conversation_id
    };
    let mut rivals_stream = rival.events(0).await.unwrap();
    t.client().announce_presence(&conversation, PresenceState::Viewing).await.unwrap();
    rival.announce_presence(&rivals_conversation, PresenceState::Viewing).await.unwrap();
    let first = next_presence(&mut rivals_stream).await;
    assert_eq!(first.conversation_id, rivals_conversation, "the clinic's presence never reaches the rival");

    let path = format!("/conversations/{conversation}/presence");
    assert_eq!(call(&t, &other.key.plaintext, Method::GET, &path, None).await.0, 404);
    let (status, _) = call(&t, &other.key.plaintext, Method::POST, &path, Some(json!({"state": "viewing"}))).await;
    assert_eq!(status, 404);
    for (body, expected) in
        [(json!({"state": "away"}), 400), (json!({}), 400), (json!({"state": "typing", "x": 1}), 400)]
    {
        assert_eq!(call(&t, &t.key, Method::POST, &path, Some(body.clone())).await.0, expected, "{body}");
    }
    let missing = "/conversations/conv_nope/presence";
    assert_eq!(call(&t, &t.key, Method::POST, missing, Some(json!({"state": "viewing"}))).await.0, 404);
    let reader = t.server.issue_owner_key("reader", &[switchboard_api::Scope::Read]).await.unwrap().plaintext;
    assert_eq!(call(&t, &reader, Method::POST, &path, Some(json!({"state": "viewing"}))).await.0, 403);
    assert_eq!(call(&t, &reader, Method::GET, &path, None).await.0, 200);
}
