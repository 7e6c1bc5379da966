//! API key format: `sb_live_` + 22 random base62 characters (≈131 bits) + a 6-character
//! base62 CRC32 of everything before it. The checksum lets us reject typos and garbage
//! before touching the database; only the SHA-256 hash and a display prefix are stored.

use sha2::{Digest, Sha256};

use crate::ids::{encode_base62, random_base62};

pub const KEY_PREFIX: &str = "sb_live_";
const RANDOM_LEN: usize = 22;
const CHECKSUM_LEN: usize = 6;
const DISPLAY_PREFIX_LEN: usize = KEY_PREFIX.len() + 4;

pub struct GeneratedKey {
    pub plaintext: String,
    pub display_prefix: String,
    pub hash: String,
}

impl std::fmt::Debug for GeneratedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeneratedKey").field("display_prefix", &self.display_prefix).finish()
    }
}

pub fn generate() -> GeneratedKey {
    let body = format!("{KEY_PREFIX}{}", random_base62(RANDOM_LEN));
    let plaintext = format!("{body}{}", checksum(&body));
    GeneratedKey { display_prefix: plaintext[..DISPLAY_PREFIX_LEN].to_owned(), hash: hash(&plaintext), plaintext }
}

fn checksum(body: &str) -> String {
    encode_base62(u64::from(crc32fast::hash(body.as_bytes())), CHECKSUM_LEN)
}

pub fn hash(plaintext: &str) -> String {
    hex::encode(Sha256::digest(plaintext.as_bytes()))
}

/// True when `candidate` has the key shape and a valid checksum.
pub fn is_well_formed(candidate: &str) -> bool {
    let expected_len = KEY_PREFIX.len() + RANDOM_LEN + CHECKSUM_LEN;
    if candidate.len() != expected_len || !candidate.starts_with(KEY_PREFIX) {
        return false;
    }
    let (body, sum) = candidate.split_at(expected_len - CHECKSUM_LEN);
    body[KEY_PREFIX.len()..].bytes().all(|b| b.is_ascii_alphanumeric()) && checksum(body) == sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_are_well_formed_and_distinct() {
        let a = generate();
        let b = generate();
        assert!(is_well_formed(&a.plaintext));
        assert_ne!(a.plaintext, b.plaintext);
        assert_eq!(a.hash, hash(&a.plaintext));
        assert!(a.plaintext.starts_with(&a.display_prefix));
        assert!(!format!("{a:?}").contains(&a.plaintext), "Debug must not leak the key");
    }

    #[test]
    fn a_single_changed_character_fails_the_checksum() {
        let key = generate().plaintext;
        let mut bytes = key.clone().into_bytes();
        let i = KEY_PREFIX.len() + 3;
        bytes[i] = if bytes[i] == b'a' { b'b' } else { b'a' };
        let typo = String::from_utf8(bytes).expect("ascii");
        assert!(!is_well_formed(&typo));
        assert!(!is_well_formed("sb_live_short"));
        assert!(!is_well_formed(&key.replace("sb_live_", "sb_test_")));
        assert!(!is_well_formed(""));
    }
}
