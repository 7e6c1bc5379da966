//! Webhooks end to end: endpoints made through the API, events caused by real writes,
//! delivered by the engine to a receiver on loopback, verified with the published
//! Standard Webhooks library and an independent HMAC.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::Sha256;
use switchboard_api::{Channel, WebhookEventType};
use switchboard_tests::node_receiver::{Judged, NodeReceiver};
use switchboard_tests::receiver::{Received, Receiver, Reply};
use switchboard_tests::{TestServer, call};

/// A server whose engine runs only when the test says so, on a clock the test moves.
async fn manual_server() -> TestServer {
    TestServer::start_with(false, |c| {
        c.deliver_webhooks = false;
        c.webhooks.timeout = Duration::from_millis(500);
    })
    .await
}

async fn create_endpoint(t: &TestServer, body: Value) -> (String, String) {
    let (status, created) = call(t, &t.key, Method::POST, "/webhooks", Some(body)).await;
    assert_eq!(status, 201, "{created}");
    (created["endpoint"]["id"].as_str().unwrap().to_owned(), created["secret"].as_str().unwrap().to_owned())
}

async fn visitor_writes(t: &TestServer, phone: &str, text: &str) -> String {
    let ws = t.server.workspace().id.clone();
    t.server.receive(&ws, phone, Channel::Web, text).await.unwrap().conversation_id
}

async fn run_due(t: &TestServer) -> usize {
    t.server.webhooks().run_due().await.unwrap()
}

fn advance(t: &TestServer, secs: u64) {
    t.server.webhooks().clock().advance(Duration::from_secs(secs));
}

async fn deliveries(t: &TestServer, endpoint: &str) -> Vec<Value> {
    let (status, page) = call(t, &t.key, Method::GET, &format!("/webhooks/{endpoint}/deliveries"), None).await;
    assert_eq!(status, 200, "{page}");
    page["data"].as_array().unwrap().clone()
}

/// Whether `secret` signed this delivery, by the reference library's own signing.
fn signed_with(secret: &str, r: &Received) -> bool {
    let wh = standardwebhooks::Webhook::new(secret).unwrap();
    let expected = wh.sign(&r.header("webhook-id"), r.header("webhook-timestamp").parse().unwrap(), &r.body).unwrap();
    r.header("webhook-signature").split(' ').any(|s| s == expected)
}

#[tokio::test]
async fn deliveries_are_signed_as_receivers_verify_them() {
    let t = TestServer::start(false).await;
    let mut receiver = Receiver::start().await;
    let (_, secret) = create_endpoint(
        &t,
        json!({"url": receiver.url, "events": ["message.received"], "headers": {"X-Api-Token": "t0k"}}),
    )
    .await;
    let conversation = visitor_writes(&t, "+14155550101", "How much is a haircut?").await;
    let r = receiver.next().await;

    let headers: http::HeaderMap = r.headers.clone();
    let wh = standardwebhooks::Webhook::new(&secret).unwrap();
    wh.verify(&r.body, &headers).expect("the reference verifier accepts the delivery");
    let mut tampered = r.body.to_vec();
    tampered[10] ^= 1;
    assert!(wh.verify(&tampered, &headers).is_err(), "a changed byte fails");

    // The CAAC recipe keys with the secret string exactly as the API returned it.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(&r.body);
    assert_eq!(r.header("x-caac-signature"), hex::encode(mac.finalize().into_bytes()));
    assert_eq!(r.header("x-caac-event"), "message.received");
    assert_eq!(r.header("content-type"), "application/json");
    assert_eq!(r.header("x-api-token"), "t0k");
    assert!(r.header("webhook-id").starts_with("msg_"));

    let body = r.json();
    assert_eq!(body["event"], "message.received");
    assert!(body["id"].as_str().unwrap().starts_with("evt_"));
    assert!(body["createdAt"].is_string());
    let data = &body["data"];
    assert_eq!(data["conversationId"], conversation.as_str());
    assert_eq!(data["channelType"], "web");
    assert_eq!(data["body"], "How much is a haircut?");
    assert_eq!(data["contact"]["phone"], "+14155550101");
    assert!(data["contactId"].is_string() && data["contact"].get("externalId").is_some());
}

#[tokio::test]
async fn the_endpoint_api_checks_its_input_and_never_lists_secrets() {
    let t = TestServer::start(false).await;
    let receiver = Receiver::start().await;
    let bad = [
        (json!({"url": "http://10.0.0.7/hook"}), "url_not_allowed"),
        (json!({"url": "http://169.254.169.254/latest"}), "url_not_allowed"),
        (json!({"url": "http://[2002:a9fe:a9fe::]/latest"}), "url_not_allowed"),
        (json!({"url": "http://[::10.0.0.7]/hook"}), "url_not_allowed"),
        (json!({"url": "http://[2001:0:a00:1::f5ff:fffe]/hook"}), "url_not_allowed"),
        (json!({"url": "ftp://example.com/x"}), "invalid_parameter"),
        (json!({"url": receiver.url, "events": []}), "invalid_parameter"),
        (json!({"url": receiver.url, "events": ["test"]}), "invalid_parameter"),
        (json!({"url": receiver.url, "events": ["message.recieved"]}), "invalid_body"),
        (json!({"url": receiver.url, "secret": "whsec_short"}), "invalid_parameter"),
        (json!({"url": receiver.url, "bufferWindowSeconds": 0}), "invalid_parameter"),
        (json!({"url": receiver.url, "bufferWindowSeconds": 61}), "invalid_parameter"),
        (json!({"url": receiver.url, "maxBufferSize": 101}), "invalid_parameter"),
        (json!({"url": receiver.url, "inactivityMinutes": 0}), "invalid_parameter"),
        (json!({"url": receiver.url, "headers": {"webhook-signature": "forged"}}), "invalid_parameter"),
        (json!({"url": receiver.url, "nope": 1}), "invalid_body"),
    ];
    for (body, code) in bad {
        let (status, answer) = call(&t, &t.key, Method::POST, "/webhooks", Some(body.clone())).await;
        assert_eq!((status, answer["code"].as_str().unwrap()), (400, code), "{body}: {answer}");
    }
    let (status, list) = call(&t, &t.key, Method::GET, "/webhooks", None).await;
    assert_eq!((status, list.as_array().unwrap().len()), (200, 0), "nothing was stored");

    let (id, secret) = create_endpoint(&t, json!({"url": receiver.url})).await;
    assert!(secret.starts_with("whsec_"));
    let (_, endpoint) = call(&t, &t.key, Method::GET, &format!("/webhooks/{id}"), None).await;
    assert_eq!(endpoint["events"], Value::Null, "no list means every event");
    assert_eq!((endpoint["bufferWindowSeconds"].as_u64(), endpoint["maxBufferSize"].as_u64()), (Some(5), Some(50)));
    let (_, list) = call(&t, &t.key, Method::GET, "/webhooks", None).await;
    assert!(!list.to_string().contains(&secret), "listing never shows the secret");

    let (status, patched) = call(
        &t,
        &t.key,
        Method::PATCH,
        &format!("/webhooks/{id}"),
        Some(json!({"url": "http://192.168.1.10/x", "description": "CRM"})),
    )
    .await;
    assert_eq!((status, patched["code"].as_str()), (400, Some("url_not_allowed")));
    let (_, unchanged) = call(&t, &t.key, Method::GET, &format!("/webhooks/{id}"), None).await;
    assert_eq!((unchanged["url"].as_str(), &unchanged["description"]), (Some(receiver.url.as_str()), &Value::Null));

    let (status, _) = call(&t, &t.key, Method::DELETE, &format!("/webhooks/{id}"), None).await;
    assert_eq!(status, 204);
    let (status, _) = call(&t, &t.key, Method::GET, &format!("/webhooks/{id}"), None).await;
    assert_eq!(status, 404);
    let (_, audit) = call(&t, &t.key, Method::GET, "/audit-log", None).await;
    let actions: Vec<&str> = audit["data"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(actions.contains(&"webhook.created") && actions.contains(&"webhook.deleted"), "{actions:?}");
}

#[tokio::test]
async fn failures_are_retried_on_schedule_under_the_same_webhook_id() {
    let t = manual_server().await;
    let mut receiver = Receiver::start().await;
    let (endpoint, _) = create_endpoint(&t, json!({"url": receiver.url, "events": ["message.received"]})).await;
    receiver.then(Reply::Status(500));
    receiver.then(Reply::Status(503));
    visitor_writes(&t, "+14155550102", "Hi").await;

    assert_eq!(run_due(&t).await, 1);
    let first = receiver.drain();
    assert_eq!(first.len(), 1);
    let pending = &deliveries(&t, &endpoint).await[0];
    assert_eq!((pending["state"].as_str(), pending["attempts"].as_u64()), (Some("pending"), Some(1)));

    advance(&t, 4);
    assert_eq!(run_due(&t).await, 0, "not before the 5 s backoff (±10 %)");
    advance(&t, 2);
    assert_eq!(run_due(&t).await, 1, "due after 5 s");
    advance(&t, 4 * 60);
    assert_eq!(run_due(&t).await, 0, "the second wait is 5 minutes");
    advance(&t, 2 * 60);
    assert_eq!(run_due(&t).await, 1);

    let all: Vec<Received> = first.into_iter().chain(receiver.drain()).collect();
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|r| r.header("webhook-id") == all[0].header("webhook-id")), "one id for every retry");
    assert!(all.iter().all(|r| r.body == all[0].body), "the same bytes every time");

    let delivery = &deliveries(&t, &endpoint).await[0];
    assert_eq!((delivery["state"].as_str(), delivery["attempts"].as_u64()), (Some("succeeded"), Some(3)));
    let (_, detail) =
        call(&t, &t.key, Method::GET, &format!("/deliveries/{}", delivery["id"].as_str().unwrap()), None).await;
    let codes: Vec<u64> =
        detail["attempts"].as_array().unwrap().iter().map(|a| a["statusCode"].as_u64().unwrap()).collect();
    assert_eq!(codes, [500, 503, 200]);
    assert_eq!(detail["attempts"][0]["responseExcerpt"], "answered 500");
    assert_eq!(detail["payload"].as_str().unwrap().as_bytes(), &all[0].body[..]);
    let (_, endpoint_now) = call(&t, &t.key, Method::GET, &format!("/webhooks/{endpoint}"), None).await;
    assert_eq!(
        (endpoint_now["lastDeliveryState"].as_str(), endpoint_now["lastStatusCode"].as_u64()),
        (Some("succeeded"), Some(200))
    );
}

#[tokio::test]
async fn redirects_hangs_and_retry_after_are_handled() {
    let t = manual_server().await;
    let mut receiver = Receiver::start().await;
    let (endpoint, _) = create_endpoint(&t, json!({"url": receiver.url, "events": ["contact.created"]})).await;
    receiver.then(Reply::WithHeader(302, "location", format!("{}/elsewhere", receiver.url)));
    receiver.then(Reply::WithHeader(429, "retry-after", "120".to_owned()));
    receiver.then(Reply::Hang);
    visitor_writes(&t, "+14155550103", "Hi").await;

    assert_eq!(run_due(&t).await, 1);
    assert_eq!(receiver.drain().len(), 1, "the redirect was not followed");
    advance(&t, 6);
    assert_eq!(run_due(&t).await, 1);
    advance(&t, 5 * 60 + 31);
    assert_eq!(run_due(&t).await, 1, "after 429 the wait is at least Retry-After and the backoff");

    let id = deliveries(&t, &endpoint).await[0]["id"].as_str().unwrap().to_owned();
    let (_, detail) = call(&t, &t.key, Method::GET, &format!("/deliveries/{id}"), None).await;
    let attempts = detail["attempts"].as_array().unwrap();
    assert_eq!(attempts[0]["statusCode"], 302);
    assert!(attempts[0]["error"].as_str().unwrap().contains("not followed"));
    assert_eq!(attempts[1]["statusCode"], 429);
    assert_eq!(attempts[2]["statusCode"], Value::Null, "no answer from the hanging receiver");
    assert!(attempts[2]["error"].as_str().unwrap().contains("No answer within"), "{}", attempts[2]);
    assert_eq!(detail["delivery"]["state"], "pending");
}

#[tokio::test]
async fn retry_after_longer_than_the_backoff_is_waited_for() {
    let t = manual_server().await;
    let receiver = Receiver::start().await;
    create_endpoint(&t, json!({"url": receiver.url, "events": ["contact.created"]})).await;
    receiver.then(Reply::WithHeader(503, "retry-after", "120".to_owned()));
    visitor_writes(&t, "+14155550104", "Hi").await;
    assert_eq!(run_due(&t).await, 1);
    advance(&t, 60);
    assert_eq!(run_due(&t).await, 0, "Retry-After: 120 is honoured over the 5 s backoff");
    advance(&t, 61);
    assert_eq!(run_due(&t).await, 1);
}

#[tokio::test]
async fn gone_disables_the_endpoint_and_so_does_a_day_of_failures() {
    let t = manual_server().await;
    let receiver = Receiver::start().await;
    let (gone, _) = create_endpoint(&t, json!({"url": receiver.url, "events": ["contact.created"]})).await;
    receiver.then(Reply::Status(410));
    visitor_writes(&t, "+14155550105", "Hi").await;
    assert_eq!(run_due(&t).await, 1);
    let (_, endpoint) = call(&t, &t.key, Method::GET, &format!("/webhooks/{gone}"), None).await;
    assert_eq!(endpoint["active"], false);
    assert!(endpoint["disabledReason"].as_str().unwrap().contains("410"));
    assert_eq!(deliveries(&t, &gone).await[0]["state"], "failed");
    visitor_writes(&t, "+14155550106", "Hi").await;
    assert_eq!(run_due(&t).await, 0, "a disabled endpoint gets nothing");
    let (status, answer) = call(&t, &t.key, Method::POST, &format!("/webhooks/{gone}/test"), None).await;
    assert_eq!((status, answer["code"].as_str()), (409, Some("invalid_state")));

    // An endpoint that fails everything: its first delivery gives up when the next retry
    // would fall outside 24 hours; a failure a day after the first disables it.
    let (failing, _) = create_endpoint(&t, json!({"url": receiver.url, "events": ["contact.created"]})).await;
    for _ in 0..20 {
        receiver.then(Reply::Status(500));
    }
    visitor_writes(&t, "+14155550107", "Hi").await;
    let mut attempts = run_due(&t).await;
    // Each wait of the schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h) plus its jitter.
    for wait in [6, 6 * 60, 33 * 60, 132 * 60, 330 * 60, 660 * 60] {
        advance(&t, wait - 1);
        attempts += run_due(&t).await;
        advance(&t, 1);
        attempts += run_due(&t).await;
    }
    assert_eq!(attempts, 7, "one try and six retries, the next would fall after 24 hours");
    assert_eq!(deliveries(&t, &failing).await[0]["state"], "failed");
    let (_, endpoint) = call(&t, &t.key, Method::GET, &format!("/webhooks/{failing}"), None).await;
    assert_eq!(endpoint["active"], true, "19 hours of failures is not yet a day");
    advance(&t, 5 * 3600);
    visitor_writes(&t, "+14155550113", "Hi").await;
    assert_eq!(run_due(&t).await, 1);
    let (_, endpoint) = call(&t, &t.key, Method::GET, &format!("/webhooks/{failing}"), None).await;
    assert_eq!(endpoint["active"], false, "{endpoint}");
    assert!(endpoint["disabledReason"].as_str().unwrap().contains("24 hours"));

    let (_, audit) = call(&t, &t.key, Method::GET, "/audit-log", None).await;
    let disabled: Vec<&Value> =
        audit["data"].as_array().unwrap().iter().filter(|e| e["action"] == "webhook.disabled").collect();
    assert_eq!(disabled.len(), 2);
    assert!(disabled.iter().all(|e| e["actorMemberId"] == "system"));

    let (status, enabled) =
        call(&t, &t.key, Method::PATCH, &format!("/webhooks/{failing}"), Some(json!({"active": true}))).await;
    assert_eq!((status, &enabled["disabledReason"]), (200, &Value::Null));
}

#[tokio::test]
async fn test_events_and_replays_resend_the_same_delivery() {
    let t = manual_server().await;
    let mut receiver = Receiver::start().await;
    let (endpoint, secret) = create_endpoint(&t, json!({"url": receiver.url, "events": ["lead.captured"]})).await;
    let (status, delivery) = call(&t, &t.key, Method::POST, &format!("/webhooks/{endpoint}/test"), None).await;
    assert_eq!((status, delivery["event"].as_str()), (202, Some("test")));
    assert_eq!(run_due(&t).await, 1);
    let test = receiver.next().await;
    assert_eq!(test.json()["event"], "test");
    assert!(signed_with(&secret, &test));

    let (status, replayed) =
        call(&t, &t.key, Method::POST, &format!("/deliveries/{}/replay", delivery["id"].as_str().unwrap()), None).await;
    assert_eq!((status, replayed["state"].as_str()), (202, Some("pending")));
    assert_eq!(run_due(&t).await, 1);
    let again = receiver.next().await;
    assert_eq!(again.header("webhook-id"), test.header("webhook-id"));
    assert_eq!(again.body, test.body);
    let (_, detail) =
        call(&t, &t.key, Method::GET, &format!("/deliveries/{}", delivery["id"].as_str().unwrap()), None).await;
    let triggers: Vec<&str> =
        detail["attempts"].as_array().unwrap().iter().filter_map(|a| a["trigger"].as_str()).collect();
    assert_eq!(triggers, ["scheduled", "replay"]);

    let (status, answer) = call(&t, &t.key, Method::POST, "/deliveries/msg_nope/replay", None).await;
    assert_eq!((status, answer["code"].as_str()), (404, Some("not_found")));
    let (status, answer) =
        call(&t, &t.key, Method::GET, &format!("/webhooks/{endpoint}/deliveries?state=lost"), None).await;
    assert_eq!((status, answer["code"].as_str()), (400, Some("invalid_query")));
    let (_, filtered) =
        call(&t, &t.key, Method::GET, &format!("/webhooks/{endpoint}/deliveries?event=lead.captured"), None).await;
    assert_eq!(filtered["data"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn a_rotated_secret_signs_beside_the_old_one_for_the_grace_period() {
    let t = manual_server().await;
    let mut receiver = Receiver::start().await;
    let (endpoint, old) = create_endpoint(&t, json!({"url": receiver.url, "events": ["contact.created"]})).await;
    let (status, rotated) = call(
        &t,
        &t.key,
        Method::POST,
        &format!("/webhooks/{endpoint}/rotate"),
        Some(json!({"gracePeriodSeconds": 3600})),
    )
    .await;
    assert_eq!(status, 200, "{rotated}");
    let new = rotated["secret"].as_str().unwrap().to_owned();
    assert_ne!(new, old);

    visitor_writes(&t, "+14155550108", "Hi").await;
    run_due(&t).await;
    let during = receiver.next().await;
    assert!(signed_with(&old, &during) && signed_with(&new, &during), "both secrets verify during the grace");

    advance(&t, 3601);
    visitor_writes(&t, "+14155550109", "Hi").await;
    run_due(&t).await;
    let after = receiver.next().await;
    assert!(signed_with(&new, &after) && !signed_with(&old, &after), "only the new secret after it");

    let (status, _) = call(
        &t,
        &t.key,
        Method::POST,
        &format!("/webhooks/{endpoint}/rotate"),
        Some(json!({"gracePeriodSeconds": 8 * 24 * 3600})),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn buffered_events_of_a_conversation_go_out_as_batches() {
    let t = manual_server().await;
    let mut receiver = Receiver::start().await;
    create_endpoint(
        &t,
        json!({"url": receiver.url, "events": ["message.received"], "bufferEnabled": true,
               "bufferWindowSeconds": 10, "maxBufferSize": 3}),
    )
    .await;
    for i in 0..5 {
        visitor_writes(&t, "+14155550110", &format!("part {i}")).await;
    }
    visitor_writes(&t, "+14155550111", "another conversation").await;
    assert_eq!(run_due(&t).await, 1, "the full batch goes at once, the rest wait for the window");
    let full = receiver.next().await.json();
    assert_eq!((full["batch"].as_bool(), full["event"].as_str()), (Some(true), Some("message.received")));
    let bodies: Vec<&str> =
        full["data"].as_array().unwrap().iter().map(|e| e["data"]["body"].as_str().unwrap()).collect();
    assert_eq!(bodies, ["part 0", "part 1", "part 2"]);

    advance(&t, 11);
    assert_eq!(run_due(&t).await, 2);
    let mut rest: Vec<usize> = receiver.drain().iter().map(|r| r.json()["data"].as_array().unwrap().len()).collect();
    rest.sort_unstable();
    assert_eq!(rest, [1, 2], "one batch per conversation");
}

/// A contact writes, and everything that can happen to a conversation does: a reply, its
/// delivery report, an assignment, labels, an escalation, the resolve, a lead and a
/// booking request. Returns the conversation and the reply's id.
async fn change_everything(t: &TestServer, phone: &str) -> (String, String) {
    let conversation = t.contact_writes(phone).await;
    let me = call(t, &t.key, Method::GET, "/me", None).await.1;
    let member = me["member"]["id"].as_str().unwrap_or_default().to_owned();
    let path = format!("/conversations/{conversation}");
    let reply = json!({"text": "Hello, how can I help?"});
    let (status, sent) = call(t, &t.key, Method::POST, &format!("{path}/messages"), Some(reply)).await;
    assert_eq!(status, 200, "{sent}");
    let sent = sent["id"].as_str().unwrap().to_owned();
    let steps = [
        (Method::PATCH, format!("{path}/messages/{sent}"), json!({"status": "delivered"})),
        (Method::PATCH, path.clone(), json!({"assigneeId": member})),
        (Method::PATCH, path.clone(), json!({"labels": ["vip"]})),
        (Method::POST, format!("{path}/escalate"), json!({"reason": "asked for a person"})),
        (Method::PATCH, path.clone(), json!({"status": "resolved"})),
        (
            Method::POST,
            "/leads".to_owned(),
            json!({"conversationId": conversation, "name": "Ana", "interest": "haircut"}),
        ),
        (
            Method::POST,
            "/appointments".to_owned(),
            json!({"conversationId": conversation, "service": "Haircut", "preferredTime": "Friday 3pm"}),
        ),
    ];
    for (method, path, body) in steps {
        let (status, answer) = call(t, &t.key, method, &path, Some(body)).await;
        assert!(status < 300, "{path}: {answer}");
    }
    (conversation, sent)
}

#[tokio::test]
async fn changes_emit_their_events() {
    let t = manual_server().await;
    let mut receiver = Receiver::start().await;
    create_endpoint(&t, json!({"url": receiver.url})).await;
    let (_, sent) = change_everything(&t, "+14155550112").await;
    while run_due(&t).await > 0 {}
    let events: Vec<Value> = receiver.drain().iter().map(Received::json).collect();
    let names: Vec<&str> = events.iter().map(|e| e["event"].as_str().unwrap()).collect();
    for expected in [
        "contact.created",
        "conversation.created",
        "message.received",
        "message.sent",
        "message.status",
        "conversation.assigned",
        "conversation.labels_changed",
        "conversation.escalated",
        "conversation.resolved",
        "lead.captured",
        "appointment.requested",
    ] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    let find = |name: &str| events.iter().find(|e| e["event"] == name).unwrap()["data"].clone();
    assert_eq!(find("lead.captured")["name"], "Ana");
    assert_eq!(find("lead.captured")["interest"], "haircut");
    assert_eq!(find("appointment.requested")["service"], "Haircut");
    assert_eq!(find("appointment.requested")["preferredTime"], "Friday 3pm");
    assert_eq!(find("conversation.escalated")["reason"], "asked for a person");
    assert_eq!(find("conversation.labels_changed")["labels"], json!(["vip"]));
    assert_eq!(find("message.status")["status"], "delivered");
    assert_eq!(find("message.status")["messageId"], sent.as_str());
}

#[tokio::test]
async fn quiet_conversations_are_reported_once_per_quiet_spell() {
    let t = manual_server().await;
    let mut receiver = Receiver::start().await;
    let before = visitor_writes(&t, "+14155550120", "Older than the endpoint").await;
    let (endpoint, _) =
        create_endpoint(&t, json!({"url": receiver.url, "events": ["lead.captured"], "inactivityMinutes": 30})).await;
    let quiet = visitor_writes(&t, "+14155550121", "Anyone there?").await;
    let resolved = visitor_writes(&t, "+14155550122", "Thanks, all good").await;
    let (status, _) =
        call(&t, &t.key, Method::PATCH, &format!("/conversations/{resolved}"), Some(json!({"status": "resolved"})))
            .await;
    assert_eq!(status, 200);

    let scan = || async { t.server.webhooks().scan_inactive().await.unwrap() };
    assert_eq!(scan().await, 0, "not quiet for 30 minutes yet");
    advance(&t, 29 * 60);
    assert_eq!(scan().await, 0);
    advance(&t, 2 * 60);
    assert_eq!(scan().await, 1, "only the open conversation that went quiet after the endpoint asked");
    assert_eq!(scan().await, 0, "told once");
    run_due(&t).await;
    let r = receiver.next().await.json();
    assert_eq!(r["event"], "conversation.inactive");
    assert_eq!(r["data"]["conversationId"], quiet.as_str());
    assert_eq!(r["data"]["inactiveMinutes"], 30);
    assert_ne!(r["data"]["conversationId"], before.as_str());

    visitor_writes(&t, "+14155550121", "Hello?").await;
    advance(&t, 31 * 60);
    assert_eq!(scan().await, 1, "a new quiet spell is told again");
    let (status, _) =
        call(&t, &t.key, Method::PATCH, &format!("/webhooks/{endpoint}"), Some(json!({"inactivityMinutes": null})))
            .await;
    assert_eq!(status, 200);
    visitor_writes(&t, "+14155550121", "Hello again?").await;
    advance(&t, 31 * 60);
    assert_eq!(scan().await, 0, "no longer asked for");
}

#[tokio::test]
async fn the_channel_filter_and_event_list_choose_what_an_endpoint_gets() {
    let t = manual_server().await;
    let mut web = Receiver::start().await;
    let mut whatsapp = Receiver::start().await;
    create_endpoint(&t, json!({"url": web.url, "events": ["message.received"], "channel": "web"})).await;
    create_endpoint(&t, json!({"url": whatsapp.url, "events": ["message.received"], "channel": "whatsapp"})).await;
    visitor_writes(&t, "+14155550130", "from the widget").await;
    t.contact_writes("+14155550131").await;
    assert_eq!(run_due(&t).await, 2);
    let (web_got, whatsapp_got) = (web.drain(), whatsapp.drain());
    assert_eq!((web_got.len(), whatsapp_got.len()), (1, 1), "contact.created and the rest were not asked for");
    assert_eq!(web_got[0].json()["data"]["channelType"], "web");
    assert_eq!(whatsapp_got[0].json()["data"]["channelType"], "whatsapp");
}

#[tokio::test]
async fn an_endpoint_never_has_more_than_its_cap_in_flight() {
    let t = TestServer::start_with(false, |c| {
        c.deliver_webhooks = false;
        c.webhooks.per_endpoint = 2;
    })
    .await;
    let mut receiver = Receiver::start_slow(Duration::from_millis(100)).await;
    create_endpoint(&t, json!({"url": receiver.url, "events": ["contact.created"]})).await;
    for i in 0..6 {
        visitor_writes(&t, &format!("+1415555014{i}"), "Hi").await;
    }
    assert_eq!(run_due(&t).await, 6);
    assert_eq!(receiver.drain().len(), 6);
    assert!(receiver.most_in_flight() <= 2, "{} in flight at once", receiver.most_in_flight());
}

#[tokio::test]
async fn another_workspace_cannot_see_or_touch_an_endpoint() {
    let t = manual_server().await;
    let receiver = Receiver::start().await;
    let (endpoint, _) = create_endpoint(&t, json!({"url": receiver.url})).await;
    let (_, delivery) = call(&t, &t.key, Method::POST, &format!("/webhooks/{endpoint}/test"), None).await;
    let delivery = delivery["id"].as_str().unwrap().to_owned();
    let other = t.server.create_workspace("Rival Salon", "Rival Owner").await.unwrap().key.plaintext;

    let (_, list) = call(&t, &other, Method::GET, "/webhooks", None).await;
    assert_eq!(list, json!([]));
    for (method, path, body) in [
        (Method::GET, format!("/webhooks/{endpoint}"), None),
        (Method::PATCH, format!("/webhooks/{endpoint}"), Some(json!({"active": false}))),
        (Method::DELETE, format!("/webhooks/{endpoint}"), None),
        (Method::POST, format!("/webhooks/{endpoint}/rotate"), None),
        (Method::POST, format!("/webhooks/{endpoint}/test"), None),
        (Method::GET, format!("/webhooks/{endpoint}/deliveries"), None),
        (Method::GET, format!("/deliveries/{delivery}"), None),
        (Method::POST, format!("/deliveries/{delivery}/replay"), None),
    ] {
        let (status, answer) = call(&t, &other, method, &path, body).await;
        assert_eq!((status, answer["code"].as_str()), (404, Some("not_found")), "{path}");
    }
    let (_, still) = call(&t, &t.key, Method::GET, &format!("/webhooks/{endpoint}"), None).await;
    assert_eq!(still["active"], true);
    assert_eq!(still["previousSecretExpiresAt"], Value::Null, "not rotated by the other workspace");
}

/// A name this machine resolves only to addresses webhooks may not reach, not written as
/// an address or `localhost`, so only the check at connect time can refuse it: the
/// machine's own name (loopback on Debian, the container's private address in Docker).
async fn private_name() -> String {
    let own =
        std::process::Command::new("hostname").output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    let candidates = own.into_iter().chain(["ip6-localhost".to_owned(), "ip6-loopback".to_owned()]);
    let strict = switchboard_server::webhooks::ssrf::TargetPolicy::default();
    for name in candidates.filter(|n| !n.is_empty()) {
        let addrs: Vec<_> = match tokio::net::lookup_host((name.as_str(), 80)).await {
            Ok(addrs) => addrs.collect(),
            Err(_) => continue,
        };
        if !addrs.is_empty() && addrs.iter().all(|a| strict.refuses(a.ip()).is_some()) {
            return name;
        }
    }
    panic!("neither this machine's name nor ip6-localhost resolves to a private address here");
}

#[tokio::test]
async fn names_resolving_to_private_addresses_are_refused_when_connecting() {
    let t = TestServer::start_with(false, |c| {
        c.deliver_webhooks = false;
        c.webhooks.policy.allow_loopback = false;
    })
    .await;
    let name = private_name().await;
    let (endpoint, _) =
        create_endpoint(&t, json!({"url": format!("http://{name}:9/hook"), "events": ["contact.created"]})).await;
    visitor_writes(&t, "+14155550150", "Hi").await;
    assert_eq!(run_due(&t).await, 1);
    let delivery = deliveries(&t, &endpoint).await[0]["id"].as_str().unwrap().to_owned();
    let (_, detail) = call(&t, &t.key, Method::GET, &format!("/deliveries/{delivery}"), None).await;
    let attempt = &detail["attempts"][0];
    assert_eq!(attempt["statusCode"], Value::Null);
    let error = attempt["error"].as_str().unwrap();
    assert!(error.contains("webhooks may not reach") && error.contains(&name), "{error}");
    for url in ["http://localhost./hook", "http://[::127.0.0.1]/hook", "http://[::7f00:1]/", "http://[2002:7f00:1::]/"]
    {
        let (status, answer) = call(&t, &t.key, Method::POST, "/webhooks", Some(json!({"url": url}))).await;
        assert_eq!((status, answer["code"].as_str()), (400, Some("url_not_allowed")), "{url}");
    }
}

/// Causes every event type at least once and has the engine send what is due; returns
/// what the Node receiver's recipe judged of every delivery.
async fn cause_every_event(t: &TestServer, node: &mut NodeReceiver, endpoint: &str, round: u32) -> Vec<Judged> {
    change_everything(t, &format!("+1415557{round:04}")).await;
    let (status, answer) = call(t, &t.key, Method::POST, &format!("/webhooks/{endpoint}/test"), None).await;
    assert_eq!(status, 202, "{answer}");
    // A web visitor the AI agent answers: its tool_call and sentiment_result.
    let web = visitor_writes(t, &format!("+1415558{round:04}"), "What time do you open on Saturday?").await;
    switchboard_tests::eventually("the agent's answer", Duration::from_secs(15), || async {
        let (_, page) = call(t, &t.key, Method::GET, &format!("/conversations/{web}/messages"), None).await;
        page["data"].as_array().unwrap().iter().any(|m| m["author"] == "ai").then_some(())
    })
    .await;
    // A booking the agent records at its first message and fills in at the second:
    // appointment.updated.
    if round == 1 {
        let price = json!({"title": "Prices", "body": "Beard trim — $15, 15 minutes"});
        assert_eq!(call(t, &t.key, Method::POST, "/knowledge", Some(price)).await.0, 201);
    }
    let booking = visitor_writes(t, &format!("+1415559{round:04}"), "I'd like a beard trim please").await;
    let answers = |n: usize| {
        let booking = booking.clone();
        async move {
            let (_, page) = call(t, &t.key, Method::GET, &format!("/conversations/{booking}/messages"), None).await;
            (page["data"].as_array().unwrap().iter().filter(|m| m["author"] == "ai").count() >= n).then_some(())
        }
    };
    switchboard_tests::eventually("the agent's question", Duration::from_secs(15), || answers(1)).await;
    visitor_writes(t, &format!("+1415559{round:04}"), "Friday at 3pm").await;
    switchboard_tests::eventually("the agent's second question", Duration::from_secs(15), || answers(2)).await;
    // Quiet for the endpoint's 30 minutes (which also closes the buffered batches).
    advance(t, 31 * 60);
    t.server.webhooks().scan_inactive().await.unwrap();
    let mut judged = Vec::new();
    loop {
        let sent = run_due(t).await;
        if sent == 0 {
            return judged;
        }
        judged.extend(node.take(sent).await);
    }
}

fn every_event_verified(phase: &str, judged: &[Judged]) {
    let refused: Vec<&Judged> = judged.iter().filter(|j| !j.verified).collect();
    assert!(refused.is_empty(), "{phase}: the CAAC recipe refused {refused:?}");
    let seen: std::collections::BTreeSet<&str> =
        judged.iter().filter(|j| j.hook == "all").filter_map(|j| j.event.as_deref()).collect();
    for event in WebhookEventType::ALL {
        assert!(seen.contains(event.as_str()), "{phase}: no {} delivery among {seen:?}", event.as_str());
    }
    assert!(judged.iter().any(|j| j.hook == "batch" && j.batch), "{phase}: no buffered batch");
    assert!(judged.iter().all(|j| j.webhook_id.is_some()));
}

/// The CAAC docs' recipe, run in Node as a customer's receiver, verifies every delivery of
/// every event type (batches too) before a rotation, during its grace period with the old
/// secret, and after it with the new one.
#[tokio::test]
async fn the_caac_docs_node_recipe_verifies_every_delivery_through_a_rotation() {
    let t = TestServer::start_with(false, |c| {
        c.ai_agent = true;
        c.deliver_webhooks = false;
        c.webhooks.timeout = Duration::from_secs(5);
    })
    .await;
    let mut node = NodeReceiver::start().await;
    let (all, all_secret) = create_endpoint(&t, json!({"url": node.url("all"), "inactivityMinutes": 30})).await;
    let (batch, batch_secret) = create_endpoint(
        &t,
        json!({"url": node.url("batch"), "events": ["message.received"], "bufferEnabled": true, "bufferWindowSeconds": 5}),
    )
    .await;
    node.set_secret("all", &all_secret).await;
    node.set_secret("batch", &batch_secret).await;
    every_event_verified("before the rotation", &cause_every_event(&t, &mut node, &all, 1).await);

    let mut rotated = Vec::new();
    for endpoint in [&all, &batch] {
        let path = format!("/webhooks/{endpoint}/rotate");
        // Two hours: each round moves the engine's clock 31 minutes on.
        let (status, answer) = call(&t, &t.key, Method::POST, &path, Some(json!({"gracePeriodSeconds": 7200}))).await;
        assert_eq!(status, 200, "{answer}");
        rotated.push(answer["secret"].as_str().unwrap().to_owned());
    }
    // Receivers still hold the old secrets: the grace period is theirs to switch.
    every_event_verified("during the grace period", &cause_every_event(&t, &mut node, &all, 2).await);

    advance(&t, 3600);
    node.set_secret("all", &rotated[0]).await;
    node.set_secret("batch", &rotated[1]).await;
    every_event_verified("after the grace period", &cause_every_event(&t, &mut node, &all, 3).await);
}
