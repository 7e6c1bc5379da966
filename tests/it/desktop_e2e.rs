//! The real desktop app under Xvfb, driven through tauri-driver and WebKitWebDriver with
//! plain WebDriver HTTP calls, against the real Secret Service (gnome-keyring) and a real
//! notification daemon (dunst, watched on D-Bus): the first start on the local workspace
//! (the list grows as the simulator writes), a reply reaching the server's SQLite file, an
//! internal note, a reply from an AI draft, search opening a conversation at an old
//! message, the palette and shortcuts, an escalation's notification clicked open, the
//! app's own key rotated while sync goes on, a webhook created and tested, and a remote
//! workspace going offline with a reply queued and delivered once when it is back.
//!
//! Needs the built app, tauri-driver, a display and a keychain: `make test` provides all of
//! them and runs this with `--run-ignored`.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;

use serde_json::json;
use switchboard_tests::desktop;
use switchboard_tests::webdriver::Session;

#[tokio::test]
#[ignore = "needs the built app, tauri-driver, Xvfb and a keychain: run by `make test`"]
async fn the_desktop_app_lists_syncs_and_sends() {
    let home = tempfile::tempdir().unwrap();
    // Every notification the app asks the session's notification service to show.
    let notify_log = home.path().join("notifications.log");
    let mut monitor = Command::new("dbus-monitor")
        .args(["--session", "interface='org.freedesktop.Notifications',member='Notify'"])
        .stdout(std::fs::File::create(&notify_log).unwrap())
        .spawn()
        .expect("dbus-monitor (make test installs it)");
    let driver = desktop::driver(home.path(), 1000).await;
    let s = desktop::open(&driver).await;

    // The inbox fills with the demo clinic's conversations. The list is virtualized: only
    // the rows in view are in the page, the count says how many there are.
    let count = || async {
        let c = s.find_all("[data-testid=conversation-count]").await;
        s.text(c.first()?).await.split_whitespace().next()?.parse::<usize>().ok()
    };
    let initial_count = s.wait_for("the demo conversations", || async { count().await.filter(|n| *n >= 36) }).await;
    let rows = s.find_all("[data-testid=conversation-item]").await;
    assert!(rows.len() < initial_count, "only the visible rows are rendered ({} of {initial_count})", rows.len());
    let name = s.find_all("[data-testid=workspace-name]").await;
    assert_eq!(s.text(&name[0]).await, "Lakeside Family Clinic");

    // It grows as the simulator writes, with no reload.
    let first_text = s.text(&rows[0]).await;
    s.wait_for("a simulated visitor message", || async {
        let now = s.find_all("[data-testid=conversation-item]").await;
        let top = s.text(now.first()?).await;
        (count().await? > initial_count || top != first_text).then_some(())
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
    let db = desktop::data_dir(home.path()).join("local-workspace.sqlite3");
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
    desktop::open_by_id(&s, &noted).await;
    let shown = s
        .wait_for("the note in the transcript", || async {
            let notes = s.find_all("[data-kind=note]").await;
            let text = s.text(notes.first()?).await;
            text.contains(&note).then_some(text)
        })
        .await;
    assert!(shown.contains("Internal note"), "a note is labelled as internal: {shown}");
    s.screenshot(&e2e_dir().join("note.png")).await;

    reply_with_an_ai_draft(&s, &conn).await;
    search_finds_an_old_message(&s, &conn).await;
    keyboard_and_palette(&s).await;
    escalation_notifies_and_a_click_opens_it(&s, &notify_log).await;
    the_apps_own_key_rotates_and_sync_goes_on(&s, &conn).await;
    a_webhook_is_created_and_tested(&s).await;
    a_website_is_imported_into_knowledge(&s).await;
    a_remote_workspace_offline_then_back(&s).await;

    s.end().await;
    let _ = monitor.kill();
    let _ = monitor.wait();
}

async fn click_one(s: &Session<'_>, css: &str) {
    let found = s.wait_for(css, || async { s.find_all(css).await.pop() }).await;
    s.click(&found).await;
}

/// Sets a `<select>` as a person picking an option would.
async fn choose(s: &Session<'_>, css: &str, value: &str) {
    let script = "const el = document.querySelector(arguments[0]); el.value = arguments[1];
        el.dispatchEvent(new Event('change', {bubbles: true}));";
    s.execute(script, json!([css, value])).await;
}

async fn the_apps_own_key_rotates_and_sync_goes_on(s: &Session<'_>, conn: &rusqlite::Connection) {
    click_one(s, "[data-testid=nav-admin]").await;
    let own = "[data-testid=key-row][data-this-app=true]";
    let old_id = s
        .wait_for("the app's own key", || async {
            let row = s.find_all(own).await.pop()?;
            Some(s.attribute(&row, "data-key-id").await)
        })
        .await;
    click_one(s, &format!("{own} [data-testid=rotate-key]")).await;
    // No grace: the old key stops at once, so only the swapped key can go on.
    choose(s, &format!("{own} select"), "0").await;
    click_one(s, &format!("{own} [data-testid=confirm-rotate]")).await;
    s.wait_for("the rotation notice", || async { s.find_all("[data-testid=keys-notice]").await.pop() }).await;
    s.screenshot(&e2e_dir().join("admin-keys.png")).await;
    let new_id = s
        .wait_for("a new key for this app", || async {
            let row = s.find_all(own).await.pop()?;
            let id = s.attribute(&row, "data-key-id").await;
            (!id.is_empty() && id != old_id).then_some(id)
        })
        .await;
    let rotated_at: String =
        conn.query_row("SELECT created_at FROM api_keys WHERE id = ?1", [&new_id], |r| r.get(0)).unwrap();
    // A conversation the simulator opens after the rotation reaches the window.
    let newer = s
        .wait_for("a conversation newer than the rotation", || async {
            conn.query_row(
                "SELECT id FROM conversations WHERE created_at > ?1 ORDER BY created_at LIMIT 1",
                [&rotated_at],
                |r| r.get::<_, String>(0),
            )
            .ok()
        })
        .await;
    click_one(s, "[data-testid=nav-inbox]").await;
    desktop::open_by_id(s, &newer).await;
    let status = s.find_all("[data-testid=sync-status]").await;
    assert_eq!(s.attribute(&status[0], "data-state").await, "online");
}

/// The admin imports the business's site from the Knowledge tab; what it read shows, and
/// the new entry is listed under its page.
async fn a_website_is_imported_into_knowledge(s: &Session<'_>) {
    let app = axum::Router::new().route(
        "/",
        axum::routing::get(|| async {
            axum::response::Html(
                "<html><head><title>Lakeside</title></head><body><h2>Car park</h2>\
                 <p>Free parking for patients behind the clinic, entrance on Mill Lane.</p></body></html>",
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    click_one(s, "[data-testid=nav-admin]").await;
    click_one(s, "[data-testid=tab-knowledge]").await;
    let url = s.wait_for("the import form", || async { s.find_all("[data-testid=import-url]").await.pop() }).await;
    s.type_text(&url, &site).await;
    click_one(s, "[data-testid=import-run]").await;
    let result = s
        .wait_for("the import's result", || async {
            let r = s.find_all("[data-testid=import-result]").await.pop()?;
            Some(s.text(&r).await)
        })
        .await;
    assert!(result.contains("Read 1 page: 1 new"), "{result}");
    // By its heading: WebKitWebDriver reads no text from a line-clamped box (the body),
    // though it is on screen (admin-knowledge-import.png).
    s.wait_for("the imported entry", || async {
        for e in s.find_all("[data-testid=knowledge-entry]").await {
            if s.text(&e).await.contains("Car park") {
                return Some(());
            }
        }
        None
    })
    .await;
    s.screenshot(&e2e_dir().join("admin-knowledge-import.png")).await;
}

async fn a_webhook_is_created_and_tested(s: &Session<'_>) {
    let mut receiver = switchboard_tests::receiver::Receiver::start().await;
    click_one(s, "[data-testid=nav-admin]").await;
    click_one(s, "[data-testid=tab-webhooks]").await;
    click_one(s, "[data-testid=new-webhook]").await;
    let url = s.wait_for("the webhook form", || async { s.find_all("[data-testid=webhook-url]").await.pop() }).await;
    s.type_text(&url, &receiver.url).await;
    click_one(s, "[data-testid=save-webhook]").await;
    let secret = s
        .wait_for("the signing secret, shown once", || async {
            let field = s.find_all("[data-testid=secret-value]").await.pop()?;
            let v = s.attribute(&field, "value").await;
            v.starts_with("whsec_").then_some(v)
        })
        .await;
    s.screenshot(&e2e_dir().join("admin-secret.png")).await;
    click_one(s, "[data-testid=secret-done]").await;
    click_one(s, "[data-testid=test-webhook]").await;
    let got = tokio::time::timeout(std::time::Duration::from_secs(30), receiver.next()).await.expect("a test delivery");
    s.wait_for("the delivery in the log", || async {
        s.find_all("[data-testid=delivery-row][data-state=succeeded][data-event=test]").await.pop()
    })
    .await;
    s.screenshot(&e2e_dir().join("admin-webhooks.png")).await;
    // What arrived verifies with the secret the window showed.
    let receiver_check = standardwebhooks::Webhook::new(&secret).unwrap();
    let mut headers = http::HeaderMap::new();
    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        headers.insert(name, got.header(name).parse().unwrap());
    }
    assert!(receiver_check.verify(&got.body, &headers).is_ok(), "the test delivery is signed with the shown secret");
}

async fn a_remote_workspace_offline_then_back(s: &Session<'_>) {
    let t = switchboard_tests::TestServer::start(true).await;
    let conversation = t.contact_writes("+14155550199").await;
    click_one(s, "[data-testid=nav-settings]").await;
    let fields = [
        ("[data-testid=workspace-name-input]", "clinic".to_string()),
        ("[data-testid=workspace-url]", t.server.base_url()),
        ("[data-testid=workspace-key]", t.key.clone()),
    ];
    for (css, value) in fields {
        let field = s.wait_for(css, || async { s.find_all(css).await.pop() }).await;
        s.type_text(&field, &value).await;
    }
    click_one(s, "[data-testid=add-workspace]").await;
    // The window reloads on the remote workspace.
    s.wait_for("the remote workspace open", || async {
        let mode = s.find_all("[data-testid=workspace-name]").await.pop()?;
        s.find_all(".mode").await.is_empty().then_some(mode)
    })
    .await;
    desktop::open_by_id(s, &conversation).await;

    // The server goes away; a reply is written anyway and waits.
    let addr = t.server.addr();
    let switchboard_tests::TestServer { server, dir, .. } = t;
    let db = dir.path().join("server.sqlite3");
    server.shutdown().await;
    s.wait_for("the badge to say offline", || async {
        let status = s.find_all("[data-testid=sync-status]").await.pop()?;
        (s.attribute(&status, "data-state").await == "offline").then_some(())
    })
    .await;
    let reply = "Written while the server was away";
    let input = s.find_all("[data-testid=composer-input]").await;
    s.type_text(&input[0], reply).await;
    click_one(s, "[data-testid=send-button]").await;
    s.wait_for("the reply waiting for the connection", || async {
        s.find_all("[data-testid=pending-send][data-state=pending]").await.pop()
    })
    .await;
    s.screenshot(&e2e_dir().join("offline.png")).await;

    // Back: it goes once, and the window shows it delivered.
    let back = switchboard_server::Server::start(switchboard_tests::config(db.clone(), true, addr)).await.unwrap();
    s.wait_for("the reply sent", || async {
        for m in s.find_all("[data-testid=message][data-author=member]").await {
            if s.text(&m).await.contains(reply) {
                return Some(());
            }
        }
        None
    })
    .await;
    let stored: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM messages WHERE body = ?1", [reply], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 1, "delivered exactly once");
    back.shutdown().await;
}

/// The titles of the notifications shown so far that start with `prefix`.
fn notified(log: &std::path::Path, prefix: &str) -> Vec<String> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let quoted = format!("string \"{prefix}");
    text.lines()
        .filter_map(|l| l.trim().strip_prefix(&quoted))
        .map(|rest| rest.trim_end_matches('"').to_owned())
        .collect()
}

async fn escalation_notifies_and_a_click_opens_it(s: &Session<'_>, log: &std::path::Path) {
    // The simulator's visitors ask for a person now and then; the AI agent escalates.
    s.wait_for("an escalation notification", || async { (!notified(log, "Escalated: ").is_empty()).then_some(()) })
        .await;
    // Leave the inbox, then click the newest notification in the notification daemon. A
    // fresh one: a notification shown earlier may have timed out of the screen by now.
    let settings = s.find_all("[data-testid=nav-settings]").await;
    s.click(&settings[0]).await;
    let before = notified(log, "Escalated: ").len();
    s.wait_for("a new escalation notification", || async {
        (notified(log, "Escalated: ").len() > before).then_some(())
    })
    .await;
    let clicked = Command::new("dunstctl").args(["action", "0"]).status().expect("dunstctl");
    assert!(clicked.success());
    let title = s
        .wait_for("the notified conversation to open", || async {
            let t = s.find_all("[data-testid=transcript-title]").await;
            let title = s.text(t.first()?).await;
            s.find_all("[data-testid=escalation]").await.first()?;
            (!title.is_empty()).then_some(title)
        })
        .await;
    let names = notified(log, "Escalated: ");
    assert!(names.contains(&title), "{title} is one of the escalations notified: {names:?}");
    assert!(!names.is_empty());
    s.screenshot(&e2e_dir().join("escalation.png")).await;
}

/// Opens the first conversation whose list row contains `text` and `also`; returns its id.
/// The row is chosen once by its id, then opened by that id: the list may reorder while
/// the agent answers in the background, and a click aimed at a row that moved lands on
/// its neighbour, so the opening is checked against the transcript and retried.
async fn open_row(s: &Session<'_>, text: &str, also: &str) -> String {
    let id = s
        .wait_for(&format!("a conversation with {text:?} listed"), || async {
            for item in s.find_all("[data-testid=conversation-item]").await {
                let shown = s.text(&item).await;
                if shown.contains(text) && shown.contains(also) {
                    return Some(s.attribute(&item, "data-conversation-id").await);
                }
            }
            None
        })
        .await;
    desktop::open_by_id(s, &id).await;
    id
}

async fn reply_with_an_ai_draft(s: &Session<'_>, conn: &rusqlite::Connection) {
    // A web chat (no WhatsApp window there) where the visitor waits for an answer: a draft
    // is offered only where the last word is the visitor's.
    let id = open_row(s, "waiting", "Web chat").await;
    let ask = s.find_all("[data-testid=ai-draft]").await;
    s.click(&ask[0]).await;
    let draft = s
        .wait_for("the AI draft in the composer", || async {
            s.find_all("[data-testid=draft]").await.first()?;
            let input = s.find_all("[data-testid=composer-input]").await;
            let value = s.attribute(input.first()?, "value").await;
            (!value.trim().is_empty()).then_some(value)
        })
        .await;
    let panel = s.find_all("[data-testid=draft]").await;
    assert!(s.text(&panel[0]).await.contains("confidence"), "the draft says how sure the AI is");
    s.screenshot(&e2e_dir().join("ai-draft.png")).await;
    // The agent edits it, then sends.
    let input = s.find_all("[data-testid=composer-input]").await;
    s.type_text(&input[0], " (checked by the team)").await;
    let sent = format!("{} (checked by the team)", draft.trim());
    let send = s.find_all("[data-testid=send-button]").await;
    s.click(&send[0]).await;
    // Held for the undo window first, then on the server.
    s.wait_for("the send held with an undo", || async {
        let held = s.find_all("[data-testid=pending-send][data-state=held]").await;
        (!held.is_empty()).then_some(())
    })
    .await;
    s.wait_for("the edited draft sent", || async {
        for m in s.find_all("[data-testid=message][data-author=member]").await {
            if s.text(&m).await.contains(&sent) {
                return Some(());
            }
        }
        None
    })
    .await;
    let stored: i64 = conn
        .query_row(
            "SELECT count(*) FROM messages WHERE body = ?1 AND conversation_id = ?2 AND author = 'member'",
            [&sent, &id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, 1, "the reply reached the server once");
}

async fn search_finds_an_old_message(s: &Session<'_>, conn: &rusqlite::Connection) {
    // The oldest message from a visitor, found by its longest word.
    let body: String = conn
        .query_row(
            "SELECT body FROM messages WHERE direction = 'inbound' AND kind = 'text' ORDER BY created_at LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let word: String = body.split(|c: char| !c.is_alphanumeric()).max_by_key(|w| w.chars().count()).unwrap().to_owned();
    let search = s.find_all("[data-testid=global-search]").await;
    s.type_text(&search[0], &word).await;
    let hit = s
        .wait_for("search hits", || async {
            let hits = s.find_all("[data-testid=search-hit]").await;
            for h in hits {
                if s.text(&h).await.to_lowercase().contains(&word.to_lowercase()) {
                    return Some(h);
                }
            }
            None
        })
        .await;
    s.screenshot(&e2e_dir().join("search.png")).await;
    s.click(&hit).await;
    let focused = s
        .wait_for("the conversation opened at the message", || async {
            let f = s.find_all("[data-testid=message].focused").await;
            let text = s.text(f.first()?).await;
            Some((s.attribute(&f[0], "data-message-id").await, text))
        })
        .await;
    assert!(focused.1.to_lowercase().contains(&word.to_lowercase()), "{focused:?} should contain {word}");
    let stored: i64 =
        conn.query_row("SELECT count(*) FROM messages WHERE id = ?1", [&focused.0], |r| r.get(0)).unwrap();
    assert_eq!(stored, 1, "the focused row is the message the hit named");
}

async fn keyboard_and_palette(s: &Session<'_>) {
    s.press("k", true).await;
    let input =
        s.wait_for("the command palette", || async { s.find_all("[data-testid=palette-input]").await.pop() }).await;
    s.type_text(&input, "go to leads").await;
    s.type_text(&input, "\u{E007}").await;
    s.wait_for("the leads view", || async { s.find_all("[data-testid=leads-view]").await.pop() }).await;
    s.screenshot(&e2e_dir().join("leads.png")).await;
    let inbox = s.find_all("[data-testid=nav-inbox]").await;
    s.click(&inbox[0]).await;
    // j moves to the next conversation (from the top one, so there is a next), ? shows the
    // shortcuts.
    let before = s
        .wait_for("the top conversation opened", || async {
            let rows = s.find_all("[data-testid=conversation-item]").await;
            let id = s.attribute(rows.first()?, "data-conversation-id").await;
            if !s.click_live(&rows[0]).await {
                return None;
            }
            let t = s.find_all("[data-testid=transcript]").await;
            (s.attribute(t.first()?, "data-conversation-id").await == id).then_some(id)
        })
        .await;
    s.press("j", false).await;
    s.wait_for("j to open another conversation", || async {
        let t = s.find_all("[data-testid=transcript]").await;
        let now = s.attribute(t.first()?, "data-conversation-id").await;
        (!now.is_empty() && now != before).then_some(())
    })
    .await;
    s.press("?", false).await;
    s.wait_for("the shortcut help", || async { s.find_all("[data-testid=shortcut-help]").await.pop() }).await;
    s.press("Escape", false).await;
}

/// Screenshots for people to look at (`target/e2e/`), not asserted on.
fn e2e_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/e2e")
}
