use rusqlite::{Connection, params};
use switchboard_api::{Change, SyncPage, Tombstone};

use switchboard_sqlite::{CONTACT_COLUMNS, contact_from_row};

use super::{conversations, messages};
use crate::error::Error;

/// Current state of every row with `seq > since`, in `seq` order, at most `limit` rows.
/// Each table is read with its own `(workspace_id, seq)` index, then merged.
pub fn changes_since(conn: &Connection, workspace_id: &str, since: i64, limit: u32) -> Result<SyncPage, Error> {
    // One read transaction so the page and `last_seq` agree.
    conn.execute_batch("BEGIN DEFERRED")?;
    let result = read_page(conn, workspace_id, since, limit);
    conn.execute_batch("COMMIT")?;
    result
}

fn read_page(conn: &Connection, workspace_id: &str, since: i64, limit: u32) -> Result<SyncPage, Error> {
    // One more than asked from each table: a full table then proves there is more.
    let fetch = limit + 1;
    let mut changes: Vec<Change> = Vec::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONTACT_COLUMNS} FROM contacts WHERE workspace_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"
    ))?;
    for c in stmt.query_map(params![workspace_id, since, fetch], contact_from_row)? {
        changes.push(Change::Contact(c?));
    }
    changes
        .extend(conversations::select_since(workspace_id, since, fetch, conn)?.into_iter().map(Change::Conversation));
    changes.extend(messages::select_since(workspace_id, since, fetch, conn)?.into_iter().map(Change::Message));
    let mut stmt = conn.prepare_cached(
        "SELECT entity, entity_id, seq FROM tombstones WHERE workspace_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    for t in stmt.query_map(params![workspace_id, since, fetch], |r| {
        Ok(Tombstone { entity: r.get(0)?, id: r.get(1)?, seq: r.get(2)? })
    })? {
        changes.push(Change::Deleted(t?));
    }
    changes.sort_by_key(Change::seq);
    let has_more = changes.len() > limit as usize;
    changes.truncate(limit as usize);
    let next = if has_more { changes.last().map_or(since, Change::seq) } else { last_seq(conn, workspace_id)? };
    Ok(SyncPage { changes, next, has_more })
}

/// The workspace's latest `seq`: a cursor that covers everything committed so far.
pub fn last_seq(conn: &Connection, workspace_id: &str) -> Result<i64, Error> {
    Ok(conn.query_row("SELECT last_seq FROM workspaces WHERE id = ?1", [workspace_id], |r| r.get(0))?)
}
