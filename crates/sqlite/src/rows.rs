//! Wire types ⇄ rows. The server's tables and the cache's tables name these columns alike.

use rusqlite::Row;
use rusqlite::types::{Type, Value, ValueRef};
use switchboard_api::{Attachment, Contact, ContactCard, Conversation, Location, Message, TemplateRef};

pub const CONTACT_COLUMNS: &str = "id, name, phone, email, created_at, updated_at, seq, external_id, custom_attributes";

pub const CONVERSATION_COLUMNS: &str = "id, contact_id, channel, status, handler, assignee_id, last_message_preview, \
     last_message_at, last_inbound_at, created_at, updated_at, seq, snoozed_until, priority, labels, escalated_at, \
     escalation_reason";

pub const MESSAGE_COLUMNS: &str = "id, conversation_id, direction, author, author_id, body, status, client_id, created_at, seq, kind, payload, error, \
     error_code";

/// A row selected with [`CONTACT_COLUMNS`].
pub fn contact_from_row(r: &Row<'_>) -> rusqlite::Result<Contact> {
    Ok(Contact {
        id: r.get(0)?,
        name: r.get(1)?,
        phone: r.get(2)?,
        email: r.get(3)?,
        created_at: r.get(4)?,
        updated_at: r.get(5)?,
        seq: r.get(6)?,
        external_id: r.get(7)?,
        custom_attributes: json_column(r.get_ref(8)?, 8)?,
    })
}

/// The values of [`CONTACT_COLUMNS`], in order, for inserts and upserts.
pub fn contact_values(c: &Contact) -> Vec<Value> {
    let text = |s: &str| Value::Text(s.to_owned());
    let optional = |s: &Option<String>| s.as_deref().map_or(Value::Null, text);
    vec![
        text(&c.id),
        optional(&c.name),
        optional(&c.phone),
        optional(&c.email),
        text(&c.created_at),
        text(&c.updated_at),
        Value::Integer(c.seq),
        optional(&c.external_id),
        Value::Text(serde_json::to_string(&c.custom_attributes).unwrap_or_else(|_| "{}".to_owned())),
    ]
}

/// A column holding JSON text.
pub fn json_column<T: serde::de::DeserializeOwned>(value: ValueRef<'_>, index: usize) -> rusqlite::Result<T> {
    let text = value.as_str()?;
    serde_json::from_str(text).map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, Type::Text, Box::new(e)))
}

/// A row selected with [`CONVERSATION_COLUMNS`].
pub fn conversation_from_row(r: &Row<'_>) -> rusqlite::Result<Conversation> {
    Ok(Conversation {
        id: r.get(0)?,
        contact_id: r.get(1)?,
        channel: r.get(2)?,
        status: r.get(3)?,
        handler: r.get(4)?,
        assignee_id: r.get(5)?,
        last_message_preview: r.get(6)?,
        last_message_at: r.get(7)?,
        last_inbound_at: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
        seq: r.get(11)?,
        snoozed_until: r.get(12)?,
        priority: r.get(13)?,
        labels: json_column(r.get_ref(14)?, 14)?,
        escalated_at: r.get(15)?,
        escalation_reason: r.get(16)?,
    })
}

/// The values of [`CONVERSATION_COLUMNS`], in order, for inserts and upserts.
pub fn conversation_values(c: &Conversation) -> Vec<Value> {
    let text = |s: &str| Value::Text(s.to_owned());
    let optional = |s: &Option<String>| s.as_deref().map_or(Value::Null, text);
    vec![
        text(&c.id),
        text(&c.contact_id),
        text(c.channel.as_str()),
        text(c.status.as_str()),
        text(c.handler.as_str()),
        optional(&c.assignee_id),
        optional(&c.last_message_preview),
        optional(&c.last_message_at),
        optional(&c.last_inbound_at),
        text(&c.created_at),
        text(&c.updated_at),
        Value::Integer(c.seq),
        optional(&c.snoozed_until),
        text(c.priority.as_str()),
        Value::Text(serde_json::to_string(&c.labels).unwrap_or_else(|_| "[]".to_owned())),
        optional(&c.escalated_at),
        optional(&c.escalation_reason),
    ]
}

/// `?1, ?2, … ?n` for `n` values.
pub fn placeholders(n: usize) -> String {
    (1..=n).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")
}

/// An update of every one of `columns` of the row with `?2 = id` in workspace `?1`; the
/// column values follow as `?2`, `?3`, … in order (so `id` binds `?2`).
pub fn update_in_workspace_sql(table: &str, columns: &str) -> String {
    let set = columns
        .split(',')
        .map(str::trim)
        .enumerate()
        .map(|(i, name)| format!("{name} = ?{}", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    format!("UPDATE {table} SET {set} WHERE workspace_id = ?1 AND id = ?2")
}

/// An insert of `columns` that, on an existing `id`, takes the new row only if its `seq`
/// is higher: replays and stale copies change nothing.
pub fn upsert_newer_sql(table: &str, columns: &str) -> String {
    let names: Vec<&str> = columns.split(',').map(str::trim).collect();
    let set = names.iter().filter(|n| **n != "id").map(|n| format!("{n} = excluded.{n}")).collect::<Vec<_>>();
    format!(
        "INSERT INTO {table} ({columns}) VALUES ({}) ON CONFLICT(id) DO UPDATE SET {} WHERE excluded.seq > {table}.seq",
        placeholders(names.len()),
        set.join(", ")
    )
}

/// A row selected with [`MESSAGE_COLUMNS`].
pub fn message_from_row(r: &Row<'_>) -> rusqlite::Result<Message> {
    let payload: Payload = match r.get_ref(11)? {
        ValueRef::Null => Payload::default(),
        value => json_column(value, 11)?,
    };
    Ok(Message {
        id: r.get(0)?,
        conversation_id: r.get(1)?,
        direction: r.get(2)?,
        author: r.get(3)?,
        author_id: r.get(4)?,
        body: r.get(5)?,
        status: r.get(6)?,
        client_id: r.get(7)?,
        created_at: r.get(8)?,
        seq: r.get(9)?,
        kind: r.get(10)?,
        attachment: payload.attachment,
        location: payload.location,
        contact_card: payload.contact_card,
        template: payload.template,
        error: r.get(12)?,
        // A code this version does not know reads as `unknown`, never as a broken row.
        error_code: r.get::<_, Option<String>>(13)?.map(|c| {
            serde_json::from_value(serde_json::Value::String(c)).unwrap_or(switchboard_api::ErrorCode::Unknown)
        }),
    })
}

/// The payload column: `None` for plain text, which is most messages.
fn payload_json(m: &Message) -> Option<String> {
    if m.attachment.is_none() && m.location.is_none() && m.contact_card.is_none() && m.template.is_none() {
        return None;
    }
    let payload = Payload {
        attachment: m.attachment.clone(),
        location: m.location.clone(),
        contact_card: m.contact_card.clone(),
        template: m.template.clone(),
    };
    serde_json::to_string(&payload).ok()
}

/// Runs `stmt` (whose parameters are [`MESSAGE_COLUMNS`] in order) with the message's
/// values borrowed rather than copied: the cache's hot path on a first sync.
pub fn execute_message(stmt: &mut rusqlite::CachedStatement<'_>, m: &Message) -> rusqlite::Result<usize> {
    stmt.execute(rusqlite::params![
        m.id,
        m.conversation_id,
        m.direction.as_str(),
        m.author.as_str(),
        m.author_id,
        m.body,
        m.status.as_str(),
        m.client_id,
        m.created_at,
        m.seq,
        m.kind.as_str(),
        payload_json(m),
        m.error,
        m.error_code.map(|c| c.as_str()),
    ])
}

/// The values of [`MESSAGE_COLUMNS`], in order.
pub fn message_values(m: &Message) -> Vec<Value> {
    let text = |s: &str| Value::Text(s.to_owned());
    let optional = |s: &Option<String>| s.as_deref().map_or(Value::Null, text);
    vec![
        text(&m.id),
        text(&m.conversation_id),
        text(m.direction.as_str()),
        text(m.author.as_str()),
        optional(&m.author_id),
        text(&m.body),
        text(m.status.as_str()),
        optional(&m.client_id),
        text(&m.created_at),
        Value::Integer(m.seq),
        text(m.kind.as_str()),
        payload_json(m).map_or(Value::Null, Value::Text),
        optional(&m.error),
        m.error_code.map_or(Value::Null, |c| text(c.as_str())),
    ]
}

/// What a message carries besides text, kept in one JSON column: most messages are text
/// and leave it NULL.
#[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Payload {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    attachment: Option<Attachment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Option<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    contact_card: Option<ContactCard>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    template: Option<TemplateRef>,
}
