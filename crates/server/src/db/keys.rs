use rusqlite::{Connection, OptionalExtension, params};
use switchboard_api::{ErrorCode, Scope};

use crate::error::Error;
use crate::ids::new_id;
use crate::storage::{AuthedKey, IssuedKey, KeyAccess};
use crate::{keys, time};

pub fn issue_key(
    conn: &Connection,
    workspace_id: &str,
    member_id: &str,
    name: &str,
    scopes: &[Scope],
    expires_at: Option<&str>,
) -> Result<IssuedKey, Error> {
    let generated = keys::generate();
    let id = new_id("key");
    let scope_text = scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ");
    conn.execute(
        "INSERT INTO api_keys (id, workspace_id, member_id, name, prefix, hash, scopes, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            workspace_id,
            member_id,
            name,
            generated.display_prefix,
            generated.hash,
            scope_text,
            time::now(),
            expires_at
        ],
    )?;
    Ok(IssuedKey { id, prefix: generated.display_prefix, plaintext: generated.plaintext, scopes: scopes.to_vec() })
}

/// Resolves a bearer key, read-only. Malformed keys are rejected before any lookup. The
/// flag says the key's `last_used_at` is over a minute old and wants [`touch_key`].
pub fn authenticate(conn: &Connection, presented: &str) -> Result<(AuthedKey, bool), Error> {
    let invalid = || Error::api(ErrorCode::InvalidApiKey, "the API key is invalid, expired or revoked");
    if !keys::is_well_formed(presented) {
        return Err(invalid());
    }
    type Row = (String, String, String, String, String, Option<u32>, Option<String>);
    let row: Option<Row> = conn
        .query_row(
            "SELECT k.id, k.prefix, k.workspace_id, k.member_id, k.scopes, w.rate_limit_per_minute, k.last_used_at
             FROM api_keys k JOIN workspaces w ON w.id = k.workspace_id
             WHERE k.hash = ?1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?2)",
            params![keys::hash(presented), time::now()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .optional()?;
    let (key_id, prefix, workspace_id, member_id, scopes, rate_limit_per_minute, last_used_at) =
        row.ok_or_else(invalid)?;
    let stale = last_used_at.is_none_or(|at| at < stale_before());
    let key = AuthedKey {
        key_id,
        prefix,
        workspace_id,
        member_id,
        scopes: scopes.split(' ').filter_map(Scope::parse).collect(),
        rate_limit_per_minute,
    };
    Ok((key, stale))
}

fn stale_before() -> String {
    time::format(chrono::Utc::now() - chrono::Duration::seconds(60))
}

/// Records use, at most once a minute per key so that reads stay reads.
pub fn touch_key(conn: &Connection, key_id: &str) -> Result<(), Error> {
    conn.execute(
        "UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at < ?3)",
        params![key_id, time::now(), stale_before()],
    )?;
    Ok(())
}

/// Whether the key may be used now, and until when.
pub fn access(conn: &Connection, workspace_id: &str, key_id: &str) -> Result<KeyAccess, Error> {
    let row: Option<Option<String>> = conn
        .query_row(
            "SELECT expires_at FROM api_keys
             WHERE workspace_id = ?1 AND id = ?2 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?3)",
            params![workspace_id, key_id, time::now()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match row {
        Some(until) => KeyAccess::Active { until },
        None => KeyAccess::Ended,
    })
}
