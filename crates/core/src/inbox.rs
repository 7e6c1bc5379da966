//! Reading the workspace from the cache: the inbox views, a transcript with its unsent
//! sends, search. Everything here works offline.

use switchboard_api::{Channel, Direction, MarkReadRequest, Message, Presence, PresenceState};
use switchboard_store::{InboxFilter, InboxItem, MAX_INBOX, SearchQuery};

use crate::App;
use crate::error::CoreError;
use crate::views::{CareWindow, InboxQuery, InboxView, SearchResults, Transcript};

/// WhatsApp's customer-care window.
const CARE_WINDOW: chrono::Duration = chrono::Duration::hours(24);
const SEARCH_LIMIT: u32 = 50;
const CONTACT_HITS: u32 = 8;

impl App {
    /// One of the inbox's views, every conversation in it (the list is virtualized).
    pub async fn inbox(&self, q: InboxQuery) -> Result<Vec<InboxItem>, CoreError> {
        let me = self.member_id();
        let filter = InboxFilter {
            status: q.status,
            channel: q.channel,
            assignee: match q.view {
                InboxView::Mine => Some(me.clone()),
                InboxView::Unassigned => Some("unassigned".into()),
                InboxView::All | InboxView::Escalated => None,
            },
            label: q.label.filter(|l| !l.trim().is_empty()),
            escalated: q.view == InboxView::Escalated,
            reader: Some(me),
            sort: q.sort,
            limit: Some(q.limit.unwrap_or(MAX_INBOX).clamp(1, MAX_INBOX)),
        };
        self.with_store(move |s| Ok(s.inbox_where(&filter)?)).await
    }

    pub async fn transcript(&self, conversation_id: String) -> Result<Transcript, CoreError> {
        let me = self.member_id();
        self.with_store(move |s| {
            let conversation = s.inbox_item(&conversation_id, Some(&me))?.ok_or(CoreError::NotFound("conversation"))?;
            let messages = s.transcript(&conversation_id)?;
            let pending = s.outbox(Some(&conversation_id))?;
            let care_window = care_window(&conversation, chrono::Utc::now());
            let last_inbound_message_id = last_inbound(&messages).map(|m| m.id.clone());
            let unanswered_message_id = unanswered(&messages).map(|m| m.id.clone());
            Ok(Transcript {
                conversation,
                messages,
                pending,
                care_window,
                last_inbound_message_id,
                unanswered_message_id,
            })
        })
        .await
    }

    /// Marks the conversation read up to its latest message, for this member. Offline it
    /// stays unread until the next time it is opened online.
    pub async fn mark_read(&self, conversation_id: String) -> Result<(), CoreError> {
        let marker = self.client().mark_read(&conversation_id, &MarkReadRequest { message_id: None }).await?;
        self.with_store(move |s| Ok(s.apply(&[switchboard_api::Change::ReadMarker(marker)], 0).map(|_| ())?)).await
    }

    /// Tells the team this member views or types in a conversation; returns the others
    /// present there (the window renews it every few seconds while it shows the chat).
    pub async fn announce_presence(
        &self,
        conversation_id: String,
        state: PresenceState,
    ) -> Result<Vec<Presence>, CoreError> {
        let me = self.member_id();
        let present = self.client().announce_presence(&conversation_id, state).await?;
        Ok(present.into_iter().filter(|p| p.member_id != me).collect())
    }

    /// Messages and contacts matching `text`, from the whole cached history.
    pub async fn search(&self, text: String) -> Result<SearchResults, CoreError> {
        if text.chars().count() > 200 {
            return Err(CoreError::InvalidInput("search for at most 200 characters".into()));
        }
        self.with_store(move |s| {
            let messages = s.search_messages(&SearchQuery {
                text: text.clone(),
                limit: Some(SEARCH_LIMIT),
                ..Default::default()
            })?;
            let contacts = s.search_contacts(&text, CONTACT_HITS)?;
            Ok(SearchResults { messages, contacts })
        })
        .await
    }
}

pub(crate) fn last_inbound(messages: &[Message]) -> Option<&Message> {
    messages.iter().rev().find(|m| m.direction == Direction::Inbound)
}

/// The contact's latest message if nothing was sent after it (internal notes are not
/// answers): the one a draft should answer.
pub(crate) fn unanswered(messages: &[Message]) -> Option<&Message> {
    let last_word = messages.iter().rev().find(|m| m.kind != switchboard_api::MessageKind::Note)?;
    (last_word.direction == Direction::Inbound).then_some(last_word)
}

pub(crate) fn care_window(c: &InboxItem, now: chrono::DateTime<chrono::Utc>) -> CareWindow {
    if c.channel != Channel::Whatsapp {
        return CareWindow { applies: false, open: true, closes_at: None };
    }
    let closes = c
        .last_inbound_at
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&chrono::Utc) + CARE_WINDOW);
    CareWindow {
        applies: true,
        open: closes.is_some_and(|c| c > now),
        closes_at: closes.map(|c| c.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
    }
}
