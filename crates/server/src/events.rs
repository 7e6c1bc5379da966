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
    /// Bumped after a committed write changed some key's access (revoked, rotated), so
    /// streams opened with a key look again whether it still may read.
    keys: Arc<tokio::sync::watch::Sender<u64>>,
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
            keys: Arc::new(tokio::sync::watch::channel(0).0),
        }
    }

    /// Tells key watchers that some key's access changed.
    pub fn keys_changed(&self) {
        self.keys.send_modify(|v| *v = v.wrapping_add(1));
    }

    pub fn watch_keys(&self) -> tokio::sync::watch::Receiver<u64> {
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
