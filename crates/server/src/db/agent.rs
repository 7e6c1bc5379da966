//! Carrying out the AI agent's decision in one transaction: its reply, the lead and
//! booking request it records (and the phone number a request was waiting for), the hand-over, a `tool_call` event per action, the
//! `sentiment_result` of the message, and what it remembers for next time.

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;
use switchboard_api::{
    Appointment, AppointmentStatus, Author, Conversation, Direction, Lead, LeadStatus, Message, MessageContent,
    WebhookEventType,
};

use super::Writer;
use super::messages::{NewMessage, insert_message};
use super::record_backend::{insert_appointment, insert_lead};
use super::webhook_queue::NewEvent;
use crate::error::Error;
use crate::ids::new_id;
use crate::time;
use switchboard_ai::agent::{Action, AgentState, Decision};

/// What the agent asks to book, as it stands.
struct Wanted<'a> {
    service: &'a str,
    preferred_time: &'a Option<String>,
    starts_at: &'a Option<chrono::DateTime<chrono::Utc>>,
    name: &'a Option<String>,
    phone: &'a Option<String>,
}

/// The booking request the agent makes (or makes again, when the one it recorded was
/// handled meanwhile).
fn request(conversation: &switchboard_api::Conversation, wanted: Wanted<'_>, now: &str) -> Appointment {
    Appointment {
        id: new_id("appt"),
        contact_id: Some(conversation.contact_id.clone()),
        conversation_id: Some(conversation.id.clone()),
        service: wanted.service.to_owned(),
        preferred_time: wanted.preferred_time.clone(),
        starts_at: wanted.starts_at.map(crate::time::format),
        status: AppointmentStatus::Requested,
        name: wanted.name.clone(),
        phone: wanted.phone.clone(),
        notes: None,
        created_at: now.to_owned(),
        updated_at: now.to_owned(),
        seq: 0,
    }
}

pub fn load_state(conn: &Connection, conversation_id: &str) -> Result<AgentState, Error> {
    let saved: Option<String> = conn
        .query_row("SELECT state FROM agent_state WHERE conversation_id = ?1", [conversation_id], |r| r.get(0))
        .optional()?;
    // A state this version cannot read starts over rather than stopping the agent.
    Ok(saved.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
}

/// Queues a contact's message for the agent, in the transaction that writes it.
pub fn queue(w: &Writer<'_>, ws: &str, message: &Message) -> Result<(), Error> {
    w.conn()
        .prepare_cached(
            "INSERT OR IGNORE INTO agent_inbox (message_id, workspace_id, conversation_id) VALUES (?1, ?2, ?3)",
        )?
        .execute([&message.id, ws, &message.conversation_id])?;
    Ok(())
}

/// Takes the message off the agent's queue; `false` if it was not on it (answered
/// already), which makes the caller's write roll back rather than answer twice.
pub fn dequeue(w: &Writer<'_>, message_id: &str) -> Result<bool, Error> {
    Ok(w.conn().prepare_cached("DELETE FROM agent_inbox WHERE message_id = ?1")?.execute([message_id])? > 0)
}

/// Whether the message still waits for the agent.
pub fn is_queued(conn: &Connection, message_id: &str) -> Result<bool, Error> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM agent_inbox WHERE message_id = ?1")?
        .query_row([message_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The messages waiting for the agent, oldest first: (workspace id, message).
pub fn backlog(conn: &Connection, limit: u32) -> Result<Vec<(String, Message)>, Error> {
    let columns = switchboard_sqlite::MESSAGE_COLUMNS.split(", ").map(|c| format!("m.{c}")).collect::<Vec<_>>();
    // The workspace comes after the message's columns, which `message_from_row` reads by position.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {}, q.workspace_id FROM agent_inbox q JOIN messages m ON m.id = q.message_id ORDER BY m.seq LIMIT ?1",
        columns.join(", ")
    ))?;
    let rows = stmt.query_map([limit], |r| {
        let message = switchboard_sqlite::message_from_row(r)?;
        Ok((r.get(columns.len())?, message))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Applies `decision` about `message` of `conversation`.
pub fn apply(
    w: &mut Writer<'_>,
    ws: &str,
    conversation: &Conversation,
    message: &Message,
    decision: &Decision,
    state: &AgentState,
) -> Result<(), Error> {
    let event = |kind, data| NewEvent {
        kind,
        conversation_id: Some(conversation.id.clone()),
        channel: Some(conversation.channel),
        data,
    };
    let label = match decision.sentiment {
        s if s <= switchboard_ai::sentiment::CLEARLY_NEGATIVE => "negative",
        s if s < 0.0 => "slightly_negative",
        s if s > 0.2 => "positive",
        _ => "neutral",
    };
    w.emit(
        ws,
        event(
            WebhookEventType::SentimentResult,
            json!({"conversationId": conversation.id, "messageId": message.id, "score": decision.sentiment, "label": label}),
        ),
    )?;
    // What the model looked up, and what its checks refused: nothing written, each seen,
    // before what was done.
    for c in &decision.consulted {
        w.emit(
            ws,
            event(
                WebhookEventType::ToolCall,
                json!({"conversationId": conversation.id, "messageId": message.id, "tool": c.tool, "arguments": c.arguments, "result": c.result}),
            ),
        )?;
    }
    let now = time::now();
    for action in &decision.actions {
        let result = match action {
            Action::Reply { text, confidence } => {
                let content = MessageContent { body: text.clone(), ..Default::default() };
                let new = NewMessage {
                    content,
                    ..NewMessage::text(&conversation.id, Direction::Outbound, Author::Ai, None, "")
                };
                let (sent, _) = insert_message(w, ws, new)?;
                json!({"messageId": sent.id, "confidence": confidence, "sources": decision.cited})
            }
            Action::CaptureLead { name, email, phone, interest } => {
                let lead = Lead {
                    id: new_id("lead"),
                    contact_id: Some(conversation.contact_id.clone()),
                    conversation_id: Some(conversation.id.clone()),
                    name: name.clone(),
                    email: email.clone(),
                    phone: phone.clone(),
                    interest: interest.clone(),
                    status: LeadStatus::New,
                    created_at: now.clone(),
                    updated_at: now.clone(),
                    seq: 0,
                };
                json!({"leadId": insert_lead(w, ws, lead)?.id})
            }
            Action::RequestAppointment { service, preferred_time, starts_at, name, phone } => {
                let wanted = Wanted { service, preferred_time, starts_at, name, phone };
                json!({"appointmentId": insert_appointment(w, ws, request(conversation, wanted, &now))?.id})
            }
            Action::UpdateAppointment { of, service, preferred_time, starts_at, name, phone } => {
                // This chat's request for that service, while nobody has acted on it.
                let (requests, _) = super::records::list::<Appointment>(
                    w.conn(),
                    ws,
                    vec![("conversation_id = ?", rusqlite::types::Value::Text(conversation.id.clone()))],
                    None,
                    20,
                )?;
                match requests.into_iter().find(|a| a.status == AppointmentStatus::Requested && a.service == *of) {
                    Some(mut a) => {
                        a.service = service.clone();
                        if let Some(t) = preferred_time {
                            a.preferred_time = Some(t.clone());
                            a.starts_at = starts_at.map(crate::time::format);
                        }
                        a.name = name.clone().or(a.name);
                        a.phone = phone.clone().or(a.phone);
                        a.updated_at = now.clone();
                        let saved = super::records::save(w, ws, a)?;
                        super::webhook_events::appointment_updated(w, ws, &saved)?;
                        json!({"appointmentId": saved.id})
                    }
                    // Confirmed, declined or deleted meanwhile: what the visitor asks now
                    // is a request of its own.
                    None => {
                        let wanted = Wanted { service, preferred_time, starts_at, name, phone };
                        json!({"appointmentId": insert_appointment(w, ws, request(conversation, wanted, &now))?.id})
                    }
                }
            }
            Action::ChangeAppointment { cancel, preferred_time, starts_at } => {
                // The contact's latest appointment that is still open, whichever chat made it.
                let (theirs, _) = super::records::list::<Appointment>(
                    w.conn(),
                    ws,
                    vec![("contact_id = ?", rusqlite::types::Value::Text(conversation.contact_id.clone()))],
                    None,
                    20,
                )?;
                // Still to come: a visit whose time has passed is not the one meant.
                let ahead = |a: &Appointment| a.starts_at.as_deref().is_none_or(|t| t > now.as_str());
                match theirs.into_iter().find(|a| !a.status.is_final() && ahead(a)) {
                    Some(mut a) => {
                        // A cancellation is the visitor's word, read by rules that can be
                        // wrong: it is noted for the person who confirms it, not applied.
                        let note = if *cancel {
                            "The visitor asked in the chat to cancel".to_owned()
                        } else if let Some(t) = preferred_time {
                            let before = a.preferred_time.clone().unwrap_or_default();
                            a.preferred_time = Some(t.clone());
                            a.starts_at = starts_at.map(crate::time::format);
                            a.status = AppointmentStatus::Requested;
                            format!("Moved by the visitor in the chat (was {before})")
                        } else {
                            "The visitor asked to move it; the new time is in the chat".to_owned()
                        };
                        a.notes = Some(match a.notes.take() {
                            Some(n) if !n.is_empty() => format!("{n}\n{note}"),
                            _ => note,
                        });
                        a.updated_at = now.clone();
                        let saved = super::records::save(w, ws, a)?;
                        json!({"appointmentId": saved.id, "status": saved.status.as_str()})
                    }
                    None => json!({"appointmentId": null}),
                }
            }
            Action::Escalate { reason } => {
                super::conversation_patch::escalate(w, ws, &conversation.id, reason)?;
                json!({"reason": reason})
            }
        };
        w.emit(
            ws,
            event(
                WebhookEventType::ToolCall,
                json!({"conversationId": conversation.id, "messageId": message.id, "tool": action.tool(), "result": result}),
            ),
        )?;
    }
    let saved = serde_json::to_string(state).map_err(|e| Error::Task(e.to_string()))?;
    w.conn().execute(
        "INSERT INTO agent_state (conversation_id, workspace_id, state, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (conversation_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
        params![conversation.id, ws, saved, now],
    )?;
    Ok(())
}
