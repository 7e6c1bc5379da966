//! Which changes deserve a desktop notification: a conversation newly escalated, assigned
//! to me by someone else, or (if wanted) a contact writing in one of mine. Decided by
//! comparing each changed conversation with how it was last seen.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};

use switchboard_api::ConversationStatus;
use switchboard_store::InboxItem;
use switchboard_sync::SyncEvent;
use tokio::sync::broadcast::error::RecvError;

use crate::App;
use crate::notify::{self, Notice, OnClick};
use crate::settings::{NotificationSettings, Settings};

/// What a notification decision needs to remember of a conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Seen {
    escalated_at: Option<String>,
    assignee_id: Option<String>,
    last_inbound_at: Option<String>,
}

impl From<&InboxItem> for Seen {
    fn from(c: &InboxItem) -> Self {
        Self {
            escalated_at: c.escalated_at.clone(),
            assignee_id: c.assignee_id.clone(),
            last_inbound_at: c.last_inbound_at.clone(),
        }
    }
}

/// The notification for one changed conversation, if any (the most important reason
/// only: one conversation, one notification).
pub(crate) fn notice_for(
    before: Option<&Seen>,
    now: &InboxItem,
    me: &str,
    settings: NotificationSettings,
    assigned_by_me: bool,
) -> Option<Notice> {
    let was = before.cloned().unwrap_or_default();
    let preview = now.preview.clone().unwrap_or_default();
    let notice = |title: String, body: String| Notice { conversation_id: now.id.clone(), title, body };
    let open = now.status != ConversationStatus::Resolved;
    if settings.escalations && open && now.escalated_at.is_some() && now.escalated_at != was.escalated_at {
        let why = now.escalation_reason.clone().filter(|r| !r.trim().is_empty()).unwrap_or(preview);
        return Some(notice(format!("Escalated: {}", now.title), why));
    }
    let mine = now.assignee_id.as_deref() == Some(me);
    if settings.assigned && mine && was.assignee_id.as_deref() != Some(me) && !assigned_by_me && before.is_some() {
        return Some(notice(format!("Assigned to you: {}", now.title), preview));
    }
    let wrote = now.last_inbound_at.is_some() && now.last_inbound_at > was.last_inbound_at;
    if settings.new_messages && mine && wrote && before.is_some() {
        return Some(notice(now.title.clone(), preview));
    }
    None
}

/// Shared between the watcher and the app's commands.
#[derive(Clone, Default)]
pub(crate) struct NoticeState {
    pub settings: Arc<RwLock<Settings>>,
    /// Conversations this member just assigned to themselves: no "assigned to you".
    pub assigned_by_me: Arc<Mutex<HashSet<String>>>,
    /// Why the last notification could not be shown.
    pub last_error: Arc<Mutex<Option<String>>>,
}

impl App {
    /// Shows desktop notifications for changes as the cache receives them, until the app
    /// stops; `on_click` opens the conversation a notification is about.
    pub fn watch_notifications(&self, on_click: OnClick) {
        let mut rx = self.engine.subscribe();
        let engine = self.engine.clone();
        let me = self.member_id();
        let state = self.notices.clone();
        let mut stopped = self.stopped();
        tokio::spawn(async move {
            let snapshot = |engine: Arc<switchboard_sync::SyncEngine>| async move {
                let items = engine
                    .on_store::<_, crate::CoreError>(|s| Ok(s.inbox(switchboard_store::MAX_INBOX)?))
                    .await
                    .unwrap_or_default();
                items.iter().map(|c| (c.id.clone(), Seen::from(c))).collect::<HashMap<_, _>>()
            };
            let mut seen = snapshot(engine.clone()).await;
            loop {
                let event = tokio::select! {
                    e = rx.recv() => e,
                    _ = stopped.changed() => return,
                };
                let ids = match event {
                    Ok(SyncEvent::Changed(applied)) => applied.conversation_ids,
                    Ok(_) => continue,
                    // Missed changes: start again from what the cache holds, quietly.
                    Err(RecvError::Lagged(_)) => {
                        seen = snapshot(engine.clone()).await;
                        continue;
                    }
                    Err(RecvError::Closed) => return,
                };
                for id in ids {
                    let reader = me.clone();
                    let lookup = id.clone();
                    let item = engine
                        .on_store::<_, crate::CoreError>(move |s| Ok(s.inbox_item(&lookup, Some(&reader))?))
                        .await;
                    let Ok(Some(item)) = item else { continue };
                    let settings = state.settings.read().map(|s| s.notifications).unwrap_or_default();
                    let by_me = state.assigned_by_me.lock().map(|mut m| m.remove(&id)).unwrap_or(false);
                    let notice = notice_for(seen.get(&id), &item, &me, settings, by_me);
                    seen.insert(id, Seen::from(&item));
                    if let Some(notice) = notice {
                        let result = notify::show(notice, on_click.clone()).await;
                        let error = result.err().map(|e| e.to_string());
                        if let Some(e) = &error {
                            tracing::warn!(error = %e, "a notification could not be shown");
                        }
                        if let Ok(mut last) = state.last_error.lock() {
                            *last = error;
                        }
                    }
                }
            }
        });
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use switchboard_api::{Channel, Handler, Priority};

    use super::*;

    fn item() -> InboxItem {
        InboxItem {
            id: "conv_1".into(),
            contact_id: "ct_1".into(),
            title: "Maya".into(),
            channel: Channel::Web,
            status: ConversationStatus::Open,
            handler: Handler::Ai,
            assignee_id: None,
            priority: Priority::None,
            labels: vec![],
            escalated_at: None,
            escalation_reason: None,
            snoozed_until: None,
            preview: Some("Can I talk to a person?".into()),
            last_activity_at: "2026-12-01T10:00:00.000Z".into(),
            last_inbound_at: Some("2026-12-01T10:00:00.000Z".into()),
            waiting_since: None,
            unread: 1,
        }
    }

    const ALL: NotificationSettings = NotificationSettings { escalations: true, new_messages: true, assigned: true };

    #[test]
    fn a_new_escalation_notifies_once() {
        let before = Seen::from(&item());
        let now = InboxItem {
            escalated_at: Some("2026-12-01T10:01:00.000Z".into()),
            escalation_reason: Some("asked for a person".into()),
            ..item()
        };
        let n = notice_for(Some(&before), &now, "mem_me", ALL, false).unwrap();
        assert_eq!((n.title.as_str(), n.body.as_str()), ("Escalated: Maya", "asked for a person"));
        assert_eq!(notice_for(Some(&Seen::from(&now)), &now, "mem_me", ALL, false), None, "not twice");
        let off = NotificationSettings { escalations: false, ..ALL };
        assert_eq!(notice_for(Some(&before), &now, "mem_me", off, false), None);
        let resolved = InboxItem { status: ConversationStatus::Resolved, ..now.clone() };
        assert_eq!(notice_for(Some(&before), &resolved, "mem_me", ALL, false), None);
        // A conversation that arrives escalated (first seen that way) notifies too.
        assert!(notice_for(None, &now, "mem_me", ALL, false).is_some());
    }

    #[test]
    fn assigned_to_me_by_someone_else() {
        let before = Seen::from(&item());
        let now = InboxItem { assignee_id: Some("mem_me".into()), ..item() };
        let n = notice_for(Some(&before), &now, "mem_me", ALL, false).unwrap();
        assert_eq!(n.title, "Assigned to you: Maya");
        assert_eq!(notice_for(Some(&before), &now, "mem_me", ALL, true), None, "I did it myself");
        let other = InboxItem { assignee_id: Some("mem_other".into()), ..item() };
        assert_eq!(notice_for(Some(&before), &other, "mem_me", ALL, false), None);
    }

    #[test]
    fn new_messages_in_my_conversations_only_when_asked() {
        let mine = InboxItem { assignee_id: Some("mem_me".into()), ..item() };
        let before = Seen::from(&mine);
        let wrote = InboxItem { last_inbound_at: Some("2026-12-01T10:05:00.000Z".into()), ..mine.clone() };
        assert_eq!(notice_for(Some(&before), &wrote, "mem_me", ALL, false).unwrap().title, "Maya");
        let off = NotificationSettings { new_messages: false, ..ALL };
        assert_eq!(notice_for(Some(&before), &wrote, "mem_me", off, false), None);
        let theirs = InboxItem { assignee_id: None, ..wrote };
        assert_eq!(notice_for(Some(&Seen::from(&theirs)), &theirs, "mem_me", ALL, false), None);
    }
}
