use rusqlite::{Connection, OptionalExtension, params};
use switchboard_api::{
    Appointment, Change, KnowledgeEntry, Label, Lead, MessageTemplate, ReadMarker, SyncPage, Tombstone,
};
use switchboard_sqlite::{CONTACT_COLUMNS, Record, contact_from_row};

use super::{conversations, messages, records};
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

/// Every table whose rows sync.
const SYNCED_TABLES: [&str; 10] = [
    "contacts",
    "conversations",
    "messages",
    Lead::TABLE,
    Appointment::TABLE,
    Label::TABLE,
    MessageTemplate::TABLE,
    KnowledgeEntry::TABLE,
    ReadMarker::TABLE,
    "tombstones",
];

/// The `limit + 1`-th changed seq after `since` across every synced table.
fn page_boundary_sql() -> String {
    let union: Vec<String> =
        SYNCED_TABLES.iter().map(|t| format!("SELECT seq FROM {t} WHERE workspace_id = ?1 AND seq > ?2")).collect();
    format!("{} ORDER BY 1 LIMIT 1 OFFSET ?3", union.join(" UNION ALL "))
}

fn read_page(conn: &Connection, workspace_id: &str, since: i64, limit: u32) -> Result<SyncPage, Error> {
    // The first seq past the page, found by merging the tables' (workspace_id, seq) indexes
    // without reading a row; then exactly the page's rows are read from each table.
    let beyond: Option<i64> = conn
        .prepare_cached(&page_boundary_sql())?
        .query_row(params![workspace_id, since, limit], |r| r.get(0))
        .optional()?;
    let upto = beyond.map_or(i64::MAX, |b| b - 1);
    let mut changes: Vec<Change> = Vec::with_capacity(limit as usize);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONTACT_COLUMNS} FROM contacts WHERE workspace_id = ?1 AND seq > ?2 AND seq <= ?3 ORDER BY seq"
    ))?;
    for c in stmt.query_map(params![workspace_id, since, upto], contact_from_row)? {
        changes.push(Change::Contact(c?));
    }
    changes.extend(
        conversations::select_seq_range(conn, workspace_id, since, upto)?.into_iter().map(Change::Conversation),
    );
    changes.extend(messages::select_seq_range(conn, workspace_id, since, upto)?.into_iter().map(Change::Message));
    changes.extend(records::select_seq_range::<Lead>(conn, workspace_id, since, upto)?);
    changes.extend(records::select_seq_range::<Appointment>(conn, workspace_id, since, upto)?);
    changes.extend(records::select_seq_range::<Label>(conn, workspace_id, since, upto)?);
    changes.extend(records::select_seq_range::<MessageTemplate>(conn, workspace_id, since, upto)?);
    changes.extend(records::select_seq_range::<KnowledgeEntry>(conn, workspace_id, since, upto)?);
    changes.extend(records::select_seq_range::<ReadMarker>(conn, workspace_id, since, upto)?);
    let mut stmt = conn.prepare_cached(
        "SELECT entity, entity_id, seq FROM tombstones WHERE workspace_id = ?1 AND seq > ?2 AND seq <= ?3 ORDER BY seq",
    )?;
    for t in stmt.query_map(params![workspace_id, since, upto], |r| {
        Ok(Tombstone { entity: r.get(0)?, id: r.get(1)?, seq: r.get(2)? })
    })? {
        changes.push(Change::Deleted(t?));
    }
    changes.sort_by_key(Change::seq);
    let has_more = beyond.is_some();
    // Every seq below `beyond` is in this page or superseded: the cursor may stand just before it.
    let latest = last_seq(conn, workspace_id)?;
    let next = if has_more { upto } else { latest };
    Ok(SyncPage { changes, next, has_more, latest })
}

/// The workspace's latest `seq`: a cursor that covers everything committed so far.
pub fn last_seq(conn: &Connection, workspace_id: &str) -> Result<i64, Error> {
    Ok(conn.query_row("SELECT last_seq FROM workspaces WHERE id = ?1", [workspace_id], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The boundary is found by merging covering indexes, never by sorting rows.
    #[test]
    fn the_page_boundary_merges_covering_indexes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db =
            crate::db::Db::open(&dir.path().join("db.sqlite3"), std::sync::Arc::new(crate::vault::Vault::ephemeral()))
                .expect("open");
        let plan = db
            .write_blocking(|w| {
                let mut stmt = w.conn().prepare(&format!("EXPLAIN QUERY PLAN {}", page_boundary_sql()))?;
                let rows = stmt.query_map(params!["ws", 0, 500], |r| r.get::<_, String>(3))?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?.join("\n"))
            })
            .expect("plan");
        assert!(plan.contains("MERGE (UNION ALL)"), "{plan}");
        assert_eq!(plan.matches("USING COVERING INDEX").count(), SYNCED_TABLES.len(), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }
}
