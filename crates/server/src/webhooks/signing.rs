//! Webhook secrets and signatures: Standard Webhooks (`webhook-id`, `webhook-timestamp`,
//! `webhook-signature: v1,<base64>` over `id.timestamp.body`) and the CAAC-compatible
//! `X-CAAC-Signature` (hex HMAC-SHA256 of the raw body). During a secret rotation's grace
//! period a delivery carries a signature for each secret, so receivers holding either
//! one verify it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use rand::RngCore;
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
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("a webhook secret starts with whsec_ followed by base64")]
    Format,
    #[error("a webhook secret must hold 24 to 64 bytes")]
    Length,
}

impl Secret {
    /// A new random secret of 32 bytes.
    pub fn generate() -> Self {
        let mut key = vec![0u8; 32];
        rand::rng().fill_bytes(&mut key);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The two published Standard Webhooks test vectors (../shared/RECIPES.md).
    #[test]
    fn the_standard_webhooks_vectors_reproduce_exactly() {
        let vectors = [
            (
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1_614_265_330,
                r#"{"test": 2432232314}"#,
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            ),
            (
                "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
                "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
                1_649_367_553,
                r#"{"email":"test@example.com","username":"test_user"}"#,
                "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
            ),
        ];
        for (secret, id, timestamp, body, expected) in vectors {
            let secret = Secret::parse(secret).expect("valid secret");
            assert_eq!(secret.standard_signature(id, timestamp, body.as_bytes()), expected);
        }
    }

    /// The reference verifier accepts what we sign, during a rotation with either secret,
    /// and refuses a body with one byte changed.
    #[test]
    fn the_reference_verifier_accepts_our_signatures() {
        let (old, new) = (Secret::generate(), Secret::generate());
        let body = br#"{"id":"evt_1","event":"test","createdAt":"2027-01-01T00:00:00.000Z","data":{}}"#;
        let now = chrono::Utc::now().timestamp();
        let signed = sign(&[&new, &old], "evt_1", now, body);
        let mut headers = http::HeaderMap::new();
        headers.insert("webhook-id", signed.webhook_id.parse().expect("header"));
        headers.insert("webhook-timestamp", signed.webhook_timestamp.parse().expect("header"));
        headers.insert("webhook-signature", signed.webhook_signature.parse().expect("header"));
        for secret in [&old, &new] {
            let receiver = standardwebhooks::Webhook::new(&secret.expose()).expect("secret");
            assert!(receiver.verify(body, &headers).is_ok(), "a receiver with either secret verifies");
            let mut tampered = body.to_vec();
            tampered[10] ^= 1;
            assert!(receiver.verify(&tampered, &headers).is_err(), "a changed byte fails");
        }
        let stranger = standardwebhooks::Webhook::new(&Secret::generate().expose()).expect("secret");
        assert!(stranger.verify(body, &headers).is_err());
        let caac: Vec<&str> = signed.caac_signature.split(',').collect();
        assert_eq!(caac, [new.caac_signature(body), old.caac_signature(body)]);
    }

    #[test]
    fn secrets_round_trip_and_bad_ones_are_refused() {
        let s = Secret::generate();
        assert_eq!(Secret::parse(&s.expose()).expect("round trip"), s);
        assert_eq!(format!("{s:?}"), "Secret(redacted)");
        assert_eq!(Secret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), Err(SecretError::Format));
        assert_eq!(Secret::parse("whsec_not base64!"), Err(SecretError::Format));
        assert_eq!(Secret::parse("whsec_c2hvcnQ="), Err(SecretError::Length));
    }
}
