//! `POST /ai/reply`: answers from a real web page on loopback, knowledge entries, context
//! and the conversation; bad input and unreadable pages; and the OpenAI-compatible
//! provider against a stand-in that follows the chat-completions format.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use reqwest::Method;
use serde_json::{Value, json};
use switchboard_server::ModelSettings;
use switchboard_tests::{TestServer, call};

const SALON: &str = r#"<!doctype html><html><head><title>Glow Salon — Prices</title>
<style>body { color: red }</style><script>var tracking = "haircut $999";</script></head>
<body><nav><a href="/">Home</a></nav><h1>Our services</h1>
<ul><li>Men's haircut — $30, 30 minutes</li><li>Women's haircut — $45, 45 minutes</li><li>Beard trim — $15</li></ul>
<h2>Opening hours</h2><p>Opening hours: Monday to Friday 9am to 6pm</p></body></html>"#;

/// A small website on loopback: the salon page, a redirect loop, a binary file, a page
/// too large to read, and a 404.
async fn website() -> String {
    let big = "<p>filler</p>".repeat(200_000);
    let app = axum::Router::new()
        .route(
            "/prices",
            axum::routing::get(|| async { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], SALON) }),
        )
        .route("/loop", axum::routing::get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/loop")]) }))
        .route("/logo.png", axum::routing::get(|| async { ([(header::CONTENT_TYPE, "image/png")], vec![0u8; 64]) }))
        .route("/big", axum::routing::get(move || async move { ([(header::CONTENT_TYPE, "text/html")], big) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

async fn ask(t: &TestServer, body: Value) -> (u16, Value) {
    call(t, &t.key, Method::POST, "/ai/reply", Some(body)).await
}

#[tokio::test]
async fn the_caac_haircut_example_is_answered_from_the_page() {
    let t = TestServer::start(false).await;
    let site = website().await;
    let url = format!("{site}/prices");
    let (status, answer) = ask(&t, json!({"message": "How much is a haircut?", "url": url})).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["reply"], "A men's haircut is $30 and takes about 30 minutes — want me to book you in?");
    assert_eq!(answer["sources"][0]["url"], url.as_str());
    assert_eq!(answer["sources"][0]["title"], "Glow Salon — Prices");
    assert!(!answer.to_string().contains("$999"), "scripts are not text");
    assert!(answer["confidence"].as_f64().unwrap() >= 0.5);
    assert_eq!(answer["lowConfidence"], false);

    let (_, hours) = ask(&t, json!({"message": "When are you open?", "url": url})).await;
    assert_eq!(hours["reply"], "We're open Monday to Friday 9am to 6pm.");
}

#[tokio::test]
async fn knowledge_entries_context_and_not_knowing() {
    let t = TestServer::start(false).await;
    let (status, _) = call(
        &t,
        &t.key,
        Method::POST,
        "/knowledge",
        Some(json!({"title": "Parking", "body": "Parking is free behind the building, entrance on Elm Street."})),
    )
    .await;
    assert_eq!(status, 201);
    let (_, parking) = ask(&t, json!({"message": "Where can I park my car?"})).await;
    assert_eq!(parking["reply"], "Parking is free behind the building, entrance on Elm Street.");
    assert_eq!(parking["sources"][0]["title"], "Parking");

    let (_, from_context) =
        ask(&t, json!({"message": "How much is a facial?", "context": "Facial — $60, 50 minutes\nMassage — $80"}))
            .await;
    assert_eq!(from_context["reply"], "A facial is $60 and takes about 50 minutes — want me to book you in?");

    let (status, unknown) = ask(&t, json!({"message": "Do you sell gift cards?"})).await;
    assert_eq!(status, 200);
    assert_eq!(unknown["lowConfidence"], true);
    assert_eq!(unknown["sources"], json!([]));
    assert!(unknown["reply"].as_str().unwrap().contains("check with the team"));
}

#[tokio::test]
async fn the_conversation_so_far_is_read_and_must_be_this_workspaces() {
    let t = TestServer::start(false).await;
    let conversation = t.contact_writes("+14155550160").await;
    let (status, _) = call(
        &t,
        &t.key,
        Method::POST,
        &format!("/conversations/{conversation}/messages"),
        Some(json!({"text": "Your booking code is GLOW-4471, show it at the desk."})),
    )
    .await;
    assert_eq!(status, 200);
    let (_, answer) = ask(&t, json!({"message": "What was my code again?", "conversationId": conversation})).await;
    assert!(answer["reply"].as_str().unwrap().contains("GLOW-4471"), "{answer}");

    let other = t.server.create_workspace("Rival", "Rival Owner").await.unwrap().key.plaintext;
    let (status, refused) = call(
        &t,
        &other,
        Method::POST,
        "/ai/reply",
        Some(json!({"message": "What was my code again?", "conversationId": conversation})),
    )
    .await;
    assert_eq!((status, refused["code"].as_str()), (404, Some("not_found")));
}

#[tokio::test]
async fn bad_input_and_unreadable_pages_are_clear_errors() {
    let t = TestServer::start_with(false, |c| c.webhooks.policy.allow_loopback = false).await;
    let site = website().await;
    let long = "x".repeat(4001);
    for (body, code) in [
        (json!({"message": ""}), "invalid_parameter"),
        (json!({"message": "   "}), "invalid_parameter"),
        (json!({"message": long}), "invalid_parameter"),
        (json!({"message": "hi", "url": "not a url"}), "invalid_parameter"),
        (json!({"message": "hi", "url": "file:///etc/passwd"}), "invalid_parameter"),
        (json!({"message": "hi", "prompt": "x"}), "invalid_body"),
        (json!({"text": "hi"}), "invalid_body"),
    ] {
        let (status, answer) = ask(&t, body.clone()).await;
        assert_eq!((status, answer["code"].as_str().unwrap()), (400, code), "{body}: {answer}");
    }
    // Server-side request forgery: every private target is refused, by address or by name.
    for url in [
        format!("{site}/prices"),
        "http://localhost/".to_owned(),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        "http://10.0.0.1/".to_owned(),
        "http://[::1]/".to_owned(),
        // IPv4 inside IPv6: compatible, 6to4 around loopback and the metadata address, NAT64.
        "http://[::127.0.0.1]/".to_owned(),
        "http://[::7f00:1]/".to_owned(),
        "http://[2002:7f00:1::]/".to_owned(),
        "http://[2002:a9fe:a9fe::]/latest/meta-data/".to_owned(),
        "http://[64:ff9b::a9fe:a9fe]/".to_owned(),
    ] {
        let (status, answer) = ask(&t, json!({"message": "How much is a haircut?", "url": url})).await;
        assert_eq!((status, answer["code"].as_str()), (422, Some("url_unreadable")), "{url}: {answer}");
    }

    let open = TestServer::start(false).await;
    for (path, why) in [("/loop", "redirects"), ("/logo.png", "image/png"), ("/big", "2 MB"), ("/missing", "404")] {
        let (status, answer) = call(
            &open,
            &open.key,
            Method::POST,
            "/ai/reply",
            Some(json!({"message": "hi", "url": format!("{site}{path}")})),
        )
        .await;
        assert_eq!((status, answer["code"].as_str()), (422, Some("url_unreadable")), "{path}: {answer}");
        assert!(answer["error"].as_str().unwrap().contains(why), "{path}: {answer}");
    }
}

/// A stand-in for an OpenAI-compatible server: records each request and answers as told.
async fn model_server(answer: Arc<Mutex<(u16, Value)>>, seen: Arc<Mutex<Vec<Value>>>) -> String {
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        axum::routing::post(move |axum::Json(body): axum::Json<Value>| {
            let (answer, seen) = (answer.clone(), seen.clone());
            async move {
                seen.lock().unwrap().push(body);
                let (status, reply) = answer.lock().unwrap().clone();
                if status == 0 {
                    std::future::pending::<()>().await;
                }
                (StatusCode::from_u16(status).unwrap(), axum::Json(reply)).into_response()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

#[tokio::test]
async fn an_openai_compatible_model_answers_from_the_sources() {
    let completion = json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "small-model",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": " A men's haircut is $30. Shall I book you in? "}}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 9, "total_tokens": 19}
    });
    let answer = Arc::new(Mutex::new((200, completion)));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let base = model_server(answer.clone(), seen.clone()).await;
    let t = TestServer::start_with(false, |c| {
        c.language_model = Some(ModelSettings {
            base_url: base,
            model: "small-model".into(),
            api_key: Some("sk-test".into()),
            timeout: Duration::from_millis(500),
        });
    })
    .await;
    let site = website().await;
    let (status, reply) = ask(&t, json!({"message": "How much is a haircut?", "url": format!("{site}/prices")})).await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["reply"], "A men's haircut is $30. Shall I book you in?");
    assert_eq!(reply["sources"][0]["title"], "Glow Salon — Prices");
    let request = seen.lock().unwrap()[0].clone();
    assert_eq!(request["model"], "small-model");
    let messages = request["messages"].as_array().unwrap();
    assert_eq!(messages[0]["role"], "system");
    assert!(messages[0]["content"].as_str().unwrap().contains("Men's haircut — $30, 30 minutes"));
    assert_eq!(messages.last().unwrap()["role"], "user");
    assert_eq!(messages.last().unwrap()["content"], "How much is a haircut?");

    *answer.lock().unwrap() = (500, json!({"error": {"message": "overloaded", "type": "server_error"}}));
    let (status, failed) = ask(&t, json!({"message": "How much is a haircut?"})).await;
    assert_eq!((status, failed["code"].as_str()), (502, Some("ai_upstream_failed")));
    assert!(failed["error"].as_str().unwrap().contains("overloaded"));
    assert!(!failed.to_string().contains("sk-test"), "the key never shows");

    *answer.lock().unwrap() = (0, Value::Null);
    let (status, timed_out) = ask(&t, json!({"message": "How much is a haircut?"})).await;
    assert_eq!((status, timed_out["code"].as_str()), (502, Some("ai_upstream_failed")));

    *answer.lock().unwrap() = (200, json!({"choices": []}));
    let (status, empty) = ask(&t, json!({"message": "How much is a haircut?"})).await;
    assert_eq!((status, empty["code"].as_str()), (502, Some("ai_upstream_failed")));
}
