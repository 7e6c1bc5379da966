use axum::Json;
use axum::extract::{Path, State};
use switchboard_api::{
    Author, Channel, Direction, ErrorBody, ErrorCode, ListMessagesQuery, Message, Page, PostMessageRequest, Scope,
    SendMessageRequest, SendMessageResponse,
};

use super::AppState;
use super::extract::{ApiJson, ApiQuery, Auth, IdempotencyKey, page_limit};
use crate::db::{
    AuthedKey, NewMessage, Writer, find_or_create_by_phone, insert_message, list_messages, message_by_client_id,
};
use crate::error::Error;

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
        (status = 422, description = "Idempotency-Key reused with another body", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 403, description = "The key lacks the scope", body = ErrorBody),
    )
)]
pub async fn send(
    State(state): State<AppState>,
    Auth(key): Auth,
    IdempotencyKey(client_id): IdempotencyKey,
    ApiJson(req): ApiJson<SendMessageRequest>,
) -> Result<Json<SendMessageResponse>, Error> {
    key.require(Scope::Write)?;
    let body = crate::db::validate_body(&req.text)?;
    let recipient = Recipient::parse(&req.to)?;
    let response = state
        .db
        .write(move |w| {
            let ws = key.workspace_id.as_str();
            if let Some(existing) = replay(w, ws, client_id.as_deref(), None, &body)? {
                let conversation = crate::db::get_conversation(w.conn(), ws, &existing.conversation_id)?;
                return Ok(SendMessageResponse {
                    ok: true,
                    id: existing.id,
                    conversation_id: conversation.id,
                    contact_id: conversation.contact_id,
                });
            }
            let contact = match recipient {
                Recipient::Phone(phone) => find_or_create_by_phone(w, ws, &phone, None)?,
                Recipient::Contact(id) => {
                    crate::db::get_contact(w.conn(), ws, &id)?.ok_or_else(|| Error::not_found("contact"))?
                }
            };
            let conversation = crate::db::find_or_open(w, ws, &contact.id, Channel::Whatsapp)?;
            let message = insert_reply(w, &key, &conversation.id, &body, client_id.as_deref())?;
            Ok(SendMessageResponse {
                ok: true,
                id: message.id,
                conversation_id: conversation.id,
                contact_id: contact.id,
            })
        })
        .await?;
    Ok(Json(response))
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
        (status = 422, description = "Idempotency-Key reused with another body", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 403, description = "The key lacks the scope", body = ErrorBody),
    )
)]
pub async fn post(
    State(state): State<AppState>,
    Auth(key): Auth,
    Path(conversation_id): Path<String>,
    IdempotencyKey(client_id): IdempotencyKey,
    ApiJson(req): ApiJson<PostMessageRequest>,
) -> Result<Json<Message>, Error> {
    key.require(Scope::Write)?;
    let body = crate::db::validate_body(&req.text)?;
    let message = state
        .db
        .write(move |w| {
            let ws = key.workspace_id.as_str();
            if let Some(existing) = replay(w, ws, client_id.as_deref(), Some(&conversation_id), &body)? {
                return Ok(existing);
            }
            insert_reply(w, &key, &conversation_id, &body, client_id.as_deref())
        })
        .await?;
    Ok(Json(message))
}

/// An outbound message written by the key's member.
fn insert_reply(
    w: &mut Writer<'_>,
    key: &AuthedKey,
    conversation_id: &str,
    body: &str,
    client_id: Option<&str>,
) -> Result<Message, Error> {
    let new = NewMessage {
        conversation_id,
        direction: Direction::Outbound,
        author: Author::Member,
        author_id: Some(&key.member_id),
        body,
        client_id,
        created_at: None,
    };
    Ok(insert_message(w, &key.workspace_id, new)?.0)
}

/// A retried write returns what the first one created; a reused key with another body is
/// refused, as Stripe does.
fn replay(
    w: &Writer<'_>,
    workspace_id: &str,
    client_id: Option<&str>,
    conversation_id: Option<&str>,
    body: &str,
) -> Result<Option<Message>, Error> {
    let Some(client_id) = client_id else { return Ok(None) };
    let Some(existing) = message_by_client_id(w.conn(), workspace_id, client_id)? else { return Ok(None) };
    let same_target = conversation_id.is_none_or(|c| c == existing.conversation_id);
    if existing.body != body || !same_target {
        return Err(Error::api(
            ErrorCode::IdempotencyKeyReused,
            "this Idempotency-Key was already used for a different request",
        ));
    }
    Ok(Some(existing))
}

/// A conversation's messages, oldest first.
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
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 403, description = "The key lacks the scope", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Auth(key): Auth,
    Path(conversation_id): Path<String>,
    ApiQuery(q): ApiQuery<ListMessagesQuery>,
) -> Result<Json<Page<Message>>, Error> {
    key.require(Scope::Read)?;
    let limit = page_limit(q.limit, 100, 500)?;
    let (data, next_cursor) = state
        .db
        .read(move |conn| list_messages(conn, &key.workspace_id, &conversation_id, q.cursor.as_deref(), limit))
        .await?;
    Ok(Json(Page { data, next_cursor }))
}

enum Recipient {
    Phone(String),
    Contact(String),
}

impl Recipient {
    /// A contact id (`ct_…`) or a phone number, normalized to `+` and 6–15 digits (E.164).
    fn parse(to: &str) -> Result<Self, Error> {
        let to = to.trim();
        if to.starts_with("ct_") {
            return Ok(Self::Contact(to.to_owned()));
        }
        let digits: String = to.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.')).collect();
        let digits = digits.strip_prefix('+').unwrap_or(&digits);
        if (6..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self::Phone(format!("+{digits}")))
        } else {
            Err(Error::api(
                ErrorCode::InvalidParameter,
                "'to' must be a phone number in international format (e.g. +14155550123) or a contact id",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_normalized() {
        for input in ["+1 (415) 555-0123", "14155550123", " +1.415.555.0123 "] {
            match Recipient::parse(input) {
                Ok(Recipient::Phone(p)) => assert_eq!(p, "+14155550123"),
                _ => panic!("{input} should parse as a phone"),
            }
        }
        for bad in ["", "hello", "+12", "+1234567890123456", "+1 415 555 012a"] {
            assert!(Recipient::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(matches!(Recipient::parse("ct_abc"), Ok(Recipient::Contact(_))));
    }
}
