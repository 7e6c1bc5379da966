//! The sync engine: keeps a [`Store`] equal to the server. Cold start pages `/sync` from
//! the stored cursor; then the live stream applies changes as they commit; after any
//! disconnect or `resync`, it pages `/sync` again before reopening the stream. Each page is
//! applied together with its cursor, so a crash never skips or double-applies.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use switchboard_api::{Change, ErrorCode, MessageKind, PatchConversationRequest, PostMessageRequest, Presence};
use switchboard_client::{Client, ClientError, StreamEvent};
use switchboard_store::{Applied, OutboxAction, OutboxEntry, Store, StoreError};
use tokio::sync::{broadcast, watch};

/// The server's largest page: fewer round trips on a cold start.
const PAGE: u32 = switchboard_api::MAX_SYNC_LIMIT;
/// How often a waiting outbox is looked at when nothing wakes it.
const OUTBOX_TICK: Duration = Duration::from_secs(5);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("sync task failed: {0}")]
    Task(String),
}

impl SyncError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Client(e) => e.code(),
            Self::Store(e) => e.code(),
            Self::Task(_) => "internal",
        }
    }
}

/// Connection state as a status bar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum SyncStatus {
    Connecting,
    /// Catching up; `applied` rows so far in this catch-up, with the cursor against the
    /// server's latest sequence number (`done` of `total`) for a progress bar.
    Syncing {
        applied: u32,
        done: i64,
        total: i64,
    },
    Online,
    #[serde(rename_all = "camelCase")]
    Offline {
        error: String,
        code: String,
        retry_in_seconds: u32,
        /// When the connection was lost (RFC 3339): "offline since 10:42".
        since: String,
    },
}

#[derive(Debug, Clone)]
pub enum SyncEvent {
    Status(SyncStatus),
    Changed(Applied),
    /// Someone views or types in a conversation (collision detection); not stored.
    Presence(Presence),
}

pub struct SyncEngine {
    /// Swapped when the app rotates its own key; requests in flight finish with the old one.
    client: std::sync::RwLock<Client>,
    store: Arc<Mutex<Store>>,
    events: broadcast::Sender<SyncEvent>,
    status: watch::Sender<SyncStatus>,
    /// Told when a send is queued, so it goes at once rather than at the next tick.
    outbox: Arc<tokio::sync::Notify>,
}

/// What pushing the outbox did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pushed {
    pub sent: usize,
    pub failed: usize,
}

impl SyncEngine {
    pub fn new(client: Client, store: Arc<Mutex<Store>>) -> Self {
        Self {
            client: std::sync::RwLock::new(client),
            store,
            events: broadcast::channel(256).0,
            status: watch::channel(SyncStatus::Connecting).0,
            outbox: Arc::default(),
        }
    }

    /// The client in use (a cheap clone).
    pub fn client(&self) -> Client {
        match self.client.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Uses `client` (a new key) from the next request on, without a restart.
    pub fn replace_client(&self, client: Client) {
        match self.client.write() {
            Ok(mut c) => *c = client,
            Err(poisoned) => *poisoned.into_inner() = client,
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<SyncEvent> {
        self.events.subscribe()
    }

    pub fn status(&self) -> SyncStatus {
        self.status.borrow().clone()
    }

    fn set_status(&self, status: SyncStatus) {
        if *self.status.borrow() != status {
            self.status.send_replace(status.clone());
            let _ = self.events.send(SyncEvent::Status(status));
        }
    }

    async fn apply(&self, changes: Vec<Change>, cursor: i64) -> Result<Applied, SyncError> {
        let store = self.store.clone();
        let applied = tokio::task::spawn_blocking(move || {
            let mut store = store.lock().map_err(|_| SyncError::Task("cache lock poisoned".into()))?;
            store.apply(&changes, cursor).map_err(SyncError::from)
        })
        .await
        .map_err(|e| SyncError::Task(e.to_string()))??;
        if !applied.conversation_ids.is_empty() || applied.contacts_changed {
            let _ = self.events.send(SyncEvent::Changed(applied.clone()));
        }
        Ok(applied)
    }

    fn cursor(&self) -> Result<i64, SyncError> {
        let store = self.store.lock().map_err(|_| SyncError::Task("cache lock poisoned".into()))?;
        Ok(store.cursor()?)
    }

    /// Pages `/sync` from the stored cursor until the server has nothing newer.
    /// Returns the cursor reached.
    pub async fn catch_up(&self) -> Result<i64, SyncError> {
        let fetch = |since: i64| {
            let client = self.client();
            tokio::spawn(async move { client.sync(since, Some(PAGE)).await })
        };
        let mut applied = 0u32;
        let start = self.cursor()?;
        // A cold sync cut short earlier is still in bulk: this catch-up finishes it.
        let mut bulk = self.with_store(|s| Ok(s.in_bulk()?)).await?;
        // The next page is asked for while this one is written: the network and the disk
        // work at once, which is most of a cold start's time.
        let mut next = Some(fetch(start));
        while let Some(fetching) = next.take() {
            let page = fetching.await.map_err(|e| SyncError::Task(e.to_string()))??;
            if page.has_more {
                next = Some(fetch(page.next));
            }
            applied = applied.saturating_add(page.changes.len() as u32);
            if page.has_more {
                self.set_status(SyncStatus::Syncing { applied, done: page.next, total: page.latest.max(page.next) });
                // A first sync of more than a page indexes its text once, at the end.
                if start == 0 && !bulk {
                    self.with_store(|s| Ok(s.begin_bulk()?)).await?;
                    bulk = true;
                }
            }
            let cursor = self.apply(page.changes, page.next).await?.cursor;
            if !page.has_more {
                if bulk {
                    self.with_store(|s| Ok(s.finish_bulk()?)).await?;
                }
                return Ok(cursor);
            }
        }
        self.cursor()
    }

    /// Queues a send in the cache (committed on return) and wakes the pusher. It goes
    /// when the server can be reached, exactly once.
    pub async fn enqueue(&self, conversation_id: String, action: OutboxAction) -> Result<OutboxEntry, SyncError> {
        self.enqueue_at(conversation_id, action, None).await
    }

    /// Queues a send held until `send_at` (see [`Store::enqueue_at`]).
    pub async fn enqueue_at(
        &self,
        conversation_id: String,
        action: OutboxAction,
        send_at: Option<String>,
    ) -> Result<OutboxEntry, SyncError> {
        let entry = self.with_store(move |s| Ok(s.enqueue_at(&conversation_id, action, send_at.as_deref())?)).await?;
        self.outbox.notify_one();
        Ok(entry)
    }

    /// Makes the pusher look at the outbox now (a failed send was retried).
    pub fn wake_outbox(&self) {
        self.outbox.notify_one();
    }

    /// Sends what the outbox holds, oldest first, until it is empty or the server cannot
    /// be reached (an `Err`: the entry stays and goes next time, with the same key).
    pub async fn push_outbox(&self) -> Result<Pushed, SyncError> {
        let mut pushed = Pushed::default();
        while let Some(entry) = self.with_store(|s| Ok(s.next_to_send()?)).await? {
            let id = entry.client_id.clone();
            self.with_store({
                let id = id.clone();
                move |s| Ok(s.mark_sending(&id)?)
            })
            .await?;
            let outcome = self.send(&entry).await;
            let conversation = entry.conversation_id.clone();
            match outcome {
                Ok(message) => {
                    self.with_store(move |s| Ok(s.mark_sent(&id, message.as_ref())?)).await?;
                    pushed.sent += 1;
                }
                // No answer: not a try of this entry. Counting it would make every send
                // queued during an outage bump the oldest entry's count.
                Err(e) if e.is_network() => {
                    self.with_store(move |s| Ok(s.mark_unreached(&id)?)).await?;
                    return Err(e.into());
                }
                Err(e) if passing(&e) => {
                    self.with_store(move |s| Ok(s.mark_pending(&id)?)).await?;
                    return Err(e.into());
                }
                Err(e) => {
                    // The code is kept in its own column; the words alone, so whoever shows
                    // both does not show the code twice.
                    let (code, text) = (e.code().to_owned(), words(&e));
                    self.with_store(move |s| Ok(s.mark_failed(&id, &code, &text)?)).await?;
                    pushed.failed += 1;
                }
            }
            let mut applied = Applied::default();
            applied.conversation_ids.insert(conversation);
            let _ = self.events.send(SyncEvent::Changed(applied));
        }
        Ok(pushed)
    }

    async fn send(&self, entry: &OutboxEntry) -> Result<Option<switchboard_api::Message>, ClientError> {
        let key = Some(entry.client_id.as_str());
        let conversation = entry.conversation_id.as_str();
        // One try: the outbox is the retry, later and under the same key.
        let client = self.client().single_attempt();
        let client = &client;
        let post =
            |req: PostMessageRequest| async move { client.post_message(conversation, &req, key).await.map(Some) };
        match &entry.action {
            OutboxAction::Text { body } => post(PostMessageRequest::text(body.clone())).await,
            OutboxAction::Note { body } => {
                post(PostMessageRequest { kind: MessageKind::Note, text: body.clone(), ..Default::default() }).await
            }
            OutboxAction::Template { template } => {
                let req = PostMessageRequest {
                    kind: MessageKind::Template,
                    template: Some(template.clone()),
                    ..Default::default()
                };
                post(req).await
            }
            OutboxAction::Status { status, snoozed_until } => {
                let patch = PatchConversationRequest {
                    status: Some(*status),
                    snoozed_until: snoozed_until.clone().map(Some),
                    ..Default::default()
                };
                client.patch_conversation(conversation, &patch, key).await.map(|_| None)
            }
        }
    }

    /// Runs `f` on the cache off the async runtime: the one way the engine, the app and
    /// the CLI reach the cache they share.
    pub async fn on_store<T, E>(&self, f: impl FnOnce(&mut Store) -> Result<T, E> + Send + 'static) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<SyncError> + Send + 'static,
    {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || {
            let mut store = store.lock().map_err(|_| E::from(SyncError::Task("cache lock poisoned".into())))?;
            f(&mut store)
        })
        .await
        .map_err(|e| E::from(SyncError::Task(e.to_string())))?
    }

    async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, SyncError> + Send + 'static,
    ) -> Result<T, SyncError> {
        self.on_store(f).await
    }

    /// Pushes the outbox whenever a send is queued, and every few seconds while entries
    /// wait for the network, until `stop`.
    pub async fn push_forever(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let mut failures = 0u32;
        loop {
            let wait = match self.push_outbox().await {
                Ok(_) => {
                    failures = 0;
                    self.until_next_due().await.unwrap_or(OUTBOX_TICK).min(OUTBOX_TICK)
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    tracing::info!(error = %e, "the outbox waits for the server");
                    backoff(failures)
                }
            };
            tokio::select! {
                _ = self.outbox.notified() => {}
                _ = tokio::time::sleep(wait) => {}
                _ = stop.changed() => return,
            }
        }
    }

    /// How long until the next held send (undo window, scheduled) falls due.
    async fn until_next_due(&self) -> Option<Duration> {
        let due = self.with_store(|s| Ok(s.next_due_at()?)).await.ok()??;
        let due = chrono::DateTime::parse_from_rfc3339(&due).ok()?.with_timezone(&chrono::Utc);
        // A few milliseconds late, so the entry is due when the pusher looks.
        Some((due - chrono::Utc::now()).to_std().unwrap_or_default() + Duration::from_millis(5))
    }

    /// Re-reads the members (and, for an admin key, the keys' and webhooks' metadata)
    /// into the cache. A key without the admin scope just has no console to cache.
    pub async fn refresh_reference(&self) -> Result<(), SyncError> {
        let members = self.client().list_members().await?;
        self.with_store(move |s| Ok(s.replace_members(&members)?)).await?;
        let admin = |e: &ClientError| e.api_code() == Some(ErrorCode::InsufficientScope);
        match self.client().list_keys(false).await {
            Ok(keys) => self.with_store(move |s| Ok(s.replace_keys(&keys)?)).await?,
            Err(e) if admin(&e) => {}
            Err(e) => return Err(e.into()),
        }
        match self.client().list_webhooks().await {
            Ok(hooks) => self.with_store(move |s| Ok(s.replace_webhooks(&hooks)?)).await?,
            Err(e) if admin(&e) => {}
            Err(e) => return Err(e.into()),
        }
        Ok(())
    }

    /// Catches up, then follows the live stream until it ends or fails.
    async fn session(&self) -> Result<(), SyncError> {
        let cursor = self.catch_up().await?;
        self.refresh_reference().await?;
        let mut stream = self.client().events(cursor).await?;
        self.set_status(SyncStatus::Online);
        while let Some(event) = stream.next().await? {
            match event {
                StreamEvent::Change(change) => {
                    let seq = change.seq();
                    self.apply(vec![change], seq).await?;
                }
                StreamEvent::Presence(presence) => {
                    // Nobody listening is fine.
                    let _ = self.events.send(SyncEvent::Presence(presence));
                }
                StreamEvent::Resync => return Ok(()),
            }
        }
        Ok(())
    }

    /// Keeps the cache in sync until `stop` flips or is dropped.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let mut failures = 0u32;
        let mut offline_since: Option<String> = None;
        loop {
            let outcome = tokio::select! {
                r = self.session() => r,
                _ = stop.changed() => return,
            };
            let wait = match outcome {
                // The server closed the stream or asked for a resync: go again at once.
                Ok(()) => {
                    failures = 0;
                    offline_since = None;
                    Duration::ZERO
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    let wait = backoff(failures);
                    tracing::warn!(error = %e, retry_in = ?wait, "sync interrupted");
                    // Back online since the last failure: this is a new outage.
                    if !matches!(self.status(), SyncStatus::Offline { .. }) {
                        offline_since = None;
                    }
                    let since = offline_since
                        .get_or_insert_with(|| chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
                        .clone();
                    self.set_status(SyncStatus::Offline {
                        error: e.to_string(),
                        code: e.code().to_owned(),
                        retry_in_seconds: wait.as_secs().max(1) as u32,
                        since,
                    });
                    wait
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.changed() => return,
            }
        }
    }
}

/// Whether a failed send may succeed later unchanged: no answer, or the server asked to
/// wait. Anything else is the server's final word on it.
fn passing(e: &ClientError) -> bool {
    match e {
        ClientError::Network(_) => true,
        ClientError::Api { status, code, .. } => {
            matches!(status, 429 | 500 | 502 | 503 | 504) || *code == ErrorCode::IdempotencyKeyInUse
        }
        _ => false,
    }
}

/// What the server said, without the stable code the client's `Display` adds to it.
fn words(e: &ClientError) -> String {
    match e {
        ClientError::Api { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// Exponential backoff with jitter, capped: 0.5 s, 1 s, 2 s … 30 s.
fn backoff(failures: u32) -> Duration {
    let base = Duration::from_millis(500u64 << failures.saturating_sub(1).min(6)).min(MAX_BACKOFF);
    let jitter = rand::random_range(0..=base.as_millis() as u64 / 4);
    (base + Duration::from_millis(jitter)).min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(body: &str) -> OutboxAction {
        OutboxAction::Text { body: body.into() }
    }

    /// Pushes while the server is away leave every entry pending, first in line and
    /// with no try counted, however many sends are queued during the outage.
    #[tokio::test]
    #[allow(clippy::unwrap_used)]
    async fn an_unreachable_server_does_not_count_as_a_try() {
        // A port nobody listens on: connection refused, at once.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let client =
            Client::new(&format!("http://127.0.0.1:{port}"), "sb_live_000000000000000000000000000000").unwrap();
        let engine = SyncEngine::new(client, Arc::new(Mutex::new(Store::open_in_memory().unwrap())));
        let first = engine.enqueue("conv_1".into(), text("one")).await.unwrap();
        for n in 0..3 {
            engine.enqueue("conv_1".into(), text(&format!("later {n}"))).await.unwrap();
            let pushed = engine.push_outbox().await;
            assert!(matches!(&pushed, Err(SyncError::Client(e)) if e.is_network()), "{pushed:?}");
        }
        let entries = engine.on_store::<_, SyncError>(|s| Ok(s.outbox(None)?)).await.unwrap();
        assert_eq!(entries.len(), 4);
        assert_eq!(entries[0].client_id, first.client_id);
        for e in &entries {
            assert_eq!((e.state, e.attempts), (switchboard_store::OutboxState::Pending, 0), "{e:?}");
        }
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert!(backoff(1) >= Duration::from_millis(500) && backoff(1) <= Duration::from_millis(625));
        assert!(backoff(3) >= Duration::from_secs(2));
        for n in [10, 100, u32::MAX] {
            assert!(backoff(n) <= MAX_BACKOFF);
        }
    }
}
