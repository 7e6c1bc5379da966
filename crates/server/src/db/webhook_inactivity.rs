//! `conversation.inactive`: told once per quiet spell to each endpoint that set
//! `inactivityMinutes`, for conversations still waiting (open or pending) whose last
//! activity came after the endpoint asked.

use super::Writer;
use super::conversations::get_conversation;
use super::webhook_events::conversation_data;
use super::webhook_queue::{NewEvent, emit};
use crate::error::Error;
use crate::time;
use chrono::{DateTime, Utc};
use rusqlite::params;
use serde_json::json;
use switchboard_api::{Conversation, WebhookEventType};

/// The most conversations one scan reports, so a backlog is spread over several scans.
const MAX_PER_SCAN: u32 = 500;

/// Queues `conversation.inactive` for every conversation that has been quiet for its
/// endpoint's `inactivityMinutes` at `now`; returns how many.
pub fn scan(w: &mut Writer<'_>, now: DateTime<Utc>) -> Result<usize, Error> {
    let quiet: Vec<(String, String, u32, String)> = w
        .conn()
        .prepare_cached(
            "SELECT e.id, e.workspace_id, e.inactivity_minutes, c.id
             FROM webhook_endpoints e
             JOIN conversations c ON c.workspace_id = e.workspace_id
             WHERE e.active = 1 AND e.inactivity_minutes IS NOT NULL
               AND c.status IN ('open', 'pending')
               AND COALESCE(c.last_message_at, c.created_at) >= e.inactivity_since
               AND COALESCE(c.last_message_at, c.created_at)
                   <= strftime('%Y-%m-%dT%H:%M:%fZ', ?1, '-' || e.inactivity_minutes || ' minutes')
               AND NOT EXISTS (SELECT 1 FROM webhook_inactivity i
                   WHERE i.endpoint_id = e.id AND i.conversation_id = c.id
                     AND i.activity_at = COALESCE(c.last_message_at, c.created_at))
             LIMIT ?2",
        )?
        .query_map(params![time::format(now), MAX_PER_SCAN], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    for (endpoint_id, workspace_id, minutes, conversation_id) in &quiet {
        let c: Conversation = get_conversation(w.conn(), workspace_id, conversation_id)?;
        let activity = c.last_message_at.clone().unwrap_or_else(|| c.created_at.clone());
        let mut data = conversation_data(&c);
        data["lastActivityAt"] = json!(activity);
        data["inactiveMinutes"] = json!(minutes);
        let event = NewEvent {
            kind: WebhookEventType::ConversationInactive,
            conversation_id: Some(c.id.clone()),
            channel: Some(c.channel),
            data,
        };
        emit(w.conn(), workspace_id, &event, Some(endpoint_id))?;
        w.conn()
            .prepare_cached(
                "INSERT INTO webhook_inactivity (endpoint_id, conversation_id, activity_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (endpoint_id, conversation_id) DO UPDATE SET activity_at = excluded.activity_at",
            )?
            .execute(params![endpoint_id, c.id, activity])?;
    }
    if !quiet.is_empty() {
        w.note_queued_webhooks();
    }
    Ok(quiet.len())
}
