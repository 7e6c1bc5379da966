//! The OpenAPI document matches the router: everything documented is served, with the
//! documented auth, and the document served is the one the code generates.

#![allow(clippy::unwrap_used)]

use reqwest::Method;
use serde_json::Value;
use switchboard_api::Scope;
use switchboard_tests::{TestServer, raw};

async fn served_spec(t: &TestServer) -> Value {
    let res = raw().get(t.url("/openapi.json")).send().await.unwrap();
    assert_eq!(res.status(), 200, "the spec needs no key");
    res.json().await.unwrap()
}

#[tokio::test]
async fn the_served_spec_is_openapi_3_1_and_the_one_the_code_generates() {
    let t = TestServer::start(false).await;
    let spec = served_spec(&t).await;
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(spec["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert_eq!(spec, switchboard_server::spec());
}

#[tokio::test]
async fn every_documented_operation_is_served_and_documents_its_errors() {
    let t = TestServer::start(true).await;
    let spec = served_spec(&t).await;
    let paths = spec["paths"].as_object().unwrap();
    assert!(paths.len() >= 10, "{:?}", paths.keys());
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().unwrap() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let url = format!("{}{}", t.server.base_url(), path.replace("{id}", "unknown_id"));
            let mut req = raw().request(method.clone(), &url).bearer_auth(&t.key);
            if method == Method::POST {
                req = req.json(&serde_json::json!({}));
            }
            if path.ends_with("/stream") {
                req = req.header("last-event-id", "0");
            }
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let code = if status >= 400 {
                res.json::<Value>().await.unwrap()["code"].as_str().unwrap_or_default().to_owned()
            } else {
                String::new()
            };
            assert!(
                code != "route_not_found" && code != "method_not_allowed",
                "{method} {path} is documented but not served ({status} {code})"
            );
            assert!(status < 500, "{method} {path} answered {status}");

            let secured = operation.get("security").is_some();
            if secured {
                let responses = operation["responses"].as_object().unwrap();
                for status in ["401", "403", "429"] {
                    assert!(responses.contains_key(status), "{method} {path} does not document {status}");
                }
                let anonymous = raw().request(method.clone(), &url).send().await.unwrap();
                assert_eq!(anonymous.status(), 401, "{method} {path} must refuse a request without a key");
            }
        }
    }
}

/// Every secured operation names the scope it needs, and the server enforces exactly that:
/// a key with a lower scope gets 403 `insufficient_scope`, a key with it never does.
#[tokio::test]
async fn every_operation_enforces_the_scope_it_documents() {
    let t = TestServer::start(true).await;
    let spec = served_spec(&t).await;
    let read = t.server.issue_owner_key("read", &[Scope::Read]).await.unwrap().plaintext;
    let write = t.server.issue_owner_key("write", &[Scope::Read, Scope::Write]).await.unwrap().plaintext;
    let keys = [("read", read), ("write", write), ("admin", t.key.clone())];
    let rank = |s: &str| keys.iter().position(|(name, _)| *name == s).unwrap();
    let mut checked = 0;
    for (path, operations) in spec["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let Some(security) = operation.get("security") else { continue };
            let needed = security[0]["bearer"][0].as_str().unwrap_or_else(|| panic!("{method} {path} names no scope"));
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let url = format!("{}{}", t.server.base_url(), path.replace("{id}", "unknown_id"));
            for (name, key) in &keys {
                let mut req = raw().request(method.clone(), &url).bearer_auth(key);
                if method != Method::GET && method != Method::DELETE {
                    req = req.json(&serde_json::json!({}));
                }
                if path.ends_with("/stream") {
                    req = req.header("last-event-id", "0").timeout(std::time::Duration::from_secs(2));
                }
                let res = req.send().await.unwrap();
                let status = res.status().as_u16();
                if rank(name) < rank(needed) {
                    assert_eq!(status, 403, "{method} {path} needs {needed} but a {name} key got {status}");
                } else {
                    assert_ne!(status, 403, "{method} {path} documents {needed}; a {name} key was refused");
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked}");
}

/// Every error is `{error, code}` as JSON, even where axum's extractors would answer in
/// plain text: a path parameter that is not UTF-8, on every operation that has one, and
/// a body over the limit on the unauthenticated WhatsApp ingress.
#[tokio::test]
async fn undecodable_path_parameters_and_huge_bodies_get_coded_json_errors() {
    let t = TestServer::start(true).await;
    let spec = served_spec(&t).await;
    let mut checked = 0;
    for (path, operations) in spec["paths"].as_object().unwrap() {
        if !path.contains('{') {
            continue;
        }
        let bad: String =
            path.split('/').map(|s| if s.starts_with('{') { "%FF" } else { s }).collect::<Vec<_>>().join("/");
        for method in operations.as_object().unwrap().keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let mut req = raw().request(method.clone(), format!("{}{bad}", t.server.base_url())).bearer_auth(&t.key);
            if method != Method::GET && method != Method::DELETE {
                req = req.json(&serde_json::json!({}));
            }
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let kind = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            let text = res.text().await.unwrap();
            assert!((400..500).contains(&status), "{method} {bad}: {status} {text}");
            assert!(kind.starts_with("application/json"), "{method} {bad}: {kind} {text}");
            let body: Value = serde_json::from_str(&text).unwrap();
            assert!(body["error"].is_string() && body["code"].is_string(), "{method} {bad}: {body}");
            checked += 1;
        }
    }
    assert!(checked >= 19, "{checked} operations with path parameters");

    let channel = t.server.channels().await.unwrap().into_iter().next().unwrap().id;
    let huge = vec![b'x'; 2 * 1024 * 1024];
    let res = raw().post(t.url(&format!("/channels/{channel}/webhook"))).body(huge).send().await.unwrap();
    assert_eq!(res.status(), 413);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "payload_too_large", "{body}");
}

/// What a client generator reads: unique `listConversations`-style operation ids, wire
/// enums with their wire values, `415` wherever a body is taken, and `limit` stating the
/// range the server enforces.
#[tokio::test]
async fn the_document_gives_generators_what_the_wire_uses() {
    let t = TestServer::start(false).await;
    let spec = served_spec(&t).await;
    let mut ids = std::collections::HashSet::new();
    for (path, operations) in spec["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(ids.insert(id.to_owned()), "{id} is used twice");
            assert!(id.chars().next().unwrap().is_ascii_lowercase() && !id.contains('_'), "{id} is not camelCase");
            if operation.get("requestBody").is_some() {
                assert!(operation["responses"].get("415").is_some(), "{method} {path} does not document 415");
            }
            for p in operation["parameters"].as_array().into_iter().flatten().filter(|p| p["name"] == "limit") {
                assert_eq!(p["schema"]["minimum"], 1, "{method} {path}");
                assert!(p["schema"]["maximum"].as_u64().is_some(), "{method} {path}");
            }
        }
    }
    let schemas = &spec["components"]["schemas"];
    let values = |name: &str| -> Vec<String> {
        schemas[name]["enum"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
    };
    let wire = |all: Vec<&str>| all.into_iter().map(str::to_owned).collect::<Vec<_>>();
    use switchboard_api::{ConversationStatus, MessageStatus, WebhookEventType};
    assert_eq!(values("MessageStatus"), wire(MessageStatus::ALL.iter().map(|s| s.as_str()).collect()));
    assert_eq!(values("WebhookEventType"), wire(WebhookEventType::ALL.iter().map(|s| s.as_str()).collect()));
    assert_eq!(values("ConversationStatus"), wire(ConversationStatus::ALL.iter().map(|s| s.as_str()).collect()));
    assert!(values("WebhookEventType").contains(&"message.received".to_owned()));
}
