use axum::Json;
use axum::extract::{Path, State};
use switchboard_api::{
    ErrorBody, ErrorCode, ListMessagesQuery, Message, Page, PostMessageRequest, SendMessageRequest, SendMessageResponse,
};

use super::AppState;
use super::extract::{ApiJson, ApiQuery, AuthErrors, IdempotencyKey, ReadKey, WriteKey, page_limit};
use crate::error::Error;
use crate::storage::{Outbound, Recipient};

/// Send a text to a phone number or a contact id; finds or opens the conversation
/// (CAAC-compatible).
#[utoipa::path(
    post,
    path = "/messages",
    tag = "messages",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    request_body = SendMessageRequest,
    responses(
        (status = 200, body = SendMessageResponse),
        (status = 400, description = "Bad JSON, field or phone number", body = ErrorBody),
        (status = 404, description = "No such contact", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 409, description = "The Idempotency-Key's first request is still running", body = ErrorBody),
        (status = 422, description = "Idempotency-Key reused with another body", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn send(
    State(state): State<AppState>,
    WriteKey(key): WriteKey,
    IdempotencyKey(client_id): IdempotencyKey,
    ApiJson(req): ApiJson<SendMessageRequest>,
) -> Result<Json<SendMessageResponse>, Error> {
    let body = validate_body(&req.text)?;
    let recipient = parse_recipient(&req.to)?;
    let outbound = Outbound { workspace_id: key.workspace_id, member_id: key.member_id, body, client_id };
    Ok(Json(state.storage.send_message(recipient, outbound).await?))
}

/// An agent's reply in a conversation.
#[utoipa::path(
    post,
    path = "/conversations/{id}/messages",
    tag = "messages",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Conversation id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe"),
    ),
    request_body = PostMessageRequest,
    responses(
        (status = 200, body = Message),
        (status = 400, description = "Bad JSON or text", body = ErrorBody),
        (status = 404, description = "No such conversation", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 409, description = "The Idempotency-Key's first request is still running", body = ErrorBody),
        (status = 422, description = "Idempotency-Key reused with another body", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn post(
    State(state): State<AppState>,
    WriteKey(key): WriteKey,
    Path(conversation_id): Path<String>,
    IdempotencyKey(client_id): IdempotencyKey,
    ApiJson(req): ApiJson<PostMessageRequest>,
) -> Result<Json<Message>, Error> {
    let body = validate_body(&req.text)?;
    let outbound = Outbound { workspace_id: key.workspace_id, member_id: key.member_id, body, client_id };
    Ok(Json(state.storage.reply(conversation_id, outbound).await?))
}

#[utoipa::path(
    get,
    path = "/conversations/{id}/messages",
    tag = "messages",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Conversation id"), ListMessagesQuery),
    responses(
        (status = 200, body = Page<Message>),
        (status = 400, description = "Bad limit or cursor", body = ErrorBody),
        (status = 404, description = "No such conversation", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ReadKey(key): ReadKey,
    Path(conversation_id): Path<String>,
    ApiQuery(q): ApiQuery<ListMessagesQuery>,
) -> Result<Json<Page<Message>>, Error> {
    let limit = page_limit(q.limit, 100, 500)?;
    Ok(Json(state.storage.list_messages(key.workspace_id, conversation_id, q.cursor, limit).await?))
}

/// The longest text message accepted (WhatsApp's own limit).
const MAX_BODY_CHARS: usize = 4096;

/// Validates a message body: trimmed, non-empty, at most [`MAX_BODY_CHARS`].
fn validate_body(text: &str) -> Result<String, Error> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Error::api(ErrorCode::InvalidParameter, "text must not be empty"));
    }
    if trimmed.chars().count() > MAX_BODY_CHARS {
        return Err(Error::api(
            ErrorCode::InvalidParameter,
            format!("text is longer than {MAX_BODY_CHARS} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// A contact id (`ct_…`) or a phone number.
fn parse_recipient(to: &str) -> Result<Recipient, Error> {
    let to = to.trim();
    if to.starts_with("ct_") {
        return Ok(Recipient::Contact(to.to_owned()));
    }
    super::validate::phone(to).map(Recipient::Phone).map_err(|_| {
        Error::invalid("'to' must be a phone number in international format (e.g. +14155550123) or a contact id")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_are_contacts_or_phones() {
        assert!(matches!(parse_recipient("ct_abc"), Ok(Recipient::Contact(_))));
        assert!(matches!(parse_recipient("+1 415 555 0123"), Ok(Recipient::Phone(p)) if p == "+14155550123"));
        assert!(parse_recipient("call me").is_err());
    }
}
