//! Writes realistic inbound messages into the demo workspace at a steady pace, so a fresh
//! install has a live inbox: new visitors arrive and existing patients follow up.

use std::time::Duration;

use rand::Rng;
use rand::seq::IndexedRandom;
use rusqlite::OptionalExtension;
use switchboard_api::{Author, Channel, Direction};
use tokio::sync::watch;

use super::{DemoChannels, script};
use crate::db::channels::IdentityKind;
use crate::db::{Db, NewMessage, channel_inbound, find_or_create_by_phone, find_or_open, insert_message};
use crate::error::Error;

#[derive(Debug, Clone, Copy)]
pub struct SimulatorConfig {
    pub every: Duration,
}

pub struct Simulator {
    db: Db,
    workspace_id: String,
    config: SimulatorConfig,
}

const FIRST_NAMES: &[&str] =
    &["Alex", "Jordan", "Taylor", "Riley", "Casey", "Morgan", "Jamie", "Robin", "Sasha", "Kim"];

impl Simulator {
    pub fn new(db: Db, workspace_id: String, config: SimulatorConfig) -> Self {
        Self { db, workspace_id, config }
    }

    /// Runs until `stop` changes or is dropped.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let mut ticker = tokio::time::interval(self.config.every);
        ticker.tick().await;
        loop {
            tokio::select! {
                _ = ticker.tick() => {
                    if let Err(e) = self.tick().await {
                        tracing::warn!(error = %e, "visitor simulator could not write a message");
                    }
                }
                _ = stop.changed() => return,
            }
        }
    }

    /// One simulated inbound message.
    pub async fn tick(&self) -> Result<(), Error> {
        let ws = self.workspace_id.clone();
        self.db
            .write(move |w| {
                let mut rng = rand::rng();
                let follow_up: Option<(String, String)> = if rng.random_bool(0.6) {
                    w.conn()
                        .query_row(
                            "SELECT id, contact_id FROM conversations
                             WHERE workspace_id = ?1 AND status != 'resolved' ORDER BY random() LIMIT 1",
                            [&ws],
                            |r| Ok((r.get(0)?, r.get(1)?)),
                        )
                        .optional()?
                } else {
                    None
                };
                let (conversation_id, contact_id, text) = match follow_up {
                    Some((conversation, contact)) => {
                        (conversation, contact, *script::FOLLOW_UPS.choose(&mut rng).unwrap_or(&"Hello?"))
                    }
                    None => {
                        let name = format!(
                            "{} {}.",
                            FIRST_NAMES.choose(&mut rng).unwrap_or(&"Visitor"),
                            (b'A' + rng.random_range(0..26u8)) as char
                        );
                        let phone = format!("+1555019{:04}", rng.random_range(0..10_000));
                        let opener = *script::OPENERS.choose(&mut rng).unwrap_or(&"Hi!");
                        let web = rng.random_bool(0.5);
                        // New visitors arrive the way real ones do: through a channel.
                        if let Some(channels) = DemoChannels::find(w.conn(), &ws)? {
                            let (channel, identity) = if web {
                                (&channels.web, (IdentityKind::Web, crate::ids::random_base62(24)))
                            } else {
                                (&channels.sandbox, (IdentityKind::WaId, phone.trim_start_matches('+').to_owned()))
                            };
                            let phone = (!web).then_some(phone.as_str());
                            let identity = (identity.0, identity.1.as_str());
                            channel_inbound::text_from(w, channel, identity, phone, Some(&name), opener)?;
                            return Ok(());
                        }
                        let contact = find_or_create_by_phone(w, &ws, &phone, Some(&name))?;
                        let channel = if web { Channel::Web } else { Channel::Whatsapp };
                        let conversation = find_or_open(w, &ws, &contact.id, channel)?;
                        (conversation.id, contact.id, opener)
                    }
                };
                insert_message(
                    w,
                    &ws,
                    NewMessage::text(&conversation_id, Direction::Inbound, Author::Contact, Some(&contact_id), text),
                )?;
                Ok(())
            })
            .await
    }
}
