use chrono::{Duration, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Error;
use crate::storage::{IdempotencyBegin, StoredResponse};
use crate::time;

/// How long a stored response is replayed.
const KEEP_FOR: Duration = Duration::hours(24);
/// A claim older than this was abandoned (the process died mid-request).
const ABANDONED_AFTER: Duration = Duration::seconds(60);

pub fn begin(conn: &Connection, workspace_id: &str, key: &str, fingerprint: &str) -> Result<IdempotencyBegin, Error> {
    let now = Utc::now();
    conn.execute("DELETE FROM idempotency_keys WHERE created_at < ?1", [time::format(now - KEEP_FOR)])?;
    let row: Option<(String, String, Option<u16>, Option<Vec<u8>>, String)> = conn
        .query_row(
            "SELECT fingerprint, state, status, body, created_at FROM idempotency_keys
             WHERE workspace_id = ?1 AND key = ?2",
            [workspace_id, key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let claim = |conn: &Connection| -> Result<IdempotencyBegin, Error> {
        conn.execute(
            "INSERT INTO idempotency_keys (workspace_id, key, fingerprint, state, created_at)
             VALUES (?1, ?2, ?3, 'in_flight', ?4)
             ON CONFLICT (workspace_id, key) DO UPDATE SET fingerprint = excluded.fingerprint,
                 state = 'in_flight', status = NULL, body = NULL, created_at = excluded.created_at",
            params![workspace_id, key, fingerprint, time::format(now)],
        )?;
        Ok(IdempotencyBegin::Proceed)
    };
    let Some((stored_fingerprint, state, status, body, created_at)) = row else {
        return claim(conn);
    };
    if state == "in_flight" {
        return if created_at < time::format(now - ABANDONED_AFTER) {
            claim(conn)
        } else {
            // Whatever the body: until the first request finishes, nobody knows the answer.
            Ok(IdempotencyBegin::InFlight)
        };
    }
    if stored_fingerprint != fingerprint {
        return Ok(IdempotencyBegin::Mismatch);
    }
    Ok(IdempotencyBegin::Replay(StoredResponse { status: status.unwrap_or(200), body: body.unwrap_or_default() }))
}

/// Forgets the claims of requests that were running when an earlier process stopped
/// (killed, crashed): the one process that owns this database is starting, so none of
/// them is still running, and a retry must not wait for [`ABANDONED_AFTER`].
pub fn release_claims(conn: &Connection) -> Result<usize, Error> {
    Ok(conn.execute("DELETE FROM idempotency_keys WHERE state = 'in_flight'", [])?)
}

pub fn finish(conn: &Connection, workspace_id: &str, key: &str, response: Option<StoredResponse>) -> Result<(), Error> {
    match response {
        Some(r) => conn.execute(
            "UPDATE idempotency_keys SET state = 'done', status = ?3, body = ?4 WHERE workspace_id = ?1 AND key = ?2",
            params![workspace_id, key, r.status, r.body],
        )?,
        None => {
            conn.execute("DELETE FROM idempotency_keys WHERE workspace_id = ?1 AND key = ?2", [workspace_id, key])?
        }
    };
    Ok(())
}
