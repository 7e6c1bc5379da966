//! `switchboard serve`, the real binary: first start prints the admin key once.

#![allow(clippy::unwrap_used)]

use std::process::Command;

use crate::common::Serve;

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
    assert_eq!(out.status.code(), Some(5), "this machine's files");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("could not start the server") && stderr.contains("(serve_failed)"), "{stderr}");
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

/// A server that cannot start says why like every other error: one line with its code,
/// or `{error, code}` with `--json`, and exit 5 (this machine's files or address).
#[test]
fn a_server_that_cannot_start_reports_it_like_other_errors() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let bind = taken.local_addr().unwrap().to_string();
    let db = dir.path().join("server.sqlite3");
    let run = |json: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_switchboard"));
        if json {
            c.arg("--json");
        }
        c.args(["serve", "--bind", &bind, "--db"]).arg(&db).output().unwrap()
    };
    let out = run(false);
    assert_eq!(out.status.code(), Some(5), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr.lines().find(|l| l.starts_with("error: ")).unwrap_or_else(|| panic!("{stderr}"));
    assert!(line.ends_with(" (serve_failed)"), "{line}");

    let out = run(true);
    assert_eq!(out.status.code(), Some(5), "{out:?}");
    let error: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(error["code"], "serve_failed");
    drop(taken);
}

fn switchboard(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_switchboard")).args(args).output().unwrap()
}

/// The server key: made owner-only beside the database on first start, refused when
/// others can read it, rotated with the server stopped (never under a running one), and
/// after a rotation the secrets still open (a start unseals every one of them).
#[tokio::test]
async fn the_server_key_is_private_and_rotates_with_the_server_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let key_file = dir.path().join("server.sqlite3.key");
    let server = Serve::start(&db, "127.0.0.1:0", &[]);
    let admin = server.key().unwrap();
    let created: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/api/v1/webhooks", server.base_url()))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"url": "https://hooks.example/in"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = created["secret"].as_str().unwrap().to_owned();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777, 0o600);
    }

    let typo = dir.path().join("sever.sqlite3");
    let missing = switchboard(&["--json", "secret-key", "rotate", "--db", typo.to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(5), "{missing:?}");
    assert!(!typo.exists(), "a mistyped --db makes no database");
    let running = switchboard(&["--json", "secret-key", "rotate", "--db", db.to_str().unwrap()]);
    assert_eq!(running.status.code(), Some(5), "{running:?}");
    let refused: serde_json::Value = serde_json::from_slice(&running.stdout).unwrap();
    assert_eq!(refused["code"], "secret_key_rotation_failed");
    assert!(refused["error"].as_str().unwrap().contains("another Switchboard server"), "{refused}");
    drop(server);

    let before = std::fs::read_to_string(&key_file).unwrap();
    let rotated = switchboard(&["--json", "secret-key", "rotate", "--db", db.to_str().unwrap()]);
    assert_eq!(rotated.status.code(), Some(0), "{rotated:?}");
    let rotated: serde_json::Value = serde_json::from_slice(&rotated.stdout).unwrap();
    let sealed: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT (SELECT count(*) FROM channels)
                  + (SELECT count(secret) + count(previous_secret) + count(headers) FROM webhook_endpoints)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rotated["resealed"], sealed, "every stored secret, sealed anew: {rotated}");
    let after = std::fs::read_to_string(&key_file).unwrap();
    let keys = |text: &str| text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).count();
    assert_eq!((keys(&before), keys(&after)), (1, 1));
    assert_ne!(before, after);
    let stored: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT secret FROM webhook_endpoints", [], |r| r.get(0))
        .unwrap();
    assert!(stored.starts_with(&format!("sealed:v1:{}:", rotated["keyId"].as_str().unwrap())), "{stored}");
    assert!(!std::fs::read(&db).unwrap().windows(secret.len()).any(|w| w == secret.as_bytes()));

    // A start opens every sealed secret: it would fail on one the new key cannot open.
    let again = Serve::start(&db, "127.0.0.1:0", &[]);
    drop(again);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let loose = switchboard(&["serve", "--bind", "127.0.0.1:0", "--db", db.to_str().unwrap()]);
        assert_eq!(loose.status.code(), Some(5));
        assert!(String::from_utf8_lossy(&loose.stderr).contains("chmod 600"), "{loose:?}");
    }
}

/// `switchboard webhooks verify` checks a delivery as a receiver must, and follows the
/// CAAC rule for `X-CAAC-Signature`: hex HMAC-SHA256 keyed with the whole secret string.
#[test]
fn a_delivery_is_verified_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("body.json");
    std::fs::write(&body, br#"{"test": 2432232314}"#).unwrap();
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    // What the CAAC docs' Node recipe prints for this secret and body.
    let caac = "80ec8a89ce3cd22133a1066caecb4d04fea7467657c8514d717ec42c38a5c94c";
    let verify = |header: &str| {
        Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .args(["--json", "webhooks", "verify", "--body", body.to_str().unwrap(), "--header", header])
            .env("SWITCHBOARD_WEBHOOK_SECRET", secret)
            .env("SWITCHBOARD_HOME", dir.path())
            .output()
            .unwrap()
    };
    let ok = verify(&format!("X-CAAC-Signature: {caac}"));
    assert_eq!(ok.status.code(), Some(0), "{ok:?}");
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&ok.stdout).unwrap()["valid"], true);
    let bad = verify(&format!("X-CAAC-Signature: {}", "0".repeat(64)));
    assert_eq!(bad.status.code(), Some(2), "{bad:?}");
    let refused: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(refused["code"], "signature_invalid");
    assert!(refused["error"].as_str().unwrap().contains("no signature matches"), "{refused}");
}
