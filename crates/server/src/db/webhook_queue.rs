//! The durable delivery queue. An event becomes one delivery per interested endpoint in
//! the transaction of the change that caused it; the engine claims due deliveries with a
//! lease, sends them, and records each attempt. A delivery's body is frozen before its
//! first attempt, so every retry sends the same bytes under the same `webhook-id`.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::seq::SliceRandom;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};
use switchboard_api::{AttemptTrigger, Channel, DeliveryState, WebhookEventType};
use switchboard_sqlite::json_column;

use super::audit;
use crate::error::Error;
use crate::ids::new_id;
use crate::storage::Actor;
use crate::time;
use crate::webhooks::schedule::{RETRY_WINDOW, next_delay};

/// Something that happened, for the endpoints that want it.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub kind: WebhookEventType,
    pub conversation_id: Option<String>,
    pub channel: Option<Channel>,
    pub data: Value,
}

struct Subscriber {
    id: String,
    buffer_for: Option<(i64, u32)>,
}

/// The active endpoints that want `event` (or just `only`, for a test event).
fn subscribers(
    conn: &Connection,
    workspace_id: &str,
    event: &NewEvent,
    only: Option<&str>,
) -> Result<Vec<Subscriber>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, events, channel, buffer_enabled, buffer_window_seconds, max_buffer_size, buffer_events
         FROM webhook_endpoints WHERE workspace_id = ?1 AND active = 1",
    )?;
    let mut rows = stmt.query([workspace_id])?;
    let mut found = Vec::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        if let Some(only) = only {
            if id == only {
                found.push(Subscriber { id, buffer_for: None });
            }
            continue;
        }
        let wants = match r.get::<_, Option<String>>(1)? {
            None => true,
            Some(_) => json_column::<Vec<WebhookEventType>>(r.get_ref(1)?, 1)?.contains(&event.kind),
        };
        let channel: Option<Channel> = r.get(2)?;
        let channel_ok = match (channel, event.channel) {
            (Some(wanted), Some(actual)) => wanted == actual,
            _ => true,
        };
        if !(wants && channel_ok) {
            continue;
        }
        let buffered = r.get::<_, bool>(3)?
            && event.conversation_id.is_some()
            && json_column::<Vec<WebhookEventType>>(r.get_ref(6)?, 6)?.contains(&event.kind);
        let buffer_for =
            buffered.then(|| -> rusqlite::Result<(i64, u32)> { Ok((r.get(4)?, r.get(5)?)) }).transpose()?;
        found.push(Subscriber { id, buffer_for });
    }
    Ok(found)
}

/// Records `event` and queues it for every endpoint that wants it (only `only`, when
/// given); returns how many endpoints that is. Nothing is stored when none does.
pub fn emit(conn: &Connection, workspace_id: &str, event: &NewEvent, only: Option<&str>) -> Result<usize, Error> {
    let subscribers = subscribers(conn, workspace_id, event, only)?;
    if subscribers.is_empty() {
        return Ok(0);
    }
    let event_id = new_id("evt");
    let now = Utc::now();
    let now_text = time::format(now);
    conn.prepare_cached(
        "INSERT INTO webhook_events (id, workspace_id, type, conversation_id, data, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        event_id,
        workspace_id,
        event.kind,
        event.conversation_id,
        event.data.to_string(),
        now_text
    ])?;
    for s in &subscribers {
        match (s.buffer_for, event.conversation_id.as_deref()) {
            (Some((window, max)), Some(conversation)) => {
                add_to_batch(conn, workspace_id, &s.id, event.kind, conversation, &event_id, now, window, max)?;
            }
            _ => {
                let id = insert_delivery(conn, workspace_id, &s.id, event.kind, None, &now_text, &now_text)?;
                link_event(conn, &id, 0, &event_id)?;
            }
        }
    }
    Ok(subscribers.len())
}

fn insert_delivery(
    conn: &Connection,
    workspace_id: &str,
    endpoint_id: &str,
    kind: WebhookEventType,
    buffer_key: Option<&str>,
    due: &str,
    now: &str,
) -> Result<String, Error> {
    let id = new_id("msg");
    conn.prepare_cached(
        "INSERT INTO webhook_deliveries
             (id, workspace_id, endpoint_id, event_type, buffer_key, open, next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5 IS NOT NULL, ?6, ?7)",
    )?
    .execute(params![id, workspace_id, endpoint_id, kind, buffer_key, due, now])?;
    Ok(id)
}

fn link_event(conn: &Connection, delivery_id: &str, position: u32, event_id: &str) -> Result<(), Error> {
    conn.prepare_cached("INSERT INTO webhook_delivery_events (delivery_id, position, event_id) VALUES (?1, ?2, ?3)")?
        .execute(params![delivery_id, position, event_id])?;
    Ok(())
}

/// Adds the event to the conversation's open batch for this endpoint, or opens one that
/// goes out when its window ends; a full batch goes out at once.
#[allow(clippy::too_many_arguments)]
fn add_to_batch(
    conn: &Connection,
    workspace_id: &str,
    endpoint_id: &str,
    kind: WebhookEventType,
    conversation_id: &str,
    event_id: &str,
    now: DateTime<Utc>,
    window_seconds: i64,
    max: u32,
) -> Result<(), Error> {
    let open: Option<(String, u32)> = conn
        .prepare_cached(
            "SELECT id, event_count FROM webhook_deliveries
             WHERE endpoint_id = ?1 AND event_type = ?2 AND buffer_key = ?3 AND open = 1",
        )?
        .query_row(params![endpoint_id, kind, conversation_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let now_text = time::format(now);
    let (id, count) = match open {
        Some((id, count)) => {
            conn.prepare_cached("UPDATE webhook_deliveries SET event_count = event_count + 1 WHERE id = ?1")?
                .execute([&id])?;
            (id, count + 1)
        }
        None => {
            let due = time::format(now + chrono::Duration::seconds(window_seconds));
            (insert_delivery(conn, workspace_id, endpoint_id, kind, Some(conversation_id), &due, &now_text)?, 1)
        }
    };
    link_event(conn, &id, count - 1, event_id)?;
    if count >= max {
        conn.prepare_cached("UPDATE webhook_deliveries SET open = 0, next_attempt_at = ?2 WHERE id = ?1")?
            .execute(params![id, now_text])?;
    }
    Ok(())
}

/// A delivery taken for one attempt. Its `Debug` leaves out the secrets and headers.
#[derive(Clone)]
pub struct Claimed {
    pub id: String,
    pub endpoint_id: String,
    pub url: String,
    pub headers: BTreeMap<String, String>,
    pub secrets: Vec<String>,
    pub event: WebhookEventType,
    pub payload: String,
    pub trigger: AttemptTrigger,
}

impl std::fmt::Debug for Claimed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Claimed").field("id", &self.id).field("event", &self.event).finish_non_exhaustive()
    }
}

/// Takes up to `limit` due deliveries of active endpoints, leased for `lease`. `room`
/// says how many more each endpoint may have in flight (the engine counts them); the
/// endpoints are taken in a random order so that none waits behind a busy one.
pub fn claim(
    conn: &Connection,
    now: DateTime<Utc>,
    lease: Duration,
    room: &dyn Fn(&str) -> u32,
    limit: u32,
) -> Result<Vec<Claimed>, Error> {
    let now_text = time::format(now);
    let lease_until = time::format(now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::MAX));
    let mut endpoints: Vec<String> = conn
        .prepare_cached("SELECT id FROM webhook_endpoints WHERE active = 1")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    endpoints.shuffle(&mut rand::rng());
    let mut due_stmt = conn.prepare_cached(
        "SELECT id FROM webhook_deliveries
         WHERE endpoint_id = ?1 AND state = 'pending' AND next_attempt_at <= ?2
           AND (lease_until IS NULL OR lease_until <= ?2)
         ORDER BY next_attempt_at LIMIT ?3",
    )?;
    let mut ids: Vec<(String, String)> = Vec::new();
    for endpoint in endpoints {
        let take = room(&endpoint).min(limit.saturating_sub(ids.len() as u32));
        if take == 0 {
            continue;
        }
        for id in due_stmt.query_map(params![endpoint, now_text, take], |r| r.get::<_, String>(0))? {
            ids.push((id?, endpoint.clone()));
        }
    }
    ids.iter().map(|(id, endpoint)| take(conn, id, endpoint, &now_text, &lease_until)).collect()
}

fn take(conn: &Connection, id: &str, endpoint_id: &str, now: &str, lease_until: &str) -> Result<Claimed, Error> {
    conn.prepare_cached("UPDATE webhook_deliveries SET lease_until = ?2, open = 0 WHERE id = ?1")?
        .execute(params![id, lease_until])?;
    let (event, frozen, trigger, batch): (WebhookEventType, Option<String>, AttemptTrigger, bool) = conn
        .prepare_cached(
            "SELECT event_type, payload, trigger, buffer_key IS NOT NULL FROM webhook_deliveries WHERE id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    let payload = match frozen {
        Some(p) => p,
        None => {
            let p = build_payload(conn, id, event, batch)?;
            conn.prepare_cached("UPDATE webhook_deliveries SET payload = ?2 WHERE id = ?1")?.execute([id, &p])?;
            p
        }
    };
    let (url, headers): (String, BTreeMap<String, String>) = conn
        .prepare_cached("SELECT url, unseal('webhook-headers:' || id, headers) FROM webhook_endpoints WHERE id = ?1")?
        .query_row([endpoint_id], |r| Ok((r.get(0)?, json_column(r.get_ref(1)?, 1)?)))?;
    let secrets = super::webhook_endpoints::signing_secrets(conn, endpoint_id, now)?;
    Ok(Claimed {
        id: id.to_owned(),
        endpoint_id: endpoint_id.to_owned(),
        url,
        headers,
        secrets,
        event,
        payload,
        trigger,
    })
}

/// `{id, event, createdAt, data}`, or for a batch `{batch: true, event, data: [those]}`.
fn build_payload(conn: &Connection, delivery_id: &str, event: WebhookEventType, batch: bool) -> Result<String, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.type, e.created_at, e.data FROM webhook_delivery_events de
         JOIN webhook_events e ON e.id = de.event_id WHERE de.delivery_id = ?1 ORDER BY de.position",
    )?;
    let envelopes: Vec<Value> = stmt
        .query_map([delivery_id], |r| {
            let data: Value = json_column(r.get_ref(3)?, 3)?;
            Ok(json!({"id": r.get::<_, String>(0)?, "event": r.get::<_, String>(1)?, "createdAt": r.get::<_, String>(2)?, "data": data}))
        })?
        .collect::<Result<_, _>>()?;
    let body = if batch {
        json!({"batch": true, "event": event.as_str(), "data": envelopes})
    } else {
        envelopes.into_iter().next().ok_or_else(|| Error::Task(format!("delivery {delivery_id} has no event")))?
    };
    Ok(body.to_string())
}

/// What one attempt found.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub delivery_id: String,
    pub trigger: AttemptTrigger,
    pub attempted_at: DateTime<Utc>,
    pub status: Option<u16>,
    pub duration_ms: u32,
    pub error: Option<String>,
    pub excerpt: Option<String>,
    pub retry_after: Option<Duration>,
}

impl Outcome {
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// Logs the attempt and decides what comes next: done, another try later, or giving up;
/// a 410, or an endpoint that failed everything for the whole retry window, disables the
/// endpoint. `now` is the engine's clock.
pub fn complete(conn: &Connection, o: &Outcome, now: DateTime<Utc>) -> Result<(), Error> {
    let found: Option<(String, String, u32, String, DeliveryState)> = conn
        .prepare_cached(
            "SELECT workspace_id, endpoint_id, attempts, created_at, state FROM webhook_deliveries WHERE id = ?1",
        )?
        .query_row([&o.delivery_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .optional()?;
    // The endpoint (and with it this delivery) was deleted while the attempt ran.
    let Some((workspace_id, endpoint_id, attempts, created_at, _)) = found else { return Ok(()) };
    let attempted_at = time::format(o.attempted_at);
    conn.prepare_cached(
        "INSERT INTO webhook_attempts
             (id, delivery_id, attempted_at, status_code, duration_ms, error, response_excerpt, trigger)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        new_id("att"),
        o.delivery_id,
        attempted_at,
        o.status,
        o.duration_ms,
        o.error,
        o.excerpt,
        o.trigger
    ])?;
    let attempts = attempts + 1;
    let now_text = time::format(now);
    let (state, next) = if o.succeeded() {
        (DeliveryState::Succeeded, None)
    } else {
        let delay = next_delay(attempts, o.retry_after);
        let next = now + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::MAX);
        let deadline = created_at.parse::<DateTime<Utc>>().map_or(now, |c| c + window());
        // A replay is one more try, not a new round of retries.
        if o.status == Some(410) || o.trigger == AttemptTrigger::Replay || next > deadline {
            (DeliveryState::Failed, None)
        } else {
            (DeliveryState::Pending, Some(time::format(next)))
        }
    };
    conn.prepare_cached(
        "UPDATE webhook_deliveries SET state = ?2, attempts = ?3, next_attempt_at = ?4, lease_until = NULL,
             last_status_code = ?5, last_error = ?6, trigger = 'scheduled',
             completed_at = CASE WHEN ?2 = 'pending' THEN NULL ELSE ?7 END
         WHERE id = ?1",
    )?
    .execute(params![o.delivery_id, state, attempts, next, o.status, o.error, now_text])?;
    let endpoint_state = if o.succeeded() { DeliveryState::Succeeded } else { DeliveryState::Failed };
    conn.prepare_cached(
        "UPDATE webhook_endpoints SET last_delivery_state = ?2, last_status_code = ?3, last_delivery_at = ?4,
             failing_since = CASE WHEN ?2 = 'succeeded' THEN NULL ELSE COALESCE(failing_since, ?4) END
         WHERE id = ?1",
    )?
    .execute(params![endpoint_id, endpoint_state, o.status, attempted_at])?;
    if o.status == Some(410) {
        disable(conn, &workspace_id, &endpoint_id, "The receiver answered 410 Gone", &now_text)?;
    } else if !o.succeeded() {
        let failing_since: Option<String> = conn
            .prepare_cached("SELECT failing_since FROM webhook_endpoints WHERE id = ?1")?
            .query_row([&endpoint_id], |r| r.get(0))?;
        if failing_since.and_then(|f| f.parse::<DateTime<Utc>>().ok()).is_some_and(|f| now - f >= window()) {
            disable(conn, &workspace_id, &endpoint_id, "Every delivery failed for 24 hours", &now_text)?;
        }
    }
    Ok(())
}

fn window() -> chrono::Duration {
    chrono::Duration::from_std(RETRY_WINDOW).unwrap_or(chrono::Duration::MAX)
}

/// Disables an endpoint on the server's own account, audited.
fn disable(conn: &Connection, workspace_id: &str, endpoint_id: &str, reason: &str, now: &str) -> Result<(), Error> {
    conn.prepare_cached(
        "UPDATE webhook_endpoints SET active = 0, disabled_reason = ?2, updated_at = ?3 WHERE id = ?1 AND active = 1",
    )?
    .execute(params![endpoint_id, reason, now])?;
    let system =
        Actor { workspace_id: workspace_id.to_owned(), member_id: "system".to_owned(), key_id: None, ip: None };
    audit::record(conn, &system, "webhook.disabled", "webhook", endpoint_id)
}

/// After a restart nothing is in flight: leases of the previous run end.
pub fn release_leases(conn: &Connection) -> Result<usize, Error> {
    Ok(conn.execute(
        "UPDATE webhook_deliveries SET lease_until = NULL WHERE state = 'pending' AND lease_until IS NOT NULL",
        [],
    )?)
}

/// When the next delivery of an active endpoint falls due, if any is waiting.
pub fn next_due(conn: &Connection) -> Result<Option<DateTime<Utc>>, Error> {
    let due: Option<String> = conn
        .prepare_cached(
            "SELECT min(d.next_attempt_at) FROM webhook_deliveries d
             JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.active = 1
             WHERE d.state = 'pending' AND d.lease_until IS NULL",
        )?
        .query_row([], |r| r.get(0))?;
    Ok(due.and_then(|d| d.parse().ok()))
}
