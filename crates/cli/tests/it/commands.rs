//! The `switchboard` commands, the real binary against a real `switchboard serve`: profiles
//! with the key in the OS keychain, sync and the inbox from the cache, sends through the
//! outbox (exactly once, even when the process is killed with SIGKILL), admin commands,
//! JSON output and exit codes. Needs a keychain: `make test` runs these in a session
//! with one.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use serde_json::Value;

use crate::common::{self, Cli, Serve, free_port};

/// A demo server (no simulator) and a CLI with a profile for it.
fn clinic() -> (Serve, Cli, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let serve = Serve::start(&dir.path().join("server.sqlite3"), "127.0.0.1:0", &["--demo", "--simulate-every", "0"]);
    let key = serve.key().unwrap();
    let cli = Cli::new();
    let out = cli.run_with_input(&["profile", "add", "clinic", "--url", &serve.base_url()], &format!("{key}\n"));
    assert_eq!(out.code, 0, "{out:?}");
    (serve, cli, key, dir)
}

async fn api(serve: &Serve, key: &str, path: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{}/api/v1{path}", serve.base_url()))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[test]
fn profiles_keep_the_key_in_the_keychain_and_refuse_what_does_not_work() {
    let (serve, cli, key, _dir) = clinic();
    let list = cli.run(&["--json", "profile", "list"]).json();
    assert_eq!(list[0]["name"], "clinic");
    assert_eq!(list[0]["workspaceName"], "Lakeside Family Clinic");
    let config = std::fs::read_to_string(cli.home.path().join("profiles.json")).unwrap();
    assert!(!config.contains(&key), "the key is not in the profiles file");

    // A wrong key is refused by the server (exit 3), an unreachable server is exit 4, a
    // bad address or name exit 2; none of them adds a profile.
    let bad = cli.run_with_input(
        &["profile", "add", "other", "--url", &serve.base_url()],
        "sb_live_000000000000000000000000000000\n",
    );
    assert_eq!(bad.code, 3, "{bad:?}");
    assert!(bad.stderr.contains("invalid_api_key"), "{}", bad.stderr);
    let closed = format!("http://127.0.0.1:{}", free_port());
    let away = cli.run_with_input(&["profile", "add", "other", "--url", &closed], &format!("{key}\n"));
    assert_eq!(away.code, 4, "{away:?}");
    assert_eq!(cli.run_with_input(&["profile", "add", "other", "--url", "ftp://x"], &format!("{key}\n")).code, 2);
    assert_eq!(
        cli.run_with_input(&["profile", "add", "../etc", "--url", &serve.base_url()], &format!("{key}\n")).code,
        2
    );
    assert_eq!(
        cli.run_with_input(&["profile", "add", "clinic", "--url", &serve.base_url()], &format!("{key}\n")).code,
        2
    );
    assert_eq!(cli.run(&["--json", "profile", "list"]).json().as_array().unwrap().len(), 1);
    let usage = cli.run(&["inbox", "--status", "sleeping"]);
    assert_eq!(usage.code, 2, "clap's usage error: {usage:?}");

    // Removing drops the cache and the key; commands then say what to do.
    assert_eq!(cli.run(&["sync"]).code, 0);
    assert!(cli.cache("clinic").exists());
    let removed = cli.run(&["profile", "remove", "clinic"]);
    assert_eq!(removed.code, 0, "{removed:?}");
    assert!(!cli.cache("clinic").exists());
    let none = cli.run(&["inbox"]);
    assert_eq!(none.code, 2);
    assert!(none.stderr.contains("profile add"), "{}", none.stderr);
    // Added again, the old key is gone from the keychain and the new one used.
    let again = cli.run_with_input(&["profile", "add", "clinic", "--url", &serve.base_url()], &format!("{key}\n"));
    assert_eq!(again.code, 0, "{again:?}");
}

#[tokio::test]
async fn the_inbox_is_read_from_the_cache_and_acted_on() {
    let (serve, cli, key, _dir) = clinic();
    let synced = cli.run(&["--json", "sync"]).json();
    assert_eq!(synced["conversations"], 36);
    let inbox = cli.run(&["--json", "inbox", "--limit", "100"]).json();
    let server = api(&serve, &key, "/conversations?limit=100").await;
    let ids =
        |v: &Value| v.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    assert_eq!(ids(&inbox), ids(&server["data"]), "the cache's inbox is the server's, in the same order");
    let pending = cli.run(&["--json", "inbox", "--status", "pending"]).json();
    assert!(
        pending.as_array().unwrap().iter().all(|c| c["status"] == "pending") && !pending.as_array().unwrap().is_empty()
    );
    let human = cli.run(&["inbox", "--limit", "3"]);
    assert!(human.stdout.starts_with("ID ") && human.stdout.lines().count() == 4, "{}", human.stdout);

    // Act on the first open WhatsApp conversation.
    let open = inbox.as_array().unwrap().iter().find(|c| c["status"] == "open").unwrap();
    let id = open["id"].as_str().unwrap().to_owned();
    for args in [
        vec!["note", id.as_str(), "Prefers mornings"],
        vec!["assign", id.as_str(), "me"],
        vec!["snooze", id.as_str(), "2h"],
        vec!["reopen", id.as_str()],
        vec!["resolve", id.as_str()],
    ] {
        let out = cli.run(&args);
        assert_eq!(out.code, 0, "{args:?}: {out:?}");
    }
    let after = api(&serve, &key, &format!("/conversations/{id}")).await;
    assert_eq!(after["status"], "resolved");
    let me = api(&serve, &key, "/me").await;
    assert_eq!(after["assigneeId"], me["member"]["id"]);
    let shown = cli.run(&["show", &id]);
    assert!(shown.stdout.contains("note: Prefers mornings"), "{}", shown.stdout);

    // Search everything cached, with highlights; a query that finds nothing says so.
    let hits = cli.run(&["--json", "search", "vaccination"]).json();
    assert!(!hits.as_array().unwrap().is_empty());
    assert!(hits[0]["snippet"].as_array().unwrap().iter().any(|r| r["hit"] == true));
    assert!(cli.run(&["search", "xylophone"]).stdout.contains("Nothing found"));
    assert!(!cli.run(&["--json", "leads"]).json().as_array().unwrap().is_empty());
    assert!(!cli.run(&["--json", "appointments"]).json().as_array().unwrap().is_empty());

    // Bad input: an unknown conversation, an empty message, a bad snooze.
    let missing = cli.run(&["--json", "show", "conv_nope"]);
    assert_eq!((missing.code, missing.json()["code"].as_str()), (2, Some("not_found")));
    assert_eq!(cli.run(&["send", &id, "   "]).code, 2);
    assert_eq!(cli.run(&["snooze", &id, "soonish"]).code, 2);
    let refused = cli.run(&["--json", "send", "conv_nope", "hello"]);
    assert_eq!(refused.code, 2, "{refused:?}");
    let outbox = cli.run(&["--json", "outbox", "list"]).json();
    assert_eq!(outbox[0]["state"], "failed");
    assert_eq!(outbox[0]["errorCode"], "not_found");
    let discard = cli.run(&["outbox", "discard", outbox[0]["clientId"].as_str().unwrap()]);
    assert_eq!(discard.code, 0);
    assert!(cli.run(&["outbox", "list"]).stdout.contains("empty"));
}

/// With `--json`, stdout is exactly one `{error, code}` object; without, stderr is one line.
fn json_error(out: &common::Out) -> (String, String) {
    let v = out.json();
    let mut keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["code", "error"], "{out:?}");
    (v["error"].as_str().unwrap().to_owned(), v["code"].as_str().unwrap().to_owned())
}

fn error_line(out: &common::Out) -> &str {
    assert_eq!(out.stderr.lines().count(), 1, "one line: {out:?}");
    out.stderr.trim_end()
}

#[test]
fn argument_errors_are_reported_like_every_other_error() {
    let cli = Cli::new();
    for args in [
        vec!["--json", "inbox", "--status", "bogus"],
        vec!["inbox", "--json", "--channel", "fax"],
        vec!["--json", "inbox", "--no-such-flag"],
        vec!["--json", "send", "conv_1"],
        vec!["--json", "profile"],
        vec!["--json"],
        vec!["--json", "snooze"],
    ] {
        let out = cli.run(&args);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        let (error, code) = json_error(&out);
        assert_eq!(code, "invalid_input", "{args:?}");
        assert!(!error.is_empty() && !error.contains("invalid_input") && !error.contains("Usage"), "{error}");
        assert!(out.stderr.is_empty(), "{args:?}: {out:?}");
    }
    let bogus = cli.run(&["--json", "inbox", "--status", "bogus"]);
    assert!(json_error(&bogus).0.contains("'bogus'"), "{bogus:?}");

    // Without --json: one line, the code once at the end.
    let out = cli.run(&["inbox", "--status", "bogus"]);
    assert_eq!(out.code, 2, "{out:?}");
    let line = error_line(&out);
    assert!(line.starts_with("error: invalid value 'bogus'") && line.ends_with(" (invalid_input)"), "{line}");
    assert_eq!(line.matches("invalid_input").count(), 1, "{line}");
    // After `--`, `--json` is a value, not the flag.
    let out = cli.run(&["send", "conv_1", "--", "--json"]);
    assert_ne!(out.code, 0);
    assert!(!out.stdout.trim_start().starts_with('{'), "{out:?}");

    // Help and version still print as usual, and succeed.
    for args in [vec!["--help"], vec!["--json", "inbox", "--help"], vec!["--version"], vec!["help", "send"]] {
        let out = cli.run(&args);
        assert_eq!(out.code, 0, "{args:?}: {out:?}");
        assert!(out.stdout.contains("switchboard") || out.stdout.contains("Usage"), "{out:?}");
    }
}

#[test]
fn a_refused_send_names_its_code_once() {
    let (_serve, cli, _key, _dir) = clinic();
    let out = cli.run(&["send", "conv_nope", "hello"]);
    assert_eq!(out.code, 2, "{out:?}");
    let line = error_line(&out);
    assert!(line.starts_with("error: ") && line.ends_with(" (not_found)"), "{line}");
    assert_eq!(line.matches("not_found").count(), 1, "{line}");
    assert!(line.contains("ob_"), "says which outbox entry to retry or discard: {line}");

    let out = cli.run(&["--json", "send", "conv_nope", "hello"]);
    assert_eq!(out.code, 2, "{out:?}");
    let (error, code) = json_error(&out);
    assert_eq!(code, "not_found");
    assert!(!error.contains("not_found"), "{error}");

    // The same rule for errors that never reached the server, and for the server's own.
    let empty = cli.run(&["send", "conv_nope", "  "]);
    assert_eq!(error_line(&empty), "error: the message is empty (invalid_input)");
    let missing = cli.run(&["show", "conv_nope"]);
    assert_eq!(error_line(&missing).matches("not_found").count(), 1, "{missing:?}");
    let other = Cli::new();
    let closed = format!("http://127.0.0.1:{}", free_port());
    let away = other.run_with_input(
        &["--json", "profile", "add", "x", "--url", &closed],
        "sb_live_000000000000000000000000000000\n",
    );
    assert_eq!((away.code, json_error(&away).1.as_str()), (4, "network_error"), "{away:?}");
}

/// A demo server on a fixed address, a profile for it and one of its web conversations;
/// then the server stops.
struct Offline {
    dir: tempfile::TempDir,
    db: std::path::PathBuf,
    bind: String,
    key: String,
    cli: Cli,
    conversation: String,
}

fn profile_then_the_server_stops() -> Offline {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let bind = format!("127.0.0.1:{}", free_port());
    let serve = Serve::start(&db, &bind, &["--demo", "--simulate-every", "0"]);
    let key = serve.key().unwrap();
    let cli = Cli::new();
    assert_eq!(cli.run_with_input(&["profile", "add", "c", "--url", &serve.base_url()], &key).code, 0);
    let inbox = cli.run(&["--json", "inbox", "--channel", "web", "--limit", "1"]).json();
    let conversation = inbox[0]["id"].as_str().unwrap().to_owned();
    drop(serve);
    Offline { dir, db, bind, key, cli, conversation }
}

/// With the server down, sends (and status changes) are queued and succeed; they do not
/// count as tries of what already waits; back online, each goes exactly once.
#[tokio::test]
async fn an_offline_send_succeeds_and_goes_once_when_the_server_is_back() {
    let Offline { dir: _dir, db, bind, key, cli, conversation } = profile_then_the_server_stops();

    let first = cli.run(&["--json", "send", &conversation, "offline one"]);
    assert_eq!(first.code, 0, "queued is success: {first:?}");
    let entry = first.json();
    assert_eq!((entry["state"].as_str(), entry["action"]["body"].as_str()), (Some("pending"), Some("offline one")));
    let tries = |id: &str| {
        let list = cli.run(&["--json", "outbox", "list"]).json();
        list.as_array().unwrap().iter().find(|e| e["clientId"] == id).unwrap()["attempts"].as_u64().unwrap()
    };
    let first_id = entry["clientId"].as_str().unwrap().to_owned();
    let before = tries(&first_id);

    let second = cli.run(&["send", &conversation, "offline two"]);
    assert_eq!(second.code, 0, "{second:?}");
    assert!(second.stdout.contains("Queued as ob_") && second.stdout.contains("when the server can be reached"));
    assert!(second.stderr.is_empty(), "{second:?}");
    let note = cli.run(&["--json", "note", &conversation, "offline note"]);
    assert_eq!((note.code, note.json()["state"].as_str()), (0, Some("pending")), "{note:?}");
    let resolve = cli.run(&["--json", "resolve", &conversation]);
    assert_eq!((resolve.code, resolve.json()["state"].as_str()), (0, Some("pending")), "{resolve:?}");
    assert_eq!(tries(&first_id), before, "later sends while offline are not tries of the first");
    assert_eq!(before, 0, "an unreachable server is not a try");
    // Asking to push now, though, is a failure a script should see.
    assert_eq!(cli.run(&["outbox", "push"]).code, 4);

    let serve = Serve::start(&db, &bind, &["--simulate-every", "0"]);
    let pushed = cli.run(&["--json", "outbox", "push"]);
    assert_eq!(pushed.code, 0, "{pushed:?}");
    assert_eq!((pushed.json()["sent"].as_u64(), pushed.json()["failed"].as_u64()), (Some(4), Some(0)));
    assert!(cli.run(&["--json", "outbox", "list"]).json().as_array().unwrap().is_empty());
    let conn = rusqlite::Connection::open(&db).unwrap();
    for body in ["offline one", "offline two", "offline note"] {
        let n: i64 = conn.query_row("SELECT count(*) FROM messages WHERE body = ?1", [body], |r| r.get(0)).unwrap();
        assert_eq!(n, 1, "{body:?} is on the server {n} times");
    }
    let after = api(&serve, &key, &format!("/conversations/{conversation}")).await;
    assert_eq!(after["status"], "resolved");
}

#[tokio::test]
async fn admin_commands_manage_keys_and_webhooks() {
    let dir = tempfile::tempdir().unwrap();
    let serve = Serve::start(&dir.path().join("server.sqlite3"), "127.0.0.1:0", &["--webhooks-allow-loopback"]);
    let key = serve.key().unwrap();
    let cli = Cli::new();
    assert_eq!(cli.run_with_input(&["profile", "add", "admin", "--url", &serve.base_url()], &key).code, 0);

    let created = cli.run(&["--json", "keys", "create", "CI robot", "--scopes", "read"]).json();
    let robot = created["key"]["id"].as_str().unwrap().to_owned();
    assert!(created["secret"].as_str().unwrap().starts_with("sb_live_"));
    let human = cli.run(&["keys", "create", "Shown once"]);
    assert!(human.stdout.contains("shown this once") && human.stdout.contains("sb_live_"), "{}", human.stdout);
    let keys = cli.run(&["--json", "keys", "list"]).json();
    assert!(keys.as_array().unwrap().iter().any(|k| k["id"] == robot.as_str()));
    assert!(
        !cli.run(&["keys", "list"]).stdout.contains(created["secret"].as_str().unwrap()),
        "secrets are never listed"
    );
    let rotated = cli.run(&["--json", "keys", "rotate", &robot, "--grace", "0"]).json();
    assert_ne!(rotated["key"]["id"], robot.as_str());
    let revoked = cli.run(&["--json", "keys", "revoke", rotated["key"]["id"].as_str().unwrap()]).json();
    assert!(revoked["revokedAt"].is_string(), "{revoked}");
    assert_eq!(cli.run(&["keys", "create", "x", "--scopes", "root"]).code, 2);
    assert_eq!(cli.run(&["keys", "revoke", "key_nope"]).code, 2);

    // A read-only profile is refused admin work with exit 3.
    let read = cli.run(&["--json", "keys", "create", "reader", "--scopes", "read"]).json();
    let reader = Cli::new();
    let secret = read["secret"].as_str().unwrap();
    assert_eq!(reader.run_with_input(&["profile", "add", "ro", "--url", &serve.base_url()], secret).code, 0);
    let denied = reader.run(&["keys", "list"]);
    assert_eq!(denied.code, 3, "{denied:?}");

    let receiver = format!("http://127.0.0.1:{}/hook", free_port());
    let hook =
        cli.run(&["--json", "webhooks", "create", &receiver, "--events", "message.received,lead.captured"]).json();
    let hook_id = hook["endpoint"]["id"].as_str().unwrap().to_owned();
    assert!(hook["secret"].as_str().unwrap().starts_with("whsec_"));
    let list = cli.run(&["--json", "webhooks", "list"]).json();
    assert_eq!(list[0]["id"], hook_id.as_str());
    let test = cli.run(&["--json", "webhooks", "test", &hook_id]).json();
    assert_eq!(test["event"], "test");
    let log = cli.run(&["--json", "webhooks", "deliveries", &hook_id]).json();
    assert_eq!(log["data"][0]["id"], test["id"]);
    let replay = cli.run(&["webhooks", "replay", test["id"].as_str().unwrap()]);
    assert_eq!(replay.code, 0, "{replay:?}");
    assert_eq!(cli.run(&["webhooks", "create", "https://x", "--events", "nonsense"]).code, 2);
    assert_eq!(cli.run(&["webhooks", "create", "http://10.0.0.1/hook"]).code, 2);
    let _ = api(&serve, &key, "/me").await;
}

/// Sends queued while the server is down, then pushed by processes killed with SIGKILL
/// at random moments (before a send, between a send and its answer, after): in the end
/// every queued message is on the server exactly once.
#[tokio::test]
async fn queued_sends_arrive_exactly_once_though_the_sender_is_killed() {
    let Offline { dir: _dir, db, bind, cli, conversation, .. } = profile_then_the_server_stops();

    // A few through `send` (queued, exit 0: the server is away), many more straight into
    // the cache's outbox as the app's core writes them, so pushes take long enough to be
    // killed in the middle many times.
    const N: usize = 150;
    for i in 0..3 {
        let out = cli.run(&["send", &conversation, &format!("queued message {i:03}")]);
        assert_eq!(out.code, 0, "offline, queued: {out:?}");
    }
    let mut cache = switchboard_store::Store::open(&cli.cache("c")).unwrap();
    for i in 3..N {
        let action = switchboard_store::OutboxAction::Text { body: format!("queued message {i:03}") };
        cache.enqueue(&conversation, action).unwrap();
    }
    drop(cache);
    let serve = Serve::start(&db, &bind, &["--simulate-every", "0"]);
    let waiting = || cli.run(&["--json", "outbox", "list"]).json().as_array().unwrap().len();
    // Kills start a little before a command is usually up (keychain, cache) and move
    // later while they land too early, so they come in the middle of the sends whatever
    // the machine's load; after enough of those, pushes run to the end.
    let started = std::time::Instant::now();
    assert_eq!(waiting(), N);
    let mut delay = started.elapsed().mul_f64(0.8);
    let (mut kills, mut cut_short) = (0, 0);
    loop {
        let before = waiting();
        if before == 0 {
            break;
        }
        let mut child = cli
            .command(&["outbox", "push"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        if cut_short < 8 {
            tokio::time::sleep(delay).await;
            if child.try_wait().unwrap().is_none() {
                child.kill().unwrap();
                kills += 1;
            }
        }
        let _ = child.wait();
        let after = waiting();
        if after > 0 && after < before {
            cut_short += 1;
        } else if after == before {
            delay += Duration::from_millis(40);
        }
        assert!(kills < 1000, "the pushes never got through");
    }
    assert_eq!(waiting(), 0, "everything was sent in the end");
    assert!(cut_short >= 3, "only {cut_short} of {kills} kills landed in the middle of the sends");
    println!("{kills} kills, {cut_short} in the middle of a push");

    let conn = rusqlite::Connection::open(&db).unwrap();
    for i in 0..N {
        let body = format!("queued message {i:03}");
        let n: i64 = conn.query_row("SELECT count(*) FROM messages WHERE body = ?1", [&body], |r| r.get(0)).unwrap();
        assert_eq!(n, 1, "{body:?} is on the server {n} times after {kills} kills");
    }
    drop(serve);
}
