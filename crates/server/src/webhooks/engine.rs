//! The delivery engine: claims due deliveries from the queue, sends them signed, and
//! records what happened. At least once: a delivery leaves the queue only when an attempt
//! is recorded, and a crash before that sends it again under the same `webhook-id`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use switchboard_api::AttemptTrigger;
use tokio::sync::{Notify, Semaphore, watch};

use super::schedule::{Clock, parse_retry_after};
use super::signing::{Secret, sign};
use super::ssrf::{GuardedResolver, TargetPolicy};
use crate::db::Db;
use crate::db::webhook_inactivity;
use crate::db::webhook_queue::{self, Claimed, Outcome};
use crate::error::Error;

/// How the engine delivers.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub policy: TargetPolicy,
    /// A receiver must answer within this.
    pub timeout: Duration,
    /// Deliveries in flight at once, over all endpoints.
    pub workers: u32,
    /// Deliveries in flight at once to one endpoint.
    pub per_endpoint: u32,
    pub clock: Clock,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            policy: TargetPolicy::default(),
            timeout: Duration::from_secs(10),
            workers: 64,
            per_endpoint: 16,
            clock: Clock::default(),
        }
    }
}

/// How often quiet conversations are looked for (`inactivityMinutes` is in minutes).
const INACTIVITY_SCAN: Duration = Duration::from_secs(30);

/// The most of a receiver's answer kept in the log.
const EXCERPT_BYTES: usize = 1024;

/// A claimed delivery is someone else's to retry after this (only after a crash: a
/// restart releases every lease at once).
fn lease(timeout: Duration) -> Duration {
    timeout * 3 + Duration::from_secs(30)
}

#[derive(Clone)]
pub struct Engine {
    db: Db,
    client: reqwest::Client,
    config: Arc<EngineConfig>,
    slots: Arc<Semaphore>,
    wake: Arc<Notify>,
    /// Requests in flight per endpoint. Only this engine claims, so it can count them
    /// itself instead of asking the database.
    in_flight: Arc<Mutex<HashMap<String, u32>>>,
}

impl Engine {
    pub fn new(db: Db, config: EngineConfig) -> Result<Self, Error> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(GuardedResolver::shared(config.policy))
            .user_agent(concat!("Switchboard-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Task(format!("webhook client: {e}")))?;
        let wake = db.events().webhook_wakeups();
        let slots = Arc::new(Semaphore::new(config.workers as usize));
        Ok(Self { db, client, config: Arc::new(config), slots, wake, in_flight: Arc::default() })
    }

    pub fn clock(&self) -> &Clock {
        &self.config.clock
    }

    /// Sends every delivery due now, waits for the attempts to be recorded, and returns how
    /// many attempts were made. Tests drive the engine with this and the clock.
    pub async fn run_due(&self) -> Result<usize, Error> {
        let mut made = 0;
        loop {
            let claimed = self.claim(self.config.workers).await?;
            if claimed.is_empty() {
                return Ok(made);
            }
            made += claimed.len();
            let attempts: Vec<_> = claimed.into_iter().map(|c| self.clone().attempt_and_record(c)).collect();
            for result in futures_util::future::join_all(attempts).await {
                result?;
            }
        }
    }

    /// Queues `conversation.inactive` for conversations that have been quiet long enough;
    /// returns how many.
    pub async fn scan_inactive(&self) -> Result<usize, Error> {
        let now = self.config.clock.now();
        self.db.write(move |w| webhook_inactivity::scan(w, now)).await
    }

    /// Runs until `stop` flips: sends what is due, sleeps until the next delivery falls due
    /// or a write queues one, and looks for quiet conversations now and then.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        if let Err(e) = self.db.write(|w| webhook_queue::release_leases(w.conn())).await {
            tracing::warn!(error = %e, "could not release webhook leases");
        }
        let mut scanned = Instant::now();
        loop {
            if scanned.elapsed() >= INACTIVITY_SCAN {
                scanned = Instant::now();
                if let Err(e) = self.scan_inactive().await {
                    tracing::warn!(error = %e, "could not look for inactive conversations");
                }
            }
            let free = self.slots.available_permits() as u32;
            let claimed = if free > 0 {
                self.claim(free).await.unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "could not claim webhook deliveries");
                    Vec::new()
                })
            } else {
                Vec::new()
            };
            let idle = claimed.is_empty();
            for c in claimed {
                let Ok(permit) = self.slots.clone().acquire_owned().await else { return };
                let this = self.clone();
                tokio::spawn(async move {
                    if let Err(e) = this.clone().attempt_and_record(c).await {
                        tracing::warn!(error = %e, "could not record a webhook attempt");
                    }
                    drop(permit);
                    this.wake.notify_one();
                });
            }
            if !idle {
                continue;
            }
            let wait = self.until_next_due().await;
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
                _ = stop.changed() => return,
            }
        }
    }

    async fn until_next_due(&self) -> Duration {
        // Deliveries due but held back by a per-endpoint cap wait for an attempt to finish,
        // which wakes the loop; the cap on the sleep covers a clock moved by tests.
        const MAX_SLEEP: Duration = Duration::from_secs(1);
        match self.db.read(webhook_queue::next_due).await {
            Ok(Some(due)) => (due - self.config.clock.now()).to_std().unwrap_or(MAX_SLEEP).min(MAX_SLEEP),
            _ => MAX_SLEEP,
        }
    }

    async fn claim(&self, limit: u32) -> Result<Vec<Claimed>, Error> {
        let now = self.config.clock.now();
        let (lease, cap) = (lease(self.config.timeout), self.config.per_endpoint);
        let busy = self.in_flight.lock().map_err(|_| Error::Task("in-flight count poisoned".into()))?.clone();
        let room = move |endpoint: &str| cap.saturating_sub(busy.get(endpoint).copied().unwrap_or(0));
        let claimed = self.db.write(move |w| webhook_queue::claim(w.conn(), now, lease, &room, limit)).await?;
        let mut in_flight = self.in_flight.lock().map_err(|_| Error::Task("in-flight count poisoned".into()))?;
        for c in &claimed {
            *in_flight.entry(c.endpoint_id.clone()).or_default() += 1;
        }
        Ok(claimed)
    }

    /// The endpoint has room again as soon as its answer is in; recording it follows.
    fn landed(&self, endpoint_id: &str) {
        if let Ok(mut in_flight) = self.in_flight.lock()
            && let Some(n) = in_flight.get_mut(endpoint_id)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                in_flight.remove(endpoint_id);
            }
        }
        self.wake.notify_one();
    }

    async fn attempt_and_record(self, claimed: Claimed) -> Result<(), Error> {
        let endpoint_id = claimed.endpoint_id.clone();
        let outcome = self.attempt(claimed).await;
        self.landed(&endpoint_id);
        let now = self.config.clock.now();
        self.db.write(move |w| webhook_queue::complete(w.conn(), &outcome, now)).await
    }

    async fn attempt(&self, c: Claimed) -> Outcome {
        let attempted_at = self.config.clock.now();
        let started = Instant::now();
        let mut outcome = Outcome {
            delivery_id: c.id.clone(),
            trigger: c.trigger,
            attempted_at,
            status: None,
            duration_ms: 0,
            error: None,
            excerpt: None,
            retry_after: None,
        };
        match self.send(&c, attempted_at.timestamp()).await {
            Ok(resp) => {
                outcome.status = Some(resp.status().as_u16());
                outcome.retry_after = resp
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| parse_retry_after(v, attempted_at));
                let location =
                    resp.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned);
                let (excerpt, read_error) = excerpt(resp, self.config.timeout.saturating_sub(started.elapsed())).await;
                outcome.excerpt = excerpt;
                outcome.error = match (outcome.status, location) {
                    (Some(s), Some(to)) if (300..400).contains(&s) => Some(format!("Redirect to {to} not followed")),
                    (Some(s), _) if !(200..300).contains(&s) => Some(format!("The receiver answered {s}")),
                    _ => read_error,
                };
            }
            Err(e) => outcome.error = Some(e.to_string()),
        }
        outcome.duration_ms = u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
        if outcome.trigger == AttemptTrigger::Replay {
            tracing::info!(delivery = %c.id, status = ?outcome.status, "webhook replayed");
        }
        outcome
    }

    async fn send(&self, c: &Claimed, timestamp: i64) -> Result<reqwest::Response, SendFailure> {
        let url = reqwest::Url::parse(&c.url).map_err(|_| SendFailure::BadUrl)?;
        self.config.policy.check_host(url.host_str().unwrap_or_default())?;
        let secrets: Vec<Secret> = c.secrets.iter().filter_map(|s| Secret::parse(s).ok()).collect();
        let refs: Vec<&Secret> = secrets.iter().collect();
        let signed = sign(&refs, &c.id, timestamp, c.payload.as_bytes()).ok_or(SendFailure::NoSecret)?;
        let mut request = self.client.post(url).timeout(self.config.timeout);
        for (name, value) in &c.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        request
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("webhook-id", &signed.webhook_id)
            .header("webhook-timestamp", &signed.webhook_timestamp)
            .header("webhook-signature", &signed.webhook_signature)
            .header("X-CAAC-Event", c.event.as_str())
            .header("X-CAAC-Signature", &signed.caac_signature)
            .body(c.payload.clone())
            .send()
            .await
            .map_err(|e| SendFailure::Request(describe(&e, self.config.timeout)))
    }
}

/// Why no answer came: the attempt's `error` in the delivery log.
#[derive(Debug, thiserror::Error)]
enum SendFailure {
    #[error("The endpoint URL is not valid")]
    BadUrl,
    #[error("The endpoint has no usable signing secret")]
    NoSecret,
    #[error(transparent)]
    Refused(#[from] super::ssrf::Refused),
    #[error("{0}")]
    Request(String),
}

/// The first [`EXCERPT_BYTES`] of the answer, read within what is left of the timeout.
async fn excerpt(mut resp: reqwest::Response, left: Duration) -> (Option<String>, Option<String>) {
    let mut body = Vec::new();
    let read = tokio::time::timeout(left, async {
        while body.len() < EXCERPT_BYTES {
            match resp.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) => return Ok(()),
                Err(e) => return Err(e.to_string()),
            }
        }
        Ok(())
    })
    .await;
    body.truncate(EXCERPT_BYTES);
    let text = String::from_utf8_lossy(&body).into_owned();
    let error = match read {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(format!("Reading the answer failed: {e}")),
        Err(_) => Some("The answer did not finish in time".to_owned()),
    };
    ((!text.is_empty()).then_some(text), error)
}

/// A short reason for a failed request, without the URL (which may hold a token).
fn describe(e: &reqwest::Error, timeout: Duration) -> String {
    if e.is_timeout() {
        return format!("No answer within {} s", timeout.as_secs_f64());
    }
    let detail = crate::error::root_cause(e);
    if e.is_connect() { format!("Could not connect: {detail}") } else { format!("Request failed: {detail}") }
}
