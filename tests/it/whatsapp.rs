//! The WhatsApp Cloud API channel end to end: Meta's signed notifications into the real
//! server, replies out to a Graph API stand-in in Meta's formats, and the rules between
//! (signatures, duplicates, statuses out of order, the 24-hour window, Meta's errors).

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::Sha256;
use switchboard_tests::graph::{Graph, GraphReply};
use switchboard_tests::{TestServer, call, counts, eventually, raw};

const TOKEN: &str = "EAAGm0PX4ZCpsBAsample-system-user-token";
const APP_SECRET: &str = "9f1c0a55d5e3b2a1c0ffee1234567890";
const VERIFY: &str = "clinic-verify-7d1e";
const PHONE_ID: &str = "106540352242922";

struct Setup {
    t: TestServer,
    graph: Graph,
    channel: String,
}

async fn setup() -> Setup {
    setup_with(|_| {}).await
}

async fn setup_with(change: impl FnOnce(&mut switchboard_server::ServerConfig)) -> Setup {
    let t = TestServer::start_with(false, change).await;
    let graph = Graph::start(TOKEN).await;
    let (status, body) = call(
        &t,
        &t.key,
        Method::POST,
        "/channels",
        Some(json!({"kind": "whatsapp", "name": "Front desk", "whatsapp": {
            "phoneNumberId": PHONE_ID, "displayPhoneNumber": "+1 555 078 3881", "accessToken": TOKEN,
            "appSecret": APP_SECRET, "verifyToken": VERIFY, "graphBaseUrl": graph.base_url, "graphApiVersion": "v21.0"
        }})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let channel = body["id"].as_str().unwrap().to_owned();
    Setup { t, graph, channel }
}

fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Meta's notification envelope around one `value`.
fn notification(value: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398",
        "changes": [{"field": "messages", "value": value}]}]}))
    .unwrap()
}

fn text_from(wa_id: &str, name: &str, wamid: &str, at: i64, text: &str) -> Vec<u8> {
    notification(json!({"messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_ID},
        "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
        "messages": [{"from": wa_id, "id": wamid, "timestamp": at.to_string(), "type": "text", "text": {"body": text}}]}))
}

fn status_report(wamid: &str, status: &str, errors: Option<Value>) -> Vec<u8> {
    let mut s = json!({"id": wamid, "status": status, "timestamp": "1750263773", "recipient_id": "16505551234"});
    if let Some(errors) = errors {
        s["errors"] = errors;
    }
    notification(json!({"messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_ID}, "statuses": [s]}))
}

impl Setup {
    async fn post(&self, body: &[u8], signature: Option<String>) -> (u16, Value) {
        let mut req = raw()
            .post(self.t.url(&format!("/channels/{}/webhook", self.channel)))
            .header("content-type", "application/json")
            .body(body.to_vec());
        if let Some(sig) = signature {
            req = req.header("x-hub-signature-256", sig);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    async fn deliver(&self, body: &[u8]) -> Value {
        let (status, receipt) = self.post(body, Some(sign(APP_SECRET, body))).await;
        assert_eq!(status, 200, "{receipt}");
        receipt
    }

    async fn conversation_of(&self, wa_id: &str) -> String {
        let (_, list) = call(&self.t, &self.t.key, Method::GET, "/conversations?limit=100", None).await;
        let (_, contacts) = call(&self.t, &self.t.key, Method::GET, &format!("/contacts?q={wa_id}"), None).await;
        let contact = contacts["data"][0]["id"].as_str().unwrap().to_owned();
        let found = list["data"].as_array().unwrap().iter().find(|c| c["contactId"] == contact.as_str());
        found.unwrap()["id"].as_str().unwrap().to_owned()
    }

    async fn messages(&self, conversation: &str) -> Vec<Value> {
        let (_, page) =
            call(&self.t, &self.t.key, Method::GET, &format!("/conversations/{conversation}/messages?limit=100"), None)
                .await;
        page["data"].as_array().unwrap().clone()
    }

    async fn message(&self, conversation: &str, id: &str) -> Value {
        self.messages(conversation).await.into_iter().find(|m| m["id"] == id).unwrap()
    }

    async fn reply(&self, conversation: &str, body: Value) -> (u16, Value) {
        call(&self.t, &self.t.key, Method::POST, &format!("/conversations/{conversation}/messages"), Some(body)).await
    }

    /// Waits until the message's status is `want`.
    async fn status_becomes(&self, conversation: &str, id: &str, want: &str) -> Value {
        eventually(&format!("message {id} to be {want}"), Duration::from_secs(20), || async {
            let m = self.message(conversation, id).await;
            (m["status"] == want).then_some(m)
        })
        .await
    }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[tokio::test]
async fn the_subscription_handshake_echoes_only_for_the_verify_token() {
    let s = setup().await;
    let url = |token: &str| {
        s.t.url(&format!(
            "/channels/{}/webhook?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=1158201444",
            s.channel
        ))
    };
    let ok = raw().get(url(VERIFY)).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), "1158201444");
    let wrong = raw().get(url("guess")).send().await.unwrap();
    assert_eq!(wrong.status(), 403);
    assert_eq!(wrong.json::<Value>().await.unwrap()["code"], "verify_token_mismatch");
    let unknown = raw().get(s.t.url("/channels/ch_nope/webhook?hub.mode=subscribe")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn only_signed_notifications_are_stored_and_each_message_once() {
    let mut s = setup().await;
    let before = counts(&s.t.db_path());
    let body = text_from(
        "16505551234",
        "Sheena Nelson",
        "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5",
        now(),
        "Hi! Price of a filling?",
    );

    // Unsigned, signed with another secret, or signed over other bytes: 401 and nothing.
    let mut altered = body.clone();
    altered[40] ^= 1;
    for (what, sig) in [
        ("no signature", None),
        ("another secret", Some(sign("not-the-app-secret", &body))),
        ("another body", Some(sign(APP_SECRET, &altered))),
        ("sha1", Some(format!("sha1={}", &sign(APP_SECRET, &body)[7..47]))),
    ] {
        let (status, err) = s.post(&body, sig).await;
        assert_eq!(status, 401, "{what}: {err}");
        assert_eq!(err["code"], "invalid_signature", "{what}");
    }
    assert_eq!(counts(&s.t.db_path()), before, "a refused notification stores nothing");

    // Signed but not a notification: 400, nothing stored.
    for junk in [&b"not json"[..], br#"{"object":"page","entry":[]}"#, br#"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[]}}]}]}"#] {
        let (status, err) = s.post(junk, Some(sign(APP_SECRET, junk))).await;
        assert_eq!(status, 400, "{err}");
        assert_eq!(err["code"], "invalid_body");
    }
    assert_eq!(counts(&s.t.db_path()), before);

    // Meta retries a notification until it gets a 200: the message is stored once.
    let first = s.deliver(&body).await;
    assert_eq!((first["received"].as_u64(), first["duplicates"].as_u64()), (Some(1), Some(0)), "{first}");
    let again = s.deliver(&body).await;
    assert_eq!((again["received"].as_u64(), again["duplicates"].as_u64()), (Some(0), Some(1)), "{again}");
    let after = counts(&s.t.db_path());
    assert_eq!(after.messages, before.messages + 1);
    assert_eq!(after.contacts, before.contacts + 1);

    let conversation = s.conversation_of("16505551234").await;
    let messages = s.messages(&conversation).await;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["body"], "Hi! Price of a filling?");
    assert_eq!(messages[0]["direction"], "inbound");
    let (_, contacts) = call(&s.t, &s.t.key, Method::GET, "/contacts?q=16505551234", None).await;
    assert_eq!(contacts["data"][0]["name"], "Sheena Nelson");
    assert_eq!(contacts["data"][0]["phone"], "+16505551234");
    assert!(s.graph.drain().is_empty(), "receiving sends nothing");
}

#[tokio::test]
async fn contacts_are_known_by_wa_id_not_by_phone_number() {
    let s = setup().await;
    s.deliver(&text_from("447700900123", "Priya", "wamid.one", now() - 60, "Hello")).await;
    let (_, contacts) = call(&s.t, &s.t.key, Method::GET, "/contacts?q=447700900123", None).await;
    let contact = contacts["data"][0]["id"].as_str().unwrap().to_owned();
    // The person's number in the address book changes (a new SIM, an agent's edit)...
    let (status, _) = call(
        &s.t,
        &s.t.key,
        Method::PATCH,
        &format!("/contacts/{contact}"),
        Some(json!({"phone": "+447700900999", "name": "Priya Shah"})),
    )
    .await;
    assert_eq!(status, 200);
    // ...and their next message still lands on the same contact and conversation.
    s.deliver(&text_from("447700900123", "Priya", "wamid.two", now(), "Are you open Saturday?")).await;
    let (_, all) = call(&s.t, &s.t.key, Method::GET, "/contacts?limit=100", None).await;
    assert_eq!(all["data"].as_array().unwrap().len(), 1, "{all}");
    assert_eq!(all["data"][0]["name"], "Priya Shah", "a profile name never overwrites the agent's");
    let (_, list) = call(&s.t, &s.t.key, Method::GET, "/conversations", None).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    let conversation = list["data"][0]["id"].as_str().unwrap();
    assert_eq!(s.messages(conversation).await.len(), 2);

    // A different person whose wa_id is the number the first one now has is someone else.
    s.deliver(&text_from("447700900999", "Sam", "wamid.three", now(), "Hi")).await;
    let (_, all) = call(&s.t, &s.t.key, Method::GET, "/contacts?limit=100", None).await;
    assert_eq!(all["data"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn media_locations_contacts_and_replies_arrive_as_their_kinds() {
    let s = setup().await;
    let body = notification(json!({"messaging_product": "whatsapp",
    "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_ID},
    "contacts": [{"profile": {"name": "Ana"}, "wa_id": "5511987654321"}],
    "messages": [
      {"from": "5511987654321", "id": "wamid.m1", "timestamp": (now() - 5).to_string(), "type": "image",
       "image": {"caption": "this rash", "mime_type": "image/jpeg", "sha256": "abc", "id": "1003383421387256"}},
      {"from": "5511987654321", "id": "wamid.m2", "timestamp": (now() - 4).to_string(), "type": "location",
       "location": {"latitude": -23.55, "longitude": -46.63, "name": "Home", "address": "Rua A, 1"}},
      {"from": "5511987654321", "id": "wamid.m3", "timestamp": (now() - 3).to_string(), "type": "contacts",
       "contacts": [{"name": {"formatted_name": "Carlos Lima", "first_name": "Carlos"}, "phones": [{"phone": "+55 11 5555-0000", "type": "CELL"}]}]},
      {"from": "5511987654321", "id": "wamid.m4", "timestamp": (now() - 2).to_string(), "type": "interactive",
       "interactive": {"type": "button_reply", "button_reply": {"id": "book", "title": "Book a visit"}}}
    ]}));
    let receipt = s.deliver(&body).await;
    assert_eq!(receipt["received"], 4, "{receipt}");
    let conversation = s.conversation_of("5511987654321").await;
    let m = s.messages(&conversation).await;
    assert_eq!(m[0]["kind"], "image");
    assert_eq!(m[0]["body"], "this rash");
    assert_eq!(m[0]["attachment"]["mimeType"], "image/jpeg");
    assert!(m[0]["attachment"]["url"].as_str().unwrap().ends_with("/media/1003383421387256"));
    assert_eq!((m[1]["kind"].as_str(), m[1]["location"]["name"].as_str()), (Some("location"), Some("Home")));
    assert_eq!(m[2]["contactCard"]["name"], "Carlos Lima");
    assert_eq!((m[3]["kind"].as_str(), m[3]["body"].as_str()), (Some("text"), Some("Book a visit")));

    // The photo is read from Meta with the channel's token when an agent opens it.
    let jpeg = b"\xFF\xD8\xFF\xE0 not really a photo";
    s.graph.add_media("1003383421387256", "image/jpeg", jpeg);
    let url = format!("{}{}", s.t.server.base_url(), m[0]["attachment"]["url"].as_str().unwrap());
    let res = raw().get(&url).bearer_auth(&s.t.key).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(&res.bytes().await.unwrap()[..], &jpeg[..]);
    assert_eq!(raw().get(&url).send().await.unwrap().status(), 401, "media needs a key");
    let gone = url.replace("1003383421387256", "999");
    let res = raw().get(&gone).bearer_auth(&s.t.key).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let bad = url.replace("1003383421387256", "..%2F..%2Fetc");
    assert_eq!(raw().get(&bad).bearer_auth(&s.t.key).send().await.unwrap().status(), 404);
    let other = s.t.server.create_workspace("Other", "Owner").await.unwrap();
    let res = raw().get(&url).bearer_auth(&other.key.plaintext).send().await.unwrap();
    assert_eq!(res.status(), 404, "another workspace cannot read this channel's media");
    // A document that a browser could run is a download under a sandbox policy.
    s.graph.add_media("555", "text/html", b"<script>alert(1)</script>");
    let res = raw().get(url.replace("1003383421387256", "555")).bearer_auth(&s.t.key).send().await.unwrap();
    assert_eq!(res.headers()["content-disposition"], "attachment");
    assert_eq!(res.headers()["content-security-policy"], "sandbox");
}

#[tokio::test]
async fn replies_go_out_in_metas_format_and_statuses_only_move_forward() {
    let mut s = setup().await;
    s.deliver(&text_from("16505551234", "Sheena", "wamid.in1", now() - 30, "Can I book a cleaning?")).await;
    let conversation = s.conversation_of("16505551234").await;

    let (status, sent) = s.reply(&conversation, json!({"text": "Yes! Tuesday at 10?"})).await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["status"], "queued", "a reply waits for WhatsApp to take it");
    let request = s.graph.next().await;
    assert_eq!(request.path, format!("/v21.0/{PHONE_ID}/messages"));
    assert_eq!(request.authorization, format!("Bearer {TOKEN}"));
    assert_eq!(
        request.body,
        json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": "16505551234",
               "type": "text", "text": {"preview_url": false, "body": "Yes! Tuesday at 10?"}})
    );
    let id = sent["id"].as_str().unwrap();
    s.status_becomes(&conversation, id, "sent").await;
    let wamid: String = rusqlite::Connection::open(s.t.db_path())
        .unwrap()
        .query_row("SELECT external_id FROM messages WHERE id = ?1", [id], |r| r.get(0))
        .unwrap();
    assert!(wamid.starts_with("wamid."), "{wamid}");

    // Meta's reports arrive out of order: read first, then a late delivered, then a
    // duplicate read. The message ends read and never goes back.
    s.deliver(&status_report(&wamid, "read", None)).await;
    assert_eq!(s.message(&conversation, id).await["status"], "read");
    let late = s.deliver(&status_report(&wamid, "delivered", None)).await;
    assert_eq!(late["statuses"], 1, "a late report is taken and changes nothing: {late}");
    assert_eq!(s.message(&conversation, id).await["status"], "read");
    let unknown = s.deliver(&status_report("wamid.not-ours", "delivered", None)).await;
    assert_eq!(unknown["ignored"], 1);

    // Every kind in Meta's shape.
    let kinds = [
        (
            json!({"kind": "image", "text": "Your X-ray", "attachment": {"url": "https://files.example/xray.jpg", "mimeType": "image/jpeg"}}),
            json!({"link": "https://files.example/xray.jpg", "caption": "Your X-ray"}),
        ),
        (
            json!({"kind": "document", "attachment": {"url": "https://files.example/invoice.pdf", "mimeType": "application/pdf", "filename": "invoice.pdf"}}),
            json!({"link": "https://files.example/invoice.pdf", "filename": "invoice.pdf"}),
        ),
        (
            json!({"kind": "location", "location": {"latitude": 37.48, "longitude": -122.14, "name": "Clinic", "address": "1 Main St"}}),
            json!({"latitude": 37.48, "longitude": -122.14, "name": "Clinic", "address": "1 Main St"}),
        ),
    ];
    for (body, want) in kinds {
        let kind = body["kind"].as_str().unwrap().to_owned();
        let (status, _) = s.reply(&conversation, body).await;
        assert_eq!(status, 200, "{kind}");
        let request = s.graph.next().await;
        assert_eq!(request.body["type"], kind.as_str());
        assert_eq!(request.body[kind.as_str()], want, "{kind}");
    }
    let (status, _) = s
        .reply(&conversation, json!({"kind": "contact", "contactCard": {"name": "Dr Maya Chen", "phone": "+15550100"}}))
        .await;
    assert_eq!(status, 200);
    let request = s.graph.next().await;
    assert_eq!(request.body["type"], "contacts");
    assert_eq!(
        request.body["contacts"],
        json!([{"name": {"formatted_name": "Dr Maya Chen", "first_name": "Dr"}, "phones": [{"phone": "+15550100", "type": "CELL"}]}])
    );
    // Internal notes never leave: the next request Meta gets is the reply after the note.
    let (status, _) = s.reply(&conversation, json!({"kind": "note", "text": "VIP patient"})).await;
    assert_eq!(status, 200);
    let (status, _) = s.reply(&conversation, json!({"text": "See you Tuesday"})).await;
    assert_eq!(status, 200);
    assert_eq!(s.graph.next().await.body["text"]["body"], "See you Tuesday", "a note was sent to WhatsApp");
}

#[tokio::test]
async fn metas_errors_become_stable_codes_and_passing_ones_are_retried() {
    let mut s = setup().await;
    s.deliver(&text_from("16505551234", "Sheena", "wamid.in1", now() - 30, "Hello")).await;
    let conversation = s.conversation_of("16505551234").await;

    s.graph.script([GraphReply::Error(400, 131026, "Message Undeliverable.")]);
    let (_, m) = s.reply(&conversation, json!({"text": "Are you there?"})).await;
    let failed = s.status_becomes(&conversation, m["id"].as_str().unwrap(), "failed").await;
    assert_eq!(failed["errorCode"], "invalid_recipient");
    assert!(failed["error"].as_str().unwrap().contains("131026"), "{failed}");

    s.graph.script([GraphReply::Error(
        400,
        131047,
        "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
    )]);
    let (_, m) = s.reply(&conversation, json!({"text": "Hello again"})).await;
    let failed = s.status_becomes(&conversation, m["id"].as_str().unwrap(), "failed").await;
    assert_eq!(failed["errorCode"], "outside_care_window");

    // A rate limit passes: the same message goes again and is sent.
    s.graph.drain();
    s.graph.script([GraphReply::Error(400, 130429, "Rate limit hit")]);
    let (_, m) = s.reply(&conversation, json!({"text": "Third time"})).await;
    let id = m["id"].as_str().unwrap();
    let first = s.graph.next().await;
    let second = s.graph.next().await;
    assert_eq!(first.body, second.body, "the retry sends the same message");
    s.status_becomes(&conversation, id, "sent").await;

    // A failed report from Meta carries its code too.
    let wamid: String = rusqlite::Connection::open(s.t.db_path())
        .unwrap()
        .query_row("SELECT external_id FROM messages WHERE id = ?1", [id], |r| r.get(0))
        .unwrap();
    s.deliver(&status_report(&wamid, "failed", Some(json!([{"code": 131047, "title": "Re-engagement message"}]))))
        .await;
    let failed = s.message(&conversation, id).await;
    assert_eq!(
        (failed["status"].as_str(), failed["errorCode"].as_str()),
        (Some("failed"), Some("outside_care_window"))
    );

    // A revoked token: Meta's 190, told as the channel's credentials.
    let (status, _) = call(
        &s.t,
        &s.t.key,
        Method::PATCH,
        &format!("/channels/{}", s.channel),
        Some(json!({"whatsapp": {"accessToken": "EAAG-expired-token-0000"}})),
    )
    .await;
    assert_eq!(status, 200);
    let (_, m) = s.reply(&conversation, json!({"text": "Token test"})).await;
    let failed = s.status_becomes(&conversation, m["id"].as_str().unwrap(), "failed").await;
    assert_eq!(failed["errorCode"], "channel_auth_failed");
    assert!(!failed.to_string().contains("EAAG-expired"), "the token leaked into the message: {failed}");
}

#[tokio::test]
async fn free_text_goes_at_23_59_and_is_refused_at_24_01_before_meta_is_called() {
    let mut s = setup().await;
    let minute = 60;
    s.deliver(&text_from("15550001111", "Early", "wamid.early", now() - (24 * 3600 - minute), "Hi")).await;
    s.deliver(&text_from("15550002222", "Late", "wamid.late", now() - (24 * 3600 + minute), "Hi")).await;
    let inside = s.conversation_of("15550001111").await;
    let outside = s.conversation_of("15550002222").await;

    let (status, sent) = s.reply(&inside, json!({"text": "Still in time"})).await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(s.graph.next().await.body["to"], "15550001111");

    let (status, err) = s.reply(&outside, json!({"text": "Too late"})).await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["code"], "outside_care_window");
    let (_, template) = call(
        &s.t,
        &s.t.key,
        Method::POST,
        "/templates",
        Some(json!({"name": "follow_up", "language": "en_US", "category": "utility", "body": "Hi {{1}}, we have a reply for you."})),
    )
    .await;
    assert!(template["id"].is_string(), "{template}");
    let (status, sent) = s
        .reply(
            &outside,
            json!({"kind": "template", "template": {"name": "follow_up", "language": "en_US", "params": ["Late"]}}),
        )
        .await;
    assert_eq!(status, 200, "{sent}");
    let request = s.graph.next().await;
    assert_eq!(request.body["to"], "15550002222", "the refused free text never reached Meta");
    assert_eq!(
        request.body["template"],
        json!({"name": "follow_up", "language": {"code": "en_US"},
               "components": [{"type": "body", "parameters": [{"type": "text", "text": "Late"}]}]})
    );
}

#[tokio::test]
async fn channel_settings_refuse_bad_input_and_never_show_secrets() {
    let s = setup().await;
    let before = counts(&s.t.db_path());
    let good = json!({"phoneNumberId": "1098", "accessToken": "tok", "appSecret": "s", "verifyToken": "v"});
    let with = |patch: Value| {
        let mut w = good.clone();
        for (k, v) in patch.as_object().unwrap() {
            w[k] = v.clone();
        }
        json!({"kind": "whatsapp", "name": "Second line", "whatsapp": w})
    };
    let cases = [
        (json!({"kind": "whatsapp", "name": "No creds"}), 400, "invalid_parameter"),
        (json!({"kind": "whatsapp", "name": "", "whatsapp": good}), 400, "invalid_parameter"),
        (with(json!({"phoneNumberId": "+1 555"})), 400, "invalid_parameter"),
        (with(json!({"accessToken": "has spaces in it"})), 400, "invalid_parameter"),
        (with(json!({"graphBaseUrl": "http://10.0.0.8/graph"})), 400, "url_not_allowed"),
        (with(json!({"graphBaseUrl": "file:///etc/passwd"})), 400, "invalid_parameter"),
        (with(json!({"graphApiVersion": "latest"})), 400, "invalid_parameter"),
        (with(json!({"phoneNumberId": PHONE_ID})), 409, "conflict"),
        (with(json!({"surprise": true})), 400, "invalid_body"),
        (
            json!({"kind": "web", "name": "Site", "web": {"allowedOrigins": ["https://shop.example/path"]}}),
            400,
            "invalid_parameter",
        ),
        (json!({"kind": "sandbox", "name": "Sandbox", "whatsapp": good}), 400, "invalid_parameter"),
        (json!({"kind": "fax", "name": "Fax"}), 400, "invalid_body"),
    ];
    for (body, want_status, want_code) in cases {
        let (status, err) = call(&s.t, &s.t.key, Method::POST, "/channels", Some(body.clone())).await;
        assert_eq!((status, err["code"].as_str().unwrap_or_default()), (want_status, want_code), "{body} → {err}");
    }
    let (status, err) = call(
        &s.t,
        &s.t.key,
        Method::PATCH,
        &format!("/channels/{}", s.channel),
        Some(json!({"web": {"allowedOrigins": []}})),
    )
    .await;
    assert_eq!((status, err["code"].as_str()), (400, Some("invalid_parameter")));
    assert_eq!(counts(&s.t.db_path()), before);

    let (_, list) = call(&s.t, &s.t.key, Method::GET, "/channels", None).await;
    let (_, one) = call(&s.t, &s.t.key, Method::GET, &format!("/channels/{}", s.channel), None).await;
    for shown in [list.to_string(), one.to_string()] {
        for secret in [TOKEN, APP_SECRET, VERIFY] {
            assert!(!shown.contains(secret), "{secret} is shown: {shown}");
        }
    }
    assert_eq!(one["whatsapp"]["accessTokenHint"], "…oken");
    assert_eq!(one["whatsapp"]["webhookPath"], format!("/api/v1/channels/{}/webhook", s.channel));
    let audit: i64 = rusqlite::Connection::open(s.t.db_path())
        .unwrap()
        .query_row("SELECT count(*) FROM audit_log WHERE action = 'channel.created'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(audit, 1);

    // A read key cannot see channels at all.
    let read = s.t.server.issue_owner_key("read", &[switchboard_api::Scope::Read]).await.unwrap().plaintext;
    let (status, _) = call(&s.t, &read, Method::GET, "/channels", None).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn a_paused_channel_takes_and_sends_nothing_and_a_removed_one_leaves_its_conversations() {
    let mut s = setup().await;
    s.deliver(&text_from("16505551234", "Sheena", "wamid.in1", now() - 30, "Hello")).await;
    let conversation = s.conversation_of("16505551234").await;
    let path = format!("/channels/{}", s.channel);
    let (status, _) = call(&s.t, &s.t.key, Method::PATCH, &path, Some(json!({"active": false}))).await;
    assert_eq!(status, 200);
    let body = text_from("16505551234", "Sheena", "wamid.in2", now(), "Anyone?");
    let (status, err) = s.post(&body, Some(sign(APP_SECRET, &body))).await;
    assert_eq!((status, err["code"].as_str()), (503, Some("unavailable")), "Meta will retry later");
    let (_, m) = s.reply(&conversation, json!({"text": "Sorry for the wait"})).await;
    let failed = s.status_becomes(&conversation, m["id"].as_str().unwrap(), "failed").await;
    assert_eq!(failed["errorCode"], "invalid_state");
    assert!(s.graph.drain().is_empty());

    let (status, _) = call(&s.t, &s.t.key, Method::DELETE, &path, None).await;
    assert_eq!(status, 204);
    let (status, _) = call(&s.t, &s.t.key, Method::GET, &path, None).await;
    assert_eq!(status, 404);
    assert_eq!(s.messages(&conversation).await.len(), 2, "the conversation stays");
    let (status, _) = s.post(&body, Some(sign(APP_SECRET, &body))).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn metas_template_reviews_set_the_templates_status() {
    let s = setup().await;
    let (_, template) = call(
        &s.t,
        &s.t.key,
        Method::POST,
        "/templates",
        Some(json!({"name": "appointment_reminder", "language": "en_US", "category": "utility", "body": "See you at {{1}}."})),
    )
    .await;
    let id = template["id"].as_str().unwrap().to_owned();
    let review = |event: &str| {
        serde_json::to_vec(
            &json!({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "time": 1750263773,
            "changes": [{"field": "message_template_status_update", "value": {"event": event,
                "message_template_id": 1689556908129832_i64, "message_template_name": "appointment_reminder",
                "message_template_language": "en_US", "reason": "INCORRECT_CATEGORY"}}]}]}),
        )
        .unwrap()
    };
    let receipt = s.deliver(&review("REJECTED")).await;
    assert_eq!(receipt["templates"], 1, "{receipt}");
    let (_, after) = call(&s.t, &s.t.key, Method::GET, &format!("/templates/{id}"), None).await;
    assert_eq!(after["status"], "rejected");

    // A rejected template cannot be sent, even where only templates may go.
    s.deliver(&text_from("15550003333", "Kim", "wamid.kim", now() - 25 * 3600, "Hi")).await;
    let conversation = s.conversation_of("15550003333").await;
    let (status, err) = s
        .reply(&conversation, json!({"kind": "template", "template": {"name": "appointment_reminder", "language": "en_US", "params": ["3pm"]}}))
        .await;
    assert_eq!((status, err["code"].as_str()), (409, Some("invalid_state")), "{err}");

    s.deliver(&review("APPROVED")).await;
    let (_, after) = call(&s.t, &s.t.key, Method::GET, &format!("/templates/{id}"), None).await;
    assert_eq!(after["status"], "approved");
    // A review of a template this workspace does not have changes nothing.
    let other = serde_json::to_vec(&json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
        {"field": "message_template_status_update", "value": {"event": "APPROVED", "message_template_name": "unknown",
         "message_template_language": "en_US"}}]}]}))
    .unwrap();
    assert_eq!(s.deliver(&other).await["ignored"], 1);
}

/// Webhooks name a WhatsApp contact as the CAAC payload does: `externalId` is their wa_id.
#[tokio::test]
async fn webhook_payloads_name_the_contact_by_their_wa_id() {
    let s = setup().await;
    let mut receiver = switchboard_tests::receiver::Receiver::start().await;
    let (status, _) = call(
        &s.t,
        &s.t.key,
        Method::POST,
        "/webhooks",
        Some(json!({"url": receiver.url, "events": ["contact.created", "message.received"]})),
    )
    .await;
    assert_eq!(status, 201);
    s.deliver(&text_from("447700900123", "Priya", "wamid.ext1", now() - 5, "Hello")).await;
    let mut seen = Vec::new();
    while seen.len() < 2 {
        seen.push(receiver.next().await.json());
    }
    let created = seen.iter().find(|e| e["event"] == "contact.created").unwrap();
    assert_eq!(created["data"]["externalId"], "447700900123", "{created}");
    let received = seen.iter().find(|e| e["event"] == "message.received").unwrap();
    assert_eq!(received["data"]["contact"]["externalId"], "447700900123", "{received}");
    assert_eq!(received["data"]["contact"]["name"], "Priya");
}

/// The AI agent keeps the 24-hour window as people must: a message Meta hands over a day
/// late gets no free-form answer (nothing reaches Meta); the conversation goes to a person,
/// who can send a template. A message inside the window is answered as usual.
#[tokio::test]
async fn the_ai_agent_does_not_answer_outside_the_24_hour_window() {
    let mut s = setup_with(|c| c.ai_agent = true).await;
    let (status, _) = call(
        &s.t,
        &s.t.key,
        Method::POST,
        "/knowledge",
        Some(json!({"title": "Opening hours", "body": "We are open Monday to Friday, 9am to 6pm."})),
    )
    .await;
    assert_eq!(status, 201);

    s.deliver(&text_from("16505550001", "Ana", "wamid.fresh", now() - 60, "What are your opening hours?")).await;
    let answered = s.graph.next().await;
    assert_eq!(answered.body["to"], "16505550001", "inside the window the agent answers through Meta");

    let day_old = now() - 25 * 3600;
    s.deliver(&text_from("16505550002", "Bo", "wamid.late", day_old, "What are your opening hours?")).await;
    let conversation = s.conversation_of("16505550002").await;
    let escalated = eventually("the hand-over", Duration::from_secs(15), || async {
        let (_, c) = call(&s.t, &s.t.key, Method::GET, &format!("/conversations/{conversation}"), None).await;
        c["escalatedAt"].is_string().then_some(c)
    })
    .await;
    assert_eq!(escalated["handler"], "human");
    assert!(escalated["escalationReason"].as_str().unwrap().contains("24 hours"), "{escalated}");
    let messages = s.messages(&conversation).await;
    assert!(messages.iter().all(|m| m["author"] != "ai"), "no free-form AI message: {messages:?}");
    assert!(s.graph.drain().is_empty(), "nothing went to Meta for the late message");
    let jobs: i64 = rusqlite::Connection::open(s.t.db_path())
        .unwrap()
        .query_row("SELECT count(*) FROM channel_jobs", [], |r| r.get(0))
        .unwrap();
    assert!(jobs <= 1, "no send queued for the late message ({jobs} jobs)");
}
