use std::sync::Arc;

use switchboard_api::Change;
use tokio::sync::broadcast;

/// One committed change, tagged with its workspace so streams can filter.
#[derive(Debug, Clone)]
pub struct WorkspaceChange {
    pub workspace_id: String,
    pub change: Change,
}

/// Fan-out of committed changes to live streams. Bounded: a subscriber that falls behind
/// gets `Lagged`, ends its stream, and its client catches up from `/sync`.
#[derive(Clone)]
pub struct Events {
    tx: broadcast::Sender<Arc<WorkspaceChange>>,
    /// Wakes the webhook engine when committed writes queued deliveries.
    webhooks: Arc<tokio::sync::Notify>,
    /// Wakes the channel sender when committed writes queued messages to send.
    channels: Arc<tokio::sync::Notify>,
    /// Committed changes to a key's access (revoked, rotated), so streams opened with that
    /// key end when it does.
    keys: broadcast::Sender<KeyChange>,
}

/// A key's access changed: it ends at `ends_at` (RFC 3339), or now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyChange {
    pub key_id: String,
    pub ends_at: Option<String>,
}

/// Which background workers a committed write gave work to.
#[derive(Debug, Clone, Copy, Default)]
pub struct Wake {
    pub webhooks: bool,
    pub channels: bool,
}

impl std::ops::BitOrAssign for Wake {
    fn bitor_assign(&mut self, other: Self) {
        self.webhooks |= other.webhooks;
        self.channels |= other.channels;
    }
}

const CAPACITY: usize = 4096;

impl Events {
    pub fn new() -> Self {
        Self {
            tx: broadcast::channel(CAPACITY).0,
            webhooks: Arc::default(),
            channels: Arc::default(),
            keys: broadcast::channel(256).0,
        }
    }

    /// Tells streams that a key's access changed (after the change committed).
    pub fn key_changed(&self, change: KeyChange) {
        // No stream open: nobody to tell.
        let _ = self.keys.send(change);
    }

    pub fn watch_keys(&self) -> broadcast::Receiver<KeyChange> {
        self.keys.subscribe()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<WorkspaceChange>> {
        self.tx.subscribe()
    }

    pub fn wake(&self, wake: Wake) {
        if wake.webhooks {
            self.webhooks.notify_one();
        }
        if wake.channels {
            self.channels.notify_one();
        }
    }

    pub fn channel_wakeups(&self) -> Arc<tokio::sync::Notify> {
        self.channels.clone()
    }

    pub fn webhook_wakeups(&self) -> Arc<tokio::sync::Notify> {
        self.webhooks.clone()
    }

    pub fn publish(&self, change: WorkspaceChange) {
        // No subscribers is normal (nobody streaming); the change is durable in SQLite.
        let _ = self.tx.send(Arc::new(change));
    }
}
