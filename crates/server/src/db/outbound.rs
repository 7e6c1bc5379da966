//! Messages members send: WhatsApp's customer-care window, templates, and safe retries.

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;
use switchboard_api::{
    Author, Channel, Conversation, Direction, ErrorCode, Message, MessageContent, MessageKind, MessageTemplate,
    TemplateRef, TemplateStatus,
};
use switchboard_sqlite::Record;

use super::Writer;
use super::conversations::get_conversation;
use super::messages::{NewMessage, insert_message, message_by_client_id};
use crate::error::Error;
use crate::storage::Outbound;

/// How long after the contact's last message WhatsApp accepts free-form messages.
pub const CARE_WINDOW_HOURS: i64 = 24;

/// Sends `message` into the conversation, after the window and template checks.
pub fn insert_outbound(w: &mut Writer<'_>, conversation_id: &str, message: &Outbound) -> Result<Message, Error> {
    let ws = message.workspace_id.as_str();
    let conversation = get_conversation(w.conn(), ws, conversation_id)?;
    let mut content = message.content.clone();
    if let Some(template) = &content.template {
        content.body = render_template(w.conn(), ws, template)?;
    }
    check_care_window(&conversation, content.kind, &crate::time::now())?;
    let new = NewMessage {
        conversation_id,
        direction: Direction::Outbound,
        author: Author::Member,
        author_id: Some(&message.member_id),
        content,
        client_id: message.client_id.as_deref(),
        created_at: None,
    };
    Ok(insert_message(w, ws, new)?.0)
}

/// On WhatsApp, free-form messages go out only within 24 hours of the contact's last
/// message; templates and internal notes always may.
pub fn check_care_window(conversation: &Conversation, kind: MessageKind, now: &str) -> Result<(), Error> {
    if conversation.channel != Channel::Whatsapp || matches!(kind, MessageKind::Template | MessageKind::Note) {
        return Ok(());
    }
    let parse = |t: &str| DateTime::parse_from_rfc3339(t).ok().map(|t| t.with_timezone(&Utc));
    let open = match (conversation.last_inbound_at.as_deref().and_then(parse), parse(now)) {
        (Some(last), Some(now)) => now - last < Duration::hours(CARE_WINDOW_HOURS),
        _ => false,
    };
    if open {
        return Ok(());
    }
    Err(Error::api(
        ErrorCode::OutsideCareWindow,
        "the contact has not written in the last 24 hours (or ever): WhatsApp only accepts a template now",
    ))
}

/// The body of an approved template with its parameters filled in.
pub fn render_template(conn: &Connection, workspace_id: &str, template: &TemplateRef) -> Result<String, Error> {
    let found: Option<MessageTemplate> = conn
        .prepare_cached(&format!(
            "SELECT {} FROM templates WHERE workspace_id = ?1 AND name = ?2 AND language = ?3",
            MessageTemplate::columns()
        ))?
        .query_row([workspace_id, &template.name, &template.language], MessageTemplate::from_row)
        .ok();
    let Some(found) = found else {
        return Err(Error::not_found(&format!("template: template '{}' in '{}'", template.name, template.language)));
    };
    if found.status != TemplateStatus::Approved {
        return Err(Error::api(
            ErrorCode::InvalidState,
            format!("template '{}' is {}, not approved", found.name, found.status.as_str()),
        ));
    }
    // Right or wrong by the stored template, not by the request alone.
    if template.params.len() as i64 != found.param_count {
        return Err(Error::api(
            ErrorCode::TemplateRejected,
            format!(
                "template: '{}' takes {} parameters, {} given",
                found.name,
                found.param_count,
                template.params.len()
            ),
        ));
    }
    let mut body = found.body;
    for (i, value) in template.params.iter().enumerate() {
        body = body.replace(&format!("{{{{{}}}}}", i + 1), value);
    }
    Ok(body)
}

/// A retried write returns what the first one created; a reused key with another body or
/// target is refused, as Stripe does.
pub fn replay(w: &Writer<'_>, message: &Outbound, conversation_id: Option<&str>) -> Result<Option<Message>, Error> {
    let Some(client_id) = message.client_id.as_deref() else { return Ok(None) };
    let Some(existing) = message_by_client_id(w.conn(), &message.workspace_id, client_id)? else {
        return Ok(None);
    };
    let same_target = conversation_id.is_none_or(|c| c == existing.conversation_id);
    if !same_content(&existing, &message.content) || !same_target {
        return Err(Error::api(
            ErrorCode::IdempotencyKeyReused,
            "this Idempotency-Key was already used for a different request",
        ));
    }
    Ok(Some(existing))
}

/// Whether `existing` is what sending `content` made (a template's body is rendered, so
/// the template reference decides).
fn same_content(existing: &Message, content: &MessageContent) -> bool {
    existing.kind == content.kind
        && (content.template.is_some() || existing.body == content.body)
        && existing.attachment == content.attachment
        && existing.location == content.location
        && existing.contact_card == content.contact_card
        && existing.template == content.template
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whatsapp(last_inbound_at: Option<&str>) -> Conversation {
        Conversation {
            id: "conv".into(),
            contact_id: "ct".into(),
            channel: Channel::Whatsapp,
            status: switchboard_api::ConversationStatus::Open,
            handler: switchboard_api::Handler::Human,
            assignee_id: None,
            snoozed_until: None,
            escalated_at: None,
            escalation_reason: None,
            priority: switchboard_api::Priority::None,
            labels: vec![],
            last_message_preview: None,
            last_message_at: None,
            last_inbound_at: last_inbound_at.map(str::to_owned),
            created_at: "2027-01-01T00:00:00.000Z".into(),
            updated_at: "2027-01-01T00:00:00.000Z".into(),
            seq: 1,
        }
    }

    #[test]
    fn the_window_closes_24_hours_after_the_last_inbound_message() {
        let now = "2027-01-02T10:00:00.000Z";
        let open = whatsapp(Some("2027-01-01T10:00:00.001Z"));
        assert!(check_care_window(&open, MessageKind::Text, now).is_ok());
        let closed = whatsapp(Some("2027-01-01T10:00:00.000Z"));
        let err = check_care_window(&closed, MessageKind::Image, now).unwrap_err();
        assert_eq!(err.code(), ErrorCode::OutsideCareWindow);
        assert!(check_care_window(&closed, MessageKind::Template, now).is_ok());
        assert!(check_care_window(&closed, MessageKind::Note, now).is_ok());
        assert!(check_care_window(&whatsapp(None), MessageKind::Text, now).is_err());
        let web = Conversation { channel: Channel::Web, ..whatsapp(None) };
        assert!(check_care_window(&web, MessageKind::Text, now).is_ok());
    }
}
