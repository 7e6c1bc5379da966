//! Presence: which members view or type in which conversation. Kept in memory and
//! broadcast live, never stored; an entry lapses when not renewed, so a crashed client
//! never leaves a ghost behind.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use switchboard_api::{Presence, PresenceState};
use tokio::sync::broadcast;

/// How long a presence holds unless renewed: clients renew about every third of it.
pub const VIEWING_TTL: Duration = Duration::from_secs(15);
pub const TYPING_TTL: Duration = Duration::from_secs(6);

/// A presence change in a workspace.
#[derive(Debug, Clone)]
pub struct PresenceEvent {
    pub workspace_id: String,
    pub presence: Presence,
}

pub struct PresenceBoard {
    /// (workspace, conversation) → the members present there.
    entries: Mutex<HashMap<(String, String), Vec<Presence>>>,
    events: broadcast::Sender<Arc<PresenceEvent>>,
}

impl Default for PresenceBoard {
    fn default() -> Self {
        Self { entries: Mutex::default(), events: broadcast::channel(1024).0 }
    }
}

impl PresenceBoard {
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<PresenceEvent>> {
        self.events.subscribe()
    }

    /// Sets a member's state in a conversation, announces it, and returns who is present
    /// there now.
    pub fn set(
        &self,
        workspace_id: &str,
        conversation_id: &str,
        member_id: &str,
        member_name: &str,
        state: PresenceState,
    ) -> Vec<Presence> {
        let ttl = match state {
            PresenceState::Typing => TYPING_TTL,
            PresenceState::Viewing => VIEWING_TTL,
            PresenceState::Idle => Duration::ZERO,
        };
        let expires = Utc::now() + chrono::Duration::from_std(ttl).unwrap_or_default();
        let presence = Presence {
            conversation_id: conversation_id.to_owned(),
            member_id: member_id.to_owned(),
            member_name: member_name.to_owned(),
            state,
            expires_at: crate::time::format(expires),
        };
        let now = crate::time::now();
        let present = {
            let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let key = (workspace_id.to_owned(), conversation_id.to_owned());
            let list = entries.entry(key.clone()).or_default();
            list.retain(|p| p.member_id != member_id && p.expires_at > now);
            if state != PresenceState::Idle {
                list.push(presence.clone());
            }
            let present = list.clone();
            if list.is_empty() {
                entries.remove(&key);
            }
            if entries.len() > PRUNE_ABOVE {
                prune(&mut entries, &now);
            }
            present
        };
        // No subscriber is fine: nobody is watching.
        let _ = self.events.send(Arc::new(PresenceEvent { workspace_id: workspace_id.to_owned(), presence }));
        present
    }

    /// Who is present in a conversation now.
    pub fn list(&self, workspace_id: &str, conversation_id: &str) -> Vec<Presence> {
        let now = crate::time::now();
        let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries
            .get(&(workspace_id.to_owned(), conversation_id.to_owned()))
            .map(|list| list.iter().filter(|p| p.expires_at > now).cloned().collect())
            .unwrap_or_default()
    }
}

/// Conversations with entries beyond which lapsed ones are swept out.
const PRUNE_ABOVE: usize = 1024;

/// Drops lapsed entries of every conversation.
fn prune(entries: &mut HashMap<(String, String), Vec<Presence>>, now: &str) {
    entries.retain(|_, list| {
        list.retain(|p| p.expires_at.as_str() > now);
        !list.is_empty()
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_come_and_go() {
        let board = PresenceBoard::default();
        let mut events = board.subscribe();
        board.set("ws", "c1", "m1", "Dana", PresenceState::Viewing);
        let now = board.set("ws", "c1", "m2", "Sam", PresenceState::Typing);
        assert_eq!(now.iter().map(|p| p.member_id.as_str()).collect::<Vec<_>>(), ["m1", "m2"]);
        assert!(board.list("other", "c1").is_empty(), "workspaces are apart");
        board.set("ws", "c1", "m1", "Dana", PresenceState::Idle);
        assert_eq!(board.list("ws", "c1").len(), 1);
        assert_eq!(events.try_recv().expect("event").presence.member_name, "Dana");
    }

    #[test]
    fn a_lapsed_presence_is_gone() {
        let board = PresenceBoard::default();
        board.set("ws", "c1", "m1", "Dana", PresenceState::Viewing);
        board
            .entries
            .lock()
            .expect("lock")
            .values_mut()
            .for_each(|l| l[0].expires_at = "2000-01-01T00:00:00.000Z".into());
        assert!(board.list("ws", "c1").is_empty());
        prune(&mut board.entries.lock().expect("lock"), &crate::time::now());
        assert!(board.entries.lock().expect("lock").is_empty());
    }
}
