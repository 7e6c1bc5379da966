//! `switchboard serve`, the real binary: first start prints the admin key once.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct Serve {
    child: Child,
    lines: Vec<String>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `serve` and reads its output up to the "Listening" line.
fn serve(db: &std::path::Path) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["serve", "--bind", "127.0.0.1:0", "--db"])
        .arg(db)
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
    Serve { child, lines }
}

fn base_url(lines: &[String]) -> String {
    let line = lines.iter().find(|l| l.starts_with("Workspace")).unwrap();
    let url = line.split(" at ").nth(1).unwrap();
    url.trim_end_matches("/api/v1").to_owned()
}

fn printed_key(lines: &[String]) -> Option<String> {
    lines.iter().map(|l| l.trim()).find(|l| l.starts_with("sb_live_")).map(str::to_owned)
}

#[tokio::test]
async fn first_start_prints_a_working_key_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let first = serve(&db);
    let key = printed_key(&first.lines).expect("the first start prints the admin key");
    let me: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/api/v1/me", base_url(&first.lines)))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["ok"], true);
    drop(first);

    let second = serve(&db);
    assert_eq!(printed_key(&second.lines), None, "the key is shown once only: {:?}", second.lines);
}

#[test]
fn an_unusable_database_path_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_folder = dir.path().join("file");
    std::fs::write(&not_a_folder, "x").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["serve", "--bind", "127.0.0.1:0", "--db"])
        .arg(not_a_folder.join("server.sqlite3"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("could not start the server"), "{stderr}");
}

#[test]
fn a_bad_bind_address_is_refused_before_anything_starts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let out = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["serve", "--bind", "localhost:eighty", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "clap's usage error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--bind"));
    assert!(!db.exists(), "nothing was written");
}
