//! Test harness: a real server on 127.0.0.1:0 over a real SQLite file, and helpers to
//! look at that file directly (the independent witness of what was written).

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use switchboard_client::Client;
use switchboard_server::{RunningServer, Server, ServerConfig};
use tempfile::TempDir;

pub mod desktop;
pub mod graph;
pub mod model;
pub mod node_receiver;
pub mod process;
pub mod receiver;
pub mod webdriver;

pub struct TestServer {
    pub server: RunningServer,
    pub key: String,
    pub dir: TempDir,
    pub conformance: ConformanceGuard,
}

/// Fails the test, when it is dropped, if any answer the server gave did not match the
/// served OpenAPI document.
pub struct ConformanceGuard(Option<Arc<switchboard_server::Conformance>>);

impl ConformanceGuard {
    pub fn of(server: &RunningServer) -> Self {
        Self(server.conformance())
    }
}

impl Drop for ConformanceGuard {
    fn drop(&mut self) {
        let violations = self.0.as_ref().map(|c| c.violations()).unwrap_or_default();
        if !violations.is_empty() && !std::thread::panicking() {
            panic!("{} answers do not match the OpenAPI document:\n{}", violations.len(), violations.join("\n"));
        }
    }
}

impl TestServer {
    /// A fresh server; `demo` seeds the clinic. The simulator stays off: tests write
    /// visitor messages themselves with `simulate_visitor`, when they want them.
    pub async fn start(demo: bool) -> Self {
        Self::start_with(demo, |_| {}).await
    }

    /// Like [`TestServer::start`], with changes to the configuration.
    pub async fn start_with(demo: bool, change: impl FnOnce(&mut ServerConfig)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut config = config(dir.path().join("server.sqlite3"), demo, "127.0.0.1:0".parse().unwrap());
        change(&mut config);
        let mut server = Server::start(config).await.unwrap();
        let key = server.take_first_key().expect("first start issues a key").plaintext;
        Self::from_parts(server, key, dir)
    }

    /// A test server around a server the test started itself.
    pub fn from_parts(server: RunningServer, key: String, dir: TempDir) -> Self {
        let conformance = ConformanceGuard::of(&server);
        Self { server, key, dir, conformance }
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("server.sqlite3")
    }

    pub fn client(&self) -> Client {
        Client::new(&self.server.base_url(), self.key.clone()).unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.server.base_url())
    }

    /// The contact at `phone` writes on WhatsApp, which opens the 24-hour window for
    /// free-text replies. Returns the conversation id.
    pub async fn contact_writes(&self, phone: &str) -> String {
        let ws = self.server.workspace().id.clone();
        let message = self.server.receive(&ws, phone, switchboard_api::Channel::Whatsapp, "Hello!").await.unwrap();
        message.conversation_id
    }

    /// Row counts straight from the server's SQLite file.
    pub fn counts(&self) -> Counts {
        counts(&self.db_path())
    }
}

pub fn config(db_path: PathBuf, demo: bool, bind: SocketAddr) -> ServerConfig {
    // Receivers in tests listen on loopback; the agent runs only where a test asks for it;
    // every answer is held to the OpenAPI document (`TestServer`'s drop checks).
    let mut config = ServerConfig { demo, ai_agent: false, check_responses: true, ..ServerConfig::new(db_path, bind) };
    config.webhooks.policy.allow_loopback = true;
    config
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub contacts: i64,
    pub conversations: i64,
    pub messages: i64,
    /// Leads, appointments, labels, templates, knowledge entries and read markers.
    pub records: i64,
    pub last_seq: i64,
}

pub fn counts(path: &std::path::Path) -> Counts {
    let conn = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let n = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    Counts {
        contacts: n("SELECT count(*) FROM contacts"),
        conversations: n("SELECT count(*) FROM conversations"),
        messages: n("SELECT count(*) FROM messages"),
        records: ["leads", "appointments", "labels", "templates", "knowledge", "read_markers"]
            .iter()
            .map(|t| n(&format!("SELECT count(*) FROM {t}")))
            .sum(),
        last_seq: n("SELECT COALESCE(max(last_seq), 0) FROM workspaces"),
    }
}

/// The current time as the server writes it (RFC 3339 UTC, milliseconds), to compare with.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A plain HTTP client for requests the typed client would never send.
pub fn raw() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap()
}

/// One request with the given key; the status and the JSON body (`null` if none).
pub async fn call(
    t: &TestServer,
    key: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut req = raw().request(method, t.url(path)).bearer_auth(key);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(serde_json::Value::Null))
}

/// Replaces one bench's section of docs/benchmarks.md (between `<!-- name -->` markers),
/// so each bench rewrites its own results and keeps the others'.
pub fn write_benchmark_section(name: &str, markdown: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/benchmarks.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n".to_owned());
    let (open, close) = (format!("<!-- {name} -->"), format!("<!-- /{name} -->"));
    let section = format!("{open}\n{}\n{close}", markdown.trim_end());
    let doc = match (doc.find(&open), doc.find(&close)) {
        (Some(start), Some(end)) if end > start => format!("{}{section}{}", &doc[..start], &doc[end + close.len()..]),
        _ => format!("{}\n\n{section}\n", doc.trim_end()),
    };
    std::fs::write(&path, doc).unwrap();
    println!("wrote {}", path.display());
}

/// Polls `probe` until it gives a value, failing after `deadline`: for what happens in the
/// background (the AI agent answering, a window re-rendering).
pub async fn eventually<T, F, Fut>(what: &str, deadline: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = std::time::Instant::now();
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(start.elapsed() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
