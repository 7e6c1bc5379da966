use axum::Json;
use axum::extract::{Path, State};
use switchboard_api::{Conversation, ErrorBody, ListConversationsQuery, Page};

use super::AppState;
use super::extract::{ApiQuery, ReadKey, page_limit};
use crate::error::Error;
use crate::storage::ConversationCursor;

/// Conversations, most recent activity first.
#[utoipa::path(
    get,
    path = "/conversations",
    tag = "conversations",
    security(("bearer" = [])),
    params(ListConversationsQuery),
    responses(
        (status = 200, body = Page<Conversation>),
        (status = 400, description = "Bad limit or cursor", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 403, description = "The key lacks the scope", body = ErrorBody),
        (status = 429, description = "Rate limit reached; see Retry-After", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ReadKey(key): ReadKey,
    ApiQuery(q): ApiQuery<ListConversationsQuery>,
) -> Result<Json<Page<Conversation>>, Error> {
    let limit = page_limit(q.limit, 50, 200)?;
    let cursor = q.cursor.as_deref().map(ConversationCursor::decode).transpose()?;
    Ok(Json(state.storage.list_conversations(key.workspace_id, cursor, limit).await?))
}

#[utoipa::path(
    get,
    path = "/conversations/{id}",
    tag = "conversations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Conversation id")),
    responses(
        (status = 200, body = Conversation),
        (status = 404, description = "No such conversation in this workspace", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 403, description = "The key lacks the scope", body = ErrorBody),
        (status = 429, description = "Rate limit reached; see Retry-After", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ReadKey(key): ReadKey,
    Path(id): Path<String>,
) -> Result<Json<Conversation>, Error> {
    Ok(Json(state.storage.conversation(key.workspace_id, id).await?))
}
