use rusqlite::{Connection, OptionalExtension, params};
use switchboard_api::{
    Change, Channel, Conversation, ConversationStatus, Direction, Handler, Message, MessageKind, Priority,
};
use switchboard_sqlite::{conversation_from_row, conversation_values, placeholders};

use super::Writer;
use crate::error::Error;
use crate::ids::new_id;
use rusqlite::types::Value;

use crate::storage::{AssigneeFilter, ConversationCursor, ConversationFilter};
use crate::time;

const COLUMNS: &str = switchboard_sqlite::CONVERSATION_COLUMNS;

/// Inbox order: most recent activity first.
const ACTIVITY: &str = "COALESCE(last_message_at, created_at)";

const PREVIEW_CHARS: usize = 140;

/// Rows with `since < seq <= upto`, in `seq` order.
pub(super) fn select_seq_range(
    conn: &Connection,
    workspace_id: &str,
    since: i64,
    upto: i64,
) -> Result<Vec<Conversation>, Error> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM conversations WHERE workspace_id = ?1 AND seq > ?2 AND seq <= ?3 ORDER BY seq"
    ))?;
    let rows = stmt.query_map(params![workspace_id, since, upto], conversation_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn get_conversation(conn: &Connection, workspace_id: &str, id: &str) -> Result<Conversation, Error> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM conversations WHERE workspace_id = ?1 AND id = ?2"))?
        .query_row([workspace_id, id], conversation_from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("conversation"))
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

pub fn list_conversations(
    conn: &Connection,
    workspace_id: &str,
    filter: &ConversationFilter,
    after: Option<&ConversationCursor>,
    limit: u32,
) -> Result<(Vec<Conversation>, Option<ConversationCursor>), Error> {
    // With no cursor, start above every possible key.
    let (activity, after_id) = after.map_or(("\u{10FFFF}", "\u{10FFFF}"), |c| (c.activity.as_str(), c.id.as_str()));
    let mut sql = format!(
        "SELECT {COLUMNS} FROM conversations c
         WHERE workspace_id = ?1 AND ({ACTIVITY}, id) < (?2, ?3)"
    );
    let mut values: Vec<Value> = vec![text(workspace_id), text(activity), text(after_id)];
    let mut bind = |clause: &str, value: Value, sql: &mut String| {
        values.push(value);
        sql.push_str(&clause.replace('?', &format!("?{}", values.len())));
    };
    if let Some(status) = filter.status {
        bind(" AND status = ?", text(status.as_str()), &mut sql);
    }
    if let Some(channel) = filter.channel {
        bind(" AND channel = ?", text(channel.as_str()), &mut sql);
    }
    match &filter.assignee {
        Some(AssigneeFilter::Unassigned) => sql.push_str(" AND assignee_id IS NULL"),
        Some(AssigneeFilter::Member(id)) => bind(" AND assignee_id = ?", text(id), &mut sql),
        None => {}
    }
    if let Some(label) = &filter.label {
        bind(" AND EXISTS (SELECT 1 FROM json_each(c.labels) WHERE lower(value) = lower(?))", text(label), &mut sql);
    }
    if let Some(since) = &filter.updated_since {
        bind(" AND updated_at > ?", text(since), &mut sql);
    }
    if filter.escalated {
        sql.push_str(" AND escalated_at IS NOT NULL AND status != 'resolved'");
    }
    if let Some(member) = &filter.unread_for {
        bind(
            " AND c.last_inbound_at > COALESCE((SELECT r.last_read_at FROM read_markers r
                 WHERE r.conversation_id = c.id AND r.member_id = ?), '')",
            text(member),
            &mut sql,
        );
    }
    if let Some(query) = &filter.text {
        let pattern = format!("%{}%", query.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        bind(
            " AND (last_message_preview LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM contacts ct WHERE ct.id = c.contact_id
                 AND (ct.name LIKE ? ESCAPE '\\' OR ct.phone LIKE ? ESCAPE '\\' OR ct.email LIKE ? ESCAPE '\\')))",
            text(&pattern),
            &mut sql,
        );
    }
    let n = values.len() + 1;
    sql.push_str(&format!(" ORDER BY {ACTIVITY} DESC, id DESC LIMIT ?{n}"));
    values.push(i64::from(limit + 1).into());
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows: Vec<Conversation> =
        stmt.query_map(rusqlite::params_from_iter(values), conversation_from_row)?.collect::<Result<_, _>>()?;
    let next = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|c| ConversationCursor {
            activity: c.last_message_at.clone().unwrap_or_else(|| c.created_at.clone()),
            id: c.id.clone(),
        })
    } else {
        None
    };
    Ok((rows, next))
}

/// The inbox's view counts in one pass over the workspace's conversations.
pub fn counts(
    conn: &Connection,
    workspace_id: &str,
    member_id: &str,
) -> Result<switchboard_api::ConversationCounts, Error> {
    Ok(conn.prepare_cached(COUNTS)?.query_row(params![workspace_id, member_id], |r| {
        Ok(switchboard_api::ConversationCounts {
            all: r.get(0)?,
            mine: r.get(1)?,
            unassigned: r.get(2)?,
            open: r.get(3)?,
            pending: r.get(4)?,
            snoozed: r.get(5)?,
            resolved: r.get(6)?,
        })
    })?)
}

/// Sums the (status, assignee) buckets that triggers keep in `conversation_counts`.
const COUNTS: &str = "SELECT
        COALESCE(SUM(CASE WHEN status != 'resolved' THEN n END), 0),
        COALESCE(SUM(CASE WHEN status != 'resolved' AND assignee_id = ?2 THEN n END), 0),
        COALESCE(SUM(CASE WHEN status != 'resolved' AND assignee_id = '' THEN n END), 0),
        COALESCE(SUM(CASE WHEN status = 'open' THEN n END), 0),
        COALESCE(SUM(CASE WHEN status = 'pending' THEN n END), 0),
        COALESCE(SUM(CASE WHEN status = 'snoozed' THEN n END), 0),
        COALESCE(SUM(CASE WHEN status = 'resolved' THEN n END), 0)
    FROM conversation_counts WHERE workspace_id = ?1";

/// A contact's most recent unresolved conversation (`?1` workspace, `?2` contact), on
/// channel `?3` if `by_channel`.
fn latest_open_sql(by_channel: bool) -> String {
    let channel = if by_channel { "AND channel = ?3" } else { "" };
    format!(
        "SELECT {COLUMNS} FROM conversations
         WHERE workspace_id = ?1 AND contact_id = ?2 {channel} AND status != 'resolved'
         ORDER BY {ACTIVITY} DESC LIMIT 1"
    )
}

/// The contact's most recent unresolved conversation on any channel, if there is one.
pub fn latest_open(conn: &Connection, workspace_id: &str, contact_id: &str) -> Result<Option<Conversation>, Error> {
    Ok(conn
        .prepare_cached(&latest_open_sql(false))?
        .query_row(params![workspace_id, contact_id], conversation_from_row)
        .optional()?)
}

/// The contact's most recent unresolved conversation on `channel`, or a new one.
pub fn find_or_open(
    w: &mut Writer<'_>,
    workspace_id: &str,
    contact_id: &str,
    channel: Channel,
) -> Result<Conversation, Error> {
    let existing = w
        .conn()
        .prepare_cached(&latest_open_sql(true))?
        .query_row(params![workspace_id, contact_id, channel.as_str()], conversation_from_row)
        .optional()?;
    if let Some(conversation) = existing {
        return Ok(conversation);
    }
    open_new(w, workspace_id, contact_id, channel)
}

/// A new open conversation of the contact, answered by the AI until a person takes it.
pub fn open_new(
    w: &mut Writer<'_>,
    workspace_id: &str,
    contact_id: &str,
    channel: Channel,
) -> Result<Conversation, Error> {
    let now = time::now();
    let conversation = Conversation {
        id: new_id("conv"),
        contact_id: contact_id.to_owned(),
        channel,
        status: ConversationStatus::Open,
        handler: Handler::Ai,
        assignee_id: None,
        snoozed_until: None,
        escalated_at: None,
        escalation_reason: None,
        priority: Priority::None,
        labels: Vec::new(),
        last_message_preview: None,
        last_message_at: None,
        last_inbound_at: None,
        created_at: now.clone(),
        updated_at: now,
        seq: w.next_seq(workspace_id)?,
    };
    insert(w, workspace_id, &conversation)?;
    Ok(conversation)
}

pub fn insert(w: &mut Writer<'_>, workspace_id: &str, c: &Conversation) -> Result<(), Error> {
    let mut values = vec![rusqlite::types::Value::Text(workspace_id.to_owned())];
    values.extend(conversation_values(c));
    w.conn()
        .prepare_cached(&format!(
            "INSERT INTO conversations (workspace_id, {COLUMNS}) VALUES ({})",
            placeholders(values.len())
        ))?
        .execute(rusqlite::params_from_iter(values))?;
    w.record(workspace_id, Change::Conversation(c.clone()));
    super::webhook_events::conversation_created(w, workspace_id, c)
}

/// Moves the conversation's activity to `message`; an inbound message reopens it.
pub fn touch_for_message(w: &mut Writer<'_>, workspace_id: &str, message: &Message) -> Result<Conversation, Error> {
    let mut c = get_conversation(w.conn(), workspace_id, &message.conversation_id)?;
    c.last_message_preview = Some(preview(&preview_text(message)));
    c.last_message_at = Some(message.created_at.clone());
    if message.direction == Direction::Inbound {
        c.last_inbound_at = Some(message.created_at.clone());
        if matches!(c.status, ConversationStatus::Resolved | ConversationStatus::Snoozed) {
            c.status = ConversationStatus::Open;
            c.snoozed_until = None;
        }
    }
    save(w, workspace_id, c)
}

/// Writes every column of an existing conversation with a fresh `seq` and `updated_at`,
/// and records the change. The one way conversations change after creation.
pub fn save(w: &mut Writer<'_>, workspace_id: &str, mut c: Conversation) -> Result<Conversation, Error> {
    c.updated_at = time::now();
    c.seq = w.next_seq(workspace_id)?;
    let values = conversation_values(&c);
    let mut params = vec![rusqlite::types::Value::Text(workspace_id.to_owned())];
    params.extend(values);
    let changed = w
        .conn()
        .prepare_cached(&switchboard_sqlite::update_in_workspace_sql("conversations", COLUMNS))?
        .execute(rusqlite::params_from_iter(params))?;
    if changed == 0 {
        return Err(Error::not_found("conversation"));
    }
    w.record(workspace_id, Change::Conversation(c.clone()));
    Ok(c)
}

/// Reopens snoozed conversations whose time has come. Returns how many.
pub fn wake_snoozed(w: &mut Writer<'_>, now: &str) -> Result<usize, Error> {
    let due: Vec<(String, String)> = {
        let mut stmt = w
            .conn()
            .prepare("SELECT workspace_id, id FROM conversations WHERE status = 'snoozed' AND snoozed_until <= ?1")?;
        stmt.query_map([now], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?
    };
    for (workspace_id, id) in &due {
        let mut c = get_conversation(w.conn(), workspace_id, id)?;
        c.status = ConversationStatus::Open;
        c.snoozed_until = None;
        save(w, workspace_id, c)?;
    }
    Ok(due.len())
}

/// What the inbox shows for a message: its text, or for a message without text what it is.
fn preview_text(m: &Message) -> String {
    if !m.body.trim().is_empty() {
        return m.body.clone();
    }
    let named = |what: &str, name: Option<&str>| match name {
        Some(n) => format!("{what}: {n}"),
        None => what.to_owned(),
    };
    match m.kind {
        MessageKind::Image => "Photo".to_owned(),
        MessageKind::Video => "Video".to_owned(),
        MessageKind::Audio => "Voice message".to_owned(),
        MessageKind::Document => named("Document", m.attachment.as_ref().and_then(|a| a.filename.as_deref())),
        MessageKind::Location => named("Location", m.location.as_ref().and_then(|l| l.name.as_deref())),
        MessageKind::Contact => named("Contact", m.contact_card.as_ref().map(|c| c.name.as_str())),
        MessageKind::Text | MessageKind::Template | MessageKind::Note => String::new(),
    }
}

fn preview(body: &str) -> String {
    let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(PREVIEW_CHARS) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counts read the bucket table's primary key, never the conversations.
    #[test]
    fn the_counts_read_only_the_buckets() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db =
            crate::db::Db::open(&dir.path().join("db.sqlite3"), std::sync::Arc::new(crate::vault::Vault::ephemeral()))
                .expect("open");
        let plan = db
            .write_blocking(|w| {
                let mut stmt = w.conn().prepare(&format!("EXPLAIN QUERY PLAN {COUNTS}"))?;
                let rows = stmt.query_map(params!["ws", "mem"], |r| r.get::<_, String>(3))?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?.join("\n"))
            })
            .expect("plan");
        assert!(plan.contains("conversation_counts USING PRIMARY KEY"), "{plan}");
        assert!(!plan.contains("conversations "), "{plan}");
    }

    /// The buckets as they should be, straight from the rows.
    fn recount(conn: &Connection) -> Vec<(String, String, String, i64)> {
        let mut stmt = conn
            .prepare(
                "SELECT workspace_id, status, COALESCE(assignee_id, ''), count(*) FROM conversations
                 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
            )
            .expect("prepare");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    }

    fn buckets(conn: &Connection) -> Vec<(String, String, String, i64)> {
        let mut stmt = conn
            .prepare(
                "SELECT workspace_id, status, assignee_id, n FROM conversation_counts WHERE n != 0 ORDER BY 1, 2, 3",
            )
            .expect("prepare");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    }

    /// Random opens, status and assignee changes and deletions: the buckets always equal a
    /// recount of the rows.
    #[test]
    fn the_buckets_follow_every_change() {
        use rand::{Rng, SeedableRng};
        let dir = tempfile::tempdir().expect("tempdir");
        let db =
            crate::db::Db::open(&dir.path().join("db.sqlite3"), std::sync::Arc::new(crate::vault::Vault::ephemeral()))
                .expect("open");
        let seed = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(7);
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        db.write_blocking(move |w| {
            let created = crate::db::create_workspace(w, "Clinic", "Owner")?;
            let (ws, owner) = (created.workspace.id, created.owner.id);
            let statuses = [
                ConversationStatus::Open,
                ConversationStatus::Pending,
                ConversationStatus::Resolved,
                ConversationStatus::Snoozed,
            ];
            let mut ids = Vec::new();
            for step in 0..300 {
                match rng.random_range(0..10) {
                    0..=2 => {
                        let phone = format!("+1555{:07}", rng.random_range(0..50));
                        let contact = crate::db::find_or_create_by_phone(w, &ws, &phone, None)?;
                        let id = find_or_open(w, &ws, &contact.id, Channel::Web)?.id;
                        if !ids.contains(&id) {
                            ids.push(id);
                        }
                    }
                    3 if !ids.is_empty() => {
                        let id = ids.swap_remove(rng.random_range(0..ids.len()));
                        w.conn().execute("DELETE FROM messages WHERE conversation_id = ?1", [&id])?;
                        w.conn().execute("DELETE FROM conversations WHERE id = ?1", [&id])?;
                    }
                    _ if !ids.is_empty() => {
                        let mut c = get_conversation(w.conn(), &ws, &ids[rng.random_range(0..ids.len())])?;
                        c.status = statuses[rng.random_range(0..statuses.len())];
                        c.snoozed_until =
                            (c.status == ConversationStatus::Snoozed).then(|| "2999-01-01T00:00:00.000Z".into());
                        c.assignee_id = rng.random_bool(0.5).then(|| owner.clone());
                        save(w, &ws, c)?;
                    }
                    _ => {}
                }
                assert_eq!(buckets(w.conn()), recount(w.conn()), "after step {step} (FUZZ_SEED={seed})");
            }
            Ok(())
        })
        .expect("write");
    }

    /// A database from before the buckets gets them filled from its rows.
    #[test]
    fn the_migration_fills_the_buckets_from_existing_rows() {
        let mut conn = Connection::open_in_memory().expect("open");
        let migrations = super::super::schema::MIGRATIONS;
        let before = migrations.iter().position(|m| m.contains("CREATE TABLE conversation_counts")).expect("found");
        switchboard_sqlite::migrate(&mut conn, &migrations[..before]).expect("old schema");
        conn.execute_batch(
            "INSERT INTO workspaces (id, name, plan, created_at) VALUES ('ws', 'W', 'p', 't');
             INSERT INTO members (id, workspace_id, name, role, created_at) VALUES ('m', 'ws', 'M', 'owner', 't');
             INSERT INTO contacts (workspace_id, id, created_at, updated_at, seq) VALUES ('ws', 'ct', 't', 't', 1);",
        )
        .expect("seed");
        for (i, (status, assignee)) in [("open", None), ("open", Some("m")), ("resolved", None)].iter().enumerate() {
            conn.execute(
                "INSERT INTO conversations (workspace_id, id, contact_id, channel, status, handler, assignee_id,
                     created_at, updated_at, seq) VALUES ('ws', ?1, 'ct', 'web', ?2, 'ai', ?3, 't', 't', ?4)",
                params![format!("c{i}"), status, assignee, i as i64 + 2],
            )
            .expect("insert");
        }
        switchboard_sqlite::migrate(&mut conn, migrations).expect("migrate");
        assert_eq!(buckets(&conn), recount(&conn));
        assert_eq!(buckets(&conn).len(), 3);
    }

    /// Finding a contact's conversation must not walk the whole workspace's inbox index
    /// (the planner's first choice, for the ORDER BY, before this index existed).
    #[test]
    fn a_contacts_conversation_is_found_by_the_contact_index() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db =
            crate::db::Db::open(&dir.path().join("db.sqlite3"), std::sync::Arc::new(crate::vault::Vault::ephemeral()))
                .expect("open");
        for by_channel in [true, false] {
            let plan = db
                .write_blocking(move |w| {
                    let mut stmt = w.conn().prepare(&format!("EXPLAIN QUERY PLAN {}", latest_open_sql(by_channel)))?;
                    let params = params!["ws", "ct", "web"];
                    let n = if by_channel { 3 } else { 2 };
                    let rows = stmt.query_map(&params[..n], |r| r.get::<_, String>(3))?;
                    Ok(rows.collect::<Result<Vec<_>, _>>()?.join("\n"))
                })
                .expect("plan");
            assert!(plan.contains("INDEX conversations_contact (contact_id=?)"), "{plan}");
            assert!(!plan.contains("TEMP B-TREE"), "{plan}");
        }
    }

    #[test]
    fn the_inbox_page_uses_the_activity_index_without_sorting() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db =
            crate::db::Db::open(&dir.path().join("db.sqlite3"), std::sync::Arc::new(crate::vault::Vault::ephemeral()))
                .expect("open");
        let plan = db
            .write_blocking(|w| {
                let sql = format!(
                    "EXPLAIN QUERY PLAN SELECT {COLUMNS} FROM conversations c
                     WHERE workspace_id = ?1 AND ({ACTIVITY}, id) < (?2, ?3)
                     ORDER BY {ACTIVITY} DESC, id DESC LIMIT ?4"
                );
                let mut stmt = w.conn().prepare(&sql)?;
                let rows = stmt.query_map(params!["ws", "z", "z", 51], |r| r.get::<_, String>(3))?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?.join("\n"))
            })
            .expect("plan");
        assert!(plan.contains("conversations_activity"), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }

    #[test]
    fn a_message_without_text_is_previewed_by_what_it_is() {
        let pin = Message {
            id: "msg".into(),
            conversation_id: "conv".into(),
            direction: Direction::Outbound,
            author: switchboard_api::Author::Ai,
            author_id: None,
            kind: MessageKind::Location,
            body: String::new(),
            attachment: None,
            location: Some(switchboard_api::Location {
                latitude: 1.0,
                longitude: 2.0,
                name: Some("Clinic".into()),
                address: None,
            }),
            contact_card: None,
            template: None,
            status: switchboard_api::MessageStatus::Sent,
            error: None,
            error_code: None,
            client_id: None,
            created_at: "2027-01-01T00:00:00.000Z".into(),
            seq: 1,
        };
        assert_eq!(preview_text(&pin), "Location: Clinic");
        let photo = Message { kind: MessageKind::Image, location: None, ..pin.clone() };
        assert_eq!(preview_text(&photo), "Photo");
        let captioned = Message { body: "Your X-ray".into(), ..photo };
        assert_eq!(preview_text(&captioned), "Your X-ray");
    }

    #[test]
    fn preview_flattens_and_truncates_on_char_boundaries() {
        assert_eq!(preview("hello\n  there"), "hello there");
        let long = "é".repeat(200);
        let p = preview(&long);
        assert_eq!(p.chars().count(), PREVIEW_CHARS + 1);
        assert!(p.ends_with('…'));
    }
}
