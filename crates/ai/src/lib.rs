//! The AI engine. Retrieval (BM25) over a business's knowledge and a composer answer
//! questions (`/ai/reply`); the agent decides what to do about a visitor's message (answer,
//! record a lead or a booking request, hand over) either with the built-in language
//! pipeline — no model, no downloads: the language a message is in, what it asks for and
//! gives, the business's services and opening hours read from its own knowledge, the
//! agent's sentences in the visitor's language — or with a model that calls tools.
//! The server reads what the engine needs and carries out what it decides in one
//! transaction; nothing here touches storage.

pub mod agent;
pub mod bm25;
pub mod business;
pub mod catalogue;
pub mod compose;
pub mod engine;
pub mod entities;
pub mod error;
pub mod fetch;
pub mod focus;
pub mod glossary;
pub mod hours;
pub mod import;
pub mod intent;
pub mod lang;
pub mod locale;
pub mod model;
pub mod phrases;
#[cfg(test)]
mod robustness;
pub mod sentiment;
pub mod site;
pub mod text;
pub mod topics;
pub mod warnings;
pub mod words;

pub use engine::{AiEngine, ReplyInput};
pub use error::AiError;
pub use lang::{Detected, Lang};
