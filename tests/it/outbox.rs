//! The outbox against the real server: sends queued while the server is away go once it
//! is back, a send whose answer was lost goes again under the same key and exists once,
//! a refused send keeps the server's reason, and a status change queues like a message.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};

use switchboard_api::{ConversationStatus, TemplateRef};
use switchboard_client::Client;
use switchboard_server::Server;
use switchboard_store::{OutboxAction, OutboxState, Store};
use switchboard_sync::SyncEngine;
use switchboard_tests::{TestServer, config};

fn text(body: &str) -> OutboxAction {
    OutboxAction::Text { body: body.into() }
}

fn server_messages(path: &std::path::Path, client_id: &str) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("SELECT count(*) FROM messages WHERE client_id = ?1", [client_id], |r| r.get(0))
        .unwrap()
}

#[tokio::test]
async fn sends_queued_while_the_server_is_away_go_when_it_is_back_once_each() {
    let t = TestServer::start(false).await;
    let conversation = t.contact_writes("+14155550133").await;
    let addr = t.server.addr();
    let TestServer { server, key, dir, .. } = t;
    let db_path = dir.path().join("server.sqlite3");
    server.shutdown().await;

    let store = Arc::new(Mutex::new(Store::open(&dir.path().join("cache.sqlite3")).unwrap()));
    let engine = SyncEngine::new(Client::new(&format!("http://{addr}"), key.clone()).unwrap(), store.clone());
    let mut queued = Vec::new();
    for body in ["First, offline", "Second, offline", "Third, offline"] {
        queued.push(engine.enqueue(conversation.clone(), text(body)).await.unwrap().client_id);
    }
    let err = engine.push_outbox().await.unwrap_err();
    assert_eq!(err.code(), "network_error");
    let waiting = store.lock().unwrap().outbox(None).unwrap();
    assert_eq!(waiting.len(), 3);
    assert!(waiting.iter().all(|e| e.state == OutboxState::Pending), "{waiting:?}");
    assert_eq!(waiting[0].attempts, 0, "an unreachable server is not a try; the others wait their turn");

    // The server comes back on the same address.
    let server = Server::start(config(db_path.clone(), false, addr)).await.unwrap();
    let pushed = engine.push_outbox().await.unwrap();
    assert_eq!(pushed.sent, 3);
    assert!(store.lock().unwrap().outbox(None).unwrap().is_empty());
    for id in &queued {
        assert_eq!(server_messages(&db_path, id), 1, "{id} is on the server exactly once");
        let entry = store.lock().unwrap().outbox_entry(id).unwrap().unwrap();
        assert_eq!(entry.state, OutboxState::Sent);
        assert!(entry.message_id.is_some());
    }
    // In order, and in the cache already (before any sync).
    let cached: Vec<String> =
        store.lock().unwrap().transcript(&conversation).unwrap().into_iter().map(|m| m.body).collect();
    assert_eq!(cached, ["First, offline", "Second, offline", "Third, offline"]);
    server.shutdown().await;
}

#[tokio::test]
async fn a_send_whose_answer_was_lost_goes_again_and_exists_once() {
    let t = TestServer::start(false).await;
    let conversation = t.contact_writes("+14155550134").await;
    let store = Arc::new(Mutex::new(Store::open_in_memory().unwrap()));
    let engine = SyncEngine::new(t.client(), store.clone());
    let entry = engine.enqueue(conversation.clone(), text("Did this arrive?")).await.unwrap();
    // As if the process died after the server took the request, before it heard back:
    // the entry says `sending` and the server has the message.
    store.lock().unwrap().mark_sending(&entry.client_id).unwrap();
    let req = switchboard_api::PostMessageRequest::text("Did this arrive?");
    t.client().post_message(&conversation, &req, Some(&entry.client_id)).await.unwrap();
    assert_eq!(server_messages(&t.db_path(), &entry.client_id), 1);

    let pushed = engine.push_outbox().await.unwrap();
    assert_eq!(pushed.sent, 1);
    assert_eq!(server_messages(&t.db_path(), &entry.client_id), 1, "sent again, stored once");
    let done = store.lock().unwrap().outbox_entry(&entry.client_id).unwrap().unwrap();
    assert_eq!((done.state, done.attempts), (OutboxState::Sent, 2), "two attempts, one message");
}

#[tokio::test]
async fn a_refused_send_keeps_the_servers_reason_until_retried_or_discarded() {
    let t = TestServer::start(false).await;
    let conversation = t.contact_writes("+14155550135").await;
    let store = Arc::new(Mutex::new(Store::open_in_memory().unwrap()));
    let engine = SyncEngine::new(t.client(), store.clone());
    let missing = TemplateRef { name: "no_such_template".into(), language: "en".into(), params: vec![] };
    let refused = engine.enqueue(conversation.clone(), OutboxAction::Template { template: missing }).await.unwrap();
    let gone = engine.enqueue("conv_does_not_exist".into(), text("Hello?")).await.unwrap();
    let fine = engine.enqueue(conversation.clone(), text("This one is fine")).await.unwrap();

    let pushed = engine.push_outbox().await.unwrap();
    assert_eq!((pushed.sent, pushed.failed), (1, 2), "a refusal does not hold up the sends behind it");
    let entry = |id: &str| store.lock().unwrap().outbox_entry(id).unwrap().unwrap();
    let r = entry(&refused.client_id);
    assert_eq!((r.state, r.error_code.as_deref()), (OutboxState::Failed, Some("not_found")));
    assert!(r.error.as_deref().unwrap().contains("no_such_template"), "{r:?}");
    assert_eq!(entry(&gone.client_id).error_code.as_deref(), Some("not_found"));
    assert_eq!(entry(&fine.client_id).state, OutboxState::Sent);

    // Retry goes again (and fails again, for the same reason); discard drops it.
    store.lock().unwrap().retry(&refused.client_id).unwrap();
    assert_eq!(entry(&refused.client_id).state, OutboxState::Pending);
    engine.push_outbox().await.unwrap();
    assert_eq!(entry(&refused.client_id).state, OutboxState::Failed);
    store.lock().unwrap().discard(&refused.client_id).unwrap();
    assert!(store.lock().unwrap().outbox_entry(&refused.client_id).unwrap().is_none());
    // Neither a sent entry nor an unknown one can be discarded or retried.
    let mut s = store.lock().unwrap();
    assert_eq!(s.discard(&fine.client_id).unwrap_err().code(), "not_found");
    assert_eq!(s.retry(&fine.client_id).unwrap_err().code(), "not_found");
    assert_eq!(s.discard("ob_nope").unwrap_err().code(), "not_found");
}

#[tokio::test]
async fn a_status_change_queues_like_a_message() {
    let t = TestServer::start(false).await;
    let conversation = t.contact_writes("+14155550136").await;
    let store = Arc::new(Mutex::new(Store::open_in_memory().unwrap()));
    let engine = SyncEngine::new(t.client(), store.clone());
    let note = engine
        .enqueue(conversation.clone(), OutboxAction::Note { body: "Called back, all fine".into() })
        .await
        .unwrap();
    engine
        .enqueue(
            conversation.clone(),
            OutboxAction::Status { status: ConversationStatus::Resolved, snoozed_until: None },
        )
        .await
        .unwrap();
    assert_eq!(engine.push_outbox().await.unwrap().sent, 2);
    let on_server = t.client().get_conversation(&conversation).await.unwrap();
    assert_eq!(on_server.status, ConversationStatus::Resolved);
    assert_eq!(server_messages(&t.db_path(), &note.client_id), 1);
    let cached = store.lock().unwrap().transcript(&conversation).unwrap();
    assert_eq!(cached.last().unwrap().kind, switchboard_api::MessageKind::Note);
}
