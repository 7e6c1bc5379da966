use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use switchboard_api::{Contact, Conversation, Message};

use switchboard_sqlite::{
    CONTACT_COLUMNS, CONVERSATION_COLUMNS, MESSAGE_COLUMNS, Record, contact_from_row, conversation_from_row,
    message_from_row,
};

use crate::Store;
use crate::error::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheStats {
    pub conversations: u64,
    pub messages: u64,
    pub contacts: u64,
    pub cursor: i64,
}

impl Store {
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

    /// A contact's leads or appointments (the tables with a `contact_id`), newest first.
    pub fn contact_records<R: Record>(&self, contact_id: &str) -> Result<Vec<R>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {} FROM {} WHERE contact_id = ?1 ORDER BY created_at DESC, id DESC",
            R::columns(),
            R::TABLE
        ))?;
        let rows = stmt.query_map([contact_id], R::from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn contact(&self, id: &str) -> Result<Option<Contact>, StoreError> {
        Ok(self
            .conn
            .query_row(&format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE id = ?1"), [id], contact_from_row)
            .optional()?)
    }
}
