//! What a message gives besides its question: who is writing (a name), how to reach them
//! (an email, a phone number) and when they would like to come.

pub mod contact;
mod dates;
pub mod name;
pub mod name_beside;
pub mod when;

pub use contact::{email, email_at, phone, phone_at};
pub use name::{bare_name, name};
pub use name_beside::name_beside;
pub use when::{When, when};
