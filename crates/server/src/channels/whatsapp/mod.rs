//! The WhatsApp Cloud API channel: Meta's webhook notifications (verified, parsed) and
//! sending through the Graph API.

pub mod graph;
pub mod inbound;
pub mod signature;
