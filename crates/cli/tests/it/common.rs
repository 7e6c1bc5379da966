//! The real `switchboard` binary: a server it runs, and commands run against it.

#![allow(clippy::unwrap_used, dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct Serve {
    pub child: Child,
    pub lines: Vec<String>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    /// `switchboard serve` on `bind` over `db`, read up to its "Listening" line.
    pub fn start(db: &Path, bind: &str, extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .args(["serve", "--bind", bind, "--db"])
            .arg(db)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = Vec::new();
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            let line = line.unwrap();
            let done = line.starts_with("Listening");
            lines.push(line);
            if done {
                break;
            }
        }
        assert!(lines.last().is_some_and(|l| l.starts_with("Listening")), "serve did not start: {lines:?}");
        Self { child, lines }
    }

    pub fn base_url(&self) -> String {
        let line = self.lines.iter().find(|l| l.starts_with("Workspace")).unwrap();
        line.split(" at ").nth(1).unwrap().trim_end_matches("/api/v1").to_owned()
    }

    pub fn key(&self) -> Option<String> {
        self.lines.iter().map(|l| l.trim()).find(|l| l.starts_with("sb_live_")).map(str::to_owned)
    }
}

/// What a command did.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"))
    }
}

/// Commands with their own profiles folder.
pub struct Cli {
    pub home: tempfile::TempDir,
}

impl Cli {
    pub fn new() -> Self {
        Self { home: tempfile::tempdir().unwrap() }
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_switchboard"));
        c.args(args)
            .env("SWITCHBOARD_HOME", self.home.path())
            .env_remove("SWITCHBOARD_API_KEY")
            .env_remove("SWITCHBOARD_PROFILE");
        c
    }

    pub fn run(&self, args: &[&str]) -> Out {
        self.run_with_input(args, "")
    }

    pub fn run_with_input(&self, args: &[&str], input: &str) -> Out {
        let mut child =
            self.command(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        Out {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn cache(&self, profile: &str) -> PathBuf {
        self.home.path().join("caches").join(format!("{profile}.sqlite3"))
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}
