//! The app core end to end, without a window: the local workspace starts, its key goes to
//! the real OS keychain (Secret Service on Linux), the cache fills, a reply reaches the
//! server's database. Needs a keychain: `make test` provides one.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use std::time::Duration;

use switchboard_api::{AppointmentStatus, Channel, ConversationStatus, LeadStatus, Message, Priority};
use switchboard_core::{
    App, AppConfig, Compose, ContactEdit, ConversationAction, InboxQuery, InboxSort, InboxView, SecretStore,
    SendRequest, secrets,
};
use switchboard_tests::eventually;

async fn keychain() -> Arc<dyn SecretStore> {
    secrets::open_keychain("dev.switchboard.tests").await.expect("an OS keychain (make test starts one)")
}

#[tokio::test]
async fn keychain_round_trip() {
    let store = keychain().await;
    let account = format!("round-trip-{}", std::process::id());
    assert_eq!(secrets::get(&store, &account).await.unwrap(), None);
    secrets::set(&store, &account, "sb_live_example").await.unwrap();
    assert_eq!(secrets::get(&store, &account).await.unwrap().as_deref(), Some("sb_live_example"));
    secrets::delete(&store, &account).await.unwrap();
    assert_eq!(secrets::get(&store, &account).await.unwrap(), None);
}

fn config(dir: &std::path::Path) -> AppConfig {
    // No undo window: sends go at once unless a test asks otherwise.
    AppConfig { undo_window: Duration::ZERO, ..AppConfig::new(dir.to_owned()) }
}

fn text(conversation_id: &str, body: &str) -> SendRequest {
    SendRequest { conversation_id: conversation_id.into(), compose: Compose::Text { body: body.into() }, send_at: None }
}

fn server_db(dir: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.join("local-workspace.sqlite3")).unwrap()
}

fn stored(db: &rusqlite::Connection, body: &str) -> i64 {
    db.query_row("SELECT count(*) FROM messages WHERE body = ?1", [body], |r| r.get(0)).unwrap()
}

/// The reply the outbox sent, once it is in the cache as a message.
async fn sent_message(app: &App, conversation_id: &str, client_id: &str) -> Message {
    eventually("the send to reach the server", Duration::from_secs(20), || async {
        let t = app.transcript(conversation_id.into()).await.unwrap();
        t.messages.into_iter().find(|m| m.client_id.as_deref() == Some(client_id))
    })
    .await
}

#[tokio::test]
async fn local_workspace_starts_syncs_and_sends_with_the_key_in_the_keychain() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::start(config(dir.path()), keychain().await).await.unwrap();
    let inbox = app.inbox(InboxQuery::default()).await.unwrap();
    assert_eq!(inbox.len(), 36, "the demo clinic's conversations are in the cache");
    let first = inbox.iter().find(|c| c.channel == Channel::Web).unwrap().clone();
    let queued = app.send(text(&first.id, "  We have a slot at 16:00 today.  ")).await.unwrap();
    let sent = sent_message(&app, &first.id, &queued.client_id).await;
    assert_eq!(sent.body, "We have a slot at 16:00 today.");
    let transcript = app.transcript(first.id.clone()).await.unwrap();
    assert_eq!(transcript.messages.last().map(|m| m.id.clone()), Some(sent.id.clone()));
    assert!(transcript.pending.is_empty(), "nothing waits once sent: {:?}", transcript.pending);

    let empty = app.send(text(&first.id, "   ")).await.unwrap_err();
    assert_eq!(empty.code(), "invalid_input");
    let long = app.send(text(&first.id, &"x".repeat(4097))).await.unwrap_err();
    assert_eq!(long.code(), "invalid_input");
    let unknown = app.send(text("conv_nope", "hi")).await.unwrap_err();
    assert_eq!(unknown.code(), "not_found");
    app.shutdown().await;

    let server_db = server_db(dir.path());
    assert_eq!(stored(&server_db, "We have a slot at 16:00 today."), 1);

    // The key is in the keychain and in no file the app wrote.
    let workspace_id: String = server_db.query_row("SELECT id FROM workspaces", [], |r| r.get(0)).unwrap();
    let key = secrets::get(&keychain().await, &format!("local-workspace/{workspace_id}"))
        .await
        .unwrap()
        .expect("key in keychain");
    assert!(key.starts_with("sb_live_"));
    for entry in walk(dir.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(!bytes.windows(key.len()).any(|w| w == key.as_bytes()), "{} holds the API key", entry.display());
    }
    let me_key: i64 = server_db.query_row("SELECT count(*) FROM api_keys", [], |r| r.get(0)).unwrap();

    // A restart finds the key in the keychain and reuses it: no new key is minted.
    let again = App::start(config(dir.path()), keychain().await).await.unwrap();
    let keys_after: i64 = server_db.query_row("SELECT count(*) FROM api_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(keys_after, me_key);
    assert!(!again.inbox(InboxQuery::default()).await.unwrap().is_empty());
    again.shutdown().await;
}

#[tokio::test]
async fn a_send_is_held_for_the_undo_window_and_can_be_taken_back() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = AppConfig { undo_window: Duration::from_secs(600), ..AppConfig::new(dir.path().to_owned()) };
    let app = App::start(cfg, keychain().await).await.unwrap();
    let web = app.inbox(InboxQuery { channel: Some(Channel::Web), ..Default::default() }).await.unwrap();
    let id = web[0].id.clone();
    let held = app.send(text(&id, "Taken back before it went")).await.unwrap();
    assert!(held.send_at.is_some());
    let t = app.transcript(id.clone()).await.unwrap();
    assert_eq!(t.pending.iter().map(|e| e.client_id.clone()).collect::<Vec<_>>(), vec![held.client_id.clone()]);
    app.discard_send(held.client_id.clone()).await.unwrap();
    assert!(app.transcript(id.clone()).await.unwrap().pending.is_empty());
    let again = app.discard_send(held.client_id.clone()).await.unwrap_err();
    assert_eq!(again.code(), "not_found");

    // A scheduled send waits for its time, then goes by itself.
    let at = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let scheduled =
        app.send(SendRequest { send_at: Some(at.clone()), ..text(&id, "Sent at the scheduled time") }).await.unwrap();
    let db = server_db(dir.path());
    assert_eq!(stored(&db, "Sent at the scheduled time"), 0, "not before its time");
    let message = sent_message(&app, &id, &scheduled.client_id).await;
    assert!(message.created_at.as_str() >= at.as_str(), "{} went before {at}", message.created_at);
    for bad in ["yesterday", "2001-01-01T00:00:00Z", "2999-01-01T00:00:00Z"] {
        let e = app.send(SendRequest { send_at: Some(bad.into()), ..text(&id, "x") }).await.unwrap_err();
        assert_eq!(e.code(), "invalid_input", "{bad}");
    }
    app.shutdown().await;
    assert_eq!(stored(&db, "Taken back before it went"), 0);
    assert_eq!(stored(&db, "Sent at the scheduled time"), 1);
}

#[tokio::test]
async fn whatsapp_rules_are_checked_before_anything_is_queued() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::start(config(dir.path()), keychain().await).await.unwrap();
    let whatsapp = app.inbox(InboxQuery { channel: Some(Channel::Whatsapp), ..Default::default() }).await.unwrap();
    let mut closed = None;
    for c in &whatsapp {
        let t = app.transcript(c.id.clone()).await.unwrap();
        assert!(t.care_window.applies);
        if !t.care_window.open {
            closed = Some(c.id.clone());
        }
    }
    let closed = closed.expect("the demo has a WhatsApp chat older than a day");
    let e = app.send(text(&closed, "Free text after the window")).await.unwrap_err();
    assert_eq!(e.code(), "outside_care_window");
    assert!(e.to_string().contains("24-hour"), "{e}");

    let template = |name: &str, params: &[&str]| SendRequest {
        conversation_id: closed.clone(),
        compose: Compose::Template {
            name: name.into(),
            language: "en".into(),
            params: params.iter().map(|p| p.to_string()).collect(),
        },
        send_at: None,
    };
    assert_eq!(app.send(template("no_such_template", &["a"])).await.unwrap_err().code(), "template_unavailable");
    assert_eq!(app.send(template("results_ready", &[])).await.unwrap_err().code(), "invalid_input");
    assert_eq!(app.send(template("results_ready", &["  "])).await.unwrap_err().code(), "invalid_input");
    assert!(app.transcript(closed.clone()).await.unwrap().pending.is_empty(), "nothing was queued");

    let approved = app.templates().await.unwrap();
    assert!(approved.iter().any(|t| t.name == "results_ready" && t.param_count == 1));
    let queued = app.send(template("results_ready", &["Maya"])).await.unwrap();
    let m = sent_message(&app, &closed, &queued.client_id).await;
    assert_eq!(m.body, "Hi Maya, your test results are ready in the patient portal.");
    app.shutdown().await;
}

#[tokio::test]
async fn drafts_actions_contacts_search_and_read_markers() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::start(config(dir.path()), keychain().await).await.unwrap();
    let me = app.overview().member_id;
    assert!(app.overview().is_admin);
    let inbox = app.inbox(InboxQuery::default()).await.unwrap();
    let c = inbox.iter().find(|c| c.unread > 0).expect("unread demo conversations").clone();

    // An AI draft answers the contact's latest message and says which one.
    let draft = app.ai_draft(c.id.clone()).await.unwrap();
    assert!(!draft.reply.trim().is_empty());
    assert!((0.0..=1.0).contains(&draft.confidence));
    let t = app.transcript(c.id.clone()).await.unwrap();
    assert_eq!(draft.based_on_message_id, t.last_inbound_message_id);
    assert_eq!(t.unanswered_message_id, t.last_inbound_message_id, "the contact has the last word");
    assert_eq!(app.ai_draft("conv_nope".into()).await.unwrap_err().code(), "not_found");
    // Where the last word is ours, a draft would answer an old question again: none.
    let mut answered = None;
    for item in &inbox {
        let t = app.transcript(item.id.clone()).await.unwrap();
        let last = t.messages.iter().rev().find(|m| m.kind != switchboard_api::MessageKind::Note);
        if last.is_some_and(|m| m.direction == switchboard_api::Direction::Outbound)
            && t.last_inbound_message_id.is_some()
        {
            answered = Some(t);
            break;
        }
    }
    let answered = answered.expect("a demo conversation we answered last");
    assert_eq!(answered.unanswered_message_id, None);
    let err = app.ai_draft(answered.conversation.id.clone()).await.unwrap_err();
    assert_eq!(err.code(), "nothing_to_answer", "{err}");

    // Read markers clear the unread count.
    app.mark_read(c.id.clone()).await.unwrap();
    assert_eq!(app.transcript(c.id.clone()).await.unwrap().conversation.unread, 0);

    // Assign to me: the Mine view has it; an unknown member is refused.
    app.act(c.id.clone(), ConversationAction::Assign { member_id: Some(me.clone()) }).await.unwrap();
    let mine = app.inbox(InboxQuery { view: InboxView::Mine, ..Default::default() }).await.unwrap();
    assert!(mine.iter().any(|m| m.id == c.id) && mine.iter().all(|m| m.assignee_id.as_deref() == Some(me.as_str())));
    let unknown = app.act(c.id.clone(), ConversationAction::Assign { member_id: Some("mem_nope".into()) }).await;
    assert_eq!(unknown.unwrap_err().code(), "not_found");
    let unassigned = app.inbox(InboxQuery { view: InboxView::Unassigned, ..Default::default() }).await.unwrap();
    assert!(unassigned.iter().all(|m| m.assignee_id.is_none() && m.id != c.id));

    // Labels and priority come back from the server into the cache.
    app.act(c.id.clone(), ConversationAction::SetLabels { labels: vec!["VIP".into(), " Billing ".into()] })
        .await
        .unwrap();
    app.act(c.id.clone(), ConversationAction::SetPriority { priority: Priority::High }).await.unwrap();
    let item = app.transcript(c.id.clone()).await.unwrap().conversation;
    assert_eq!(item.labels, vec!["VIP".to_string(), "Billing".to_string()]);
    assert_eq!(item.priority, Priority::High);
    let bad = app.act(c.id.clone(), ConversationAction::SetLabels { labels: vec!["".into()] }).await.unwrap_err();
    assert_eq!(bad.code(), "invalid_parameter");
    let labelled = app.inbox(InboxQuery { label: Some("VIP".into()), ..Default::default() }).await.unwrap();
    assert_eq!(labelled.iter().map(|i| i.id.clone()).collect::<Vec<_>>(), vec![c.id.clone()]);

    // Snooze needs a future time; resolve goes through the outbox and lands.
    let past = app.act(c.id.clone(), ConversationAction::Snooze { until: "2001-01-01T00:00:00Z".into() }).await;
    assert_eq!(past.unwrap_err().code(), "invalid_input");
    app.act(c.id.clone(), ConversationAction::Resolve).await.unwrap();
    eventually("the conversation resolved in the cache", Duration::from_secs(20), || async {
        let t = app.transcript(c.id.clone()).await.unwrap();
        (t.conversation.status == ConversationStatus::Resolved && t.pending.is_empty()).then_some(())
    })
    .await;

    // The contact panel: details, the conversation among theirs; edits reach the server.
    let panel = app.contact_panel(c.contact_id.clone()).await.unwrap();
    assert!(panel.conversations.iter().any(|x| x.id == c.id));
    app.edit_contact(
        c.contact_id.clone(),
        ContactEdit { email: Some("maya@example.com".into()), ..Default::default() },
    )
    .await
    .unwrap();
    let panel = app.contact_panel(c.contact_id.clone()).await.unwrap();
    assert_eq!(panel.contact.email.as_deref(), Some("maya@example.com"));
    let long = ContactEdit { name: Some("n".repeat(201)), ..Default::default() };
    assert_eq!(app.edit_contact(c.contact_id.clone(), long).await.unwrap_err().code(), "invalid_input");
    assert_eq!(app.contact_panel("ct_nope".into()).await.unwrap_err().code(), "not_found");

    // Search over the cached history finds a demo message with the word marked.
    let results = app.search("insurance".into()).await.unwrap();
    assert!(!results.messages.is_empty());
    assert!(results.messages[0].snippet.iter().any(|r| r.hit && r.text.to_lowercase().contains("insurance")));
    assert!(app.search("\"\")(*".into()).await.is_ok(), "hostile query text is words, not syntax");
    assert_eq!(app.search("x".repeat(201)).await.unwrap_err().code(), "invalid_input");

    // Leads move along the pipeline and export as CSV; appointment requests are answered.
    let leads = app.leads().await.unwrap();
    let lead = leads.iter().find(|l| l.status == LeadStatus::New).expect("new demo leads").clone();
    assert_eq!(
        app.set_lead_status(lead.id.clone(), LeadStatus::Qualified).await.unwrap().status,
        LeadStatus::Qualified
    );
    assert_eq!(app.set_lead_status("lead_nope".into(), LeadStatus::Won).await.unwrap_err().code(), "not_found");
    let exports = tempfile::tempdir().unwrap();
    let file = app.export_leads(exports.path().to_owned(), Some(LeadStatus::Qualified)).await.unwrap();
    let csv = std::fs::read_to_string(&file).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("id,name,email,phone,interest,status,created_at,conversation_id"));
    let rows: Vec<&str> = lines.collect();
    assert!(rows.iter().any(|r| r.starts_with(&format!("{},", lead.id))), "{csv}");
    assert!(rows.iter().all(|r| r.contains(",qualified,")), "only the qualified ones: {csv}");
    let appointment = app
        .appointments()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.status == AppointmentStatus::Requested)
        .expect("requested demo appointments");
    let answered = app.set_appointment_status(appointment.id.clone(), AppointmentStatus::Confirmed).await.unwrap();
    assert_eq!(answered.status, AppointmentStatus::Confirmed);
    let cached = app.appointments().await.unwrap().into_iter().find(|a| a.id == appointment.id).unwrap();
    assert_eq!(cached.status, AppointmentStatus::Confirmed, "the cache has the answer at once");

    // The views: escalated ones are handed to a person; longest waiting puts waiting first.
    let escalated = app.inbox(InboxQuery { view: InboxView::Escalated, ..Default::default() }).await.unwrap();
    assert!(escalated.iter().all(|e| e.escalated_at.is_some() && e.status != ConversationStatus::Resolved));
    let waiting = app.inbox(InboxQuery { sort: InboxSort::LongestWaiting, ..Default::default() }).await.unwrap();
    let since: Vec<_> = waiting.iter().map_while(|w| w.waiting_since.clone()).collect();
    assert!(!since.is_empty() && since.windows(2).all(|w| w[0] <= w[1]), "{since:?}");
    assert!(waiting[since.len()..].iter().all(|w| w.waiting_since.is_none()));
    app.shutdown().await;
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
