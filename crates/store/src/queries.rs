use rusqlite::{OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use switchboard_api::{Channel, Contact, Conversation, ConversationStatus, Handler, Message};

use switchboard_sqlite::{
    CONTACT_COLUMNS, CONVERSATION_COLUMNS, MESSAGE_COLUMNS, Record, contact_from_row, conversation_from_row,
    message_from_row,
};

use crate::Store;
use crate::error::StoreError;

/// One row of the inbox list: the conversation with who it is with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct InboxItem {
    pub id: String,
    pub contact_id: String,
    /// The contact's name, else their phone number, else "Visitor".
    pub title: String,
    pub channel: Channel,
    pub status: ConversationStatus,
    pub handler: Handler,
    pub assignee_id: Option<String>,
    pub preview: Option<String>,
    pub last_activity_at: String,
    pub last_inbound_at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheStats {
    pub conversations: u64,
    pub messages: u64,
    pub contacts: u64,
    pub cursor: i64,
}

/// Which conversations an inbox view shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct InboxFilter {
    pub status: Option<ConversationStatus>,
    pub channel: Option<Channel>,
    /// A member id, or `unassigned`.
    pub assignee: Option<String>,
    pub label: Option<String>,
    /// 1–1000; 50 if unset.
    pub limit: Option<u32>,
}

const INBOX_SELECT: &str = "SELECT c.id, c.contact_id, COALESCE(ct.name, ct.phone, 'Visitor'), c.channel, c.status,
        c.handler, c.assignee_id, c.last_message_preview, COALESCE(c.last_message_at, c.created_at), c.last_inbound_at
     FROM conversations c LEFT JOIN contacts ct ON ct.id = c.contact_id";

fn inbox_item(r: &Row<'_>) -> rusqlite::Result<InboxItem> {
    Ok(InboxItem {
        id: r.get(0)?,
        contact_id: r.get(1)?,
        title: r.get(2)?,
        channel: r.get(3)?,
        status: r.get(4)?,
        handler: r.get(5)?,
        assignee_id: r.get(6)?,
        preview: r.get(7)?,
        last_activity_at: r.get(8)?,
        last_inbound_at: r.get(9)?,
    })
}

impl Store {
    /// Conversations by most recent activity.
    pub fn inbox(&self, limit: u32) -> Result<Vec<InboxItem>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{INBOX_SELECT} ORDER BY COALESCE(c.last_message_at, c.created_at) DESC, c.id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit], inbox_item)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How much the cache holds.
    pub fn stats(&self) -> Result<CacheStats, StoreError> {
        let n = |table: &str| -> Result<u64, StoreError> {
            Ok(self.conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
        };
        Ok(CacheStats {
            conversations: n("conversations")?,
            messages: n("messages")?,
            contacts: n("contacts")?,
            cursor: self.cursor()?,
        })
    }

    /// Conversations by most recent activity that pass every filter given.
    pub fn inbox_where(&self, f: &InboxFilter) -> Result<Vec<InboxItem>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{INBOX_SELECT}
             WHERE (?1 IS NULL OR c.status = ?1) AND (?2 IS NULL OR c.channel = ?2)
               AND (?3 IS NULL OR (?3 = 'unassigned' AND c.assignee_id IS NULL) OR c.assignee_id = ?3)
               AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(c.labels) WHERE json_each.value = ?4))
             ORDER BY COALESCE(c.last_message_at, c.created_at) DESC, c.id DESC LIMIT ?5"
        ))?;
        let rows = stmt.query_map(
            rusqlite::params![
                f.status.map(|s| s.as_str()),
                f.channel.map(|c| c.as_str()),
                f.assignee,
                f.label,
                f.limit.unwrap_or(50).clamp(1, 1000)
            ],
            inbox_item,
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn inbox_item(&self, id: &str) -> Result<Option<InboxItem>, StoreError> {
        Ok(self.conn.query_row(&format!("{INBOX_SELECT} WHERE c.id = ?1"), [id], inbox_item).optional()?)
    }

    pub fn conversation(&self, id: &str) -> Result<Option<Conversation>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id = ?1"),
                [id],
                conversation_from_row,
            )
            .optional()?)
    }

    /// A conversation's messages, oldest first.
    pub fn transcript(&self, conversation_id: &str) -> Result<Vec<Message>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?1 ORDER BY created_at, id"
        ))?;
        let rows = stmt.query_map([conversation_id], message_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every cached conversation, by id (for exports and consistency checks).
    pub fn all_conversations(&self) -> Result<Vec<Conversation>, StoreError> {
        let mut stmt = self.conn.prepare(&format!("SELECT {CONVERSATION_COLUMNS} FROM conversations ORDER BY id"))?;
        let rows = stmt.query_map([], conversation_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn all_messages(&self) -> Result<Vec<Message>, StoreError> {
        let mut stmt = self.conn.prepare(&format!("SELECT {MESSAGE_COLUMNS} FROM messages ORDER BY id"))?;
        let rows = stmt.query_map([], message_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn all_contacts(&self) -> Result<Vec<Contact>, StoreError> {
        let mut stmt = self.conn.prepare(&format!("SELECT {CONTACT_COLUMNS} FROM contacts ORDER BY id"))?;
        let rows = stmt.query_map([], contact_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every cached lead, appointment, label, template or knowledge entry, newest first.
    pub fn records<R: Record>(&self) -> Result<Vec<R>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM {} ORDER BY created_at DESC, id DESC",
            R::columns(),
            R::TABLE
        ))?;
        let rows = stmt.query_map([], R::from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
