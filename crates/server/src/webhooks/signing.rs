//! Webhook secrets and signatures: the format lives with the wire types
//! (`switchboard_api::signature`), so receivers' tools (the desktop's signature checker)
//! verify exactly what the server signs. Making secrets is the server's alone.

use rand::RngCore;
pub use switchboard_api::signature::{Secret, SecretError, SignatureHeaders, sign};

/// A new random secret of 32 bytes.
pub fn generate() -> Secret {
    let mut key = vec![0u8; 32];
    rand::rng().fill_bytes(&mut key);
    Secret::from_bytes(key)
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
        let (old, new) = (generate(), generate());
        let body = br#"{"id":"evt_1","event":"test","createdAt":"2027-01-01T00:00:00.000Z","data":{}}"#;
        let now = chrono::Utc::now().timestamp();
        let signed = sign(&[&new, &old], "evt_1", now, body).expect("signed");
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
        let stranger = standardwebhooks::Webhook::new(&generate().expose()).expect("secret");
        assert!(stranger.verify(body, &headers).is_err());
        assert_eq!(signed.caac_signature, old.caac_signature(body), "the old secret's until the grace ends");
    }

    #[test]
    fn secrets_round_trip_and_bad_ones_are_refused() {
        let s = generate();
        assert_eq!(Secret::parse(&s.expose()).expect("round trip"), s);
        assert_eq!(format!("{s:?}"), "Secret(redacted)");
        assert_eq!(Secret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), Err(SecretError::Format));
        assert_eq!(Secret::parse("whsec_not base64!"), Err(SecretError::Format));
        assert_eq!(Secret::parse("whsec_c2hvcnQ="), Err(SecretError::Length));
    }
}
