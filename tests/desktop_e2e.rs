//! The real desktop app under Xvfb, driven through tauri-driver and WebKitWebDriver with
//! plain WebDriver HTTP calls: it opens on the local workspace, lists the demo
//! conversations, grows as the simulator writes, and a reply typed in the window reaches
//! the server's SQLite file.
//!
//! Needs the built app, tauri-driver, a display and a keychain: `make test` provides all of
//! them and runs this with `--run-ignored`.

#![allow(clippy::unwrap_used)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use std::time::{Duration, Instant};

use serde_json::{Value, json};

const APP_IDENTIFIER: &str = "dev.switchboard.desktop";
const DEADLINE: Duration = Duration::from_secs(60);

struct Driver {
    child: Child,
    base: String,
    http: reqwest::Client,
    log: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            eprintln!("--- tauri-driver, WebKitWebDriver and app output ---\n{log}");
        }
    }
}

impl Driver {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.call_live(method, path, body).await.unwrap_or_else(|| panic!("WebDriver {path}: stale element"))
    }

    /// Like [`Driver::call`], but `None` when the element is gone: the live window
    /// re-renders (new messages, a conversation opening) between finding an element and
    /// reading it, and polling reads then look again.
    async fn call_live(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Option<Value> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let value: Value = res.json().await.unwrap();
        if value["value"]["error"] == "stale element reference" {
            return None;
        }
        assert!(status.is_success(), "WebDriver {path} answered {status}: {value}");
        Some(value["value"].clone())
    }
}

struct Session<'d> {
    driver: &'d Driver,
    id: String,
}

impl Session<'_> {
    async fn find_all(&self, css: &str) -> Vec<String> {
        let found = self
            .driver
            .call(
                reqwest::Method::POST,
                &format!("/session/{}/elements", self.id),
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_object().unwrap().values().next().unwrap().as_str().unwrap().to_owned())
            .collect()
    }

    /// The element's text; empty if it left the page meanwhile.
    async fn text(&self, element: &str) -> String {
        let path = format!("/session/{}/element/{element}/text", self.id);
        let v = self.driver.call_live(reqwest::Method::GET, &path, None).await;
        v.as_ref().and_then(Value::as_str).unwrap_or_default().to_owned()
    }

    /// The attribute's value; empty if the element left the page meanwhile.
    async fn attribute(&self, element: &str, name: &str) -> String {
        let path = format!("/session/{}/element/{element}/attribute/{name}", self.id);
        let v = self.driver.call_live(reqwest::Method::GET, &path, None).await;
        v.as_ref().and_then(Value::as_str).unwrap_or_default().to_owned()
    }

    async fn click(&self, element: &str) {
        assert!(self.click_live(element).await, "the element to click left the page");
    }

    /// Clicks, or `false` if the element left the page (the list re-rendered) first.
    async fn click_live(&self, element: &str) -> bool {
        let path = format!("/session/{}/element/{element}/click", self.id);
        self.driver.call_live(reqwest::Method::POST, &path, Some(json!({}))).await.is_some()
    }

    async fn type_text(&self, element: &str, text: &str) {
        self.driver
            .call(
                reqwest::Method::POST,
                &format!("/session/{}/element/{element}/value", self.id),
                Some(json!({"text": text})),
            )
            .await;
    }

    /// Polls `probe` until it returns `Some`, failing after [`DEADLINE`].
    async fn wait_for<T, F, Fut>(&self, what: &str, probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        switchboard_tests::eventually(what, DEADLINE, probe).await
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

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
    let child = Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()))
        .args(["--port", &port.to_string(), "--native-port", &free_port().to_string()])
        .env("XDG_DATA_HOME", &data_home)
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("NO_AT_BRIDGE", "1")
        .env("SWITCHBOARD_SIMULATE_EVERY_MS", "1000")
        .stdout(Stdio::from(std::fs::File::create(&log).unwrap()))
        .stderr(Stdio::from(std::fs::File::options().append(true).open(&log).unwrap()))
        .spawn()
        .expect("tauri-driver on PATH (make test installs it)");
    let driver = Driver { child, base: format!("http://127.0.0.1:{port}"), http: reqwest::Client::new(), log };

    let start = Instant::now();
    while driver.http.get(format!("{}/status", driver.base)).send().await.is_err() {
        assert!(start.elapsed() < DEADLINE, "tauri-driver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let caps = json!({"capabilities": {"alwaysMatch": {
        "browserName": "wry",
        "tauri:options": {"application": app_binary()}
    }}});
    let created = driver.call(reqwest::Method::POST, "/session", Some(caps)).await;
    let s = Session { driver: &driver, id: created["sessionId"].as_str().unwrap().to_owned() };

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

    save_screenshot(&driver, &s, "transcript.png").await;

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
    save_screenshot(&driver, &s, "note.png").await;

    driver.call(reqwest::Method::DELETE, &format!("/session/{}", s.id), None).await;
}

/// Kept for people to look at (`target/e2e/NAME`), not asserted on.
async fn save_screenshot(driver: &Driver, s: &Session<'_>, name: &str) {
    let shot = driver.call(reqwest::Method::GET, &format!("/session/{}/screenshot", s.id), None).await;
    if let Some(png) =
        shot.as_str().and_then(|b| base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b).ok())
    {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/e2e");
        let _ = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join(name), png));
    }
}
