//! Sends waiting to reach the server: written here first, in the cache's SQLite file, so
//! a send survives going offline and the process being killed. Each entry's `client_id` is
//! the request's Idempotency-Key, so sending it again after a crash (the server may or may
//! not have it) creates nothing twice.
//!
//! pending → sending → sent, or → failed (with the server's code and words); a failed
//! entry can be retried or discarded. `sending` means "maybe sent": it goes again.

use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use switchboard_api::{Change, ConversationStatus, Message, TemplateRef};

use crate::Store;
use crate::error::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum OutboxState {
    Pending,
    Sending,
    Sent,
    Failed,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        Ok(match s {
            "pending" => Self::Pending,
            "sending" => Self::Sending,
            "sent" => Self::Sent,
            "failed" => Self::Failed,
            other => return Err(StoreError::Corrupt(format!("outbox state {other:?}"))),
        })
    }
}

/// What a queued send does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum OutboxAction {
    Text {
        body: String,
    },
    Note {
        body: String,
    },
    Template {
        template: TemplateRef,
    },
    /// A status change (resolve, reopen, snooze until a time).
    #[serde(rename_all = "camelCase")]
    Status {
        status: ConversationStatus,
        snoozed_until: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct OutboxEntry {
    pub client_id: String,
    pub conversation_id: String,
    pub action: OutboxAction,
    pub state: OutboxState,
    /// The server's stable code and words, when `failed`.
    pub error_code: Option<String>,
    pub error: Option<String>,
    pub attempts: u32,
    /// The message the server made of it, once sent.
    pub message_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Held until then (RFC 3339): the undo window after a send, or a scheduled send.
    pub send_at: Option<String>,
}

const COLUMNS: &str = "client_id, conversation_id, action, state, error_code, error, attempts, message_id, created_at, updated_at, send_at";

/// Due entries go oldest first by when they were meant to go.
const DUE: &str = "state IN ('pending', 'sending') AND (send_at IS NULL OR send_at <= ?1)";

fn entry(r: &Row<'_>) -> rusqlite::Result<(OutboxEntry, String, String)> {
    let action: String = r.get(2)?;
    let state: String = r.get(3)?;
    Ok((
        OutboxEntry {
            client_id: r.get(0)?,
            conversation_id: r.get(1)?,
            action: OutboxAction::Text { body: String::new() },
            state: OutboxState::Pending,
            error_code: r.get(4)?,
            error: r.get(5)?,
            attempts: r.get(6)?,
            message_id: r.get(7)?,
            created_at: r.get(8)?,
            updated_at: r.get(9)?,
            send_at: r.get(10)?,
        },
        action,
        state,
    ))
}

fn decode((mut e, action, state): (OutboxEntry, String, String)) -> Result<OutboxEntry, StoreError> {
    e.action = serde_json::from_str(&action).map_err(|err| StoreError::Corrupt(format!("outbox action: {err}")))?;
    e.state = OutboxState::parse(&state)?;
    Ok(e)
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Store {
    /// Queues a send; committed when this returns. The id is random and is the
    /// request's Idempotency-Key.
    pub fn enqueue(&mut self, conversation_id: &str, action: OutboxAction) -> Result<OutboxEntry, StoreError> {
        self.enqueue_at(conversation_id, action, None)
    }

    /// Queues a send that is not due before `send_at` (RFC 3339, UTC); until then it can
    /// be discarded, which is how a send is undone.
    pub fn enqueue_at(
        &mut self,
        conversation_id: &str,
        action: OutboxAction,
        send_at: Option<&str>,
    ) -> Result<OutboxEntry, StoreError> {
        let client_id = format!("ob_{:032x}", rand::random::<u128>());
        let json = serde_json::to_string(&action).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let at = now();
        self.conn.execute(
            &format!("INSERT INTO outbox ({COLUMNS}) VALUES (?1, ?2, ?3, 'pending', NULL, NULL, 0, NULL, ?4, ?4, ?5)"),
            params![client_id, conversation_id, json, at, send_at],
        )?;
        self.outbox_entry(&client_id)?.ok_or_else(|| StoreError::Corrupt("the queued send vanished".into()))
    }

    pub fn outbox_entry(&self, client_id: &str) -> Result<Option<OutboxEntry>, StoreError> {
        let row = self
            .conn
            .query_row(&format!("SELECT {COLUMNS} FROM outbox WHERE client_id = ?1"), [client_id], entry)
            .optional()?;
        row.map(decode).transpose()
    }

    /// The entries not yet sent (and the failed ones), oldest first; of one conversation
    /// when given.
    pub fn outbox(&self, conversation_id: Option<&str>) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM outbox WHERE state != 'sent' AND (?1 IS NULL OR conversation_id = ?1)
             ORDER BY created_at, rowid"
        ))?;
        let rows = stmt.query_map([conversation_id], entry)?;
        rows.map(|r| decode(r?)).collect()
    }

    /// The oldest entry due: pending, or sending when a crash left it unconfirmed.
    pub fn next_to_send(&self) -> Result<Option<OutboxEntry>, StoreError> {
        let row = self
            .conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM outbox WHERE {DUE}
                     ORDER BY COALESCE(send_at, created_at), created_at, rowid LIMIT 1"
                ),
                [now()],
                entry,
            )
            .optional()?;
        row.map(decode).transpose()
    }

    /// When the next held entry falls due, if one waits.
    pub fn next_due_at(&self) -> Result<Option<String>, StoreError> {
        Ok(self.conn.query_row(
            "SELECT min(send_at) FROM outbox WHERE state = 'pending' AND send_at > ?1",
            [now()],
            |r| r.get(0),
        )?)
    }

    /// About to be sent: from here on the server may have it.
    pub fn mark_sending(&mut self, client_id: &str) -> Result<(), StoreError> {
        self.set_state(client_id, "state = 'sending', attempts = attempts + 1", &[])
    }

    /// Not sent (the server asked to wait): pending again.
    pub fn mark_pending(&mut self, client_id: &str) -> Result<(), StoreError> {
        self.set_state(client_id, "state = 'pending'", &[])
    }

    /// The server could not be reached: pending again, and the try `mark_sending` counted
    /// is taken back. Nothing was wrong with this entry, so a long outage (or many sends
    /// queued during one, each pushing the oldest first) does not make its count grow.
    pub fn mark_unreached(&mut self, client_id: &str) -> Result<(), StoreError> {
        self.set_state(client_id, "state = 'pending', attempts = max(attempts - 1, 0)", &[])
    }

    /// The server took it: the entry is done, and the message it made is cached with it,
    /// in one transaction.
    pub fn mark_sent(&mut self, client_id: &str, message: Option<&Message>) -> Result<(), StoreError> {
        if let Some(m) = message {
            // Cursor 0: a row that came out of band never moves the sync cursor.
            self.apply(&[Change::Message(m.clone())], 0)?;
        }
        let id = message.map(|m| m.id.clone());
        self.set_state(client_id, "state = 'sent', error = NULL, error_code = NULL, message_id = ?3", &[&id])
    }

    /// The server refused it for good: kept, with why, until retried or discarded.
    pub fn mark_failed(&mut self, client_id: &str, code: &str, error: &str) -> Result<(), StoreError> {
        self.set_state(client_id, "state = 'failed', error_code = ?3, error = ?4", &[&code, &error])
    }

    /// A failed entry goes again, with the same key.
    pub fn retry(&mut self, client_id: &str) -> Result<OutboxEntry, StoreError> {
        let changed = self.conn.execute(
            "UPDATE outbox SET state = 'pending', error = NULL, error_code = NULL, updated_at = ?2
             WHERE client_id = ?1 AND state = 'failed'",
            params![client_id, now()],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound("failed outbox entry"));
        }
        self.outbox_entry(client_id)?.ok_or(StoreError::NotFound("outbox entry"))
    }

    /// Drops an entry that is pending or failed; one being sent may already be on the
    /// server and stays.
    pub fn discard(&mut self, client_id: &str) -> Result<(), StoreError> {
        let changed = self
            .conn
            .execute("DELETE FROM outbox WHERE client_id = ?1 AND state IN ('pending', 'failed')", [client_id])?;
        if changed == 0 {
            return Err(StoreError::NotFound("pending or failed outbox entry"));
        }
        Ok(())
    }

    fn set_state(&mut self, client_id: &str, set: &str, extra: &[&dyn rusqlite::ToSql]) -> Result<(), StoreError> {
        let at = now();
        let mut values: Vec<&dyn rusqlite::ToSql> = vec![&client_id, &at];
        values.extend_from_slice(extra);
        let changed = self
            .conn
            .execute(&format!("UPDATE outbox SET {set}, updated_at = ?2 WHERE client_id = ?1"), values.as_slice())?;
        if changed == 0 {
            return Err(StoreError::NotFound("outbox entry"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn text(body: &str) -> OutboxAction {
        OutboxAction::Text { body: body.into() }
    }

    #[test]
    fn an_unreached_server_is_not_a_try_but_an_answer_is() {
        let mut store = Store::open_in_memory().unwrap();
        let first = store.enqueue("conv_1", text("one")).unwrap().client_id;
        for _ in 0..3 {
            store.mark_sending(&first).unwrap();
            store.mark_unreached(&first).unwrap();
        }
        let entry = store.outbox_entry(&first).unwrap().unwrap();
        assert_eq!((entry.state, entry.attempts), (OutboxState::Pending, 0));
        assert_eq!(store.next_to_send().unwrap().unwrap().client_id, first, "still first in line");

        // The server answered "not now": that was a try.
        store.mark_sending(&first).unwrap();
        store.mark_pending(&first).unwrap();
        assert_eq!(store.outbox_entry(&first).unwrap().unwrap().attempts, 1);
    }
}
