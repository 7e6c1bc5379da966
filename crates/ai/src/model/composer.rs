//! `/ai/reply` with a model: the passages found go in the system message and the model
//! answers from them, without tools (a draft changes nothing).

use std::sync::Arc;

use async_trait::async_trait;
use serde_json::{Value, json};

use super::ModelClient;
use crate::compose::{Composer, Draft, Evidence, Question};
use crate::error::AiError;

const INSTRUCTIONS: &str = "You answer customers of a business on WhatsApp or web chat. Answer in the customer's \
language, in one to three short, friendly sentences, using only the sources below. If they do not answer the \
question, say you will check with the team. Offer to book when it fits. Never invent prices, times or policies.";

pub struct ModelComposer {
    model: Arc<ModelClient>,
}

impl ModelComposer {
    pub fn new(model: Arc<ModelClient>) -> Self {
        Self { model }
    }

    fn messages(question: &Question, evidence: &[Evidence]) -> Vec<Value> {
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
        messages
    }
}

#[async_trait]
impl Composer for ModelComposer {
    async fn compose(&self, question: &Question, evidence: &[Evidence]) -> Result<Draft, AiError> {
        let answer = self.model.chat(&Self::messages(question, evidence), &[]).await?;
        let reply = answer.content.ok_or_else(|| AiError::upstream("its answer had no message"))?;
        // The model does not say how sure it is; how well the sources matched does.
        let coverage = evidence.first().map_or(0.0, |e| e.coverage);
        Ok(Draft { reply, confidence: if evidence.is_empty() { 0.2 } else { 0.35 + 0.6 * coverage } })
    }
}
