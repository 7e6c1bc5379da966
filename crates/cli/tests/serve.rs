//! `switchboard serve`, the real binary: first start prints the admin key once.

#![allow(clippy::unwrap_used)]

use std::process::Command;

mod common;
use common::Serve;

#[tokio::test]
async fn first_start_prints_a_working_key_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let first = Serve::start(&db, "127.0.0.1:0", &[]);
    let key = first.key().expect("the first start prints the admin key");
    let me: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/api/v1/me", first.base_url()))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["ok"], true);
    drop(first);

    let second = Serve::start(&db, "127.0.0.1:0", &[]);
    assert_eq!(second.key(), None, "the key is shown once only: {:?}", second.lines);
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
