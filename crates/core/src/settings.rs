//! The app's settings on this computer (`settings.json` in the app's data folder).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::files::write_json_atomic;

const FILE: &str = "settings.json";

/// Which desktop notifications to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct NotificationSettings {
    /// The AI agent handed a conversation to a person.
    pub escalations: bool,
    /// A contact wrote in a conversation assigned to me.
    pub new_messages: bool,
    /// A conversation was assigned to me by someone else.
    pub assigned: bool,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        Self { escalations: true, new_messages: false, assigned: true }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    pub notifications: NotificationSettings,
}

pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

/// The saved settings; defaults when there are none or the file cannot be read (a broken
/// settings file must not keep the app from starting: it is rewritten on the next save).
pub fn load(path: &Path) -> Settings {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).unwrap_or_else(|e| {
            tracing::warn!(error = %e, path = %path.display(), "settings unreadable; using defaults");
            Settings::default()
        }),
        Err(_) => Settings::default(),
    }
}

pub fn save(path: &Path, settings: &Settings) -> Result<(), CoreError> {
    write_json_atomic(path, settings)
}
