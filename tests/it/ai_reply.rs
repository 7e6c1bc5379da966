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

    // A long conversation: what it says now is read, not its first 200 messages.
    let path = format!("/conversations/{conversation}/messages");
    for _ in 0..200 {
        let (status, _) =
            call(&t, &t.key, Method::POST, &path, Some(json!({"text": "Thanks, we will be right with you."}))).await;
        assert_eq!(status, 200);
    }
    let (status, _) =
        call(&t, &t.key, Method::POST, &path, Some(json!({"text": "Your booking code changed to REEF-2210."}))).await;
    assert_eq!(status, 200);
    let (_, answer) = ask(&t, json!({"message": "What was my code again?", "conversationId": conversation})).await;
    let reply = answer["reply"].as_str().unwrap();
    assert!(reply.contains("REEF-2210") && !reply.contains("GLOW-4471"), "{answer}");

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

/// A clinic's website on loopback, for imports: a home page linking to its other pages,
/// a page robots.txt keeps out, a PDF, another site, a missing page. `hours` is the
/// hours page's HTML, changed between imports.
async fn clinic_site(hours: Arc<Mutex<String>>, robots: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    // The same server under another name is another site.
    let elsewhere = base.replace("127.0.0.1", "localhost");
    let html = |body: String| ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body);
    let app = axum::Router::new()
        .route("/old-home", axum::routing::get(|| async { axum::response::Redirect::permanent("/") }))
        .route(
            "/away",
            axum::routing::get(move || {
                let to = format!("{elsewhere}/");
                async move { axum::response::Redirect::temporary(&to) }
            }),
        )
        .route("/robots.txt", axum::routing::get(move || async move { robots }))
        .route(
            "/",
            axum::routing::get(move || async move {
                html(
                    r#"<html><head><title>Harbour Clinic</title></head><body>
                <h1>Welcome</h1><p>Family doctors and physiotherapy at 12 Harbour Road.</p>
                <a href="/hours#top">Hours</a> <a href="services">Services</a> <a href="/private/staff">Staff</a>
                <a href="/leaflet.pdf">Leaflet</a> <a href="https://other.example/">Partner</a> <a href="/gone">Old</a>
                <a href="mailto:desk@harbour.example">Mail</a></body></html>"#
                        .to_owned(),
                )
            }),
        )
        .route(
            "/services",
            axum::routing::get(move || async move {
                html(
                    r#"<html><head><title>Services &amp; prices</title></head><body>
                <h2>Physiotherapy</h2><p>A 45-minute session is $80.</p>
                <h2>Vaccinations</h2><p>Flu shot $25, walk-in.</p><a href="/">Home</a> <a href="/old-home">Old home</a></body></html>"#
                        .to_owned(),
                )
            }),
        )
        .route(
            "/hours",
            axum::routing::get(move || {
                let h = hours.clone();
                async move { html(h.lock().unwrap().clone()) }
            }),
        )
        .route("/private/staff", axum::routing::get(|| async { "staff rota: never read" }))
        .route(
            "/leaflet.pdf",
            axum::routing::get(|| async { ([(header::CONTENT_TYPE, "application/pdf")], vec![0u8; 8]) }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

async fn knowledge(t: &TestServer) -> Vec<(String, String, String)> {
    let (_, page) = call(t, &t.key, Method::GET, "/knowledge?limit=100", None).await;
    let mut out: Vec<(String, String, String)> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let url = e["url"].as_str().unwrap_or_default();
            let path = url.split_once("://").map_or(url, |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
            (format!("/{path}"), e["title"].as_str().unwrap().to_owned(), e["body"].as_str().unwrap().to_owned())
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn a_website_is_imported_by_heading_and_imported_again_in_place() {
    let t = TestServer::start(false).await;
    let hours = Arc::new(Mutex::new(
        "<title>Hours</title><h2>Opening hours</h2><p>Monday–Friday 8:00–19:00</p><h2>Holidays</h2><p>Closed 25 December.</p>".to_owned(),
    ));
    let site = clinic_site(hours.clone(), "User-agent: *\nDisallow: /private\n").await;
    let import = |body: Value| {
        let t = &t;
        async move { call(t, &t.key, Method::POST, "/knowledge/import", Some(body)).await }
    };

    let (status, first) = import(json!({"url": format!("{site}/")})).await;
    assert_eq!(status, 200, "{first}");
    let pages: Vec<&str> = first["pages"].as_array().unwrap().iter().map(|p| p["url"].as_str().unwrap()).collect();
    assert_eq!(pages, [format!("{site}/"), format!("{site}/hours"), format!("{site}/services")]);
    let skipped: Vec<String> =
        first["skipped"].as_array().unwrap().iter().map(|s| format!("{} {}", s["url"], s["reason"])).collect();
    assert!(skipped.iter().any(|s| s.contains("/private/staff") && s.contains("robots.txt")), "{skipped:?}");
    assert!(skipped.iter().any(|s| s.contains("/gone") && s.contains("404")), "{skipped:?}");
    assert!(!skipped.iter().any(|s| s.contains("leaflet") || s.contains("other.example")), "not pages of this site");
    assert_eq!(
        (first["created"].as_u64(), first["updated"].as_u64(), first["removed"].as_u64()),
        (Some(5), Some(0), Some(0))
    );
    assert_eq!(
        knowledge(&t).await,
        [
            (
                "/".into(),
                "Welcome".into(),
                "Family doctors and physiotherapy at 12 Harbour Road.\nHours Services Staff Leaflet Partner Old Mail"
                    .into()
            ),
            ("/hours".into(), "Holidays".into(), "Closed 25 December.".into()),
            ("/hours".into(), "Opening hours".into(), "Monday–Friday 8:00–19:00".into()),
            ("/services".into(), "Physiotherapy".into(), "A 45-minute session is $80.".into()),
            ("/services".into(), "Vaccinations".into(), "Flu shot $25, walk-in.\nHome Old home".into()),
        ]
    );
    // The agent answers from what was imported.
    let (_, answer) = ask(&t, json!({"message": "How much is physiotherapy?"})).await;
    assert!(answer["reply"].as_str().unwrap().contains("$80"), "{answer}");

    // The team's own words: an entry typed citing the hours page, and an imported entry edited.
    let typed =
        json!({"title": "Bank holidays", "body": "Open 10:00–14:00 on bank holidays.", "url": format!("{site}/hours")});
    let (status, typed) = call(&t, &t.key, Method::POST, "/knowledge", Some(typed)).await;
    assert_eq!((status, typed["imported"].as_bool()), (201, Some(false)), "{typed}");
    let listed = call(&t, &t.key, Method::GET, "/knowledge?limit=100", None).await.1;
    let vaccinations =
        listed["data"].as_array().unwrap().iter().find(|e| e["title"] == "Vaccinations").unwrap().clone();
    assert_eq!(vaccinations["imported"], true);
    let path = format!("/knowledge/{}", vaccinations["id"].as_str().unwrap());
    let (status, edited) =
        call(&t, &t.key, Method::PATCH, &path, Some(json!({"body": "Flu shot $25, walk-in or booked."}))).await;
    assert_eq!((status, edited["imported"].as_bool()), (200, Some(false)), "{edited}");

    // The hours change and the holiday section is gone: one entry updated, one removed,
    // the rest untouched (same ids); the team's entries stay as they wrote them.
    let before = call(&t, &t.key, Method::GET, "/knowledge?limit=100", None).await.1;
    *hours.lock().unwrap() = "<title>Hours</title><h2>Opening hours</h2><p>Monday–Saturday 8:00–19:00</p>".to_owned();
    let (status, second) = import(json!({"url": format!("{site}/"), "maxPages": 5})).await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(
        (
            second["created"].as_u64(),
            second["updated"].as_u64(),
            second["unchanged"].as_u64(),
            second["removed"].as_u64(),
            second["edited"].as_u64()
        ),
        (Some(0), Some(1), Some(2), Some(1), Some(1))
    );
    let after = call(&t, &t.key, Method::GET, "/knowledge?limit=100", None).await.1;
    let ids = |page: &Value| {
        let mut v: Vec<String> =
            page["data"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect();
        v.sort();
        v
    };
    assert!(ids(&after).iter().all(|id| ids(&before).contains(id)), "entries kept their ids");
    let now = knowledge(&t).await;
    assert!(now.contains(&("/hours".into(), "Opening hours".into(), "Monday–Saturday 8:00–19:00".into())));
    assert!(now.contains(&("/hours".into(), "Bank holidays".into(), "Open 10:00–14:00 on bank holidays.".into())));
    assert!(now.contains(&("/services".into(), "Vaccinations".into(), "Flu shot $25, walk-in or booked.".into())));
    assert_eq!(now.iter().filter(|(_, title, _)| title == "Vaccinations").count(), 1, "not read in twice");

    // One page only.
    let (_, one) = import(json!({"url": format!("{site}/services"), "maxPages": 1})).await;
    assert_eq!(one["pages"].as_array().unwrap().len(), 1, "{one}");
    assert_eq!(one["pages"][0]["title"], "Services & prices", "entities decoded");
    assert!(
        one["skipped"].as_array().unwrap().iter().any(|s| s["reason"].as_str().unwrap().contains("limit")),
        "{one}"
    );

    // Bad input changes nothing.
    let count = knowledge(&t).await.len();
    for (body, status, code) in [
        (json!({}), 400, "invalid_body"),
        (json!({"url": "ftp://x.example/"}), 400, "invalid_parameter"),
        (json!({"url": format!("{site}/"), "maxPages": 0}), 400, "invalid_parameter"),
        (json!({"url": format!("{site}/"), "maxPages": 51}), 400, "invalid_parameter"),
        (json!({"url": format!("{site}/"), "depth": 2}), 400, "invalid_body"),
        (json!({"url": format!("{site}/leaflet.pdf")}), 422, "url_unreadable"),
        (json!({"url": format!("{site}/private/staff")}), 422, "url_unreadable"),
        (json!({"url": format!("{site}/away")}), 422, "url_unreadable"),
        (json!({"url": format!("{site}/away")}), 422, "url_unreadable"),
    ] {
        let (got, answer) = import(body.clone()).await;
        assert_eq!((got, answer["code"].as_str().unwrap_or_default()), (status, code), "{body}: {answer}");
    }
    assert_eq!(knowledge(&t).await.len(), count);
}

#[tokio::test]
async fn imports_obey_robots_txt_and_the_address_policy() {
    let closed = clinic_site(Arc::default(), "User-agent: *\nDisallow: /\n").await;
    let t = TestServer::start(false).await;
    let (status, refused) =
        call(&t, &t.key, Method::POST, "/knowledge/import", Some(json!({"url": format!("{closed}/")}))).await;
    assert_eq!((status, refused["code"].as_str()), (422, Some("url_unreadable")), "{refused}");
    assert!(refused["error"].as_str().unwrap().contains("robots.txt"), "{refused}");

    let strict = TestServer::start_with(false, |c| c.webhooks.policy.allow_loopback = false).await;
    for url in [format!("{closed}/"), "http://169.254.169.254/".to_owned(), "http://[::ffff:127.0.0.1]/".to_owned()] {
        let (status, refused) =
            call(&strict, &strict.key, Method::POST, "/knowledge/import", Some(json!({"url": url}))).await;
        assert_eq!((status, refused["code"].as_str()), (422, Some("url_unreadable")), "{url}: {refused}");
    }
    let (_, page) = call(&strict, &strict.key, Method::GET, "/knowledge", None).await;
    assert_eq!(page["data"], json!([]));
}
