use rusqlite::{Connection, Row, params};
use switchboard_api::{Usage, UsageCounts, UsagePeriod};

use crate::error::Error;
use crate::storage::Period;

// Internal notes are not messages to anyone: they count nowhere.
const COUNTS: &str = "SUM(m.direction = 'inbound'),
    SUM(m.direction = 'outbound' AND m.author = 'member' AND m.kind != 'note'),
    SUM(m.author = 'ai'),
    COUNT(DISTINCT CASE WHEN m.direction = 'outbound' AND m.kind != 'note' THEN m.conversation_id END),
    COUNT(DISTINCT CASE WHEN m.direction = 'inbound' THEN c.contact_id END)";

fn counts(r: &Row<'_>, first: usize) -> rusqlite::Result<UsageCounts> {
    Ok(UsageCounts {
        messages_in: r.get::<_, Option<i64>>(first)?.unwrap_or(0),
        messages_out: r.get::<_, Option<i64>>(first + 1)?.unwrap_or(0),
        ai_replies: r.get::<_, Option<i64>>(first + 2)?.unwrap_or(0),
        conversations_handled: r.get(first + 3)?,
        active_contacts: r.get(first + 4)?,
    })
}

/// Activity between the days `from` and `to` (both `YYYY-MM-DD`, `to` included).
pub fn usage(conn: &Connection, workspace_id: &str, from: &str, to: &str, period: Period) -> Result<Usage, Error> {
    let (key_len, name) = match period {
        Period::Day => (10, "day"),
        Period::Month => (7, "month"),
    };
    // Timestamps are RFC 3339 UTC text, so a day's rows sort between 'D' and 'D~'.
    let (start, end) = (from.to_owned(), format!("{to}~"));
    let range = "FROM messages m JOIN conversations c ON c.id = m.conversation_id
                 WHERE m.workspace_id = ?1 AND m.created_at >= ?2 AND m.created_at < ?3";
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT substr(m.created_at, 1, {key_len}) AS start, {COUNTS} {range} GROUP BY start ORDER BY start"
    ))?;
    let data = stmt
        .query_map(params![workspace_id, start, end], |r| Ok(UsagePeriod { start: r.get(0)?, counts: counts(r, 1)? }))?
        .collect::<Result<Vec<_>, _>>()?;
    let totals = conn
        .prepare_cached(&format!("SELECT {COUNTS} {range}"))?
        .query_row(params![workspace_id, start, end], |r| counts(r, 0))?;
    Ok(Usage { period: name.to_owned(), from: from.to_owned(), to: to.to_owned(), data, totals })
}
