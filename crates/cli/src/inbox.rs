//! The inbox from the terminal: sync the cache, list and read conversations, search, and
//! act on them. Reads come from the local cache (after a catch-up unless `--offline`), so
//! they work without the network; sends and status changes go through the outbox, so one
//! made offline succeeds at once and goes later, exactly once.

use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use switchboard_api::{Appointment, Channel, ConversationStatus, Lead, PatchConversationRequest};
use switchboard_core::CoreError;
use switchboard_store::{InboxFilter, OutboxAction, OutboxEntry, OutboxState, SearchQuery};
use switchboard_sync::{SyncEngine, SyncEvent, SyncStatus};

use crate::context::Context;
use crate::output::{Failure, clip, show, table};

#[derive(Debug, Args)]
pub struct Filters {
    #[arg(long, value_parser = parse_status)]
    pub status: Option<ConversationStatus>,
    #[arg(long, value_parser = parse_channel)]
    pub channel: Option<Channel>,
    /// `me`, `unassigned` or a member id.
    #[arg(long)]
    pub assignee: Option<String>,
    #[arg(long)]
    pub label: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Read the cache as it is, without asking the server first.
    #[arg(long)]
    pub offline: bool,
}

/// A value clap's parser refused; clap prints it as the usage error (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("expected one of {0}")]
pub struct NotOneOf(&'static str);

fn parse_status(s: &str) -> Result<ConversationStatus, NotOneOf> {
    ConversationStatus::parse(s).ok_or(NotOneOf("open, pending, snoozed, resolved"))
}

fn parse_channel(s: &str) -> Result<Channel, NotOneOf> {
    Channel::parse(s).ok_or(NotOneOf("whatsapp, web"))
}

/// Catches the cache up with a progress bar on a terminal (none with `--json`), then
/// sends what the outbox holds.
pub async fn sync(ctx: &mut Context, quiet: bool) -> Result<Arc<SyncEngine>, CoreError> {
    let engine = ctx.engine().await?;
    let bar = (!quiet && !ctx.json && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} syncing {bar:30} {pos}/{len} changes ({eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    });
    let mut events = engine.subscribe();
    let progress = bar.clone().map(|bar| {
        tokio::spawn(async move {
            while let Ok(event) = events.recv().await {
                if let SyncEvent::Status(SyncStatus::Syncing { done, total, .. }) = event {
                    bar.set_length(total.max(0) as u64);
                    bar.set_position(done.max(0) as u64);
                }
            }
        })
    });
    let caught_up = engine.catch_up().await;
    if let Some(p) = progress {
        p.abort();
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    caught_up?;
    engine.refresh_reference().await?;
    // A send that cannot go now stays queued for the next sync; reading still works.
    if let Err(e) = engine.push_outbox().await {
        eprintln!("note: the outbox waits for the server ({})", e.code());
    }
    Ok(engine)
}

/// The cache's engine, caught up unless `offline`.
async fn cache(ctx: &mut Context, offline: bool) -> Result<Arc<SyncEngine>, CoreError> {
    if offline {
        return ctx.engine().await;
    }
    sync(ctx, true).await
}

pub async fn run_sync(ctx: &mut Context) -> Result<(), CoreError> {
    let engine = sync(ctx, false).await?;
    let stats = engine.on_store::<_, CoreError>(|s| Ok(s.stats()?)).await?;
    show(ctx.json, &stats, |s| {
        format!("In sync: {} conversations, {} messages, {} contacts cached.", s.conversations, s.messages, s.contacts)
    });
    Ok(())
}

async fn member_filter(ctx: &mut Context, assignee: Option<String>) -> Result<Option<String>, CoreError> {
    match assignee.as_deref() {
        Some("me") => Ok(Some(ctx.client().await?.me().await?.member.id)),
        _ => Ok(assignee),
    }
}

pub async fn inbox(ctx: &mut Context, f: Filters) -> Result<(), CoreError> {
    let assignee = member_filter(ctx, f.assignee).await?;
    let engine = cache(ctx, f.offline).await?;
    let filter = InboxFilter {
        status: f.status,
        channel: f.channel,
        assignee,
        label: f.label,
        limit: Some(f.limit),
        ..Default::default()
    };
    let items = engine.on_store::<_, CoreError>(move |s| Ok(s.inbox_where(&filter)?)).await?;
    show(ctx.json, &items, |items| {
        if items.is_empty() {
            return "No conversations match.".into();
        }
        table(
            &["ID", "WITH", "CHANNEL", "STATUS", "BY", "LAST", "PREVIEW"],
            items
                .iter()
                .map(|c| {
                    vec![
                        c.id.clone(),
                        clip(&c.title, 24),
                        c.channel.as_str().into(),
                        c.status.as_str().into(),
                        c.handler.as_str().into(),
                        c.last_activity_at.get(..16).unwrap_or(&c.last_activity_at).replace('T', " "),
                        clip(c.preview.as_deref().unwrap_or(""), 50),
                    ]
                })
                .collect(),
        )
    });
    Ok(())
}

pub async fn show_conversation(ctx: &mut Context, id: String, offline: bool) -> Result<(), CoreError> {
    let engine = cache(ctx, offline).await?;
    let (item, messages, waiting) = engine
        .on_store::<_, CoreError>(move |s| {
            let item = s.inbox_item(&id, None)?.ok_or(CoreError::NotFound("conversation"))?;
            let messages = s.transcript(&id)?;
            let waiting = s.outbox(Some(&id))?;
            Ok((item, messages, waiting))
        })
        .await?;
    let value = serde_json::json!({"conversation": item, "messages": messages, "outbox": waiting});
    show(ctx.json, &value, |_| {
        let mut out = vec![format!(
            "{} · {} · {} · handled by {}",
            item.title,
            item.channel.as_str(),
            item.status.as_str(),
            item.handler.as_str()
        )];
        for m in &messages {
            let who = match (m.author, m.kind) {
                (_, switchboard_api::MessageKind::Note) => "note".to_owned(),
                (switchboard_api::Author::Contact, _) => item.title.clone(),
                (a, _) => a.as_str().to_owned(),
            };
            let status = if m.direction == switchboard_api::Direction::Outbound {
                format!(" [{}]", m.status.as_str())
            } else {
                String::new()
            };
            let body = if m.body.is_empty() { format!("({})", m.kind.as_str()) } else { m.body.clone() };
            out.push(format!(
                "{} {who}: {body}{status}",
                m.created_at.get(..16).unwrap_or(&m.created_at).replace('T', " ")
            ));
        }
        for e in &waiting {
            out.push(format!("(outbox {}) {}", e.state.as_str(), describe(&e.action)));
        }
        out.join("\n")
    });
    Ok(())
}

fn describe(action: &OutboxAction) -> String {
    match action {
        OutboxAction::Text { body } => body.clone(),
        OutboxAction::Note { body } => format!("note: {body}"),
        OutboxAction::Template { template } => format!("template {} ({})", template.name, template.language),
        OutboxAction::Status { status, snoozed_until } => match snoozed_until {
            Some(until) => format!("{} until {until}", status.as_str()),
            None => status.as_str().to_owned(),
        },
    }
}

/// Queues an action and tries to send it now. Once it is committed to the outbox the
/// command has done its part: offline, the entry stays `pending` and goes, exactly once,
/// with the next command that reaches the server, so this still succeeds (exit 0) and a
/// script that retries on failure does not queue it twice. Only the server's refusal of
/// this very entry is an error.
pub async fn queue(ctx: &mut Context, conversation: String, action: OutboxAction) -> Result<(), Failure> {
    if let OutboxAction::Text { body } | OutboxAction::Note { body } = &action
        && body.trim().is_empty()
    {
        return Err(CoreError::InvalidInput("the message is empty".into()).into());
    }
    let engine = ctx.engine().await?;
    let entry = engine.enqueue(conversation, action).await.map_err(CoreError::from)?;
    // Why it could not go (the server is away, or asked to wait) is for people only: for
    // a script the entry's state says it all.
    let waits = engine.push_outbox().await.err().map(|e| e.code());
    let id = entry.client_id.clone();
    let now = engine
        .on_store::<_, CoreError>(move |s| s.outbox_entry(&id)?.ok_or(CoreError::NotFound("outbox entry")))
        .await?;
    if now.state == OutboxState::Failed {
        return Err(refused(now));
    }
    show(ctx.json, &now, |e| {
        let why = waits.map(|code| format!(" (not sent now: {code})")).unwrap_or_default();
        match e.state {
            OutboxState::Sent => "Sent.".into(),
            _ => format!(
                "Queued as {}{why}; it goes when the server can be reached, with the next command that \
                 reaches it or `switchboard outbox push`.",
                e.client_id
            ),
        }
    });
    Ok(())
}

/// The server's refusal of a queued entry, with the code and words it gave.
fn refused(e: OutboxEntry) -> Failure {
    Failure::Refused {
        client_id: e.client_id,
        code: e.error_code.unwrap_or_else(|| switchboard_api::ErrorCode::Unknown.as_str().into()),
        words: e.error.unwrap_or_else(|| "the server refused it".into()),
    }
}

/// `2h`, `30m`, `1d` from now, or an RFC 3339 time.
pub fn until(text: &str) -> Result<String, CoreError> {
    let bad = || CoreError::InvalidInput(format!("{text:?} is not a duration like 2h, 30m, 1d or an RFC 3339 time"));
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&chrono::Utc).to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
    }
    let (number, unit) = text.split_at(text.len().saturating_sub(1));
    let n: i64 = number.parse().map_err(|_| bad())?;
    let seconds = match unit {
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return Err(bad()),
    };
    if n <= 0 || n > 365 * 86_400 / seconds {
        return Err(bad());
    }
    let at = chrono::Utc::now() + chrono::Duration::seconds(n * seconds);
    Ok(at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

pub async fn assign(ctx: &mut Context, conversation: String, to: String) -> Result<(), CoreError> {
    let client = ctx.client().await?;
    let member = match to.as_str() {
        "me" => Some(client.me().await?.member.id),
        "none" | "nobody" => None,
        id => Some(id.to_owned()),
    };
    let patch = PatchConversationRequest { assignee_id: Some(member), ..Default::default() };
    let updated = client.patch_conversation(&conversation, &patch, None).await?;
    show(ctx.json, &updated, |c| match &c.assignee_id {
        Some(m) => format!("Assigned to {m}."),
        None => "Unassigned.".into(),
    });
    Ok(())
}

pub async fn search(ctx: &mut Context, text: String, f: Filters) -> Result<(), CoreError> {
    let assignee = member_filter(ctx, f.assignee).await?;
    let engine = cache(ctx, f.offline).await?;
    let query = SearchQuery {
        text,
        status: f.status,
        channel: f.channel,
        assignee,
        label: f.label,
        from: None,
        to: None,
        limit: Some(f.limit),
    };
    let hits = engine.on_store::<_, CoreError>(move |s| Ok(s.search_messages(&query)?)).await?;
    show(ctx.json, &hits, |hits| {
        if hits.is_empty() {
            return "Nothing found.".into();
        }
        table(
            &["CONVERSATION", "WITH", "WHEN", "MATCH"],
            hits.iter()
                .map(|h| {
                    let snippet: String = h
                        .snippet
                        .iter()
                        .map(|r| if r.hit { format!("[{}]", r.text) } else { r.text.clone() })
                        .collect();
                    vec![
                        h.conversation_id.clone(),
                        clip(&h.title, 24),
                        h.created_at.get(..10).unwrap_or(&h.created_at).to_owned(),
                        clip(&snippet, 80),
                    ]
                })
                .collect(),
        )
    });
    Ok(())
}

pub async fn leads(ctx: &mut Context, offline: bool) -> Result<(), CoreError> {
    let engine = cache(ctx, offline).await?;
    let leads = engine.on_store::<_, CoreError>(|s| Ok(s.records::<Lead>()?)).await?;
    show(ctx.json, &leads, |l| {
        if l.is_empty() {
            return "No leads yet.".into();
        }
        table(
            &["ID", "STATUS", "NAME", "PHONE", "EMAIL", "INTEREST"],
            l.iter()
                .map(|l| {
                    vec![
                        l.id.clone(),
                        l.status.as_str().into(),
                        l.name.clone().unwrap_or_default(),
                        l.phone.clone().unwrap_or_default(),
                        l.email.clone().unwrap_or_default(),
                        clip(l.interest.as_deref().unwrap_or(""), 40),
                    ]
                })
                .collect(),
        )
    });
    Ok(())
}

pub async fn appointments(ctx: &mut Context, offline: bool) -> Result<(), CoreError> {
    let engine = cache(ctx, offline).await?;
    let list = engine.on_store::<_, CoreError>(|s| Ok(s.records::<Appointment>()?)).await?;
    show(ctx.json, &list, |a| {
        if a.is_empty() {
            return "No appointments yet.".into();
        }
        table(
            &["ID", "STATUS", "SERVICE", "WHEN", "NAME", "PHONE"],
            a.iter()
                .map(|a| {
                    vec![
                        a.id.clone(),
                        a.status.as_str().into(),
                        clip(&a.service, 30),
                        a.starts_at.clone().or_else(|| a.preferred_time.clone()).unwrap_or_default(),
                        a.name.clone().unwrap_or_default(),
                        a.phone.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        )
    });
    Ok(())
}

#[derive(Debug, clap::Subcommand)]
pub enum OutboxCommand {
    /// What waits to be sent, and what the server refused.
    List,
    /// Sends what waits.
    Push,
    /// Sends a refused entry again.
    Retry { id: String },
    /// Drops a waiting or refused entry.
    Discard { id: String },
}

pub async fn outbox(ctx: &mut Context, command: OutboxCommand) -> Result<(), CoreError> {
    let engine = ctx.engine().await?;
    match command {
        OutboxCommand::List => {
            let entries = engine.on_store::<_, CoreError>(|s| Ok(s.outbox(None)?)).await?;
            show(ctx.json, &entries, |e| {
                if e.is_empty() {
                    return "The outbox is empty: everything was sent.".into();
                }
                table(
                    &["ID", "CONVERSATION", "STATE", "TRIES", "WHAT", "WHY"],
                    e.iter()
                        .map(|e| {
                            vec![
                                e.client_id.clone(),
                                e.conversation_id.clone(),
                                e.state.as_str().into(),
                                e.attempts.to_string(),
                                clip(&describe(&e.action), 40),
                                e.error_code.clone().unwrap_or_default(),
                            ]
                        })
                        .collect(),
                )
            });
        }
        OutboxCommand::Push => {
            let pushed = engine.push_outbox().await?;
            let value = serde_json::json!({"sent": pushed.sent, "failed": pushed.failed});
            show(ctx.json, &value, |_| format!("{} sent, {} refused.", pushed.sent, pushed.failed));
        }
        OutboxCommand::Retry { id } => {
            engine.on_store::<_, CoreError>(move |s| Ok(s.retry(&id)?)).await?;
            let pushed = engine.push_outbox().await?;
            let value = serde_json::json!({"sent": pushed.sent, "failed": pushed.failed});
            show(ctx.json, &value, |_| if pushed.sent > 0 { "Sent.".into() } else { "Refused again.".into() });
        }
        OutboxCommand::Discard { id } => {
            let shown = id.clone();
            engine.on_store::<_, CoreError>(move |s| Ok(s.discard(&id)?)).await?;
            show(ctx.json, &serde_json::json!({"discarded": shown}), |_| "Discarded.".into());
        }
    }
    Ok(())
}
