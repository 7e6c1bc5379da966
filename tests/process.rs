//! The real `switchboard serve` process, for tests that kill it with SIGKILL and start
//! it again on the same database.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// `target/<profile>/switchboard`, built with the workspace (next to the tests' `deps/`).
pub fn cli_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(Path::parent).unwrap();
    let bin = dir.join(format!("switchboard{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.exists(), "build the CLI first (cargo build -p switchboard-cli): {}", bin.display());
    bin
}

pub struct Process {
    pub child: Child,
    /// The admin key the first start printed.
    pub key: Option<String>,
}

impl Process {
    /// Starts `switchboard serve` on `db` and waits for it to listen. Webhooks and pages
    /// may reach this machine, where the tests' receivers are.
    pub async fn serve(db: &Path, port: u16, extra: &[&str]) -> Self {
        Self::start(db, port, extra, "warn", Stdio::inherit()).await
    }

    /// Like [`Process::serve`], logging at `level` into `log` (appended).
    pub async fn serve_logging(db: &Path, port: u16, level: &str, log: &Path) -> Self {
        let file = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
        Self::start(db, port, &[], level, Stdio::from(file)).await
    }

    async fn start(db: &Path, port: u16, extra: &[&str], level: &str, stderr: Stdio) -> Self {
        let mut child = Command::new(cli_binary())
            .args(["serve", "--webhooks-allow-loopback", "--bind", &format!("127.0.0.1:{port}"), "--db"])
            .arg(db)
            .args(extra)
            .env("RUST_LOG", level)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut key = None;
        let listening = tokio::time::timeout(Duration::from_secs(30), async {
            while let Some(line) = lines.next_line().await.unwrap() {
                let line = line.trim();
                if line.starts_with("sb_live_") {
                    key = Some(line.to_owned());
                }
                if line.starts_with("Listening.") {
                    return;
                }
            }
            panic!("the server exited before listening");
        })
        .await;
        assert!(listening.is_ok(), "the server did not start in 30 s");
        Self { child, key }
    }

    /// SIGKILL, and waits for the process to be gone.
    pub async fn kill(&mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }
}

pub use crate::webdriver::free_port;
