//! Full-text search over the whole cached history: messages (with filters on their
//! conversation) and contacts. The MATCH drives every query (`CROSS JOIN` keeps SQLite
//! from starting at a filter instead, which turns milliseconds into a scan of the inbox);
//! `tests::the_match_drives_the_plan` holds it to that.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use switchboard_api::{Channel, ConversationStatus};

use crate::Store;
use crate::error::StoreError;

/// Marks around matched words in FTS5's snippets: private-use characters, which no
/// message text carries (they are removed from the query).
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';
const MAX_LIMIT: u32 = 200;

/// What to find, and in which conversations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SearchQuery {
    /// Words, all of which must occur (the last one as a prefix: search as you type).
    pub text: String,
    pub status: Option<ConversationStatus>,
    pub channel: Option<Channel>,
    /// A member id, or `unassigned`.
    pub assignee: Option<String>,
    pub label: Option<String>,
    /// Messages written at or after / before these times (RFC 3339).
    pub from: Option<String>,
    pub to: Option<String>,
    /// 1–200; 50 if unset.
    pub limit: Option<u32>,
}

/// A piece of a snippet, matched or not, so a UI highlights without parsing markup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TextRun {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MessageHit {
    pub message_id: String,
    pub conversation_id: String,
    /// Who the conversation is with: name, else phone, else "Visitor".
    pub title: String,
    pub created_at: String,
    pub snippet: Vec<TextRun>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ContactHit {
    pub contact_id: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

const MESSAGE_SEARCH: &str = "SELECT m.id, m.conversation_id, COALESCE(ct.name, ct.phone, 'Visitor'), m.created_at,
        snippet(message_search, 0, char(57344), char(57345), '…', 16)
     FROM message_search
     CROSS JOIN messages m ON m.rowid = message_search.rowid
     CROSS JOIN conversations c ON c.id = m.conversation_id
     LEFT JOIN contacts ct ON ct.id = c.contact_id
     WHERE message_search MATCH ?1
       AND (?2 IS NULL OR c.status = ?2)
       AND (?3 IS NULL OR c.channel = ?3)
       AND (?4 IS NULL OR (?4 = 'unassigned' AND c.assignee_id IS NULL) OR c.assignee_id = ?4)
       AND (?5 IS NULL OR EXISTS (SELECT 1 FROM json_each(c.labels) WHERE json_each.value = ?5))
       AND (?6 IS NULL OR m.created_at >= ?6)
       AND (?7 IS NULL OR m.created_at < ?7)
     ORDER BY rank
     LIMIT ?8";

impl Store {
    /// The best-matching messages, with a highlighted snippet each.
    pub fn search_messages(&self, q: &SearchQuery) -> Result<Vec<MessageHit>, StoreError> {
        let Some(fts) = fts_query(&q.text) else { return Ok(Vec::new()) };
        let limit = q.limit.unwrap_or(50).clamp(1, MAX_LIMIT);
        let mut stmt = self.conn.prepare_cached(MESSAGE_SEARCH)?;
        let rows = stmt.query_map(
            params![
                fts,
                q.status.map(|s| s.as_str()),
                q.channel.map(|c| c.as_str()),
                q.assignee,
                q.label,
                q.from,
                q.to,
                limit
            ],
            |r| {
                Ok(MessageHit {
                    message_id: r.get(0)?,
                    conversation_id: r.get(1)?,
                    title: r.get(2)?,
                    created_at: r.get(3)?,
                    snippet: runs(&r.get::<_, String>(4)?),
                })
            },
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Contacts whose name, phone or email match.
    pub fn search_contacts(&self, text: &str, limit: u32) -> Result<Vec<ContactHit>, StoreError> {
        let Some(fts) = fts_query(text) else { return Ok(Vec::new()) };
        let mut stmt = self.conn.prepare_cached(
            "SELECT ct.id, ct.name, ct.phone, ct.email FROM contact_search
             CROSS JOIN contacts ct ON ct.rowid = contact_search.rowid
             WHERE contact_search MATCH ?1 ORDER BY rank LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![fts, limit.clamp(1, MAX_LIMIT)], |r| {
            Ok(ContactHit { contact_id: r.get(0)?, name: r.get(1)?, phone: r.get(2)?, email: r.get(3)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// What people type, as an FTS5 query: each word quoted (so `"`, `-`, `OR`, `NEAR` and
/// `*` are only text), all required, the last a prefix. `None` when nothing is left.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == OPEN || c == CLOSE)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '+' && c != '@'))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    let last = words.len().checked_sub(1)?;
    Some(
        words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == last { format!("{w}*") } else { w.clone() })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

fn runs(snippet: &str) -> Vec<TextRun> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut hit = false;
    for c in snippet.chars() {
        if (c == OPEN && !hit) || (c == CLOSE && hit) {
            if !current.is_empty() {
                out.push(TextRun { text: std::mem::take(&mut current), hit });
            }
            hit = c == OPEN;
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        out.push(TextRun { text: current, hit });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_becomes_a_safe_prefix_query() {
        assert_eq!(fts_query("root canal").as_deref(), Some("\"root\" \"canal\"*"));
        assert_eq!(fts_query("  \"x\" OR -y NEAR(").as_deref(), Some("\"x\" \"OR\" \"y\" \"NEAR\"*"));
        assert_eq!(fts_query("ana@example.com").as_deref(), Some("\"ana@example.com\"*"));
        assert_eq!(fts_query("?? ..."), None);
        assert_eq!(fts_query(""), None);
    }

    #[test]
    fn snippets_split_into_runs() {
        let s = format!("a {OPEN}root{CLOSE} and {OPEN}canal{CLOSE}");
        let r = runs(&s);
        assert_eq!(r.iter().filter(|r| r.hit).map(|r| r.text.as_str()).collect::<Vec<_>>(), ["root", "canal"]);
        assert_eq!(r[0], TextRun { text: "a ".into(), hit: false });
    }

    #[test]
    fn the_match_drives_the_plan() {
        let store = Store::open_in_memory().expect("store");
        let plan = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> Vec<String> {
            let mut stmt = store.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("plan");
            stmt.query_map(params, |r| r.get::<_, String>(3)).expect("rows").map(|r| r.expect("row")).collect()
        };
        let messages = plan(
            MESSAGE_SEARCH,
            &[&"\"root\"*", &"open", &"web", &"unassigned", &"vip", &"2026-01-01", &"2027-01-01", &50],
        );
        assert!(messages[0].starts_with("SCAN message_search VIRTUAL TABLE"), "{messages:?}");
        assert!(messages.iter().any(|s| s.contains("SEARCH m USING INTEGER PRIMARY KEY")), "{messages:?}");
        assert!(
            messages.iter().any(|s| s.contains("SEARCH c USING INDEX sqlite_autoindex_conversations")),
            "{messages:?}"
        );
        assert!(
            !messages
                .iter()
                .any(|s| s == "SCAN c" || s == "SCAN m" || s.starts_with("SCAN c ") || s.starts_with("SCAN m ")),
            "{messages:?}"
        );
    }
}
