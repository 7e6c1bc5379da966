//! What admins see of the queue: deliveries per endpoint with every attempt, and replay.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};
use switchboard_api::{
    DeliveryAttempt, DeliveryDetail, DeliveryState, ErrorCode, Page, WebhookDelivery, WebhookEventType,
};

use crate::error::Error;
use crate::record_storage::PageRequest;
use crate::storage::ConversationCursor;
use crate::time;
use crate::webhook_storage::DeliveryFilter;

const COLUMNS: &str = "id, endpoint_id, event_type, event_count, state, attempts, next_attempt_at, last_status_code,
    last_error, created_at, completed_at";

fn delivery_from_row(r: &Row<'_>) -> rusqlite::Result<WebhookDelivery> {
    let state: DeliveryState = r.get(4)?;
    Ok(WebhookDelivery {
        id: r.get(0)?,
        endpoint_id: r.get(1)?,
        event: r.get(2)?,
        event_count: r.get(3)?,
        state,
        attempts: r.get(5)?,
        next_attempt_at: if state == DeliveryState::Pending { r.get(6)? } else { None },
        last_status_code: r.get(7)?,
        last_error: r.get(8)?,
        created_at: r.get(9)?,
        completed_at: r.get(10)?,
    })
}

/// Newest first.
pub fn list(
    conn: &Connection,
    workspace_id: &str,
    endpoint_id: &str,
    filter: &DeliveryFilter,
    page: &PageRequest,
) -> Result<Page<WebhookDelivery>, Error> {
    super::webhook_endpoints::get(conn, workspace_id, endpoint_id)?;
    let mut sql = format!("SELECT {COLUMNS} FROM webhook_deliveries WHERE endpoint_id = ?");
    let mut args: Vec<SqlValue> = vec![SqlValue::Text(endpoint_id.to_owned())];
    if let Some(state) = filter.state {
        sql.push_str(" AND state = ?");
        args.push(SqlValue::Text(state.as_str().to_owned()));
    }
    if let Some(event) = filter.event {
        sql.push_str(" AND event_type = ?");
        args.push(SqlValue::Text(event.as_str().to_owned()));
    }
    if let Some(after) = &page.after {
        sql.push_str(" AND (created_at, id) < (?, ?)");
        args.push(SqlValue::Text(after.activity.clone()));
        args.push(SqlValue::Text(after.id.clone()));
    }
    sql.push_str(" ORDER BY created_at DESC, id DESC LIMIT ?");
    args.push(SqlValue::Integer(i64::from(page.limit) + 1));
    let mut data: Vec<WebhookDelivery> =
        conn.prepare(&sql)?.query_map(params_from_iter(args), delivery_from_row)?.collect::<Result<_, _>>()?;
    let next_cursor = (data.len() > page.limit as usize).then(|| {
        data.truncate(page.limit as usize);
        data.last().map(|d| ConversationCursor { activity: d.created_at.clone(), id: d.id.clone() }.encode())
    });
    Ok(Page { data, next_cursor: next_cursor.flatten() })
}

fn get(conn: &Connection, workspace_id: &str, id: &str) -> Result<WebhookDelivery, Error> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM webhook_deliveries WHERE workspace_id = ?1 AND id = ?2"))?
        .query_row([workspace_id, id], delivery_from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("delivery"))
}

pub fn detail(conn: &Connection, workspace_id: &str, id: &str) -> Result<DeliveryDetail, Error> {
    let delivery = get(conn, workspace_id, id)?;
    let payload: Option<String> =
        conn.query_row("SELECT payload FROM webhook_deliveries WHERE id = ?1", [id], |r| r.get(0))?;
    let attempts = conn
        .prepare_cached(
            "SELECT id, delivery_id, attempted_at, status_code, duration_ms, error, response_excerpt, trigger
             FROM webhook_attempts WHERE delivery_id = ?1 ORDER BY attempted_at, id",
        )?
        .query_map([id], |r| {
            Ok(DeliveryAttempt {
                id: r.get(0)?,
                delivery_id: r.get(1)?,
                attempted_at: r.get(2)?,
                status_code: r.get(3)?,
                duration_ms: r.get(4)?,
                error: r.get(5)?,
                response_excerpt: r.get(6)?,
                trigger: r.get(7)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(DeliveryDetail { delivery, payload, attempts })
}

/// Sends a delivery again now, with the same body and `webhook-id`. A finished delivery
/// gets one more attempt; a pending one is just brought forward.
pub fn replay(conn: &Connection, workspace_id: &str, id: &str) -> Result<WebhookDelivery, Error> {
    let delivery = get(conn, workspace_id, id)?;
    let active: bool =
        conn.query_row("SELECT active FROM webhook_endpoints WHERE id = ?1", [&delivery.endpoint_id], |r| r.get(0))?;
    if !active {
        return Err(Error::api(ErrorCode::InvalidState, "the endpoint is disabled; enable it before replaying"));
    }
    conn.execute(
        "UPDATE webhook_deliveries SET next_attempt_at = ?2, open = 0, completed_at = NULL,
             trigger = CASE WHEN state = 'pending' THEN trigger ELSE 'replay' END, state = 'pending'
         WHERE id = ?1",
        params![id, time::now()],
    )?;
    get(conn, workspace_id, id)
}

/// Queues a `test` event for one endpoint; the delivery it makes.
pub fn send_test(conn: &Connection, workspace_id: &str, endpoint_id: &str) -> Result<WebhookDelivery, Error> {
    let endpoint = super::webhook_endpoints::get(conn, workspace_id, endpoint_id)?;
    if !endpoint.active {
        return Err(Error::api(ErrorCode::InvalidState, "the endpoint is disabled; enable it before testing"));
    }
    let event = super::webhook_queue::NewEvent {
        kind: WebhookEventType::Test,
        conversation_id: None,
        channel: None,
        data: serde_json::json!({"endpointId": endpoint_id, "message": "A test event from Switchboard"}),
    };
    super::webhook_queue::emit(conn, workspace_id, &event, Some(endpoint_id))?;
    let id: String = conn.query_row(
        "SELECT id FROM webhook_deliveries WHERE endpoint_id = ?1 AND event_type = 'test'
         ORDER BY created_at DESC, rowid DESC LIMIT 1",
        [endpoint_id],
        |r| r.get(0),
    )?;
    get(conn, workspace_id, &id)
}
