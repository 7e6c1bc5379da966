//! Takes queued replies out through their channel: WhatsApp numbers through Meta's Graph
//! API, the sandbox number by itself. The queue is the `channel_jobs` table: a job is
//! leased while it runs, so after a crash it runs again (a message Meta had already taken
//! may then go twice: Meta's API has no idempotency key to prevent that).

use std::time::Duration;

use chrono::Utc;
use switchboard_api::{ChannelKind, ErrorCode, Message, MessageStatus};
use tokio::sync::watch;

use super::config::StoredChannel;
use super::whatsapp::graph::{GraphClient, SendError};
use crate::db::Db;
use crate::db::channels::{self as jobs, Job, JobAction};
use crate::error::Error;
use crate::time;
use crate::webhooks::ssrf::TargetPolicy;

/// Tries for a message Meta keeps refusing for passing reasons (rate limits, outages).
const MAX_ATTEMPTS: u32 = 6;
const LEASE: Duration = Duration::from_secs(60);
const BATCH: u32 = 32;
/// The longest the loop sleeps without looking at the queue.
const IDLE: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy)]
pub struct SenderConfig {
    /// How long the sandbox number takes to report a reply delivered, and then read.
    pub sandbox_delivered_after: Duration,
    pub sandbox_read_after: Duration,
}

impl Default for SenderConfig {
    fn default() -> Self {
        Self { sandbox_delivered_after: Duration::from_millis(1500), sandbox_read_after: Duration::from_secs(4) }
    }
}

#[derive(Clone)]
pub struct ChannelSender {
    db: Db,
    graph: GraphClient,
    config: SenderConfig,
}

/// What a job found when it ran.
struct Context {
    channel: StoredChannel,
    message: Message,
    to: Option<String>,
}

impl ChannelSender {
    /// `policy` is where Graph base URLs may point: the webhooks' rule (loopback only
    /// for tests and local stand-ins).
    pub fn new(db: Db, policy: TargetPolicy, config: SenderConfig) -> Result<Self, Error> {
        Ok(Self { db, graph: GraphClient::new(policy)?, config })
    }

    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let wake = self.db.events().channel_wakeups();
        loop {
            if let Err(e) = self.run_due().await {
                tracing::warn!(error = %e, "the channel sender could not run its queue");
            }
            let pause = self.until_next_due().await;
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(pause) => {}
                _ = stop.changed() => return,
            }
        }
    }

    async fn until_next_due(&self) -> Duration {
        let next = self.db.read(jobs::next_due).await.ok().flatten();
        let Some(next) = next.and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok()) else { return IDLE };
        (next.with_timezone(&Utc) - Utc::now()).to_std().unwrap_or(Duration::ZERO).min(IDLE)
    }

    /// Runs every job that is due now; how many ran.
    pub async fn run_due(&self) -> Result<usize, Error> {
        let mut ran = 0;
        loop {
            let now = Utc::now();
            let lease_until = time::format(now + chrono::Duration::from_std(LEASE).unwrap_or_default());
            let claimed = self.db.write(move |w| jobs::claim_due(w, &time::format(now), &lease_until, BATCH)).await?;
            if claimed.is_empty() {
                return Ok(ran);
            }
            ran += claimed.len();
            let runs = claimed.into_iter().map(|job| self.process(job));
            for result in futures_util::future::join_all(runs).await {
                if let Err(e) = result {
                    tracing::warn!(error = %e, "a channel job failed; it runs again when its lease ends");
                }
            }
        }
    }

    async fn process(&self, job: Job) -> Result<(), Error> {
        let ctx = {
            let job = job.clone();
            self.db.read(move |conn| context(conn, &job)).await?
        };
        let Some(ctx) = ctx else {
            // The message or its channel is gone.
            return self.db.write(move |w| jobs::finish(w, job.id)).await;
        };
        match (ctx.channel.kind, job.action) {
            (ChannelKind::Sandbox, action) => self.sandbox(job, action).await,
            (ChannelKind::Whatsapp, JobAction::Send) => self.whatsapp(job, ctx).await,
            _ => self.db.write(move |w| jobs::finish(w, job.id)).await,
        }
    }

    async fn whatsapp(&self, job: Job, ctx: Context) -> Result<(), Error> {
        let outcome = match (ctx.channel.whatsapp(), ctx.to.as_deref()) {
            _ if !ctx.channel.active => Err(SendError {
                code: ErrorCode::InvalidState,
                reason: "the WhatsApp channel is paused".to_owned(),
                transient: false,
            }),
            (Some(config), Some(to)) => self.graph.send(config, to, &ctx.message).await,
            (_, None) => Err(SendError {
                code: ErrorCode::InvalidRecipient,
                reason: "the contact has no WhatsApp number".to_owned(),
                transient: false,
            }),
            (None, _) => Err(SendError {
                code: ErrorCode::InvalidState,
                reason: "the channel has no WhatsApp configuration".to_owned(),
                transient: false,
            }),
        };
        let message = ctx.message;
        self.db
            .write(move |w| {
                let ws = job.workspace_id.as_str();
                match outcome {
                    Ok(wamid) => {
                        jobs::set_external_id(w, ws, &message.id, &wamid)?;
                        mark(w, ws, &message, MessageStatus::Sent, None)?;
                        jobs::finish(w, job.id)
                    }
                    Err(e) if e.transient && job.attempts + 1 < MAX_ATTEMPTS => {
                        jobs::retry_at(w, job.id, &time::format(Utc::now() + backoff(job.attempts)))
                    }
                    Err(e) => {
                        mark(w, ws, &message, MessageStatus::Failed, Some((e.reason, Some(e.code))))?;
                        jobs::finish(w, job.id)
                    }
                }
            })
            .await
    }

    /// The sandbox number takes every reply, then reports it delivered and read.
    async fn sandbox(&self, job: Job, action: JobAction) -> Result<(), Error> {
        let (delivered_after, read_after) = (self.config.sandbox_delivered_after, self.config.sandbox_read_after);
        self.db
            .write(move |w| {
                let ws = job.workspace_id.as_str();
                let message = jobs::message(w.conn(), ws, &job.message_id)?;
                jobs::finish(w, job.id)?;
                let Some(message) = message else { return Ok(()) };
                let later =
                    |after: Duration| time::format(Utc::now() + chrono::Duration::from_std(after).unwrap_or_default());
                match action {
                    JobAction::Send => {
                        jobs::set_external_id(w, ws, &message.id, &format!("sandbox.{}", message.id))?;
                        mark(w, ws, &message, MessageStatus::Sent, None)?;
                        jobs::enqueue(w, ws, &job.channel_id, &message.id, JobAction::Deliver, &later(delivered_after))
                    }
                    JobAction::Deliver => {
                        mark(w, ws, &message, MessageStatus::Delivered, None)?;
                        jobs::enqueue(w, ws, &job.channel_id, &message.id, JobAction::Read, &later(read_after))
                    }
                    JobAction::Read => mark(w, ws, &message, MessageStatus::Read, None),
                }
            })
            .await
    }
}

fn mark(
    w: &mut crate::db::Writer<'_>,
    ws: &str,
    message: &Message,
    status: MessageStatus,
    error: Option<(String, Option<ErrorCode>)>,
) -> Result<(), Error> {
    crate::db::update_status(w, ws, &message.conversation_id, &message.id, status, error).map(|_| ())
}

/// 2 s, 8 s, 32 s, then about 2 and 8.5 minutes.
fn backoff(attempts: u32) -> chrono::Duration {
    chrono::Duration::seconds(2 * 4_i64.pow(attempts.min(4)))
}

fn context(conn: &rusqlite::Connection, job: &Job) -> Result<Option<Context>, Error> {
    let ws = job.workspace_id.as_str();
    let Ok(channel) = jobs::get_channel(conn, ws, &job.channel_id) else { return Ok(None) };
    let Some(message) = jobs::message(conn, ws, &job.message_id)? else { return Ok(None) };
    let conversation = crate::db::get_conversation(conn, ws, &message.conversation_id)?;
    let to = match jobs::identity_of(conn, ws, &conversation.contact_id, jobs::IdentityKind::WaId)? {
        Some(wa_id) => Some(wa_id),
        None => crate::db::get_contact(conn, ws, &conversation.contact_id)?
            .and_then(|c| c.phone)
            .map(|p| p.trim_start_matches('+').to_owned()),
    };
    Ok(Some(Context { channel, message, to }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_grows_and_is_capped() {
        let secs: Vec<i64> = (0..7).map(|a| super::backoff(a).num_seconds()).collect();
        assert_eq!(secs, vec![2, 8, 32, 128, 512, 512, 512]);
    }
}
