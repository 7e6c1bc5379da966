//! Webhook secrets and signatures, two families on every delivery:
//! - Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`
//!   over `id.timestamp.body`), keyed with the base64-decoded part after `whsec_` as that
//!   spec says. During a rotation's grace period it carries one signature per secret.
//! - The CAAC-compatible `X-CAAC-Signature`: lowercase hex of HMAC-SHA256 over the raw body,
//!   keyed with the UTF-8 bytes of the whole secret string (`whsec_` included), which is
//!   what `crypto.createHmac("sha256", WEBHOOK_SIGNING_SECRET)` does in the CAAC docs'
//!   recipe. That recipe compares one signature, so the header holds exactly one: the
//!   previous secret's while a rotation's grace period lasts (receivers still hold it),
//!   the new one's after.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const PREFIX: &str = "whsec_";

/// A signing secret, `whsec_` + base64 of the key bytes. Never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    key: Vec<u8>,
    /// The text as the API hands it out: the CAAC signature's key.
    text: String,
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
        let text = format!("{PREFIX}{}", STANDARD.encode(&key));
        Self { key, text }
    }

    /// Parses `whsec_<base64>`, holding 24 to 64 bytes (Standard Webhooks asks for 24+).
    pub fn parse(text: &str) -> Result<Self, SecretError> {
        let text = text.trim();
        let encoded = text.strip_prefix(PREFIX).ok_or(SecretError::Format)?;
        let key = STANDARD.decode(encoded).map_err(|_| SecretError::Format)?;
        if !(24..=64).contains(&key.len()) {
            return Err(SecretError::Length);
        }
        Ok(Self { key, text: text.to_owned() })
    }

    /// The `whsec_…` text an admin copies into their receiver.
    pub fn expose(&self) -> String {
        self.text.clone()
    }

    fn mac(key: &[u8]) -> Hmac<Sha256> {
        // HMAC takes keys of any length; this cannot fail.
        Hmac::<Sha256>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
    }

    /// `v1,<base64>`: the Standard Webhooks signature of one delivery.
    pub fn standard_signature(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let mut mac = Self::mac(&self.key);
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }

    /// Lowercase hex HMAC-SHA256 of the raw body keyed with the whole secret string
    /// (`X-CAAC-Signature`).
    pub fn caac_signature(&self, body: &[u8]) -> String {
        let mut mac = Self::mac(self.text.as_bytes());
        mac.update(body);
        hex::encode(mac.finalize().into_bytes())
    }

    /// Whether `given` (hex) is this secret's CAAC signature of `body`, in constant time.
    fn caac_matches(&self, given: &str, body: &[u8]) -> bool {
        let Ok(given) = hex::decode(given) else { return false };
        let mut mac = Self::mac(self.text.as_bytes());
        mac.update(body);
        mac.verify_slice(&given).is_ok()
    }
}

/// The signature headers of one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeaders {
    pub webhook_id: String,
    pub webhook_timestamp: String,
    /// Space-separated `v1,…` signatures, one per secret.
    pub webhook_signature: String,
    /// One hex signature: the previous secret's during a grace period, else the current one's.
    pub caac_signature: String,
}

/// Signs one delivery. `secrets` is the current secret, then the previous one while a
/// rotation's grace period lasts; with none, nothing can be signed.
pub fn sign(secrets: &[&Secret], id: &str, timestamp: i64, body: &[u8]) -> Option<SignatureHeaders> {
    let caac = secrets.last()?;
    Some(SignatureHeaders {
        webhook_id: id.to_owned(),
        webhook_timestamp: timestamp.to_string(),
        webhook_signature: secrets
            .iter()
            .map(|s| s.standard_signature(id, timestamp, body))
            .collect::<Vec<_>>()
            .join(" "),
        caac_signature: caac.caac_signature(body),
    })
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
    /// No signature of the expected form (`v1,<base64>`, or one 64-digit hex signature for
    /// `X-CAAC-Signature`).
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
            Self::SignatureFormat => f.write_str(
                "no signature of the form v1,<base64> (or one 64-digit hex signature for X-CAAC-Signature)",
            ),
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
/// else `X-CAAC-Signature` as the CAAC recipe does (one hex signature, keyed with the
/// secret string). `now` is Unix seconds.
pub fn verify(secret: &str, got: &Received<'_>, now: i64) -> Result<(), VerifyError> {
    let secret = Secret::parse(secret).map_err(VerifyError::Secret)?;
    let Some(signatures) = got.webhook_signature else {
        let caac = got.caac_signature.ok_or(VerifyError::MissingHeader("webhook-signature"))?.trim();
        if caac.len() != 64 || !caac.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(VerifyError::SignatureFormat);
        }
        return if secret.caac_matches(caac, got.body) { Ok(()) } else { Err(VerifyError::Mismatch) };
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

    /// What `crypto.createHmac("sha256", SECRET).update(BODY).digest("hex")` prints in
    /// Node (the CAAC docs' recipe), computed there, not here.
    const CAAC_NODE: &str = "80ec8a89ce3cd22133a1066caecb4d04fea7467657c8514d717ec42c38a5c94c";

    #[test]
    fn the_caac_signature_is_the_node_recipe_over_the_whole_secret_string() {
        let secret = Secret::parse(SECRET).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(secret.caac_signature(BODY), CAAC_NODE);
        assert_eq!(Secret::parse(&format!("  {SECRET}\n")).map(|s| s.caac_signature(BODY)), Ok(CAAC_NODE.to_owned()));
        let (old, new) = (Secret::parse(SECRET).unwrap_or_else(|e| panic!("{e}")), Secret::from_bytes(vec![7; 32]));
        assert_eq!(Secret::parse(&new.expose()).map(|s| s.caac_signature(BODY)), Ok(new.caac_signature(BODY)));
        let one = sign(&[&new], "evt_1", AT, BODY).unwrap_or_else(|| panic!("signed"));
        assert_eq!(one.caac_signature, new.caac_signature(BODY));
        let grace = sign(&[&new, &old], "evt_1", AT, BODY).unwrap_or_else(|| panic!("signed"));
        assert_eq!(grace.caac_signature, CAAC_NODE, "the old secret's, alone, while the grace period lasts");
        assert_eq!(grace.webhook_signature.split(' ').count(), 2);
        assert_eq!(sign(&[], "evt_1", AT, BODY), None);
    }

    #[test]
    fn the_caac_header_alone_verifies_the_body() {
        assert_eq!(verify(SECRET, &caac(CAAC_NODE), 0), Ok(()));
        assert_eq!(verify(SECRET, &caac(&CAAC_NODE.to_uppercase()), 0), Ok(()));
        let two = format!("{CAAC_NODE},{CAAC_NODE}");
        assert_eq!(verify(SECRET, &caac(&two), 0), Err(VerifyError::SignatureFormat), "one signature only");
        assert_eq!(verify(SECRET, &caac("00"), 0), Err(VerifyError::SignatureFormat));
        assert_eq!(verify(SECRET, &caac(&"0".repeat(64)), 0), Err(VerifyError::Mismatch));
        let bare = Received { body: BODY, ..Default::default() };
        assert_eq!(verify(SECRET, &bare, 0), Err(VerifyError::MissingHeader("webhook-signature")));
    }
}
