//! The web widget's public client API against the real server: a visitor's contact,
//! conversation and messages, what agents see of them and what visitors see back, the
//! inbox's origins, the per-address quota and the widget page.

#![allow(clippy::unwrap_used)]

use reqwest::Method;
use serde_json::{Value, json};
use switchboard_tests::{TestServer, call, raw};

const SHOP: &str = "https://shop.example";

struct Visitor<'t> {
    t: &'t TestServer,
    inbox: String,
}

async fn web_inbox(t: &TestServer) -> String {
    let (status, channel) = call(
        t,
        &t.key,
        Method::POST,
        "/channels",
        Some(json!({"kind": "web", "name": "Website chat", "web": {"allowedOrigins": [SHOP]}})),
    )
    .await;
    assert_eq!(status, 201, "{channel}");
    assert_eq!(channel["web"]["allowedOrigins"], json!([SHOP]));
    channel["web"]["inboxIdentifier"].as_str().unwrap().to_owned()
}

impl Visitor<'_> {
    /// A widget call without a key, from `origin` if given.
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        origin: Option<&str>,
    ) -> (u16, Value, reqwest::header::HeaderMap) {
        let mut req = raw().request(method, self.t.url(&format!("/widget/{}{path}", self.inbox)));
        if let Some(body) = body {
            req = req.json(&body);
        }
        if let Some(origin) = origin {
            req = req.header("origin", origin);
        }
        let res = req.send().await.unwrap();
        let (status, headers) = (res.status().as_u16(), res.headers().clone());
        (status, res.json().await.unwrap_or(Value::Null), headers)
    }

    async fn ok(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let (status, value, _) = self.call(method, path, body, Some(SHOP)).await;
        assert!(status == 200 || status == 201, "{path}: {status} {value}");
        value
    }

    /// A new visitor with an open conversation: (identifier, conversation id).
    async fn arrive(&self, name: &str) -> (String, String) {
        let contact = self.ok(Method::POST, "/contacts", Some(json!({"name": name}))).await;
        let id = contact["identifier"].as_str().unwrap().to_owned();
        let conversation = self.ok(Method::POST, &format!("/contacts/{id}/conversations"), None).await;
        (id, conversation["id"].as_str().unwrap().to_owned())
    }
}

#[tokio::test]
async fn a_visitor_chats_and_the_team_answers() {
    let t = TestServer::start(false).await;
    let v = Visitor { inbox: web_inbox(&t).await, t: &t };
    let contact = v.ok(Method::POST, "/contacts", Some(json!({"name": "Lee", "email": "lee@example.com"}))).await;
    let me = contact["identifier"].as_str().unwrap().to_owned();
    assert!(me.len() >= 20, "an identifier nobody guesses: {me}");
    assert_eq!(v.ok(Method::GET, &format!("/contacts/{me}"), None).await["email"], "lee@example.com");

    let opened = v.ok(Method::POST, &format!("/contacts/{me}/conversations"), None).await;
    let again = v.ok(Method::POST, &format!("/contacts/{me}/conversations"), None).await;
    assert_eq!(opened["id"], again["id"], "one open conversation per visitor");
    let conversation = opened["id"].as_str().unwrap().to_owned();
    let messages = format!("/contacts/{me}/conversations/{conversation}/messages");
    let sent = v.ok(Method::POST, &messages, Some(json!({"text": "Hi, do you do braces?"}))).await;
    assert_eq!((sent["direction"].as_str(), sent["author"].as_str()), (Some("inbound"), Some("contact")));

    // The team sees it in the inbox, on the web channel, from the contact they named.
    let (_, inbox) = call(&t, &t.key, Method::GET, "/conversations?channel=web", None).await;
    let row = &inbox["data"][0];
    assert_eq!(row["id"], conversation.as_str());
    assert_eq!(row["lastMessagePreview"], "Hi, do you do braces?");
    let (_, contact) =
        call(&t, &t.key, Method::GET, &format!("/contacts/{}", row["contactId"].as_str().unwrap()), None).await;
    assert_eq!(contact["name"], "Lee");

    // An answer and an internal note: the visitor sees the answer only, without who wrote it.
    let path = format!("/conversations/{conversation}/messages");
    let (status, _) =
        call(&t, &t.key, Method::POST, &path, Some(json!({"kind": "note", "text": "Lee is a returning patient"})))
            .await;
    assert_eq!(status, 200);
    let (status, reply) =
        call(&t, &t.key, Method::POST, &path, Some(json!({"text": "We do! Invisalign from $3,500."}))).await;
    assert_eq!(status, 200);
    assert_eq!(reply["status"], "sent", "web chat replies are there once written");
    let page = v.ok(Method::GET, &messages, None).await;
    let bodies: Vec<&str> = page["data"].as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap()).collect();
    assert_eq!(bodies, ["Hi, do you do braces?", "We do! Invisalign from $3,500."]);
    assert!(page["data"][1]["authorId"].is_null(), "members stay anonymous to visitors");
    let newer = v.ok(Method::GET, &format!("{messages}?after={}", sent["id"].as_str().unwrap()), None).await;
    assert_eq!(newer["data"].as_array().unwrap().len(), 1);

    let list = v.ok(Method::GET, &format!("/contacts/{me}/conversations"), None).await;
    assert_eq!(list[0]["lastMessagePreview"], "We do! Invisalign from $3,500.");
}

#[tokio::test]
async fn visitors_reach_only_their_own_and_bad_input_writes_nothing() {
    let t = TestServer::start(false).await;
    let v = Visitor { inbox: web_inbox(&t).await, t: &t };
    let (alice, alice_conversation) = v.arrive("Alice").await;
    let (bob, _) = v.arrive("Bob").await;
    v.ok(
        Method::POST,
        &format!("/contacts/{alice}/conversations/{alice_conversation}/messages"),
        Some(json!({"text": "private"})),
    )
    .await;
    let before = t.counts();

    let theirs = format!("/contacts/{bob}/conversations/{alice_conversation}/messages");
    for (method, path, body) in [
        (Method::GET, theirs.clone(), None),
        (Method::POST, theirs.clone(), Some(json!({"text": "hi"}))),
        (Method::GET, "/contacts/not-an-identifier".to_owned(), None),
        (Method::POST, "/contacts/not-an-identifier/conversations".to_owned(), None),
    ] {
        let (status, err, _) = v.call(method.clone(), &path, body, Some(SHOP)).await;
        assert_eq!((status, err["code"].as_str()), (404, Some("not_found")), "{method} {path}");
    }
    let mine = format!("/contacts/{alice}/conversations/{alice_conversation}/messages");
    for (body, code) in [
        (json!({"text": "   "}), "invalid_parameter"),
        (json!({"text": "x".repeat(4097)}), "invalid_parameter"),
        (json!({"text": "hi", "authorId": "mem_x"}), "invalid_body"),
        (json!({"body": "hi"}), "invalid_body"),
    ] {
        let (status, err, _) = v.call(Method::POST, &mine, Some(body.clone()), Some(SHOP)).await;
        assert_eq!((status, err["code"].as_str()), (400, Some(code)), "{body}");
    }
    for (body, code) in
        [(json!({"email": "not-an-email"}), "invalid_parameter"), (json!({"role": "admin"}), "invalid_body")]
    {
        let (status, err, _) = v.call(Method::POST, "/contacts", Some(body.clone()), Some(SHOP)).await;
        assert_eq!((status, err["code"].as_str()), (400, Some(code)), "{body}");
    }
    let (status, err, _) = v.call(Method::GET, &format!("{mine}?limit=0"), None, Some(SHOP)).await;
    assert_eq!((status, err["code"].as_str()), (400, Some("invalid_query")));
    let res = raw()
        .post(t.url(&format!("/widget/{}{mine}", v.inbox)))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(t.counts(), before, "refused requests wrote nothing");

    let unknown = Visitor { inbox: "no-such-inbox".into(), t: &t };
    let (status, _, _) = unknown.call(Method::POST, "/contacts", Some(json!({})), None).await;
    assert_eq!(status, 404);
    // Another workspace's inbox never sees this one's visitors.
    let other = t.server.create_workspace("Other clinic", "Owner").await.unwrap();
    let (status, channel) =
        call(&t, &other.key.plaintext, Method::POST, "/channels", Some(json!({"kind": "web", "name": "Chat"}))).await;
    assert_eq!(status, 201);
    let elsewhere = Visitor { inbox: channel["web"]["inboxIdentifier"].as_str().unwrap().to_owned(), t: &t };
    let (status, _, _) = elsewhere.call(Method::GET, &format!("/contacts/{alice}"), None, None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn browsers_are_held_to_the_inbox_origins() {
    let t = TestServer::start(false).await;
    let v = Visitor { inbox: web_inbox(&t).await, t: &t };
    let preflight = |origin: &'static str| {
        raw()
            .request(Method::OPTIONS, t.url(&format!("/widget/{}/contacts", v.inbox)))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let ok = preflight(SHOP).await.unwrap();
    assert_eq!(ok.status(), 204);
    assert_eq!(ok.headers()["access-control-allow-origin"], SHOP);
    assert!(ok.headers()["access-control-allow-methods"].to_str().unwrap().contains("POST"));
    let refused = preflight("https://evil.example").await.unwrap();
    assert_eq!(refused.status(), 403);
    assert!(refused.headers().get("access-control-allow-origin").is_none());

    let before = t.counts();
    let (status, err, headers) =
        v.call(Method::POST, "/contacts", Some(json!({"name": "Mallory"})), Some("https://evil.example")).await;
    assert_eq!((status, err["code"].as_str()), (403, Some("origin_not_allowed")));
    assert!(headers.get("access-control-allow-origin").is_none());
    assert_eq!(t.counts(), before, "a page on another origin wrote nothing");

    let (status, _, headers) = v.call(Method::POST, "/contacts", Some(json!({})), Some(SHOP)).await;
    assert_eq!(status, 201);
    assert_eq!(headers["access-control-allow-origin"], SHOP);
    // The widget page this server serves is its own origin; servers send no Origin at all.
    let own = t.server.base_url();
    assert_eq!(v.call(Method::POST, "/contacts", Some(json!({})), Some(&own)).await.0, 201);
    assert_eq!(v.call(Method::POST, "/contacts", Some(json!({})), None).await.0, 201);
}

#[tokio::test]
async fn each_address_has_a_quota_and_keys_are_not_counted_in_it() {
    let t = TestServer::start_with(false, |c| c.widget_rate_limit_per_minute = 5).await;
    let v = Visitor { inbox: web_inbox(&t).await, t: &t };
    for _ in 0..5 {
        assert_eq!(v.call(Method::POST, "/contacts", Some(json!({})), Some(SHOP)).await.0, 201);
    }
    let (status, err, headers) = v.call(Method::POST, "/contacts", Some(json!({})), Some(SHOP)).await;
    assert_eq!((status, err["code"].as_str()), (429, Some("rate_limited")));
    assert!(headers["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1);
    let (status, _) = call(&t, &t.key, Method::GET, "/conversations", None).await;
    assert_eq!(status, 200, "the API's per-key quota is separate");
}

#[tokio::test]
async fn the_widget_page_is_served_under_a_strict_policy() {
    let t = TestServer::start(false).await;
    let inbox = web_inbox(&t).await;
    let res = raw().get(format!("{}/widget/{inbox}", t.server.base_url())).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-eval"), "{csp}");
    let html = res.text().await.unwrap();
    assert!(html.contains(&format!("data-inbox=\"{inbox}\"")) && html.contains("Website chat"));
    assert!(!html.contains("<script>"), "no inline script");
    let js = raw().get(format!("{}/widget.js", t.server.base_url())).send().await.unwrap();
    assert_eq!(js.status(), 200);
    assert!(js.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert!(js.text().await.unwrap().contains("/api/v1/widget/"));
    let missing = raw().get(format!("{}/widget/nope", t.server.base_url())).send().await.unwrap();
    assert_eq!(missing.status(), 404);
}

/// Webhooks name a visitor as the CAAC payload does: `externalId` is the widget's contact
/// identifier, on `contact.created` and on each `message.received`.
#[tokio::test]
async fn webhook_payloads_name_the_visitor_by_their_widget_identifier() {
    let t = TestServer::start(false).await;
    let mut receiver = switchboard_tests::receiver::Receiver::start().await;
    let (status, _) = call(
        &t,
        &t.key,
        Method::POST,
        "/webhooks",
        Some(json!({"url": receiver.url, "events": ["contact.created", "message.received"]})),
    )
    .await;
    assert_eq!(status, 201);
    let v = Visitor { inbox: web_inbox(&t).await, t: &t };
    let (me, conversation) = v.arrive("Lee").await;
    v.ok(Method::POST, &format!("/contacts/{me}/conversations/{conversation}/messages"), Some(json!({"text": "Hi"})))
        .await;
    let mut seen = Vec::new();
    while seen.len() < 2 {
        seen.push(receiver.next().await.json());
    }
    let created = seen.iter().find(|e| e["event"] == "contact.created").unwrap();
    assert_eq!(created["data"]["externalId"], me.as_str(), "{created}");
    let received = seen.iter().find(|e| e["event"] == "message.received").unwrap();
    assert_eq!(received["data"]["contact"]["externalId"], me.as_str(), "{received}");
    assert_eq!(received["data"]["contact"]["name"], "Lee");
}
