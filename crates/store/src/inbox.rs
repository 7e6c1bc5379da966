//! The inbox list: conversations with who they are with, what they wait for and how much
//! of them the reader has not seen, filtered and sorted the way an agent works.

use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use switchboard_api::{Channel, ConversationStatus, Handler, Priority};
use switchboard_sqlite::json_column;

use crate::Store;
use crate::error::StoreError;

/// Unread counts stop here (the window shows "99+"): a long-unread conversation costs no
/// more to list than one with a hundred new messages.
pub const UNREAD_CAP: u32 = 100;

/// The most an inbox query returns: the window's list is virtualized over all of them.
pub const MAX_INBOX: u32 = 20_000;

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
    pub priority: Priority,
    pub labels: Vec<String>,
    pub escalated_at: Option<String>,
    pub escalation_reason: Option<String>,
    pub snoozed_until: Option<String>,
    pub preview: Option<String>,
    pub last_activity_at: String,
    pub last_inbound_at: Option<String>,
    /// Since when the contact waits for an answer: their message is the last one.
    pub waiting_since: Option<String>,
    /// The contact's messages the reader has not read, up to [`UNREAD_CAP`] (0 without a
    /// reader).
    pub unread: u32,
}

/// How the list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum InboxSort {
    /// Most recent activity first.
    #[default]
    LastActivity,
    /// Contacts waiting for an answer first, the longest waiting at the top.
    LongestWaiting,
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
    /// Only conversations handed to a person (and not resolved since).
    #[serde(default)]
    pub escalated: bool,
    /// Whose unread counts to compute (a member id).
    pub reader: Option<String>,
    #[serde(default)]
    pub sort: InboxSort,
    /// 1–[`MAX_INBOX`]; 50 if unset.
    pub limit: Option<u32>,
}

const WAITING: &str = "c.last_inbound_at IS NOT NULL AND c.last_inbound_at >= COALESCE(c.last_message_at, '')";

fn select(where_: &str, order: &str) -> String {
    format!(
        "SELECT c.id, c.contact_id, COALESCE(ct.name, ct.phone, 'Visitor'), c.channel, c.status, c.handler,
            c.assignee_id, c.priority, c.labels, c.escalated_at, c.escalation_reason, c.snoozed_until,
            c.last_message_preview, COALESCE(c.last_message_at, c.created_at), c.last_inbound_at,
            CASE WHEN {WAITING} THEN c.last_inbound_at END,
            CASE WHEN ?7 IS NULL THEN 0 ELSE (SELECT count(*) FROM (
                SELECT 1 FROM messages m
                WHERE m.conversation_id = c.id AND m.direction = 'inbound'
                  AND m.created_at > COALESCE((SELECT rm.last_read_at FROM read_markers rm
                        WHERE rm.conversation_id = c.id AND rm.member_id = ?7), '')
                LIMIT {UNREAD_CAP})
            ) END
         FROM conversations c LEFT JOIN contacts ct ON ct.id = c.contact_id
         WHERE {where_} ORDER BY {order}"
    )
}

fn inbox_item(r: &Row<'_>) -> rusqlite::Result<InboxItem> {
    Ok(InboxItem {
        id: r.get(0)?,
        contact_id: r.get(1)?,
        title: r.get(2)?,
        channel: r.get(3)?,
        status: r.get(4)?,
        handler: r.get(5)?,
        assignee_id: r.get(6)?,
        priority: r.get(7)?,
        labels: json_column(r.get_ref(8)?, 8)?,
        escalated_at: r.get(9)?,
        escalation_reason: r.get(10)?,
        snoozed_until: r.get(11)?,
        preview: r.get(12)?,
        last_activity_at: r.get(13)?,
        last_inbound_at: r.get(14)?,
        waiting_since: r.get(15)?,
        unread: r.get(16)?,
    })
}

const BY_ACTIVITY: &str = "COALESCE(c.last_message_at, c.created_at) DESC, c.id DESC";

/// `?7` is the reader in every query; the filters take `?1`–`?6`.
const FILTERS: &str = "(?1 IS NULL OR c.status = ?1) AND (?2 IS NULL OR c.channel = ?2)
    AND (?3 IS NULL OR (?3 = 'unassigned' AND c.assignee_id IS NULL) OR c.assignee_id = ?3)
    AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(c.labels) WHERE json_each.value = ?4))
    AND (?6 = 0 OR (c.escalated_at IS NOT NULL AND c.status != 'resolved'))";

impl Store {
    /// Conversations by most recent activity.
    pub fn inbox(&self, limit: u32) -> Result<Vec<InboxItem>, StoreError> {
        self.inbox_where(&InboxFilter { limit: Some(limit), ..Default::default() })
    }

    /// The conversations that pass every filter given, in the order asked for.
    pub fn inbox_where(&self, f: &InboxFilter) -> Result<Vec<InboxItem>, StoreError> {
        let order = match f.sort {
            InboxSort::LastActivity => BY_ACTIVITY.to_owned(),
            InboxSort::LongestWaiting => format!("CASE WHEN {WAITING} THEN 0 ELSE 1 END, c.last_inbound_at, c.id"),
        };
        let sql = select(FILTERS, &order) + " LIMIT ?5";
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![
                f.status.map(|s| s.as_str()),
                f.channel.map(|c| c.as_str()),
                f.assignee,
                f.label,
                f.limit.unwrap_or(50).clamp(1, MAX_INBOX),
                f.escalated,
                f.reader,
            ],
            inbox_item,
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One conversation as the inbox shows it, with `reader`'s unread count.
    pub fn inbox_item(&self, id: &str, reader: Option<&str>) -> Result<Option<InboxItem>, StoreError> {
        let sql = select("c.id = ?1", "c.id");
        let none: Option<&str> = None;
        Ok(self.conn.query_row(&sql, params![id, none, none, none, none, none, reader], inbox_item).optional()?)
    }

    /// A contact's conversations, most recent first (the contact panel's history).
    pub fn contact_conversations(&self, contact_id: &str, reader: Option<&str>) -> Result<Vec<InboxItem>, StoreError> {
        let sql = select("c.contact_id = ?1", BY_ACTIVITY);
        let none: Option<&str> = None;
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![contact_id, none, none, none, none, none, reader], inbox_item)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
