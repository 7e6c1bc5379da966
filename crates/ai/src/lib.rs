//! The built-in agent's language pipeline: no model, no downloads. It reads what a
//! visitor's message is in and asks for (a person, urgent help, a booking, a price, the
//! hours), what it gives (a name, a phone number, an email, a time), and what the
//! business offers (its services and opening hours, read from its own knowledge), and
//! says the agent's own sentences in the visitor's language.

pub mod catalogue;
pub mod entities;
pub mod glossary;
pub mod hours;
pub mod intent;
pub mod lang;
pub mod phrases;
#[cfg(test)]
mod robustness;
pub mod sentiment;
pub mod words;

pub use lang::{Detected, Lang};
