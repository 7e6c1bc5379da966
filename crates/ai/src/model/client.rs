//! A client for any server that speaks OpenAI's chat-completions API (hosted, or local
//! such as llama.cpp, Ollama or vLLM), tool calls included. Rate limits and server
//! errors are retried with backoff (Retry-After honoured, within a cap); anything else
//! fails at once, with the wire's `ai_upstream_failed`.

use std::time::Duration;

use serde_json::{Value, json};

use crate::error::{AiError, root_cause};

/// Where the model is and which one.
#[derive(Clone)]
pub struct ModelSettings {
    /// e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8080/v1`.
    pub base_url: String,
    pub model: String,
    pub api_key: Option<String>,
    /// For one request.
    pub timeout: Duration,
}

impl std::fmt::Debug for ModelSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelSettings")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// How often and how long a failing model is asked again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Requests in all, the first included.
    pub attempts: u32,
    /// The first wait; each next one doubles.
    pub first: Duration,
    /// No wait is longer, whatever Retry-After asks.
    pub longest: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self { attempts: 3, first: Duration::from_millis(500), longest: Duration::from_secs(8) }
    }
}

/// The longest answer asked for: a chat reply or a few tool calls, and a bound on a small
/// model that would run on.
const MAX_TOKENS: u32 = 400;
/// A reasoning model counts its hidden reasoning in `max_completion_tokens` too: the same
/// reply needs room to think first.
const MAX_COMPLETION_TOKENS: u32 = 4000;
const TEMPERATURE: f64 = 0.2;

/// What this server refused once and is not sent again. Reasoning models (OpenAI's o-series
/// and GPT-5) refuse `max_tokens` (they take `max_completion_tokens`) and any temperature
/// but the default; local servers take both, and some predate `max_completion_tokens`, so
/// the common form goes first and a refusal naming the parameter switches this client.
#[derive(Debug, Default, Clone, Copy)]
struct Dialect {
    completion_tokens: bool,
    default_temperature: bool,
}

impl Dialect {
    /// `param` as the API named it in its refusal; false when there is nothing to change.
    fn adapt(&mut self, param: &str) -> bool {
        match param {
            "max_tokens" if !self.completion_tokens => self.completion_tokens = true,
            "temperature" if !self.default_temperature => self.default_temperature = true,
            _ => return false,
        }
        true
    }

    fn apply(self, body: &mut Value) {
        if let Some(fields) = body.as_object_mut() {
            if self.completion_tokens {
                fields.remove("max_tokens");
                fields.insert("max_completion_tokens".into(), MAX_COMPLETION_TOKENS.into());
            } else {
                fields.insert("max_tokens".into(), MAX_TOKENS.into());
            }
            if self.default_temperature {
                fields.remove("temperature");
            } else {
                fields.insert("temperature".into(), TEMPERATURE.into());
            }
        }
    }
}

/// A tool call as the model asked for it; `arguments` is the JSON text it wrote, which
/// may be anything.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    pub arguments: String,
}

/// The model's message: text, tool calls, or both.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelMessage {
    pub content: Option<String>,
    pub tool_calls: Vec<ToolCall>,
}

impl ModelMessage {
    /// As it goes back into the conversation for the next request.
    pub fn to_json(&self) -> Value {
        let calls: Vec<Value> = self
            .tool_calls
            .iter()
            .map(|c| json!({"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}))
            .collect();
        let mut m = json!({"role": "assistant", "content": self.content});
        if !calls.is_empty() {
            m["tool_calls"] = Value::Array(calls);
        }
        m
    }
}

pub struct ModelClient {
    settings: ModelSettings,
    http: reqwest::Client,
    backoff: Backoff,
    dialect: std::sync::Mutex<Dialect>,
}

impl ModelClient {
    pub fn new(settings: ModelSettings) -> Result<Self, AiError> {
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .build()
            .map_err(|e| AiError::internal(format!("model client: {e}")))?;
        Ok(Self { settings, http, backoff: Backoff::default(), dialect: Default::default() })
    }

    pub fn with_backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    pub fn settings(&self) -> &ModelSettings {
        &self.settings
    }

    /// One chat completion: `messages` in the API's form, `tools` as function
    /// definitions (none: a plain answer).
    pub async fn chat(&self, messages: &[Value], tools: &[Value]) -> Result<ModelMessage, AiError> {
        let mut body = json!({"model": self.settings.model, "messages": messages});
        if !tools.is_empty() {
            body["tools"] = Value::Array(tools.to_vec());
            body["tool_choice"] = json!("auto");
        }
        let mut wait = self.backoff.first;
        let mut attempt = 1;
        loop {
            let dialect = *self.dialect.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            dialect.apply(&mut body);
            match self.once(&body).await {
                Ok(answer) => return parse(&answer),
                // Asked again at once, not counted: each parameter is changed at most once.
                Err(Failure::Unsupported { param, why }) => {
                    if !self.dialect.lock().unwrap_or_else(std::sync::PoisonError::into_inner).adapt(&param) {
                        return Err(AiError::upstream(why));
                    }
                    tracing::info!(param = %param, why = %why, "the model's server refused a parameter; asking in its form");
                }
                Err(Failure::Retry { why, after }) if attempt < self.backoff.attempts => {
                    let pause = after.unwrap_or(wait).min(self.backoff.longest);
                    tracing::info!(attempt, why = %why, wait_ms = pause.as_millis() as u64, "the model will be asked again");
                    tokio::time::sleep(pause).await;
                    wait = wait.saturating_mul(2);
                    attempt += 1;
                }
                Err(Failure::Retry { why, .. } | Failure::Final(why)) => return Err(AiError::upstream(why)),
            }
        }
    }

    async fn once(&self, body: &Value) -> Result<Value, Failure> {
        let url = format!("{}/chat/completions", self.settings.base_url.trim_end_matches('/'));
        let mut request = self.http.post(url).json(body);
        if let Some(key) = &self.settings.api_key {
            request = request.bearer_auth(key);
        }
        let resp = request.send().await.map_err(|e| {
            let why = if e.is_timeout() {
                format!("no answer within {} s", self.settings.timeout.as_secs())
            } else {
                format!("it could not be reached ({})", root_cause(&e))
            };
            Failure::Retry { why, after: None }
        })?;
        let status = resp.status();
        let after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let text = resp.text().await.map_err(|e| Failure::Retry { why: root_cause(&e), after: None })?;
        let answer: Option<Value> = serde_json::from_str(&text).ok();
        if !status.is_success() {
            let detail = answer
                .as_ref()
                .and_then(|a| a["error"]["message"].as_str().map(str::to_owned))
                .unwrap_or_else(|| "no detail".to_owned());
            let why = format!("it answered {}: {}", status.as_u16(), clip(&detail, 200));
            let refused = answer.as_ref().filter(|a| {
                status.as_u16() == 400
                    && matches!(a["error"]["code"].as_str(), Some("unsupported_parameter" | "unsupported_value"))
            });
            if let Some(param) = refused.and_then(|a| a["error"]["param"].as_str()) {
                return Err(Failure::Unsupported { param: param.to_owned(), why });
            }
            let again = status.as_u16() == 429 || status.is_server_error();
            return Err(if again { Failure::Retry { why, after } } else { Failure::Final(why) });
        }
        answer.ok_or_else(|| Failure::Final(format!("it answered {status} without JSON")))
    }
}

enum Failure {
    Retry {
        why: String,
        after: Option<Duration>,
    },
    /// A 400 naming a parameter this model does not take.
    Unsupported {
        param: String,
        why: String,
    },
    Final(String),
}

fn parse(answer: &Value) -> Result<ModelMessage, AiError> {
    let message = &answer["choices"][0]["message"];
    if !message.is_object() {
        return Err(AiError::upstream("its answer had no message"));
    }
    let content = message["content"].as_str().map(without_thinking).filter(|c| !c.is_empty());
    let tool_calls: Vec<ToolCall> = message["tool_calls"]
        .as_array()
        .map(|calls| {
            calls
                .iter()
                .enumerate()
                .map(|(i, c)| ToolCall {
                    id: c["id"].as_str().map_or_else(|| format!("call_{i}"), str::to_owned),
                    name: c["function"]["name"].as_str().unwrap_or_default().to_owned(),
                    // Some servers send the arguments as an object, not as its text.
                    arguments: match &c["function"]["arguments"] {
                        Value::String(s) => s.clone(),
                        Value::Null => String::new(),
                        other => other.to_string(),
                    },
                })
                .collect()
        })
        .unwrap_or_default();
    if content.is_none() && tool_calls.is_empty() {
        return Err(AiError::upstream("its answer was empty"));
    }
    // A reply cut off mid-sentence is not one to send.
    if tool_calls.is_empty() && answer["choices"][0]["finish_reason"] == "length" {
        return Err(AiError::upstream("its answer was cut off at the token limit"));
    }
    Ok(ModelMessage { content, tool_calls })
}

/// The answer without a reasoning model's `<think>…</think>` (servers without a
/// reasoning parser leave it in the text).
fn without_thinking(text: &str) -> String {
    let mut out = text;
    let owned;
    if let Some(start) = text.find("<think>") {
        owned = match text[start..].find("</think>") {
            Some(end) => format!("{}{}", &text[..start], &text[start + end + "</think>".len()..]),
            None => text[..start].to_owned(),
        };
        out = &owned;
    }
    out.trim().to_owned()
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_parameter_is_changed_once() {
        let mut dialect = Dialect::default();
        let mut body = json!({"model": "m"});
        dialect.apply(&mut body);
        assert_eq!((body["max_tokens"].as_u64(), body["temperature"].as_f64()), (Some(400), Some(0.2)));
        assert!(dialect.adapt("max_tokens") && dialect.adapt("temperature"));
        assert!(!dialect.adapt("max_tokens") && !dialect.adapt("temperature") && !dialect.adapt("tools"));
        dialect.apply(&mut body);
        assert_eq!(body, json!({"model": "m", "max_completion_tokens": 4000}));
    }

    #[test]
    fn answers_as_servers_write_them() {
        let said = |content: Value, finish: &str| json!({"choices": [{"finish_reason": finish, "message": {"role": "assistant", "content": content}}]});
        let thought = parse(&said(json!("<think>the user wants a price</think>\n It is £55."), "stop")).unwrap();
        assert_eq!(thought.content.as_deref(), Some("It is £55."));
        assert!(parse(&said(json!("It is £55 and also"), "length")).is_err(), "cut off");
        assert!(parse(&said(Value::Null, "stop")).is_err(), "empty");
        assert!(parse(&json!({"choices": []})).is_err());
        let object_args = json!({"choices": [{"finish_reason": "tool_calls", "message": {"role": "assistant", "content": null,
            "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "escalate", "arguments": {"reason": "asked"}}}]}}]});
        let calls = parse(&object_args).unwrap().tool_calls;
        assert_eq!((calls[0].name.as_str(), calls[0].arguments.as_str()), ("escalate", r#"{"reason":"asked"}"#));
    }
}
