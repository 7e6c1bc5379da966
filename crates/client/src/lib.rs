//! Typed HTTP client of the Switchboard API v1.

mod error;
mod routes;
mod sse;
mod stream;

use std::time::Duration;

use reqwest::{Method, RequestBuilder, StatusCode, header};
use serde::Serialize;
use serde::de::DeserializeOwned;
use switchboard_api::{
    API_BASE, ApiKey, Change, Conversation, CreateKeyRequest, CreateWebhookRequest, CreatedKey, ErrorBody, ErrorCode,
    IDEMPOTENCY_KEY_HEADER, ImportKnowledgeRequest, KnowledgeImport, ListConversationsQuery, ListDeliveriesQuery,
    ListKeysQuery, ListMessagesQuery, MeResponse, Message, Page, PatchConversationRequest, PatchSettingsRequest,
    PostMessageRequest, Presence, PresenceRequest, PresenceState, RotateKeyRequest, RotatedKey, SendMessageRequest,
    SendMessageResponse, SyncPage, SyncQuery, WebhookDelivery, WebhookEndpoint, WebhookWithSecret, WorkspaceSettings,
};
use url::Url;

pub use error::ClientError;
pub use sse::{SseEvent, SseParser};
pub use stream::{EventStream, StreamEvent};

const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// A website import: the server's minute of reading, and some.
const IMPORT_TIMEOUT: Duration = Duration::from_secs(90);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Attempts for requests that fail on the network or with 429/502/503: reads, and writes
/// (which always carry an Idempotency-Key).
const SAFE_ATTEMPTS: u32 = 3;

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    /// Separate client without a total timeout: event streams stay open for hours.
    streaming: reqwest::Client,
    base: Url,
    api_key: String,
    /// Tries per request for passing failures (see [`SAFE_ATTEMPTS`]).
    attempts: u32,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key: clients end up in logs.
        f.debug_struct("Client").field("base", &self.base.as_str()).finish()
    }
}

impl Client {
    /// `base_url` is the server's origin, e.g. `https://inbox.example.com`.
    pub fn new(base_url: &str, api_key: impl Into<String>) -> Result<Self, ClientError> {
        let mut base = Url::parse(base_url.trim()).map_err(|_| ClientError::InvalidUrl(base_url.to_owned()))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(ClientError::InvalidUrl(base_url.to_owned()));
        }
        let path = format!("{}{API_BASE}/", base.path().trim_end_matches('/'));
        base.set_path(&path);
        let agent = concat!("switchboard-client/", env!("CARGO_PKG_VERSION"));
        let http = reqwest::Client::builder()
            .user_agent(agent)
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .map_err(ClientError::network)?;
        let streaming = reqwest::Client::builder()
            .user_agent(agent)
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .map_err(ClientError::network)?;
        Ok(Self { http, streaming, base, api_key: api_key.into(), attempts: SAFE_ATTEMPTS })
    }

    /// The same client, trying each request once: for callers that retry by themselves
    /// (the outbox keeps a send and tries it again later, under the same key).
    pub fn single_attempt(&self) -> Self {
        Self { attempts: 1, ..self.clone() }
    }

    pub fn base_url(&self) -> &Url {
        &self.base
    }

    fn url(&self, path: &str) -> Result<Url, ClientError> {
        self.base.join(path.trim_start_matches('/')).map_err(|_| ClientError::InvalidUrl(path.to_owned()))
    }

    fn request(&self, http: &reqwest::Client, method: Method, path: &str) -> Result<RequestBuilder, ClientError> {
        Ok(http.request(method, self.url(path)?).bearer_auth(&self.api_key))
    }

    /// A GET whose body the caller reads itself, retried like [`Client::get`].
    async fn get_bytes<Q: Serialize + ?Sized>(&self, path: &str, query: &Q) -> Result<bytes::Bytes, ClientError> {
        let mut attempt = 1;
        loop {
            let result = async {
                let response = self
                    .request(&self.http, Method::GET, path)?
                    .query(query)
                    .send()
                    .await
                    .map_err(ClientError::network)?;
                if !response.status().is_success() {
                    return Err(error_from(response).await);
                }
                response.bytes().await.map_err(ClientError::network)
            }
            .await;
            match result {
                Err(e) if attempt < self.attempts && e.is_retryable() => {
                    tokio::time::sleep(e.retry_after().unwrap_or_else(|| backoff(attempt))).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    async fn get<T: DeserializeOwned, Q: Serialize + ?Sized>(&self, path: &str, query: &Q) -> Result<T, ClientError> {
        let mut attempt = 1;
        loop {
            let result = self.send(self.request(&self.http, Method::GET, path)?.query(query)).await;
            match result {
                Err(e) if attempt < self.attempts && e.is_retryable() => {
                    tokio::time::sleep(e.retry_after().unwrap_or_else(|| backoff(attempt))).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// Every write carries an Idempotency-Key (the caller's, or a fresh one), which makes
    /// it as safe to retry as a read: a retry with the same key is answered with the first
    /// result, never done twice.
    async fn write<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        path: &str,
        body: &B,
        idempotency_key: Option<&str>,
    ) -> Result<T, ClientError> {
        self.write_with(Method::POST, path, Some(body), idempotency_key).await
    }

    async fn write_with<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
        idempotency_key: Option<&str>,
    ) -> Result<T, ClientError> {
        let key = idempotency_key.map_or_else(|| format!("cli_{:032x}", rand::random::<u128>()), str::to_owned);
        let mut attempt = 1;
        loop {
            let mut req = self.request(&self.http, method.clone(), path)?.header(IDEMPOTENCY_KEY_HEADER, &key);
            if let Some(body) = body {
                req = req.json(body);
            }
            match self.send(req).await {
                // 409 `idempotency_key_in_use`: the first try is still running on the server.
                Err(e)
                    if attempt < self.attempts
                        && (e.is_retryable() || e.api_code() == Some(ErrorCode::IdempotencyKeyInUse)) =>
                {
                    tokio::time::sleep(e.retry_after().unwrap_or_else(|| backoff(attempt))).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    async fn send<T: DeserializeOwned>(&self, req: RequestBuilder) -> Result<T, ClientError> {
        let response = req.send().await.map_err(ClientError::network)?;
        let status = response.status();
        if status == StatusCode::NO_CONTENT {
            // Deletions answer with no body: read as `()` (JSON null).
            return serde_json::from_str("null").map_err(|e| ClientError::InvalidResponse(e.to_string()));
        }
        if status.is_success() {
            return response.json::<T>().await.map_err(|e| ClientError::InvalidResponse(e.to_string()));
        }
        Err(error_from(response).await)
    }

    pub async fn me(&self) -> Result<MeResponse, ClientError> {
        self.get("me", &()).await
    }

    pub async fn send_message(
        &self,
        req: &SendMessageRequest,
        idempotency_key: Option<&str>,
    ) -> Result<SendMessageResponse, ClientError> {
        self.write("messages", req, idempotency_key).await
    }

    pub async fn list_conversations(&self, q: &ListConversationsQuery) -> Result<Page<Conversation>, ClientError> {
        self.get("conversations", q).await
    }

    pub async fn get_conversation(&self, id: &str) -> Result<Conversation, ClientError> {
        self.get(&format!("conversations/{}", segment(id)), &()).await
    }

    pub async fn list_messages(
        &self,
        conversation_id: &str,
        q: &ListMessagesQuery,
    ) -> Result<Page<Message>, ClientError> {
        self.get(&format!("conversations/{}/messages", segment(conversation_id)), q).await
    }

    /// A reply or an internal note; `PostMessageRequest::text` builds the common case.
    pub async fn post_message(
        &self,
        conversation_id: &str,
        body: &PostMessageRequest,
        idempotency_key: Option<&str>,
    ) -> Result<Message, ClientError> {
        self.write(&format!("conversations/{}/messages", segment(conversation_id)), body, idempotency_key).await
    }

    /// Status, snooze, assignee, priority, handler or labels.
    pub async fn patch_conversation(
        &self,
        id: &str,
        patch: &PatchConversationRequest,
        idempotency_key: Option<&str>,
    ) -> Result<Conversation, ClientError> {
        self.write_with(Method::PATCH, &format!("conversations/{}", segment(id)), Some(patch), idempotency_key).await
    }

    /// API keys of the workspace (admin); revoked and expired ones too with `include_inactive`.
    pub async fn list_keys(&self, include_inactive: bool) -> Result<Vec<ApiKey>, ClientError> {
        self.get("keys", &ListKeysQuery { include_inactive }).await
    }

    /// A new key; its secret is in the answer only.
    pub async fn create_key(&self, req: &CreateKeyRequest) -> Result<CreatedKey, ClientError> {
        shown_once(self.write("keys", req, None).await?)
    }

    pub async fn revoke_key(&self, id: &str) -> Result<ApiKey, ClientError> {
        self.write_with::<_, ()>(Method::DELETE, &format!("keys/{}", segment(id)), None, None).await
    }

    /// A new key like `id`; the old one keeps working for the grace period.
    pub async fn rotate_key(&self, id: &str, req: &RotateKeyRequest) -> Result<RotatedKey, ClientError> {
        shown_once(self.write(&format!("keys/{}/rotate", segment(id)), req, None).await?)
    }

    /// Reads a website into knowledge entries. The server reads for up to a minute, so
    /// this waits longer than other requests.
    pub async fn import_knowledge(&self, req: &ImportKnowledgeRequest) -> Result<KnowledgeImport, ClientError> {
        let request = self.request(&self.http, Method::POST, "knowledge/import")?.timeout(IMPORT_TIMEOUT).json(req);
        self.send(request).await
    }

    /// Where the business is, and what the AI agent goes by.
    pub async fn settings(&self) -> Result<WorkspaceSettings, ClientError> {
        self.get("settings", &()).await
    }

    /// Changes the settings (admin): a field left out stays, `null` clears it.
    pub async fn update_settings(&self, patch: &PatchSettingsRequest) -> Result<WorkspaceSettings, ClientError> {
        self.write_with(Method::PATCH, "settings", Some(patch), None).await
    }

    pub async fn list_webhooks(&self) -> Result<Vec<WebhookEndpoint>, ClientError> {
        self.get("webhooks", &()).await
    }

    /// A new endpoint; its signing secret is in the answer only.
    pub async fn create_webhook(&self, req: &CreateWebhookRequest) -> Result<WebhookWithSecret, ClientError> {
        shown_once(self.write("webhooks", req, None).await?)
    }

    /// Queues a `test` event for the endpoint.
    pub async fn test_webhook(&self, id: &str) -> Result<WebhookDelivery, ClientError> {
        self.write_with::<_, ()>(Method::POST, &format!("webhooks/{}/test", segment(id)), None, None).await
    }

    pub async fn list_deliveries(
        &self,
        endpoint_id: &str,
        q: &ListDeliveriesQuery,
    ) -> Result<Page<WebhookDelivery>, ClientError> {
        self.get(&format!("webhooks/{}/deliveries", segment(endpoint_id)), q).await
    }

    /// Sends a delivery again, as it was.
    pub async fn replay_delivery(&self, id: &str) -> Result<WebhookDelivery, ClientError> {
        self.write_with::<_, ()>(Method::POST, &format!("deliveries/{}/replay", segment(id)), None, None).await
    }

    /// Announces that this key's member views or types in a conversation; returns who is
    /// present there now.
    pub async fn announce_presence(
        &self,
        conversation_id: &str,
        state: PresenceState,
    ) -> Result<Vec<Presence>, ClientError> {
        let body = PresenceRequest { state };
        // Presence is renewed every few seconds: a lost one is replaced by the next, so it
        // is neither keyed nor retried.
        let path = format!("conversations/{}/presence", segment(conversation_id));
        self.send(self.request(&self.http, Method::POST, &path)?.json(&body)).await
    }

    /// A page of changes. A change of a type this version does not know (a newer
    /// server's) is skipped; a known one that does not parse fails the whole page, so
    /// nothing of a page the client cannot read is applied.
    pub async fn sync(&self, since: i64, limit: Option<u32>) -> Result<SyncPage, ClientError> {
        let body: bytes::Bytes = self.get_bytes("sync", &SyncQuery { since: Some(since), limit }).await?;
        // The common case parses once, straight into rows; only a page with something
        // this version does not know is read again, change by change.
        if let Ok(page) = serde_json::from_slice::<SyncPage>(&body) {
            return Ok(page);
        }
        let raw: RawSyncPage =
            serde_json::from_slice(&body).map_err(|e| ClientError::InvalidResponse(format!("a sync page: {e}")))?;
        let changes = raw.changes.into_iter().filter_map(|c| parse_change(c).transpose()).collect::<Result<_, _>>()?;
        Ok(SyncPage { changes, next: raw.next, has_more: raw.has_more, latest: raw.latest })
    }

    /// Opens the live change stream, resuming after `last_event_id`.
    pub async fn events(&self, last_event_id: i64) -> Result<EventStream, ClientError> {
        let req = self
            .request(&self.streaming, Method::GET, "events/stream")?
            .header(header::ACCEPT, "text/event-stream")
            .header("Last-Event-ID", last_event_id.to_string());
        let response = req.send().await.map_err(ClientError::network)?;
        if !response.status().is_success() {
            return Err(error_from(response).await);
        }
        Ok(EventStream::new(response))
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSyncPage {
    changes: Vec<serde_json::Value>,
    next: i64,
    has_more: bool,
    #[serde(default)]
    latest: i64,
}

/// One change as the server sent it: `None` for a type this version does not know.
pub(crate) fn parse_change(value: serde_json::Value) -> Result<Option<Change>, ClientError> {
    let kind = value.get("type").and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
    if !Change::KINDS.contains(&kind.as_str()) {
        return Ok(None);
    }
    serde_json::from_value(value).map(Some).map_err(|e| ClientError::InvalidResponse(format!("a {kind} change: {e}")))
}

/// An answer that carries a secret. When it is the replay of an earlier request with the
/// same Idempotency-Key (a retry after the first answer was lost), the server withholds
/// the secret it showed once: that is `secret_shown_once`, for the caller to tell the
/// person (the key or webhook exists; rotate it for a new secret).
pub(crate) fn shown_once<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ClientError> {
    if value.get("secretWithheld").is_some_and(|w| !w.is_null()) {
        // Which key or endpoint it is, so the person can find it and rotate it.
        let id = ["/key/id", "/endpoint/id"].iter().find_map(|p| value.pointer(p)).and_then(|v| v.as_str());
        let what = id.map_or_else(|| "it".to_owned(), str::to_owned);
        return Err(ClientError::Api {
            status: 409,
            code: ErrorCode::SecretShownOnce,
            message: format!(
                "{what} was made, but its secret was shown once to an earlier try of this request and is not kept: \
                 rotate {what} to get a new secret"
            ),
            retry_after: None,
        });
    }
    serde_json::from_value(value).map_err(|e| ClientError::InvalidResponse(e.to_string()))
}

/// Percent-encodes an id used as one path segment, so an odd id cannot change the route.
fn segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>().replace('+', "%20")
}

fn backoff(attempt: u32) -> Duration {
    let base = 200u64 << attempt.min(6);
    Duration::from_millis(base + rand::random_range(0..base / 2))
}

async fn error_from(response: reqwest::Response) -> ClientError {
    let status = response.status();
    let retry_after = response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let text = response.text().await.unwrap_or_default();
    match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => ClientError::Api { status: status.as_u16(), code: body.code, message: body.error, retry_after },
        Err(_) => ClientError::Api {
            status: status.as_u16(),
            code: fallback_code(status),
            message: format!("server answered {status} without an error body"),
            retry_after,
        },
    }
}

fn fallback_code(status: StatusCode) -> ErrorCode {
    match status.as_u16() {
        401 => ErrorCode::InvalidApiKey,
        403 => ErrorCode::InsufficientScope,
        404 => ErrorCode::NotFound,
        413 => ErrorCode::PayloadTooLarge,
        429 => ErrorCode::RateLimited,
        502 | 504 => ErrorCode::UpstreamFailed,
        503 => ErrorCode::Unavailable,
        _ => ErrorCode::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_gets_the_api_prefix_and_rejects_non_http() {
        let c = Client::new("http://127.0.0.1:9/", "k").expect("valid");
        assert_eq!(c.url("me").expect("url").as_str(), "http://127.0.0.1:9/api/v1/me");
        let c = Client::new("https://example.com/inbox", "k").expect("valid");
        assert_eq!(c.url("sync").expect("url").as_str(), "https://example.com/inbox/api/v1/sync");
        assert!(Client::new("ftp://example.com", "k").is_err());
        assert!(Client::new("not a url", "k").is_err());
    }

    #[test]
    fn debug_output_never_contains_the_key() {
        let c = Client::new("http://localhost", "sb_live_secret").expect("valid");
        assert!(!format!("{c:?}").contains("secret"));
    }

    #[test]
    fn a_replayed_answer_without_its_secret_is_secret_shown_once() {
        let replay =
            serde_json::json!({"endpoint": {"id": "wh_1"}, "secret": null, "secretWithheld": "secret_shown_once"});
        let err = shown_once::<WebhookWithSecret>(replay).expect_err("no secret");
        assert_eq!(err.api_code(), Some(ErrorCode::SecretShownOnce));
        assert!(err.to_string().contains("rotate wh_1"), "{err}");
        let key = serde_json::json!({"key": {"id": "key_1", "name": "n", "prefix": "sb_live_ab", "scopes": ["read"],
            "memberId": "mem_1", "createdAt": "t", "lastUsedAt": null, "expiresAt": null, "revokedAt": null},
            "secret": "sb_live_x"});
        assert_eq!(shown_once::<CreatedKey>(key).expect("first answer").secret, "sb_live_x");
    }

    #[test]
    fn ids_cannot_escape_their_path_segment() {
        assert_eq!(segment("conv_1"), "conv_1");
        assert_eq!(segment("../me"), "..%2Fme");
        assert_eq!(segment("a b"), "a%20b");
    }
}
