//! The AI engine (`switchboard-ai`) as the server runs it: pages are read under the
//! server's SSRF policy, like webhooks and channels, and its errors keep their codes.

use std::sync::Arc;

use switchboard_ai::fetch::{HostGuard, PageFetcher};
use switchboard_ai::model::ModelSettings;
use switchboard_ai::{AiEngine, AiError};
use switchboard_api::ErrorCode;

use crate::error::Error;
use crate::webhooks::ssrf::{GuardedResolver, TargetPolicy};

/// The knowledge entries an answer reads (the newest), wherever it is asked for: the live
/// agent, `/ai/reply` and what `/settings` says the agent goes by read the same ones.
pub const KNOWLEDGE_READ: u32 = 1000;

impl HostGuard for TargetPolicy {
    fn check_host(&self, host: &str) -> Result<(), AiError> {
        TargetPolicy::check_host(*self, host)
            .map_err(|refused| AiError::new(ErrorCode::UrlUnreadable, refused.to_string()))
    }
}

impl From<AiError> for Error {
    fn from(e: AiError) -> Self {
        match e.code {
            ErrorCode::Internal => Error::Task(e.message),
            code => Error::api(code, e.message),
        }
    }
}

/// The engine: the built-in composer and agent, or the model `settings` name.
pub fn engine(policy: TargetPolicy, settings: Option<ModelSettings>) -> Result<AiEngine, Error> {
    let fetcher = PageFetcher::new(Arc::new(policy), GuardedResolver::shared(policy))?;
    Ok(AiEngine::configured(fetcher, settings)?)
}

#[cfg(test)]
mod tests {
    use switchboard_api::ErrorCode;

    #[tokio::test]
    async fn pages_on_private_addresses_are_refused_before_any_request() {
        let engine = super::engine(super::TargetPolicy::default(), None).expect("engine");
        for url in [
            "http://127.0.0.1:1/",
            "http://169.254.169.254/latest/meta-data",
            "http://localhost/",
            "http://[::ffff:127.0.0.1]/",
            "file:///etc/passwd",
        ] {
            let input = switchboard_ai::ReplyInput {
                message: "opening hours?".into(),
                url: Some(url.into()),
                ..Default::default()
            };
            let err = engine.reply(input).await.expect_err(url);
            assert_eq!(err.code, ErrorCode::UrlUnreadable, "{url}");
        }
    }
}
