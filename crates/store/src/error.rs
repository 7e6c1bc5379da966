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
    #[error("no such {0} in the local cache")]
    NotFound(&'static str),
}

impl StoreError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "cache_error",
            Self::SchemaTooNew { .. } => "cache_too_new",
            Self::Io(_) => "cache_io",
            Self::Corrupt(_) => "cache_corrupt",
            Self::NotFound(_) => "not_found",
        }
    }
}

impl From<switchboard_sqlite::OpenError> for StoreError {
    fn from(e: switchboard_sqlite::OpenError) -> Self {
        match e {
            switchboard_sqlite::OpenError::Sqlite(e) => Self::Sqlite(e),
            switchboard_sqlite::OpenError::SchemaTooNew { found, known } => Self::SchemaTooNew { found, known },
            folder @ switchboard_sqlite::OpenError::Folder(..) => Self::Io(folder.to_string()),
        }
    }
}
