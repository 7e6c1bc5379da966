//! What of an answer may be kept for an idempotent replay: the answers that carry a
//! secret are kept without it (see `http::idempotency::Sensitive`). The database's own
//! upgrade (`db::sealed`) rewrites answers older versions kept the same way.

/// An answer as it may be kept: no secret, and no custom header values (receivers'
/// credentials travel there).
pub fn withhold(mut value: serde_json::Value) -> Option<serde_json::Value> {
    let object = value.as_object_mut()?;
    if object.contains_key("secret") {
        object.insert("secret".into(), serde_json::Value::Null);
        object.insert("secretWithheld".into(), serde_json::json!(switchboard_api::SecretWithheld::ShownOnce));
    }
    blank_headers(&mut value);
    if let Some(endpoint) = value.get_mut("endpoint") {
        blank_headers(endpoint);
    }
    Some(value)
}

fn blank_headers(value: &mut serde_json::Value) {
    if let Some(headers) = value.get_mut("headers").and_then(serde_json::Value::as_object_mut) {
        headers.values_mut().for_each(|v| *v = serde_json::Value::String(String::new()));
    }
}
