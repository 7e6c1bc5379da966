//! Message kinds, internal notes, WhatsApp's 24-hour window, templates and delivery status.

#![allow(clippy::unwrap_used)]

use reqwest::Method;
use serde_json::json;
use switchboard_api::Channel;
use switchboard_tests::{TestServer, call};

async fn template(t: &TestServer, name: &str, body: &str, status: &str) {
    let req = json!({"name": name, "language": "en", "category": "utility", "body": body, "status": status});
    let (code, created) = call(t, &t.key, Method::POST, "/templates", Some(req)).await;
    assert_eq!(code, 201, "{created}");
}

/// A WhatsApp conversation whose contact last wrote 25 hours ago.
async fn cold_conversation(t: &TestServer) -> String {
    let ws = t.server.workspace().id.clone();
    let message = t.server.receive(&ws, "+14155550142", Channel::Whatsapp, "Thanks!").await.unwrap();
    let conn = rusqlite::Connection::open(t.db_path()).unwrap();
    conn.execute(
        "UPDATE conversations SET last_inbound_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-25 hours') WHERE id = ?1",
        [&message.conversation_id],
    )
    .unwrap();
    message.conversation_id
}

#[tokio::test]
async fn every_kind_is_stored_and_read_back() {
    let t = TestServer::start(false).await;
    let id = t.contact_writes("+14155550100").await;
    let path = format!("/conversations/{id}/messages");
    let bodies = [
        json!({"kind": "image", "text": "Your X-ray", "attachment": {"url": "https://files.test/x.jpg", "mimeType": "IMAGE/JPEG", "sizeBytes": 52000}}),
        json!({"kind": "document", "attachment": {"url": "https://files.test/invoice.pdf", "mimeType": "application/pdf", "filename": "invoice.pdf"}}),
        json!({"kind": "audio", "attachment": {"url": "https://files.test/v.ogg", "mimeType": "audio/ogg"}}),
        json!({"kind": "video", "attachment": {"url": "https://files.test/v.mp4", "mimeType": "video/mp4"}}),
        json!({"kind": "location", "location": {"latitude": 52.52, "longitude": 13.405, "name": "Clinic", "address": "Main St 1"}}),
        json!({"kind": "contact", "contactCard": {"name": "Dr. Lee", "phone": "+1 415 555 0101"}}),
    ];
    for body in &bodies {
        let (status, sent) = call(&t, &t.key, Method::POST, &path, Some(body.clone())).await;
        assert_eq!(status, 200, "{body} → {sent}");
        assert_eq!(sent["kind"], body["kind"]);
        assert_eq!(sent["status"], "sent");
    }
    let (_, page) = call(&t, &t.key, Method::GET, &path, None).await;
    let got = page["data"].as_array().unwrap();
    assert_eq!(got.len(), 1 + bodies.len());
    assert_eq!(got[1]["attachment"]["mimeType"], "image/jpeg", "normalized");
    assert_eq!(got[1]["body"], "Your X-ray");
    assert_eq!(got[2]["attachment"]["filename"], "invoice.pdf");
    assert_eq!(got[5]["location"]["latitude"], 52.52);
    assert_eq!(got[6]["contactCard"]["phone"], "+14155550101");
    assert!(got[0].get("attachment").is_none(), "text messages carry no payload: {}", got[0]);
}

#[tokio::test]
async fn content_that_does_not_fit_its_kind_is_refused_and_nothing_is_written() {
    let t = TestServer::start(false).await;
    let id = t.contact_writes("+14155550100").await;
    let path = format!("/conversations/{id}/messages");
    let before = t.counts();
    let bad = [
        json!({"kind": "image"}),
        json!({"kind": "image", "attachment": {"url": "https://x.test/a.pdf", "mimeType": "application/pdf"}}),
        json!({"kind": "document", "attachment": {"url": "file:///etc/passwd", "mimeType": "text/plain"}}),
        json!({"kind": "audio", "text": "caption", "attachment": {"url": "https://x.test/a.ogg", "mimeType": "audio/ogg"}}),
        json!({"kind": "location", "location": {"latitude": 100, "longitude": 0}}),
        json!({"kind": "contact", "contactCard": {"name": "No way to reach"}}),
        json!({"text": "hi", "location": {"latitude": 1, "longitude": 1}}),
        json!({"kind": "note", "text": ""}),
        json!({"kind": "fax", "text": "hi"}),
        json!({"text": "hi", "colour": "red"}),
        json!({"text": "x".repeat(4097)}),
    ];
    for body in bad {
        let (status, err) = call(&t, &t.key, Method::POST, &path, Some(body.clone())).await;
        assert_eq!(status, 400, "{body} → {err}");
        assert!(err["code"].as_str().unwrap().starts_with("invalid_"), "{err}");
    }
    assert_eq!(t.counts(), before);
}

#[tokio::test]
async fn an_internal_note_is_in_the_transcript_but_not_the_conversation_activity() {
    let t = TestServer::start(false).await;
    let id = t.contact_writes("+14155550100").await;
    let (_, before) = call(&t, &t.key, Method::GET, &format!("/conversations/{id}"), None).await;
    let note = json!({"kind": "note", "text": "VIP — offer the Saturday slot"});
    let (status, sent) = call(&t, &t.key, Method::POST, &format!("/conversations/{id}/messages"), Some(note)).await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["kind"], "note");
    let (_, after) = call(&t, &t.key, Method::GET, &format!("/conversations/{id}"), None).await;
    assert_eq!(after["lastMessagePreview"], before["lastMessagePreview"]);
    assert_eq!(after["seq"], before["seq"], "a note does not touch the conversation");
    let (_, usage) = call(&t, &t.key, Method::GET, "/usage", None).await;
    assert_eq!(usage["totals"]["messagesOut"], 0, "notes are not sent messages: {usage}");
    assert_eq!(usage["totals"]["conversationsHandled"], 0, "{usage}");
}

#[tokio::test]
async fn outside_the_24_hour_window_only_templates_and_notes_go_out() {
    let t = TestServer::start(false).await;
    template(&t, "appointment_reminder", "Hi {{1}}, a reminder of your visit on {{2}}.", "approved").await;
    template(&t, "promo", "Spring offer!", "pending").await;
    let id = cold_conversation(&t).await;
    let path = format!("/conversations/{id}/messages");
    let before = t.counts();

    let (status, err) = call(&t, &t.key, Method::POST, &path, Some(json!({"text": "Are you coming?"}))).await;
    assert_eq!((status, err["code"].as_str()), (422, Some("outside_care_window")), "{err}");
    let (status, _) =
        call(&t, &t.key, Method::POST, "/messages", Some(json!({"to": "+14155550142", "text": "Hi"}))).await;
    assert_eq!(status, 422);
    let (status, _) =
        call(&t, &t.key, Method::POST, "/messages", Some(json!({"to": "+14155550999", "text": "Hi"}))).await;
    assert_eq!(status, 422, "a number that never wrote is outside the window too");
    for (body, code) in [
        (json!({"kind": "template", "template": {"name": "nope", "language": "en"}}), "not_found"),
        (
            json!({"kind": "template", "template": {"name": "appointment_reminder", "language": "en", "params": ["Ana"]}}),
            "template_rejected",
        ),
        (json!({"kind": "template", "template": {"name": "promo", "language": "en"}}), "invalid_state"),
    ] {
        let (_, err) = call(&t, &t.key, Method::POST, &path, Some(body.clone())).await;
        assert_eq!(err["code"], code, "{body}");
    }
    assert_eq!(t.counts(), before, "nothing was written");

    let reminder = json!({"kind": "template", "template": {"name": "appointment_reminder", "language": "en", "params": ["Ana", "Friday 10:00"]}});
    let (status, sent) = call(&t, &t.key, Method::POST, &path, Some(reminder)).await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["body"], "Hi Ana, a reminder of your visit on Friday 10:00.");
    assert_eq!(sent["template"]["params"][1], "Friday 10:00");
    let opener = json!({"to": "+14155550999", "template": {"name": "appointment_reminder", "language": "en", "params": ["Bo", "Monday"]}});
    let (status, opened) = call(&t, &t.key, Method::POST, "/messages", Some(opener)).await;
    assert_eq!(status, 200, "a template opens a conversation with a new number: {opened}");
    let (status, _) = call(&t, &t.key, Method::POST, &path, Some(json!({"kind": "note", "text": "Call them"}))).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn delivery_status_only_moves_forward() {
    let t = TestServer::start(false).await;
    let id = t.contact_writes("+14155550100").await;
    let (_, sent) =
        call(&t, &t.key, Method::POST, &format!("/conversations/{id}/messages"), Some(json!({"text": "Booked!"})))
            .await;
    let path = format!("/conversations/{id}/messages/{}", sent["id"].as_str().unwrap());
    let report = |status: &str| Some(json!({"status": status}));

    let (code, delivered) = call(&t, &t.key, Method::PATCH, &path, report("delivered")).await;
    assert_eq!((code, delivered["status"].as_str()), (200, Some("delivered")), "{delivered}");
    assert!(delivered["seq"].as_i64() > sent["seq"].as_i64(), "a report is a change to sync");
    let (_, read) = call(&t, &t.key, Method::PATCH, &path, report("read")).await;
    assert_eq!(read["status"], "read");
    let before = t.counts();
    for late in ["delivered", "sent", "failed"] {
        let (code, same) = call(&t, &t.key, Method::PATCH, &path, report(late)).await;
        assert_eq!((code, &same), (200, &read), "a late '{late}' report changes nothing");
    }
    assert_eq!(t.counts(), before);

    let (_, other) =
        call(&t, &t.key, Method::POST, &format!("/conversations/{id}/messages"), Some(json!({"text": "Hello?"}))).await;
    let other_path = format!("/conversations/{id}/messages/{}", other["id"].as_str().unwrap());
    let (code, err) =
        call(&t, &t.key, Method::PATCH, &other_path, Some(json!({"status": "sent", "error": "why"}))).await;
    assert_eq!((code, err["code"].as_str()), (400, Some("invalid_parameter")));
    let failure = json!({"status": "failed", "error": "131026: message undeliverable"});
    let (_, failed) = call(&t, &t.key, Method::PATCH, &other_path, Some(failure)).await;
    assert_eq!(
        (failed["status"].as_str(), failed["error"].as_str()),
        (Some("failed"), Some("131026: message undeliverable"))
    );

    let (_, transcript) = call(&t, &t.key, Method::GET, &format!("/conversations/{id}/messages"), None).await;
    let inbound = transcript["data"][0]["id"].as_str().unwrap();
    let (code, err) =
        call(&t, &t.key, Method::PATCH, &format!("/conversations/{id}/messages/{inbound}"), report("read")).await;
    assert_eq!((code, err["code"].as_str()), (409, Some("invalid_state")));
    for (path, body) in [
        (format!("/conversations/{id}/messages/msg_nope"), report("read")),
        (format!("/conversations/conv_nope/messages/{}", sent["id"].as_str().unwrap()), report("read")),
    ] {
        let (code, _) = call(&t, &t.key, Method::PATCH, &path, body).await;
        assert_eq!(code, 404, "{path}");
    }
    let (code, _) = call(&t, &t.key, Method::PATCH, &path, Some(json!({"status": "bounced"}))).await;
    assert_eq!(code, 400);

    let other_ws = t.server.create_workspace("Elsewhere", "Owner").await.unwrap();
    let (code, _) = call(&t, &other_ws.key.plaintext, Method::PATCH, &path, report("read")).await;
    assert_eq!(code, 404, "another workspace cannot see the message");
}

#[tokio::test]
async fn a_contact_is_written_to_where_they_last_talked_to_us() {
    let t = TestServer::start(false).await;
    let ws = t.server.workspace().id.clone();
    let web = t.server.receive(&ws, "+14155550300", Channel::Web, "Hi from the website").await.unwrap();
    let (_, conversation) =
        call(&t, &t.key, Method::GET, &format!("/conversations/{}", web.conversation_id), None).await;
    let to_contact = json!({"to": conversation["contactId"], "text": "Thanks for writing!"});
    let (status, sent) = call(&t, &t.key, Method::POST, "/messages", Some(to_contact)).await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["conversationId"], web.conversation_id.as_str(), "the web chat, not a new WhatsApp thread");

    let (_, emailed) = call(&t, &t.key, Method::POST, "/contacts", Some(json!({"email": "ana@example.com"}))).await;
    let before = t.counts();
    let (status, err) =
        call(&t, &t.key, Method::POST, "/messages", Some(json!({"to": emailed["id"], "text": "Hi"}))).await;
    assert_eq!((status, err["code"].as_str()), (409, Some("invalid_state")), "{err}");
    assert_eq!(t.counts(), before);
}
