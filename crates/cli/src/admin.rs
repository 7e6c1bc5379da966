//! `switchboard keys …` and `switchboard webhooks …`: the admin console from a terminal
//! (the key of the profile needs the admin scope). Secrets are printed once, when made.

use clap::Subcommand;
use switchboard_api::{
    CreateKeyRequest, CreateWebhookRequest, ListDeliveriesQuery, RotateKeyRequest, Scope, WebhookEventType,
};
use switchboard_core::CoreError;

use crate::context::Context;
use crate::output::{clip, show, table};

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Active keys; `--all` adds revoked and expired ones.
    List {
        #[arg(long)]
        all: bool,
    },
    /// A new key acting as you; its secret is printed once.
    Create {
        name: String,
        /// Comma-separated: read, write, admin.
        #[arg(long, default_value = "read,write")]
        scopes: String,
        /// RFC 3339 end of life.
        #[arg(long)]
        expires_at: Option<String>,
    },
    Revoke {
        id: String,
    },
    /// A new key like the old one, which keeps working for the grace period.
    Rotate {
        id: String,
        /// Seconds the old key keeps working (default 24 h; 0 ends it now).
        #[arg(long)]
        grace: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum WebhooksCommand {
    List,
    /// A new endpoint; its signing secret is printed once.
    Create {
        url: String,
        /// Comma-separated event names (default: every event).
        #[arg(long)]
        events: Option<String>,
        #[arg(long)]
        description: Option<String>,
    },
    /// Sends a `test` event to the endpoint.
    Test {
        id: String,
    },
    /// The endpoint's delivery log, newest first.
    Deliveries {
        id: String,
        /// pending, succeeded or failed
        #[arg(long)]
        state: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Sends a delivery again, as it was.
    Replay {
        delivery_id: String,
    },
    /// Checks a delivery a receiver got, as a receiver must: the Standard Webhooks headers
    /// when present, else `X-CAAC-Signature` (hex HMAC-SHA256 of the body keyed with the
    /// whole `whsec_…` string). Needs no profile.
    Verify {
        /// The endpoint's signing secret (`whsec_…`); better from the environment, where
        /// `ps` does not show it.
        #[arg(long, env = "SWITCHBOARD_WEBHOOK_SECRET", hide_env_values = true)]
        secret: String,
        /// The raw body as received, byte for byte.
        #[arg(long)]
        body: std::path::PathBuf,
        /// A header as received, `Name: value`; repeat for each.
        #[arg(long = "header")]
        headers: Vec<String>,
    },
}

/// `switchboard webhooks verify`: valid, or the reason it is not (`signature_invalid`).
pub fn verify(json: bool, secret: String, body: &std::path::Path, headers: Vec<String>) -> Result<(), CoreError> {
    let body =
        std::fs::read(body).map_err(|e| CoreError::InvalidInput(format!("cannot read {}: {e}", body.display())))?;
    let body = String::from_utf8(body).map_err(|_| CoreError::InvalidInput("the body is not UTF-8 text".into()))?;
    let check = switchboard_core::admin::SignatureCheck { secret, headers: headers.join("\n"), body };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let verdict = switchboard_core::admin::check_signature(&check, now);
    match verdict.reason {
        None => {
            show(json, &verdict, |_| "Valid: this secret signed this body.".to_owned());
            Ok(())
        }
        Some(why) => Err(CoreError::SignatureInvalid(why)),
    }
}

fn scopes(list: &str) -> Result<Vec<Scope>, CoreError> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            Scope::parse(s).ok_or_else(|| CoreError::InvalidInput(format!("{s:?} is not a scope (read, write, admin)")))
        })
        .collect()
}

fn events(list: &str) -> Result<Vec<WebhookEventType>, CoreError> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| WebhookEventType::parse(s).ok_or_else(|| CoreError::InvalidInput(format!("{s:?} is not an event"))))
        .collect()
}

pub async fn keys(ctx: &mut Context, command: KeysCommand) -> Result<(), CoreError> {
    let client = ctx.client().await?;
    match command {
        KeysCommand::List { all } => {
            let keys = client.list_keys(all).await?;
            show(ctx.json, &keys, |k| {
                table(
                    &["ID", "NAME", "PREFIX", "SCOPES", "LAST USED", "EXPIRES"],
                    k.iter()
                        .map(|k| {
                            vec![
                                k.id.clone(),
                                clip(&k.name, 30),
                                k.prefix.clone(),
                                k.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(","),
                                k.last_used_at.clone().unwrap_or_else(|| "never".into()),
                                k.expires_at.clone().unwrap_or_default(),
                            ]
                        })
                        .collect(),
                )
            });
        }
        KeysCommand::Create { name, scopes: list, expires_at } => {
            let req = CreateKeyRequest { name, scopes: scopes(&list)?, expires_at, member_id: None };
            let created = client.create_key(&req).await?;
            show(ctx.json, &created, |c| {
                format!("Created {}. Its secret, shown this once:\n\n    {}\n", c.key.id, c.secret)
            });
        }
        KeysCommand::Revoke { id } => {
            let key = client.revoke_key(&id).await?;
            show(ctx.json, &key, |k| format!("Revoked {} ({}).", k.id, k.name));
        }
        KeysCommand::Rotate { id, grace } => {
            let rotated = client.rotate_key(&id, &RotateKeyRequest { grace_period_seconds: grace }).await?;
            show(ctx.json, &rotated, |r| {
                format!(
                    "New key {}; the old one works until {}. The new secret, shown this once:\n\n    {}\n",
                    r.key.id,
                    r.previous.expires_at.as_deref().unwrap_or("now"),
                    r.secret
                )
            });
        }
    }
    Ok(())
}

pub async fn webhooks(ctx: &mut Context, command: WebhooksCommand) -> Result<(), CoreError> {
    if let WebhooksCommand::Verify { secret, body, headers } = command {
        return verify(ctx.json, secret, &body, headers);
    }
    let client = ctx.client().await?;
    match command {
        WebhooksCommand::List => {
            let list = client.list_webhooks().await?;
            show(ctx.json, &list, |l| {
                if l.is_empty() {
                    return "No webhook endpoints.".into();
                }
                table(
                    &["ID", "URL", "ACTIVE", "EVENTS", "LAST DELIVERY"],
                    l.iter()
                        .map(|w| {
                            vec![
                                w.id.clone(),
                                clip(&w.url, 50),
                                if w.active { "yes".into() } else { "no".into() },
                                w.events.as_ref().map_or("all".into(), |e| e.len().to_string()),
                                w.last_delivery_state.map_or("-".into(), |s| s.as_str().to_owned()),
                            ]
                        })
                        .collect(),
                )
            });
        }
        WebhooksCommand::Create { url, events: list, description } => {
            let req = CreateWebhookRequest {
                url,
                description,
                events: list.as_deref().map(events).transpose()?,
                ..Default::default()
            };
            let created = client.create_webhook(&req).await?;
            show(ctx.json, &created, |w| {
                format!("Created {}. Its signing secret, shown this once:\n\n    {}\n", w.endpoint.id, w.secret)
            });
        }
        WebhooksCommand::Test { id } => {
            let d = client.test_webhook(&id).await?;
            show(ctx.json, &d, |d| format!("Queued test delivery {}.", d.id));
        }
        WebhooksCommand::Deliveries { id, state, limit } => {
            let q = ListDeliveriesQuery { state, limit: Some(limit), ..Default::default() };
            let page = client.list_deliveries(&id, &q).await?;
            show(ctx.json, &page, |p| {
                if p.data.is_empty() {
                    return "No deliveries yet.".into();
                }
                table(
                    &["ID", "EVENT", "STATE", "ATTEMPTS", "STATUS", "CREATED"],
                    p.data
                        .iter()
                        .map(|d| {
                            vec![
                                d.id.clone(),
                                d.event.as_str().into(),
                                d.state.as_str().into(),
                                d.attempts.to_string(),
                                d.last_status_code.map_or("-".into(), |c| c.to_string()),
                                d.created_at.clone(),
                            ]
                        })
                        .collect(),
                )
            });
        }
        WebhooksCommand::Replay { delivery_id } => {
            let d = client.replay_delivery(&delivery_id).await?;
            show(ctx.json, &d, |d| format!("Replaying {} ({}).", d.id, d.event.as_str()));
        }
        WebhooksCommand::Verify { .. } => {}
    }
    Ok(())
}
