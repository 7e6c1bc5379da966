//! The admin console and the workspace switcher through the app core, against real
//! servers and the real OS keychain: keys listed, created, revoked and rotated (the app's
//! own key swapped in the keychain while sync goes on), webhooks with a test delivery and
//! the signature checker, a remote workspace added, opened offline from its cache with a
//! send queued, and delivered once when the server is back.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use switchboard_api::{Channel, CreateMemberRequest, Role, Scope};
use switchboard_core::admin::{NewKey, SignatureCheck, WebhookForm};
use switchboard_core::{
    App, AppConfig, Compose, ConversationAction, InboxQuery, SecretStore, SendRequest, WorkspaceMode, secrets,
    workspaces,
};
use switchboard_server::Server;
use switchboard_tests::receiver::Receiver;
use switchboard_tests::{TestServer, config, eventually};

async fn keychain() -> Arc<dyn SecretStore> {
    secrets::open_keychain("dev.switchboard.tests").await.expect("an OS keychain (make test starts one)")
}

fn app_config(dir: &std::path::Path) -> AppConfig {
    AppConfig { undo_window: Duration::ZERO, ..AppConfig::new(dir.to_owned()) }
}

fn text(conversation_id: &str, body: &str) -> SendRequest {
    SendRequest { conversation_id: conversation_id.into(), compose: Compose::Text { body: body.into() }, send_at: None }
}

/// Waits until `body` is in the app's cache (it came back through sync).
async fn synced(app: &App, conversation_id: &str, body: &str) {
    eventually(&format!("{body:?} in the cache"), Duration::from_secs(20), || async {
        let t = app.transcript(conversation_id.into()).await.ok()?;
        t.messages.iter().any(|m| m.body == body).then_some(())
    })
    .await;
}

#[tokio::test]
async fn keys_are_managed_and_the_apps_own_key_rotates_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::start(app_config(dir.path()), keychain().await).await.unwrap();
    let keys = app.keys().await.unwrap();
    let own = keys.iter().find(|k| k.this_app).expect("the app's own key is marked").clone();

    let created = app
        .create_key(NewKey { name: "Zapier".into(), scopes: vec![Scope::Read], member_id: None, expires_at: None })
        .await
        .unwrap();
    assert!(created.secret.starts_with("sb_live_"));
    let bad = NewKey { name: " ".into(), scopes: vec![], member_id: None, expires_at: None };
    assert_eq!(app.create_key(bad).await.unwrap_err().code(), "invalid_parameter");
    let rotated = app.rotate_key(created.key.id.clone(), Some(60)).await.unwrap();
    assert!(!rotated.secret.is_empty() && !rotated.swapped_in_keychain, "another key's secret is shown once");
    assert!(app.revoke_key(rotated.key.id.clone()).await.unwrap().revoked_at.is_some());
    assert_eq!(app.revoke_key(own.key.id.clone()).await.unwrap_err().code(), "own_key");
    assert_eq!(app.revoke_key("key_nope".into()).await.unwrap_err().code(), "not_found");

    // The app's own key, with no grace: the old one stops at once, so only a swapped key
    // can go on syncing and sending.
    let workspace: String = rusqlite::Connection::open(dir.path().join("local-workspace.sqlite3"))
        .unwrap()
        .query_row("SELECT id FROM workspaces", [], |r| r.get(0))
        .unwrap();
    let account = format!("local-workspace/{workspace}");
    let before = secrets::get(&keychain().await, &account).await.unwrap().unwrap();
    let swap = app.rotate_key(own.key.id.clone(), Some(0)).await.unwrap();
    assert!(swap.swapped_in_keychain);
    assert_eq!(swap.secret, "", "the app's new key never leaves the core");
    let after = secrets::get(&keychain().await, &account).await.unwrap().unwrap();
    assert_ne!(after, before);
    assert!(after.starts_with("sb_live_"));
    let keys = app.keys().await.unwrap();
    assert!(keys.iter().any(|k| k.this_app && k.key.id == swap.key.id), "the new key is the app's now");

    let web = app.inbox(InboxQuery { channel: Some(Channel::Web), ..Default::default() }).await.unwrap();
    let queued = app.send(text(&web[0].id, "Sent with the rotated key")).await.unwrap();
    synced(&app, &web[0].id, "Sent with the rotated key").await;
    assert!(app.transcript(web[0].id.clone()).await.unwrap().pending.iter().all(|e| e.client_id != queued.client_id));
    app.shutdown().await;

    // And the next start uses the new key from the keychain.
    let again = App::start(app_config(dir.path()), keychain().await).await.unwrap();
    assert!(again.keys().await.unwrap().iter().any(|k| k.this_app && k.key.id == swap.key.id));
    again.shutdown().await;
}

#[tokio::test]
async fn the_business_settings_are_read_and_changed_through_the_core() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::start(app_config(dir.path()), keychain().await).await.unwrap();
    let demo = app.settings().await.unwrap();
    assert_eq!(demo.time_zone.as_deref(), Some("America/Chicago"));
    let changed = app.update_settings(Some("America/Sao_Paulo".into()), None).await.unwrap();
    assert_eq!(
        (changed.time_zone.as_deref(), changed.region.as_deref(), changed.agent_time_zone.as_deref()),
        (Some("America/Sao_Paulo"), None, Some("America/Sao_Paulo")),
        "the region left to the knowledge"
    );
    let refused = app.update_settings(Some("Sao Paulo".into()), Some("BR".into())).await.unwrap_err();
    assert_eq!(refused.code(), "invalid_parameter");
    assert_eq!(app.settings().await.unwrap(), changed, "a refusal changes nothing");
    app.shutdown().await;
}

#[tokio::test]
async fn webhooks_are_created_tested_and_their_signatures_checked() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::start(app_config(dir.path()), keychain().await).await.unwrap();
    let mut receiver = Receiver::start().await;
    let form = WebhookForm {
        url: receiver.url.clone(),
        description: Some("CRM".into()),
        events: None,
        headers: [("X-Team".to_string(), "support".to_string())].into(),
        active: true,
        buffer_enabled: false,
        buffer_window_seconds: None,
        inactivity_minutes: None,
    };
    let created = app.create_webhook(form.clone()).await.unwrap();
    assert!(created.secret.starts_with("whsec_"));
    let bad = WebhookForm { url: "not a url".into(), ..form.clone() };
    assert_eq!(app.create_webhook(bad).await.unwrap_err().code(), "invalid_parameter");

    let id = created.endpoint.id.clone();
    let test = app.test_webhook(id.clone()).await.unwrap();
    let delivered = eventually("the test delivery", Duration::from_secs(20), || async {
        let list = app.deliveries(id.clone(), Default::default()).await.ok()?;
        list.into_iter().find(|d| d.id == test.id && d.state.as_str() == "succeeded")
    })
    .await;
    let detail = app.delivery(delivered.id.clone()).await.unwrap();
    assert!(!detail.attempts.is_empty());

    // What the receiver got verifies with the secret, and not with a changed body.
    let got = receiver.next().await;
    let headers: String =
        got.headers.iter().map(|(k, v)| format!("{k}: {}\n", v.to_str().unwrap_or_default())).collect();
    let body = String::from_utf8(got.body.to_vec()).unwrap();
    let check = SignatureCheck { secret: created.secret.clone(), headers, body };
    let verdict = switchboard_core::admin::check_signature(&check, chrono::Utc::now().timestamp());
    assert!(verdict.valid, "{verdict:?}");
    let changed = SignatureCheck { body: format!("{} ", check.body), ..check };
    assert!(!switchboard_core::admin::check_signature(&changed, chrono::Utc::now().timestamp()).valid);

    let replayed = app.replay_delivery(delivered.id.clone()).await.unwrap();
    assert_eq!(replayed.id, delivered.id);
    let paused = app.update_webhook(id.clone(), WebhookForm { active: false, ..form }).await.unwrap();
    assert!(!paused.active);
    let rotated = app.rotate_webhook_secret(id.clone(), Some(0)).await.unwrap();
    assert_ne!(rotated.secret, created.secret);
    app.delete_webhook(id.clone()).await.unwrap();
    assert!(app.webhooks().await.unwrap().iter().all(|w| w.id != id));
    app.shutdown().await;
}

#[tokio::test]
async fn a_remote_workspace_opens_offline_and_queued_sends_arrive_once() {
    let t = TestServer::start(true).await;
    let conversation = t.contact_writes("+14155550177").await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = app_config(dir.path());
    let secrets = keychain().await;

    // A wrong key or address changes nothing.
    let wrong = workspaces::add(&cfg, &secrets, "clinic", &t.server.base_url(), "sb_live_wrong").await;
    assert_eq!(wrong.unwrap_err().code(), "invalid_api_key");
    let nowhere = workspaces::add(&cfg, &secrets, "clinic", "http://127.0.0.1:9", &t.key).await;
    assert_eq!(nowhere.unwrap_err().code(), "network_error");
    assert_eq!(workspaces::list(&cfg).await.unwrap().len(), 1, "only the local workspace");

    workspaces::add(&cfg, &secrets, "clinic", &t.server.base_url(), &t.key).await.unwrap();
    let listed = workspaces::list(&cfg).await.unwrap();
    assert!(listed.iter().any(|w| w.id == "clinic" && w.current && !w.local));
    let app = App::start(cfg.clone(), secrets.clone()).await.unwrap();
    assert_eq!(app.overview().mode, WorkspaceMode::Remote);
    assert!(app.transcript(conversation.clone()).await.is_ok(), "the remote inbox is in the cache");
    let me = app.overview().member_id;
    assert!(app.members().await.unwrap().iter().any(|m| m.id == me), "the members are cached before start returns");

    // A teammate added on the server a moment ago can be assigned at once.
    let new_member = CreateMemberRequest { name: "Rosa".into(), role: Role::Agent };
    let rosa = t.client().create_member(&new_member).await.unwrap();
    let assign = ConversationAction::Assign { member_id: Some(rosa.id.clone()) };
    app.act(conversation.clone(), assign).await.unwrap();
    let unknown = ConversationAction::Assign { member_id: Some("mem_nope".into()) };
    assert_eq!(app.act(conversation.clone(), unknown).await.unwrap_err().code(), "not_found");

    // Its own key rotated with no grace: the profile's keychain entry holds the new one and
    // what the server writes next still reaches the cache.
    let own = app.keys().await.unwrap().into_iter().find(|k| k.this_app).unwrap();
    assert!(app.rotate_key(own.key.id.clone(), Some(0)).await.unwrap().swapped_in_keychain);
    let stored_key = secrets::get(&secrets, "profile/clinic").await.unwrap().unwrap();
    assert_ne!(stored_key, t.key);
    let ws = t.server.workspace().id.clone();
    t.server.receive(&ws, "+14155550177", Channel::Whatsapp, "Still there after the rotation?").await.unwrap();
    synced(&app, &conversation, "Still there after the rotation?").await;
    app.shutdown().await;

    // The server goes away: the app opens from its cache and queues a reply.
    let addr = t.server.addr();
    let TestServer { server, dir: server_dir, .. } = t;
    let db = server_dir.path().join("server.sqlite3");
    server.shutdown().await;
    let offline = App::start(cfg.clone(), secrets.clone()).await.unwrap();
    assert!(offline.transcript(conversation.clone()).await.is_ok(), "readable offline");
    let queued = offline.send(text(&conversation, "Written while offline")).await.unwrap();

    // Back on the same address: the reply goes, once.
    let back = Server::start(config(db.clone(), true, addr)).await.unwrap();
    synced(&offline, &conversation, "Written while offline").await;
    let stored: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM messages WHERE client_id = ?1", [&queued.client_id], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 1);
    offline.shutdown().await;

    // Removing it drops its key and cache; the local workspace opens next.
    workspaces::remove(&cfg, &secrets, "clinic").await.unwrap();
    assert_eq!(secrets::get(&secrets, "profile/clinic").await.unwrap(), None);
    assert_eq!(workspaces::list(&cfg).await.unwrap().len(), 1);
    assert_eq!(workspaces::remove(&cfg, &secrets, "local").await.unwrap_err().code(), "invalid_input");
    back.shutdown().await;
}
