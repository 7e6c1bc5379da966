//! A WebDriver client over plain HTTP calls, for the real app (tauri-driver and
//! WebKitWebDriver) and the real browser (ChromeDriver and Chromium). Reads and clicks
//! of elements that a live page re-rendered meanwhile look again instead of failing.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long a page gets to show what a test waits for.
pub const DEADLINE: Duration = Duration::from_secs(60);

pub struct Driver {
    child: Child,
    base: String,
    http: reqwest::Client,
    log: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole process group: tauri-driver's WebKitWebDriver and the app it started
        // too. Left behind by a failed test, they held the display's next session (a
        // screenshot walk hung until its timeout).
        #[cfg(unix)]
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", self.child.id())]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            eprintln!("--- tauri-driver, WebKitWebDriver and app output ---\n{log}");
        }
    }
}

impl Driver {
    /// Starts a WebDriver server (`command`, which must listen on `port`), its output
    /// going to `log`, and waits until it answers.
    pub async fn spawn(mut command: Command, port: u16, log: PathBuf) -> Self {
        // Its own process group, so that dropping the driver ends everything it started.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .stdout(Stdio::from(std::fs::File::create(&log).unwrap()))
            .stderr(Stdio::from(std::fs::File::options().append(true).open(&log).unwrap()))
            .spawn()
            .unwrap_or_else(|e| panic!("{command:?} could not start: {e}"));
        let driver = Self { child, base: format!("http://127.0.0.1:{port}"), http: reqwest::Client::new(), log };
        let start = Instant::now();
        while driver.http.get(format!("{}/status", driver.base)).send().await.is_err() {
            assert!(start.elapsed() < DEADLINE, "the WebDriver server did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        driver
    }

    /// A new session with these capabilities.
    pub async fn session(&self, capabilities: Value) -> Session<'_> {
        let created = self.call(reqwest::Method::POST, "/session", Some(json!({"capabilities": capabilities}))).await;
        Session { driver: self, id: created["sessionId"].as_str().unwrap().to_owned() }
    }

    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.call_live(method, path, body).await.unwrap_or_else(|| panic!("WebDriver {path}: stale element"))
    }

    /// Like [`Driver::call`], but `None` when the element is gone: the live window
    /// re-renders (new messages, a conversation opening) between finding an element and
    /// reading it, and polling reads then look again.
    pub async fn call_live(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Option<Value> {
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

pub struct Session<'d> {
    driver: &'d Driver,
    pub id: String,
}

impl Session<'_> {
    pub async fn navigate(&self, url: &str) {
        self.driver.call(reqwest::Method::POST, &format!("/session/{}/url", self.id), Some(json!({"url": url}))).await;
    }

    /// Saves a PNG of the window, for people to look at (not asserted on).
    pub async fn screenshot(&self, path: &Path) {
        let shot = self.driver.call(reqwest::Method::GET, &format!("/session/{}/screenshot", self.id), None).await;
        if let Some(png) =
            shot.as_str().and_then(|b| base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b).ok())
        {
            let _ = path.parent().map(std::fs::create_dir_all);
            let _ = std::fs::write(path, png);
        }
    }

    pub async fn end(self) {
        self.driver.call(reqwest::Method::DELETE, &format!("/session/{}", self.id), None).await;
    }

    pub async fn find_all(&self, css: &str) -> Vec<String> {
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
    pub async fn text(&self, element: &str) -> String {
        let path = format!("/session/{}/element/{element}/text", self.id);
        let v = self.driver.call_live(reqwest::Method::GET, &path, None).await;
        v.as_ref().and_then(Value::as_str).unwrap_or_default().to_owned()
    }

    /// The attribute's value; empty if the element left the page meanwhile.
    pub async fn attribute(&self, element: &str, name: &str) -> String {
        let path = format!("/session/{}/element/{element}/attribute/{name}", self.id);
        let v = self.driver.call_live(reqwest::Method::GET, &path, None).await;
        v.as_ref().and_then(Value::as_str).unwrap_or_default().to_owned()
    }

    pub async fn click(&self, element: &str) {
        assert!(self.click_live(element).await, "the element to click left the page");
    }

    /// Clicks, or `false` if the element left the page (the list re-rendered) first.
    pub async fn click_live(&self, element: &str) -> bool {
        let path = format!("/session/{}/element/{element}/click", self.id);
        self.driver.call_live(reqwest::Method::POST, &path, Some(json!({}))).await.is_some()
    }

    pub async fn type_text(&self, element: &str, text: &str) {
        self.driver
            .call(
                reqwest::Method::POST,
                &format!("/session/{}/element/{element}/value", self.id),
                Some(json!({"text": text})),
            )
            .await;
    }

    /// Runs a script in the page and returns its value.
    pub async fn execute(&self, script: &str, args: Value) -> Value {
        self.driver
            .call(
                reqwest::Method::POST,
                &format!("/session/{}/execute/sync", self.id),
                Some(json!({"script": script, "args": args})),
            )
            .await
    }

    /// Runs a script that ends by calling its last argument, and returns what it passed.
    pub async fn execute_async(&self, script: &str, args: Value) -> Value {
        self.driver
            .call(
                reqwest::Method::POST,
                &format!("/session/{}/execute/async", self.id),
                Some(json!({"script": script, "args": args})),
            )
            .await
    }

    /// Presses a key on the page as the agent would (`key` as in `KeyboardEvent.key`).
    pub async fn press(&self, key: &str, ctrl: bool) {
        let script = "window.dispatchEvent(new KeyboardEvent('keydown', {key: arguments[0], ctrlKey: arguments[1], bubbles: true}))";
        self.execute(script, json!([key, ctrl])).await;
    }

    /// Polls `probe` until it returns `Some`, failing after [`DEADLINE`].
    pub async fn wait_for<T, F, Fut>(&self, what: &str, probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        crate::eventually(what, DEADLINE, probe).await
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}
