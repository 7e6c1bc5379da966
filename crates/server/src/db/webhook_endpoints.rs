//! Webhook endpoints: their settings and secrets. Every change is audited in the
//! transaction that makes it.

use rusqlite::{Connection, OptionalExtension, Row, params};
use switchboard_api::{WebhookEndpoint, WebhookWithSecret};
use switchboard_sqlite::json_column;

use super::audit;
use crate::error::Error;
use crate::storage::Actor;
use crate::time;

/// Custom headers carry receivers' credentials: sealed at rest, bound to the endpoint.
const COLUMNS: &str = "id, url, description, events, channel, active, disabled_reason,
    unseal('webhook-headers:' || id, headers), buffer_enabled,
    buffer_window_seconds, max_buffer_size, buffer_events, inactivity_minutes, previous_secret_expires_at,
    last_delivery_state, last_status_code, last_delivery_at, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<WebhookEndpoint> {
    let events: Option<String> = r.get(3)?;
    Ok(WebhookEndpoint {
        id: r.get(0)?,
        url: r.get(1)?,
        description: r.get(2)?,
        events: match events {
            Some(_) => Some(json_column(r.get_ref(3)?, 3)?),
            None => None,
        },
        channel: r.get(4)?,
        active: r.get(5)?,
        disabled_reason: r.get(6)?,
        headers: json_column(r.get_ref(7)?, 7)?,
        buffer_enabled: r.get(8)?,
        buffer_window_seconds: r.get(9)?,
        max_buffer_size: r.get(10)?,
        buffer_events: json_column(r.get_ref(11)?, 11)?,
        inactivity_minutes: r.get(12)?,
        previous_secret_expires_at: r.get(13)?,
        last_delivery_state: r.get(14)?,
        last_status_code: r.get(15)?,
        last_delivery_at: r.get(16)?,
        created_at: r.get(17)?,
        updated_at: r.get(18)?,
    })
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, Error> {
    serde_json::to_string(v).map_err(|e| Error::Task(e.to_string()))
}

pub fn list(conn: &Connection, workspace_id: &str) -> Result<Vec<WebhookEndpoint>, Error> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM webhook_endpoints WHERE workspace_id = ?1 ORDER BY created_at, id"
    ))?;
    let rows = stmt.query_map([workspace_id], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn get(conn: &Connection, workspace_id: &str, id: &str) -> Result<WebhookEndpoint, Error> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM webhook_endpoints WHERE workspace_id = ?1 AND id = ?2"))?
        .query_row([workspace_id, id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("webhook endpoint"))
}

/// Writes every setting an admin can change.
fn save_settings(conn: &Connection, workspace_id: &str, e: &WebhookEndpoint) -> Result<(), Error> {
    let events = e.events.as_ref().map(to_json).transpose()?;
    conn.execute(
        "UPDATE webhook_endpoints SET url = ?3, description = ?4, events = ?5, channel = ?6, active = ?7,
             disabled_reason = ?8, headers = seal('webhook-headers:' || ?2, ?9), buffer_enabled = ?10,
             buffer_window_seconds = ?11,
             max_buffer_size = ?12, buffer_events = ?13, inactivity_minutes = ?14, updated_at = ?15,
             inactivity_since = CASE WHEN ?14 IS NULL THEN NULL
                 WHEN inactivity_minutes IS ?14 AND inactivity_since IS NOT NULL THEN inactivity_since
                 ELSE ?15 END,
             failing_since = CASE WHEN ?7 AND NOT active THEN NULL ELSE failing_since END
         WHERE workspace_id = ?1 AND id = ?2",
        params![
            workspace_id,
            e.id,
            e.url,
            e.description,
            events,
            e.channel,
            e.active,
            e.disabled_reason,
            to_json(&e.headers)?,
            e.buffer_enabled,
            e.buffer_window_seconds,
            e.max_buffer_size,
            to_json(&e.buffer_events)?,
            e.inactivity_minutes,
            e.updated_at,
        ],
    )?;
    Ok(())
}

/// Inserts `endpoint` (its id and times set by the caller) with `secret`.
pub fn create(
    conn: &Connection,
    actor: &Actor,
    endpoint: &WebhookEndpoint,
    secret: &str,
) -> Result<WebhookWithSecret, Error> {
    conn.execute(
        "INSERT INTO webhook_endpoints (id, workspace_id, url, secret, created_at, updated_at)
         VALUES (?1, ?2, ?3, seal('webhook:' || ?1, ?4), ?5, ?5)",
        params![endpoint.id, actor.workspace_id, endpoint.url, secret, endpoint.created_at],
    )?;
    save_settings(conn, &actor.workspace_id, endpoint)?;
    audit::record(conn, actor, "webhook.created", "webhook", &endpoint.id)?;
    Ok(WebhookWithSecret {
        endpoint: get(conn, &actor.workspace_id, &endpoint.id)?,
        secret: secret.to_owned(),
        secret_withheld: None,
    })
}

/// Applies `edit` to the current settings. Re-enabling clears the reason it was disabled.
pub fn update(
    conn: &Connection,
    actor: &Actor,
    id: &str,
    edit: crate::record_storage::Edit<WebhookEndpoint>,
) -> Result<WebhookEndpoint, Error> {
    let current = get(conn, &actor.workspace_id, id)?;
    let was_active = current.active;
    let mut next = edit(current)?;
    if next.active {
        next.disabled_reason = None;
    } else if was_active {
        next.disabled_reason = Some("Paused by an admin".to_owned());
    }
    next.updated_at = time::now();
    save_settings(conn, &actor.workspace_id, &next)?;
    audit::record(conn, actor, "webhook.updated", "webhook", id)?;
    get(conn, &actor.workspace_id, id)
}

/// Removes the endpoint with its queue and delivery log.
pub fn delete(conn: &Connection, actor: &Actor, id: &str) -> Result<(), Error> {
    get(conn, &actor.workspace_id, id)?;
    conn.execute(
        "DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = ?1)",
        [id],
    )?;
    conn.execute(
        "DELETE FROM webhook_delivery_events
         WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = ?1)",
        [id],
    )?;
    conn.execute("DELETE FROM webhook_deliveries WHERE endpoint_id = ?1", [id])?;
    conn.execute("DELETE FROM webhook_inactivity WHERE endpoint_id = ?1", [id])?;
    conn.execute("DELETE FROM webhook_endpoints WHERE workspace_id = ?1 AND id = ?2", [&actor.workspace_id, id])?;
    audit::record(conn, actor, "webhook.deleted", "webhook", id)
}

/// A new secret at once; the old one keeps signing until `grace_seconds` from now.
pub fn rotate(
    conn: &Connection,
    actor: &Actor,
    id: &str,
    secret: &str,
    grace_seconds: u32,
) -> Result<WebhookWithSecret, Error> {
    get(conn, &actor.workspace_id, id)?;
    let now = chrono::Utc::now();
    let until = (grace_seconds > 0).then(|| time::format(now + chrono::Duration::seconds(i64::from(grace_seconds))));
    conn.execute(
        "UPDATE webhook_endpoints SET previous_secret = CASE WHEN ?4 IS NULL THEN NULL ELSE secret END,
             previous_secret_expires_at = ?4, secret = seal('webhook:' || ?2, ?3), updated_at = ?5
         WHERE workspace_id = ?1 AND id = ?2",
        params![actor.workspace_id, id, secret, until, time::format(now)],
    )?;
    audit::record(conn, actor, "webhook.secret_rotated", "webhook", id)?;
    Ok(WebhookWithSecret {
        endpoint: get(conn, &actor.workspace_id, id)?,
        secret: secret.to_owned(),
        secret_withheld: None,
    })
}

/// The secrets a delivery is signed with now (stored sealed, bound to the endpoint's id): the current one, and the previous one
/// during its grace period.
pub fn signing_secrets(conn: &Connection, endpoint_id: &str, now: &str) -> Result<Vec<String>, Error> {
    let (secret, previous, until): (String, Option<String>, Option<String>) = conn
        .prepare_cached(
            "SELECT unseal('webhook:' || id, secret), unseal('webhook:' || id, previous_secret),
                    previous_secret_expires_at
             FROM webhook_endpoints WHERE id = ?1",
        )?
        .query_row([endpoint_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let mut secrets = vec![secret];
    if let (Some(previous), Some(until)) = (previous, until)
        && until.as_str() > now
    {
        secrets.push(previous);
    }
    Ok(secrets)
}
