//! The desktop's local cache: the rows the sync engine pulled, in SQLite, so the app opens
//! instantly and works offline. Holds no secrets, ever.

mod apply;
mod bulk;
mod error;
mod inbox;
mod outbox;
mod queries;
mod reference;
mod schema;
mod search;

use std::path::Path;

use rusqlite::Connection;

pub use apply::Applied;
pub use error::StoreError;
pub use inbox::{InboxFilter, InboxItem, InboxSort, MAX_INBOX, UNREAD_CAP};
pub use outbox::{OutboxAction, OutboxEntry, OutboxState};
pub use queries::CacheStats;
pub use search::{ContactHit, MessageHit, SearchQuery, TextRun, fts_query};

pub struct Store {
    conn: Connection,
}

impl Store {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let mut store = Self { conn: switchboard_sqlite::open(path, schema::MIGRATIONS)? };
        // A cold sync that did not finish (the app was killed) leaves the search index to
        // build: done now, so search never misses rows.
        store.finish_bulk()?;
        Ok(store)
    }

    pub fn open_in_memory() -> Result<Self, StoreError> {
        let mut conn = Connection::open_in_memory()?;
        switchboard_sqlite::migrate(&mut conn, schema::MIGRATIONS)?;
        Ok(Self { conn })
    }
}
