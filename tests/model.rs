//! A stand-in for an OpenAI-compatible chat-completions server (what llama.cpp, Ollama,
//! vLLM and hosted APIs speak), on loopback: each request is recorded and answered by a
//! script — a message, tool calls, an error status with its OpenAI error body, or
//! silence — as the real protocol has them.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// What the stand-in answers one request with.
#[derive(Debug, Clone)]
pub enum Answer {
    /// The assistant's text.
    Say(String),
    /// Tool calls: `(name, arguments as written)`.
    Call(Vec<(String, String)>),
    /// An error status with OpenAI's error body, and Retry-After in seconds when given.
    Fail(u16, Option<u64>),
    /// No answer within any timeout.
    Stall,
    /// OpenAI's 400 for a parameter a reasoning model does not take, as it writes it.
    Refuse(&'static str),
}

type Script = dyn Fn(&Value) -> Answer + Send + Sync;

pub struct ModelStandIn {
    /// The `base_url` to configure: `http://127.0.0.1:<port>/v1`.
    pub base_url: String,
    pub requests: Arc<Mutex<Vec<(HeaderMap, Value)>>>,
}

impl ModelStandIn {
    /// Serves `script`, which sees each request's body.
    pub async fn start(script: impl Fn(&Value) -> Answer + Send + Sync + 'static) -> Self {
        let script: Arc<Script> = Arc::new(script);
        let requests: Arc<Mutex<Vec<(HeaderMap, Value)>>> = Arc::default();
        let seen = requests.clone();
        let app = axum::Router::new().route(
            "/v1/chat/completions",
            axum::routing::post(move |headers: HeaderMap, axum::Json(body): axum::Json<Value>| {
                let (script, seen) = (script.clone(), seen.clone());
                async move {
                    let answer = script(&body);
                    seen.lock().expect("requests").push((headers, body));
                    respond(answer).await
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the model stand-in");
        let base_url = format!("http://{}/v1", listener.local_addr().expect("address"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { base_url, requests }
    }

    pub fn count(&self) -> usize {
        self.requests.lock().expect("requests").len()
    }
}

async fn respond(answer: Answer) -> Response {
    let choice = |message: Value, finish: &str| {
        json!({
            "id": "chatcmpl-standin", "object": "chat.completion", "created": 1, "model": "stand-in",
            "choices": [{"index": 0, "finish_reason": finish, "message": message}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
        })
    };
    match answer {
        Answer::Say(text) => axum::Json(choice(json!({"role": "assistant", "content": text}), "stop")).into_response(),
        Answer::Call(calls) => {
            let calls: Vec<Value> = calls
                .iter()
                .enumerate()
                .map(|(i, (name, arguments))| {
                    json!({"id": format!("call_{i}"), "type": "function", "function": {"name": name, "arguments": arguments}})
                })
                .collect();
            axum::Json(choice(json!({"role": "assistant", "content": null, "tool_calls": calls}), "tool_calls"))
                .into_response()
        }
        Answer::Fail(status, retry_after) => {
            let kind = if status == 429 { "rate_limit_exceeded" } else { "server_error" };
            let body =
                json!({"error": {"message": format!("stand-in {kind}"), "type": kind, "param": null, "code": kind}});
            let mut response = (StatusCode::from_u16(status).expect("status"), axum::Json(body)).into_response();
            if let Some(s) = retry_after {
                response.headers_mut().insert("retry-after", s.to_string().parse().expect("header"));
            }
            response
        }
        Answer::Refuse(param) => {
            let (message, code) = match param {
                "max_tokens" => (
                    "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
                    "unsupported_parameter",
                ),
                _ => (
                    "Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.",
                    "unsupported_value",
                ),
            };
            let body =
                json!({"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}});
            (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
        }
        Answer::Stall => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
    }
}

/// The last message of a request (`user` text, or a `tool` result).
pub fn last(request: &Value) -> &Value {
    request["messages"].as_array().and_then(|m| m.last()).unwrap_or(&Value::Null)
}

/// The text of the request's last `user` message.
pub fn visitor(request: &Value) -> String {
    request["messages"]
        .as_array()
        .and_then(|m| m.iter().rev().find(|m| m["role"] == "user"))
        .and_then(|m| m["content"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// The tool results since the last `user` message, parsed.
pub fn tool_results(request: &Value) -> Vec<Value> {
    let messages = request["messages"].as_array().cloned().unwrap_or_default();
    let start = messages.iter().rposition(|m| m["role"] == "user").map_or(0, |i| i + 1);
    messages[start..]
        .iter()
        .filter(|m| m["role"] == "tool")
        .filter_map(|m| m["content"].as_str().and_then(|c| serde_json::from_str(c).ok()))
        .collect()
}
