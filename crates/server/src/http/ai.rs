//! `POST /ai/reply`: a drafted answer with its sources and how sure it is.

use axum::Json;
use axum::extract::State;
use switchboard_api::{AiReply, AiReplyRequest, ErrorBody};

use super::AppState;
use super::extract::{ApiJson, AuthErrors, ReadKey};
use super::validate;
use crate::error::Error;
use crate::record_storage::{PageRequest, RecordFilter};
use switchboard_ai::ReplyInput;

const MAX_MESSAGE: usize = 4_000;
const MAX_CONTEXT: usize = 50_000;
/// The knowledge entries and conversation messages read per request.
const MAX_HISTORY: u32 = 200;

/// Answers `message` from the workspace's knowledge entries, `context`, the conversation
/// and the page at `url`. Compatible with the CAAC Go `/ai/reply` (`reply` is a string).
#[utoipa::path(
    post,
    path = "/ai/reply",
    operation_id = "createAiReply",
    tag = "ai",
    security(("bearer" = ["read"])),
    request_body = AiReplyRequest,
    responses(
        (status = 200, body = AiReply),
        (status = 400, description = "Empty or too long message, bad url", body = ErrorBody),
        (status = 404, description = "No such conversation in this workspace", body = ErrorBody),
        (status = 422, description = "The page at url could not be read (`url_unreadable`)", body = ErrorBody),
        (status = 502, description = "The language model failed (`ai_upstream_failed`)", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn reply(
    State(state): State<AppState>,
    ReadKey(key): ReadKey,
    ApiJson(req): ApiJson<AiReplyRequest>,
) -> Result<Json<AiReply>, Error> {
    let message = validate::required_text(&req.message, "message", MAX_MESSAGE)?;
    let context = validate::optional_text(req.context.as_deref(), "context", MAX_CONTEXT)?;
    let url = req.url.as_deref().map(|u| validate::url(u, "url", 2048)).transpose()?;
    let ws = key.workspace_id;
    let history = match req.conversation_id {
        Some(id) => state.storage.recent_messages(ws.clone(), id, MAX_HISTORY).await?,
        None => Vec::new(),
    };
    let page = PageRequest { after: None, limit: crate::ai::KNOWLEDGE_READ };
    let knowledge = state.storage.list_knowledge(ws, RecordFilter::default(), page).await?.data;
    let input = ReplyInput { message, url, context, knowledge, history };
    Ok(Json(state.ai.reply(input).await?))
}
