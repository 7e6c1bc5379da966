use axum::Json;
use axum::extract::State;
use switchboard_api::{
    ErrorBody, ListMessagesQuery, Message, MessageStatus, MessageStatusUpdate, Page, PostMessageRequest,
    SendMessageRequest, SendMessageResponse,
};

use super::AppState;
use super::extract::{ApiJson, ApiPath, ApiQuery, AuthErrors, IdempotencyKey, ReadKey, WriteKey, page_limit};
use crate::error::Error;
use crate::storage::{Outbound, Recipient};

/// Send a text to a phone number or a contact id; finds or opens the conversation
/// (CAAC-compatible). A phone number is reached on WhatsApp; a contact id in their latest
/// open conversation, else on WhatsApp. On WhatsApp, text goes out only within 24 hours
/// of the contact's last message; outside that window, send a `template`.
#[utoipa::path(
    post,
    path = "/messages",
    operation_id = "sendMessage",
    tag = "messages",
    security(("bearer" = ["write"])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    request_body = SendMessageRequest,
    responses(
        (status = 200, body = SendMessageResponse),
        (status = 400, description = "Bad JSON, field, phone number or template", body = ErrorBody),
        (status = 404, description = "No such contact", body = ErrorBody),
        (status = 409, description = "The template is not approved, or the contact cannot be reached", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 409, description = "The Idempotency-Key's first request is still running", body = ErrorBody),
        (status = 422, description = "Idempotency-Key reused with another body, or outside WhatsApp's 24-hour window", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn send(
    State(state): State<AppState>,
    WriteKey(key): WriteKey,
    IdempotencyKey(client_id): IdempotencyKey,
    ApiJson(req): ApiJson<SendMessageRequest>,
) -> Result<Json<SendMessageResponse>, Error> {
    let content = super::content::from_send(&req)?;
    let recipient = parse_recipient(&req.to)?;
    let outbound = Outbound { workspace_id: key.workspace_id, member_id: key.member_id, content, client_id };
    Ok(Json(state.storage.send_message(recipient, outbound).await?))
}

/// A member's reply (text, media, location, contact card or template) or an internal note
/// (`kind: note`, never sent to the contact).
#[utoipa::path(
    post,
    path = "/conversations/{id}/messages",
    operation_id = "createConversationMessage",
    tag = "messages",
    security(("bearer" = ["write"])),
    params(
        ("id" = String, Path, description = "Conversation id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe"),
    ),
    request_body = PostMessageRequest,
    responses(
        (status = 200, body = Message),
        (status = 400, description = "Bad JSON, or content that does not fit its kind", body = ErrorBody),
        (status = 404, description = "No such conversation", body = ErrorBody),
        (status = 409, description = "The template is not approved", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 409, description = "The Idempotency-Key's first request is still running", body = ErrorBody),
        (status = 422, description = "Idempotency-Key reused with another body, or outside WhatsApp's 24-hour window", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn post(
    State(state): State<AppState>,
    WriteKey(key): WriteKey,
    ApiPath(conversation_id): ApiPath<String>,
    IdempotencyKey(client_id): IdempotencyKey,
    ApiJson(req): ApiJson<PostMessageRequest>,
) -> Result<Json<Message>, Error> {
    let content = super::content::from_post(req)?;
    let outbound = Outbound { workspace_id: key.workspace_id, member_id: key.member_id, content, client_id };
    Ok(Json(state.storage.reply(conversation_id, outbound).await?))
}

#[utoipa::path(
    get,
    path = "/conversations/{id}/messages",
    operation_id = "listConversationMessages",
    tag = "messages",
    security(("bearer" = ["read"])),
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
    ApiPath(conversation_id): ApiPath<String>,
    ApiQuery(q): ApiQuery<ListMessagesQuery>,
) -> Result<Json<Page<Message>>, Error> {
    let limit = page_limit(q.limit, 100, 500)?;
    Ok(Json(state.storage.list_messages(key.workspace_id, conversation_id, q.cursor, limit).await?))
}

/// A delivery report for an outbound message (from a channel relay, say). Status only
/// moves forward; an older report returns the message unchanged.
#[utoipa::path(
    patch,
    path = "/conversations/{id}/messages/{messageId}",
    operation_id = "updateMessageStatus",
    tag = "messages",
    security(("bearer" = ["write"])),
    params(
        ("id" = String, Path, description = "Conversation id"),
        ("messageId" = String, Path, description = "Message id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe"),
    ),
    request_body = MessageStatusUpdate,
    responses(
        (status = 200, body = Message),
        (status = 400, description = "Bad JSON or status", body = ErrorBody),
        (status = 404, description = "No such conversation or message", body = ErrorBody),
        (status = 409, description = "Inbound messages and notes have no delivery status", body = ErrorBody),
        AuthErrors,
    )
)]
pub async fn update_status(
    State(state): State<AppState>,
    WriteKey(key): WriteKey,
    ApiPath((conversation_id, message_id)): ApiPath<(String, String)>,
    ApiJson(req): ApiJson<MessageStatusUpdate>,
) -> Result<Json<Message>, Error> {
    let error = req.error.as_deref().map(|e| super::validate::text(e, "error", 500)).transpose()?.flatten();
    if error.is_some() && req.status != MessageStatus::Failed {
        return Err(Error::invalid("error goes only with status failed"));
    }
    let update = MessageStatusUpdate { status: req.status, error };
    Ok(Json(state.storage.update_message_status(key.workspace_id, conversation_id, message_id, update).await?))
}

/// A contact id (`ct_…`) or a phone number.
fn parse_recipient(to: &str) -> Result<Recipient, Error> {
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
