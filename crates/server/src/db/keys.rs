use rusqlite::{Connection, OptionalExtension, params};
use switchboard_api::{ErrorCode, Scope};

use crate::error::Error;
use crate::ids::new_id;
use crate::storage::{AuthedKey, IssuedKey};
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

/// Resolves a bearer key. Malformed keys are rejected before any lookup.
pub fn authenticate(conn: &Connection, presented: &str) -> Result<AuthedKey, Error> {
    let invalid = || Error::api(ErrorCode::InvalidApiKey, "the API key is invalid or revoked");
    if !keys::is_well_formed(presented) {
        return Err(invalid());
    }
    let row: Option<(String, String, String, String, String, Option<u32>)> = conn
        .query_row(
            "SELECT k.id, k.prefix, k.workspace_id, k.member_id, k.scopes, w.rate_limit_per_minute
             FROM api_keys k JOIN workspaces w ON w.id = k.workspace_id
             WHERE k.hash = ?1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?2)",
            params![keys::hash(presented), time::now()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?;
    let (key_id, prefix, workspace_id, member_id, scopes, rate_limit_per_minute) = row.ok_or_else(invalid)?;
    let now = time::now();
    // Throttled so that reads do not turn into a write per request.
    let stale_before = time::format(chrono::Utc::now() - chrono::Duration::seconds(60));
    conn.execute(
        "UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at < ?3)",
        params![key_id, now, stale_before],
    )?;
    Ok(AuthedKey {
        key_id,
        prefix,
        workspace_id,
        member_id,
        scopes: scopes.split(' ').filter_map(Scope::parse).collect(),
        rate_limit_per_minute,
    })
}
