use rusqlite::{Connection, OptionalExtension, params};
use switchboard_api::{ErrorCode, Scope};

use crate::error::Error;
use crate::ids::new_id;
use crate::{keys, time};

/// A key as issued: the plaintext exists only in this value, returned once to the caller.
pub struct IssuedKey {
    pub id: String,
    pub prefix: String,
    pub plaintext: String,
    pub scopes: Vec<Scope>,
}

impl std::fmt::Debug for IssuedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedKey").field("id", &self.id).field("prefix", &self.prefix).finish()
    }
}

/// The identity behind a request's bearer key.
#[derive(Debug, Clone)]
pub struct AuthedKey {
    pub key_id: String,
    pub prefix: String,
    pub workspace_id: String,
    pub member_id: String,
    pub scopes: Vec<Scope>,
}

impl AuthedKey {
    pub fn require(&self, scope: Scope) -> Result<(), Error> {
        // admin implies write implies read.
        let rank = |s: Scope| match s {
            Scope::Read => 0,
            Scope::Write => 1,
            Scope::Admin => 2,
        };
        if self.scopes.iter().any(|s| rank(*s) >= rank(scope)) {
            Ok(())
        } else {
            Err(Error::api(ErrorCode::InsufficientScope, format!("this API key lacks the '{}' scope", scope.as_str())))
        }
    }
}

pub fn issue_key(
    conn: &Connection,
    workspace_id: &str,
    member_id: &str,
    name: &str,
    scopes: &[Scope],
) -> Result<IssuedKey, Error> {
    let generated = keys::generate();
    let id = new_id("key");
    let scope_text = scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ");
    conn.execute(
        "INSERT INTO api_keys (id, workspace_id, member_id, name, prefix, hash, scopes, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![id, workspace_id, member_id, name, generated.display_prefix, generated.hash, scope_text, time::now()],
    )?;
    Ok(IssuedKey { id, prefix: generated.display_prefix, plaintext: generated.plaintext, scopes: scopes.to_vec() })
}

/// Resolves a bearer key. Malformed keys are rejected before any lookup.
pub fn authenticate(conn: &Connection, presented: &str) -> Result<AuthedKey, Error> {
    let invalid = || Error::api(ErrorCode::InvalidApiKey, "the API key is invalid or revoked");
    if !keys::is_well_formed(presented) {
        return Err(invalid());
    }
    let row: Option<(String, String, String, String, String)> = conn
        .query_row(
            "SELECT id, prefix, workspace_id, member_id, scopes FROM api_keys
             WHERE hash = ?1 AND revoked_at IS NULL",
            [keys::hash(presented)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let (key_id, prefix, workspace_id, member_id, scopes) = row.ok_or_else(invalid)?;
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
    })
}
