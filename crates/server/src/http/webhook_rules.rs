//! What a webhook endpoint's settings may be.

use std::collections::BTreeMap;

use switchboard_api::{ErrorCode, WebhookEventType};

use super::validate;
use crate::error::Error;
use crate::webhooks::signing::Secret;
use crate::webhooks::ssrf::TargetPolicy;

pub const MAX_URL: usize = 2048;
pub const MAX_DESCRIPTION: usize = 500;
const MAX_HEADERS: usize = 20;

/// Custom headers by lowercase name.
pub type Headers = BTreeMap<String, String>;

/// An http(s) URL whose host is not a refused address.
pub fn url(raw: &str, policy: TargetPolicy) -> Result<String, Error> {
    let url = validate::url(raw, "url", MAX_URL)?;
    let parsed = reqwest::Url::parse(&url).map_err(|_| Error::invalid("url must be an http(s) URL"))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::invalid("url must not carry credentials; use custom headers"));
    }
    policy
        .check_host(parsed.host_str().unwrap_or_default())
        .map_err(|refused| Error::api(ErrorCode::UrlNotAllowed, format!("url: {refused}")))?;
    Ok(url)
}

/// A list of events: not empty, without `test` (which goes to every endpoint), deduplicated.
pub fn events(list: Vec<WebhookEventType>, field: &str) -> Result<Vec<WebhookEventType>, Error> {
    if list.is_empty() {
        return Err(Error::invalid(format!("{field} must name at least one event (omit events for all)")));
    }
    if list.contains(&WebhookEventType::Test) {
        return Err(Error::invalid(format!("{field}: test events go to every endpoint and are not chosen")));
    }
    let mut unique = Vec::with_capacity(list.len());
    for e in list {
        if !unique.contains(&e) {
            unique.push(e);
        }
    }
    Ok(unique)
}

pub fn secret(raw: &str) -> Result<String, Error> {
    // Exactly as given: the CAAC signature is keyed with this very string.
    Some(raw)
        .filter(|r| r.trim() == *r)
        .and_then(|r| Secret::parse(r).ok())
        .map(|s| s.expose())
        .ok_or(())
        .map_err(|_| Error::invalid("secret must be whsec_ followed by base64 of 24 to 64 random bytes"))
}

/// Header names are HTTP tokens; names the delivery sets itself are refused.
pub fn headers(map: Headers) -> Result<Headers, Error> {
    if map.len() > MAX_HEADERS {
        return Err(Error::invalid(format!("headers may hold at most {MAX_HEADERS} entries")));
    }
    let mut clean = BTreeMap::new();
    for (name, value) in map {
        let lower = name.to_ascii_lowercase();
        let token = !lower.is_empty()
            && lower.len() <= 64
            && lower.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !token {
            return Err(Error::invalid(format!("headers: {name:?} is not a valid header name")));
        }
        let reserved = ["content-type", "content-length", "host", "user-agent", "connection", "transfer-encoding"];
        if reserved.contains(&lower.as_str()) || lower.starts_with("webhook-") || lower.starts_with("x-caac-") {
            return Err(Error::invalid(format!("headers: {lower} is set by every delivery and cannot be replaced")));
        }
        if value.chars().count() > 1000 || !value.bytes().all(|b| b == b'\t' || (0x20..0x7f).contains(&b)) {
            return Err(Error::invalid(format!("headers.{lower} must be printable ASCII of at most 1000 characters")));
        }
        clean.insert(lower, value.trim().to_owned());
    }
    Ok(clean)
}

pub fn in_range(value: u32, field: &str, min: u32, max: u32) -> Result<u32, Error> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(Error::invalid(format!("{field} must be from {min} to {max}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_public_unless_loopback_is_allowed() {
        let strict = TargetPolicy::default();
        assert!(url("https://hooks.example.com/in", strict).is_ok());
        for (bad, code) in [
            ("http://127.0.0.1:9000/hook", ErrorCode::UrlNotAllowed),
            ("http://localhost/hook", ErrorCode::UrlNotAllowed),
            ("http://169.254.169.254/latest/meta-data", ErrorCode::UrlNotAllowed),
            ("http://[::1]/x", ErrorCode::UrlNotAllowed),
            ("http://10.0.0.5/x", ErrorCode::UrlNotAllowed),
            ("ftp://example.com/x", ErrorCode::InvalidParameter),
            ("https://user:pass@example.com/x", ErrorCode::InvalidParameter),
        ] {
            assert_eq!(url(bad, strict).expect_err(bad).code(), code, "{bad}");
        }
        assert!(url("http://127.0.0.1:9000/hook", TargetPolicy { allow_loopback: true }).is_ok());
    }

    #[test]
    fn headers_cannot_forge_signatures() {
        for name in ["webhook-signature", "X-CAAC-Signature", "Content-Type", "bad name", ""] {
            let map = BTreeMap::from([(name.to_owned(), "v".to_owned())]);
            assert!(headers(map).is_err(), "{name:?}");
        }
        let map = BTreeMap::from([("X-Api-Token".to_owned(), "abc\r\nX-Evil: 1".to_owned())]);
        assert!(headers(map).is_err());
        let map = BTreeMap::from([("X-Api-Token".to_owned(), " abc ".to_owned())]);
        assert_eq!(headers(map).expect("valid")["x-api-token"], "abc");
    }

    #[test]
    fn event_lists_are_checked() {
        assert!(events(vec![], "events").is_err());
        assert!(events(vec![WebhookEventType::Test], "events").is_err());
        let list = vec![WebhookEventType::LeadCaptured, WebhookEventType::LeadCaptured];
        assert_eq!(events(list, "events").expect("valid"), vec![WebhookEventType::LeadCaptured]);
    }
}
