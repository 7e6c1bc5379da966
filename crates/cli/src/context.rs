//! What every command needs: where profiles live, the chosen profile, its key from the
//! keychain, its cache and sync engine.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use switchboard_client::Client;
use switchboard_core::{CoreError, Profile, Profiles, SecretStore, secrets};
use switchboard_store::Store;
use switchboard_sync::SyncEngine;

/// The keychain service the CLI's keys are kept under.
const KEYCHAIN_SERVICE: &str = "dev.switchboard.cli";

pub struct Context {
    pub json: bool,
    pub profiles: Profiles,
    chosen: Option<String>,
    secrets: Option<Arc<dyn SecretStore>>,
}

impl Context {
    pub fn new(home: Option<PathBuf>, profile: Option<String>, json: bool) -> Result<Self, CoreError> {
        let home = match home {
            Some(home) => home,
            None => dirs::config_dir()
                .ok_or_else(|| {
                    CoreError::Config("this system has no configuration folder; set SWITCHBOARD_HOME".into())
                })?
                .join("switchboard"),
        };
        Ok(Self { json, profiles: Profiles::open(&home)?, chosen: profile, secrets: None })
    }

    pub async fn secrets(&mut self) -> Result<Arc<dyn SecretStore>, CoreError> {
        if let Some(s) = &self.secrets {
            return Ok(s.clone());
        }
        let s = secrets::open_keychain(KEYCHAIN_SERVICE).await?;
        self.secrets = Some(s.clone());
        Ok(s)
    }

    pub fn profile(&self) -> Result<Profile, CoreError> {
        let found = match &self.chosen {
            Some(name) => self.profiles.get(name),
            None => self.profiles.current(),
        };
        found.cloned().ok_or_else(|| match &self.chosen {
            Some(name) => CoreError::InvalidInput(format!("no profile named {name:?} (see `switchboard profile list`)")),
            None => CoreError::InvalidInput(
                "no workspace chosen: add one with `switchboard profile add NAME --url URL` or pick one with `profile use`"
                    .into(),
            ),
        })
    }

    pub async fn client(&mut self) -> Result<Client, CoreError> {
        let name = self.profile()?.name;
        let secrets = self.secrets().await?;
        self.profiles.client(&secrets, &name).await
    }

    /// A sync engine over the profile's cache.
    pub async fn engine(&mut self) -> Result<Arc<SyncEngine>, CoreError> {
        let client = self.client().await?;
        let path = self.profiles.cache_path(&self.profile()?.name);
        let store = tokio::task::spawn_blocking(move || Store::open(&path))
            .await
            .map_err(|e| CoreError::Internal(e.to_string()))??;
        Ok(Arc::new(SyncEngine::new(client, Arc::new(Mutex::new(store)))))
    }
}
