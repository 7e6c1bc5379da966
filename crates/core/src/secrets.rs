//! API keys live in the OS keychain only: macOS Keychain, Windows Credential Manager, the
//! Secret Service on Linux. Keychain calls block (D-Bus, or a locked keychain prompting), so
//! they run off the async runtime and give up after a timeout.

use std::sync::Arc;
use std::time::Duration;

use crate::error::CoreError;

const KEYCHAIN_TIMEOUT: Duration = Duration::from_secs(15);

/// Where API keys are kept. Blocking: call it through [`get`], [`set`], [`delete`].
pub trait SecretStore: Send + Sync + 'static {
    fn get(&self, account: &str) -> Result<Option<String>, CoreError>;
    fn set(&self, account: &str, secret: &str) -> Result<(), CoreError>;
    fn delete(&self, account: &str) -> Result<(), CoreError>;
}

/// The OS keychain through keyring-core's default store.
pub struct Keychain {
    service: String,
}

impl Keychain {
    /// Installs this OS's credential store as keyring-core's default. Blocking (it
    /// connects to the keychain service); from async code use [`open_keychain`].
    pub fn open(service: &str) -> Result<Self, CoreError> {
        keyring_core::set_default_store(platform_store()?);
        Ok(Self { service: service.to_owned() })
    }

    fn entry(&self, account: &str) -> Result<keyring_core::Entry, CoreError> {
        keyring_core::Entry::new(&self.service, account).map_err(unavailable)
    }
}

#[cfg(target_os = "linux")]
fn platform_store() -> Result<Arc<keyring_core::CredentialStore>, CoreError> {
    Ok(zbus_secret_service_keyring_store::Store::new().map_err(unavailable)?)
}

#[cfg(target_os = "macos")]
fn platform_store() -> Result<Arc<keyring_core::CredentialStore>, CoreError> {
    Ok(apple_native_keyring_store::keychain::Store::new().map_err(unavailable)?)
}

#[cfg(target_os = "windows")]
fn platform_store() -> Result<Arc<keyring_core::CredentialStore>, CoreError> {
    Ok(windows_native_keyring_store::Store::new().map_err(unavailable)?)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn platform_store() -> Result<Arc<keyring_core::CredentialStore>, CoreError> {
    Err(CoreError::KeychainUnavailable("no supported keychain on this operating system".into()))
}

fn unavailable(e: keyring_core::Error) -> CoreError {
    // keyring-core's Display never includes secret bytes.
    CoreError::KeychainUnavailable(e.to_string())
}

impl SecretStore for Keychain {
    fn get(&self, account: &str) -> Result<Option<String>, CoreError> {
        match self.entry(account)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn set(&self, account: &str, secret: &str) -> Result<(), CoreError> {
        self.entry(account)?.set_password(secret).map_err(unavailable)
    }

    fn delete(&self, account: &str) -> Result<(), CoreError> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }
}

async fn off_runtime<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, CoreError> + Send + 'static,
) -> Result<T, CoreError> {
    match tokio::time::timeout(KEYCHAIN_TIMEOUT, tokio::task::spawn_blocking(f)).await {
        Ok(Ok(result)) => result,
        Ok(Err(join)) => Err(CoreError::Internal(join.to_string())),
        Err(_) => Err(CoreError::KeychainTimeout),
    }
}

/// Opens the OS keychain off the async runtime.
pub async fn open_keychain(service: &str) -> Result<Arc<dyn SecretStore>, CoreError> {
    let service = service.to_owned();
    off_runtime(move || Ok(Arc::new(Keychain::open(&service)?) as Arc<dyn SecretStore>)).await
}

pub async fn get(store: &Arc<dyn SecretStore>, account: &str) -> Result<Option<String>, CoreError> {
    let (store, account) = (store.clone(), account.to_owned());
    off_runtime(move || store.get(&account)).await
}

pub async fn set(store: &Arc<dyn SecretStore>, account: &str, secret: &str) -> Result<(), CoreError> {
    let (store, account, secret) = (store.clone(), account.to_owned(), secret.to_owned());
    off_runtime(move || store.set(&account, &secret)).await
}

pub async fn delete(store: &Arc<dyn SecretStore>, account: &str) -> Result<(), CoreError> {
    let (store, account) = (store.clone(), account.to_owned());
    off_runtime(move || store.delete(&account)).await
}
