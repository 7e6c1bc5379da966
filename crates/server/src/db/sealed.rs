//! Secrets at the SQLite edge: every server connection gets `seal(context, text)` and
//! `unseal(context, text)`, backed by the server's [`Vault`], so the statements that write
//! and read secret columns seal and open them where they touch the disk, and nothing
//! above this layer handles ciphertext. NULL stays NULL.

use std::sync::Arc;

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;

use crate::error::Error;
use crate::vault::Vault;

pub fn register(conn: &Connection, vault: &Arc<Vault>) -> rusqlite::Result<()> {
    // Direct SQL only: no trigger, view or index of a tampered schema may call them.
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY;
    let sealer = vault.clone();
    conn.create_scalar_function("seal", 2, flags, move |ctx| {
        let context: String = ctx.get(0)?;
        let text: Option<String> = ctx.get(1)?;
        text.map(|t| sealer.seal(&context, &t)).transpose().map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))
    })?;
    let opener = vault.clone();
    conn.create_scalar_function("unseal", 2, flags, move |ctx| {
        let context: String = ctx.get(0)?;
        let stored: Option<String> = ctx.get(1)?;
        stored
            .map(|s| opener.unseal(&context, &s))
            .transpose()
            .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))
    })
}

/// The secret columns: table, column, and the context each value is bound to.
const COLUMNS: [(&str, &str, &str); 4] = [
    ("channels", "config", "channel:"),
    ("webhook_endpoints", "secret", "webhook:"),
    ("webhook_endpoints", "previous_secret", "webhook:"),
    ("webhook_endpoints", "headers", "webhook-headers:"),
];

/// Whether the database file at `path` holds any sealed secret (so only the key it was
/// used with can open it). A file that is not there, or not migrated, holds none.
pub fn holds_sealed(path: &std::path::Path) -> bool {
    if !path.exists() {
        return false;
    }
    let Ok(conn) = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY) else { return false };
    COLUMNS.iter().any(|(table, column, _)| {
        conn.query_row(&format!("SELECT 1 FROM {table} WHERE {column} LIKE 'sealed:%' LIMIT 1"), [], |_| Ok(())).is_ok()
    })
}

/// Seals under the current key every secret that is not yet: plaintext an older version
/// kept, and values of a rotation's previous key. Answers kept for idempotent replay by
/// versions that stored secrets in them are rewritten without. Returns how many values
/// changed; run at start, in one transaction, before anything reads them.
pub fn reseal_all(conn: &Connection, vault: &Vault) -> Result<usize, Error> {
    let mut changed = 0;
    for (table, column, context) in COLUMNS {
        let rows: Vec<(String, String)> = conn
            .prepare(&format!("SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL"))?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (id, stored) in rows {
            let resealed = vault.reseal(&format!("{context}{id}"), &stored).map_err(|e| Error::Task(e.to_string()))?;
            if let Some(sealed) = resealed {
                conn.execute(&format!("UPDATE {table} SET {column} = ?2 WHERE id = ?1"), [&id, &sealed])?;
                changed += 1;
            }
        }
    }
    changed += withhold_kept_answers(conn)?;
    Ok(changed)
}

/// Answers kept by versions that stored secrets in them, rewritten as this version keeps
/// them (a retry across the upgrade still gets its answer, without the secret).
fn withhold_kept_answers(conn: &Connection) -> Result<usize, Error> {
    let kept: Vec<(String, String, Vec<u8>)> = conn
        .prepare(
            "SELECT workspace_id, key, body FROM idempotency_keys
             WHERE body IS NOT NULL AND (instr(CAST(body AS TEXT), '\"secret\":\"') > 0
                                         OR instr(CAST(body AS TEXT), '\"headers\":{\"') > 0)",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut changed = 0;
    for (workspace_id, key, body) in kept {
        let withheld = serde_json::from_slice(&body).ok().and_then(crate::replay::withhold);
        match withheld.and_then(|v| serde_json::to_vec(&v).ok()) {
            Some(body) => conn.execute(
                "UPDATE idempotency_keys SET body = ?3 WHERE workspace_id = ?1 AND key = ?2",
                rusqlite::params![workspace_id, key, body],
            )?,
            None => conn.execute(
                "DELETE FROM idempotency_keys WHERE workspace_id = ?1 AND key = ?2",
                rusqlite::params![workspace_id, key],
            )?,
        };
        changed += 1;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_sealed_on_disk_and_opened_by_the_functions() {
        let conn = Connection::open_in_memory().expect("db");
        let vault = Arc::new(Vault::ephemeral());
        register(&conn, &vault).expect("functions");
        let sealed: String =
            conn.query_row("SELECT seal('webhook:wh_1', 'whsec_abc')", [], |r| r.get(0)).expect("seal");
        assert!(sealed.starts_with("sealed:v1:") && !sealed.contains("whsec_abc"));
        let opened: String =
            conn.query_row("SELECT unseal('webhook:wh_1', ?1)", [&sealed], |r| r.get(0)).expect("unseal");
        assert_eq!(opened, "whsec_abc");
        let null: Option<String> =
            conn.query_row("SELECT unseal('webhook:wh_1', NULL)", [], |r| r.get(0)).expect("null");
        assert_eq!(null, None);
        let err = conn.query_row("SELECT unseal('webhook:wh_2', ?1)", [&sealed], |r| r.get::<_, String>(0));
        assert!(err.is_err(), "bound to its row");
    }
}
