//! Workspaces this machine talks to (profiles): a name, the server's address and who the
//! key acts as, in `profiles.json`; the key itself only in the OS keychain; each its own
//! cache file. The desktop's workspace switcher and the CLI's `profile` commands use this.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use switchboard_client::Client;

use crate::error::CoreError;
use crate::secrets::{self, SecretStore};

const FILE: &str = "profiles.json";
/// The file's format; a file from a newer version is refused, never rewritten.
const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub name: String,
    pub base_url: String,
    pub workspace_id: String,
    pub workspace_name: String,
    /// Who the key acts as.
    pub member_name: String,
    /// The key's scopes (`read`, `write`, `admin`).
    pub scopes: Vec<String>,
    /// Who the key acts as and which key it is, so the app opens offline (older files
    /// lack them: filled in at the next start online).
    #[serde(default)]
    pub member_id: Option<String>,
    #[serde(default)]
    pub key_id: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProfilesFile {
    version: u32,
    current: Option<String>,
    profiles: Vec<Profile>,
}

pub struct Profiles {
    dir: PathBuf,
    file: ProfilesFile,
}

impl Profiles {
    /// The profiles kept in `dir` (created if missing).
    pub fn open(dir: &Path) -> Result<Self, CoreError> {
        std::fs::create_dir_all(dir).map_err(|e| CoreError::Io(format!("{}: {e}", dir.display())))?;
        let path = dir.join(FILE);
        let file = match std::fs::read_to_string(&path) {
            Ok(text) => {
                let file: ProfilesFile = serde_json::from_str(&text)
                    .map_err(|e| CoreError::Config(format!("{} is not a profiles file: {e}", path.display())))?;
                if file.version > VERSION {
                    return Err(CoreError::Config(format!(
                        "{} was written by a newer Switchboard (format {}); this one reads {VERSION}",
                        path.display(),
                        file.version
                    )));
                }
                file
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                ProfilesFile { version: VERSION, ..Default::default() }
            }
            Err(e) => return Err(CoreError::Io(format!("{}: {e}", path.display()))),
        };
        Ok(Self { dir: dir.to_owned(), file })
    }

    pub fn list(&self) -> &[Profile] {
        &self.file.profiles
    }

    /// The profile in use: the one chosen with [`Profiles::choose`], or the only one.
    pub fn current(&self) -> Option<&Profile> {
        match &self.file.current {
            Some(name) => self.get(name),
            None if self.file.profiles.len() == 1 => self.file.profiles.first(),
            None => None,
        }
    }

    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.file.profiles.iter().find(|p| p.name == name)
    }

    /// Where a profile's cache lives.
    pub fn cache_path(&self, name: &str) -> PathBuf {
        self.dir.join("caches").join(format!("{name}.sqlite3"))
    }

    /// Adds a workspace after checking the key with `/me`; the key goes to the keychain.
    pub async fn add(
        &mut self,
        secrets: &Arc<dyn SecretStore>,
        name: &str,
        base_url: &str,
        key: &str,
    ) -> Result<Profile, CoreError> {
        check_name(name)?;
        if self.get(name).is_some() {
            return Err(CoreError::InvalidInput(format!("a profile named {name:?} exists; remove it first")));
        }
        let key = key.trim();
        if key.is_empty() {
            return Err(CoreError::InvalidInput("the API key is empty".into()));
        }
        let client = Client::new(base_url, key.to_owned())?;
        let me = client.me().await?;
        let profile = Profile {
            name: name.to_owned(),
            base_url: base_url.trim().trim_end_matches('/').to_owned(),
            workspace_id: me.workspace.id,
            workspace_name: me.workspace.name,
            member_name: me.member.name,
            scopes: me.key.scopes.iter().map(|s| s.as_str().to_owned()).collect(),
            member_id: Some(me.member.id),
            key_id: Some(me.key.id),
        };
        secrets::set(secrets, &account(name), key).await?;
        self.file.profiles.push(profile.clone());
        if self.file.current.is_none() {
            self.file.current = Some(name.to_owned());
        }
        self.save()?;
        Ok(profile)
    }

    /// Opens the local workspace next time, keeping the profiles.
    pub fn choose_local(&mut self) -> Result<(), CoreError> {
        self.file.current = None;
        self.save()
    }

    /// Remembers who a profile's key is (after it was read from `/me`).
    pub fn record_identity(&mut self, name: &str, member_id: &str, key_id: &str) -> Result<(), CoreError> {
        let Some(p) = self.file.profiles.iter_mut().find(|p| p.name == name) else {
            return Err(CoreError::NotFound("profile"));
        };
        if p.member_id.as_deref() == Some(member_id) && p.key_id.as_deref() == Some(key_id) {
            return Ok(());
        }
        p.member_id = Some(member_id.to_owned());
        p.key_id = Some(key_id.to_owned());
        self.save()
    }

    pub fn choose(&mut self, name: &str) -> Result<&Profile, CoreError> {
        if self.get(name).is_none() {
            return Err(CoreError::NotFound("profile"));
        }
        self.file.current = Some(name.to_owned());
        self.save()?;
        self.get(name).ok_or(CoreError::NotFound("profile"))
    }

    /// Removes a profile with its key and its cache.
    pub async fn remove(&mut self, secrets: &Arc<dyn SecretStore>, name: &str) -> Result<(), CoreError> {
        if self.get(name).is_none() {
            return Err(CoreError::NotFound("profile"));
        }
        secrets::delete(secrets, &account(name)).await?;
        for suffix in ["", "-wal", "-shm"] {
            let mut path = self.cache_path(name).into_os_string();
            path.push(suffix);
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(CoreError::Io(format!("{}: {e}", PathBuf::from(path).display()))),
            }
        }
        self.file.profiles.retain(|p| p.name != name);
        if self.file.current.as_deref() == Some(name) {
            self.file.current = None;
        }
        self.save()
    }

    /// A client for the profile, with its key from the keychain.
    pub async fn client(&self, secrets: &Arc<dyn SecretStore>, name: &str) -> Result<Client, CoreError> {
        let profile = self.get(name).ok_or(CoreError::NotFound("profile"))?;
        let key = secrets::get(secrets, &account(name))
            .await?
            .ok_or_else(|| CoreError::KeychainUnavailable(format!("the keychain has no key for profile {name:?}")))?;
        Ok(Client::new(&profile.base_url, key)?)
    }

    /// Replaces a profile's key (after a rotation), once the new key passes `/me`.
    pub async fn replace_key(&self, secrets: &Arc<dyn SecretStore>, name: &str, key: &str) -> Result<(), CoreError> {
        let profile = self.get(name).ok_or(CoreError::NotFound("profile"))?;
        Client::new(&profile.base_url, key.to_owned())?.me().await?;
        secrets::set(secrets, &account(name), key).await
    }

    fn save(&self) -> Result<(), CoreError> {
        crate::files::write_json_atomic(&self.dir.join(FILE), &self.file)
    }
}

fn account(name: &str) -> String {
    format!("profile/{name}")
}

fn check_name(name: &str) -> Result<(), CoreError> {
    let ok = !name.is_empty()
        && name.len() <= 40
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok { Ok(()) } else { Err(CoreError::InvalidInput("a profile name is 1-40 letters, digits, - or _".into())) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_file_safe() {
        for ok in ["work", "clinic-2", "a_b"] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "../x", "a b", "x/y", &"n".repeat(41), "café"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_file_from_a_newer_version_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().expect("dir");
        let text = r#"{"version": 99, "current": null, "profiles": []}"#;
        std::fs::write(dir.path().join(FILE), text).expect("write");
        let err = Profiles::open(dir.path()).err().expect("refused");
        assert_eq!(err.code(), "config_invalid");
        assert_eq!(std::fs::read_to_string(dir.path().join(FILE)).expect("read"), text);
        std::fs::write(dir.path().join(FILE), "{not json").expect("write");
        assert_eq!(Profiles::open(dir.path()).err().expect("refused").code(), "config_invalid");
    }
}
