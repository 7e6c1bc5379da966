//! Reading a business's web page for answers: fetched with limits (10 s, 2 MB, three
//! redirects, each checked like a webhook target), turned into plain text, cut into
//! passages, and kept for a while so a conversation does not fetch it on every message.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::{AiError, root_cause};
use crate::text::{Passage, passages};

const TIMEOUT: Duration = Duration::from_secs(10);
const MAX_BYTES: usize = 2 * 1024 * 1024;
const MAX_REDIRECTS: usize = 3;
const CACHE_TTL: Duration = Duration::from_secs(15 * 60);
const CACHE_ENTRIES: usize = 128;

type Cached = (Instant, Arc<Vec<Passage>>);

/// Which hosts may be fetched: the server's SSRF policy, the same one its webhooks and
/// channels obey. Literal addresses are checked here, names by the resolver handed to
/// [`PageFetcher::new`], and every redirect's host again.
pub trait HostGuard: Send + Sync + 'static {
    /// `Err` (`url_unreadable`) says why the host is refused.
    fn check_host(&self, host: &str) -> Result<(), AiError>;
}

pub struct PageFetcher {
    client: reqwest::Client,
    guard: Arc<dyn HostGuard>,
    cache: Mutex<HashMap<String, Cached>>,
}

fn unreadable(why: impl std::fmt::Display) -> AiError {
    AiError::unreadable(why)
}

impl PageFetcher {
    /// Pages are fetched under `guard`, names resolved by `resolver` (which refuses the
    /// addresses the guard refuses).
    pub fn new<R: reqwest::dns::Resolve + 'static>(
        guard: Arc<dyn HostGuard>,
        resolver: Arc<R>,
    ) -> Result<Self, AiError> {
        let on_redirect = guard.clone();
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > MAX_REDIRECTS {
                return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
            }
            match on_redirect.check_host(attempt.url().host_str().unwrap_or_default()) {
                Ok(()) => attempt.follow(),
                Err(refused) => attempt.error(refused.message),
            }
        });
        let client = reqwest::Client::builder()
            .redirect(redirects)
            .no_proxy()
            .timeout(TIMEOUT)
            .dns_resolver(resolver)
            .user_agent(concat!("Switchboard-AI/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| AiError::internal(format!("page client: {e}")))?;
        Ok(Self { client, guard, cache: Mutex::default() })
    }

    /// The page's passages, from the cache when fetched lately.
    pub async fn passages(&self, url: &str) -> Result<Arc<Vec<Passage>>, AiError> {
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

    async fn fetch(&self, url: &str) -> Result<(String, String), AiError> {
        let page = self.read(url).await?;
        if page.html {
            let text = html2text::config::plain_no_decorate()
                .string_from_read(page.body.as_bytes(), 10_000)
                .map_err(|e| unreadable(format!("the HTML could not be read ({e})")))?;
            Ok((title(&page.body).unwrap_or_else(|| url.to_owned()), text))
        } else {
            Ok((url.to_owned(), page.body))
        }
    }

    /// A page as served: HTML or plain text, at most 2 MB, its final address after
    /// redirects (each checked by the guard).
    pub async fn read(&self, url: &str) -> Result<Fetched, AiError> {
        let parsed = reqwest::Url::parse(url).map_err(|_| unreadable("not a URL"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(unreadable("only http and https pages can be read"));
        }
        self.guard.check_host(parsed.host_str().unwrap_or_default()).map_err(|e| unreadable(e.message))?;
        let mut resp = self.client.get(parsed).send().await.map_err(|e| unreadable(reason(&e)))?;
        if !resp.status().is_success() {
            return Err(unreadable(format!("the site answered {}", resp.status().as_u16())));
        }
        let final_url = resp.url().to_string();
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
        Ok(Fetched { url: final_url, html, body: String::from_utf8_lossy(&body).into_owned() })
    }
}

impl PageFetcher {
    /// The site's robots.txt: `Some(text)` when it has one, `None` when it has none (4xx:
    /// everything may be read). A server error or no answer is `Err`: RFC 9309 reads that
    /// as "nothing may be read".
    pub async fn robots(&self, origin: &reqwest::Url) -> Result<Option<String>, AiError> {
        let url = origin.join("/robots.txt").map_err(|_| unreadable("not a URL"))?;
        self.guard.check_host(url.host_str().unwrap_or_default()).map_err(|e| unreadable(e.message))?;
        let resp = self.client.get(url).send().await.map_err(|e| unreadable(format!("robots.txt: {}", reason(&e))))?;
        let status = resp.status();
        if status.is_client_error() {
            return Ok(None);
        }
        if !status.is_success() {
            return Err(unreadable(format!("robots.txt answered {}, so the site may not be read", status.as_u16())));
        }
        // RFC 9309: at least 500 KiB are read; the rest may be ignored (and is not read).
        let mut resp = resp;
        let mut body = Vec::new();
        while body.len() < 512 * 1024
            && let Some(chunk) = resp.chunk().await.map_err(|e| unreadable(reason(&e)))?
        {
            body.extend_from_slice(&chunk);
        }
        body.truncate(512 * 1024);
        Ok(Some(String::from_utf8_lossy(&body).into_owned()))
    }
}

/// A page as read by [`PageFetcher::read`].
#[derive(Debug, Clone)]
pub struct Fetched {
    /// Where it was found, after redirects.
    pub url: String,
    /// HTML, or else plain text.
    pub html: bool,
    pub body: String,
}

/// The text of `<title>`, if any.
pub fn title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let end = open_end + lower[open_end..].find("</title")?;
    let t = crate::text::decode_entities(&html[open_end..end]).split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

fn reason(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return format!("no answer within {} s", TIMEOUT.as_secs());
    }
    root_cause(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_found_case_blind() {
        assert_eq!(title("<html><HEAD><Title lang=en> Glow   Clinic </TITLE>").as_deref(), Some("Glow Clinic"));
        assert_eq!(title("<p>no title</p>"), None);
    }

    /// Refuses every host, and resolves no name.
    struct Nowhere;

    impl HostGuard for Nowhere {
        fn check_host(&self, host: &str) -> Result<(), AiError> {
            Err(AiError::new(switchboard_api::ErrorCode::UrlUnreadable, format!("{host} is not allowed")))
        }
    }

    impl reqwest::dns::Resolve for Nowhere {
        fn resolve(&self, _: reqwest::dns::Name) -> reqwest::dns::Resolving {
            Box::pin(async { Err("no names here".into()) })
        }
    }

    #[tokio::test]
    async fn the_guard_is_asked_before_any_request_and_bad_urls_are_refused() {
        let fetcher = PageFetcher::new(Arc::new(Nowhere), Arc::new(Nowhere)).expect("client");
        for url in ["http://127.0.0.1:1/", "http://example.com/", "file:///etc/passwd", "not a url"] {
            let err = fetcher.passages(url).await.expect_err(url);
            assert_eq!(err.code, switchboard_api::ErrorCode::UrlUnreadable, "{url}");
        }
        let refused = fetcher.passages("http://127.0.0.1:1/").await.expect_err("guarded");
        assert!(refused.message.contains("127.0.0.1 is not allowed"), "{}", refused.message);
    }
}
