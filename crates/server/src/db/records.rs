//! Storage of the [`Record`] types (leads, appointments, labels, templates, knowledge):
//! one implementation of get, insert, save, delete and list for all of them.

use rusqlite::types::{ToSql, Value};
use rusqlite::{Connection, OptionalExtension, params};
use switchboard_api::{Change, ErrorCode, Tombstone};
use switchboard_sqlite::{Record, placeholders, update_in_workspace_sql};

use super::Writer;
use crate::error::Error;
use crate::storage::ConversationCursor;
use crate::time;

/// A list condition: SQL with one `?` for its value, e.g. `status = ?`.
pub type Condition = (&'static str, Value);

pub fn get<R: Record>(conn: &Connection, workspace_id: &str, id: &str) -> Result<R, Error> {
    conn.prepare_cached(&format!("SELECT {} FROM {} WHERE workspace_id = ?1 AND id = ?2", R::columns(), R::TABLE))?
        .query_row([workspace_id, id], R::from_row)
        .optional()?
        .ok_or_else(|| Error::not_found(R::ENTITY))
}

/// Inserts a new record with a fresh `seq`; a unique index it breaks is a 409.
pub fn insert<R: Record>(w: &mut Writer<'_>, workspace_id: &str, mut record: R) -> Result<R, Error> {
    let now = time::now();
    record.stamp(w.next_seq(workspace_id)?, &now);
    let mut values: Vec<&dyn ToSql> = vec![&workspace_id];
    values.extend(record.values());
    let sql =
        format!("INSERT INTO {} (workspace_id, {}) VALUES ({})", R::TABLE, R::columns(), placeholders(values.len()));
    w.conn().prepare_cached(&sql)?.execute(values.as_slice()).map_err(unique_conflict::<R>)?;
    w.record(workspace_id, record.clone().into_change());
    Ok(record)
}

/// Writes every column of an existing record with a fresh `seq` and `updated_at`.
pub fn save<R: Record>(w: &mut Writer<'_>, workspace_id: &str, mut record: R) -> Result<R, Error> {
    let now = time::now();
    record.stamp(w.next_seq(workspace_id)?, &now);
    let mut values: Vec<&dyn ToSql> = vec![&workspace_id];
    values.extend(record.values());
    let changed = w
        .conn()
        .prepare_cached(&update_in_workspace_sql(R::TABLE, &R::columns()))?
        .execute(values.as_slice())
        .map_err(unique_conflict::<R>)?;
    if changed == 0 {
        return Err(Error::not_found(R::ENTITY));
    }
    w.record(workspace_id, record.clone().into_change());
    Ok(record)
}

/// Deletes a record and leaves a tombstone, so synced copies are dropped too.
pub fn delete<R: Record>(w: &mut Writer<'_>, workspace_id: &str, id: &str) -> Result<(), Error> {
    let deleted = w
        .conn()
        .prepare_cached(&format!("DELETE FROM {} WHERE workspace_id = ?1 AND id = ?2", R::TABLE))?
        .execute([workspace_id, id])?;
    if deleted == 0 {
        return Err(Error::not_found(R::ENTITY));
    }
    let seq = w.next_seq(workspace_id)?;
    w.conn()
        .prepare_cached(
            "INSERT INTO tombstones (workspace_id, entity, entity_id, seq) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (workspace_id, entity, entity_id) DO UPDATE SET seq = excluded.seq",
        )?
        .execute(params![workspace_id, R::ENTITY, id, seq])?;
    w.record(workspace_id, Change::Deleted(Tombstone { entity: R::ENTITY.to_owned(), id: id.to_owned(), seq }));
    Ok(())
}

/// Newest first, every condition holding, after `cursor`.
pub fn list<R: Record>(
    conn: &Connection,
    workspace_id: &str,
    conditions: Vec<Condition>,
    after: Option<&ConversationCursor>,
    limit: u32,
) -> Result<(Vec<R>, Option<ConversationCursor>), Error> {
    let (at, after_id) = after.map_or(("\u{10FFFF}", "\u{10FFFF}"), |c| (c.activity.as_str(), c.id.as_str()));
    let mut sql =
        format!("SELECT {} FROM {} WHERE workspace_id = ?1 AND (created_at, id) < (?2, ?3)", R::columns(), R::TABLE);
    let mut values: Vec<Value> = [workspace_id, at, after_id].map(|s| Value::Text(s.to_owned())).to_vec();
    for (condition, value) in conditions {
        values.push(value);
        sql.push_str(" AND ");
        sql.push_str(&condition.replace('?', &format!("?{}", values.len())));
    }
    values.push(i64::from(limit + 1).into());
    sql.push_str(&format!(" ORDER BY created_at DESC, id DESC LIMIT ?{}", values.len()));
    let mut rows: Vec<R> = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(values), R::from_row)?
        .collect::<Result<_, _>>()?;
    let next = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|r| ConversationCursor { activity: r.created_at().to_owned(), id: r.id().to_owned() })
    } else {
        None
    };
    Ok((rows, next))
}

/// Rows with `since < seq <= upto`, in `seq` order, as changes.
pub fn select_seq_range<R: Record>(
    conn: &Connection,
    workspace_id: &str,
    since: i64,
    upto: i64,
) -> Result<Vec<Change>, Error> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM {} WHERE workspace_id = ?1 AND seq > ?2 AND seq <= ?3 ORDER BY seq",
        R::columns(),
        R::TABLE
    ))?;
    let rows = stmt.query_map(params![workspace_id, since, upto], R::from_row)?;
    Ok(rows.map(|r| r.map(R::into_change)).collect::<Result<_, _>>()?)
}

fn unique_conflict<R: Record>(e: rusqlite::Error) -> Error {
    match e {
        rusqlite::Error::SqliteFailure(f, _) if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE => {
            Error::api(ErrorCode::Conflict, format!("a {} with this name already exists", R::ENTITY))
        }
        other => other.into(),
    }
}
