//! Outbound webhooks: signing, where deliveries may go, when they are retried, and the
//! engine that sends them from the queue kept in the database (`db::webhook_queue`).

pub mod engine;
pub mod schedule;
pub mod signing;
pub mod ssrf;
