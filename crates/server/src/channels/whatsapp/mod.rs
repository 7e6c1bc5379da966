//! The WhatsApp Cloud API channel. So far: reading and verifying Meta's webhook
//! notifications. The routes, the channel's configuration and sending come next (issue 5).

pub mod inbound;
pub mod signature;
