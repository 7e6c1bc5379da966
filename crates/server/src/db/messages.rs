use rusqlite::{Connection, OptionalExtension, params};
use switchboard_api::{Author, Change, Conversation, Direction, ErrorCode, Message, MessageStatus};
use switchboard_sqlite::message_from_row;

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
    pub body: &'a str,
    pub client_id: Option<&'a str>,
    /// Defaults to now; the demo seed backdates its history.
    pub created_at: Option<String>,
}

/// Inserts a message and moves its conversation; both get fresh `seq`s.
pub fn insert_message(
    w: &mut Writer<'_>,
    workspace_id: &str,
    new: NewMessage<'_>,
) -> Result<(Message, Conversation), Error> {
    // Checked here, not left to the foreign key, so a wrong id is a 404 and not a 500.
    get_conversation(w.conn(), workspace_id, new.conversation_id)?;
    let status = match new.direction {
        Direction::Inbound => MessageStatus::Delivered,
        Direction::Outbound => MessageStatus::Sent,
    };
    let message = Message {
        id: new_id("msg"),
        conversation_id: new.conversation_id.to_owned(),
        direction: new.direction,
        author: new.author,
        author_id: new.author_id.map(str::to_owned),
        body: new.body.to_owned(),
        status,
        client_id: new.client_id.map(str::to_owned),
        created_at: new.created_at.unwrap_or_else(time::now),
        seq: w.next_seq(workspace_id)?,
    };
    w.conn()
        .prepare_cached(&format!(
            "INSERT INTO messages (workspace_id, {COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
        ))?
        .execute(params![
            workspace_id,
            message.id,
            message.conversation_id,
            message.direction.as_str(),
            message.author.as_str(),
            message.author_id,
            message.body,
            message.status.as_str(),
            message.client_id,
            message.created_at,
            message.seq
        ])?;
    w.record(workspace_id, Change::Message(message.clone()));
    let conversation = touch_for_message(w, workspace_id, &message)?;
    Ok((message, conversation))
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
            .ok_or_else(|| Error::api(ErrorCode::InvalidQuery, "cursor is not a message of this conversation"))?,
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
