//! What the CLI prints: aligned tables for people, JSON for scripts, errors on stderr with
//! their stable code, and exit codes that tell auth, network and input failures apart.

use std::process::ExitCode;

use serde::Serialize;
use switchboard_core::CoreError;

/// How a command ended, for scripts: `0` ok, `2` bad input (also clap's usage errors),
/// `3` the key was refused, `4` the server could not be reached or failed, `5` this
/// machine's keychain, files or cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Input = 2,
    Auth = 3,
    Network = 4,
    Local = 5,
}

pub fn exit_for(code: &str) -> Exit {
    match code {
        "invalid_api_key" | "missing_api_key" | "insufficient_scope" => Exit::Auth,
        "network_error" | "unavailable" | "upstream_failed" | "rate_limited" | "internal" | "invalid_response" => {
            Exit::Network
        }
        "keychain_unavailable"
        | "keychain_timeout"
        | "config_invalid"
        | "io_error"
        | "cache_error"
        | "cache_too_new"
        | "cache_io"
        | "cache_corrupt"
        | "local_workspace_failed" => Exit::Local,
        _ => Exit::Input,
    }
}

#[derive(Serialize)]
struct ErrorOut<'a> {
    error: String,
    code: &'a str,
}

/// Prints the error (as JSON on stdout with `--json`, else a sentence on stderr) and
/// gives the exit code for it.
pub fn fail(e: &CoreError, json: bool) -> ExitCode {
    let code = e.code();
    if json {
        println!("{}", serde_json::to_string(&ErrorOut { error: e.to_string(), code }).unwrap_or_default());
    } else {
        let text = e.to_string();
        if text.contains(code) { eprintln!("error: {text}") } else { eprintln!("error: {text} ({code})") }
    }
    ExitCode::from(exit_for(code) as u8)
}

/// Prints `value` as JSON, or as the table/lines `human` makes of it.
pub fn show<T: Serialize>(json: bool, value: &T, human: impl FnOnce(&T) -> String) {
    if json {
        println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
    } else {
        let text = human(value);
        if !text.is_empty() {
            println!("{}", text.trim_end());
        }
    }
}

/// Columns padded to their widest cell; the last column is not padded.
pub fn table(headers: &[&str], rows: Vec<Vec<String>>) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<String>| {
        let last = cells.len().saturating_sub(1);
        cells
            .into_iter()
            .enumerate()
            .map(|(i, c)| if i == last { c } else { format!("{c:<w$}", w = widths[i]) })
            .collect::<Vec<_>>()
            .join("  ")
    };
    let mut out = vec![line(headers.iter().map(|h| (*h).to_owned()).collect())];
    out.extend(rows.into_iter().map(line));
    out.join("\n")
}

/// Shortens to `max` characters on a character boundary, for table cells.
pub fn clip(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        format!("{}…", flat.chars().take(max.saturating_sub(1)).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_and_clip_on_characters() {
        let t = table(&["ID", "NAME"], vec![vec!["a".into(), "Ana".into()], vec!["bbbb".into(), "Bo".into()]]);
        assert_eq!(t, "ID    NAME\na     Ana\nbbbb  Bo");
        assert_eq!(table(&["X"], vec![]), "");
        assert_eq!(clip("é".repeat(10).as_str(), 4), "ééé…");
        assert_eq!(clip("a\n  b", 10), "a b");
    }

    #[test]
    fn exit_codes_tell_failures_apart() {
        assert_eq!(exit_for("invalid_api_key"), Exit::Auth);
        assert_eq!(exit_for("network_error"), Exit::Network);
        assert_eq!(exit_for("invalid_parameter"), Exit::Input);
        assert_eq!(exit_for("not_found"), Exit::Input);
        assert_eq!(exit_for("keychain_unavailable"), Exit::Local);
    }
}
