//! Wire types ⇄ rows. The server's tables and the cache's tables name these columns alike.

use rusqlite::Row;
use switchboard_api::{Contact, Conversation, Message};

pub const CONTACT_COLUMNS: &str = "id, name, phone, email, created_at, updated_at, seq";

pub const CONVERSATION_COLUMNS: &str = "id, contact_id, channel, status, handler, assignee_id, last_message_preview, \
     last_message_at, last_inbound_at, created_at, updated_at, seq";

pub const MESSAGE_COLUMNS: &str =
    "id, conversation_id, direction, author, author_id, body, status, client_id, created_at, seq";

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
    })
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
    })
}

/// A row selected with [`MESSAGE_COLUMNS`].
pub fn message_from_row(r: &Row<'_>) -> rusqlite::Result<Message> {
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
    })
}
