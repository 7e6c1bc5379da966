//! Outbound webhooks (issue 4): signing first; endpoints, the durable queue and the
//! delivery workers build on it.

pub mod signing;
