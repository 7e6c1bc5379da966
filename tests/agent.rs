//! The AI agent live: a visitor writes into a conversation the AI handles, and the agent
//! answers from the knowledge entries, records the lead and the booking request, hands
//! over when asked, and tells webhooks what it did.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use switchboard_api::Channel;
use switchboard_tests::receiver::Receiver;
use switchboard_tests::{TestServer, call};

/// Polls `probe` until it gives a value (the agent answers in the background).
async fn eventually<T, F, Fut>(what: &str, probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    switchboard_tests::eventually(what, Duration::from_secs(15), probe).await
}

async fn ai_messages(t: &TestServer, conversation: &str) -> Vec<String> {
    let (_, page) =
        call(t, &t.key, Method::GET, &format!("/conversations/{conversation}/messages?limit=500"), None).await;
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["author"] == "ai")
        .map(|m| m["body"].as_str().unwrap().to_owned())
        .collect()
}

async fn writes(t: &TestServer, text: &str) -> String {
    let ws = t.server.workspace().id.clone();
    t.server.receive(&ws, "+14155550170", Channel::Web, text).await.unwrap().conversation_id
}

#[tokio::test]
async fn the_agent_answers_records_and_hands_over() {
    let t = TestServer::start_with(false, |c| c.ai_agent = true).await;
    let mut receiver = Receiver::start().await;
    let (status, _) = call(
        &t,
        &t.key,
        Method::POST,
        "/webhooks",
        Some(json!({"url": receiver.url, "events": ["tool_call", "sentiment_result", "lead.captured", "appointment.requested", "conversation.escalated"]})),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = call(
        &t,
        &t.key,
        Method::POST,
        "/knowledge",
        Some(json!({"title": "Prices", "body": "Men's haircut — $30, 30 minutes\nBeard trim — $15, 15 minutes"})),
    )
    .await;
    assert_eq!(status, 201);

    let conversation = writes(&t, "How much is a beard trim?").await;
    let replies = eventually("the agent's answer", || async {
        let r = ai_messages(&t, &conversation).await;
        (!r.is_empty()).then_some(r)
    })
    .await;
    assert_eq!(replies, ["Beard trim: $15 (15 minutes). Would you like to book?"]);

    // The booking is filled in across messages: what is missing (the phone) is asked for
    // once, then the request is recorded with the time resolved to a date.
    writes(&t, "Great, book me in for Friday at 3pm. I'm Sam Reyes").await;
    let asked = eventually("the question for the phone", || async {
        let r = ai_messages(&t, &conversation).await;
        (r.len() == 2).then_some(r)
    })
    .await;
    assert_eq!(asked[1], "And a phone number the team can reach you on?");
    writes(&t, "+1 415 555 2671, or sam@example.com").await;
    let appointment = eventually("the booking request", || async {
        let (_, page) = call(&t, &t.key, Method::GET, "/appointments", None).await;
        page["data"].as_array().unwrap().first().cloned()
    })
    .await;
    let today = chrono::Utc::now().date_naive();
    let friday = (0..7)
        .map(|d| today + chrono::Duration::days(d))
        .find(|d| chrono::Datelike::weekday(d) == chrono::Weekday::Fri)
        .unwrap();
    assert_eq!(
        (appointment["service"].as_str(), appointment["preferredTime"].as_str()),
        (Some("Beard trim"), Some(format!("{friday}T15:00").as_str()))
    );
    assert_eq!(
        (appointment["name"].as_str(), appointment["phone"].as_str()),
        (Some("Sam Reyes"), Some("+14155552671"))
    );
    assert_eq!(appointment["conversationId"], conversation.as_str());
    let (_, leads) = call(&t, &t.key, Method::GET, "/leads", None).await;
    let lead = &leads["data"][0];
    assert_eq!((lead["name"].as_str(), lead["email"].as_str()), (Some("Sam Reyes"), Some("sam@example.com")));
    assert_eq!(lead["interest"], "Beard trim", "what was asked about, not the whole message");

    writes(&t, "Actually, can I talk to a real person?").await;
    let escalated = eventually("the hand-over", || async {
        let (_, c) = call(&t, &t.key, Method::GET, &format!("/conversations/{conversation}"), None).await;
        (c["handler"] == "human").then_some(c)
    })
    .await;
    assert_eq!(escalated["escalationReason"], "The visitor asked for a person");
    let handed = ai_messages(&t, &conversation).await;
    assert!(handed.last().unwrap().contains("teammate"), "{handed:?}");

    // With a person on it, the agent stays quiet; handed back, it answers again. The agent
    // takes messages in order, so when the second answer is there the first was skipped.
    writes(&t, "Hello?").await;
    let (status, _) =
        call(&t, &t.key, Method::PATCH, &format!("/conversations/{conversation}"), Some(json!({"handler": "ai"})))
            .await;
    assert_eq!(status, 200);
    let before = handed.len();
    writes(&t, "How much is a men's haircut?").await;
    let after = eventually("the answer after the hand-back", || async {
        let r = ai_messages(&t, &conversation).await;
        (r.len() > before).then_some(r)
    })
    .await;
    assert_eq!(after.len(), before + 1, "nothing for the message a person handled: {after:?}");
    assert!(after.last().unwrap().contains("$30"));

    let mut tools = Vec::new();
    let mut sentiments = 0;
    while tools.len() < 7 || sentiments < 5 {
        let event: Value = receiver.next().await.json();
        match event["event"].as_str().unwrap() {
            "tool_call" => tools.push(event["data"]["tool"].as_str().unwrap().to_owned()),
            "sentiment_result" => sentiments += 1,
            _ => {}
        }
    }
    for tool in ["reply", "capture_lead", "request_appointment", "escalate"] {
        assert!(tools.iter().any(|t| t == tool), "{tool} missing from {tools:?}");
    }
}

/// A message that came in while the agent was not running (the server stopped, or the
/// agent fell behind) is answered when it runs again, once, however often it restarts.
#[tokio::test]
async fn messages_waiting_when_the_agent_was_down_are_answered_once() {
    let t = TestServer::start(false).await;
    let (status, _) = call(
        &t,
        &t.key,
        Method::POST,
        "/knowledge",
        Some(json!({"title": "Prices", "body": "Men's haircut — $30, 30 minutes"})),
    )
    .await;
    assert_eq!(status, 201);
    let conversation = writes(&t, "How much is a men's haircut?").await;
    assert!(ai_messages(&t, &conversation).await.is_empty(), "the agent is off in this server");
    let path = t.db_path();
    let queued = || {
        rusqlite::Connection::open(&path)
            .unwrap()
            .query_row("SELECT count(*) FROM agent_inbox", [], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    assert_eq!(queued(), 1);

    let TestServer { server, key, dir, .. } = t;
    server.shutdown().await;
    for _ in 0..3 {
        let mut config = switchboard_tests::config(path.clone(), false, "127.0.0.1:0".parse().unwrap());
        config.ai_agent = true;
        let server = switchboard_server::Server::start(config).await.unwrap();
        eventually("the agent's queue to empty", || async { (queued() == 0).then_some(()) }).await;
        let t = TestServer::from_parts(server, key.clone(), tempfile::tempdir().unwrap());
        let answers = ai_messages(&t, &conversation).await;
        assert_eq!(answers.len(), 1, "answered once, however often the server starts: {answers:?}");
        assert!(answers[0].contains("$30"), "{answers:?}");
        t.server.shutdown().await;
    }
    drop(dir);
}

/// The demo's seeded history is not a backlog: a fresh local workspace starts with no
/// messages waiting for the agent.
#[tokio::test]
async fn the_demo_history_is_not_answered_again() {
    let t = TestServer::start_with(true, |c| c.ai_agent = true).await;
    let n: i64 = rusqlite::Connection::open(t.db_path())
        .unwrap()
        .query_row("SELECT count(*) FROM agent_inbox", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
    let ai_before: i64 = rusqlite::Connection::open(t.db_path())
        .unwrap()
        .query_row("SELECT count(*) FROM messages WHERE author = 'ai'", [], |r| r.get(0))
        .unwrap();
    // A visitor's new message is answered; nothing else is.
    let conversation = writes(&t, "Hello, what are your opening hours?").await;
    eventually("the answer", || async { (!ai_messages(&t, &conversation).await.is_empty()).then_some(()) }).await;
    let ai_after: i64 = rusqlite::Connection::open(t.db_path())
        .unwrap()
        .query_row("SELECT count(*) FROM messages WHERE author = 'ai'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ai_after, ai_before + 1);
}
