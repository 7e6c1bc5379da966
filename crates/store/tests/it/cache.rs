#![allow(clippy::unwrap_used)]

use switchboard_api::{
    Author, Change, Channel, Contact, Conversation, ConversationStatus, Direction, Handler, Lead, LeadStatus, Location,
    Message, MessageKind, MessageStatus, Priority, Tombstone,
};
use switchboard_store::{Store, StoreError};

fn contact(id: &str, name: Option<&str>, phone: Option<&str>, seq: i64) -> Contact {
    Contact {
        id: id.into(),
        name: name.map(Into::into),
        phone: phone.map(Into::into),
        email: None,
        external_id: None,
        custom_attributes: Default::default(),
        created_at: "2026-01-01T00:00:00.000Z".into(),
        updated_at: "2026-01-01T00:00:00.000Z".into(),
        seq,
    }
}

fn conversation(id: &str, contact_id: &str, last: &str, seq: i64) -> Conversation {
    Conversation {
        id: id.into(),
        contact_id: contact_id.into(),
        channel: Channel::Whatsapp,
        status: ConversationStatus::Open,
        handler: Handler::Ai,
        assignee_id: None,
        snoozed_until: None,
        escalated_at: None,
        escalation_reason: None,
        priority: Priority::None,
        labels: vec!["vip".into()],
        last_message_preview: Some(format!("preview {seq}")),
        last_message_at: Some(last.into()),
        last_inbound_at: None,
        created_at: "2026-01-01T00:00:00.000Z".into(),
        updated_at: last.into(),
        seq,
    }
}

fn message(id: &str, conversation_id: &str, body: &str, seq: i64) -> Message {
    Message {
        id: id.into(),
        conversation_id: conversation_id.into(),
        direction: Direction::Inbound,
        author: Author::Contact,
        author_id: None,
        kind: MessageKind::Text,
        body: body.into(),
        attachment: None,
        location: None,
        contact_card: None,
        template: None,
        status: MessageStatus::Delivered,
        error: None,
        error_code: None,
        client_id: None,
        created_at: format!("2026-01-01T00:00:{:02}.000Z", seq % 60),
        seq,
    }
}

#[test]
fn replaying_a_page_changes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let page = vec![
        Change::Contact(contact("ct_1", Some("Ada"), None, 1)),
        Change::Conversation(conversation("conv_1", "ct_1", "2026-01-02T00:00:00.000Z", 2)),
        Change::Message(message("msg_1", "conv_1", "hello", 3)),
    ];
    let first = store.apply(&page, 3).unwrap();
    assert_eq!(first.conversation_ids.into_iter().collect::<Vec<_>>(), ["conv_1"]);
    store.apply(&page, 3).unwrap();
    assert_eq!(store.all_messages().unwrap().len(), 1);
    assert_eq!(store.all_conversations().unwrap().len(), 1);
    assert_eq!(store.cursor().unwrap(), 3);
}

#[test]
fn an_older_copy_never_overwrites_a_newer_one() {
    let mut store = Store::open_in_memory().unwrap();
    store.apply(&[Change::Message(message("msg_1", "conv_1", "edited", 9))], 9).unwrap();
    store.apply(&[Change::Message(message("msg_1", "conv_1", "original", 4))], 4).unwrap();
    assert_eq!(store.all_messages().unwrap()[0].body, "edited");
    assert_eq!(store.cursor().unwrap(), 9, "the cursor never moves back");
}

#[test]
fn tombstones_remove_rows_and_unknown_entities_are_skipped() {
    let mut store = Store::open_in_memory().unwrap();
    store.apply(&[Change::Message(message("msg_1", "conv_1", "bye", 1))], 1).unwrap();
    let deleted = [
        Change::Deleted(Tombstone { entity: "message".into(), id: "msg_1".into(), seq: 2 }),
        Change::Deleted(Tombstone { entity: "hologram".into(), id: "h_1".into(), seq: 3 }),
    ];
    store.apply(&deleted, 3).unwrap();
    assert!(store.all_messages().unwrap().is_empty());
    assert_eq!(store.cursor().unwrap(), 3);
}

#[test]
fn message_payloads_and_records_round_trip() {
    let mut store = Store::open_in_memory().unwrap();
    let pin = Message {
        kind: MessageKind::Location,
        body: String::new(),
        location: Some(Location { latitude: 52.52, longitude: 13.405, name: Some("Clinic".into()), address: None }),
        ..message("msg_1", "conv_1", "", 1)
    };
    let lead = Lead {
        id: "lead_1".into(),
        contact_id: Some("ct_1".into()),
        conversation_id: Some("conv_1".into()),
        name: Some("Ada".into()),
        email: None,
        phone: Some("+15550100".into()),
        interest: Some("Teeth whitening".into()),
        status: LeadStatus::New,
        created_at: "2026-01-01T00:00:00.000Z".into(),
        updated_at: "2026-01-01T00:00:00.000Z".into(),
        seq: 2,
    };
    store.apply(&[Change::Message(pin.clone()), Change::Lead(lead.clone())], 2).unwrap();
    assert_eq!(store.all_messages().unwrap(), [pin]);
    assert_eq!(store.records::<Lead>().unwrap(), [lead]);
    store.apply(&[Change::Deleted(Tombstone { entity: "lead".into(), id: "lead_1".into(), seq: 3 })], 3).unwrap();
    assert!(store.records::<Lead>().unwrap().is_empty());
}

#[test]
fn inbox_is_most_recent_first_with_a_readable_title() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .apply(
            &[
                Change::Contact(contact("ct_named", Some("Grace Kim"), Some("+15550100"), 1)),
                Change::Contact(contact("ct_phone", None, Some("+15550101"), 2)),
                Change::Conversation(conversation("conv_old", "ct_named", "2026-01-01T10:00:00.000Z", 3)),
                Change::Conversation(conversation("conv_new", "ct_phone", "2026-01-02T10:00:00.000Z", 4)),
                // Its contact has not synced yet.
                Change::Conversation(conversation("conv_orphan", "ct_missing", "2026-01-01T12:00:00.000Z", 5)),
            ],
            5,
        )
        .unwrap();
    let inbox = store.inbox(10).unwrap();
    let order: Vec<_> = inbox.iter().map(|i| (i.id.as_str(), i.title.as_str())).collect();
    assert_eq!(order, [("conv_new", "+15550101"), ("conv_orphan", "Visitor"), ("conv_old", "Grace Kim")]);
    assert_eq!(store.inbox(1).unwrap().len(), 1);
    assert_eq!(store.inbox_item("conv_old", None).unwrap().map(|i| i.title), Some("Grace Kim".into()));
    assert_eq!(store.inbox_item("conv_nope", None).unwrap(), None);
}

#[test]
fn a_cache_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;").unwrap();
    }
    match Store::open(&path) {
        Err(e @ StoreError::SchemaTooNew { found: 99, .. }) => assert_eq!(e.code(), "cache_too_new"),
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("a newer cache must be refused"),
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    let tables: i64 =
        conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table'", [], |r| r.get(0)).unwrap();
    assert_eq!(tables, 1, "nothing was created in the newer cache");
}

#[test]
fn the_cache_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("cache.sqlite3");
    {
        let mut store = Store::open(&path).unwrap();
        store.apply(&[Change::Message(message("msg_1", "conv_1", "kept", 7))], 7).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.cursor().unwrap(), 7);
    assert_eq!(store.transcript("conv_1").unwrap()[0].body, "kept");
}

#[test]
fn unread_counts_follow_the_readers_marker_and_stop_at_the_cap() {
    let mut store = Store::open_in_memory().unwrap();
    let mut changes = vec![
        Change::Contact(contact("ct_1", Some("Ada"), None, 1)),
        Change::Conversation(conversation("conv_1", "ct_1", "2026-01-01T00:59:00.000Z", 2)),
    ];
    // 150 messages from the contact, one a second, and an answer from the team after them.
    for i in 0..150 {
        let mut m = message(&format!("msg_{i:03}"), "conv_1", "hello", 10 + i);
        m.created_at = format!("2026-01-01T00:{:02}:{:02}.000Z", i / 60, i % 60);
        changes.push(Change::Message(m));
    }
    let mut answer = message("msg_out", "conv_1", "hi", 200);
    answer.direction = Direction::Outbound;
    answer.author = Author::Member;
    answer.created_at = "2026-01-01T00:02:40.000Z".into();
    changes.push(Change::Message(answer));
    store.apply(&changes, 1).unwrap();
    let unread = |store: &Store, reader: Option<&str>| store.inbox_item("conv_1", reader).unwrap().unwrap().unread;
    assert_eq!(unread(&store, None), 0, "no reader, no count");
    assert_eq!(unread(&store, Some("mem_a")), switchboard_store::UNREAD_CAP, "capped");

    // mem_a read up to the 140th message: ten left, only the contact's counted.
    let marker = switchboard_api::ReadMarker {
        id: "rm_1".into(),
        conversation_id: "conv_1".into(),
        member_id: "mem_a".into(),
        last_read_at: "2026-01-01T00:02:19.000Z".into(),
        created_at: "2026-01-01T00:02:19.000Z".into(),
        updated_at: "2026-01-01T00:02:19.000Z".into(),
        seq: 300,
    };
    store.apply(&[Change::ReadMarker(marker)], 2).unwrap();
    assert_eq!(unread(&store, Some("mem_a")), 10);
    assert_eq!(unread(&store, Some("mem_b")), switchboard_store::UNREAD_CAP, "markers are per member");
}
