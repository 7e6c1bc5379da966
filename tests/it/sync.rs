//! The sync engine against the real server: the cache equals the server row for row, live
//! changes arrive through the event stream, and a restart is caught up through /sync.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use switchboard_api::{ListConversationsQuery, ListMessagesQuery};
use switchboard_client::Client;
use switchboard_server::demo::{Simulator, SimulatorConfig};
use switchboard_server::{Db, Server};
use switchboard_store::Store;
use switchboard_sync::{SyncEngine, SyncEvent};
use switchboard_tests::{TestServer, config, counts};
use tokio::sync::{broadcast, watch};

/// Generous bound for events that arrive within milliseconds; only a bug waits this long.
const DEADLINE: Duration = Duration::from_secs(20);

fn engine(client: Client) -> (Arc<SyncEngine>, Arc<Mutex<Store>>) {
    let store = Arc::new(Mutex::new(Store::open_in_memory().unwrap()));
    (Arc::new(SyncEngine::new(client, store.clone())), store)
}

async fn assert_cache_equals_server(client: &Client, store: &Arc<Mutex<Store>>) {
    let mut server_conversations = Vec::new();
    let mut cursor = None;
    loop {
        let page = client
            .list_conversations(&ListConversationsQuery { limit: Some(200), cursor, ..Default::default() })
            .await
            .unwrap();
        server_conversations.extend(page.data);
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    let mut server_messages = Vec::new();
    for c in &server_conversations {
        server_messages.extend(
            client.list_messages(&c.id, &ListMessagesQuery { limit: Some(500), cursor: None }).await.unwrap().data,
        );
    }
    server_conversations.sort_by(|a, b| a.id.cmp(&b.id));
    server_messages.sort_by(|a, b| a.id.cmp(&b.id));
    let store = store.lock().unwrap();
    assert_eq!(store.all_conversations().unwrap(), server_conversations);
    assert_eq!(store.all_messages().unwrap(), server_messages);
}

/// Waits for change events until `done` holds; fails after [`DEADLINE`].
async fn wait_until(events: &mut broadcast::Receiver<SyncEvent>, mut done: impl FnMut() -> bool) {
    let waiting = async {
        while !done() {
            match events.recv().await {
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => panic!("engine stopped"),
            }
        }
    };
    tokio::time::timeout(DEADLINE, waiting).await.expect("the cache did not catch up in time");
}

#[tokio::test]
async fn bootstrap_makes_the_cache_equal_to_the_server() {
    let t = TestServer::start(true).await;
    for _ in 0..25 {
        t.server.simulate_visitor().await.unwrap();
    }
    let (engine, store) = engine(t.client());
    let cursor = engine.catch_up().await.unwrap();
    assert_eq!(cursor, t.counts().last_seq);
    assert_eq!(store.lock().unwrap().cursor().unwrap(), cursor);
    assert_cache_equals_server(&t.client(), &store).await;
    let contacts = store.lock().unwrap().all_contacts().unwrap();
    assert_eq!(contacts.len() as i64, t.counts().contacts);
    // A second catch-up finds nothing new and changes nothing.
    assert_eq!(engine.catch_up().await.unwrap(), cursor);
}

#[tokio::test]
async fn a_new_inbound_message_reaches_the_cache_through_the_stream() {
    let t = TestServer::start(true).await;
    let (engine, store) = engine(t.client());
    let mut events = engine.subscribe();
    let (_stop, stopped) = watch::channel(false);
    tokio::spawn(engine.clone().run(stopped));
    // Online means the stream is open: what follows can only arrive through it.
    wait_until(&mut events, || engine.status() == switchboard_sync::SyncStatus::Online).await;
    let before = store.lock().unwrap().all_messages().unwrap().len();
    t.server.simulate_visitor().await.unwrap();
    let latest = t.counts().last_seq;
    wait_until(&mut events, || store.lock().unwrap().cursor().unwrap() == latest).await;
    assert_eq!(store.lock().unwrap().all_messages().unwrap().len(), before + 1);
    assert_cache_equals_server(&t.client(), &store).await;
}

#[tokio::test]
async fn after_a_server_restart_the_engine_catches_up_what_it_missed() {
    let t = TestServer::start(true).await;
    let addr = t.server.addr();
    let workspace_id = t.server.workspace().id.clone();
    let path = t.db_path();
    let client = t.client();
    let TestServer { server, dir: _dir, .. } = t;
    let (engine, store) = engine(client.clone());
    let mut events = engine.subscribe();
    let (_stop, stopped) = watch::channel(false);
    tokio::spawn(engine.clone().run(stopped));
    wait_until(&mut events, || engine.status() == switchboard_sync::SyncStatus::Online).await;

    server.shutdown().await;
    // Written while no server runs: only /sync after the reconnect can deliver these.
    let vault =
        switchboard_server::vault::load(&switchboard_server::SecretKeySource::BesideDatabase, &path, false).unwrap();
    let db = Db::open(&path, std::sync::Arc::new(vault)).unwrap();
    let simulator = Simulator::new(db, workspace_id, SimulatorConfig { every: Duration::from_secs(1) });
    for _ in 0..5 {
        simulator.tick().await.unwrap();
    }
    drop(simulator);
    let expected = counts(&path);
    let restarted = Server::start(config(path.clone(), true, addr)).await.unwrap();

    wait_until(&mut events, || store.lock().unwrap().cursor().unwrap() == expected.last_seq).await;
    assert_eq!(store.lock().unwrap().all_messages().unwrap().len() as i64, expected.messages);
    assert_cache_equals_server(&client, &store).await;
    restarted.shutdown().await;
}

/// Random server writes (visitors, replies, status and label changes, contacts, leads
/// created and deleted) interleaved with server restarts while the engine follows live:
/// once it has caught up, the cache equals the server row for row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_writes_and_disconnects_converge_row_for_row() {
    use rand::{Rng, SeedableRng};
    use reqwest::Method;
    use serde_json::{Value, json};
    use switchboard_tests::call;

    let seed: u64 = std::env::var("SYNC_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    println!("SYNC_SEED={seed}");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let t = TestServer::start(true).await;
    let addr = t.server.addr();
    let path = t.db_path();
    let client = t.client();
    let TestServer { server, key, dir, .. } = t;
    let (engine, store) = engine(client.clone());
    let (_stop, stopped) = watch::channel(false);
    tokio::spawn(engine.clone().run(stopped));
    let mut t = TestServer::from_parts(server, key, dir);
    let mut leads: Vec<String> = Vec::new();

    for step in 0..80 {
        let (_, list) = call(&t, &t.key, Method::GET, "/conversations?limit=100", None).await;
        let conversations: Vec<String> =
            list["data"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
        let pick = conversations[rng.random_range(0..conversations.len())].clone();
        match rng.random_range(0..8) {
            0 | 1 => t.server.simulate_visitor().await.unwrap(),
            2 => {
                let body = json!({"kind": "note", "text": format!("note {step}")});
                call(&t, &t.key, Method::POST, &format!("/conversations/{pick}/messages"), Some(body)).await;
            }
            3 => {
                let status = ["open", "pending", "resolved"][rng.random_range(0..3)];
                let body =
                    json!({"status": status, "labels": [format!("l{}", rng.random_range(0..3))], "priority": "high"});
                call(&t, &t.key, Method::PATCH, &format!("/conversations/{pick}"), Some(body)).await;
            }
            4 => {
                let body = json!({"name": format!("Lead {step}"), "interest": "cleaning"});
                let (_, lead) = call(&t, &t.key, Method::POST, "/leads", Some(body)).await;
                leads.push(lead["id"].as_str().unwrap().to_owned());
            }
            5 if !leads.is_empty() => {
                let id = leads.swap_remove(rng.random_range(0..leads.len()));
                call(&t, &t.key, Method::DELETE, &format!("/leads/{id}"), None).await;
            }
            6 => {
                let body = json!({"name": format!("Walk-in {step}"), "phone": format!("+1555077{step:04}")});
                call(&t, &t.key, Method::POST, "/contacts", Some(body)).await;
            }
            _ => {
                // The server goes away and comes back: streams break, the engine retries.
                let TestServer { server, key, dir, .. } = t;
                server.shutdown().await;
                let server = Server::start(config(path.clone(), true, addr)).await.unwrap();
                t = TestServer::from_parts(server, key, dir);
            }
        }
    }
    let last = counts(&path).last_seq;
    let caught_up = async {
        while store.lock().unwrap().cursor().unwrap() < last {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(DEADLINE, caught_up).await.expect("the engine caught up");
    assert_cache_equals_server(&client, &store).await;

    let sorted = |v: Value| {
        let mut rows = v["data"].as_array().unwrap().clone();
        rows.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
        rows
    };
    let (_, contacts) = call(&t, &t.key, Method::GET, "/contacts?limit=200", None).await;
    let cached: Vec<Value> =
        store.lock().unwrap().all_contacts().unwrap().into_iter().map(|c| serde_json::to_value(c).unwrap()).collect();
    assert_eq!(cached, sorted(contacts), "contacts (seed {seed})");
    let (_, server_leads) = call(&t, &t.key, Method::GET, "/leads?limit=200", None).await;
    let mut cached: Vec<Value> = store
        .lock()
        .unwrap()
        .records::<switchboard_api::Lead>()
        .unwrap()
        .into_iter()
        .map(|l| serde_json::to_value(l).unwrap())
        .collect();
    cached.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    assert_eq!(cached, sorted(server_leads), "leads, deletions included (seed {seed})");
    t.server.shutdown().await;
}

/// Members, and for admins the keys' and webhooks' metadata, are cached as their lists
/// say; a key without the admin scope caches no console and gets no error for it.
#[tokio::test]
async fn members_keys_and_webhooks_are_cached_without_secrets() {
    let t = TestServer::start_with(true, |c| c.webhooks.policy.allow_loopback = true).await;
    let headers = std::collections::BTreeMap::from([("x-receiver-token".to_owned(), "tok_secret_123".to_owned())]);
    let hook = switchboard_api::CreateWebhookRequest {
        url: "http://127.0.0.1:9/hook".into(),
        headers: Some(headers),
        ..Default::default()
    };
    let created = t.client().create_webhook(&hook).await.unwrap();
    let (admin, store) = engine(t.client());
    admin.refresh_reference().await.unwrap();
    {
        let s = store.lock().unwrap();
        assert_eq!(s.members().unwrap(), t.client().list_members().await.unwrap());
        assert_eq!(s.keys().unwrap(), t.client().list_keys(false).await.unwrap());
        let cached = &s.webhooks().unwrap()[0];
        assert_eq!(cached.id, created.endpoint.id);
        assert!(cached.headers.contains_key("x-receiver-token"), "the header's name is kept");
    }
    let dump = {
        let s = store.lock().unwrap();
        serde_json::to_string(&(s.keys().unwrap(), s.webhooks().unwrap())).unwrap()
    };
    for secret in ["tok_secret_123", created.secret.as_str(), t.key.as_str()] {
        assert!(!dump.contains(secret), "a secret in the cache: {dump}");
    }
    let reader = t.server.issue_owner_key("reader", &[switchboard_api::Scope::Read]).await.unwrap();
    let read_client = Client::new(&t.server.base_url(), reader.plaintext.clone()).unwrap();
    let (reading, store) = engine(read_client);
    reading.refresh_reference().await.unwrap();
    let s = store.lock().unwrap();
    assert!(!s.members().unwrap().is_empty());
    assert!(s.keys().unwrap().is_empty() && s.webhooks().unwrap().is_empty());
}
