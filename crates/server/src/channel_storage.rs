//! The storage interface for channels and what they deliver. Admin actions take an
//! [`Actor`] and are audited in the same transaction; the ingress methods are for the
//! public routes, which have no key and find their channel by the id in their URL.

use async_trait::async_trait;
use switchboard_api::{ChannelConfig, Contact, Message, MessageContent, Page};

use crate::channels::config::StoredChannel;
use crate::channels::whatsapp::inbound::Notification;
use crate::db::channel_inbound::Report;
use crate::error::Error;
use crate::record_storage::Edit;
use crate::storage::Actor;

#[async_trait]
pub trait ChannelStorage {
    async fn list_channels(&self, workspace_id: String) -> Result<Vec<ChannelConfig>, Error>;
    async fn channel(&self, workspace_id: String, id: String) -> Result<ChannelConfig, Error>;
    /// A validated channel (id and times set); a phone number id or inbox identifier in
    /// use anywhere on this server is a conflict.
    async fn create_channel(&self, actor: Actor, channel: StoredChannel) -> Result<ChannelConfig, Error>;
    async fn edit_channel(&self, actor: Actor, id: String, edit: Edit<StoredChannel>) -> Result<ChannelConfig, Error>;
    /// Its conversations stay, detached; replies it had yet to send fail.
    async fn delete_channel(&self, actor: Actor, id: String) -> Result<(), Error>;

    /// The channel behind a public URL, secrets included: for verifying what arrives.
    async fn ingress_channel(&self, id: String) -> Result<Option<StoredChannel>, Error>;
    /// A web inbox by its public identifier.
    async fn web_inbox(&self, inbox_identifier: String) -> Result<Option<StoredChannel>, Error>;
    /// Verified notifications for a WhatsApp channel, applied in one transaction.
    async fn receive_whatsapp(&self, channel: StoredChannel, notifications: Vec<Notification>)
    -> Result<Report, Error>;

    /// A widget visitor: the contact behind `identifier`, or a new one when `None`
    /// (the identifier is then made up and returned).
    async fn widget_contact(
        &self,
        inbox: StoredChannel,
        identifier: Option<String>,
        name: Option<String>,
        email: Option<String>,
    ) -> Result<(String, Contact), Error>;
    /// The visitor's conversations in this inbox, most recent first.
    async fn widget_conversations(
        &self,
        inbox: StoredChannel,
        identifier: String,
    ) -> Result<Vec<WidgetConversation>, Error>;
    /// The visitor's open conversation in this inbox, opened if there is none.
    async fn widget_open(&self, inbox: StoredChannel, identifier: String) -> Result<WidgetConversation, Error>;
    /// A message from the visitor into a conversation of theirs (a resolved one reopens).
    async fn widget_post(
        &self,
        inbox: StoredChannel,
        identifier: String,
        conversation_id: String,
        content: MessageContent,
    ) -> Result<Message, Error>;
    /// What the visitor sees of a conversation of theirs: no internal notes.
    async fn widget_messages(
        &self,
        inbox: StoredChannel,
        identifier: String,
        conversation_id: String,
        after: Option<String>,
        limit: u32,
    ) -> Result<Page<Message>, Error>;
}

/// A conversation as its visitor sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WidgetConversation {
    pub id: String,
    pub status: switchboard_api::ConversationStatus,
    pub last_message_preview: Option<String>,
    pub last_message_at: Option<String>,
    pub created_at: String,
}
