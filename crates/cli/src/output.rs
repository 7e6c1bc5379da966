//! What the CLI prints: aligned tables for people, JSON for scripts, errors with their
//! stable code, and exit codes that tell auth, network and input failures apart.

use std::net::SocketAddr;
use std::path::PathBuf;
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
        | "local_workspace_failed"
        | SERVE_FAILED
        | SECRET_KEY_FAILED => Exit::Local,
        _ => Exit::Input,
    }
}

/// `switchboard serve` could not open its database or its address.
const SERVE_FAILED: &str = "serve_failed";
/// `switchboard secret-key rotate` could not rotate.
const SECRET_KEY_FAILED: &str = "secret_key_rotation_failed";

/// Why a command failed: everything the CLI reports as an error, each with a stable code.
#[derive(Debug)]
pub enum Failure {
    Core(CoreError),
    /// The server refused the send just queued. It stays in the outbox as `failed`, with
    /// the server's code and words, to retry or discard.
    Refused {
        client_id: String,
        code: String,
        words: String,
    },
    /// Arguments clap could not read: its sentence, without the usage it adds.
    Usage(String),
    /// `switchboard secret-key rotate` could not rotate (the server runs, the key file is
    /// unusable); nothing was changed that the next start cannot finish.
    SecretKey {
        error: switchboard_server::Error,
    },
    /// `switchboard serve` could not start.
    Serve {
        db: PathBuf,
        bind: SocketAddr,
        error: switchboard_server::Error,
    },
}

impl From<CoreError> for Failure {
    fn from(e: CoreError) -> Self {
        Self::Core(e)
    }
}

impl Failure {
    pub fn code(&self) -> &str {
        match self {
            Self::Core(e) => e.code(),
            Self::Refused { code, .. } => code,
            Self::Usage(_) => "invalid_input",
            Self::Serve { .. } => SERVE_FAILED,
            Self::SecretKey { .. } => SECRET_KEY_FAILED,
        }
    }

    /// The sentence for people, never with the code in it: [`fail`] adds that once.
    pub fn text(&self) -> String {
        match self {
            Self::Core(e) => e.message(),
            Self::Refused { client_id, words, .. } => {
                format!("not sent: {words}; it stays in the outbox as {client_id} to retry or discard")
            }
            Self::Usage(text) => text.clone(),
            Self::Serve { db, bind, error } => {
                format!("could not start the server on {bind} with database {}: {error}", db.display())
            }
            Self::SecretKey { error } => format!("could not rotate the server key: {error}"),
        }
    }
}

#[derive(Serialize)]
struct ErrorOut<'a> {
    error: String,
    code: &'a str,
}

/// The one way an error is printed: with `--json`, one `{error, code}` object on stdout
/// (where a script reads the command's JSON anyway); else one line on stderr,
/// `error: <text> (<code>)`. Gives the exit code for it.
pub fn fail(e: &Failure, json: bool) -> ExitCode {
    let code = e.code();
    if json {
        println!("{}", serde_json::to_string(&ErrorOut { error: e.text(), code }).unwrap_or_default());
    } else {
        eprintln!("{}", error_line(e));
    }
    ExitCode::from(exit_for(code) as u8)
}

fn error_line(e: &Failure) -> String {
    format!("error: {} ({})", e.text(), e.code())
}

/// clap's rendered error as one sentence: its message and hints, without the `error:`
/// prefix, the usage and the pointer to `--help` that [`fail`] does not print.
pub fn usage_text(rendered: &str) -> String {
    let lines = rendered
        .lines()
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .map(str::trim)
        .filter(|l| !l.is_empty());
    // A line ending in a colon introduces the next ("…not provided:" then "<TEXT>").
    let text = lines.fold(String::new(), |text, line| match text.as_str() {
        "" => line.to_owned(),
        _ if text.ends_with(':') => format!("{text} {line}"),
        _ => format!("{text}; {line}"),
    });
    text.strip_prefix("error: ").unwrap_or(&text).to_owned()
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
    fn an_error_line_has_its_code_once() {
        use switchboard_client::ClientError;
        let api = ClientError::Api {
            status: 404,
            code: switchboard_api::ErrorCode::NotFound,
            message: "conversation not found".into(),
            retry_after: None,
        };
        let line = error_line(&Failure::Core(CoreError::Api(api)));
        assert_eq!(line, "error: conversation not found (not_found)");
        let refused = Failure::Refused {
            client_id: "ob_1".into(),
            code: "not_found".into(),
            words: "conversation not found".into(),
        };
        assert_eq!(refused.text().matches("not_found").count(), 0, "{}", refused.text());
        assert_eq!(error_line(&refused).matches("(not_found)").count(), 1);
        assert_eq!(exit_for(refused.code()), Exit::Input);
        let local = error_line(&Failure::Core(CoreError::InvalidInput("the message is empty".into())));
        assert_eq!(local, "error: the message is empty (invalid_input)");
    }

    #[test]
    fn usage_errors_become_one_sentence() {
        let rendered = "error: invalid value 'bogus' for '--status <STATUS>': expected one of open\n\n\
                        Usage: switchboard inbox --status <STATUS>\n\nFor more information, try '--help'.\n";
        assert_eq!(usage_text(rendered), "invalid value 'bogus' for '--status <STATUS>': expected one of open");
        let missing = "error: 'switchboard profile' requires a subcommand but one was not provided\n  \
                       [subcommands: list, add]\n\nUsage: switchboard profile <COMMAND>\n";
        assert_eq!(
            usage_text(missing),
            "'switchboard profile' requires a subcommand but one was not provided; [subcommands: list, add]"
        );
        let required = "error: the following required arguments were not provided:\n  <TEXT>\n\nUsage: x\n";
        assert_eq!(usage_text(required), "the following required arguments were not provided: <TEXT>");
        assert_eq!(exit_for(Failure::Usage(String::new()).code()), Exit::Input);
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
