use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};
use switchboard_api::{
    Author, Change, ChannelKind, Conversation, Direction, ErrorCode, Message, MessageContent, MessageKind,
    MessageStatus,
};
use switchboard_sqlite::{message_from_row, message_values, placeholders};

use super::Writer;
use super::conversations::{get_conversation, touch_for_message};
use crate::error::Error;
use crate::ids::new_id;
use crate::time;

const COLUMNS: &str = switchboard_sqlite::MESSAGE_COLUMNS;

/// Rows with `since < seq <= upto`, in `seq` order.
pub(super) fn select_seq_range(
    conn: &Connection,
    workspace_id: &str,
    since: i64,
    upto: i64,
) -> Result<Vec<Message>, Error> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM messages WHERE workspace_id = ?1 AND seq > ?2 AND seq <= ?3 ORDER BY seq"
    ))?;
    let rows = stmt.query_map(params![workspace_id, since, upto], message_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn message_by_client_id(conn: &Connection, workspace_id: &str, client_id: &str) -> Result<Option<Message>, Error> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM messages WHERE workspace_id = ?1 AND client_id = ?2"),
            [workspace_id, client_id],
            message_from_row,
        )
        .optional()?)
}

pub struct NewMessage<'a> {
    pub conversation_id: &'a str,
    pub direction: Direction,
    pub author: Author,
    pub author_id: Option<&'a str>,
    pub content: MessageContent,
    pub client_id: Option<&'a str>,
    /// Defaults to now; the demo seed backdates its history.
    pub created_at: Option<String>,
}

impl<'a> NewMessage<'a> {
    /// A text message.
    pub fn text(
        conversation_id: &'a str,
        direction: Direction,
        author: Author,
        author_id: Option<&'a str>,
        body: &str,
    ) -> Self {
        let content = MessageContent { body: body.to_owned(), ..Default::default() };
        Self { conversation_id, direction, author, author_id, content, client_id: None, created_at: None }
    }
}

/// Inserts a message and moves its conversation; both get fresh `seq`s. An internal note
/// leaves the conversation as it is: it is not activity the contact sees.
pub fn insert_message(
    w: &mut Writer<'_>,
    workspace_id: &str,
    new: NewMessage<'_>,
) -> Result<(Message, Conversation), Error> {
    // Checked here, not left to the foreign key, so a wrong id is a 404 and not a 500.
    let conversation = get_conversation(w.conn(), workspace_id, new.conversation_id)?;
    // Replies in a conversation of a WhatsApp (or sandbox) number wait, queued, for the
    // channel sender; elsewhere (web chat, no channel) they are there once written.
    let sender = if new.direction == Direction::Outbound && new.content.kind != MessageKind::Note {
        super::channels::channel_of_conversation(w.conn(), workspace_id, new.conversation_id)?
            .filter(|c| matches!(c.kind, ChannelKind::Whatsapp | ChannelKind::Sandbox))
    } else {
        None
    };
    let status = match (new.direction, &sender) {
        (Direction::Inbound, _) => MessageStatus::Delivered,
        (Direction::Outbound, Some(_)) => MessageStatus::Queued,
        (Direction::Outbound, None) => MessageStatus::Sent,
    };
    let MessageContent { kind, body, attachment, location, contact_card, template } = new.content;
    let message = Message {
        id: new_id("msg"),
        conversation_id: new.conversation_id.to_owned(),
        direction: new.direction,
        author: new.author,
        author_id: new.author_id.map(str::to_owned),
        kind,
        body,
        attachment,
        location,
        contact_card,
        template,
        status,
        error: None,
        error_code: None,
        client_id: new.client_id.map(str::to_owned),
        created_at: new.created_at.unwrap_or_else(time::now),
        seq: w.next_seq(workspace_id)?,
    };
    w.conn()
        .prepare_cached(&format!(
            "INSERT INTO messages (workspace_id, {COLUMNS}) VALUES ({})",
            placeholders(COLUMNS.split(',').count() + 1)
        ))?
        .execute(rusqlite::params_from_iter(
            std::iter::once(Value::Text(workspace_id.to_owned())).chain(message_values(&message)),
        ))?;
    w.record(workspace_id, Change::Message(message.clone()));
    let for_the_agent = message.direction == Direction::Inbound
        && message.author == Author::Contact
        && message.kind != MessageKind::Note
        && conversation.handler == switchboard_api::Handler::Ai;
    if for_the_agent {
        super::agent::queue(w, workspace_id, &message)?;
    }
    if let Some(channel) = sender {
        let at = time::now();
        super::channels::enqueue(w, workspace_id, &channel.id, &message.id, super::channels::JobAction::Send, &at)?;
    }
    if message.kind == MessageKind::Note {
        return Ok((message, conversation));
    }
    let conversation = touch_for_message(w, workspace_id, &message)?;
    super::webhook_events::message(w, workspace_id, &message, &conversation)?;
    Ok((message, conversation))
}

/// An inbound text from `phone` as a channel delivers it: finds or creates the contact,
/// finds or opens its conversation on `channel`, and records the message.
pub fn receive_text(
    w: &mut Writer<'_>,
    workspace_id: &str,
    phone: &str,
    channel: switchboard_api::Channel,
    text: &str,
) -> Result<(Message, Conversation), Error> {
    let contact = super::find_or_create_by_phone(w, workspace_id, phone, None)?;
    let conversation = super::find_or_open(w, workspace_id, &contact.id, channel)?;
    let new = NewMessage::text(&conversation.id, Direction::Inbound, Author::Contact, Some(&contact.id), text);
    insert_message(w, workspace_id, new)
}

/// Records a delivery report. A report that would move the status backwards (they arrive
/// out of order) changes nothing and returns the message as it is.
pub fn update_status(
    w: &mut Writer<'_>,
    workspace_id: &str,
    conversation_id: &str,
    message_id: &str,
    status: MessageStatus,
    error: Option<(String, Option<ErrorCode>)>,
) -> Result<Message, Error> {
    let mut message = get_message(w.conn(), workspace_id, conversation_id, message_id)?;
    if message.direction != Direction::Outbound || message.kind == MessageKind::Note {
        return Err(Error::api(
            ErrorCode::InvalidState,
            "only outbound messages to the contact have a delivery status; this one is inbound or a note",
        ));
    }
    if !message.status.can_become(status) {
        return Ok(message);
    }
    message.status = status;
    let (error, code) = match error {
        Some((text, code)) if status == MessageStatus::Failed => (Some(text), code),
        _ => (None, None),
    };
    message.error = error;
    message.error_code = code;
    message.seq = w.next_seq(workspace_id)?;
    w.conn()
        .prepare_cached(
            "UPDATE messages SET status = ?3, error = ?4, error_code = ?5, seq = ?6 WHERE workspace_id = ?1 AND id = ?2",
        )?
        .execute(params![
            workspace_id,
            message.id,
            message.status,
            message.error,
            message.error_code.map(|c| c.as_str()),
            message.seq
        ])?;
    w.record(workspace_id, Change::Message(message.clone()));
    let conversation = get_conversation(w.conn(), workspace_id, conversation_id)?;
    super::webhook_events::message_status(w, workspace_id, &message, &conversation)?;
    Ok(message)
}

pub fn get_message(conn: &Connection, workspace_id: &str, conversation_id: &str, id: &str) -> Result<Message, Error> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM messages WHERE workspace_id = ?1 AND conversation_id = ?2 AND id = ?3"
    ))?
    .query_row([workspace_id, conversation_id, id], message_from_row)
    .optional()?
    .ok_or_else(|| Error::not_found("message"))
}

/// A conversation's latest `limit` messages, oldest first: the context a reply reads (a
/// long conversation's first messages are not what is being asked about now).
pub fn recent_messages(
    conn: &Connection,
    workspace_id: &str,
    conversation_id: &str,
    limit: u32,
) -> Result<Vec<Message>, Error> {
    get_conversation(conn, workspace_id, conversation_id)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM messages WHERE workspace_id = ?1 AND conversation_id = ?2
         ORDER BY created_at DESC, id DESC LIMIT ?3"
    ))?;
    let mut rows: Vec<Message> =
        stmt.query_map(params![workspace_id, conversation_id, limit], message_from_row)?.collect::<Result<_, _>>()?;
    rows.reverse();
    Ok(rows)
}

/// A conversation's messages, oldest first, after the message id `after` if given.
pub fn list_messages(
    conn: &Connection,
    workspace_id: &str,
    conversation_id: &str,
    after: Option<&str>,
    limit: u32,
) -> Result<(Vec<Message>, Option<String>), Error> {
    get_conversation(conn, workspace_id, conversation_id)?;
    let anchor = match after {
        Some(id) => Some(
            conn.query_row(
                "SELECT created_at, id FROM messages WHERE workspace_id = ?1 AND conversation_id = ?2 AND id = ?3",
                [workspace_id, conversation_id, id],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()?
            .ok_or_else(|| Error::api(ErrorCode::NotFound, "cursor: no such message in this conversation"))?,
        ),
        None => None,
    };
    let (at, id) = anchor.unwrap_or_default();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM messages
         WHERE workspace_id = ?1 AND conversation_id = ?2 AND (created_at, id) > (?3, ?4)
         ORDER BY created_at, id LIMIT ?5"
    ))?;
    let mut rows: Vec<Message> = stmt
        .query_map(params![workspace_id, conversation_id, at, id, limit + 1], message_from_row)?
        .collect::<Result<_, _>>()?;
    let next = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|m| m.id.clone())
    } else {
        None
    };
    Ok((rows, next))
}
