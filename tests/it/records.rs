//! Leads, appointments, labels, templates and knowledge entries: the same contract for
//! each — create, get, list with filters and cursors, patch, delete, scopes, bad input,
//! tenant isolation, and sync.

#![allow(clippy::unwrap_used)]

use reqwest::Method;
use serde_json::{Value, json};
use switchboard_api::{Change, Scope};
use switchboard_tests::{TestServer, call};

/// Per resource: its path, a valid new record, a valid patch, and the scope writes need.
fn resources(contact_id: &str) -> Vec<(&'static str, Value, Value, Scope)> {
    vec![
        (
            "/leads",
            json!({"contactId": contact_id, "name": "Ana", "email": "Ana@Example.com", "interest": "Whitening"}),
            json!({"status": "qualified"}),
            Scope::Write,
        ),
        (
            "/appointments",
            json!({"contactId": contact_id, "service": "Cleaning", "preferredTime": "Tuesday after 5"}),
            json!({"status": "confirmed", "startsAt": "2027-03-02T17:30:00+01:00"}),
            Scope::Write,
        ),
        ("/labels", json!({"name": "VIP", "color": "#FFAA00"}), json!({"description": "Top patients"}), Scope::Admin),
        (
            "/templates",
            json!({"name": "visit_reminder", "language": "en-us", "category": "utility", "body": "Hi {{1}}, see you {{2}}."}),
            json!({"body": "Hello {{1}}!"}),
            Scope::Admin,
        ),
        (
            "/knowledge",
            json!({"title": "Opening hours", "body": "Mon–Fri 8:00–18:00", "url": "https://clinic.test/hours"}),
            json!({"url": null}),
            Scope::Admin,
        ),
    ]
}

async fn a_contact(t: &TestServer) -> String {
    let (_, c) =
        call(t, &t.key, Method::POST, "/contacts", Some(json!({"name": "Ana", "phone": "+14155550123"}))).await;
    c["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn each_resource_is_created_read_listed_patched_and_deleted() {
    let t = TestServer::start(false).await;
    let contact = a_contact(&t).await;
    for (path, new, patch, _) in resources(&contact) {
        let (status, created) = call(&t, &t.key, Method::POST, path, Some(new.clone())).await;
        assert_eq!(status, 201, "{path}: {created}");
        let id = created["id"].as_str().unwrap().to_owned();
        let item = format!("{path}/{id}");
        let (_, got) = call(&t, &t.key, Method::GET, &item, None).await;
        assert_eq!(got, created, "{path}");
        let (_, list) = call(&t, &t.key, Method::GET, path, None).await;
        assert_eq!(list["data"], json!([created]), "{path}");

        let (status, patched) = call(&t, &t.key, Method::PATCH, &item, Some(patch.clone())).await;
        assert_eq!(status, 200, "{path}: {patched}");
        assert!(patched["seq"].as_i64() > created["seq"].as_i64(), "{path}");
        let (_, unchanged) = call(&t, &t.key, Method::PATCH, &item, Some(json!({}))).await;
        assert_eq!(unchanged, patched, "{path}: an empty patch changes nothing");

        let (status, _) = call(&t, &t.key, Method::DELETE, &item, None).await;
        assert_eq!(status, 204, "{path}");
        let (status, gone) = call(&t, &t.key, Method::GET, &item, None).await;
        assert_eq!((status, gone["code"].as_str()), (404, Some("not_found")), "{path}");
        let (status, _) = call(&t, &t.key, Method::DELETE, &item, None).await;
        assert_eq!(status, 404, "{path}: deleting twice");
    }
}

#[tokio::test]
async fn fields_are_normalized_and_rules_hold() {
    let t = TestServer::start(false).await;
    let contact = a_contact(&t).await;
    let (_, lead) = call(&t, &t.key, Method::POST, "/leads", Some(resources(&contact)[0].1.clone())).await;
    assert_eq!((lead["email"].as_str(), lead["status"].as_str()), (Some("ana@example.com"), Some("new")));
    let (_, template) = call(&t, &t.key, Method::POST, "/templates", Some(resources(&contact)[3].1.clone())).await;
    assert_eq!((template["language"].as_str(), template["paramCount"].as_i64()), (Some("en_US"), Some(2)));
    assert_eq!(template["status"], "approved");
    let (_, label) = call(&t, &t.key, Method::POST, "/labels", Some(json!({"name": "Follow-up"}))).await;
    assert_eq!(label["color"], "#6b7280", "a default colour");

    let (status, err) = call(&t, &t.key, Method::POST, "/labels", Some(json!({"name": "follow-UP"}))).await;
    assert_eq!((status, err["code"].as_str()), (409, Some("conflict")), "names are unique ignoring case");
    let (status, _) = call(&t, &t.key, Method::POST, "/templates", Some(resources(&contact)[3].1.clone())).await;
    assert_eq!(status, 409, "one template per name and language");

    let (_, appt) = call(&t, &t.key, Method::POST, "/appointments", Some(resources(&contact)[1].1.clone())).await;
    let path = format!("/appointments/{}", appt["id"].as_str().unwrap());
    let (_, cancelled) = call(&t, &t.key, Method::PATCH, &path, Some(json!({"status": "cancelled"}))).await;
    assert_eq!(cancelled["status"], "cancelled");
    let (status, err) = call(&t, &t.key, Method::PATCH, &path, Some(json!({"status": "confirmed"}))).await;
    assert_eq!((status, err["code"].as_str()), (409, Some("invalid_state")), "cancelled is final");
    let (status, _) = call(&t, &t.key, Method::PATCH, &path, Some(json!({"notes": "Called to apologise"}))).await;
    assert_eq!(status, 200, "notes can still be added");
}

#[tokio::test]
async fn a_lead_from_a_conversation_belongs_to_its_contact() {
    let t = TestServer::start(false).await;
    let conversation = t.contact_writes("+14155550177").await;
    let (status, lead) =
        call(&t, &t.key, Method::POST, "/leads", Some(json!({"conversationId": conversation, "name": "Bo"}))).await;
    assert_eq!(status, 201, "{lead}");
    let (_, c) = call(&t, &t.key, Method::GET, &format!("/conversations/{conversation}"), None).await;
    assert_eq!(lead["contactId"], c["contactId"]);
    let other = a_contact(&t).await;
    let mismatch = json!({"conversationId": conversation, "contactId": other, "name": "Bo"});
    let (status, err) = call(&t, &t.key, Method::POST, "/leads", Some(mismatch)).await;
    assert_eq!((status, err["code"].as_str()), (409, Some("invalid_state")), "{err}");
}

#[tokio::test]
async fn lists_filter_and_page() {
    let t = TestServer::start(false).await;
    let contact = a_contact(&t).await;
    for i in 0..5 {
        let status = if i % 2 == 0 { "new" } else { "won" };
        let body = json!({"name": format!("Lead {i}"), "status": status, "contactId": if i < 2 { Some(&contact) } else { None }});
        assert_eq!(call(&t, &t.key, Method::POST, "/leads", Some(body)).await.0, 201);
    }
    let names = |page: &Value| -> Vec<String> {
        page["data"].as_array().unwrap().iter().map(|l| l["name"].as_str().unwrap().to_owned()).collect()
    };
    let (_, won) = call(&t, &t.key, Method::GET, "/leads?status=won", None).await;
    assert_eq!(names(&won), ["Lead 3", "Lead 1"]);
    let (_, theirs) = call(&t, &t.key, Method::GET, &format!("/leads?contactId={contact}"), None).await;
    assert_eq!(names(&theirs), ["Lead 1", "Lead 0"]);
    let mut seen = Vec::new();
    let mut path = "/leads?limit=2".to_owned();
    loop {
        let (_, page) = call(&t, &t.key, Method::GET, &path, None).await;
        seen.extend(names(&page));
        match page["nextCursor"].as_str() {
            Some(cursor) => path = format!("/leads?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, ["Lead 4", "Lead 3", "Lead 2", "Lead 1", "Lead 0"]);
    for bad in [
        "/leads?status=maybe",
        "/leads?language=en",
        "/labels?status=new",
        "/labels?contactId=x",
        "/templates?language=klingon",
        "/leads?cursor=zz",
        "/leads?limit=0",
        "/appointments?updatedSince=yesterday",
    ] {
        let (status, err) = call(&t, &t.key, Method::GET, bad, None).await;
        assert_eq!((status, err["code"].as_str()), (400, Some("invalid_query")), "{bad}: {err}");
    }
}

#[tokio::test]
async fn bad_input_is_refused_and_nothing_is_written() {
    let t = TestServer::start(false).await;
    let before = t.counts().last_seq;
    let cases = [
        ("/leads", json!({})),
        ("/leads", json!({"name": "A", "email": "not-an-email"})),
        ("/leads", json!({"name": "A", "status": "hot"})),
        ("/leads", json!({"name": "A", "budget": 100})),
        ("/appointments", json!({"service": "  "})),
        ("/appointments", json!({"service": "Cleaning", "startsAt": "next week"})),
        ("/appointments", json!({"preferredTime": "soon"})),
        ("/labels", json!({"name": ""})),
        ("/labels", json!({"name": "a,b"})),
        ("/labels", json!({"name": "Blue", "color": "blue"})),
        ("/templates", json!({"name": "Hello World", "language": "en", "category": "utility", "body": "Hi"})),
        ("/templates", json!({"name": "hi", "language": "en", "category": "spam", "body": "Hi"})),
        ("/templates", json!({"name": "hi", "language": "xx-xx-xx", "category": "utility", "body": "Hi"})),
        ("/knowledge", json!({"title": "T", "body": ""})),
        ("/knowledge", json!({"title": "T", "body": "B", "url": "javascript:alert(1)"})),
        ("/knowledge", json!({"title": "x".repeat(201), "body": "B"})),
    ];
    for (path, body) in cases {
        let (status, err) = call(&t, &t.key, Method::POST, path, Some(body.clone())).await;
        assert_eq!(status, 400, "{path} {body}: {err}");
        assert!(err["code"].as_str().unwrap().starts_with("invalid_"), "{err}");
    }
    // Well-formed, but naming nothing, or a template WhatsApp would refuse.
    for (path, body, expected) in [
        ("/leads", json!({"name": "A", "contactId": "ct_nope"}), (404, "not_found")),
        ("/leads", json!({"name": "A", "conversationId": "conv_nope"}), (404, "not_found")),
        (
            "/templates",
            json!({"name": "hi", "language": "en", "category": "utility", "body": "Hi {{2}}"}),
            (422, "invalid_template"),
        ),
    ] {
        let (status, err) = call(&t, &t.key, Method::POST, path, Some(body.clone())).await;
        assert_eq!((status, err["code"].as_str().unwrap_or_default()), expected, "{path} {body}: {err}");
    }
    assert_eq!(t.counts().last_seq, before, "nothing was written");
}

#[tokio::test]
async fn scopes_are_enforced_and_workspaces_kept_apart() {
    let t = TestServer::start(false).await;
    let contact = a_contact(&t).await;
    let read = t.server.issue_owner_key("reader", &[Scope::Read]).await.unwrap().plaintext;
    let write = t.server.issue_owner_key("agent", &[Scope::Write]).await.unwrap().plaintext;
    let other = t.server.create_workspace("Rival", "Owner").await.unwrap().key.plaintext;
    for (path, new, patch, needs) in resources(&contact) {
        let (status, _) = call(&t, "sb_live_bogus", Method::GET, path, None).await;
        assert_eq!(status, 401, "{path}");
        let (status, err) = call(&t, &read, Method::POST, path, Some(new.clone())).await;
        assert_eq!((status, err["code"].as_str()), (403, Some("insufficient_scope")), "{path}");
        if needs == Scope::Admin {
            let (status, _) = call(&t, &write, Method::POST, path, Some(new.clone())).await;
            assert_eq!(status, 403, "{path} needs admin");
        }
        let (_, created) = call(&t, &t.key, Method::POST, path, Some(new)).await;
        let item = format!("{path}/{}", created["id"].as_str().unwrap());
        assert_eq!(call(&t, &read, Method::GET, &item, None).await.0, 200, "{path}: read keys read");
        assert_eq!(call(&t, &read, Method::DELETE, &item, None).await.0, 403, "{path}");
        for method in [Method::GET, Method::DELETE] {
            assert_eq!(call(&t, &other, method, &item, None).await.0, 404, "{path}: another workspace");
        }
        assert_eq!(call(&t, &other, Method::PATCH, &item, Some(patch)).await.0, 404, "{path}");
        let (_, theirs) = call(&t, &other, Method::GET, path, None).await;
        assert_eq!(theirs["data"], json!([]), "{path}: another workspace's list is empty");
    }
}

#[tokio::test]
async fn records_and_their_deletion_sync() {
    let t = TestServer::start(false).await;
    let contact = a_contact(&t).await;
    let mut ids = Vec::new();
    for (path, new, _, _) in resources(&contact) {
        let (_, created) = call(&t, &t.key, Method::POST, path, Some(new)).await;
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(call(&t, &t.key, Method::DELETE, &format!("/labels/{}", ids[2]), None).await.0, 204);
    let page = t.client().sync(0, None).await.unwrap();
    let synced: Vec<&str> = page
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::Lead(r) => Some(r.id.as_str()),
            Change::Appointment(r) => Some(r.id.as_str()),
            Change::Template(r) => Some(r.id.as_str()),
            Change::Knowledge(r) => Some(r.id.as_str()),
            Change::Deleted(t) if t.entity == "label" => Some(t.id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(synced, [&ids[0], &ids[1], &ids[3], &ids[4], &ids[2]]);
    assert!(!page.changes.iter().any(|c| matches!(c, Change::Label(_))), "the deleted label is only a tombstone");
}
