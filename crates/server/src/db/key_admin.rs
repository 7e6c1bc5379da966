//! Key administration: list, create, revoke, rotate. Each action is audited in its own
//! transaction.

use chrono::{Duration, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use switchboard_api::{ApiKey, CreatedKey, ErrorCode, RotatedKey, Scope};

use super::audit;
use super::keys::issue_key;
use crate::error::Error;
use crate::storage::{Actor, NewKey};
use crate::time;

const COLUMNS: &str = "id, name, prefix, scopes, member_id, created_at, last_used_at, expires_at, revoked_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ApiKey> {
    let scopes: String = r.get(3)?;
    Ok(ApiKey {
        id: r.get(0)?,
        name: r.get(1)?,
        prefix: r.get(2)?,
        scopes: scopes.split(' ').filter_map(Scope::parse).collect(),
        member_id: r.get(4)?,
        created_at: r.get(5)?,
        last_used_at: r.get(6)?,
        expires_at: r.get(7)?,
        revoked_at: r.get(8)?,
    })
}

pub fn list_keys(conn: &Connection, workspace_id: &str, include_inactive: bool) -> Result<Vec<ApiKey>, Error> {
    let active = "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?2)";
    let filter = if include_inactive { "AND ?2 = ?2" } else { active };
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM api_keys WHERE workspace_id = ?1 {filter} ORDER BY created_at DESC, id DESC"
    ))?;
    let rows = stmt.query_map(params![workspace_id, time::now()], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn get_key(conn: &Connection, workspace_id: &str, id: &str) -> Result<ApiKey, Error> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM api_keys WHERE workspace_id = ?1 AND id = ?2"),
        [workspace_id, id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| Error::not_found("API key"))
}

pub fn create_key(conn: &Connection, actor: &Actor, key: &NewKey) -> Result<CreatedKey, Error> {
    super::workspaces::get_member(conn, &actor.workspace_id, &key.member_id).map_err(|_| {
        Error::api(ErrorCode::NotFound, format!("memberId: no member {} in this workspace", key.member_id))
    })?;
    let issued =
        issue_key(conn, &actor.workspace_id, &key.member_id, &key.name, &key.scopes, key.expires_at.as_deref())?;
    audit::record(conn, actor, "key.created", "api_key", &issued.id)?;
    Ok(CreatedKey {
        key: get_key(conn, &actor.workspace_id, &issued.id)?,
        secret: issued.plaintext,
        secret_withheld: None,
    })
}

pub fn revoke_key(conn: &Connection, actor: &Actor, id: &str) -> Result<ApiKey, Error> {
    let key = get_key(conn, &actor.workspace_id, id)?;
    if key.revoked_at.is_some() {
        return Ok(key);
    }
    conn.execute(
        "UPDATE api_keys SET revoked_at = ?3 WHERE workspace_id = ?1 AND id = ?2",
        params![actor.workspace_id, id, time::now()],
    )?;
    audit::record(conn, actor, "key.revoked", "api_key", id)?;
    get_key(conn, &actor.workspace_id, id)
}

pub fn rotate_key(conn: &Connection, actor: &Actor, id: &str, grace_seconds: u32) -> Result<RotatedKey, Error> {
    let old = get_key(conn, &actor.workspace_id, id)?;
    let now = time::now();
    if old.revoked_at.is_some() || old.expires_at.as_deref().is_some_and(|e| e <= now.as_str()) {
        return Err(Error::api(ErrorCode::Conflict, "this key is revoked or expired; create a new one instead"));
    }
    // The old key ends after the grace period, or earlier if it was due to end anyway.
    let grace_end = time::format(Utc::now() + Duration::seconds(i64::from(grace_seconds)));
    let ends = match old.expires_at.as_deref() {
        Some(existing) if existing < grace_end.as_str() => existing.to_owned(),
        _ => grace_end,
    };
    conn.execute(
        "UPDATE api_keys SET expires_at = ?3 WHERE workspace_id = ?1 AND id = ?2",
        params![actor.workspace_id, id, ends],
    )?;
    // The new key acts as the same member with the same scopes.
    let issued = issue_key(conn, &actor.workspace_id, &old.member_id, &old.name, &old.scopes, None)?;
    audit::record(conn, actor, "key.rotated", "api_key", id)?;
    Ok(RotatedKey {
        key: get_key(conn, &actor.workspace_id, &issued.id)?,
        secret: issued.plaintext,
        previous: get_key(conn, &actor.workspace_id, id)?,
        secret_withheld: None,
    })
}
