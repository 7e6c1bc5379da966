//! The app's own small files (profiles, settings).

use std::path::Path;

use serde::Serialize;

use crate::error::CoreError;

/// Written to a temporary file and renamed over the old one: a crash leaves one or the
/// other, never half of each.
pub fn write_json_atomic<T: Serialize>(path: &Path, value: &T) -> Result<(), CoreError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CoreError::Internal(e.to_string()))?;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| CoreError::Io(format!("{}: {e}", path.display())))
}
