//! Group commit: concurrent writes share one transaction. Each write runs in its own
//! savepoint, so one that fails is rolled back alone; the batch commits once, and only
//! then does each caller get its result and its changes go live. Under load this turns
//! many small commits on SQLite's single writer into a few larger ones.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::Writer;
use crate::error::Error;
use crate::events::{Events, WorkspaceChange};

type Output = Box<dyn Any + Send>;
type Work = Box<dyn FnOnce(&mut Writer<'_>) -> Result<Output, Error> + Send>;

/// One queued write and where its result goes.
pub struct Job {
    work: Work,
    done: oneshot::Sender<Result<Output, Error>>,
}

impl Job {
    pub fn new<T, F>(f: F) -> (Self, oneshot::Receiver<Result<Output, Error>>)
    where
        T: Send + 'static,
        F: FnOnce(&mut Writer<'_>) -> Result<T, Error> + Send + 'static,
    {
        let (done, rx) = oneshot::channel();
        let work: Work = Box::new(move |w| f(w).map(|v| Box::new(v) as Output));
        (Self { work, done }, rx)
    }
}

/// The most writes one transaction takes, so a burst cannot hold the lock for long.
const MAX_BATCH: usize = 64;

/// Runs every queued job, in batches, while holding the writer connection. A caller whose
/// job another thread already ran finds the queue empty and returns at once.
pub fn drain(conn: &Mutex<Connection>, queue: &Mutex<Vec<Job>>, events: &Events) -> Result<(), Error> {
    // An empty queue means another thread took our job: it answers when its batch commits,
    // so there is no need to wait for the writer here.
    if queue.lock().map_err(|_| Error::Task("write queue poisoned".into()))?.is_empty() {
        return Ok(());
    }
    let mut conn = conn.lock().map_err(|_| Error::Task("database lock poisoned".into()))?;
    loop {
        let batch: Vec<Job> = {
            let mut queue = queue.lock().map_err(|_| Error::Task("write queue poisoned".into()))?;
            let n = queue.len().min(MAX_BATCH);
            queue.drain(..n).collect()
        };
        if batch.is_empty() {
            return Ok(());
        }
        run_batch(&mut conn, batch, events);
    }
}

fn run_batch(conn: &mut Connection, batch: Vec<Job>, events: &Events) {
    let mut tx = match conn.transaction() {
        Ok(tx) => tx,
        Err(e) => return fail_all(batch.into_iter().map(|j| j.done), &e.to_string()),
    };
    let mut succeeded: Vec<(oneshot::Sender<Result<Output, Error>>, Output, Vec<WorkspaceChange>)> = Vec::new();
    let mut wake = crate::events::Wake::default();
    for job in batch {
        let mut sp = match tx.savepoint() {
            Ok(sp) => sp,
            Err(e) => {
                let _ = job.done.send(Err(e.into()));
                continue;
            }
        };
        let mut writer = Writer::new(&sp);
        let work = job.work;
        let result = catch_unwind(AssertUnwindSafe(|| work(&mut writer)))
            .unwrap_or_else(|_| Err(Error::Task("a write panicked; it was rolled back".into())));
        let changes = std::mem::take(&mut writer.changes);
        let queued = writer.wake;
        drop(writer);
        match result {
            Ok(out) => match sp.commit() {
                Ok(()) => {
                    wake |= queued;
                    succeeded.push((job.done, out, changes));
                }
                Err(e) => {
                    let _ = job.done.send(Err(e.into()));
                }
            },
            Err(e) => {
                // Dropping the savepoint rolls it back: nothing of this write remains.
                let _ = sp.rollback();
                drop(sp);
                let _ = job.done.send(Err(e));
            }
        }
    }
    if let Err(e) = tx.commit() {
        return fail_all(succeeded.into_iter().map(|(done, ..)| done), &e.to_string());
    }
    events.wake(wake);
    for (done, out, changes) in succeeded {
        for change in changes {
            events.publish(change);
        }
        let _ = done.send(Ok(out));
    }
}

fn fail_all(waiting: impl Iterator<Item = oneshot::Sender<Result<Output, Error>>>, why: &str) {
    for done in waiting {
        let _ = done.send(Err(Error::Task(format!("the write was not committed: {why}"))));
    }
}

#[cfg(test)]
mod tests {
    use switchboard_api::Channel;

    use crate::db::{Db, create_workspace, receive_text};
    use crate::error::Error;

    /// Many writes at once, every third failing after it wrote, one panicking: the failed
    /// ones leave no row and no event, the others all commit, and the writer keeps working.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn failed_writes_in_a_batch_leave_nothing_and_spoil_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = Db::open(&dir.path().join("db.sqlite3"), std::sync::Arc::new(crate::vault::Vault::ephemeral()))
            .expect("open");
        let ws = db.write(|w| Ok(create_workspace(w, "Clinic", "Owner")?.workspace.id)).await.expect("workspace");
        let mut events = db.events().subscribe();
        let mut tasks = Vec::new();
        for i in 0..60 {
            let (db, ws) = (db.clone(), ws.clone());
            tasks.push(tokio::spawn(async move {
                db.write(move |w| {
                    let phone = format!("+1555000{i:04}");
                    let (message, _) = receive_text(w, &ws, &phone, Channel::Web, "hello")?;
                    if i == 7 {
                        panic!("a bug in one write");
                    }
                    if i % 3 == 0 { Err(Error::invalid("refused after writing")) } else { Ok(message.id) }
                })
                .await
            }));
        }
        let mut ok = Vec::new();
        for (i, task) in tasks.into_iter().enumerate() {
            match task.await.expect("join") {
                Ok(id) => ok.push(id),
                Err(e) => assert!(i % 3 == 0 || i == 7, "write {i} failed: {e}"),
            }
        }
        assert_eq!(ok.len(), 60 - 20 - 1);
        let stored: i64 = db
            .read(|conn| Ok(conn.query_row("SELECT count(*) FROM messages", [], |r| r.get(0))?))
            .await
            .expect("count");
        assert_eq!(stored, ok.len() as i64, "only the successful writes remain");
        let mut published = 0;
        while let Ok(change) = events.try_recv() {
            if let switchboard_api::Change::Message(m) = &change.change {
                assert!(ok.contains(&m.id), "an event for a rolled-back write");
                published += 1;
            }
        }
        assert_eq!(published, ok.len());
        let after = db.write(|w| Ok(w.next_seq("nope").is_err())).await.expect("the writer still works");
        assert!(after);
    }
}
