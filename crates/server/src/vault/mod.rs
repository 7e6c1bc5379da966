//! Secrets the server must use again — webhook signing secrets, channel tokens — are kept
//! sealed: XChaCha20-Poly1305 under a server key that is not in the database (a file with
//! owner-only permissions, or `SWITCHBOARD_SECRET_KEY`). Someone holding a copy of the
//! database, its WAL or a backup learns none of them. API keys are not here: the server
//! never needs them back, so it keeps only their hash.
//!
//! A sealed value is `sealed:v1:<key id>:<base64 of nonce and ciphertext>`. The key id (the
//! first bytes of the key's SHA-256) says which key sealed it, so a rotation can read old
//! values while it rewrites them. Each value is bound to where it belongs (`context`, e.g.
//! `webhook:<id>`): moved to another row it no longer opens.

mod keyfile;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub use keyfile::{SecretKeySource, load, retire_old_keys, rotate_file};

const PREFIX: &str = "sealed:v1:";
const NONCE: usize = 24;
/// Names the environment variable an operator may hold the keys in instead of a file.
pub const ENV_KEYS: &str = "SWITCHBOARD_SECRET_KEY";

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the server key file {path} cannot be used: {why}")]
    KeyFile { path: String, why: String },
    #[error("{ENV_KEYS} holds no usable key: {0}")]
    Env(String),
    #[error(
        "a stored secret was sealed with server key {0}, which is not among the keys this server was given; \
         start it with the key file (or {ENV_KEYS}) the database was used with"
    )]
    UnknownKey(String),
    #[error("a stored secret does not open with the server key (it was changed, or moved from another row)")]
    Corrupt,
}

struct ServerKey {
    id: String,
    cipher: XChaCha20Poly1305,
}

/// The server's keys: the first seals, every one opens.
pub struct Vault {
    keys: Vec<ServerKey>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("current", &self.current_id()).finish()
    }
}

/// A random 32-byte key.
pub fn new_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    key
}

fn key_id(key: &[u8; 32]) -> String {
    hex::encode(&Sha256::digest(key)[..4])
}

impl Vault {
    /// A vault over `keys`, the first sealing. At least one key.
    pub fn new(keys: &[[u8; 32]]) -> Option<Self> {
        let keys: Vec<ServerKey> = keys.iter().map(|k| ServerKey::from(*k)).collect();
        (!keys.is_empty()).then_some(Self { keys })
    }

    /// A vault with a key of its own that nothing keeps: for tests and throwaway databases.
    pub fn ephemeral() -> Self {
        Self { keys: vec![ServerKey::from(new_key())] }
    }

    /// The id of the key that seals.
    pub fn current_id(&self) -> &str {
        &self.keys[0].id
    }

    /// How many keys only open (a rotation not finished).
    pub fn old_keys(&self) -> usize {
        self.keys.len() - 1
    }

    pub fn seal(&self, context: &str, plaintext: &str) -> Result<String, VaultError> {
        let key = &self.keys[0];
        let mut nonce = [0u8; NONCE];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = key
            .cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext.as_bytes(), aad: context.as_bytes() })
            .map_err(|_| VaultError::Corrupt)?;
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        Ok(format!("{PREFIX}{}:{}", key.id, STANDARD.encode(bytes)))
    }

    pub fn unseal(&self, context: &str, stored: &str) -> Result<String, VaultError> {
        let (id, encoded) = split(stored).ok_or(VaultError::Corrupt)?;
        let key = self.keys.iter().find(|k| k.id == id).ok_or_else(|| VaultError::UnknownKey(id.to_owned()))?;
        let bytes = STANDARD.decode(encoded).map_err(|_| VaultError::Corrupt)?;
        if bytes.len() < NONCE {
            return Err(VaultError::Corrupt);
        }
        let (nonce, sealed) = bytes.split_at(NONCE);
        let plain = key
            .cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad: context.as_bytes() })
            .map_err(|_| VaultError::Corrupt)?;
        String::from_utf8(plain).map_err(|_| VaultError::Corrupt)
    }

    /// What a stored value needs to be sealed under the current key: `None` when it is
    /// already, else the value sealed anew (from plaintext kept by an older version, or
    /// sealed under a previous key).
    pub fn reseal(&self, context: &str, stored: &str) -> Result<Option<String>, VaultError> {
        let plain = match split(stored) {
            Some((id, _)) if id == self.current_id() => return Ok(None),
            Some(_) => self.unseal(context, stored)?,
            None => stored.to_owned(),
        };
        self.seal(context, &plain).map(Some)
    }
}

impl From<[u8; 32]> for ServerKey {
    fn from(key: [u8; 32]) -> Self {
        Self { id: key_id(&key), cipher: XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&key)) }
    }
}

/// The key id and payload of a sealed value; `None` for anything else.
fn split(stored: &str) -> Option<(&str, &str)> {
    stored.strip_prefix(PREFIX)?.split_once(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key_and_in_their_place() {
        let vault = Vault::ephemeral();
        let sealed = vault.seal("webhook:wh_1", "whsec_abc").expect("sealed");
        assert!(sealed.starts_with("sealed:v1:") && !sealed.contains("whsec_abc"), "{sealed}");
        assert_ne!(sealed, vault.seal("webhook:wh_1", "whsec_abc").expect("sealed"), "a fresh nonce every time");
        assert_eq!(vault.unseal("webhook:wh_1", &sealed).expect("opens"), "whsec_abc");
        assert!(matches!(vault.unseal("webhook:wh_2", &sealed), Err(VaultError::Corrupt)), "bound to its row");
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert!(vault.unseal("webhook:wh_1", &tampered).is_err());
        assert!(matches!(Vault::ephemeral().unseal("webhook:wh_1", &sealed), Err(VaultError::UnknownKey(_))));
        assert!(matches!(vault.unseal("webhook:wh_1", "whsec_abc"), Err(VaultError::Corrupt)));
    }

    #[test]
    fn a_rotation_opens_old_values_and_reseals_them_under_the_new_key() {
        let (old, new) = (new_key(), new_key());
        let before = Vault::new(&[old]).expect("one key");
        let sealed = before.seal("channel:ch_1", r#"{"accessToken":"EAAJ"}"#).expect("sealed");
        let during = Vault::new(&[new, old]).expect("two keys");
        assert_eq!(during.unseal("channel:ch_1", &sealed).expect("old key opens"), r#"{"accessToken":"EAAJ"}"#);
        let resealed = during.reseal("channel:ch_1", &sealed).expect("reseal").expect("needed");
        assert!(resealed.contains(during.current_id()));
        assert_eq!(during.reseal("channel:ch_1", &resealed).expect("reseal"), None, "already current");
        let after = Vault::new(&[new]).expect("one key");
        assert_eq!(after.unseal("channel:ch_1", &resealed).expect("new key opens"), r#"{"accessToken":"EAAJ"}"#);
        let legacy = after.reseal("channel:ch_2", "plain text from an older version").expect("reseal");
        assert_eq!(
            after.unseal("channel:ch_2", &legacy.expect("sealed")).expect("opens"),
            "plain text from an older version"
        );
        assert!(Vault::new(&[]).is_none());
    }
}
