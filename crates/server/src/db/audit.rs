use rusqlite::{Connection, OptionalExtension, params};
use switchboard_api::{AuditEntry, ErrorCode};

use crate::error::Error;
use crate::ids::new_id;
use crate::storage::Actor;
use crate::time;

/// Records an administrative action, in the transaction that performs it.
pub fn record(conn: &Connection, actor: &Actor, action: &str, target_type: &str, target_id: &str) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO audit_log (id, workspace_id, action, actor_member_id, actor_key_id, target_type, target_id, ip,
             created_at, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
             (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log WHERE workspace_id = ?2))",
        params![
            new_id("aud"),
            actor.workspace_id,
            action,
            actor.member_id,
            actor.key_id,
            target_type,
            target_id,
            actor.ip,
            time::now()
        ],
    )?;
    Ok(())
}

/// Newest first, after the entry id `after`.
pub fn list(
    conn: &Connection,
    workspace_id: &str,
    after: Option<&str>,
    limit: u32,
) -> Result<(Vec<AuditEntry>, Option<String>), Error> {
    // Entries are ordered by their per-workspace `seq`: the order they were written in,
    // even within one millisecond.
    let below: i64 = match after {
        Some(id) => conn
            .query_row("SELECT seq FROM audit_log WHERE workspace_id = ?1 AND id = ?2", [workspace_id, id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| Error::api(ErrorCode::NotFound, "cursor: no such entry in this audit log"))?,
        None => i64::MAX,
    };
    let mut stmt = conn.prepare_cached(
        "SELECT id, action, actor_member_id, actor_key_id, target_type, target_id, ip, created_at FROM audit_log
         WHERE workspace_id = ?1 AND seq < ?2
         ORDER BY seq DESC LIMIT ?3",
    )?;
    let mut rows: Vec<AuditEntry> = stmt
        .query_map(params![workspace_id, below, limit + 1], |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                action: r.get(1)?,
                actor_member_id: r.get(2)?,
                actor_key_id: r.get(3)?,
                target_type: r.get(4)?,
                target_id: r.get(5)?,
                ip: r.get(6)?,
                created_at: r.get(7)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let next = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|e| e.id.clone())
    } else {
        None
    };
    Ok((rows, next))
}
