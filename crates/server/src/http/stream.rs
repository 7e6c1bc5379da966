//! `GET /events/stream`: Server-Sent Events carrying the same `Change` rows as `/sync`.
//!
//! On connect the stream first replays the current state after `Last-Event-ID` (or
//! `?since=`), then forwards live commits. It subscribes before reading, and skips live
//! changes the replay already covered, so nothing falls between the two.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Deserialize;
use std::sync::Arc;

use switchboard_api::{Change, ErrorBody, ErrorCode, Presence};
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;

use super::AppState;
use super::extract::{ApiQuery, AuthErrors, ReadKey};
use crate::error::Error;
use crate::presence::PresenceEvent;
use crate::storage::KeyAccess;

/// Catch-up beyond this many rows is the job of `/sync`, not of a live stream.
const MAX_REPLAY_PAGES: usize = 10;
const REPLAY_PAGE: u32 = 500;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// Resume after this `seq` when no `Last-Event-ID` header is sent.
    since: Option<i64>,
}

/// Live changes as Server-Sent Events: `event: change`, `id: <seq>`, `data: <Change>`;
/// `event: presence` (no id), `data: <Presence>`, when a member views or types;
/// `event: resync` asks the client to catch up through `/sync`. When the key loses access
/// (revoked, expired, or its rotation's grace period over) the stream ends within a
/// second, after `event: unauthorized` with `{error, code: "invalid_api_key"}`.
#[utoipa::path(
    get,
    path = "/events/stream",
    operation_id = "streamEvents",
    tag = "sync",
    security(("bearer" = ["read"])),
    params(
        ("Last-Event-ID" = Option<i64>, Header, description = "Resume after this seq"),
        StreamQuery,
    ),
    responses(
        (status = 200, description = "An event stream of `Change` rows", content_type = "text/event-stream", body = Change),
        (status = 400, description = "Bad Last-Event-ID or since", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn stream(
    State(state): State<AppState>,
    ReadKey(key): ReadKey,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<StreamQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, Error> {
    let since =
        match headers.get("last-event-id") {
            Some(v) => {
                Some(v.to_str().ok().and_then(|s| s.trim().parse::<i64>().ok()).filter(|n| *n >= 0).ok_or_else(
                    || Error::api(ErrorCode::InvalidParameter, "Last-Event-ID must be a sequence number"),
                )?)
            }
            None => q.since,
        };
    if since.is_some_and(|s| s < 0) {
        return Err(Error::api(ErrorCode::InvalidQuery, "since must not be negative"));
    }
    let live = state.storage.subscribe();
    let presence = state.presence.subscribe();
    let workspace_id = key.workspace_id.clone();
    let (replay, mut last) = match since {
        Some(since) => replay(&state, &workspace_id, since).await?,
        None => (Replay::Complete(Vec::new()), state.storage.last_seq(workspace_id.clone()).await?),
    };
    let (tx, rx) = mpsc::channel::<Result<Event, Infallible>>(256);
    let mut stopping = state.stopping.clone();
    let storage = state.storage.clone();
    tokio::spawn(async move {
        let (rows, complete) = match replay {
            Replay::Complete(rows) => (rows, true),
            Replay::Truncated(rows) => (rows, false),
        };
        for change in &rows {
            if tx.send(Ok(change_event(change))).await.is_err() {
                return;
            }
        }
        if !complete {
            let _ = tx.send(Ok(resync_event())).await;
            return;
        }
        let lost_access = tokio::select! {
            // Access first: once the key is gone, nothing more goes out.
            biased;
            () = access_ends(storage.as_ref(), &key) => true,
            () = forward_live(Live { changes: live, presence }, &tx, &workspace_id, &mut last) => false,
            _ = stopping.wait_for(|stop| *stop) => false,
        };
        if lost_access {
            let _ = tx.send(Ok(unauthorized_event())).await;
        }
    });
    Ok(Sse::new(ReceiverStream::new(rx)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

enum Replay {
    Complete(Vec<Change>),
    Truncated(Vec<Change>),
}

async fn replay(state: &AppState, workspace_id: &str, since: i64) -> Result<(Replay, i64), Error> {
    let mut rows = Vec::new();
    let mut cursor = since;
    for _ in 0..MAX_REPLAY_PAGES {
        let page = state.storage.changes_since(workspace_id.to_owned(), cursor, REPLAY_PAGE).await?;
        rows.extend(page.changes);
        cursor = page.next;
        if !page.has_more {
            return Ok((Replay::Complete(rows), cursor));
        }
    }
    Ok((Replay::Truncated(rows), cursor))
}

/// What a stream forwards once it has replayed: committed changes and presence.
struct Live {
    changes: broadcast::Receiver<Arc<crate::events::WorkspaceChange>>,
    presence: broadcast::Receiver<Arc<PresenceEvent>>,
}

async fn forward_live(
    mut live: Live,
    tx: &mpsc::Sender<Result<Event, Infallible>>,
    workspace_id: &str,
    last: &mut i64,
) {
    loop {
        tokio::select! {
            received = live.presence.recv() => match received {
                Ok(p) if p.workspace_id == workspace_id => {
                    if tx.send(Ok(presence_event(&p.presence))).await.is_err() {
                        return;
                    }
                }
                // Presence is momentary: a missed one is renewed within seconds.
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            },
            received = live.changes.recv() => match received {
                Ok(wc) if wc.workspace_id == workspace_id && wc.change.seq() > *last => {
                    if tx.send(Ok(change_event(&wc.change))).await.is_err() {
                        return;
                    }
                    *last = wc.change.seq();
                }
                Ok(_) => {}
                // Fell behind: tell the client to catch up through /sync and reconnect.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    let _ = tx.send(Ok(resync_event())).await;
                    return;
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            () = tx.closed() => return,
        }
    }
}

/// How long a stream trusts its key without looking: changes made by this process are
/// told at once (`watch_keys`) and expiry is timed, so this only bounds what another
/// process sharing the database could have changed.
const KEY_RECHECK: Duration = Duration::from_secs(30);

/// Returns when `key` may no longer read: at once when it is revoked here, when its
/// expiry (or its rotation's grace) comes, or at the next look after another process
/// changed it.
async fn access_ends(storage: &dyn crate::storage::Storage, key: &crate::storage::AuthedKey) {
    let mut told = storage.watch_keys();
    let left = |until: Option<&str>| {
        until
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| (t.with_timezone(&chrono::Utc) - chrono::Utc::now()).to_std().unwrap_or_default())
    };
    loop {
        let mut wait = match storage.key_access(key.workspace_id.clone(), key.key_id.clone()).await {
            Ok(KeyAccess::Ended) => return,
            Ok(KeyAccess::Active { until }) => left(until.as_deref()).map_or(KEY_RECHECK, |l| l.min(KEY_RECHECK)),
            // The database is busy or failing: look again soon rather than end a good stream.
            Err(e) => {
                tracing::warn!(error = %e, "could not check a streaming key");
                Duration::from_secs(1)
            }
        };
        // Until the wait is over, only news about this key matters; a new end is waited
        // for, an end now ends it here, before anything else is sent.
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            tokio::select! {
                biased;
                change = told.recv() => match change {
                    Ok(c) if c.key_id == key.key_id => match left(c.ends_at.as_deref()) {
                        None => return,
                        Some(l) if l.is_zero() => return,
                        Some(l) => wait = l,
                    },
                    Ok(_) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => break,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                },
                () = tokio::time::sleep_until(deadline.min(tokio::time::Instant::now() + wait)) => break,
            }
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn unauthorized_event() -> Event {
    let body = ErrorBody { error: "the API key was revoked or has expired".to_owned(), code: ErrorCode::InvalidApiKey };
    Event::default().event("unauthorized").data(serde_json::to_string(&body).unwrap_or_else(|_| "{}".to_owned()))
}

fn change_event(change: &Change) -> Event {
    let data = serde_json::to_string(change).unwrap_or_else(|_| "null".to_owned());
    Event::default().id(change.seq().to_string()).event("change").data(data)
}

/// No `id`: presence is not a change, and must not move the client's Last-Event-ID.
fn presence_event(presence: &Presence) -> Event {
    let data = serde_json::to_string(presence).unwrap_or_else(|_| "null".to_owned());
    Event::default().event("presence").data(data)
}

fn resync_event() -> Event {
    Event::default().event("resync").data("{}")
}
