//! Webhook secrets and signatures: Standard Webhooks (`webhook-id`, `webhook-timestamp`,
//! `webhook-signature: v1,<base64>` over `id.timestamp.body`) and the CAAC-compatible
//! `X-CAAC-Signature` (hex HMAC-SHA256 of the raw body). During a secret rotation's grace
//! period a delivery carries a signature for each secret, so receivers holding either
//! one verify it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const PREFIX: &str = "whsec_";

/// A signing secret, `whsec_` + base64 of the key bytes. Never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    key: Vec<u8>,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

/// Why a secret given by an admin was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretError {
    Format,
    Length,
}

impl std::fmt::Display for SecretError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Format => "a webhook secret starts with whsec_ followed by base64",
            Self::Length => "a webhook secret must hold 24 to 64 bytes",
        })
    }
}

impl std::error::Error for SecretError {}

impl Secret {
    /// A secret of these bytes (the server makes 32 random ones).
    pub fn from_bytes(key: Vec<u8>) -> Self {
        Self { key }
    }

    /// Parses `whsec_<base64>`, holding 24 to 64 bytes (Standard Webhooks asks for 24+).
    pub fn parse(text: &str) -> Result<Self, SecretError> {
        let encoded = text.trim().strip_prefix(PREFIX).ok_or(SecretError::Format)?;
        let key = STANDARD.decode(encoded).map_err(|_| SecretError::Format)?;
        if !(24..=64).contains(&key.len()) {
            return Err(SecretError::Length);
        }
        Ok(Self { key })
    }

    /// The `whsec_…` text an admin copies into their receiver.
    pub fn expose(&self) -> String {
        format!("{PREFIX}{}", STANDARD.encode(&self.key))
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC takes keys of any length; this cannot fail.
        Hmac::<Sha256>::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
    }

    /// `v1,<base64>`: the Standard Webhooks signature of one delivery.
    pub fn standard_signature(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let mut mac = self.mac();
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }

    /// Hex HMAC-SHA256 of the raw body (`X-CAAC-Signature`).
    pub fn caac_signature(&self, body: &[u8]) -> String {
        let mut mac = self.mac();
        mac.update(body);
        hex::encode(mac.finalize().into_bytes())
    }
}

/// The signature headers of one delivery attempt. `secrets` is the current secret, then
/// the previous one while a rotation's grace period lasts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeaders {
    pub webhook_id: String,
    pub webhook_timestamp: String,
    /// Space-separated `v1,…` signatures, one per secret.
    pub webhook_signature: String,
    /// Comma-separated hex signatures, one per secret, current first.
    pub caac_signature: String,
}

pub fn sign(secrets: &[&Secret], id: &str, timestamp: i64, body: &[u8]) -> SignatureHeaders {
    SignatureHeaders {
        webhook_id: id.to_owned(),
        webhook_timestamp: timestamp.to_string(),
        webhook_signature: secrets
            .iter()
            .map(|s| s.standard_signature(id, timestamp, body))
            .collect::<Vec<_>>()
            .join(" "),
        caac_signature: secrets.iter().map(|s| s.caac_signature(body)).collect::<Vec<_>>().join(","),
    }
}

/// How far a delivery's timestamp may be from now (Standard Webhooks' recommendation).
pub const TOLERANCE_SECONDS: i64 = 300;

/// Why a delivery does not verify, in the order a receiver checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    Secret(SecretError),
    /// A header a signed delivery carries is not there.
    MissingHeader(&'static str),
    Timestamp,
    /// The timestamp is this many seconds from now (replayed, or a clock is off).
    OutsideTolerance(i64),
    /// No signature of the expected form (`v1,<base64>`, or hex for `X-CAAC-Signature`).
    SignatureFormat,
    /// Well-formed, but made with another secret or over another body.
    Mismatch,
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Secret(e) => write!(f, "the secret is not usable: {e}"),
            Self::MissingHeader(h) => write!(f, "the {h} header is missing"),
            Self::Timestamp => f.write_str("webhook-timestamp is not a number of seconds"),
            Self::OutsideTolerance(s) => write!(
                f,
                "the timestamp is {} seconds {} now, more than the {TOLERANCE_SECONDS} s a receiver accepts",
                s.abs(),
                if *s < 0 { "before" } else { "after" }
            ),
            Self::SignatureFormat => f.write_str("no signature of the form v1,<base64> (or hex for X-CAAC-Signature)"),
            Self::Mismatch => f.write_str(
                "no signature matches: the body was changed (even whitespace counts) or it was signed with another secret",
            ),
        }
    }
}

impl std::error::Error for VerifyError {}

/// What a receiver got: the signature headers (as sent; absent ones `None`) and the raw body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Received<'a> {
    pub webhook_id: Option<&'a str>,
    pub webhook_timestamp: Option<&'a str>,
    pub webhook_signature: Option<&'a str>,
    pub caac_signature: Option<&'a str>,
    pub body: &'a [u8],
}

/// Checks a delivery the way a receiver does: the Standard Webhooks headers when present,
/// else `X-CAAC-Signature`. `now` is Unix seconds.
pub fn verify(secret: &str, got: &Received<'_>, now: i64) -> Result<(), VerifyError> {
    let secret = Secret::parse(secret).map_err(VerifyError::Secret)?;
    let Some(signatures) = got.webhook_signature else {
        let caac = got.caac_signature.ok_or(VerifyError::MissingHeader("webhook-signature"))?;
        let expected = secret.caac_signature(got.body);
        let given: Vec<&str> = caac.split(',').map(str::trim).collect();
        if !given.iter().all(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())) {
            return Err(VerifyError::SignatureFormat);
        }
        return if given.iter().any(|s| s.eq_ignore_ascii_case(&expected)) {
            Ok(())
        } else {
            Err(VerifyError::Mismatch)
        };
    };
    let id = got.webhook_id.ok_or(VerifyError::MissingHeader("webhook-id"))?;
    let timestamp = got.webhook_timestamp.ok_or(VerifyError::MissingHeader("webhook-timestamp"))?;
    let timestamp: i64 = timestamp.trim().parse().map_err(|_| VerifyError::Timestamp)?;
    let off = timestamp - now;
    if off.abs() > TOLERANCE_SECONDS {
        return Err(VerifyError::OutsideTolerance(off));
    }
    let expected = secret.standard_signature(id.trim(), timestamp, got.body);
    let given: Vec<&str> = signatures.split_whitespace().filter(|s| s.starts_with("v1,")).collect();
    if given.is_empty() {
        return Err(VerifyError::SignatureFormat);
    }
    if given.contains(&expected.as_str()) { Ok(()) } else { Err(VerifyError::Mismatch) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const AT: i64 = 1_614_265_330;
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    fn received<'a>(signature: &'a str, timestamp: &'a str, body: &'a [u8]) -> Received<'a> {
        Received {
            webhook_id: Some(ID),
            webhook_timestamp: Some(timestamp),
            webhook_signature: Some(signature),
            caac_signature: None,
            body,
        }
    }

    #[test]
    fn the_published_vector_verifies_and_every_fault_is_named() {
        let at = AT.to_string();
        assert_eq!(verify(SECRET, &received(SIGNATURE, &at, BODY), AT + 10), Ok(()));
        let both = format!("v1,bm90IGl0 {SIGNATURE}");
        assert_eq!(verify(SECRET, &received(&both, &at, BODY), AT), Ok(()), "any one of several signatures");
        assert_eq!(
            verify(SECRET, &received(SIGNATURE, &at, br#"{"test":2432232314}"#), AT),
            Err(VerifyError::Mismatch)
        );
        let other = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
        assert_eq!(verify(other, &received(SIGNATURE, &at, BODY), AT), Err(VerifyError::Mismatch));
        assert_eq!(verify(SECRET, &received(SIGNATURE, &at, BODY), AT + 301), Err(VerifyError::OutsideTolerance(-301)));
        assert_eq!(verify(SECRET, &received(SIGNATURE, "soon", BODY), AT), Err(VerifyError::Timestamp));
        assert_eq!(verify(SECRET, &received("g0hM9SsE", &at, BODY), AT), Err(VerifyError::SignatureFormat));
        assert_eq!(
            verify("MfKQ9r8G", &received(SIGNATURE, &at, BODY), AT),
            Err(VerifyError::Secret(SecretError::Format))
        );
        let no_id = Received { webhook_id: None, ..received(SIGNATURE, &at, BODY) };
        assert_eq!(verify(SECRET, &no_id, AT), Err(VerifyError::MissingHeader("webhook-id")));
    }

    fn caac(signature: &str) -> Received<'_> {
        Received { caac_signature: Some(signature), body: BODY, ..Default::default() }
    }

    #[test]
    fn the_caac_header_alone_verifies_the_body() {
        let secret = Secret::parse(SECRET).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(verify(SECRET, &caac(&secret.caac_signature(BODY)), 0), Ok(()));
        assert_eq!(verify(SECRET, &caac("00"), 0), Err(VerifyError::SignatureFormat));
        assert_eq!(verify(SECRET, &caac(&"0".repeat(64)), 0), Err(VerifyError::Mismatch));
        let bare = Received { body: BODY, ..Default::default() };
        assert_eq!(verify(SECRET, &bare, 0), Err(VerifyError::MissingHeader("webhook-signature")));
    }
}
