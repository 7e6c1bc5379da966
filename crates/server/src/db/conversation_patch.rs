use switchboard_api::{Conversation, ConversationStatus, ErrorCode, Handler, PatchConversationRequest};

use super::Writer;
use super::conversations::{get_conversation, save};
use super::webhook_events;
use super::workspaces::get_member;
use crate::error::Error;

/// Applies a validated patch. Rules that need the current row are checked here, inside the
/// transaction: a snooze needs a time, only snoozed conversations have one, and the
/// assignee must be a member of this workspace.
pub fn patch_conversation(
    w: &mut Writer<'_>,
    workspace_id: &str,
    id: &str,
    patch: PatchConversationRequest,
) -> Result<Conversation, Error> {
    let mut c = get_conversation(w.conn(), workspace_id, id)?;
    if patch == PatchConversationRequest::default() {
        return Ok(c);
    }
    let before = c.clone();
    if let Some(assignee) = patch.assignee_id {
        if let Some(member) = &assignee {
            get_member(w.conn(), workspace_id, member).map_err(|_| {
                Error::api(ErrorCode::NotFound, format!("assigneeId: no member {member} in this workspace"))
            })?;
        }
        c.assignee_id = assignee;
    }
    if let Some(status) = patch.status {
        c.status = status;
    }
    if let Some(until) = patch.snoozed_until {
        c.snoozed_until = until;
    }
    // Whether a snooze has its time depends on the conversation as it is, not on the
    // request alone: `invalid_state`.
    match c.status {
        ConversationStatus::Snoozed if c.snoozed_until.is_none() => {
            return Err(Error::api(ErrorCode::InvalidState, "snoozedUntil is required to snooze a conversation"));
        }
        ConversationStatus::Snoozed => {}
        _ if patch.status.is_none() && c.snoozed_until.is_some() => {
            return Err(Error::api(ErrorCode::InvalidState, "snoozedUntil applies only to snoozed conversations"));
        }
        _ => c.snoozed_until = None,
    }
    if let Some(priority) = patch.priority {
        c.priority = priority;
    }
    if let Some(handler) = patch.handler {
        c.handler = handler;
        // Handed back to the AI: the escalation is over.
        if handler == Handler::Ai {
            c.escalated_at = None;
            c.escalation_reason = None;
        }
    }
    if let Some(labels) = patch.labels {
        c.labels = labels;
    }
    let after = save(w, workspace_id, c)?;
    webhook_events::conversation_changed(w, workspace_id, &before, &after)?;
    Ok(after)
}

/// Hands the conversation to a human; already escalated, it stays as it is.
pub fn escalate(w: &mut Writer<'_>, workspace_id: &str, id: &str, reason: &str) -> Result<Conversation, Error> {
    let mut c = get_conversation(w.conn(), workspace_id, id)?;
    if c.escalated_at.is_some() && c.handler == Handler::Human && c.status != ConversationStatus::Resolved {
        return Ok(c);
    }
    let before = c.clone();
    c.handler = Handler::Human;
    c.status = ConversationStatus::Open;
    c.snoozed_until = None;
    c.escalated_at = Some(crate::time::now());
    c.escalation_reason = Some(reason.to_owned());
    let after = save(w, workspace_id, c)?;
    webhook_events::conversation_changed(w, workspace_id, &before, &after)?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use switchboard_api::{Author, Channel, Direction};

    use super::*;
    use crate::db::{Db, NewMessage, create_workspace, find_or_create_by_phone, find_or_open, insert_message};

    #[test]
    fn a_snoozed_conversation_reopens_when_the_contact_writes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = Db::open(&dir.path().join("db.sqlite3"), std::sync::Arc::new(crate::vault::Vault::ephemeral()))
            .expect("open");
        let reopened = db
            .write_blocking(|w| {
                let ws = create_workspace(w, "Clinic", "Owner")?.workspace.id;
                let contact = find_or_create_by_phone(w, &ws, "+15550100", None)?;
                let c = find_or_open(w, &ws, &contact.id, Channel::Web)?;
                let snooze = PatchConversationRequest {
                    status: Some(ConversationStatus::Snoozed),
                    snoozed_until: Some(Some("2999-01-01T00:00:00.000Z".into())),
                    ..Default::default()
                };
                assert_eq!(patch_conversation(w, &ws, &c.id, snooze)?.status, ConversationStatus::Snoozed);
                let inbound =
                    NewMessage::text(&c.id, Direction::Inbound, Author::Contact, Some(&contact.id), "Are you there?");
                Ok(insert_message(w, &ws, inbound)?.1)
            })
            .expect("write");
        assert_eq!(reopened.status, ConversationStatus::Open);
        assert_eq!(reopened.snoozed_until, None);
    }
}
