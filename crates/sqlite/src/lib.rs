//! SQLite plumbing shared by the workspace server and the desktop cache: how a database is
//! opened, how its schema moves forward, and how wire types map to rows. Both sides keep
//! their own schema; only the mechanics are shared.

mod records;
mod rows;

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

pub use records::Record;
pub use rows::{
    CONTACT_COLUMNS, CONVERSATION_COLUMNS, MESSAGE_COLUMNS, contact_from_row, contact_values, conversation_from_row,
    conversation_values, execute_message, json_column, message_from_row, message_values, placeholders,
    update_in_workspace_sql, upsert_newer_sql,
};

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error("written by a newer Switchboard (schema {found}, this build knows {known})")]
    SchemaTooNew { found: i64, known: i64 },
    #[error("cannot create the folder {0}: {1}")]
    Folder(String, std::io::Error),
}

/// Opens (creating folder and file if needed) with the settings every Switchboard database
/// uses, then applies `migrations`.
pub fn open(path: &Path, migrations: &[&str]) -> Result<Connection, OpenError> {
    let mut conn = connect(path)?;
    migrate(&mut conn, migrations)?;
    Ok(conn)
}

/// Opens with the settings every Switchboard database uses, without migrating.
pub fn connect(path: &Path) -> Result<Connection, OpenError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| OpenError::Folder(dir.display().to_string(), e))?;
    }
    let conn = Connection::open(path)?;
    // busy_timeout first: the pragmas below may themselves wait for the lock.
    conn.busy_timeout(Duration::from_secs(5))?;
    // WAL with synchronous=NORMAL survives an application crash without losing commits.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// Forward-only migrations: `PRAGMA user_version` counts those applied, each in its own
/// transaction. A database from a newer build is refused and left untouched.
pub fn migrate(conn: &mut Connection, migrations: &[&str]) -> Result<(), OpenError> {
    let known = migrations.len() as i64;
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > known {
        return Err(OpenError::SchemaTooNew { found, known });
    }
    for (index, sql) in migrations.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIGRATIONS: &[&str] = &["CREATE TABLE a (x);", "CREATE TABLE b (y);"];

    #[test]
    fn migrations_apply_once_and_in_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("deep").join("db.sqlite3");
        open(&path, &MIGRATIONS[..1]).expect("first version");
        let conn = open(&path, MIGRATIONS).expect("second version");
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).expect("version");
        assert_eq!(version, 2);
        let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).expect("mode");
        assert_eq!(mode, "wal");
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let mut conn = Connection::open_in_memory().expect("open");
        conn.pragma_update(None, "user_version", 99).expect("set");
        assert!(matches!(migrate(&mut conn, MIGRATIONS), Err(OpenError::SchemaTooNew { found: 99, known: 2 })));
    }

    #[test]
    fn a_failing_migration_leaves_the_version_alone() {
        let mut conn = Connection::open_in_memory().expect("open");
        assert!(migrate(&mut conn, &["CREATE TABLE ok (x);", "THIS IS NOT SQL"]).is_err());
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).expect("version");
        assert_eq!(version, 1);
    }
}
