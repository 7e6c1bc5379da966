//! Channels, how they know contacts, and the queue of messages they are to send.

use rusqlite::{Connection, OptionalExtension, Row, params};
use switchboard_api::{ChannelKind, Contact, ErrorCode, Message};

use super::Writer;
use crate::channels::config::{Settings, StoredChannel};
use crate::error::Error;

const COLUMNS: &str = "id, workspace_id, kind, name, active, config, created_at, updated_at";

/// The columns `from_row` reads, of the table (or alias) `t`. The config holds the
/// channel's tokens, so it is stored sealed (`seal`/`unseal`, see `db::sealed`), bound to
/// the channel's id.
fn select_columns(t: &str) -> String {
    format!(
        "{t}id, {t}workspace_id, {t}kind, {t}name, {t}active, unseal('channel:' || {t}id, {t}config), \
         {t}created_at, {t}updated_at"
    )
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<StoredChannel> {
    let config: String = r.get(5)?;
    let config: Settings = serde_json::from_str(&config)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, Box::new(e)))?;
    Ok(StoredChannel {
        id: r.get(0)?,
        workspace_id: r.get(1)?,
        kind: r.get(2)?,
        name: r.get(3)?,
        active: r.get(4)?,
        config,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

fn config_json(channel: &StoredChannel) -> Result<String, Error> {
    serde_json::to_string(&channel.config).map_err(|e| Error::Task(format!("channel config: {e}")))
}

/// A WhatsApp phone number id or web inbox identifier already connected (here or in
/// another workspace) is a conflict: notifications must find exactly one channel.
fn taken(e: rusqlite::Error) -> Error {
    match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            Error::api(ErrorCode::Conflict, "that phone number id is already connected to a channel")
        }
        e => e.into(),
    }
}

pub fn insert_channel(w: &mut Writer<'_>, channel: &StoredChannel) -> Result<(), Error> {
    w.conn()
        .execute(
            &format!(
                "INSERT INTO channels ({COLUMNS}, public_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, seal('channel:' || ?1, ?6), ?7, ?8, ?9)"
            ),
            params![
                channel.id,
                channel.workspace_id,
                channel.kind,
                channel.name,
                channel.active,
                config_json(channel)?,
                channel.created_at,
                channel.updated_at,
                channel.public_id()
            ],
        )
        .map_err(taken)?;
    Ok(())
}

pub fn save_channel(w: &mut Writer<'_>, channel: &StoredChannel) -> Result<(), Error> {
    let changed = w
        .conn()
        .execute(
            "UPDATE channels SET name = ?3, active = ?4, config = seal('channel:' || ?2, ?5), updated_at = ?6,
                 public_id = ?7
             WHERE workspace_id = ?1 AND id = ?2",
            params![
                channel.workspace_id,
                channel.id,
                channel.name,
                channel.active,
                config_json(channel)?,
                channel.updated_at,
                channel.public_id()
            ],
        )
        .map_err(taken)?;
    if changed == 0 {
        return Err(Error::not_found("channel"));
    }
    Ok(())
}

/// Removes a channel. Its conversations stay, detached (replies in them are no longer
/// sent anywhere), and messages it had yet to send fail with the reason.
pub fn delete_channel(w: &mut Writer<'_>, workspace_id: &str, id: &str) -> Result<(), Error> {
    get_channel(w.conn(), workspace_id, id)?;
    let pending: Vec<(String, String)> = w
        .conn()
        .prepare(
            "SELECT j.message_id, m.conversation_id FROM channel_jobs j JOIN messages m ON m.id = j.message_id
             WHERE j.channel_id = ?1 AND j.action = 'send'",
        )?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (message_id, conversation_id) in pending {
        super::messages::update_status(
            w,
            workspace_id,
            &conversation_id,
            &message_id,
            switchboard_api::MessageStatus::Failed,
            Some(("the channel was removed before this message was sent".to_owned(), Some(ErrorCode::InvalidState))),
        )?;
    }
    let conn = w.conn();
    conn.execute("DELETE FROM channel_jobs WHERE channel_id = ?1", [id])?;
    conn.execute(
        "UPDATE conversations SET channel_id = NULL WHERE workspace_id = ?1 AND channel_id = ?2",
        [workspace_id, id],
    )?;
    conn.execute("DELETE FROM channels WHERE workspace_id = ?1 AND id = ?2", [workspace_id, id])?;
    Ok(())
}

pub fn get_channel(conn: &Connection, workspace_id: &str, id: &str) -> Result<StoredChannel, Error> {
    conn.prepare_cached(&format!("SELECT {} FROM channels WHERE workspace_id = ?1 AND id = ?2", select_columns("")))?
        .query_row([workspace_id, id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("channel"))
}

/// A channel found by the id in a public URL (no workspace known yet).
pub fn channel_by_id(conn: &Connection, id: &str) -> Result<Option<StoredChannel>, Error> {
    Ok(conn
        .prepare_cached(&format!("SELECT {} FROM channels WHERE id = ?1", select_columns("")))?
        .query_row([id], from_row)
        .optional()?)
}

pub fn channel_by_public_id(
    conn: &Connection,
    kind: ChannelKind,
    public_id: &str,
) -> Result<Option<StoredChannel>, Error> {
    Ok(conn
        .prepare_cached(&format!("SELECT {} FROM channels WHERE kind = ?1 AND public_id = ?2", select_columns("")))?
        .query_row(params![kind, public_id], from_row)
        .optional()?)
}

pub fn list_channels(conn: &Connection, workspace_id: &str) -> Result<Vec<StoredChannel>, Error> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM channels WHERE workspace_id = ?1 ORDER BY created_at, id",
        select_columns("")
    ))?;
    let rows = stmt.query_map([workspace_id], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Where a message to a phone number goes when no conversation says: the oldest active
/// WhatsApp (or sandbox) number.
pub fn default_whatsapp_channel(conn: &Connection, workspace_id: &str) -> Result<Option<StoredChannel>, Error> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {} FROM channels WHERE workspace_id = ?1 AND kind IN ('whatsapp', 'sandbox') AND active = 1
             ORDER BY created_at, id LIMIT 1",
            select_columns("")
        ))?
        .query_row([workspace_id], from_row)
        .optional()?)
}

/// The channel a conversation's replies go out through, if any.
pub fn channel_of_conversation(
    conn: &Connection,
    workspace_id: &str,
    conversation_id: &str,
) -> Result<Option<StoredChannel>, Error> {
    let columns = select_columns("ch.");
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {columns} FROM conversations c JOIN channels ch ON ch.id = c.channel_id
             WHERE c.workspace_id = ?1 AND c.id = ?2"
        ))?
        .query_row([workspace_id, conversation_id], from_row)
        .optional()?)
}

/// Gives a WhatsApp conversation without a channel the workspace's default number.
pub fn attach_to_default(w: &Writer<'_>, workspace_id: &str, conversation_id: &str) -> Result<(), Error> {
    let Some(channel) = default_whatsapp_channel(w.conn(), workspace_id)? else { return Ok(()) };
    w.conn().execute(
        "UPDATE conversations SET channel_id = ?3 WHERE workspace_id = ?1 AND id = ?2 AND channel_id IS NULL",
        [workspace_id, conversation_id, &channel.id],
    )?;
    Ok(())
}

pub fn attach_conversation(
    w: &Writer<'_>,
    workspace_id: &str,
    conversation_id: &str,
    channel_id: &str,
) -> Result<(), Error> {
    w.conn().execute(
        "UPDATE conversations SET channel_id = ?3 WHERE workspace_id = ?1 AND id = ?2",
        [workspace_id, conversation_id, channel_id],
    )?;
    Ok(())
}

/// The latest unresolved conversation of a contact on a channel.
pub fn open_conversation_on(
    conn: &Connection,
    workspace_id: &str,
    contact_id: &str,
    channel_id: &str,
) -> Result<Option<String>, Error> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM conversations
             WHERE workspace_id = ?1 AND contact_id = ?2 AND channel_id = ?3 AND status != 'resolved'
             ORDER BY COALESCE(last_message_at, created_at) DESC LIMIT 1",
        )?
        .query_row([workspace_id, contact_id, channel_id], |r| r.get(0))
        .optional()?)
}

/// How a channel knows a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityKind {
    /// WhatsApp's id of the person (their number as digits, at the time they first wrote).
    WaId,
    /// WhatsApp's business-scoped user id.
    Bsuid,
    /// A web widget's contact identifier.
    Web,
}

impl IdentityKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::WaId => "wa_id",
            Self::Bsuid => "bsuid",
            Self::Web => "web",
        }
    }
}

pub fn contact_by_identity(
    conn: &Connection,
    workspace_id: &str,
    kind: IdentityKind,
    value: &str,
) -> Result<Option<Contact>, Error> {
    let id: Option<String> = conn
        .prepare_cached(
            "SELECT contact_id FROM contact_identities WHERE workspace_id = ?1 AND kind = ?2 AND value = ?3",
        )?
        .query_row([workspace_id, kind.as_str(), value], |r| r.get(0))
        .optional()?;
    match id {
        Some(id) => super::get_contact(conn, workspace_id, &id),
        None => Ok(None),
    }
}

/// Links an identity to a contact; an identity already linked keeps its contact.
pub fn link_identity(
    w: &Writer<'_>,
    workspace_id: &str,
    kind: IdentityKind,
    value: &str,
    contact_id: &str,
) -> Result<(), Error> {
    w.conn().execute(
        "INSERT OR IGNORE INTO contact_identities (workspace_id, kind, value, contact_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![workspace_id, kind.as_str(), value, contact_id, crate::time::now()],
    )?;
    Ok(())
}

/// A contact's identity of one kind (e.g. the wa_id a WhatsApp reply goes to).
pub fn identity_of(
    conn: &Connection,
    workspace_id: &str,
    contact_id: &str,
    kind: IdentityKind,
) -> Result<Option<String>, Error> {
    Ok(conn
        .prepare_cached(
            "SELECT value FROM contact_identities WHERE workspace_id = ?1 AND contact_id = ?2 AND kind = ?3
             ORDER BY created_at DESC LIMIT 1",
        )?
        .query_row([workspace_id, contact_id, kind.as_str()], |r| r.get(0))
        .optional()?)
}

/// Sets the channel's id of a message; a second message with the same id is refused by
/// the unique index, which is how duplicates are caught inside the transaction.
pub fn set_external_id(w: &Writer<'_>, workspace_id: &str, message_id: &str, external_id: &str) -> Result<(), Error> {
    w.conn().execute(
        "UPDATE messages SET external_id = ?3 WHERE workspace_id = ?1 AND id = ?2",
        [workspace_id, message_id, external_id],
    )?;
    Ok(())
}

/// The (conversation id, message id) of the message a channel knows by `external_id`.
pub fn message_by_external_id(
    conn: &Connection,
    workspace_id: &str,
    external_id: &str,
) -> Result<Option<(String, String)>, Error> {
    Ok(conn
        .prepare_cached("SELECT conversation_id, id FROM messages WHERE workspace_id = ?1 AND external_id = ?2")?
        .query_row([workspace_id, external_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// What the channel sender is to do with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobAction {
    Send,
    /// The sandbox number reporting the message delivered, then read.
    Deliver,
    Read,
}

impl JobAction {
    fn as_str(self) -> &'static str {
        match self {
            Self::Send => "send",
            Self::Deliver => "deliver",
            Self::Read => "read",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "deliver" => Self::Deliver,
            "read" => Self::Read,
            _ => Self::Send,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Job {
    pub id: i64,
    pub workspace_id: String,
    pub channel_id: String,
    pub message_id: String,
    pub action: JobAction,
    pub attempts: u32,
}

pub fn enqueue(
    w: &mut Writer<'_>,
    workspace_id: &str,
    channel_id: &str,
    message_id: &str,
    action: JobAction,
    at: &str,
) -> Result<(), Error> {
    w.conn()
        .prepare_cached(
            "INSERT INTO channel_jobs (workspace_id, channel_id, message_id, action, next_attempt_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![workspace_id, channel_id, message_id, action.as_str(), at])?;
    w.note_queued_channel_jobs();
    Ok(())
}

/// Leases the due jobs (oldest first) until `lease_until`; a job whose lease ran out (a
/// crash mid-send) is due again.
pub fn claim_due(w: &mut Writer<'_>, now: &str, lease_until: &str, limit: u32) -> Result<Vec<Job>, Error> {
    let mut stmt = w.conn().prepare_cached(
        "UPDATE channel_jobs SET lease_until = ?2
         WHERE id IN (SELECT id FROM channel_jobs WHERE next_attempt_at <= ?1
                      AND (lease_until IS NULL OR lease_until <= ?1) ORDER BY next_attempt_at, id LIMIT ?3)
         RETURNING id, workspace_id, channel_id, message_id, action, attempts",
    )?;
    let rows = stmt.query_map(params![now, lease_until, limit], |r| {
        Ok(Job {
            id: r.get(0)?,
            workspace_id: r.get(1)?,
            channel_id: r.get(2)?,
            message_id: r.get(3)?,
            action: JobAction::parse(&r.get::<_, String>(4)?),
            attempts: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// When the next job falls due, if any.
pub fn next_due(conn: &Connection) -> Result<Option<String>, Error> {
    Ok(conn.query_row("SELECT min(COALESCE(lease_until, next_attempt_at)) FROM channel_jobs", [], |r| r.get(0))?)
}

pub fn finish(w: &Writer<'_>, job_id: i64) -> Result<(), Error> {
    w.conn().prepare_cached("DELETE FROM channel_jobs WHERE id = ?1")?.execute([job_id])?;
    Ok(())
}

pub fn retry_at(w: &Writer<'_>, job_id: i64, at: &str) -> Result<(), Error> {
    w.conn()
        .prepare_cached(
            "UPDATE channel_jobs SET attempts = attempts + 1, next_attempt_at = ?2, lease_until = NULL WHERE id = ?1",
        )?
        .execute(params![job_id, at])?;
    Ok(())
}

/// A message by id alone (the queue knows no conversation).
pub fn message(conn: &Connection, workspace_id: &str, id: &str) -> Result<Option<Message>, Error> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {} FROM messages WHERE workspace_id = ?1 AND id = ?2",
            switchboard_sqlite::MESSAGE_COLUMNS
        ))?
        .query_row([workspace_id, id], switchboard_sqlite::message_from_row)
        .optional()?)
}
