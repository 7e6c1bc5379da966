//! A stand-in for Meta's WhatsApp Cloud API on loopback, in its documented formats:
//! `POST /{version}/{phone-number-id}/messages` with a bearer token, answered with
//! `{messaging_product, contacts:[{input, wa_id}], messages:[{id}]}` or Meta's error
//! object `{error: {message, type, code, error_data: {messaging_product, details},
//! fbtrace_id}}`. It checks what Meta checks first (token, `messaging_product`, a known
//! `type` with its object) and records every request.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::mpsc;

/// How the stand-in answers the next send.
#[derive(Debug, Clone)]
pub enum GraphReply {
    Accept,
    /// Meta's error: HTTP status, error code, details.
    Error(u16, i64, &'static str),
}

/// One send as received.
#[derive(Debug, Clone)]
pub struct GraphRequest {
    pub path: String,
    pub authorization: String,
    pub body: Value,
}

#[derive(Clone)]
struct Shared {
    base_url: Arc<Mutex<String>>,
    media: Arc<Mutex<std::collections::HashMap<String, (String, Vec<u8>)>>>,
    token: String,
    script: Arc<Mutex<VecDeque<GraphReply>>>,
    seen: mpsc::UnboundedSender<GraphRequest>,
    ids: Arc<AtomicUsize>,
}

pub struct Graph {
    pub base_url: String,
    media: Arc<Mutex<std::collections::HashMap<String, (String, Vec<u8>)>>>,
    script: Arc<Mutex<VecDeque<GraphReply>>>,
    seen: mpsc::UnboundedReceiver<GraphRequest>,
}

const KINDS: &[&str] = &["text", "image", "video", "audio", "document", "location", "contacts", "template", "sticker"];

fn meta_error(status: u16, code: i64, details: &str) -> Response {
    let body = json!({"error": {
        "message": format!("(#{code}) {details}"),
        "type": "OAuthException",
        "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": details},
        "fbtrace_id": "AazPbQBtxjp2GYCq6iuNVH5"
    }});
    (StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST), Json(body)).into_response()
}

async fn messages(
    State(shared): State<Shared>,
    Path((version, phone_number_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let authorization = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let parsed: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let _ = shared.seen.send(GraphRequest {
        path: format!("/{version}/{phone_number_id}/messages"),
        authorization: authorization.clone(),
        body: parsed.clone(),
    });
    if authorization != format!("Bearer {}", shared.token) {
        return meta_error(401, 190, "Error validating access token: The session has been invalidated.");
    }
    let kind = parsed["type"].as_str().unwrap_or("text");
    let well_formed = parsed["messaging_product"] == "whatsapp"
        && parsed["to"].as_str().is_some_and(|t| !t.is_empty())
        && KINDS.contains(&kind)
        && (parsed[kind].is_object() || parsed[kind].is_array());
    if !well_formed {
        return meta_error(400, 100, "Invalid parameter");
    }
    let reply = shared.script.lock().unwrap().pop_front().unwrap_or(GraphReply::Accept);
    match reply {
        GraphReply::Accept => {
            let n = shared.ids.fetch_add(1, Ordering::SeqCst);
            let to = parsed["to"].clone();
            Json(json!({
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": format!("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI{n:08}")}]
            }))
            .into_response()
        }
        GraphReply::Error(status, code, details) => meta_error(status, code, details),
    }
}

/// `GET /{version}/{media-id}`: the file's details and a short-lived URL to read it at.
async fn media_info(
    State(shared): State<Shared>,
    Path((_version, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {}", shared.token)) {
        return meta_error(401, 190, "Error validating access token");
    }
    let found = shared.media.lock().unwrap().get(&id).cloned();
    let Some((mime, bytes)) = found else {
        return meta_error(400, 100, "Unsupported get request. Object with ID does not exist");
    };
    let base = shared.base_url.lock().unwrap().clone();
    Json(json!({"messaging_product": "whatsapp", "url": format!("{base}/whatsapp_business/attachments/{id}"),
        "mime_type": mime, "sha256": "e3b0c442", "file_size": bytes.len().to_string(), "id": id}))
    .into_response()
}

async fn media_file(State(shared): State<Shared>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {}", shared.token)) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    match shared.media.lock().unwrap().get(&id).cloned() {
        Some((mime, bytes)) => ([("content-type", mime)], bytes).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

impl Graph {
    /// Serves on 127.0.0.1 and accepts only `token`.
    pub async fn start(token: &str) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let script = Arc::new(Mutex::new(VecDeque::new()));
        let media = Arc::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let shared = Shared {
            base_url: Arc::new(Mutex::new(base_url.clone())),
            media: Arc::clone(&media),
            token: token.to_owned(),
            script: script.clone(),
            seen: tx,
            ids: Arc::new(AtomicUsize::new(1)),
        };
        let app = axum::Router::new()
            .route("/{version}/{phone_number_id}/messages", axum::routing::post(messages))
            .route("/{version}/{media_id}", axum::routing::get(media_info))
            .route("/whatsapp_business/attachments/{id}", axum::routing::get(media_file))
            .with_state(shared);
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { base_url, media, script, seen: rx }
    }

    /// A file Meta keeps for a contact's message.
    pub fn add_media(&self, id: &str, mime: &str, bytes: &[u8]) {
        self.media.lock().unwrap().insert(id.to_owned(), (mime.to_owned(), bytes.to_vec()));
    }

    /// Answers the next sends in this order, then accepts.
    pub fn script(&self, replies: impl IntoIterator<Item = GraphReply>) {
        self.script.lock().unwrap().extend(replies);
    }

    /// The next request, waiting up to 10 s.
    pub async fn next(&mut self) -> GraphRequest {
        tokio::time::timeout(std::time::Duration::from_secs(10), self.seen.recv())
            .await
            .expect("a request to the Graph API within 10 s")
            .expect("the stand-in is running")
    }

    /// Requests received so far that nobody took.
    pub fn drain(&mut self) -> Vec<GraphRequest> {
        let mut out = Vec::new();
        while let Ok(r) = self.seen.try_recv() {
            out.push(r);
        }
        out
    }
}
