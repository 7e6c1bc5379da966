//! Meta signs every webhook notification with the app secret: `X-Hub-Signature-256:
//! sha256=<hex HMAC-SHA256 of the raw body>`. Nothing from a request that fails this is
//! read or stored. The subscription handshake is a GET echoing `hub.challenge` when
//! `hub.verify_token` is ours.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Whether `header` is the app secret's signature of exactly `body`.
pub fn verify(app_secret: &str, body: &[u8], header: Option<&str>) -> bool {
    let Some(hex_sig) = header.and_then(|h| h.trim().strip_prefix("sha256=")) else { return false };
    let Ok(expected) = hex::decode(hex_sig) else { return false };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()) else { return false };
    mac.update(body);
    // `verify_slice` compares in constant time.
    mac.verify_slice(&expected).is_ok()
}

/// The challenge to echo, when the handshake is a subscription with our verify token.
pub fn challenge<'a>(
    mode: Option<&str>,
    token: Option<&str>,
    challenge: Option<&'a str>,
    verify_token: &str,
) -> Option<&'a str> {
    let token_ok = token.is_some_and(|t| constant_time_eq(t.as_bytes(), verify_token.as_bytes()));
    (mode == Some("subscribe") && token_ok && !verify_token.is_empty()).then_some(challenge).flatten()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(secret: &str, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
        mac.update(body);
        format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
    }

    #[test]
    fn only_the_app_secrets_signature_of_the_exact_body_passes() {
        let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
        let good = sign("app-secret", body);
        assert!(verify("app-secret", body, Some(&good)));
        assert!(!verify("other-secret", body, Some(&good)));
        let mut changed = body.to_vec();
        changed[3] ^= 1;
        assert!(!verify("app-secret", &changed, Some(&good)));
        for bad in [None, Some(""), Some("sha256="), Some("sha1=abcd"), Some("sha256=zz"), Some(&good[..20])] {
            assert!(!verify("app-secret", body, bad), "{bad:?}");
        }
    }

    #[test]
    fn the_handshake_echoes_only_for_our_token() {
        assert_eq!(challenge(Some("subscribe"), Some("tok"), Some("1158201444"), "tok"), Some("1158201444"));
        assert_eq!(challenge(Some("subscribe"), Some("nope"), Some("1158201444"), "tok"), None);
        assert_eq!(challenge(Some("unsubscribe"), Some("tok"), Some("1"), "tok"), None);
        assert_eq!(challenge(Some("subscribe"), Some(""), Some("1"), ""), None, "an unset token never matches");
        assert_eq!(challenge(Some("subscribe"), Some("tok"), None, "tok"), None);
    }
}
