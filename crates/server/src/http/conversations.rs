use axum::Json;
use axum::extract::State;
use switchboard_api::{
    Conversation, ConversationCounts, ErrorBody, EscalateRequest, ListConversationsQuery, MarkReadRequest, Page,
    PatchConversationRequest, ReadMarker,
};

use super::AppState;
use super::extract::{ApiJson, ApiPath, ApiQuery, AuthErrors, OptionalJson, ReadKey, WriteKey};
use crate::error::Error;
use crate::storage::{AssigneeFilter, ConversationFilter};

/// Conversations, most recent activity first.
#[utoipa::path(
    get,
    path = "/conversations",
    operation_id = "listConversations",
    tag = "conversations",
    security(("bearer" = ["read"])),
    params(ListConversationsQuery),
    responses(
        (status = 200, body = Page<Conversation>),
        (status = 400, description = "Bad limit or cursor", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ReadKey(key): ReadKey,
    ApiQuery(q): ApiQuery<ListConversationsQuery>,
) -> Result<Json<Page<Conversation>>, Error> {
    let page = super::record_query::page(q.limit, q.cursor.as_deref())?;
    let filter = filter(&q, &key.member_id)?;
    Ok(Json(state.storage.list_conversations(key.workspace_id, filter, page.after, page.limit).await?))
}

#[utoipa::path(
    get,
    path = "/conversations/{id}",
    operation_id = "getConversation",
    tag = "conversations",
    security(("bearer" = ["read"])),
    params(("id" = String, Path, description = "Conversation id")),
    responses(
        (status = 200, body = Conversation),
        (status = 404, description = "No such conversation in this workspace", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ReadKey(key): ReadKey,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Conversation>, Error> {
    Ok(Json(state.storage.conversation(key.workspace_id, id).await?))
}

/// Filters from the query string; `assignee=me` is the caller's member.
fn filter(q: &ListConversationsQuery, member_id: &str) -> Result<ConversationFilter, Error> {
    let bad = |what: &str| Error::api(switchboard_api::ErrorCode::InvalidQuery, what.to_owned());
    let assignee = match q.assignee.as_deref().map(str::trim) {
        None => None,
        Some("") => return Err(bad("assignee must be me, unassigned or a member id")),
        Some("me") => Some(AssigneeFilter::Member(member_id.to_owned())),
        Some("unassigned") => Some(AssigneeFilter::Unassigned),
        Some(id) => Some(AssigneeFilter::Member(id.to_owned())),
    };
    let text = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
    if text.as_ref().is_some_and(|t| t.chars().count() > 200) {
        return Err(bad("q must be at most 200 characters"));
    }
    let updated_since = super::record_query::updated_since(q.updated_since.as_deref())?;
    Ok(ConversationFilter {
        status: q.status,
        channel: q.channel,
        assignee,
        label: q.label.as_deref().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned),
        text,
        updated_since,
        unread_for: q.unread.unwrap_or(false).then(|| member_id.to_owned()),
        escalated: q.escalated.unwrap_or(false),
    })
}

const MAX_LABELS: usize = 20;
const MAX_LABEL_CHARS: usize = 50;

/// Changes status (snooze with `snoozedUntil`), assignee, priority, handler or labels.
/// Only the fields sent change; `null` clears `assigneeId` or `snoozedUntil`.
#[utoipa::path(
    patch,
    path = "/conversations/{id}",
    operation_id = "updateConversation",
    tag = "conversations",
    security(("bearer" = ["write"])),
    params(("id" = String, Path, description = "Conversation id")),
    request_body = PatchConversationRequest,
    responses(
        (status = 200, body = Conversation),
        (status = 400, description = "Bad field, unknown member, or a snooze without a time", body = ErrorBody),
        (status = 404, description = "No such conversation in this workspace", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    WriteKey(key): WriteKey,
    ApiPath(id): ApiPath<String>,
    ApiJson(mut req): ApiJson<PatchConversationRequest>,
) -> Result<Json<Conversation>, Error> {
    if let Some(Some(until)) = &req.snoozed_until {
        req.snoozed_until = Some(Some(super::validate::future_time(until, "snoozedUntil")?));
    }
    if let Some(labels) = req.labels.take() {
        req.labels = Some(normalize_labels(labels)?);
    }
    Ok(Json(state.storage.patch_conversation(key.workspace_id, id, req).await?))
}

/// At most 20, each with something visible in at most 50 characters (as sent); stored
/// trimmed, duplicates (ignoring case) dropped, order kept.
fn normalize_labels(labels: Vec<String>) -> Result<Vec<String>, Error> {
    if labels.len() > MAX_LABELS {
        return Err(Error::invalid(format!("at most {MAX_LABELS} labels")));
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for label in labels {
        let label = super::validate::required_text(&label, "each label", MAX_LABEL_CHARS)?;
        if seen.insert(label.to_lowercase()) {
            out.push(label);
        }
    }
    Ok(out)
}

/// How many conversations each inbox view holds: `all`, `mine` and `unassigned` count
/// those not resolved; then one count per status.
#[utoipa::path(
    get,
    path = "/conversations/counts",
    operation_id = "getConversationCounts",
    tag = "conversations",
    security(("bearer" = ["read"])),
    responses((status = 200, body = ConversationCounts), AuthErrors)
)]
pub async fn counts(State(state): State<AppState>, ReadKey(key): ReadKey) -> Result<Json<ConversationCounts>, Error> {
    Ok(Json(state.storage.conversation_counts(key.workspace_id, key.member_id).await?))
}

/// Marks the conversation read for the caller's member, up to `messageId` or the latest
/// message. Contact messages after the marker are unread for that member; the marker
/// syncs, so every device of the member agrees. It never moves backwards.
#[utoipa::path(
    post,
    path = "/conversations/{id}/read",
    operation_id = "markConversationRead",
    tag = "conversations",
    security(("bearer" = ["write"])),
    params(("id" = String, Path, description = "Conversation id")),
    request_body(content = Option<MarkReadRequest>, description = "Optional; empty means up to the latest message"),
    responses(
        (status = 200, body = ReadMarker),
        (status = 400, description = "Bad JSON", body = ErrorBody),
        (status = 404, description = "No such conversation or message", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn mark_read(
    State(state): State<AppState>,
    WriteKey(key): WriteKey,
    ApiPath(id): ApiPath<String>,
    OptionalJson(req): OptionalJson<MarkReadRequest>,
) -> Result<Json<ReadMarker>, Error> {
    Ok(Json(state.storage.mark_read(key.workspace_id, id, key.member_id, req.message_id).await?))
}

/// Hand the conversation to a human (a bot or integration giving up): handler `human`,
/// status `open`, with the time and reason. It shows under `?escalated=true` until it is
/// resolved or handed back to the AI (`PATCH {"handler": "ai"}`).
#[utoipa::path(
    post,
    path = "/conversations/{id}/escalate",
    operation_id = "escalateConversation",
    tag = "conversations",
    security(("bearer" = ["write"])),
    params(("id" = String, Path, description = "Conversation id")),
    request_body = EscalateRequest,
    responses(
        (status = 200, body = Conversation),
        (status = 400, description = "Bad JSON or reason", body = ErrorBody),
        (status = 404, description = "No such conversation in this workspace", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn escalate(
    State(state): State<AppState>,
    WriteKey(key): WriteKey,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<EscalateRequest>,
) -> Result<Json<Conversation>, Error> {
    let reason = super::validate::required_text(&req.reason, "reason", 500)?;
    Ok(Json(state.storage.escalate(key.workspace_id, id, reason).await?))
}
