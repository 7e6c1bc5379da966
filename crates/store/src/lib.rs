//! The desktop's local cache: the rows the sync engine pulled, in SQLite, so the app opens
//! instantly and works offline. Holds no secrets, ever.

mod apply;
mod error;
mod outbox;
mod queries;
mod reference;
mod schema;
mod search;

use std::path::Path;

use rusqlite::Connection;

pub use apply::Applied;
pub use error::StoreError;
pub use outbox::{OutboxAction, OutboxEntry, OutboxState};
pub use queries::{CacheStats, InboxFilter, InboxItem};
pub use search::{ContactHit, MessageHit, SearchQuery, TextRun, fts_query};

pub struct Store {
    conn: Connection,
}

impl Store {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(Self { conn: switchboard_sqlite::open(path, schema::MIGRATIONS)? })
    }

    pub fn open_in_memory() -> Result<Self, StoreError> {
        let mut conn = Connection::open_in_memory()?;
        switchboard_sqlite::migrate(&mut conn, schema::MIGRATIONS)?;
        Ok(Self { conn })
    }
}
