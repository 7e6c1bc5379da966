//! At-least-once across crashes: the real `switchboard serve` process is killed with
//! SIGKILL while events are being written and deliveries are queued and in flight, then
//! restarted on the same database, several times. Every event committed must reach the
//! receiver, and a repeat must carry the same `webhook-id`.

#![allow(clippy::unwrap_used)]

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Duration;

use rand::Rng;
use serde_json::json;
use switchboard_tests::process::{Process, free_port};
use switchboard_tests::receiver::Receiver;

/// Event ids the server committed, read from its database file.
fn committed_events(db: &Path) -> HashSet<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn.prepare("SELECT id FROM webhook_events").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_committed_event_arrives_despite_sigkill() {
    const ROUNDS: usize = 6;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let mut receiver = Receiver::start_slow(Duration::from_millis(20)).await;
    let http = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();

    let mut server = Process::serve(&db, port, &[]).await;
    let key = server.key.take().expect("the first start prints a key");
    let created: serde_json::Value = http
        .post(format!("{base}/webhooks"))
        .bearer_auth(&key)
        .json(&json!({"url": receiver.url, "events": ["contact.created"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(created["secret"].is_string(), "{created}");

    let mut acknowledged = Vec::new();
    for round in 0..ROUNDS {
        // Writes go on while the server is killed at a random moment.
        let writer = {
            let (http, base, key) = (http.clone(), base.clone(), key.clone());
            tokio::spawn(async move {
                let mut ok = Vec::new();
                for i in 0.. {
                    let name = format!("round {round} contact {i}");
                    let sent =
                        http.post(format!("{base}/contacts")).bearer_auth(&key).json(&json!({"name": name})).send();
                    match sent.await {
                        Ok(r) if r.status() == 201 => ok.push(name),
                        _ => return ok,
                    }
                }
                ok
            })
        };
        let wait = rand::rng().random_range(50..400);
        tokio::time::sleep(Duration::from_millis(wait)).await;
        server.kill().await;
        acknowledged.extend(writer.await.unwrap());
        server = Process::serve(&db, port, &[]).await;
    }

    // Every acknowledged write, and every event the database holds, must arrive.
    let committed = committed_events(&db);
    assert!(committed.len() >= acknowledged.len() && !acknowledged.is_empty());
    let mut ids_by_event: HashMap<String, HashSet<String>> = HashMap::new();
    let mut names = HashSet::new();
    let mut received = 0;
    let finished = tokio::time::timeout(Duration::from_secs(60), async {
        while !committed.iter().all(|e| ids_by_event.contains_key(e)) {
            let r = receiver.next().await;
            received += 1;
            let body = r.json();
            ids_by_event.entry(body["id"].as_str().unwrap().to_owned()).or_default().insert(r.header("webhook-id"));
            names.insert(body["data"]["name"].as_str().unwrap().to_owned());
        }
    })
    .await;
    let missing = committed.iter().filter(|e| !ids_by_event.contains_key(*e)).count();
    assert!(finished.is_ok(), "{missing} of {} committed events never arrived", committed.len());
    for name in &acknowledged {
        assert!(names.contains(name), "{name} was acknowledged but its event never arrived");
    }
    eprintln!(
        "{} events committed, {} acknowledged; {received} deliveries received for them",
        committed.len(),
        acknowledged.len()
    );
    for (event, ids) in &ids_by_event {
        assert_eq!(ids.len(), 1, "event {event} arrived under several webhook-ids: {ids:?}");
    }
    server.child.start_kill().unwrap();
}
