use serde::Serialize;
use switchboard_client::ClientError;
use switchboard_store::StoreError;
use switchboard_sync::SyncError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("the OS keychain is not available: {0}")]
    KeychainUnavailable(String),
    #[error("the OS keychain did not answer in time (is it locked?)")]
    KeychainTimeout,
    #[error("the local workspace could not start: {0}")]
    LocalWorkspace(#[from] switchboard_server::Error),
    #[error(transparent)]
    Api(#[from] ClientError),
    #[error(transparent)]
    Cache(#[from] StoreError),
    #[error(transparent)]
    Sync(#[from] SyncError),
    #[error("{0}")]
    InvalidInput(String),
    /// An AI draft was asked for where the last word is already ours.
    #[error("nothing to answer: the last message in this conversation is ours")]
    NothingToAnswer,
    /// A webhook delivery checked with a secret does not verify; the text says why.
    #[error("the delivery does not verify: {0}")]
    SignatureInvalid(String),
    #[error("Outside WhatsApp's 24-hour window: send a template instead")]
    OutsideCareWindow,
    #[error("{0}")]
    TemplateUnavailable(String),
    #[error("this needs an API key with the admin scope")]
    NotAdmin,
    #[error("this app uses this key; rotate it instead, or revoke it from another client")]
    OwnKey,
    #[error("desktop notifications are not available: {0}")]
    NotificationsUnavailable(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Config(String),
    #[error("file error: {0}")]
    Io(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl CoreError {
    /// Stable code, end to end: the server's code when the server said no.
    pub fn code(&self) -> &'static str {
        match self {
            Self::KeychainUnavailable(_) => "keychain_unavailable",
            Self::KeychainTimeout => "keychain_timeout",
            Self::LocalWorkspace(_) => "local_workspace_failed",
            Self::Api(e) => e.code(),
            Self::Cache(e) => e.code(),
            Self::Sync(e) => e.code(),
            Self::InvalidInput(_) => "invalid_input",
            Self::SignatureInvalid(_) => "signature_invalid",
            Self::NothingToAnswer => "nothing_to_answer",
            Self::OutsideCareWindow => "outside_care_window",
            Self::TemplateUnavailable(_) => "template_unavailable",
            Self::NotificationsUnavailable(_) => "notifications_unavailable",
            Self::NotAdmin => "insufficient_scope",
            Self::OwnKey => "own_key",
            Self::NotFound(_) => "not_found",
            Self::Config(_) => "config_invalid",
            Self::Io(_) => "io_error",
            Self::Internal(_) => "internal",
        }
    }
}

impl CoreError {
    /// The sentence alone, for callers that show the code beside it: the client's errors
    /// put the server's code into their text, which would then appear twice.
    pub fn message(&self) -> String {
        match self {
            Self::Api(ClientError::Api { message, .. })
            | Self::Sync(SyncError::Client(ClientError::Api { message, .. })) => message.clone(),
            other => other.to_string(),
        }
    }
}

/// An error as the UI receives it: a stable code to branch on and a sentence to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ErrorInfo {
    pub code: String,
    pub message: String,
}

impl From<CoreError> for ErrorInfo {
    fn from(e: CoreError) -> Self {
        Self { code: e.code().to_owned(), message: e.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use switchboard_api::ErrorCode;

    use super::*;

    #[test]
    fn the_message_does_not_carry_the_code() {
        let api = || ClientError::Api {
            status: 404,
            code: ErrorCode::NotFound,
            message: "conversation not found".into(),
            retry_after: None,
        };
        for e in [CoreError::Api(api()), CoreError::Sync(SyncError::Client(api()))] {
            assert_eq!((e.message().as_str(), e.code()), ("conversation not found", "not_found"));
        }
        let local = CoreError::InvalidInput("the message is empty".into());
        assert_eq!(local.message(), "the message is empty");
        let network = CoreError::Api(ClientError::Network("connection refused".into()));
        assert_eq!(network.message(), "cannot reach the workspace server: connection refused");
    }
}
