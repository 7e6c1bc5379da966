//! The app core end to end, without a window: the local workspace starts, its key goes to
//! the real OS keychain (Secret Service on Linux), the cache fills, a reply reaches the
//! server's database. Needs a keychain: `make test` provides one.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use switchboard_core::{App, AppConfig, SecretStore, secrets};

async fn keychain() -> Arc<dyn SecretStore> {
    secrets::open_keychain("dev.switchboard.tests").await.expect("an OS keychain (make test starts one)")
}

#[tokio::test]
async fn keychain_round_trip() {
    let store = keychain().await;
    let account = format!("round-trip-{}", std::process::id());
    assert_eq!(secrets::get(&store, &account).await.unwrap(), None);
    secrets::set(&store, &account, "sb_live_example").await.unwrap();
    assert_eq!(secrets::get(&store, &account).await.unwrap().as_deref(), Some("sb_live_example"));
    secrets::delete(&store, &account).await.unwrap();
    assert_eq!(secrets::get(&store, &account).await.unwrap(), None);
}

#[tokio::test]
async fn local_workspace_starts_syncs_and_sends_with_the_key_in_the_keychain() {
    let dir = tempfile::tempdir().unwrap();
    let config = AppConfig { data_dir: dir.path().to_owned(), simulate_every: None };
    let app = App::start(config.clone(), keychain().await).await.unwrap();
    let inbox = app.inbox().await.unwrap();
    assert_eq!(inbox.len(), 36, "the demo clinic's conversations are in the cache");
    let first = inbox[0].clone();
    let sent = app.send_reply(first.id.clone(), "  We have a slot at 16:00 today.  ".into()).await.unwrap();
    assert_eq!(sent.body, "We have a slot at 16:00 today.");
    let transcript = app.transcript(first.id.clone()).await.unwrap();
    assert_eq!(transcript.messages.last().map(|m| m.id.clone()), Some(sent.id.clone()));

    let empty = app.send_reply(first.id.clone(), "   ".into()).await.unwrap_err();
    assert_eq!(empty.code(), "invalid_input");
    let unknown = app.send_reply("conv_nope".into(), "hi".into()).await.unwrap_err();
    assert_eq!(unknown.code(), "not_found");
    app.shutdown().await;

    let server_db = rusqlite::Connection::open(dir.path().join("local-workspace.sqlite3")).unwrap();
    let stored: String =
        server_db.query_row("SELECT body FROM messages WHERE id = ?1", [&sent.id], |r| r.get(0)).unwrap();
    assert_eq!(stored, "We have a slot at 16:00 today.");

    // The key is in the keychain and in no file the app wrote.
    let workspace_id: String = server_db.query_row("SELECT id FROM workspaces", [], |r| r.get(0)).unwrap();
    let key = secrets::get(&keychain().await, &format!("local-workspace/{workspace_id}"))
        .await
        .unwrap()
        .expect("key in keychain");
    assert!(key.starts_with("sb_live_"));
    for entry in walk(dir.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(!bytes.windows(key.len()).any(|w| w == key.as_bytes()), "{} holds the API key", entry.display());
    }
    let me_key: i64 = server_db.query_row("SELECT count(*) FROM api_keys", [], |r| r.get(0)).unwrap();

    // A restart finds the key in the keychain and reuses it: no new key is minted.
    let again = App::start(config, keychain().await).await.unwrap();
    let keys_after: i64 = server_db.query_row("SELECT count(*) FROM api_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(keys_after, me_key);
    assert!(!again.inbox().await.unwrap().is_empty());
    again.shutdown().await;
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
