//! Where conversations come from and where replies go: WhatsApp Cloud API numbers, the
//! web-chat widget, and the local workspace's sandbox number.

pub mod config;
pub mod sender;
pub mod whatsapp;
