//! What an agent does to a conversation and its contact. Status changes go through the
//! outbox (they work offline); the rest needs the server, whose answer is cached at once.

use switchboard_api::{
    Appointment, Change, ConversationStatus, Handler, Lead, Member, PatchContactRequest, PatchConversationRequest,
};
use switchboard_store::OutboxAction;

use crate::App;
use crate::error::CoreError;
use crate::views::{ContactEdit, ContactPanel, ConversationAction};

const MAX_FIELD: usize = 200;

impl App {
    pub async fn act(&self, conversation_id: String, action: ConversationAction) -> Result<(), CoreError> {
        let id = conversation_id.clone();
        let members = self
            .with_store(move |s| {
                s.conversation(&id)?.ok_or(CoreError::NotFound("conversation"))?;
                Ok(s.members()?)
            })
            .await?;
        let status = |status, snoozed_until| OutboxAction::Status { status, snoozed_until };
        let patch = match action {
            ConversationAction::Resolve => {
                return self.queue(conversation_id, status(ConversationStatus::Resolved, None)).await;
            }
            ConversationAction::Reopen => {
                return self.queue(conversation_id, status(ConversationStatus::Open, None)).await;
            }
            ConversationAction::Snooze { until } => {
                let until = future_time(&until, chrono::Utc::now(), "a snooze", None)?
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
                return self.queue(conversation_id, status(ConversationStatus::Snoozed, Some(until))).await;
            }
            ConversationAction::Assign { member_id } => {
                if let Some(m) = &member_id
                    && member(&members, m).is_err()
                {
                    // A teammate added since the cache last read the members; offline,
                    // the cache's list is all there is to go by.
                    if let Err(e) = self.engine.refresh_reference().await {
                        tracing::debug!(error = %e, "members could not be re-read");
                    }
                    member(&self.members().await?, m)?;
                }
                if member_id.as_deref() == Some(self.member_id().as_str()) {
                    self.assigned_by_me(&conversation_id);
                }
                PatchConversationRequest { assignee_id: Some(member_id), ..Default::default() }
            }
            ConversationAction::SetLabels { labels } => {
                // The server checks and normalizes them.
                PatchConversationRequest { labels: Some(labels), ..Default::default() }
            }
            ConversationAction::SetPriority { priority } => {
                PatchConversationRequest { priority: Some(priority), ..Default::default() }
            }
            ConversationAction::HandBackToAi => {
                PatchConversationRequest { handler: Some(Handler::Ai), ..Default::default() }
            }
            ConversationAction::TakeOver => {
                self.assigned_by_me(&conversation_id);
                PatchConversationRequest {
                    handler: Some(Handler::Human),
                    assignee_id: Some(Some(self.member_id())),
                    ..Default::default()
                }
            }
        };
        let updated = self.client().patch_conversation(&conversation_id, &patch, None).await?;
        self.with_store(move |s| Ok(s.apply(&[Change::Conversation(updated)], 0).map(|_| ())?)).await
    }

    fn assigned_by_me(&self, conversation_id: &str) {
        if let Ok(mut set) = self.notices.assigned_by_me.lock() {
            set.insert(conversation_id.to_owned());
        }
    }

    async fn queue(&self, conversation_id: String, action: OutboxAction) -> Result<(), CoreError> {
        self.engine.enqueue(conversation_id, action).await.map(|_| ()).map_err(CoreError::from)
    }

    /// The members a conversation can be assigned to.
    pub async fn members(&self) -> Result<Vec<Member>, CoreError> {
        self.with_store(|s| Ok(s.members()?)).await
    }

    pub async fn contact_panel(&self, contact_id: String) -> Result<ContactPanel, CoreError> {
        let me = self.member_id();
        self.with_store(move |s| {
            let contact = s.contact(&contact_id)?.ok_or(CoreError::NotFound("contact"))?;
            Ok(ContactPanel {
                leads: s.contact_records::<Lead>(&contact_id)?,
                appointments: s.contact_records::<Appointment>(&contact_id)?,
                conversations: s.contact_conversations(&contact_id, Some(&me))?,
                contact,
            })
        })
        .await
    }

    pub async fn edit_contact(&self, contact_id: String, edit: ContactEdit) -> Result<(), CoreError> {
        let field = |v: Option<String>, what: &str| -> Result<Option<Option<String>>, CoreError> {
            match v.map(|v| v.trim().to_owned()) {
                None => Ok(None),
                Some(v) if v.is_empty() => Ok(Some(None)),
                Some(v) if v.chars().count() > MAX_FIELD => {
                    Err(CoreError::InvalidInput(format!("the {what} can be at most {MAX_FIELD} characters")))
                }
                Some(v) => Ok(Some(Some(v))),
            }
        };
        let patch = PatchContactRequest {
            name: field(edit.name, "name")?,
            email: field(edit.email, "email")?,
            phone: field(edit.phone, "phone number")?,
            ..Default::default()
        };
        let updated = self.client().patch_contact(&contact_id, &patch).await?;
        self.with_store(move |s| Ok(s.apply(&[Change::Contact(updated)], 0).map(|_| ())?)).await
    }
}

fn member<'a>(members: &'a [Member], id: &str) -> Result<&'a Member, CoreError> {
    members.iter().find(|m| m.id == id).ok_or(CoreError::NotFound("member"))
}

/// A time given by the agent (RFC 3339) that must be in the future, and no further ahead
/// than `max`: a snooze, a scheduled send.
pub(crate) fn future_time(
    at: &str,
    now: chrono::DateTime<chrono::Utc>,
    what: &str,
    max: Option<chrono::Duration>,
) -> Result<chrono::DateTime<chrono::Utc>, CoreError> {
    let t = chrono::DateTime::parse_from_rfc3339(at.trim())
        .map_err(|_| CoreError::InvalidInput(format!("{at:?} is not a date and time")))?
        .with_timezone(&chrono::Utc);
    if t <= now {
        return Err(CoreError::InvalidInput(format!("{what} must be in the future")));
    }
    if let Some(max) = max.filter(|m| t > now + *m) {
        return Err(CoreError::InvalidInput(format!("{what} can be at most {} days ahead", max.num_days())));
    }
    Ok(t)
}
