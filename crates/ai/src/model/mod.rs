//! A language model behind an OpenAI-compatible chat-completions API: the client (with
//! retries), the `/ai/reply` composer, and the tool-calling agent with its tools.

pub mod agent;
mod client;
mod composer;
pub mod tools;

pub use client::{Backoff, ModelClient, ModelMessage, ModelSettings, ToolCall};
pub use composer::ModelComposer;
