#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("local cache error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the local cache was written by a newer Switchboard (schema {found}, this build knows {known})")]
    SchemaTooNew { found: i64, known: i64 },
    #[error("cannot create the cache folder: {0}")]
    Io(String),
    #[error("cached row is corrupt: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "cache_error",
            Self::SchemaTooNew { .. } => "cache_too_new",
            Self::Io(_) => "cache_io",
            Self::Corrupt(_) => "cache_corrupt",
        }
    }
}
