//! Field rules shared by several routes. The OpenAPI document states each of them
//! (`openapi_rules.rs`), and both must say the same: values are checked as sent (lengths
//! count the characters given, formatted values are not trimmed), then stored trimmed.

use serde_json::{Map, Value};

use switchboard_api::ErrorCode;

use crate::error::Error;

/// A phone number normalized to `+` and 6–15 digits (E.164); spaces, dashes, dots and
/// parentheses are dropped.
pub fn phone(raw: &str) -> Result<String, Error> {
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.')).collect();
    let digits = digits.strip_prefix('+').unwrap_or(&digits);
    if (6..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(format!("+{digits}"))
    } else {
        Err(Error::invalid("phone must be in international format, e.g. +14155550123"))
    }
}

/// An RFC 3339 time, normalized to the server's own format (UTC, milliseconds).
pub fn time(raw: &str, field: &str) -> Result<String, Error> {
    chrono::DateTime::parse_from_rfc3339(raw)
        .map(|t| crate::time::format(t.with_timezone(&chrono::Utc)))
        .map_err(|_| Error::invalid(format!("{field} must be an RFC 3339 time, e.g. 2027-01-31T09:00:00Z")))
}

/// Like [`time`], and later than now: a well-formed time in the past is not a bad
/// request but one that cannot be done now (`time_not_in_future`, 422).
pub fn future_time(raw: &str, field: &str) -> Result<String, Error> {
    let at = time(raw, field)?;
    if at <= crate::time::now() {
        return Err(Error::api(ErrorCode::TimeNotInFuture, format!("{field} must be in the future")));
    }
    Ok(at)
}

/// Text of at most `max` characters, stored trimmed; blank becomes `None`.
pub fn text(raw: &str, field: &str, max: usize) -> Result<Option<String>, Error> {
    if raw.chars().count() > max {
        return Err(Error::invalid(format!("{field} must be at most {max} characters")));
    }
    let t = raw.trim();
    Ok((!t.is_empty()).then(|| t.to_owned()))
}

/// Like [`text`], and not empty.
pub fn required_text(raw: &str, field: &str, max: usize) -> Result<String, Error> {
    text(raw, field, max)?.ok_or_else(|| Error::invalid(format!("{field} must not be empty")))
}

/// Like [`text`], for an optional field.
pub fn optional_text(raw: Option<&str>, field: &str, max: usize) -> Result<Option<String>, Error> {
    Ok(raw.map(|t| text(t, field, max)).transpose()?.flatten())
}

/// A plausible address: one `@` with text on both sides, no spaces, at most 254 characters.
pub fn email(raw: &str) -> Result<String, Error> {
    let e = raw;
    let ok = e.chars().count() <= 254
        && !e.contains(char::is_whitespace)
        && e.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.') && !host.contains('@'));
    if ok { Ok(e.to_lowercase()) } else { Err(Error::invalid("email is not a valid address")) }
}

/// Up to 50 attributes; keys 1–100 characters; values strings (≤ 1,000 characters),
/// numbers or booleans, or `null` where `allow_null` (a patch removing the key).
pub fn attributes(map: &Map<String, Value>, allow_null: bool) -> Result<(), Error> {
    if map.len() > 50 {
        return Err(Error::invalid("customAttributes may hold at most 50 keys"));
    }
    for (key, value) in map {
        if !key.chars().any(|c| !c.is_whitespace()) || key.chars().count() > 100 {
            return Err(Error::invalid("customAttributes keys must be 1 to 100 characters"));
        }
        let ok = match value {
            Value::String(s) => s.chars().count() <= 1000,
            Value::Number(_) | Value::Bool(_) => true,
            Value::Null => allow_null,
            Value::Array(_) | Value::Object(_) => false,
        };
        if !ok {
            return Err(Error::invalid(format!(
                "customAttributes.{key} must be a string of at most 1000 characters, a number or a boolean"
            )));
        }
    }
    Ok(())
}

/// An absolute `http` or `https` URL with a host, at most `max` characters.
pub fn url(raw: &str, field: &str, max: usize) -> Result<String, Error> {
    let u = raw;
    let ok = u.chars().count() <= max
        && !u.contains(char::is_whitespace)
        && ["https://", "http://"].iter().any(|scheme| {
            u.get(..scheme.len()).is_some_and(|s| s.eq_ignore_ascii_case(scheme))
                && u[scheme.len()..].split(['/', '?', '#']).next().is_some_and(|host| !host.is_empty())
        });
    if ok { Ok(u.to_owned()) } else { Err(Error::invalid(format!("{field} must be an http(s) URL"))) }
}

/// A template name as WhatsApp allows it: lowercase letters, digits and underscores,
/// 1–512 characters.
pub fn template_name(raw: &str) -> Result<String, Error> {
    let n = raw;
    if !n.is_empty() && n.len() <= 512 && n.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
        Ok(n.to_owned())
    } else {
        Err(Error::invalid("template name must be lowercase letters, digits and underscores"))
    }
}

/// A language code like `en`, `pt_BR` or `en-US` (normalized to `en_US`).
pub fn language(raw: &str) -> Result<String, Error> {
    let l = raw.replace('-', "_");
    let (lang, region) = l.split_once('_').map_or((l.as_str(), None), |(a, b)| (a, Some(b)));
    let lang_ok = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_alphabetic());
    let region_ok = region.is_none_or(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic()));
    if lang_ok && region_ok {
        Ok(match region {
            Some(r) => format!("{}_{}", lang.to_ascii_lowercase(), r.to_ascii_uppercase()),
            None => lang.to_ascii_lowercase(),
        })
    } else {
        Err(Error::invalid("language must be a code like en or pt_BR"))
    }
}

/// A colour as `#rrggbb`, lowercased.
pub fn color(raw: &str) -> Result<String, Error> {
    let c = raw;
    if c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(c.to_ascii_lowercase())
    } else {
        Err(Error::invalid("color must be #rrggbb"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_languages_and_colors() {
        assert!(url("https://example.com/a.jpg", "u", 100).is_ok());
        for bad in ["", "example.com", "ftp://x.test", "https://", "https:// x", "javascript:alert(1)"] {
            assert!(url(bad, "u", 100).is_err(), "{bad:?}");
        }
        assert_eq!(language("pt-br").expect("valid"), "pt_BR");
        assert!(language("english").is_err());
        assert_eq!(color("#AABBCC").expect("valid"), "#aabbcc");
        assert!(color("red").is_err());
        assert!(template_name("Welcome").is_err());
    }

    #[test]
    fn phone_numbers_are_normalized() {
        for input in ["+1 (415) 555-0123", "14155550123", " +1.415.555.0123 ", "(+1) 415 555 0123"] {
            assert_eq!(phone(input).expect(input), "+14155550123");
        }
        for bad in ["", "hello", "+12", "+1234567890123456", "+1 415 555 012a", "\t+14155550123", "1+4155550123"] {
            assert!(phone(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn emails_need_a_user_and_a_host() {
        assert_eq!(email("Ana@Example.COM").expect("valid"), "ana@example.com");
        for bad in ["", "ana", "@example.com", "ana@", "ana@localhost", "a na@example.com", "a@b@c.com", " ana@x.com"] {
            assert!(email(bad).is_err(), "{bad:?}");
        }
    }
}
