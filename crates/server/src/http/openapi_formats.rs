//! The formats the OpenAPI rules are made of: text lengths, patterns for emails, phones,
//! URLs, header names and the rest, each saying what `validate.rs` checks, in a form every
//! regex engine (ECMA-262, Python's, Rust's) reads the same.

use serde_json::{Value, json};

use super::openapi_rules::merge;

/// Whitespace as Rust's `char::is_whitespace` knows it, spelled out so that every regex
/// engine (ECMA-262, Python's, Rust's) reads the same class.
pub(super) const WS: &str = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// Text of at most `max` characters; blank means none.
pub(super) fn text(max: usize) -> Value {
    json!({"maxLength": max})
}

/// Text with something visible in it, at most `max` characters.
pub(super) fn visible_text(max: usize) -> Value {
    json!({"minLength": 1, "maxLength": max, "pattern": format!("[^{WS}]")})
}

/// One of `names`, or null.
pub(super) fn or_null<S: Into<Value>>(names: Vec<S>) -> Value {
    let mut all: Vec<Value> = names.into_iter().map(Into::into).collect();
    all.push(Value::Null);
    json!({"enum": all})
}

/// `rule` for a value that must be a string (list items, map keys), where the rule is
/// not merged into a schema that already says so.
pub(super) fn string(rule: Value) -> Value {
    let mut schema = json!({"type": "string"});
    merge(&mut schema, rule);
    schema
}

/// One `@`, something before it, a dot after it, no whitespace (`validate::email`).
pub(super) fn email() -> Value {
    json!({"maxLength": 254, "pattern": format!("^[^@{WS}]+@[^@{WS}]*\\.[^@{WS}]*$")})
}

/// 6–15 digits, an optional leading `+`, spaces, dashes, dots and parentheses between
/// (`validate::phone`).
pub(super) const PHONE: &str = r"[ ().\-]*\+?(?:[ ().\-]*[0-9]){6,15}[ ().\-]*";

pub(super) fn phone() -> Value {
    json!({"pattern": format!("^{PHONE}$")})
}

pub(super) fn time() -> Value {
    json!({"format": "date-time"})
}

/// An absolute http(s) URL with a host (`validate::url`).
pub(super) fn url(max: usize) -> Value {
    json!({"maxLength": max, "pattern": format!("^[Hh][Tt][Tt][Pp][Ss]?://[^/?#{WS}][^{WS}]*$")})
}

/// A webhook target: an http(s) URL without a user or password in it (credentials go in
/// custom headers).
pub(super) fn webhook_url() -> Value {
    json!({"maxLength": 2048, "pattern": format!("^[Hh][Tt][Tt][Pp][Ss]?://[^/?#@{WS}]+(?:[/?#][^{WS}]*)?$")})
}

pub(super) fn color() -> Value {
    json!({"pattern": "^#[0-9A-Fa-f]{6}$"})
}

pub(super) fn language() -> Value {
    json!({"pattern": "^[A-Za-z]{2,3}(?:[_-][A-Za-z]{2})?$"})
}

pub(super) fn template_name() -> Value {
    json!({"pattern": "^[a-z0-9_]{1,512}$"})
}

/// A `whsec_` secret: canonical base64 of 24 to 64 bytes (8 to 21 groups of four
/// characters, or 8 to 20 and a padded group; the padded group's last character carries
/// no stray bits).
pub(super) fn webhook_secret() -> Value {
    const B: &str = "[A-Za-z0-9+/]";
    json!({"pattern": format!(
        "^whsec_(?:(?:{B}{{4}}){{8,21}}|(?:{B}{{4}}){{8,20}}{B}{{2}}[AEIMQUYcgkosw048]=|(?:{B}{{4}}){{8,21}}{B}[AQgw]==)$"
    )})
}

/// A token pasted from Meta: visible ASCII, no spaces.
pub(super) fn token() -> Value {
    json!({"minLength": 1, "maxLength": 1024, "pattern": "^[!-~]+$"})
}

/// Any case of `text` as a regex: `[Cc][Oo]…`.
pub(super) fn any_case(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphabetic() {
                format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase())
            } else {
                regex_escape(c)
            }
        })
        .collect()
}

pub(super) fn regex_escape(c: char) -> String {
    if "\\.^$|?*+()[]{}-/".contains(c) { format!("\\{c}") } else { c.to_string() }
}

/// A webhook's custom headers: HTTP token names, not one a delivery sets itself, and
/// printable ASCII values (`webhook_rules::headers`).
pub(super) fn webhook_headers() -> Value {
    let reserved = ["content-type", "content-length", "host", "user-agent", "connection", "transfer-encoding"]
        .iter()
        .map(|h| any_case(h))
        .chain(["webhook-", "x-caac-"].iter().map(|p| format!("{}.*", any_case(p))))
        .collect::<Vec<_>>()
        .join("|");
    json!({
        "maxProperties": 20,
        "propertyNames": {"type": "string", "pattern": "^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$",
                          "not": {"pattern": format!("^(?:{reserved})$")}},
        "additionalProperties": {"type": "string", "maxLength": 1000, "pattern": "^[\\t\\x20-\\x7e]*$"}
    })
}

/// A webhook's event lists: not empty, and never `test` (which every endpoint gets).
pub(super) fn webhook_events() -> Value {
    json!({"minItems": 1, "not": {"contains": {"const": "test"}}})
}

/// Custom attributes: up to 50, keys with something visible in them, values short
/// strings, numbers or booleans (and `null`, removing the key, in a patch).
pub(super) fn attributes(nullable: bool) -> Value {
    let mut values =
        vec![json!({"type": "string", "maxLength": 1000}), json!({"type": "number"}), json!({"type": "boolean"})];
    if nullable {
        values.push(json!({"type": "null"}));
    }
    json!({
        "maxProperties": 50,
        "propertyNames": string(visible_text(100)),
        "additionalProperties": {"anyOf": values}
    })
}
