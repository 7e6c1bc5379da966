//! GET /usage: activity per period, checked against the database file.

#![allow(clippy::unwrap_used)]

use serde_json::Value;
use switchboard_tests::{TestServer, raw};

async fn usage(t: &TestServer, key: &str, query: &str) -> (u16, Value) {
    let res = raw().get(t.url(&format!("/usage?{query}"))).bearer_auth(key).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

fn day(offset_days: i64) -> String {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.query_row("SELECT date('now', ?1)", [format!("{offset_days} days")], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn usage_counts_match_the_messages_and_add_up() {
    let t = TestServer::start(true).await;
    for _ in 0..5 {
        t.server.simulate_visitor().await.unwrap();
    }
    let (status, body) = usage(&t, &t.key, &format!("from={}&to={}", day(-10), day(0))).await;
    assert_eq!(status, 200, "{body}");

    let conn = rusqlite::Connection::open(t.db_path()).unwrap();
    let n = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    let totals = &body["totals"];
    assert_eq!(totals["messagesIn"], n("SELECT count(*) FROM messages WHERE direction = 'inbound'"));
    assert_eq!(
        totals["messagesOut"],
        n("SELECT count(*) FROM messages WHERE direction = 'outbound' AND author = 'member' AND kind != 'note'")
    );
    assert_eq!(totals["aiReplies"], n("SELECT count(*) FROM messages WHERE author = 'ai'"));
    assert_eq!(
        totals["conversationsHandled"],
        n("SELECT count(DISTINCT conversation_id) FROM messages WHERE direction = 'outbound' AND kind != 'note'")
    );
    assert_eq!(
        totals["activeContacts"],
        n("SELECT count(DISTINCT c.contact_id) FROM messages m JOIN conversations c ON c.id = m.conversation_id
           WHERE m.direction = 'inbound'")
    );
    let days = body["data"].as_array().unwrap();
    assert!(days.len() > 1, "the demo spreads over several days");
    for field in ["messagesIn", "messagesOut", "aiReplies"] {
        let sum: i64 = days.iter().map(|d| d[field].as_i64().unwrap()).sum();
        assert_eq!(sum, totals[field].as_i64().unwrap(), "{field} per day adds up");
    }
    assert!(days.windows(2).all(|w| w[0]["start"].as_str() < w[1]["start"].as_str()));

    let (_, months) = usage(&t, &t.key, &format!("from={}&to={}&period=month", day(-10), day(0))).await;
    assert_eq!(months["period"], "month");
    assert_eq!(months["totals"], body["totals"]);
    assert!(months["data"].as_array().unwrap().iter().all(|m| m["start"].as_str().unwrap().len() == 7));

    // A range before anything happened is empty, not an error.
    let (status, empty) = usage(&t, &t.key, "from=2020-01-01&to=2020-01-31").await;
    assert_eq!(status, 200);
    assert!(empty["data"].as_array().unwrap().is_empty());
    assert_eq!(empty["totals"]["messagesIn"], 0);

    // Another workspace sees only its own (nothing).
    let other = t.server.create_workspace("Other", "Owner").await.unwrap();
    let (_, theirs) = usage(&t, &other.key.plaintext, &format!("from={}&to={}", day(-10), day(0))).await;
    assert_eq!(theirs["totals"]["messagesIn"], 0);
}

#[tokio::test]
async fn bad_usage_queries_are_refused() {
    let t = TestServer::start(false).await;
    for query in ["from=yesterday", "to=2026-02-30", "period=week", "from=", "period="] {
        let (status, body) = usage(&t, &t.key, query).await;
        assert_eq!((status, body["code"].as_str()), (400, Some("invalid_query")), "{query}: {body}");
    }
    // Dates each fine, but not together.
    for query in ["from=2026-02-01&to=2026-01-01", "from=2020-01-01&to=2026-01-01"] {
        let (status, body) = usage(&t, &t.key, query).await;
        assert_eq!((status, body["code"].as_str()), (422, Some("invalid_range")), "{query}: {body}");
    }
}
