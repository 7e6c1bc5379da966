//! Bad input of every kind gets a 4xx with a stable code, never a 500, and writes nothing.

#![allow(clippy::unwrap_used)]

use reqwest::Method;
use serde_json::Value;
use switchboard_api::ListConversationsQuery;
use switchboard_tests::{TestServer, raw};

struct Case {
    name: &'static str,
    method: Method,
    path: String,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    headers: Vec<(&'static str, String)>,
    status: u16,
    code: &'static str,
}

fn case(
    name: &'static str,
    method: Method,
    path: impl Into<String>,
    body: &str,
    status: u16,
    code: &'static str,
) -> Case {
    Case {
        name,
        method,
        path: path.into(),
        content_type: Some("application/json"),
        body: body.as_bytes().to_vec(),
        headers: Vec::new(),
        status,
        code,
    }
}

#[tokio::test]
async fn bad_requests_are_refused_with_a_code_and_change_nothing() {
    let t = TestServer::start(true).await;
    let conversation =
        t.client().list_conversations(&ListConversationsQuery::default()).await.unwrap().data[0].id.clone();
    let reply = format!("/conversations/{conversation}/messages");
    let huge = format!("{{\"to\":\"+14155550100\",\"text\":\"{}\"}}", "x".repeat(300 * 1024));
    let long_text = format!("{{\"text\":\"{}\"}}", "y".repeat(4097));

    let mut cases = vec![
        case("malformed json", Method::POST, "/messages", "{\"to\": \"+1415", 400, "invalid_json"),
        case("not an object", Method::POST, "/messages", "[1,2,3]", 400, "invalid_body"),
        case("wrong type", Method::POST, "/messages", "{\"to\": 14155550100, \"text\": \"hi\"}", 400, "invalid_body"),
        case("missing field", Method::POST, "/appointments", "{\"name\": \"Ana\"}", 400, "invalid_body"),
        case(
            "neither text nor template",
            Method::POST,
            "/messages",
            "{\"to\": \"+14155550100\"}",
            400,
            "invalid_parameter",
        ),
        case("null field", Method::POST, "/messages", "{\"to\": null, \"text\": \"hi\"}", 400, "invalid_body"),
        case(
            "empty text",
            Method::POST,
            "/messages",
            "{\"to\": \"+14155550100\", \"text\": \"   \"}",
            400,
            "invalid_parameter",
        ),
        case(
            "bad phone",
            Method::POST,
            "/messages",
            "{\"to\": \"call me maybe\", \"text\": \"hi\"}",
            400,
            "invalid_parameter",
        ),
        case("unknown contact", Method::POST, "/messages", "{\"to\": \"ct_nope\", \"text\": \"hi\"}", 404, "not_found"),
        case("oversized body", Method::POST, "/messages", &huge, 413, "payload_too_large"),
        case("text too long", Method::POST, reply.clone(), &long_text, 400, "invalid_parameter"),
        case(
            "reply to unknown conversation",
            Method::POST,
            "/conversations/conv_nope/messages",
            "{\"text\":\"hi\"}",
            404,
            "not_found",
        ),
        case("unknown route", Method::GET, "/nope", "", 404, "route_not_found"),
        case("outside the api", Method::GET, "/../../etc/passwd", "", 404, "route_not_found"),
        case("wrong method", Method::DELETE, "/me", "", 405, "method_not_allowed"),
        case("negative since", Method::GET, "/sync?since=-1", "", 400, "invalid_query"),
        case("non-numeric since", Method::GET, "/sync?since=abc", "", 400, "invalid_query"),
        case("zero limit", Method::GET, "/sync?limit=0", "", 400, "invalid_query"),
        case("huge limit", Method::GET, "/conversations?limit=99999999999", "", 400, "invalid_query"),
        case("forged cursor", Method::GET, "/conversations?cursor=zzzz", "", 400, "invalid_query"),
        case("foreign message cursor", Method::GET, format!("{reply}?cursor=msg_nope"), "", 404, "not_found"),
        case("a limit over the most", Method::GET, "/sync?limit=1001", "", 400, "invalid_query"),
        case("an array for an object", Method::POST, "/contacts", "[]", 400, "invalid_body"),
        case("unknown conversation", Method::GET, "/conversations/conv_nope", "", 404, "not_found"),
    ];
    let mut no_type = case(
        "no content type",
        Method::POST,
        "/messages",
        "{\"to\":\"+14155550100\",\"text\":\"hi\"}",
        415,
        "unsupported_media_type",
    );
    no_type.content_type = None;
    cases.push(no_type);
    let mut bad_key =
        case("idempotency key too long", Method::POST, reply.clone(), "{\"text\":\"hi\"}", 400, "invalid_parameter");
    bad_key.headers.push(("idempotency-key", "k".repeat(300)));
    cases.push(bad_key);
    let mut bad_event_id = case("bad Last-Event-ID", Method::GET, "/events/stream", "", 400, "invalid_parameter");
    bad_event_id.headers.push(("last-event-id", "yesterday".into()));
    cases.push(bad_event_id);
    let mut invalid_utf8 = case("invalid utf-8", Method::POST, "/messages", "", 400, "invalid_json");
    invalid_utf8.body = b"{\"to\":\"+1415\xff\xfe\",\"text\":\"hi\"}".to_vec();
    cases.push(invalid_utf8);

    let before = t.counts();
    for c in cases {
        let mut req = raw().request(c.method.clone(), t.url(&c.path)).bearer_auth(&t.key).body(c.body.clone());
        if let Some(ct) = c.content_type {
            req = req.header("content-type", ct);
        }
        for (name, value) in &c.headers {
            req = req.header(*name, value);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        assert_eq!(status, c.status, "{}: got {status} {text}", c.name);
        let body: Value =
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("{}: body is not JSON: {text}", c.name));
        assert_eq!(body["code"], c.code, "{}: {text}", c.name);
        assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "{}: no message", c.name);
    }
    assert_eq!(t.counts(), before, "a refused request wrote something");
}
