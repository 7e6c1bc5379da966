//! Sending through the WhatsApp Cloud API: `POST /{version}/{phone-number-id}/messages`
//! on the Graph API, in Meta's documented request format, and Meta's error codes mapped
//! to this API's stable codes (and to whether trying again can help).

use std::time::Duration;

use serde_json::{Value, json};
use switchboard_api::{ErrorCode, Message, MessageKind};

use crate::channels::config::WhatsappConfig;
use crate::error::Error;
use crate::webhooks::ssrf::{GuardedResolver, TargetPolicy};

const TIMEOUT: Duration = Duration::from_secs(15);

/// Why Meta did not take a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub code: ErrorCode,
    /// For the agent: Meta's words and number where it gave them.
    pub reason: String,
    /// Whether the same request may succeed later (rate limits, Meta's outages, timeouts).
    pub transient: bool,
}

#[derive(Clone)]
pub struct GraphClient {
    http: reqwest::Client,
}

impl GraphClient {
    pub fn new(policy: TargetPolicy) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(TIMEOUT)
            .dns_resolver(GuardedResolver::shared(policy))
            .user_agent(concat!("Switchboard/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Task(format!("graph client: {e}")))?;
        Ok(Self { http })
    }

    /// Sends `message` to the person with WhatsApp id `to`; Meta's message id (`wamid.…`)
    /// on success.
    pub async fn send(&self, config: &WhatsappConfig, to: &str, message: &Message) -> Result<String, SendError> {
        let url = format!(
            "{}/{}/{}/messages",
            config.graph_base_url.trim_end_matches('/'),
            config.graph_api_version,
            config.phone_number_id
        );
        let body = request_body(to, message);
        let response = self.http.post(&url).bearer_auth(&config.access_token).json(&body).send().await;
        let response = match response {
            Ok(r) => r,
            Err(e) => {
                let reason =
                    if e.is_timeout() { "WhatsApp did not answer in time" } else { "WhatsApp could not be reached" };
                return Err(SendError { code: ErrorCode::UpstreamFailed, reason: reason.to_owned(), transient: true });
            }
        };
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        if status.is_success() {
            return answer["messages"][0]["id"].as_str().map(str::to_owned).ok_or_else(|| SendError {
                code: ErrorCode::UpstreamFailed,
                reason: "WhatsApp accepted the message but returned no message id".to_owned(),
                transient: false,
            });
        }
        Err(graph_error(status.as_u16(), &answer["error"]))
    }
}

/// Files a contact sent are at most this big (Meta's own limit for documents).
pub const MAX_MEDIA_BYTES: u64 = 100 * 1024 * 1024;

/// A file a contact sent, being read from Meta.
pub struct Media {
    pub mime_type: String,
    pub length: Option<u64>,
    pub body: reqwest::Response,
}

impl GraphClient {
    /// A file by its media id: Meta's `GET /{version}/{media-id}` gives a short-lived URL,
    /// which is read with the same token. That URL is checked like any outbound target
    /// (a name is checked when it resolves; a literal address here).
    pub async fn media(
        &self,
        config: &WhatsappConfig,
        media_id: &str,
        policy: TargetPolicy,
    ) -> Result<Media, SendError> {
        let upstream =
            |reason: &str| SendError { code: ErrorCode::UpstreamFailed, reason: reason.to_owned(), transient: true };
        if media_id.is_empty() || !media_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SendError { code: ErrorCode::NotFound, reason: "no such media".to_owned(), transient: false });
        }
        let url = format!("{}/{}/{media_id}", config.graph_base_url.trim_end_matches('/'), config.graph_api_version);
        let response = self.http.get(&url).bearer_auth(&config.access_token).send().await;
        let response = response.map_err(|_| upstream("WhatsApp could not be reached"))?;
        let status = response.status();
        let info: Value = response.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            let e = graph_error(status.as_u16(), &info["error"]);
            // Meta answers an unknown or expired media id with "invalid parameter".
            let code = if e.code == ErrorCode::InvalidParameter { ErrorCode::NotFound } else { e.code };
            return Err(SendError { code, ..e });
        }
        let Some(file_url) = info["url"].as_str().and_then(|u| reqwest::Url::parse(u).ok()) else {
            return Err(upstream("WhatsApp gave no address for the file"));
        };
        let host_ok = matches!(file_url.scheme(), "http" | "https")
            && policy.check_host(file_url.host_str().unwrap_or_default()).is_ok();
        if !host_ok {
            return Err(SendError {
                code: ErrorCode::UrlNotAllowed,
                reason: "the file's address is not allowed".to_owned(),
                transient: false,
            });
        }
        let body = self.http.get(file_url).bearer_auth(&config.access_token).send().await;
        let body = body.map_err(|_| upstream("the file could not be read from WhatsApp"))?;
        if !body.status().is_success() {
            return Err(upstream("the file could not be read from WhatsApp"));
        }
        let length = body.content_length();
        if length.is_some_and(|l| l > MAX_MEDIA_BYTES) {
            return Err(SendError {
                code: ErrorCode::PayloadTooLarge,
                reason: "the file is too large".to_owned(),
                transient: false,
            });
        }
        let mime_type = info["mime_type"].as_str().unwrap_or("application/octet-stream").to_owned();
        Ok(Media { mime_type, length, body })
    }
}

/// Meta's body for one message: text, media by link, location, contact card or template.
pub fn request_body(to: &str, message: &Message) -> Value {
    let mut body = json!({ "messaging_product": "whatsapp", "recipient_type": "individual", "to": to });
    let (kind, payload) = match message.kind {
        MessageKind::Image | MessageKind::Video | MessageKind::Audio | MessageKind::Document => {
            let kind = message.kind.as_str();
            let mut media = json!({});
            if let Some(a) = &message.attachment {
                media["link"] = json!(a.url);
                if message.kind == MessageKind::Document
                    && let Some(name) = &a.filename
                {
                    media["filename"] = json!(name);
                }
            }
            // Meta refuses captions on audio.
            if !message.body.is_empty() && message.kind != MessageKind::Audio {
                media["caption"] = json!(message.body);
            }
            (kind, media)
        }
        MessageKind::Location => {
            let l = message.location.clone().unwrap_or(switchboard_api::Location {
                latitude: 0.0,
                longitude: 0.0,
                name: None,
                address: None,
            });
            let mut location = json!({ "latitude": l.latitude, "longitude": l.longitude });
            if let Some(name) = l.name {
                location["name"] = json!(name);
            }
            if let Some(address) = l.address {
                location["address"] = json!(address);
            }
            ("location", location)
        }
        MessageKind::Contact => {
            let card = message.contact_card.clone();
            let mut contact = json!({});
            if let Some(card) = card {
                let first = card.name.split_whitespace().next().unwrap_or(&card.name).to_owned();
                contact["name"] = json!({ "formatted_name": card.name, "first_name": first });
                if let Some(phone) = card.phone {
                    contact["phones"] = json!([{ "phone": phone, "type": "CELL" }]);
                }
                if let Some(email) = card.email {
                    contact["emails"] = json!([{ "email": email, "type": "WORK" }]);
                }
            }
            body["contacts"] = json!([contact]);
            return with_type(body, "contacts");
        }
        MessageKind::Template => {
            let t = message.template.clone();
            let (name, language, params) = t.map(|t| (t.name, t.language, t.params)).unwrap_or_default();
            let mut template = json!({ "name": name, "language": { "code": language } });
            if !params.is_empty() {
                let parameters: Vec<Value> = params.into_iter().map(|p| json!({ "type": "text", "text": p })).collect();
                template["components"] = json!([{ "type": "body", "parameters": parameters }]);
            }
            ("template", template)
        }
        MessageKind::Text | MessageKind::Note => {
            ("text", json!({ "preview_url": message.body.contains("https://"), "body": message.body }))
        }
    };
    body[kind] = payload;
    with_type(body, kind)
}

fn with_type(mut body: Value, kind: &str) -> Value {
    body["type"] = json!(kind);
    body
}

/// Meta's error object (`{message, type, code, error_data: {details}, fbtrace_id}`) as a
/// [`SendError`].
pub fn graph_error(http_status: u16, error: &Value) -> SendError {
    let Some(code) = error["code"].as_i64() else {
        return SendError {
            code: if http_status == 401 { ErrorCode::ChannelAuthFailed } else { ErrorCode::UpstreamFailed },
            reason: format!("WhatsApp answered {http_status}"),
            transient: http_status == 429 || http_status >= 500,
        };
    };
    let details = error["error_data"]["details"].as_str().or_else(|| error["message"].as_str()).unwrap_or("no details");
    let stable = status_error_code(code);
    let transient = matches!(code, 1 | 2 | 4 | 80007 | 130429 | 131000 | 131016 | 131056 | 133004)
        || (http_status >= 500 && stable == ErrorCode::UpstreamFailed);
    SendError { code: stable, reason: format!("{details} ({code})"), transient }
}

/// Meta's numeric error codes, in requests' answers and in failed status updates alike.
pub fn status_error_code(code: i64) -> ErrorCode {
    match code {
        131047 => ErrorCode::OutsideCareWindow,
        4 | 80007 | 130429 | 131048 | 131056 => ErrorCode::RateLimited,
        131021 | 131026 | 131030 | 131045 | 131049 | 131050 => ErrorCode::InvalidRecipient,
        132000..=132016 => ErrorCode::TemplateRejected,
        0 | 3 | 10 | 190 | 200..=299 => ErrorCode::ChannelAuthFailed,
        100 => ErrorCode::InvalidParameter,
        _ => ErrorCode::UpstreamFailed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_errors_map_to_stable_codes() {
        let window = json!({"message": "(#131047) Re-engagement message", "type": "OAuthException", "code": 131047,
            "error_data": {"messaging_product": "whatsapp", "details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number."},
            "fbtrace_id": "AbCdEf"});
        let e = graph_error(400, &window);
        assert_eq!((e.code, e.transient), (ErrorCode::OutsideCareWindow, false));
        assert!(e.reason.contains("24 hours") && e.reason.ends_with("(131047)"), "{}", e.reason);
        let limited = graph_error(400, &json!({"message": "(#130429) Rate limit hit", "code": 130429}));
        assert_eq!((limited.code, limited.transient), (ErrorCode::RateLimited, true));
        let nobody = graph_error(400, &json!({"message": "(#131026) Message Undeliverable.", "code": 131026}));
        assert_eq!((nobody.code, nobody.transient), (ErrorCode::InvalidRecipient, false));
        let token = graph_error(
            401,
            &json!({"message": "Error validating access token", "type": "OAuthException", "code": 190}),
        );
        assert_eq!(token.code, ErrorCode::ChannelAuthFailed);
        assert_eq!(graph_error(400, &json!({"code": 132001})).code, ErrorCode::TemplateRejected);
        let outage = graph_error(503, &Value::Null);
        assert_eq!((outage.code, outage.transient), (ErrorCode::UpstreamFailed, true));
    }
}
