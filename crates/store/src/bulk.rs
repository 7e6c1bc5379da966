//! Cold starts: indexing text for search row by row (a trigger per row) is most of what
//! writing 200,000 messages costs, and FTS5 builds the same index from the table in a
//! tenth of the time; a b-tree index, too, is cheaper built once than kept row by row. So
//! a first sync writes its rows with the search triggers and the transcript index set
//! aside and builds them once at the end. Their SQL is kept in the file while they are
//! away: a crash mid-way is finished the next time the cache opens.

use crate::Store;
use crate::error::StoreError;

/// What is set aside: the search triggers, and the index transcripts are read by.
const SET_ASIDE: &str = "(type = 'trigger' AND name IN ('message_search_insert', 'message_search_delete', \
     'message_search_update', 'contact_search_insert', 'contact_search_delete', 'contact_search_update')) \
     OR (type = 'index' AND name = 'messages_conversation')";

impl Store {
    /// Sets the search triggers and the transcript index aside (no-op if they already are).
    pub fn begin_bulk(&mut self) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let waiting: i64 = tx.query_row("SELECT count(*) FROM bulk_triggers", [], |r| r.get(0))?;
        if waiting == 0 {
            let aside: Vec<(String, String, String)> = tx
                .prepare(&format!("SELECT type, name, sql FROM sqlite_master WHERE {SET_ASIDE}"))?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?;
            for (kind, name, sql) in aside {
                tx.execute("INSERT INTO bulk_triggers (name, sql) VALUES (?1, ?2)", [&name, &sql])?;
                let what = if kind == "index" { "INDEX" } else { "TRIGGER" };
                tx.execute_batch(&format!("DROP {what} IF EXISTS {name};"))?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Whether a cold sync's rows still wait to be indexed.
    pub fn in_bulk(&self) -> Result<bool, StoreError> {
        Ok(self.conn.query_row("SELECT count(*) FROM bulk_triggers", [], |r| r.get::<_, i64>(0))? > 0)
    }

    /// Indexes every row for search at once and puts the triggers and the index back.
    pub fn finish_bulk(&mut self) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let triggers: Vec<String> =
            tx.prepare("SELECT sql FROM bulk_triggers")?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        if triggers.is_empty() {
            return Ok(());
        }
        tx.execute_batch(
            "INSERT INTO message_search (message_search) VALUES ('rebuild');
             INSERT INTO contact_search (contact_search) VALUES ('rebuild');",
        )?;
        for sql in triggers {
            tx.execute_batch(&sql)?;
        }
        tx.execute("DELETE FROM bulk_triggers", [])?;
        tx.commit()?;
        Ok(())
    }
}
