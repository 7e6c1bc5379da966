//! The CAAC docs' Node.js verification recipe as a webhook receiver (`tests/node/
//! caac_receiver.js`), run in a real `node`: what a CAAC customer's receiver accepts.

use std::process::Stdio;
use std::time::Duration;

use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

/// One delivery as the recipe judged it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Judged {
    pub hook: String,
    pub event: Option<String>,
    pub batch: bool,
    pub verified: bool,
    pub webhook_id: Option<String>,
}

pub struct NodeReceiver {
    base: String,
    lines: Lines<BufReader<ChildStdout>>,
    _child: Child,
}

impl NodeReceiver {
    pub async fn start() -> Self {
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("node/caac_receiver.js");
        let mut child = Command::new("node")
            .arg(script)
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs (make test installs it)");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let first = lines.next_line().await.expect("read").expect("the receiver prints its port");
        let port = serde_json::from_str::<serde_json::Value>(&first).expect("json")["port"].as_u64().expect("port");
        Self { base: format!("http://127.0.0.1:{port}"), lines, _child: child }
    }

    /// Where the receiver called `name` listens.
    pub fn url(&self, name: &str) -> String {
        format!("{}/hook/{name}", self.base)
    }

    /// Gives the receiver called `name` the secret it verifies with, as a customer sets
    /// `WEBHOOK_SIGNING_SECRET`.
    pub async fn set_secret(&self, name: &str, secret: &str) {
        let status = crate::raw()
            .post(format!("{}/secret/{name}", self.base))
            .body(secret.to_owned())
            .send()
            .await
            .expect("receiver answers")
            .status();
        assert_eq!(status, 204);
    }

    /// The next delivery judged, waiting up to 15 s.
    pub async fn next(&mut self) -> Judged {
        let line = tokio::time::timeout(Duration::from_secs(15), self.lines.next_line())
            .await
            .expect("a delivery within 15 s")
            .expect("read")
            .expect("the receiver is running");
        serde_json::from_str(&line).expect("a judged delivery")
    }

    /// The next `n` deliveries judged.
    pub async fn take(&mut self, n: usize) -> Vec<Judged> {
        let mut all = Vec::with_capacity(n);
        for _ in 0..n {
            all.push(self.next().await);
        }
        all
    }
}
