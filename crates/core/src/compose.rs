//! The composer's use cases: queue a reply, note or template through the outbox (held
//! for the undo window, or until a scheduled time), retry or take back a send, ask the AI
//! for a draft. WhatsApp's rules are checked here, before anything is queued.

use switchboard_api::{AiReplyRequest, MessageTemplate, TemplateRef, TemplateStatus};
use switchboard_store::{OutboxAction, OutboxEntry};

use crate::App;
use crate::actions::future_time;
use crate::error::CoreError;
use crate::inbox::{care_window, unanswered};
use crate::views::{Compose, Draft, SendRequest};

/// As the server and WhatsApp take it.
const MAX_TEXT: usize = 4096;
/// How far ahead a send can be scheduled.
const MAX_SCHEDULE: chrono::Duration = chrono::Duration::days(30);

impl App {
    /// Queues a send. It is in the cache (and the transcript) when this returns and goes
    /// when the undo window or the scheduled time has passed and the server can be reached.
    pub async fn send(&self, req: SendRequest) -> Result<OutboxEntry, CoreError> {
        let now = chrono::Utc::now();
        let send_at = match req.send_at.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(at) => Some(future_time(at, now, "a scheduled send", Some(MAX_SCHEDULE))?),
            None if self.undo_window.is_zero() => None,
            None => Some(now + chrono::Duration::from_std(self.undo_window).unwrap_or_default()),
        };
        let me = self.member_id();
        let conversation_id = req.conversation_id.clone();
        let compose = req.compose;
        let (conversation, templates) = self
            .with_store(move |s| {
                let c = s.inbox_item(&conversation_id, Some(&me))?.ok_or(CoreError::NotFound("conversation"))?;
                Ok((c, s.records::<MessageTemplate>()?))
            })
            .await?;
        let action = match compose {
            Compose::Text { body } => {
                let body = text(body, "a reply")?;
                let window = care_window(&conversation, now);
                let closes = window.closes_at.as_deref().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
                let goes = send_at.unwrap_or(now);
                if window.applies && closes.is_none_or(|c| c <= goes) {
                    return Err(CoreError::OutsideCareWindow);
                }
                OutboxAction::Text { body }
            }
            Compose::Note { body } => OutboxAction::Note { body: text(body, "a note")? },
            Compose::Template { name, language, params } => {
                OutboxAction::Template { template: template(&templates, name, language, params)? }
            }
        };
        let at = send_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        Ok(self.engine.enqueue_at(req.conversation_id, action, at).await?)
    }

    /// A failed send goes again, with the same key (it cannot arrive twice).
    pub async fn retry_send(&self, client_id: String) -> Result<OutboxEntry, CoreError> {
        let entry = self.with_store(move |s| Ok(s.retry(&client_id)?)).await?;
        self.engine.wake_outbox();
        Ok(entry)
    }

    /// Takes back a send that has not gone yet (undo, cancel a scheduled send) or drops
    /// a failed one.
    pub async fn discard_send(&self, client_id: String) -> Result<(), CoreError> {
        self.with_store(move |s| Ok(s.discard(&client_id)?)).await
    }

    /// Approved templates, for the picker shown outside WhatsApp's window.
    pub async fn templates(&self) -> Result<Vec<MessageTemplate>, CoreError> {
        let all = self.with_store(|s| Ok(s.records::<MessageTemplate>()?)).await?;
        Ok(all.into_iter().filter(|t| t.status == TemplateStatus::Approved).collect())
    }

    /// Asks the server's AI for a reply to the contact's message still waiting for one,
    /// read with the whole conversation. When the last word is ours there is nothing to
    /// answer (`nothing_to_answer`): a draft would answer an old question again.
    pub async fn ai_draft(&self, conversation_id: String) -> Result<Draft, CoreError> {
        let id = conversation_id.clone();
        let last = self
            .with_store(move |s| {
                s.conversation(&id)?.ok_or(CoreError::NotFound("conversation"))?;
                Ok(unanswered(&s.transcript(&id)?).cloned())
            })
            .await?
            .ok_or(CoreError::NothingToAnswer)?;
        let req = AiReplyRequest {
            message: last.body.clone(),
            url: None,
            context: None,
            conversation_id: Some(conversation_id),
        };
        let answer = self.client().ai_reply(&req).await?;
        Ok(Draft {
            reply: answer.reply,
            sources: answer.sources,
            confidence: answer.confidence,
            low_confidence: answer.low_confidence,
            based_on_message_id: Some(last.id),
        })
    }
}

fn text(body: String, what: &str) -> Result<String, CoreError> {
    let body = body.trim().to_owned();
    if body.is_empty() {
        return Err(CoreError::InvalidInput(format!("{what} cannot be empty")));
    }
    if body.chars().count() > MAX_TEXT {
        return Err(CoreError::InvalidInput(format!("{what} can be at most {MAX_TEXT} characters")));
    }
    Ok(body)
}

fn template(
    templates: &[MessageTemplate],
    name: String,
    language: String,
    params: Vec<String>,
) -> Result<TemplateRef, CoreError> {
    let t = templates
        .iter()
        .find(|t| t.name == name && t.language == language)
        .ok_or_else(|| CoreError::TemplateUnavailable(format!("there is no template {name} ({language})")))?;
    if t.status != TemplateStatus::Approved {
        return Err(CoreError::TemplateUnavailable(format!(
            "the template {name} is {} by WhatsApp, not approved",
            t.status.as_str()
        )));
    }
    let params: Vec<String> = params.into_iter().map(|p| p.trim().to_owned()).collect();
    if params.len() as i64 != t.param_count || params.iter().any(String::is_empty) {
        return Err(CoreError::InvalidInput(format!("the template {name} needs {} filled-in values", t.param_count)));
    }
    Ok(TemplateRef { name, language, params })
}
