//! Where the server key comes from: a key file (by default `<database file>.key`, created
//! with owner-only permissions on first start) or `SWITCHBOARD_SECRET_KEY`. Either holds
//! one key or, during a rotation, several; the first seals.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::{Vault, VaultError, new_key};

/// Where the server's keys are.
#[derive(Clone, PartialEq, Eq)]
pub enum SecretKeySource {
    /// `<database file>.key`, beside the database (the default).
    BesideDatabase,
    /// This key file.
    File(PathBuf),
    /// Keys given directly: base64, comma-separated, the first sealing
    /// (`SWITCHBOARD_SECRET_KEY`).
    Keys(String),
}

impl std::fmt::Debug for SecretKeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::BesideDatabase => f.write_str("BesideDatabase"),
            Self::File(path) => f.debug_tuple("File").field(path).finish(),
            Self::Keys(_) => f.write_str("Keys(redacted)"),
        }
    }
}

impl SecretKeySource {
    /// The key file this source reads, if it is a file.
    pub fn file(&self, db_path: &Path) -> Option<PathBuf> {
        match self {
            Self::BesideDatabase => {
                let mut name = db_path.file_name().unwrap_or_default().to_os_string();
                name.push(".key");
                Some(db_path.with_file_name(name))
            }
            Self::File(path) => Some(path.clone()),
            Self::Keys(_) => None,
        }
    }
}

const HEADER: &str = "\
# Switchboard server key. It encrypts the secrets the server keeps (webhook signing
# secrets, channel tokens). Keep it private (owner-only) and back it up apart from the
# database: without it those secrets cannot be read. One base64 key a line; the first
# encrypts, the others (during a rotation) only decrypt. Rotate with
# `switchboard secret-key rotate`.
";

/// The vault of `source`. A key file that does not exist yet is created with a new key
/// when `may_create` (the database holds nothing sealed); else its absence is an error:
/// a new key would open nothing there.
pub fn load(source: &SecretKeySource, db_path: &Path, may_create: bool) -> Result<Vault, VaultError> {
    if let SecretKeySource::Keys(text) = source {
        let keys = parse(text.split(',')).map_err(VaultError::Env)?;
        return Vault::new(&keys).ok_or_else(|| VaultError::Env("no key".to_owned()));
    }
    let Some(path) = source.file(db_path) else { return Err(VaultError::Env("no key".to_owned())) };
    let keys = match read_file(&path) {
        Ok(keys) => keys,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !may_create => {
            return Err(file_error(
                &path,
                format!(
                    "it does not exist, and the database holds secrets sealed with a key; start with the key file \
                     (or {}) the database was used with",
                    super::ENV_KEYS
                ),
            ));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = new_key();
            write_file(&path, &[key], true).map_err(|e| file_error(&path, e.to_string()))?;
            vec![key]
        }
        Err(e) => return Err(file_error(&path, e.to_string())),
    };
    Vault::new(&keys).ok_or_else(|| file_error(&path, "it holds no key".to_owned()))
}

/// Puts a new key first in the key file, keeping the others to open what they sealed.
/// Returns the new key's id.
pub fn rotate_file(path: &Path) -> Result<String, VaultError> {
    let mut keys = read_file(path).map_err(|e| file_error(path, e.to_string()))?;
    keys.insert(0, new_key());
    write_file(path, &keys, false).map_err(|e| file_error(path, e.to_string()))?;
    Ok(super::key_id(&keys[0]))
}

/// Leaves only the first key in the key file, once nothing is sealed with the others.
pub fn retire_old_keys(path: &Path) -> Result<usize, VaultError> {
    let keys = read_file(path).map_err(|e| file_error(path, e.to_string()))?;
    write_file(path, &keys[..1.min(keys.len())], false).map_err(|e| file_error(path, e.to_string()))?;
    Ok(keys.len().saturating_sub(1))
}

fn file_error(path: &Path, why: String) -> VaultError {
    VaultError::KeyFile { path: path.display().to_string(), why }
}

fn parse<'a>(lines: impl Iterator<Item = &'a str>) -> Result<Vec<[u8; 32]>, String> {
    let mut keys = Vec::new();
    for line in lines.map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let bytes = STANDARD.decode(line).map_err(|_| "a key is not base64".to_owned())?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| "a key must be 32 bytes".to_owned())?;
        keys.push(key);
    }
    if keys.is_empty() {
        return Err("it holds no key".to_owned());
    }
    Ok(keys)
}

fn read_file(path: &Path) -> std::io::Result<Vec<[u8; 32]>> {
    let text = std::fs::read_to_string(path)?;
    check_private(path)?;
    parse(text.lines()).map_err(std::io::Error::other)
}

/// A key others on the machine can read is no longer the server's alone: refuse it, as
/// ssh refuses a private key with loose permissions.
#[cfg(unix)]
fn check_private(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        return Err(std::io::Error::other(format!(
            "its permissions ({:o}) let other users read it; make it owner-only (chmod 600)",
            mode & 0o777
        )));
    }
    Ok(())
}

/// On Windows the file inherits the ACL of the folder it is in (the user's profile or the
/// service's data folder).
#[cfg(not(unix))]
fn check_private(_: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Writes the keys through a temporary file renamed over `path`, so a crash leaves the old
/// file or the new one, never half of either. `new` refuses to replace an existing file.
fn write_file(path: &Path, keys: &[[u8; 32]], new: bool) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut text = HEADER.to_owned();
    for key in keys {
        text.push_str(&STANDARD.encode(key));
        text.push('\n');
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    drop(file);
    if new && path.exists() {
        let _ = std::fs::remove_file(&tmp);
        return Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "the key file appeared meanwhile"));
    }
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_file_is_made_private_on_first_start_and_rotated_in_place() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("switchboard.sqlite3");
        let source = SecretKeySource::BesideDatabase;
        let path = source.file(&db).expect("a file");
        assert_eq!(path, dir.path().join("switchboard.sqlite3.key"));
        let first = load(&source, &db, true).expect("created");
        let sealed = first.seal("webhook:wh_1", "whsec_x").expect("sealed");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).expect("exists").permissions().mode() & 0o777, 0o600);
        }
        let again = load(&source, &db, true).expect("read back");
        assert_eq!(again.current_id(), first.current_id());

        let new_id = rotate_file(&path).expect("rotated");
        let during = load(&source, &db, true).expect("two keys");
        assert_eq!(during.current_id(), new_id);
        assert_eq!(during.unseal("webhook:wh_1", &sealed).expect("the old key still opens"), "whsec_x");
        assert_eq!(retire_old_keys(&path).expect("retired"), 1);
        assert!(load(&source, &db, true).expect("one key").unseal("webhook:wh_1", &sealed).is_err());
        std::fs::remove_file(&path).expect("removed");
        let err = load(&source, &db, false).expect_err("a database with sealed values needs its key").to_string();
        assert!(err.contains("does not exist") && !path.exists(), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("server.key");
        std::fs::write(&path, format!("{}\n", STANDARD.encode([7u8; 32]))).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let err = load(&SecretKeySource::File(path), dir.path(), true).expect_err("refused").to_string();
        assert!(err.contains("chmod 600"), "{err}");
    }

    #[test]
    fn keys_from_the_environment_are_checked() {
        let one = STANDARD.encode([1u8; 32]);
        let two = STANDARD.encode([2u8; 32]);
        let vault = load(&SecretKeySource::Keys(format!("{two}, {one}")), Path::new("x"), true).expect("two keys");
        assert_eq!(vault.current_id(), super::super::key_id(&[2u8; 32]));
        for bad in ["", "not base64!", &STANDARD.encode([1u8; 16])] {
            assert!(load(&SecretKeySource::Keys(bad.to_owned()), Path::new("x"), true).is_err(), "{bad}");
        }
    }
}
