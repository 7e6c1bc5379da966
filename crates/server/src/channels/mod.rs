//! Where conversations come from: the WhatsApp Cloud API (and, to come, the web widget
//! and the sandbox number of the local workspace).

pub mod whatsapp;
