//! PATCH /conversations/{id}: status, snooze, assignee, priority, handler, labels.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};

use reqwest::Method;
use serde_json::{Value, json};
use switchboard_api::{ListConversationsQuery, Scope};
use switchboard_store::Store;
use switchboard_sync::SyncEngine;
use switchboard_tests::{TestServer, call, raw};

async fn patch(t: &TestServer, key: &str, id: &str, body: Value) -> (u16, Value) {
    let res = raw().patch(t.url(&format!("/conversations/{id}"))).bearer_auth(key).json(&body).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

fn in_minutes(m: i64) -> String {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.query_row("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?1)", [format!("{m} minutes")], |r| r.get(0)).unwrap()
}

async fn first_conversation(t: &TestServer) -> switchboard_api::Conversation {
    t.client().list_conversations(&ListConversationsQuery::default()).await.unwrap().data[0].clone()
}

fn member_ids(t: &TestServer) -> Vec<String> {
    let conn = rusqlite::Connection::open(t.db_path()).unwrap();
    let mut stmt = conn.prepare("SELECT id FROM members ORDER BY created_at, id").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

#[tokio::test]
async fn a_patch_changes_only_what_it_names_and_syncs() {
    let t = TestServer::start(true).await;
    let c = first_conversation(&t).await;
    let agent = member_ids(&t)[1].clone();
    let (status, body) = patch(
        &t,
        &t.key,
        &c.id,
        json!({"assigneeId": agent, "priority": "urgent", "handler": "human", "labels": [" billing ", "VIP", "vip"]}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["assigneeId"], agent.as_str());
    assert_eq!(body["priority"], "urgent");
    assert_eq!(body["handler"], "human");
    assert_eq!(body["labels"], json!(["billing", "VIP"]));
    assert_eq!(body["status"], c.status.as_str(), "status was not named, so it stays");
    assert!(body["seq"].as_i64().unwrap() > c.seq);

    // null clears; absent keeps.
    let (_, body) = patch(&t, &t.key, &c.id, json!({"assigneeId": null})).await;
    assert!(body["assigneeId"].is_null());
    assert_eq!(body["priority"], "urgent");

    // An empty patch changes nothing, not even seq.
    let (_, same) = patch(&t, &t.key, &c.id, json!({})).await;
    assert_eq!(same, body);

    // The cache sees exactly what the server has.
    let store = Arc::new(Mutex::new(Store::open_in_memory().unwrap()));
    SyncEngine::new(t.client(), store.clone()).catch_up().await.unwrap();
    let cached = store.lock().unwrap().conversation(&c.id).unwrap().unwrap();
    assert_eq!(cached, t.client().get_conversation(&c.id).await.unwrap());
    assert_eq!(cached.labels, ["billing", "VIP"]);
}

#[tokio::test]
async fn snoozing_needs_a_future_time_and_wakes_up() {
    let t = TestServer::start(true).await;
    let c = first_conversation(&t).await;
    // Not a time is a bad request; a past time cannot be done now; a snooze without its
    // time, or a time without the snooze, does not fit the conversation as it is.
    for (body, expected, why) in [
        (json!({"status": "snoozed"}), (409, "invalid_state"), "no time"),
        (json!({"status": "snoozed", "snoozedUntil": in_minutes(-5)}), (422, "time_not_in_future"), "past"),
        (json!({"status": "snoozed", "snoozedUntil": "tomorrow-ish"}), (400, "invalid_parameter"), "not a time"),
        (json!({"snoozedUntil": in_minutes(30)}), (409, "invalid_state"), "not snoozed"),
    ] {
        let (status, answer) = patch(&t, &t.key, &c.id, body).await;
        assert_eq!((status, answer["code"].as_str().unwrap_or_default()), expected, "{why}: {answer}");
    }
    let until = in_minutes(30);
    let (status, snoozed) = patch(&t, &t.key, &c.id, json!({"status": "snoozed", "snoozedUntil": until})).await;
    assert_eq!(status, 200);
    assert_eq!(snoozed["status"], "snoozed");
    assert_eq!(t.server.wake_snoozed().await.unwrap(), 0, "not due yet");

    // Time passes.
    let conn = rusqlite::Connection::open(t.db_path()).unwrap();
    conn.execute("UPDATE conversations SET snoozed_until = '2001-01-01T00:00:00.000Z' WHERE id = ?1", [&c.id]).unwrap();
    assert_eq!(t.server.wake_snoozed().await.unwrap(), 1);
    let woken = t.client().get_conversation(&c.id).await.unwrap();
    assert_eq!(woken.status, switchboard_api::ConversationStatus::Open);
    assert_eq!(woken.snoozed_until, None);

    // Resolving a snoozed conversation clears its time.
    patch(&t, &t.key, &c.id, json!({"status": "snoozed", "snoozedUntil": in_minutes(10)})).await;
    let (_, resolved) = patch(&t, &t.key, &c.id, json!({"status": "resolved"})).await;
    assert!(resolved["snoozedUntil"].is_null());
}

#[tokio::test]
async fn bad_patches_are_refused_and_change_nothing() {
    let t = TestServer::start(true).await;
    let c = first_conversation(&t).await;
    let before = t.counts().last_seq;
    let many: Vec<String> = (0..21).map(|i| format!("label-{i}")).collect();
    for (body, code) in [
        (json!({"status": "archived"}), "invalid_body"),
        (json!({"priority": 5}), "invalid_body"),
        (json!({"colour": "red"}), "invalid_body"),
        (json!({"labels": "vip"}), "invalid_body"),
        (json!({"labels": [""]}), "invalid_parameter"),
        (json!({"labels": ["x".repeat(51)]}), "invalid_parameter"),
        (json!({"labels": many}), "invalid_parameter"),
    ] {
        let (status, answer) = patch(&t, &t.key, &c.id, body.clone()).await;
        assert_eq!((status, answer["code"].as_str()), (400, Some(code)), "{body}: {answer}");
    }
    // A member that is not there: the id names nothing, as in a path.
    let (status, answer) = patch(&t, &t.key, &c.id, json!({"assigneeId": "mem_nobody"})).await;
    assert_eq!((status, answer["code"].as_str()), (404, Some("not_found")), "{answer}");
    let (status, answer) = patch(&t, &t.key, "conv_nope", json!({"priority": "low"})).await;
    assert_eq!((status, answer["code"].as_str()), (404, Some("not_found")));

    let other = t.server.create_workspace("Other", "Other Owner").await.unwrap();
    let (status, _) = patch(&t, &other.key.plaintext, &c.id, json!({"priority": "low"})).await;
    assert_eq!(status, 404, "another workspace's conversation does not exist for it");
    let other_member = member_ids(&t).into_iter().find(|m| *m == other.owner.id).unwrap();
    let (status, _) = patch(&t, &t.key, &c.id, json!({"assigneeId": other_member})).await;
    assert_eq!(status, 404, "a member of another workspace cannot be assigned: it is not there");

    let reader = t.server.issue_owner_key("Reader", &[Scope::Read]).await.unwrap();
    let (status, answer) = patch(&t, &reader.plaintext, &c.id, json!({"priority": "low"})).await;
    assert_eq!((status, answer["code"].as_str()), (403, Some("insufficient_scope")));
    assert_eq!(t.counts().last_seq, before, "nothing changed");
}

async fn list_all(t: &TestServer, query: &str) -> (u16, Vec<Value>) {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = t.url(&format!("/conversations?limit=3&{query}"));
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let res = raw().get(url).bearer_auth(&t.key).send().await.unwrap();
        let status = res.status().as_u16();
        let page: Value = res.json().await.unwrap();
        if status != 200 {
            return (status, vec![page]);
        }
        out.extend(page["data"].as_array().unwrap().clone());
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return (200, out),
        }
    }
}

fn ids(rows: &[Value]) -> Vec<String> {
    rows.iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn filters_select_exactly_the_matching_conversations_across_pages() {
    let t = TestServer::start(true).await;
    let (_, all) = list_all(&t, "").await;
    assert_eq!(all.len(), 36);
    // An empty cursor (a form left blank) is the first page, not a position past the end.
    for list in ["/conversations?limit=5", "/contacts?limit=5", "/leads?limit=5"] {
        let (_, first) = call(&t, &t.key, Method::GET, list, None).await;
        let (status, blank) = call(&t, &t.key, Method::GET, &format!("{list}&cursor="), None).await;
        assert_eq!((status, &blank["data"]), (200, &first["data"]), "{list}");
        assert!(!first["data"].as_array().unwrap().is_empty(), "{list}");
    }
    let expect = |pred: &dyn Fn(&Value) -> bool| ids(&all.iter().filter(|c| pred(c)).cloned().collect::<Vec<_>>());

    for (query, wanted) in [
        ("status=resolved", expect(&|c| c["status"] == "resolved")),
        ("channel=web", expect(&|c| c["channel"] == "web")),
        ("assignee=unassigned", expect(&|c| c["assigneeId"].is_null())),
        ("status=open&channel=whatsapp", expect(&|c| c["status"] == "open" && c["channel"] == "whatsapp")),
    ] {
        let (status, got) = list_all(&t, query).await;
        assert_eq!(status, 200, "{query}");
        assert!(!wanted.is_empty(), "{query} should match something in the demo");
        assert_eq!(ids(&got), wanted, "{query}");
    }

    // Mine, labels, and changes since a moment.
    let me = t.client().me().await.unwrap().member.id;
    let mark = t.counts().last_seq;
    let picked = [ids(&all)[3].clone(), ids(&all)[7].clone()];
    let since = {
        let conn = rusqlite::Connection::open(t.db_path()).unwrap();
        conn.query_row("SELECT max(updated_at) FROM conversations", [], |r| r.get::<_, String>(0)).unwrap()
    };
    for id in &picked {
        patch(&t, &t.key, id, json!({"assigneeId": me, "labels": ["Follow-up"]})).await;
    }
    assert!(t.counts().last_seq > mark);
    let mut wanted = picked.to_vec();
    wanted.sort_by_key(|id| ids(&all).iter().position(|x| x == id));
    for query in ["assignee=me".to_owned(), format!("assignee={me}"), "label=follow-UP".to_owned()] {
        let (_, got) = list_all(&t, &query).await;
        let mut got = ids(&got);
        got.sort_by_key(|id| ids(&all).iter().position(|x| x == id));
        assert_eq!(got, wanted, "{query}");
    }
    let (_, changed) = list_all(&t, &format!("updatedSince={}", since.replace(':', "%3A"))).await;
    let mut changed = ids(&changed);
    changed.sort();
    let mut expected = picked.to_vec();
    expected.sort();
    assert_eq!(changed, expected);
}

#[tokio::test]
async fn text_search_matches_contacts_and_treats_wildcards_literally() {
    let t = TestServer::start(true).await;
    let (_, grace) = list_all(&t, "q=grace%20kim").await;
    assert_eq!(grace.len(), 1, "one conversation with Grace Kim");
    let (_, phone) = list_all(&t, "q=%2B15550100000").await;
    assert_eq!(phone.len(), 1, "by phone number");
    let (_, parking) = list_all(&t, "q=parking").await;
    assert!(!parking.is_empty(), "by the last message");
    for literal in ["%25", "_", "%5C"] {
        let (status, rows) = list_all(&t, &format!("q={literal}")).await;
        assert_eq!(status, 200);
        assert!(rows.is_empty(), "{literal} matched {}", rows.len());
    }
}

#[tokio::test]
async fn bad_filters_are_400s() {
    let t = TestServer::start(true).await;
    for query in
        ["status=archived", "channel=sms", "updatedSince=yesterday", "assignee=", &format!("q={}", "x".repeat(201))]
    {
        let (status, body) = list_all(&t, query).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(body[0]["code"], "invalid_query", "{query}");
    }
}

#[tokio::test]
async fn counts_agree_with_the_filtered_lists() {
    let t = TestServer::start(true).await;
    let me = t.client().me().await.unwrap().member.id;
    let (_, all) = list_all(&t, "").await;
    for c in all.iter().take(3) {
        patch(&t, &t.key, c["id"].as_str().unwrap(), json!({"assigneeId": me, "status": "pending"})).await;
    }
    let counts: Value =
        raw().get(t.url("/conversations/counts")).bearer_auth(&t.key).send().await.unwrap().json().await.unwrap();
    let (_, all) = list_all(&t, "").await;
    let unresolved = |c: &&Value| c["status"] != "resolved";
    assert_eq!(counts["all"], all.iter().filter(unresolved).count());
    assert_eq!(counts["mine"], all.iter().filter(unresolved).filter(|c| c["assigneeId"] == me.as_str()).count());
    assert_eq!(counts["mine"], 3);
    assert_eq!(counts["unassigned"], all.iter().filter(unresolved).filter(|c| c["assigneeId"].is_null()).count());
    for status in ["open", "pending", "snoozed", "resolved"] {
        assert_eq!(counts[status], all.iter().filter(|c| c["status"] == status).count(), "{status}");
    }
    let other = t.server.create_workspace("Other", "Owner").await.unwrap();
    let theirs: Value = raw()
        .get(t.url("/conversations/counts"))
        .bearer_auth(&other.key.plaintext)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["all"], 0);
}

#[tokio::test]
async fn an_escalated_conversation_waits_for_a_human_until_handed_back() {
    let t = TestServer::start(false).await;
    let id = t.contact_writes("+14155550166").await;
    let path = format!("/conversations/{id}/escalate");
    let (_, none) = call(&t, &t.key, Method::GET, "/conversations?escalated=true", None).await;
    assert_eq!(none["data"], json!([]));

    let (status, escalated) =
        call(&t, &t.key, Method::POST, &path, Some(json!({"reason": "Asked for a person"}))).await;
    assert_eq!(status, 200, "{escalated}");
    assert_eq!((escalated["handler"].as_str(), escalated["status"].as_str()), (Some("human"), Some("open")));
    assert_eq!(escalated["escalationReason"], "Asked for a person");
    assert!(escalated["escalatedAt"].is_string());
    let (_, again) = call(&t, &t.key, Method::POST, &path, Some(json!({"reason": "Still angry"}))).await;
    assert_eq!(again, escalated, "escalating twice changes nothing");
    let (_, listed) = call(&t, &t.key, Method::GET, "/conversations?escalated=true", None).await;
    assert_eq!(listed["data"], json!([escalated]));

    let patch = format!("/conversations/{id}");
    let (_, back) = call(&t, &t.key, Method::PATCH, &patch, Some(json!({"handler": "ai"}))).await;
    assert_eq!((back["escalatedAt"].clone(), back["escalationReason"].clone()), (Value::Null, Value::Null));
    let (_, none) = call(&t, &t.key, Method::GET, "/conversations?escalated=true", None).await;
    assert_eq!(none["data"], json!([]), "handed back to the AI");

    let before = t.counts().last_seq;
    for (body, status) in [(json!({"reason": ""}), 400), (json!({}), 400), (json!({"reason": "x".repeat(501)}), 400)] {
        assert_eq!(call(&t, &t.key, Method::POST, &path, Some(body.clone())).await.0, status, "{body}");
    }
    let missing = json!({"reason": "help"});
    assert_eq!(call(&t, &t.key, Method::POST, "/conversations/conv_nope/escalate", Some(missing.clone())).await.0, 404);
    let other = t.server.create_workspace("Rival", "Owner").await.unwrap().key.plaintext;
    assert_eq!(call(&t, &other, Method::POST, &path, Some(missing)).await.0, 404);
    assert_eq!(t.counts().last_seq, before, "nothing was written");
}
