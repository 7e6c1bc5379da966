//! [`ChannelStorage`] on SQLite.

use async_trait::async_trait;
use switchboard_api::{ChannelConfig, Contact, Direction, ErrorCode, Message, MessageContent, MessageKind, Page};

use super::channel_inbound::{self as inbound, Report};
use super::channels::{self as store, IdentityKind};
use super::{Db, audit};
use crate::channel_storage::{ChannelStorage, WidgetConversation};
use crate::channels::config::StoredChannel;
use crate::channels::whatsapp::inbound::Notification;
use crate::error::Error;
use crate::record_storage::Edit;
use crate::storage::Actor;

#[async_trait]
impl ChannelStorage for Db {
    async fn list_channels(&self, workspace_id: String) -> Result<Vec<ChannelConfig>, Error> {
        let all = self.read(move |conn| store::list_channels(conn, &workspace_id)).await?;
        Ok(all.iter().map(StoredChannel::public).collect())
    }

    async fn channel(&self, workspace_id: String, id: String) -> Result<ChannelConfig, Error> {
        Ok(self.read(move |conn| store::get_channel(conn, &workspace_id, &id)).await?.public())
    }

    async fn create_channel(&self, actor: Actor, channel: StoredChannel) -> Result<ChannelConfig, Error> {
        self.write(move |w| {
            store::insert_channel(w, &channel)?;
            audit::record(w.conn(), &actor, "channel.created", "channel", &channel.id)?;
            Ok(channel.public())
        })
        .await
    }

    async fn edit_channel(&self, actor: Actor, id: String, edit: Edit<StoredChannel>) -> Result<ChannelConfig, Error> {
        self.write(move |w| {
            let current = store::get_channel(w.conn(), &actor.workspace_id, &id)?;
            let mut edited = edit(current.clone())?;
            if edited == current {
                return Ok(current.public());
            }
            edited.updated_at = crate::time::now();
            store::save_channel(w, &edited)?;
            audit::record(w.conn(), &actor, "channel.updated", "channel", &id)?;
            // Re-activating resumes the replies that waited.
            w.note_queued_channel_jobs();
            Ok(edited.public())
        })
        .await
    }

    async fn delete_channel(&self, actor: Actor, id: String) -> Result<(), Error> {
        self.write(move |w| {
            store::delete_channel(w, &actor.workspace_id, &id)?;
            audit::record(w.conn(), &actor, "channel.deleted", "channel", &id)
        })
        .await
    }

    async fn ingress_channel(&self, id: String) -> Result<Option<StoredChannel>, Error> {
        self.read(move |conn| store::channel_by_id(conn, &id)).await
    }

    async fn web_inbox(&self, inbox_identifier: String) -> Result<Option<StoredChannel>, Error> {
        self.read(move |conn| store::channel_by_public_id(conn, switchboard_api::ChannelKind::Web, &inbox_identifier))
            .await
    }

    async fn receive_whatsapp(
        &self,
        channel: StoredChannel,
        notifications: Vec<Notification>,
    ) -> Result<Report, Error> {
        self.write(move |w| {
            let mut total = Report::default();
            for n in notifications {
                let r = inbound::whatsapp(w, &channel, n)?;
                total.received += r.received;
                total.duplicates += r.duplicates;
                total.statuses += r.statuses;
                total.templates += r.templates;
                total.ignored += r.ignored;
            }
            Ok(total)
        })
        .await
    }

    async fn widget_contact(
        &self,
        inbox: StoredChannel,
        identifier: Option<String>,
        name: Option<String>,
        email: Option<String>,
    ) -> Result<(String, Contact), Error> {
        self.write(move |w| {
            let ws = inbox.workspace_id.clone();
            let identifier = match identifier {
                Some(id) => {
                    if store::contact_by_identity(w.conn(), &ws, IdentityKind::Web, &id)?.is_none() {
                        return Err(Error::not_found("contact"));
                    }
                    id
                }
                None => crate::ids::random_base62(24),
            };
            let mut contact = inbound::contact_for(w, &ws, &[(IdentityKind::Web, &identifier)], None, name.as_deref())?;
            if contact.email.is_none() && email.is_some() {
                contact.email = email;
                contact = super::contacts::save(w, &ws, contact)?;
            }
            Ok((identifier, contact))
        })
        .await
    }

    async fn widget_conversations(
        &self,
        inbox: StoredChannel,
        identifier: String,
    ) -> Result<Vec<WidgetConversation>, Error> {
        self.read(move |conn| {
            let contact = visitor(conn, &inbox, &identifier)?;
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {} FROM conversations WHERE workspace_id = ?1 AND contact_id = ?2 AND channel_id = ?3
                 ORDER BY COALESCE(last_message_at, created_at) DESC LIMIT 50",
                switchboard_sqlite::CONVERSATION_COLUMNS
            ))?;
            let rows = stmt
                .query_map([&inbox.workspace_id, &contact.id, &inbox.id], switchboard_sqlite::conversation_from_row)?;
            let rows: Vec<switchboard_api::Conversation> = rows.collect::<Result<_, _>>()?;
            Ok(rows.iter().map(widget_view).collect())
        })
        .await
    }

    async fn widget_open(&self, inbox: StoredChannel, identifier: String) -> Result<WidgetConversation, Error> {
        self.write(move |w| {
            let ws = inbox.workspace_id.as_str();
            let contact = visitor(w.conn(), &inbox, &identifier)?;
            let id = match store::open_conversation_on(w.conn(), ws, &contact.id, &inbox.id)? {
                Some(id) => id,
                None => {
                    let c = super::conversations::open_new(w, ws, &contact.id, switchboard_api::Channel::Web)?;
                    store::attach_conversation(w, ws, &c.id, &inbox.id)?;
                    c.id
                }
            };
            Ok(widget_view(&super::get_conversation(w.conn(), ws, &id)?))
        })
        .await
    }

    async fn widget_post(
        &self,
        inbox: StoredChannel,
        identifier: String,
        conversation_id: String,
        content: MessageContent,
    ) -> Result<Message, Error> {
        self.write(move |w| {
            let ws = inbox.workspace_id.as_str();
            let contact = visitor(w.conn(), &inbox, &identifier)?;
            theirs(w.conn(), &inbox, &contact, &conversation_id)?;
            let new = super::NewMessage {
                conversation_id: &conversation_id,
                direction: Direction::Inbound,
                author: switchboard_api::Author::Contact,
                author_id: Some(&contact.id),
                content,
                client_id: None,
                created_at: None,
            };
            Ok(super::insert_message(w, ws, new)?.0)
        })
        .await
    }

    async fn widget_messages(
        &self,
        inbox: StoredChannel,
        identifier: String,
        conversation_id: String,
        after: Option<String>,
        limit: u32,
    ) -> Result<Page<Message>, Error> {
        self.read(move |conn| {
            let contact = visitor(conn, &inbox, &identifier)?;
            theirs(conn, &inbox, &contact, &conversation_id)?;
            let (messages, next_cursor) =
                super::list_messages(conn, &inbox.workspace_id, &conversation_id, after.as_deref(), limit)?;
            let data = messages
                .into_iter()
                .filter(|m| m.kind != MessageKind::Note)
                .map(|mut m| {
                    // The visitor is not told which member wrote, nor our delivery internals.
                    if m.direction == Direction::Outbound {
                        m.author_id = None;
                        m.client_id = None;
                    }
                    m
                })
                .collect();
            Ok(Page { data, next_cursor })
        })
        .await
    }
}

/// The contact behind a widget's contact identifier; an unknown one is a 404.
fn visitor(conn: &rusqlite::Connection, inbox: &StoredChannel, identifier: &str) -> Result<Contact, Error> {
    store::contact_by_identity(conn, &inbox.workspace_id, IdentityKind::Web, identifier)?
        .ok_or_else(|| Error::api(ErrorCode::NotFound, "no contact with this identifier in this inbox"))
}

/// A conversation of the visitor in this inbox, or a 404 (never another's).
fn theirs(
    conn: &rusqlite::Connection,
    inbox: &StoredChannel,
    contact: &Contact,
    conversation_id: &str,
) -> Result<(), Error> {
    let conversation = super::get_conversation(conn, &inbox.workspace_id, conversation_id)?;
    let on_inbox =
        store::channel_of_conversation(conn, &inbox.workspace_id, conversation_id)?.is_some_and(|c| c.id == inbox.id);
    if conversation.contact_id != contact.id || !on_inbox {
        return Err(Error::not_found("conversation"));
    }
    Ok(())
}

fn widget_view(c: &switchboard_api::Conversation) -> WidgetConversation {
    WidgetConversation {
        id: c.id.clone(),
        status: c.status,
        last_message_preview: c.last_message_preview.clone(),
        last_message_at: c.last_message_at.clone(),
        created_at: c.created_at.clone(),
    }
}
