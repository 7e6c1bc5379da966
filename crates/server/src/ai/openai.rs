//! A composer backed by any server that speaks OpenAI's chat-completions API (hosted, or
//! local such as llama.cpp, Ollama or vLLM): the passages found go in the system message
//! and the model answers from them.

use std::time::Duration;

use async_trait::async_trait;
use serde_json::{Value, json};
use switchboard_api::ErrorCode;

use super::compose::{Composer, Draft, Evidence, Question};
use crate::error::Error;

/// Where the model is and which one.
#[derive(Clone)]
pub struct OpenAiSettings {
    /// e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8080/v1`.
    pub base_url: String,
    pub model: String,
    pub api_key: Option<String>,
    pub timeout: Duration,
}

impl std::fmt::Debug for OpenAiSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiSettings")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("timeout", &self.timeout)
            .finish()
    }
}

pub struct OpenAiComposer {
    settings: OpenAiSettings,
    client: reqwest::Client,
}

const INSTRUCTIONS: &str = "You answer customers of a business on WhatsApp or web chat. Answer in one to three \
short, friendly sentences, using only the sources below. If they do not answer the question, say you will check \
with the team. Offer to book when it fits. Never invent prices, times or policies.";

fn failed(why: impl std::fmt::Display) -> Error {
    Error::api(ErrorCode::AiUpstreamFailed, format!("the language model failed: {why}"))
}

impl OpenAiComposer {
    pub fn new(settings: OpenAiSettings) -> Result<Self, Error> {
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .build()
            .map_err(|e| Error::Task(format!("model client: {e}")))?;
        Ok(Self { settings, client })
    }

    fn messages(question: &Question, evidence: &[Evidence]) -> Value {
        let sources: Vec<String> = evidence
            .iter()
            .enumerate()
            .map(|(i, e)| format!("[{}] {}: {}", i + 1, e.passage.title, e.passage.text))
            .collect();
        let system = format!(
            "{INSTRUCTIONS}\n\nSources:\n{}",
            if sources.is_empty() { "(none)".to_owned() } else { sources.join("\n\n") }
        );
        let mut messages = vec![json!({"role": "system", "content": system})];
        for line in &question.history {
            let (role, text) = match line.split_once(": ") {
                Some(("contact", t)) => ("user", t),
                Some((_, t)) => ("assistant", t),
                None => ("user", line.as_str()),
            };
            messages.push(json!({"role": role, "content": text}));
        }
        messages.push(json!({"role": "user", "content": question.message}));
        Value::Array(messages)
    }
}

#[async_trait]
impl Composer for OpenAiComposer {
    async fn compose(&self, question: &Question, evidence: &[Evidence]) -> Result<Draft, Error> {
        let body = json!({
            "model": self.settings.model,
            "messages": Self::messages(question, evidence),
            "temperature": 0.2,
        });
        let url = format!("{}/chat/completions", self.settings.base_url.trim_end_matches('/'));
        let mut request = self.client.post(url).json(&body);
        if let Some(key) = &self.settings.api_key {
            request = request.bearer_auth(key);
        }
        let resp = request.send().await.map_err(|e| {
            if e.is_timeout() {
                failed(format!("no answer within {} s", self.settings.timeout.as_secs()))
            } else {
                failed("it could not be reached")
            }
        })?;
        let status = resp.status();
        let answer: Value = resp.json().await.map_err(|_| failed(format!("it answered {status} without JSON")))?;
        if !status.is_success() {
            let detail = answer["error"]["message"].as_str().unwrap_or("no detail");
            return Err(failed(format!("it answered {}: {detail}", status.as_u16())));
        }
        let reply = answer["choices"][0]["message"]["content"]
            .as_str()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .ok_or_else(|| failed("its answer had no message"))?;
        // The model does not say how sure it is; how well the sources matched does.
        let coverage = evidence.first().map_or(0.0, |e| e.coverage);
        Ok(Draft { reply: reply.to_owned(), confidence: if evidence.is_empty() { 0.2 } else { 0.35 + 0.6 * coverage } })
    }
}
