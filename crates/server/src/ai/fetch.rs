//! Reading a business's web page for answers: fetched with limits (10 s, 2 MB, three
//! redirects, each checked like a webhook target), turned into plain text, cut into
//! passages, and kept for a while so a conversation does not fetch it on every message.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use switchboard_api::ErrorCode;

use super::text::{Passage, passages};
use crate::error::Error;
use crate::webhooks::ssrf::{GuardedResolver, TargetPolicy};

const TIMEOUT: Duration = Duration::from_secs(10);
const MAX_BYTES: usize = 2 * 1024 * 1024;
const MAX_REDIRECTS: usize = 3;
const CACHE_TTL: Duration = Duration::from_secs(15 * 60);
const CACHE_ENTRIES: usize = 128;

type Cached = (Instant, Arc<Vec<Passage>>);

pub struct PageFetcher {
    client: reqwest::Client,
    policy: TargetPolicy,
    cache: Mutex<HashMap<String, Cached>>,
}

fn unreadable(why: impl std::fmt::Display) -> Error {
    Error::api(ErrorCode::UrlUnreadable, format!("url could not be read: {why}"))
}

impl PageFetcher {
    pub fn new(policy: TargetPolicy) -> Result<Self, Error> {
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > MAX_REDIRECTS {
                return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
            }
            match policy.check_host(attempt.url().host_str().unwrap_or_default()) {
                Ok(()) => attempt.follow(),
                Err(refused) => attempt.error(refused),
            }
        });
        let client = reqwest::Client::builder()
            .redirect(redirects)
            .no_proxy()
            .timeout(TIMEOUT)
            .dns_resolver(GuardedResolver::shared(policy))
            .user_agent(concat!("Switchboard-AI/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Task(format!("page client: {e}")))?;
        Ok(Self { client, policy, cache: Mutex::default() })
    }

    /// The page's passages, from the cache when fetched lately.
    pub async fn passages(&self, url: &str) -> Result<Arc<Vec<Passage>>, Error> {
        if let Some((at, found)) = self.cache.lock().ok().and_then(|c| c.get(url).cloned())
            && at.elapsed() < CACHE_TTL
        {
            return Ok(found);
        }
        let (title, text) = self.fetch(url).await?;
        let found = Arc::new(passages(&title, Some(url), &text));
        if found.is_empty() {
            return Err(unreadable("the page has no text"));
        }
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHE_ENTRIES {
                cache.retain(|_, (at, _)| at.elapsed() < CACHE_TTL);
                if cache.len() >= CACHE_ENTRIES {
                    cache.clear();
                }
            }
            cache.insert(url.to_owned(), (Instant::now(), found.clone()));
        }
        Ok(found)
    }

    async fn fetch(&self, url: &str) -> Result<(String, String), Error> {
        let parsed = reqwest::Url::parse(url).map_err(|_| unreadable("not a URL"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(unreadable("only http and https pages can be read"));
        }
        self.policy.check_host(parsed.host_str().unwrap_or_default()).map_err(unreadable)?;
        let mut resp = self.client.get(parsed).send().await.map_err(|e| unreadable(reason(&e)))?;
        if !resp.status().is_success() {
            return Err(unreadable(format!("the site answered {}", resp.status().as_u16())));
        }
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("text/html")
            .to_ascii_lowercase();
        let html = content_type.starts_with("text/html") || content_type.starts_with("application/xhtml");
        if !html && !content_type.starts_with("text/plain") {
            return Err(unreadable(format!("a {content_type} document is not a page of text")));
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| unreadable(reason(&e)))? {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_BYTES {
                return Err(unreadable("the page is larger than 2 MB"));
            }
        }
        let raw = String::from_utf8_lossy(&body);
        if html {
            let text = html2text::config::plain_no_decorate()
                .string_from_read(raw.as_bytes(), 10_000)
                .map_err(|e| unreadable(format!("the HTML could not be read ({e})")))?;
            Ok((title(&raw).unwrap_or_else(|| url.to_owned()), text))
        } else {
            Ok((url.to_owned(), raw.into_owned()))
        }
    }
}

/// The text of `<title>`, if any.
fn title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let end = open_end + lower[open_end..].find("</title")?;
    let t = html[open_end..end].split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

fn reason(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return format!("no answer within {} s", TIMEOUT.as_secs());
    }
    crate::error::root_cause(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_found_case_blind() {
        assert_eq!(title("<html><HEAD><Title lang=en> Glow   Clinic </TITLE>").as_deref(), Some("Glow Clinic"));
        assert_eq!(title("<p>no title</p>"), None);
    }

    #[tokio::test]
    async fn private_targets_are_refused_before_any_request() {
        let fetcher = PageFetcher::new(TargetPolicy::default()).expect("client");
        for url in [
            "http://127.0.0.1:1/",
            "http://169.254.169.254/latest/meta-data",
            "http://localhost/",
            "file:///etc/passwd",
        ] {
            let err = fetcher.passages(url).await.expect_err(url);
            assert_eq!(err.code(), ErrorCode::UrlUnreadable, "{url}");
        }
    }
}
