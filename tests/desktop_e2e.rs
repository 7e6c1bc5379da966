//! The real desktop app under Xvfb, driven through tauri-driver and WebKitWebDriver with
//! plain WebDriver HTTP calls: it opens on the local workspace, lists the demo
//! conversations, grows as the simulator writes, and a reply typed in the window reaches
//! the server's SQLite file.
//!
//! Needs the built app, tauri-driver, a display and a keychain: `make test` provides all of
//! them and runs this with `--run-ignored`.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;

use serde_json::json;
use switchboard_tests::webdriver::{Driver, free_port};

const APP_IDENTIFIER: &str = "dev.switchboard.desktop";

fn app_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("SWITCHBOARD_DESKTOP_BIN") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let bin = target.join("debug").join(format!("switchboard-desktop{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.exists(), "{} is missing: build it with `make desktop`", bin.display());
    bin
}

#[tokio::test]
#[ignore = "needs the built app, tauri-driver, Xvfb and a keychain: run by `make test`"]
async fn the_desktop_app_lists_syncs_and_sends() {
    let home = tempfile::tempdir().unwrap();
    let data_home = home.path().join("data");
    let port = free_port();
    let log = home.path().join("driver.log");
    let mut tauri_driver = Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()));
    tauri_driver
        .args(["--port", &port.to_string(), "--native-port", &free_port().to_string()])
        .env("XDG_DATA_HOME", &data_home)
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("NO_AT_BRIDGE", "1")
        .env("SWITCHBOARD_SIMULATE_EVERY_MS", "1000");
    let driver = Driver::spawn(tauri_driver, port, log).await;
    let s = driver
        .session(json!({"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": app_binary()}
        }}))
        .await;

    // The inbox fills with the demo clinic's conversations.
    let items = s
        .wait_for("the demo conversations", || async {
            let items = s.find_all("[data-testid=conversation-item]").await;
            (items.len() >= 36).then_some(items)
        })
        .await;
    let name = s.find_all("[data-testid=workspace-name]").await;
    assert_eq!(s.text(&name[0]).await, "Lakeside Family Clinic");

    // It grows as the simulator writes, with no reload.
    let first_text = s.text(&items[0]).await;
    let initial_count = items.len();
    s.wait_for("a simulated visitor message", || async {
        let now = s.find_all("[data-testid=conversation-item]").await;
        let top = s.text(now.first()?).await;
        (now.len() > initial_count || top != first_text).then_some(())
    })
    .await;
    s.wait_for("the status badge to say online", || async {
        let status = s.find_all("[data-testid=sync-status]").await;
        (s.attribute(status.first()?, "data-state").await == "online").then_some(())
    })
    .await;

    // Open a conversation and reply. The list moves as visitors write and the AI agent
    // answers, so an item can be gone by the time it is clicked: then take the new top.
    let conversation_id = s
        .wait_for("a conversation to open", || async {
            let items = s.find_all("[data-testid=conversation-item]").await;
            let id = s.attribute(items.first()?, "data-conversation-id").await;
            (!id.is_empty() && s.click_live(&items[0]).await).then_some(id)
        })
        .await;
    s.wait_for("the transcript", || async {
        let t = s.find_all("[data-testid=transcript]").await;
        let id = s.attribute(t.first()?, "data-conversation-id").await;
        (id == conversation_id && !s.find_all("[data-testid=message]").await.is_empty()).then_some(())
    })
    .await;
    let reply = format!("E2E reply {}: your appointment is confirmed for 16:00.", std::process::id());
    let input = s.find_all("[data-testid=composer-input]").await;
    s.type_text(&input[0], &reply).await;
    let send = s.find_all("[data-testid=send-button]").await;
    s.click(&send[0]).await;
    s.wait_for("the reply in the transcript", || async {
        for m in s.find_all("[data-testid=message]").await {
            if s.text(&m).await.contains(&reply) {
                return Some(());
            }
        }
        None
    })
    .await;
    let input = s.find_all("[data-testid=composer-input]").await;
    assert_eq!(s.attribute(&input[0], "value").await, "", "the composer clears after sending");

    // The reply is in the local workspace server's database.
    let db = data_home.join(APP_IDENTIFIER).join("local-workspace.sqlite3");
    let conn = rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let (stored_conversation, direction): (String, String) = conn
        .query_row("SELECT conversation_id, direction FROM messages WHERE body = ?1", [&reply], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(stored_conversation, conversation_id);
    assert_eq!(direction, "outbound");

    s.screenshot(&e2e_dir().join("transcript.png")).await;

    // A conversation with an internal note shows it apart, marked as team-only.
    let (noted, note): (String, String) = conn
        .query_row("SELECT conversation_id, body FROM messages WHERE kind = 'note' LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("the demo has notes");
    s.wait_for("the conversation with a note, opened", || async {
        for item in s.find_all("[data-testid=conversation-item]").await {
            if s.attribute(&item, "data-conversation-id").await == noted {
                return s.click_live(&item).await.then_some(());
            }
        }
        None
    })
    .await;
    let shown = s
        .wait_for("the note in the transcript", || async {
            let notes = s.find_all("[data-kind=note]").await;
            let text = s.text(notes.first()?).await;
            text.contains(&note).then_some(text)
        })
        .await;
    assert!(shown.contains("Internal note"), "a note is labelled as internal: {shown}");
    s.screenshot(&e2e_dir().join("note.png")).await;

    s.end().await;
}

/// Screenshots for people to look at (`target/e2e/`), not asserted on.
fn e2e_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/e2e")
}
