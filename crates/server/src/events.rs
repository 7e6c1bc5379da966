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
}

const CAPACITY: usize = 4096;

impl Events {
    pub fn new() -> Self {
        Self { tx: broadcast::channel(CAPACITY).0, webhooks: Arc::default() }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<WorkspaceChange>> {
        self.tx.subscribe()
    }

    pub fn wake_webhooks(&self) {
        self.webhooks.notify_one();
    }

    pub fn webhook_wakeups(&self) -> Arc<tokio::sync::Notify> {
        self.webhooks.clone()
    }

    pub fn publish(&self, change: WorkspaceChange) {
        // No subscribers is normal (nobody streaming); the change is durable in SQLite.
        let _ = self.tx.send(Arc::new(change));
    }
}
