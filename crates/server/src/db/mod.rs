//! SQLite storage. One writer connection behind a mutex (SQLite has one writer anyway, and
//! holding the lock while publishing keeps live events in commit order) and a small pool of
//! read-only connections, which WAL lets run beside the writer.

pub(crate) mod agent;
mod audit;
mod backend;
mod channel_backend;
pub(crate) mod channel_inbound;
pub(crate) mod channels;
pub(crate) mod contacts;
mod conversation_patch;
mod conversations;
mod group_commit;
pub(crate) mod idempotency;
mod key_admin;
mod keys;
mod member_admin;
mod messages;
mod outbound;
mod read_markers;
mod record_backend;
pub(crate) mod records;
mod schema;
pub(crate) mod sealed;
mod sync;
mod usage;
mod webhook_backend;
mod webhook_endpoints;
mod webhook_events;
pub(crate) mod webhook_inactivity;
mod webhook_log;
pub(crate) mod webhook_queue;
pub(crate) mod workspaces;

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use switchboard_api::Change;

use crate::error::Error;
use crate::events::{Events, WorkspaceChange};
use crate::vault::Vault;

pub use contacts::{find_or_create_by_phone, get_contact};
pub use conversation_patch::patch_conversation;
pub use conversations::{find_or_open, get_conversation, list_conversations, save as save_conversation, wake_snoozed};
pub use keys::{authenticate, issue_key};
pub use messages::{NewMessage, insert_message, list_messages, receive_text, recent_messages, update_status};
pub use outbound::check_care_window;
pub use sync::{changes_since, last_seq};
pub use workspaces::{create_workspace, first_workspace, get_member, get_workspace, list_members};

#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
    /// Writes waiting for the next group commit.
    queue: Arc<Mutex<Vec<group_commit::Job>>>,
    readers: Arc<ReaderPool>,
    path: Arc<std::path::PathBuf>,
    events: Events,
    /// Seals and opens the secrets the server keeps (`sealed.rs`).
    vault: Arc<Vault>,
}

/// Read-only connections, opened once the schema is migrated.
struct ReaderPool {
    idle: Mutex<Vec<Connection>>,
    permits: tokio::sync::Semaphore,
}

/// Enough to keep both cores busy while requests also wait on the network.
const READERS: usize = 4;

impl Db {
    pub fn open(path: &Path, vault: Arc<Vault>) -> Result<Self, Error> {
        let db = Self::connect(path, vault)?;
        db.migrate()?;
        Ok(db)
    }

    /// Opens without migrating; [`Db::migrate`] must run before any query.
    pub fn connect(path: &Path, vault: Arc<Vault>) -> Result<Self, Error> {
        let conn = switchboard_sqlite::connect(path)?;
        sealed::register(&conn, &vault)?;
        // What is deleted or overwritten is zeroed where that costs no extra I/O, so a
        // value rewritten (a secret sealed anew) does not linger in the page.
        conn.pragma_update(None, "secure_delete", "FAST")?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            queue: Arc::default(),
            readers: Arc::new(ReaderPool { idle: Mutex::new(Vec::new()), permits: tokio::sync::Semaphore::new(0) }),
            path: Arc::new(path.to_owned()),
            events: Events::new(),
            vault,
        })
    }

    /// Seals under the current server key every secret that is not yet (see
    /// `sealed::reseal_all`). What it overwrites is zeroed (`secure_delete = ON`), and when
    /// anything changed the file is rewritten (`VACUUM`) and the WAL emptied, so that old
    /// values outlive this start neither in freed pages nor in the log. Returns how many
    /// values changed.
    pub fn reseal_secrets(&self) -> Result<usize, Error> {
        let lock = || self.conn.lock().map_err(|_| Error::Task("database lock poisoned".into()));
        lock()?.pragma_update(None, "secure_delete", "ON")?;
        let vault = self.vault.clone();
        let changed = self.write_blocking(move |w| sealed::reseal_all(w.conn(), &vault));
        let conn = lock()?;
        conn.pragma_update(None, "secure_delete", "FAST")?;
        let changed = changed?;
        if changed > 0 {
            conn.execute_batch("VACUUM")?;
            let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
            if busy != 0 {
                tracing::warn!(
                    "the WAL could not be emptied after sealing the stored secrets; it will be at the next checkpoint"
                );
            }
        }
        Ok(changed)
    }

    pub fn migrate(&self) -> Result<(), Error> {
        let mut conn = self.conn.lock().map_err(|_| Error::Task("database lock poisoned".into()))?;
        switchboard_sqlite::migrate(&mut conn, schema::MIGRATIONS)?;
        drop(conn);
        let mut idle = self.readers.idle.lock().map_err(|_| Error::Task("reader pool poisoned".into()))?;
        while idle.len() < READERS {
            let reader = switchboard_sqlite::connect(&self.path)?;
            reader.pragma_update(None, "query_only", "ON")?;
            sealed::register(&reader, &self.vault)?;
            idle.push(reader);
            self.readers.permits.add_permits(1);
        }
        Ok(())
    }

    pub(crate) fn events(&self) -> &Events {
        &self.events
    }

    /// Moves WAL checkpoints out of the commit path: the writer stops checkpointing by
    /// itself, and this task copies the log into the database in the background (PASSIVE:
    /// it never waits for, nor blocks, readers or the writer).
    pub(crate) async fn checkpoint_every(
        self,
        every: std::time::Duration,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        let setup = {
            let this = self.clone();
            tokio::task::spawn_blocking(move || -> Result<Connection, Error> {
                let writer = this.conn.lock().map_err(|_| Error::Task("database lock poisoned".into()))?;
                writer.pragma_update(None, "wal_autocheckpoint", 0)?;
                drop(writer);
                Ok(switchboard_sqlite::connect(&this.path)?)
            })
            .await
        };
        let checkpointer = match setup {
            Ok(Ok(conn)) => Arc::new(Mutex::new(conn)),
            Ok(Err(e)) => return tracing::warn!(error = %e, "background checkpoints unavailable"),
            Err(e) => return tracing::warn!(error = %e, "background checkpoints unavailable"),
        };
        let mut ticker = tokio::time::interval(every);
        loop {
            tokio::select! {
                _ = ticker.tick() => {
                    let conn = checkpointer.clone();
                    let done = tokio::task::spawn_blocking(move || -> Result<(), Error> {
                        let conn = conn.lock().map_err(|_| Error::Task("checkpoint lock poisoned".into()))?;
                        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
                        Ok(())
                    })
                    .await;
                    if let Ok(Err(e)) = done {
                        tracing::warn!(error = %e, "WAL checkpoint failed");
                    }
                }
                _ = stop.changed() => return,
            }
        }
    }

    /// Runs `f` on a read-only connection off the async runtime.
    pub async fn read<T, F>(&self, f: F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, Error> + Send + 'static,
    {
        let _permit = self.readers.permits.acquire().await.map_err(|_| Error::Task("reader pool closed".into()))?;
        let readers = self.readers.clone();
        tokio::task::spawn_blocking(move || {
            let conn = readers
                .idle
                .lock()
                .map_err(|_| Error::Task("reader pool poisoned".into()))?
                .pop()
                .ok_or_else(|| Error::Task("no reader connection".into()))?;
            let result = f(&conn);
            if let Ok(mut idle) = readers.idle.lock() {
                idle.push(conn);
            }
            result
        })
        .await
        .map_err(|e| Error::Task(e.to_string()))?
    }

    /// Runs `f` atomically, in a transaction it may share with concurrent writes (group
    /// commit); returns once that transaction committed, and publishes the changes `f`
    /// recorded. If `f` fails, none of its writes remain.
    pub async fn write<T, F>(&self, f: F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: FnOnce(&mut Writer<'_>) -> Result<T, Error> + Send + 'static,
    {
        let (job, done) = group_commit::Job::new(f);
        self.queue.lock().map_err(|_| Error::Task("write queue poisoned".into()))?.push(job);
        let this = self.clone();
        tokio::task::spawn_blocking(move || group_commit::drain(&this.conn, &this.queue, &this.events))
            .await
            .map_err(|e| Error::Task(e.to_string()))??;
        let out = done.await.map_err(|_| Error::Task("the write was dropped".into()))??;
        out.downcast::<T>().map(|b| *b).map_err(|_| Error::Task("a write returned the wrong type".into()))
    }

    /// Like [`Db::write`], alone in its own transaction, on the calling thread (setup,
    /// seeding and tests).
    pub fn write_blocking<T, F>(&self, f: F) -> Result<T, Error>
    where
        F: FnOnce(&mut Writer<'_>) -> Result<T, Error>,
    {
        let mut guard = self.conn.lock().map_err(|_| Error::Task("database lock poisoned".into()))?;
        let tx = guard.transaction()?;
        let mut writer = Writer::new(&tx);
        let out = f(&mut writer)?;
        let changes = std::mem::take(&mut writer.changes);
        let wake = writer.wake;
        tx.commit()?;
        self.events.wake(wake);
        for change in changes {
            self.events.publish(change);
        }
        Ok(out)
    }
}

/// A write in progress: hands out `seq` numbers and remembers what changed.
pub struct Writer<'c> {
    conn: &'c Connection,
    changes: Vec<WorkspaceChange>,
    /// The workers this write queued work for (webhook deliveries, channel sends), woken
    /// once it is committed.
    wake: crate::events::Wake,
}

impl<'c> Writer<'c> {
    fn new(conn: &'c Connection) -> Self {
        Self { conn, changes: Vec::new(), wake: Default::default() }
    }

    pub fn conn(&self) -> &Connection {
        self.conn
    }

    /// The next workspace-wide sequence number, bumped inside this transaction.
    pub fn next_seq(&self, workspace_id: &str) -> Result<i64, Error> {
        Ok(self
            .conn
            .prepare_cached("UPDATE workspaces SET last_seq = last_seq + 1 WHERE id = ?1 RETURNING last_seq")?
            .query_row([workspace_id], |r| r.get(0))?)
    }

    pub fn record(&mut self, workspace_id: &str, change: Change) {
        self.changes.push(WorkspaceChange { workspace_id: workspace_id.to_owned(), change });
    }

    /// Records a webhook event in this transaction, queued for every endpoint that wants it.
    pub fn emit(&mut self, workspace_id: &str, event: webhook_queue::NewEvent) -> Result<(), Error> {
        if webhook_queue::emit(self.conn, workspace_id, &event, None)? > 0 {
            self.wake.webhooks = true;
        }
        Ok(())
    }

    /// For writes that queue deliveries themselves (tests, replays).
    pub(crate) fn note_queued_webhooks(&mut self) {
        self.wake.webhooks = true;
    }

    /// For writes that queue channel sends.
    pub(crate) fn note_queued_channel_jobs(&mut self) {
        self.wake.channels = true;
    }
}
