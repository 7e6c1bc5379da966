//! The web widget's public client API, per inbox identifier (as Chatwoot's): a visitor
//! gets a contact identifier, opens a conversation, posts and reads messages. No API key:
//! the identifier is the visitor's credential, browsers are held to the inbox's origins
//! and every address to a per-minute quota (`widget_guard.rs`). Also the widget page.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};
use switchboard_api::{ErrorBody, Message, MessageContent, MessageKind, Page};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::validate;
use crate::channel_storage::WidgetConversation;
use crate::channels::config::StoredChannel;
use crate::error::Error;

const MAX_TEXT: usize = 4096;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WidgetContactRequest {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

/// A visitor. `identifier` is theirs to keep (the widget keeps it in local storage); it
/// is what the other calls are addressed by.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WidgetContact {
    identifier: String,
    name: Option<String>,
    email: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WidgetMessageRequest {
    text: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WidgetMessagesQuery {
    /// Messages after this message id (the last one the widget has).
    after: Option<String>,
    /// 1–100, default 50.
    limit: Option<u32>,
}

async fn inbox(state: &AppState, id: String) -> Result<StoredChannel, Error> {
    match state.storage.web_inbox(id).await? {
        Some(inbox) if inbox.active => Ok(inbox),
        Some(_) => Err(Error::api(switchboard_api::ErrorCode::Unavailable, "this chat is closed for now")),
        None => Err(Error::not_found("inbox")),
    }
}

/// A new visitor, or (with `name`/`email`) one who said who they are.
#[utoipa::path(
    post,
    path = "/widget/{id}/contacts",
    operation_id = "createWidgetContact",
    tag = "widget",
    params(("id" = String, Path, description = "Inbox identifier")),
    request_body = WidgetContactRequest,
    responses(
        (status = 201, body = WidgetContact),
        (status = 400, description = "Bad name or email", body = ErrorBody),
        (status = 403, description = "A page on an origin the inbox does not allow", body = ErrorBody),
        (status = 404, description = "No such inbox", body = ErrorBody),
        (status = 429, description = "Too many requests from this address", body = ErrorBody),
    )
)]
pub async fn create_contact(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<WidgetContactRequest>,
) -> Result<(StatusCode, Json<WidgetContact>), Error> {
    let inbox = inbox(&state, id).await?;
    let name = validate::optional_text(req.name.as_deref(), "name", 100)?;
    let email = req.email.as_deref().map(validate::email).transpose()?;
    let (identifier, contact) = state.storage.widget_contact(inbox, None, name, email).await?;
    Ok((StatusCode::CREATED, Json(WidgetContact { identifier, name: contact.name, email: contact.email })))
}

#[utoipa::path(
    get,
    path = "/widget/{id}/contacts/{identifier}",
    operation_id = "getWidgetContact",
    tag = "widget",
    params(("id" = String, Path, description = "Inbox identifier"), ("identifier" = String, Path, description = "Contact identifier")),
    responses(
        (status = 200, body = WidgetContact),
        (status = 404, description = "No such inbox or contact", body = ErrorBody),
    )
)]
pub async fn get_contact(
    State(state): State<AppState>,
    ApiPath((id, identifier)): ApiPath<(String, String)>,
) -> Result<Json<WidgetContact>, Error> {
    let inbox = inbox(&state, id).await?;
    let (identifier, contact) = state.storage.widget_contact(inbox, Some(identifier), None, None).await?;
    Ok(Json(WidgetContact { identifier, name: contact.name, email: contact.email }))
}

/// The visitor's conversations in this inbox, most recent first.
#[utoipa::path(
    get,
    path = "/widget/{id}/contacts/{identifier}/conversations",
    operation_id = "listWidgetConversations",
    tag = "widget",
    params(("id" = String, Path, description = "Inbox identifier"), ("identifier" = String, Path, description = "Contact identifier")),
    responses(
        (status = 200, body = Vec<WidgetConversation>),
        (status = 404, description = "No such inbox or contact", body = ErrorBody),
    )
)]
pub async fn list_conversations(
    State(state): State<AppState>,
    ApiPath((id, identifier)): ApiPath<(String, String)>,
) -> Result<Json<Vec<WidgetConversation>>, Error> {
    let inbox = inbox(&state, id).await?;
    Ok(Json(state.storage.widget_conversations(inbox, identifier).await?))
}

/// The visitor's open conversation, opened if there is none.
#[utoipa::path(
    post,
    path = "/widget/{id}/contacts/{identifier}/conversations",
    operation_id = "openWidgetConversation",
    tag = "widget",
    params(("id" = String, Path, description = "Inbox identifier"), ("identifier" = String, Path, description = "Contact identifier")),
    responses(
        (status = 201, body = WidgetConversation),
        (status = 404, description = "No such inbox or contact", body = ErrorBody),
    )
)]
pub async fn open_conversation(
    State(state): State<AppState>,
    ApiPath((id, identifier)): ApiPath<(String, String)>,
) -> Result<(StatusCode, Json<WidgetConversation>), Error> {
    let inbox = inbox(&state, id).await?;
    Ok((StatusCode::CREATED, Json(state.storage.widget_open(inbox, identifier).await?)))
}

/// What the visitor sees of the conversation: no internal notes, no member ids.
#[utoipa::path(
    get,
    path = "/widget/{id}/contacts/{identifier}/conversations/{conversationId}/messages",
    operation_id = "listWidgetMessages",
    tag = "widget",
    params(
        ("id" = String, Path, description = "Inbox identifier"),
        ("identifier" = String, Path, description = "Contact identifier"),
        ("conversationId" = String, Path, description = "Conversation id"),
        WidgetMessagesQuery,
    ),
    responses(
        (status = 200, body = Page<Message>),
        (status = 400, description = "Bad limit or cursor", body = ErrorBody),
        (status = 404, description = "No such inbox, contact or conversation of theirs", body = ErrorBody),
    )
)]
pub async fn list_messages(
    State(state): State<AppState>,
    ApiPath((id, identifier, conversation)): ApiPath<(String, String, String)>,
    ApiQuery(query): ApiQuery<WidgetMessagesQuery>,
) -> Result<Json<Page<Message>>, Error> {
    let limit = query.limit.unwrap_or(50);
    if !(1..=100).contains(&limit) {
        return Err(Error::api(switchboard_api::ErrorCode::InvalidQuery, "limit must be 1-100"));
    }
    let inbox = inbox(&state, id).await?;
    Ok(Json(state.storage.widget_messages(inbox, identifier, conversation, query.after, limit).await?))
}

/// A message from the visitor.
#[utoipa::path(
    post,
    path = "/widget/{id}/contacts/{identifier}/conversations/{conversationId}/messages",
    operation_id = "postWidgetMessage",
    tag = "widget",
    params(
        ("id" = String, Path, description = "Inbox identifier"),
        ("identifier" = String, Path, description = "Contact identifier"),
        ("conversationId" = String, Path, description = "Conversation id"),
    ),
    request_body = WidgetMessageRequest,
    responses(
        (status = 201, body = Message),
        (status = 400, description = "Empty or too long", body = ErrorBody),
        (status = 404, description = "No such inbox, contact or conversation of theirs", body = ErrorBody),
    )
)]
pub async fn post_message(
    State(state): State<AppState>,
    ApiPath((id, identifier, conversation)): ApiPath<(String, String, String)>,
    ApiJson(req): ApiJson<WidgetMessageRequest>,
) -> Result<(StatusCode, Json<Message>), Error> {
    let text = validate::required_text(&req.text, "text", MAX_TEXT)?;
    let inbox = inbox(&state, id).await?;
    let content = MessageContent { kind: MessageKind::Text, body: text, ..Default::default() };
    let mut message = state.storage.widget_post(inbox, identifier, conversation, content).await?;
    message.author_id = None;
    Ok((StatusCode::CREATED, Json(message)))
}

const PAGE: &str = include_str!("widget_page.html");
const SCRIPT: &str = include_str!("widget_page.js");

/// The chat page for an inbox, to open in a browser or embed in an `<iframe>`.
#[utoipa::path(
    get,
    path = "/widget/{id}",
    operation_id = "getWidgetPage",
    tag = "widget",
    params(("id" = String, Path, description = "Inbox identifier")),
    responses(
        (status = 200, description = "The chat page", content_type = "text/html"),
        (status = 404, description = "No such inbox", body = ErrorBody),
    )
)]
pub async fn page(State(state): State<AppState>, ApiPath(id): ApiPath<String>) -> Result<Response, Error> {
    let inbox = inbox(&state, id).await?;
    let html = PAGE
        .replace("{{inbox}}", &escape(inbox.web().map(|w| w.inbox_identifier.as_str()).unwrap_or_default()))
        .replace("{{name}}", &escape(&inbox.name));
    let csp = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; \
               img-src 'self' data:; base-uri 'none'; form-action 'none'";
    Ok(([(header::CONTENT_SECURITY_POLICY, csp)], Html(html)).into_response())
}

/// The page's script, served apart so the page's policy allows no inline script.
#[utoipa::path(
    get,
    path = "/widget.js",
    operation_id = "getWidgetScript",
    tag = "widget",
    responses((status = 200, description = "The widget's script", content_type = "text/javascript"))
)]
pub async fn script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=300")], SCRIPT)
        .into_response()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}
