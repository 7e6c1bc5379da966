//! The webhook events a change causes, written in its transaction. The data of
//! `message.received`, `lead.captured` and `appointment.requested` keep the field names of
//! the CAAC Go docs; the others follow the same camelCase style.

use serde_json::{Value, json};
use switchboard_api::{
    Appointment, AppointmentStatus, Channel, Contact, Conversation, ConversationStatus, Direction, Lead, Message,
    MessageKind, WebhookEventType as Event,
};

use super::Writer;
use super::channels::{IdentityKind, identity_of};
use super::contacts::get_contact;
use super::webhook_queue::NewEvent;
use crate::error::Error;

fn emit(
    w: &mut Writer<'_>,
    ws: &str,
    kind: Event,
    conversation: Option<&Conversation>,
    data: Value,
) -> Result<(), Error> {
    let event = NewEvent {
        kind,
        conversation_id: conversation.map(|c| c.id.clone()),
        channel: conversation.map(|c| c.channel),
        data,
    };
    w.emit(ws, event)
}

/// `message.received` for a contact's message, `message.sent` for ours; notes are internal.
pub fn message(w: &mut Writer<'_>, ws: &str, m: &Message, c: &Conversation) -> Result<(), Error> {
    if m.kind == MessageKind::Note {
        return Ok(());
    }
    let base = json!({
        "messageId": m.id,
        "conversationId": c.id,
        "contactId": c.contact_id,
        "channelType": c.channel.as_str(),
        "kind": m.kind.as_str(),
        "body": m.body,
        "createdAt": m.created_at,
    });
    match m.direction {
        Direction::Inbound => {
            let contact = get_contact(w.conn(), ws, &c.contact_id)?;
            let external_id = match &contact {
                Some(contact) => external_id(w, ws, contact, Some(c.channel))?,
                None => None,
            };
            let mut data = base;
            data["contact"] = json!({
                "name": contact.as_ref().and_then(|p| p.name.clone()),
                "phone": contact.as_ref().and_then(|p| p.phone.clone()),
                "externalId": external_id,
            });
            emit(w, ws, Event::MessageReceived, Some(c), data)
        }
        Direction::Outbound => {
            let mut data = base;
            data["author"] = json!(m.author.as_str());
            data["authorId"] = json!(m.author_id);
            emit(w, ws, Event::MessageSent, Some(c), data)
        }
    }
}

pub fn message_status(w: &mut Writer<'_>, ws: &str, m: &Message, c: &Conversation) -> Result<(), Error> {
    let data = json!({
        "messageId": m.id,
        "conversationId": m.conversation_id,
        "status": m.status.as_str(),
        "error": m.error,
        "errorCode": m.error_code.map(|c| c.as_str()),
    });
    emit(w, ws, Event::MessageStatus, Some(c), data)
}

/// What every `conversation.*` event carries.
pub(super) fn conversation_data(c: &Conversation) -> Value {
    json!({
        "conversationId": c.id,
        "contactId": c.contact_id,
        "channelType": c.channel.as_str(),
        "status": c.status.as_str(),
        "handler": c.handler.as_str(),
        "assigneeId": c.assignee_id,
        "labels": c.labels,
    })
}

pub fn conversation_created(w: &mut Writer<'_>, ws: &str, c: &Conversation) -> Result<(), Error> {
    emit(w, ws, Event::ConversationCreated, Some(c), conversation_data(c))
}

/// What a change to a conversation's assignee, status, escalation or labels tells.
pub fn conversation_changed(
    w: &mut Writer<'_>,
    ws: &str,
    before: &Conversation,
    after: &Conversation,
) -> Result<(), Error> {
    if after.assignee_id.is_some() && after.assignee_id != before.assignee_id {
        let mut data = conversation_data(after);
        data["previousAssigneeId"] = json!(before.assignee_id);
        emit(w, ws, Event::ConversationAssigned, Some(after), data)?;
    }
    if after.status == ConversationStatus::Resolved && before.status != ConversationStatus::Resolved {
        emit(w, ws, Event::ConversationResolved, Some(after), conversation_data(after))?;
    }
    if after.escalated_at.is_some() && after.escalated_at != before.escalated_at {
        let mut data = conversation_data(after);
        data["reason"] = json!(after.escalation_reason);
        data["escalatedAt"] = json!(after.escalated_at);
        emit(w, ws, Event::ConversationEscalated, Some(after), data)?;
    }
    if after.labels != before.labels {
        let mut data = conversation_data(after);
        data["previousLabels"] = json!(before.labels);
        emit(w, ws, Event::ConversationLabelsChanged, Some(after), data)?;
    }
    Ok(())
}

/// The contact's `externalId` as the CAAC payload means it: who the contact is on the
/// channel (the WhatsApp id, the widget's contact identifier); for a contact no channel
/// knows yet, the id an integration gave it.
fn external_id(w: &Writer<'_>, ws: &str, contact: &Contact, channel: Option<Channel>) -> Result<Option<String>, Error> {
    let kinds: &[IdentityKind] = match channel {
        Some(Channel::Web) => &[IdentityKind::Web],
        Some(Channel::Whatsapp) => &[IdentityKind::WaId, IdentityKind::Bsuid],
        None => &[IdentityKind::WaId, IdentityKind::Bsuid, IdentityKind::Web],
    };
    for kind in kinds {
        if let Some(identity) = identity_of(w.conn(), ws, &contact.id, *kind)? {
            return Ok(Some(identity));
        }
    }
    Ok(contact.external_id.clone())
}

pub fn contact_created(w: &mut Writer<'_>, ws: &str, c: &Contact) -> Result<(), Error> {
    let data = json!({
        "contactId": c.id,
        "name": c.name,
        "phone": c.phone,
        "email": c.email,
        "externalId": external_id(w, ws, c, None)?,
        "createdAt": c.created_at,
    });
    emit(w, ws, Event::ContactCreated, None, data)
}

fn conversation_of(w: &Writer<'_>, ws: &str, id: Option<&str>) -> Result<Option<Conversation>, Error> {
    id.map(|id| super::conversations::get_conversation(w.conn(), ws, id)).transpose()
}

pub fn lead_captured(w: &mut Writer<'_>, ws: &str, lead: &Lead) -> Result<(), Error> {
    let conversation = conversation_of(w, ws, lead.conversation_id.as_deref())?;
    let data = json!({
        "leadId": lead.id,
        "name": lead.name,
        "email": lead.email,
        "phone": lead.phone,
        "interest": lead.interest,
        "contactId": lead.contact_id,
        "conversationId": lead.conversation_id,
    });
    emit(w, ws, Event::LeadCaptured, conversation.as_ref(), data)
}

/// Only a request: appointments entered as already confirmed are not requests.
pub fn appointment_requested(w: &mut Writer<'_>, ws: &str, a: &Appointment) -> Result<(), Error> {
    if a.status != AppointmentStatus::Requested {
        return Ok(());
    }
    let conversation = conversation_of(w, ws, a.conversation_id.as_deref())?;
    emit(w, ws, Event::AppointmentRequested, conversation.as_ref(), appointment_data(a))
}

/// A request the AI agent filled in as the visitor answered (its time, name, phone).
pub fn appointment_updated(w: &mut Writer<'_>, ws: &str, a: &Appointment) -> Result<(), Error> {
    let conversation = conversation_of(w, ws, a.conversation_id.as_deref())?;
    emit(w, ws, Event::AppointmentUpdated, conversation.as_ref(), appointment_data(a))
}

fn appointment_data(a: &Appointment) -> serde_json::Value {
    json!({
        "appointmentId": a.id,
        "service": a.service,
        "preferredTime": a.preferred_time,
        "startsAt": a.starts_at,
        "status": a.status,
        "name": a.name,
        "phone": a.phone,
        "contactId": a.contact_id,
        "conversationId": a.conversation_id,
    })
}
