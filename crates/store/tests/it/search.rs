//! Searching the cache: every message and contact, found by words with highlighted
//! snippets, filtered by the conversation's status, channel, assignee, label and time,
//! and kept in step as rows change or go.

#![allow(clippy::unwrap_used)]

use switchboard_api::{
    Author, Change, Channel, Contact, Conversation, ConversationStatus, Direction, Handler, Message, MessageKind,
    MessageStatus, Priority, Tombstone,
};
use switchboard_store::{SearchQuery, Store};

fn contact(id: &str, name: &str, phone: &str, email: Option<&str>, seq: i64) -> Change {
    Change::Contact(Contact {
        id: id.into(),
        name: Some(name.into()),
        phone: Some(phone.into()),
        email: email.map(Into::into),
        external_id: None,
        custom_attributes: Default::default(),
        created_at: "2026-01-01T00:00:00.000Z".into(),
        updated_at: "2026-01-01T00:00:00.000Z".into(),
        seq,
    })
}

fn conversation(
    id: &str,
    contact_id: &str,
    channel: Channel,
    status: ConversationStatus,
    assignee: Option<&str>,
    labels: &[&str],
    seq: i64,
) -> Change {
    Change::Conversation(Conversation {
        id: id.into(),
        contact_id: contact_id.into(),
        channel,
        status,
        handler: Handler::Human,
        assignee_id: assignee.map(Into::into),
        snoozed_until: None,
        escalated_at: None,
        escalation_reason: None,
        priority: Priority::None,
        labels: labels.iter().map(|l| (*l).to_owned()).collect(),
        last_message_preview: None,
        last_message_at: Some("2026-03-01T00:00:00.000Z".into()),
        last_inbound_at: None,
        created_at: "2026-01-01T00:00:00.000Z".into(),
        updated_at: "2026-03-01T00:00:00.000Z".into(),
        seq,
    })
}

fn message(id: &str, conversation_id: &str, body: &str, at: &str, seq: i64) -> Change {
    Change::Message(Message {
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
        created_at: at.into(),
        seq,
    })
}

fn clinic() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store
        .apply(
            &[
                contact("ct_ana", "Ana Pereira", "+15550100001", Some("ana@example.com"), 1),
                contact("ct_bo", "Bo Chen", "+15550100002", None, 2),
                conversation("c_ana", "ct_ana", Channel::Whatsapp, ConversationStatus::Open, None, &["vip"], 3),
                conversation("c_bo", "ct_bo", Channel::Web, ConversationStatus::Resolved, Some("mem_sam"), &[], 4),
                message("m1", "c_ana", "My tooth hurts since the root canal last week", "2026-01-10T09:00:00.000Z", 5),
                message("m2", "c_ana", "Is the café next door open?", "2026-02-10T09:00:00.000Z", 6),
                message("m3", "c_bo", "Can I reschedule my root canal to Friday?", "2026-02-20T09:00:00.000Z", 7),
                message("m4", "c_bo", "Thanks, see you Friday", "2026-02-21T09:00:00.000Z", 8),
            ],
            8,
        )
        .unwrap();
    store
}

fn ids(hits: &[switchboard_store::MessageHit]) -> Vec<&str> {
    let mut ids: Vec<&str> = hits.iter().map(|h| h.message_id.as_str()).collect();
    ids.sort_unstable();
    ids
}

fn q(text: &str) -> SearchQuery {
    SearchQuery { text: text.into(), ..Default::default() }
}

#[test]
fn words_find_messages_with_highlighted_snippets() {
    let store = clinic();
    let hits = store.search_messages(&q("root canal")).unwrap();
    assert_eq!(ids(&hits), ["m1", "m3"]);
    let hit = hits.iter().find(|h| h.message_id == "m3").unwrap();
    assert_eq!(hit.conversation_id, "c_bo");
    assert_eq!(hit.title, "Bo Chen");
    let marked: Vec<&str> = hit.snippet.iter().filter(|r| r.hit).map(|r| r.text.as_str()).collect();
    assert_eq!(marked, ["root", "canal"]);
    let whole: String = hit.snippet.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(whole, "Can I reschedule my root canal to Friday?");

    // The last word is a prefix (search as you type); accents do not matter.
    assert_eq!(ids(&store.search_messages(&q("resched")).unwrap()), ["m3"]);
    assert_eq!(ids(&store.search_messages(&q("cafe")).unwrap()), ["m2"]);
    assert_eq!(ids(&store.search_messages(&q("CAFÉ next")).unwrap()), ["m2"]);
    // Every word must occur.
    assert!(store.search_messages(&q("root friday tooth")).unwrap().is_empty());
}

#[test]
fn filters_narrow_to_the_conversations_asked_for() {
    let store = clinic();
    let with = |f: fn(&mut SearchQuery)| {
        let mut query = q("root");
        f(&mut query);
        ids(&store.search_messages(&query).unwrap()).into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    assert_eq!(with(|q| q.status = Some(ConversationStatus::Resolved)), ["m3"]);
    assert_eq!(with(|q| q.channel = Some(Channel::Whatsapp)), ["m1"]);
    assert_eq!(with(|q| q.assignee = Some("unassigned".into())), ["m1"]);
    assert_eq!(with(|q| q.assignee = Some("mem_sam".into())), ["m3"]);
    assert_eq!(with(|q| q.label = Some("vip".into())), ["m1"]);
    assert_eq!(with(|q| q.from = Some("2026-02-01T00:00:00.000Z".into())), ["m3"]);
    assert_eq!(with(|q| q.to = Some("2026-02-01T00:00:00.000Z".into())), ["m1"]);
    assert_eq!(with(|q| q.limit = Some(1)).len(), 1);
}

#[test]
fn the_index_follows_edits_and_deletions() {
    let mut store = clinic();
    store
        .apply(&[message("m4", "c_bo", "Thanks, see you Saturday instead", "2026-02-21T09:00:00.000Z", 9)], 9)
        .unwrap();
    assert!(store.search_messages(&q("friday see")).unwrap().is_empty(), "the old text is gone from the index");
    assert_eq!(ids(&store.search_messages(&q("saturday")).unwrap()), ["m4"]);
    // An older copy arriving late changes neither the row nor the index.
    store.apply(&[message("m4", "c_bo", "Thanks, see you Friday", "2026-02-21T09:00:00.000Z", 8)], 9).unwrap();
    assert_eq!(ids(&store.search_messages(&q("saturday")).unwrap()), ["m4"]);
    let gone = Tombstone { entity: "message".into(), id: "m1".into(), seq: 10 };
    store.apply(&[Change::Deleted(gone)], 10).unwrap();
    assert_eq!(ids(&store.search_messages(&q("root")).unwrap()), ["m3"]);
}

#[test]
fn contacts_are_found_by_name_phone_or_email() {
    let mut store = clinic();
    let names = |text: &str| -> Vec<String> {
        store.search_contacts(text, 10).unwrap().into_iter().map(|c| c.contact_id).collect()
    };
    assert_eq!(names("pere"), ["ct_ana"]);
    assert_eq!(names("ana@example.com"), ["ct_ana"]);
    assert_eq!(names("15550100002"), ["ct_bo"]);
    assert_eq!(names("chen bo"), ["ct_bo"]);
    store.apply(&[contact("ct_bo", "Bo Lindqvist", "+15550100002", None, 11)], 11).unwrap();
    assert!(store.search_contacts("chen", 10).unwrap().is_empty());
    assert_eq!(store.search_contacts("lindq", 10).unwrap()[0].contact_id, "ct_bo");
}

#[test]
fn what_people_type_is_never_a_query_error() {
    let store = clinic();
    for text in [
        "\"",
        "root\"",
        "NEAR(root canal)",
        "root OR",
        "-root",
        "*",
        "root AND NOT canal",
        "(",
        "\u{E000}root",
        "ro:ot",
        "",
    ] {
        store.search_messages(&q(text)).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        store.search_contacts(text, 5).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    }
    assert!(store.search_messages(&q("")).unwrap().is_empty());
}

#[test]
fn hyphenated_and_repeated_words_are_found() {
    let mut store = clinic();
    store.apply(&[message("m9", "c_ana", "my x-ray results came back", "2026-02-22T09:00:00.000Z", 12)], 12).unwrap();
    for text in ["x-ray", "x-ray results", "results x-ray", "x-ray x-ray", "results results"] {
        assert_eq!(ids(&store.search_messages(&q(text)).unwrap()), ["m9"], "{text}");
    }
}

#[test]
fn a_cold_sync_indexes_at_the_end_and_a_crash_in_between_is_finished_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    let mut store = Store::open(&path).unwrap();
    store.begin_bulk().unwrap();
    assert!(store.in_bulk().unwrap());
    store
        .apply(
            &[
                contact("ct_ana", "Ana Pereira", "+15550100001", None, 1),
                conversation("c_ana", "ct_ana", Channel::Whatsapp, ConversationStatus::Open, None, &[], 2),
                message("m1", "c_ana", "root canal on friday", "2026-01-10T09:00:00.000Z", 3),
                message("m2", "c_ana", "is parking free", "2026-01-10T09:01:00.000Z", 4),
            ],
            4,
        )
        .unwrap();
    // Edited and deleted while in bulk: the rebuild reads the rows as they end up.
    store.apply(&[message("m2", "c_ana", "is parking free on saturday", "2026-01-10T09:01:00.000Z", 5)], 5).unwrap();
    store.apply(&[Change::Deleted(Tombstone { entity: "message".into(), id: "m1".into(), seq: 6 })], 6).unwrap();
    drop(store);

    // As if the app died before the end of its first sync: opening finishes the index.
    let store = Store::open(&path).unwrap();
    assert!(!store.in_bulk().unwrap());
    let raw = rusqlite::Connection::open(&path).unwrap();
    let back: i64 = raw
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('messages_conversation', 'message_search_insert')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(back, 2, "the transcript index and the search triggers are back");
    drop(raw);
    assert!(store.search_messages(&q("root")).unwrap().is_empty());
    assert_eq!(ids(&store.search_messages(&q("saturday parking")).unwrap()), ["m2"]);
    assert_eq!(store.search_contacts("pereira", 5).unwrap().len(), 1);
    // And the triggers are back: later rows are indexed as they come.
    let mut store = store;
    store.apply(&[message("m3", "c_ana", "thanks for the reminder", "2026-01-11T09:00:00.000Z", 7)], 7).unwrap();
    assert_eq!(ids(&store.search_messages(&q("reminder")).unwrap()), ["m3"]);
    store.begin_bulk().unwrap();
    store.finish_bulk().unwrap();
    store.finish_bulk().unwrap();
    assert_eq!(ids(&store.search_messages(&q("reminder")).unwrap()), ["m3"], "finishing twice is harmless");
}
