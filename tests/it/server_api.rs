#![allow(clippy::unwrap_used)]

use std::collections::HashSet;

use serde_json::Value;
use switchboard_api::{ErrorCode, ListConversationsQuery, ListMessagesQuery, PostMessageRequest, SendMessageRequest};
use switchboard_server::Server;
use switchboard_tests::{TestServer, config, raw};

#[tokio::test]
async fn me_has_the_caac_shape() {
    let t = TestServer::start(false).await;
    let body: Value = raw().get(t.url("/me")).bearer_auth(&t.key).send().await.unwrap().json().await.unwrap();
    assert_eq!(body["ok"], Value::Bool(true));
    for field in ["id", "name", "plan"] {
        assert!(body["workspace"][field].is_string(), "workspace.{field} missing in {body}");
    }
    assert_eq!(body["member"]["role"], "owner");
    let me = t.client().me().await.unwrap();
    assert_eq!(me.workspace.name, "My Workspace");
    assert!(t.key.starts_with(&me.key.prefix));
}

#[tokio::test]
async fn the_first_key_is_issued_once_and_survives_a_restart() {
    let t = TestServer::start(false).await;
    let path = t.db_path();
    let key = t.key.clone();
    let addr = t.server.addr();
    t.server.shutdown().await;
    let mut again = Server::start(config(path.clone(), false, addr)).await.unwrap();
    assert!(again.take_first_key().is_none(), "a second start must not mint another key");
    let client = switchboard_client::Client::new(&again.base_url(), key.clone()).unwrap();
    assert!(client.me().await.unwrap().ok);
    // Only the hash is stored.
    let stored = std::fs::read(&path).unwrap();
    let needle = key.as_bytes();
    assert!(!stored.windows(needle.len()).any(|w| w == needle), "plaintext key found in the database");
    again.shutdown().await;
}

#[tokio::test]
async fn missing_and_bad_keys_are_401_with_codes() {
    let t = TestServer::start(false).await;
    let cases = [
        (None, ErrorCode::MissingApiKey),
        (Some("Bearer nonsense".to_owned()), ErrorCode::InvalidApiKey),
        (Some(format!("Basic {}", t.key)), ErrorCode::InvalidApiKey),
        // Well-formed and checksummed, but never issued.
        (Some(format!("Bearer {}", switchboard_server::keys::generate().plaintext)), ErrorCode::InvalidApiKey),
    ];
    for (header, code) in cases {
        let mut req = raw().get(t.url("/me"));
        if let Some(h) = header.clone() {
            req = req.header("authorization", h);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 401, "{header:?}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], code.as_str(), "{header:?}");
        assert!(body["error"].is_string());
    }
}

#[tokio::test]
async fn sending_to_a_phone_finds_or_opens_the_conversation() {
    let t = TestServer::start(false).await;
    let c = t.client();
    let opened = t.contact_writes("+14155550199").await;
    let text = |to: &str, text: &str| SendMessageRequest { to: to.into(), text: text.into(), template: None };
    let first = c.send_message(&text("+1 (415) 555-0199", "Your appointment is confirmed."), None).await.unwrap();
    assert!(first.ok);
    let second = c.send_message(&text("14155550199", "See you at 10:00"), None).await.unwrap();
    assert_eq!(first.conversation_id, opened, "the contact's conversation");
    assert_eq!(first.conversation_id, second.conversation_id, "same number, same conversation");
    assert_eq!(first.contact_id, second.contact_id);
    let messages = c.list_messages(&first.conversation_id, &ListMessagesQuery::default()).await.unwrap();
    let bodies: Vec<_> = messages.data.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, ["Hello!", "Your appointment is confirmed.", "See you at 10:00"]);
    let counts = t.counts();
    assert_eq!((counts.contacts, counts.conversations, counts.messages), (1, 1, 3));
}

#[tokio::test]
async fn idempotency_key_makes_a_retry_safe() {
    let t = TestServer::start(true).await;
    let c = t.client();
    let conversation = c.list_conversations(&ListConversationsQuery::default()).await.unwrap().data[0].clone();
    let before = t.counts().messages;
    let a =
        c.post_message(&conversation.id, &PostMessageRequest::text("Thanks, booked!"), Some("retry-1")).await.unwrap();
    let b =
        c.post_message(&conversation.id, &PostMessageRequest::text("Thanks, booked!"), Some("retry-1")).await.unwrap();
    assert_eq!(a, b);
    assert_eq!(t.counts().messages, before + 1);
    let reused = c
        .post_message(&conversation.id, &PostMessageRequest::text("Something else"), Some("retry-1"))
        .await
        .unwrap_err();
    assert_eq!(reused.api_code(), Some(ErrorCode::IdempotencyKeyReused));
    assert_eq!(t.counts().messages, before + 1);
}

#[tokio::test]
async fn conversations_page_through_without_gaps_or_repeats() {
    let t = TestServer::start(true).await;
    let c = t.client();
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = c
            .list_conversations(&ListConversationsQuery {
                limit: Some(7),
                cursor: cursor.clone(),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(page.data.len() <= 7);
        seen.extend(page.data);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len() as i64, t.counts().conversations);
    let ids: HashSet<_> = seen.iter().map(|c| c.id.clone()).collect();
    assert_eq!(ids.len(), seen.len(), "a conversation appeared twice");
    let activity: Vec<_> = seen.iter().map(|c| c.last_message_at.clone().unwrap_or_default()).collect();
    let mut sorted = activity.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(activity, sorted, "most recent first");
}

#[tokio::test]
async fn messages_page_oldest_first() {
    let t = TestServer::start(true).await;
    let c = t.client();
    let conversation = c.list_conversations(&ListConversationsQuery::default()).await.unwrap().data[0].clone();
    let all = c.list_messages(&conversation.id, &ListMessagesQuery::default()).await.unwrap().data;
    assert!(all.len() >= 2);
    let mut paged = Vec::new();
    let mut cursor = None;
    loop {
        let page = c
            .list_messages(&conversation.id, &ListMessagesQuery { limit: Some(1), cursor: cursor.clone() })
            .await
            .unwrap();
        paged.extend(page.data);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(paged, all);
}

#[tokio::test]
async fn sync_pages_cover_every_row_and_end_at_the_latest_seq() {
    let t = TestServer::start(true).await;
    let c = t.client();
    let mut since = 0;
    let mut rows = 0usize;
    let mut last_seen = 0;
    loop {
        let page = c.sync(since, Some(7)).await.unwrap();
        for change in &page.changes {
            assert!(change.seq() > last_seen, "seq must increase");
            last_seen = change.seq();
        }
        rows += page.changes.len();
        since = page.next;
        if !page.has_more {
            break;
        }
    }
    let counts = t.counts();
    assert!(counts.records > 0, "the demo has leads, appointments, labels, templates and knowledge");
    assert_eq!(rows as i64, counts.contacts + counts.conversations + counts.messages + counts.records);
    assert_eq!(since, counts.last_seq);
    assert!(c.sync(since, None).await.unwrap().changes.is_empty());
}

#[tokio::test]
async fn a_read_only_key_cannot_write() {
    let t = TestServer::start(true).await;
    let read_only = t.server.issue_owner_key("Reporting", &[switchboard_api::Scope::Read]).await.unwrap();
    let client = switchboard_client::Client::new(&t.server.base_url(), read_only.plaintext.clone()).unwrap();
    assert_eq!(client.me().await.unwrap().key.scopes, [switchboard_api::Scope::Read]);
    let conversation = client.list_conversations(&ListConversationsQuery::default()).await.unwrap().data[0].clone();
    let before = t.counts();
    let denied = client.post_message(&conversation.id, &PostMessageRequest::text("hello"), None).await.unwrap_err();
    assert_eq!(denied.api_code(), Some(ErrorCode::InsufficientScope));
    let res = raw()
        .post(t.url("/messages"))
        .bearer_auth(&read_only.plaintext)
        .json(&serde_json::json!({"to": "+14155550100", "text": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(t.counts(), before);
}

/// The stream, read with plain HTTP: after `Last-Event-ID: N` it replays the current state
/// of rows changed after N, in seq order, each with its seq as the event id.
#[tokio::test]
async fn the_event_stream_resumes_after_last_event_id() {
    use futures_util::StreamExt;

    let t = TestServer::start(true).await;
    let resume_from = t.counts().last_seq;
    t.server.simulate_visitor().await.unwrap();
    let latest = t.counts().last_seq;
    assert!(latest > resume_from);

    let res = raw()
        .get(t.url("/events/stream"))
        .bearer_auth(&t.key)
        .header("last-event-id", resume_from.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let mut body = res.bytes_stream();
    let mut parser = switchboard_client::SseParser::new();
    let mut ids = Vec::new();
    let read = async {
        while ids.last() != Some(&latest) {
            let chunk = body.next().await.expect("stream ended early").unwrap();
            for event in parser.push(&chunk) {
                assert_eq!(event.event, "change");
                let change: switchboard_api::Change = serde_json::from_str(&event.data).unwrap();
                let id: i64 = event.id.unwrap().parse().unwrap();
                assert_eq!(id, change.seq());
                ids.push(id);
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(20), read).await.expect("replay arrived");
    assert!(ids.iter().all(|id| *id > resume_from), "nothing at or before Last-Event-ID: {ids:?}");
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "in seq order: {ids:?}");
}
