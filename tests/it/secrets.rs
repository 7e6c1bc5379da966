//! No secret rests on disk in plain text. The real `switchboard serve` issues and is given
//! every kind of secret it handles (API keys, rotated keys, webhook signing secrets made
//! and given, WhatsApp tokens), with an `Idempotency-Key` on every write and each write
//! replayed, uses them (signed deliveries, a signed notification), and is killed with
//! SIGKILL so the WAL stays. Then every file it wrote — the database, its WAL and shared
//! memory, its log at debug level, its key file — is searched for every secret: none may
//! hold one. A restart on the same key file still opens them.

#![allow(clippy::unwrap_used)]

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use switchboard_tests::process::{Process, free_port};
use switchboard_tests::raw;
use switchboard_tests::receiver::Receiver;

struct Api {
    base: String,
    key: String,
}

impl Api {
    /// A write as the project's own client makes it: with an Idempotency-Key. It is sent
    /// twice, so the replay is exercised (and kept) too.
    async fn write(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let idempotency_key = format!("k-{}", rand::random::<u64>());
        let mut answers = Vec::new();
        for _ in 0..2 {
            let res = raw()
                .request(method.clone(), format!("{}{path}", self.base))
                .bearer_auth(&self.key)
                .header("idempotency-key", &idempotency_key)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert!(res.status().is_success(), "{path}: {}", res.status());
            answers.push(res.json::<Value>().await.unwrap());
        }
        answers.remove(0)
    }
}

/// `switchboard serve` on a new database in a folder of its own, logging at `level`.
struct Started {
    dir: tempfile::TempDir,
    db: std::path::PathBuf,
    log: std::path::PathBuf,
    port: u16,
    server: Process,
    api: Api,
}

impl Started {
    async fn new(level: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (db, log) = (dir.path().join("server.sqlite3"), dir.path().join("server.log"));
        let port = free_port();
        let mut server = Process::serve_logging(&db, port, level, &log).await;
        let key = server.key.take().unwrap();
        let api = Api { base: format!("http://127.0.0.1:{port}/api/v1"), key };
        Self { dir, db, log, port, server, api }
    }
}

fn files_holding(dir: &std::path::Path, secret: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        if bytes.windows(secret.len()).any(|w| w == secret.as_bytes()) {
            found.push(path.display().to_string());
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_rests_on_disk_in_plain_text() {
    let Started { dir, db, log, port, mut server, api } = Started::new("debug").await;
    let admin = api.key.clone();
    let mut receiver = Receiver::start().await;
    let mut secrets = vec![admin.clone()];
    let take = |secrets: &mut Vec<String>, value: &Value| {
        let secret = value.as_str().unwrap().to_owned();
        secrets.push(secret.clone());
        secret
    };

    let created = api.write(reqwest::Method::POST, "/keys", json!({"name": "Zapier", "scopes": ["read"]})).await;
    take(&mut secrets, &created["secret"]);
    let key_id = created["key"]["id"].as_str().unwrap();
    let rotated = api.write(reqwest::Method::POST, &format!("/keys/{key_id}/rotate"), json!({})).await;
    take(&mut secrets, &rotated["secret"]);

    let given = "whsec_R2l2ZW4gYnkgYW4gYWRtaW4sIG5ldmVyIHN0b3JlZA==";
    secrets.push(given.to_owned());
    let hook = api
        .write(
            reqwest::Method::POST,
            "/webhooks",
            json!({"url": receiver.url, "secret": given, "events": ["contact.created"]}),
        )
        .await;
    assert_eq!(hook["secret"], given);
    let hook_id = hook["endpoint"]["id"].as_str().unwrap().to_owned();
    let made = api.write(reqwest::Method::POST, "/webhooks", json!({"url": "https://hooks.example/in"})).await;
    take(&mut secrets, &made["secret"]);
    let hook_rotated = api
        .write(reqwest::Method::POST, &format!("/webhooks/{hook_id}/rotate"), json!({"gracePeriodSeconds": 3600}))
        .await;
    let new_hook_secret = take(&mut secrets, &hook_rotated["secret"]);

    let (token, app_secret, verify) =
        ("EAAGm0-token-never-on-disk-7f3a", "app-secret-never-on-disk-91c2", "verify-never-on-disk-55d0");
    secrets.extend([token, app_secret, verify].map(str::to_owned));
    let channel = api
        .write(
            reqwest::Method::POST,
            "/channels",
            json!({"kind": "whatsapp", "name": "Front desk", "whatsapp": {"phoneNumberId": "106540352242922",
                "accessToken": token, "appSecret": app_secret, "verifyToken": verify,
                "graphBaseUrl": "http://127.0.0.1:9/graph"}}),
        )
        .await;
    let channel_id = channel["id"].as_str().unwrap().to_owned();
    let new_token = "EAAGm0-second-token-never-on-disk-b81e";
    secrets.push(new_token.to_owned());
    api.write(
        reqwest::Method::PATCH,
        &format!("/channels/{channel_id}"),
        json!({"whatsapp": {"accessToken": new_token}}),
    )
    .await;

    // The secrets in use: a signed delivery, and a signed notification opened with the app secret.
    api.write(reqwest::Method::POST, "/contacts", json!({"name": "Ana"})).await;
    let delivery = receiver.next().await;
    let standard = standardwebhooks::Webhook::new(&new_hook_secret).unwrap();
    standard.verify(&delivery.body, &delivery.headers).expect("signed with the sealed secret");
    let notification = serde_json::to_vec(&json!({"object": "whatsapp_business_account", "entry": [{"id": "1",
        "changes": [{"field": "messages", "value": {"messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "contacts": [{"profile": {"name": "Bo"}, "wa_id": "16505550123"}],
        "messages": [{"from": "16505550123", "id": "wamid.s1", "timestamp": chrono::Utc::now().timestamp().to_string(),
            "type": "text", "text": {"body": "Hi"}}]}}]}]}))
    .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()).unwrap();
    mac.update(&notification);
    let signature = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    let res = raw()
        .post(format!("{}/channels/{channel_id}/webhook", api.base))
        .header("x-hub-signature-256", signature)
        .body(notification)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    server.kill().await;
    let wal = dir.path().join("server.sqlite3-wal");
    assert!(wal.exists() && std::fs::metadata(&wal).unwrap().len() > 0, "killed, the WAL stays to be searched");
    assert!(std::fs::metadata(&log).unwrap().len() > 0, "the server logged");
    for secret in &secrets {
        let found = files_holding(dir.path(), secret);
        assert!(found.is_empty(), "a secret ({}…) is on disk in {found:?}", &secret[..12]);
    }

    // The same key file opens them again after the restart.
    let mut server = Process::serve_logging(&db, port, "debug", &log).await;
    api.write(reqwest::Method::POST, "/contacts", json!({"name": "Cy"})).await;
    let delivery = receiver.next().await;
    standard.verify(&delivery.body, &delivery.headers).expect("signed after a restart");
    server.kill().await;
    for secret in &secrets {
        assert!(files_holding(dir.path(), secret).is_empty());
    }
}

/// A database an older version wrote, with secrets in plain text (a webhook secret and its
/// custom header, a channel's tokens, an answer kept for replay with a key in it): the
/// first start seals them, rewrites the kept answer without its secret, and leaves none of
/// them in any file, free pages and the WAL included; the secrets still work.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_database_is_sealed_at_its_first_start() {
    let Started { dir, db, log, port, mut server, api } = Started::new("info").await;
    let mut receiver = Receiver::start().await;
    let hook = api
        .write(reqwest::Method::POST, "/webhooks", json!({"url": receiver.url, "events": ["contact.created"]}))
        .await;
    let hook_id = hook["endpoint"]["id"].as_str().unwrap().to_owned();
    let channel = api
        .write(
            reqwest::Method::POST,
            "/channels",
            json!({"kind": "whatsapp", "name": "Front desk", "whatsapp": {"phoneNumberId": "106540352242922",
                "accessToken": "EAAG-sealed-now", "appSecret": "app-sealed-now", "verifyToken": "verify-sealed-now",
                "graphBaseUrl": "http://127.0.0.1:9/graph"}}),
        )
        .await;
    let channel_id = channel["id"].as_str().unwrap().to_owned();
    server.kill().await;

    // What an older version kept, written as it wrote it.
    let legacy_secret = "whsec_TGVnYWN5IHNpZ25pbmcgc2VjcmV0IGluIHBsYWlu";
    let legacy_header = "Bearer legacy-receiver-token-5d2e";
    let legacy_token = "EAAG-legacy-token-kept-in-plain-77aa";
    let legacy_key = "sb_live_LegacyKeyKeptForReplay0000000";
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute(
            "UPDATE webhook_endpoints SET secret = ?2, headers = ?3, previous_secret = NULL WHERE id = ?1",
            rusqlite::params![hook_id, legacy_secret, json!({"authorization": legacy_header}).to_string()],
        )
        .unwrap();
        let config = json!({"kind": "whatsapp", "phone_number_id": "106540352242922", "display_phone_number": null,
            "access_token": legacy_token, "app_secret": "legacy-app-secret-1f", "verify_token": "legacy-verify-2e",
            "graph_base_url": "http://127.0.0.1:9/graph", "graph_api_version": "v21.0"});
        conn.execute(
            "UPDATE channels SET config = ?2 WHERE id = ?1",
            rusqlite::params![channel_id, config.to_string()],
        )
        .unwrap();
        let workspace: String = conn.query_row("SELECT id FROM workspaces", [], |r| r.get(0)).unwrap();
        let kept = json!({"key": {"id": "key_legacy"}, "secret": legacy_key}).to_string();
        conn.execute(
            "INSERT INTO idempotency_keys (workspace_id, key, fingerprint, state, status, body, created_at)
             VALUES (?1, 'legacy-create', 'f', 'done', 201, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
            rusqlite::params![workspace, kept.into_bytes()],
        )
        .unwrap();
    }

    let mut server = Process::serve_logging(&db, port, "info", &log).await;
    let channel: Value = raw()
        .get(format!("{}/channels/{channel_id}", api.base))
        .bearer_auth(&api.key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(channel["whatsapp"]["accessTokenHint"], "…77aa", "{channel}");
    api.write(reqwest::Method::POST, "/contacts", json!({"name": "Di"})).await;
    let delivery = receiver.next().await;
    assert_eq!(delivery.header("authorization"), legacy_header);
    let standard = standardwebhooks::Webhook::new(legacy_secret).unwrap();
    standard.verify(&delivery.body, &delivery.headers).expect("signed with the secret kept before");
    server.kill().await;

    let kept: Vec<u8> = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT body FROM idempotency_keys WHERE key = 'legacy-create'", [], |r| r.get(0))
        .unwrap();
    let kept: Value = serde_json::from_slice(&kept).unwrap();
    assert_eq!((kept["secret"].clone(), kept["secretWithheld"].as_str()), (Value::Null, Some("secret_shown_once")));
    for secret in [legacy_secret, legacy_header, legacy_token, legacy_key] {
        let found = files_holding(dir.path(), secret);
        assert!(found.is_empty(), "{secret} outlived the upgrade in {found:?}");
    }
}
