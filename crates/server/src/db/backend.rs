//! SQLite as the server's [`Storage`].

use std::sync::Arc;

use async_trait::async_trait;
use switchboard_api::{
    ApiKey, AuditEntry, Channel, Contact, Conversation, CreateContactRequest, CreatedKey, ErrorCode, Member, Message,
    Page, PatchContactRequest, PatchConversationRequest, RotatedKey, SendMessageResponse, SyncPage, Workspace,
};
use tokio::sync::broadcast;

use super::outbound::{insert_outbound, replay};
use super::{
    Db, authenticate, changes_since, find_or_create_by_phone, find_or_open, get_contact, get_conversation, get_member,
    get_workspace, last_seq, list_conversations, list_messages, recent_messages,
};
use crate::error::Error;
use crate::events::WorkspaceChange;
use crate::storage::{
    Actor, AuthedKey, ConversationCursor, ConversationFilter, IdempotencyBegin, KeyAccess, NewKey, Outbound, Recipient,
    Storage, StoredResponse, WorkspaceLocale,
};

#[async_trait]
impl Storage for Db {
    fn subscribe(&self) -> broadcast::Receiver<Arc<WorkspaceChange>> {
        self.events().subscribe()
    }

    fn watch_keys(&self) -> broadcast::Receiver<crate::events::KeyChange> {
        self.events().watch_keys()
    }

    async fn key_access(&self, workspace_id: String, key_id: String) -> Result<KeyAccess, Error> {
        self.read(move |conn| super::keys::access(conn, &workspace_id, &key_id)).await
    }

    async fn authenticate(&self, presented: String) -> Result<AuthedKey, Error> {
        let (key, stale) = self.read(move |conn| authenticate(conn, &presented)).await?;
        if stale {
            let key_id = key.key_id.clone();
            self.write(move |w| super::keys::touch_key(w.conn(), &key_id)).await?;
        }
        Ok(key)
    }

    async fn workspace(&self, workspace_id: String) -> Result<Workspace, Error> {
        self.read(move |conn| get_workspace(conn, &workspace_id)).await
    }

    async fn locale(&self, workspace_id: String) -> Result<WorkspaceLocale, Error> {
        self.read(move |conn| super::workspaces::get_locale(conn, &workspace_id)).await
    }

    async fn edit_locale(
        &self,
        actor: Actor,
        edit: Box<dyn FnOnce(WorkspaceLocale) -> WorkspaceLocale + Send>,
    ) -> Result<WorkspaceLocale, Error> {
        self.write(move |w| {
            let current = super::workspaces::get_locale(w.conn(), &actor.workspace_id)?;
            let edited = edit(current);
            if edited != current {
                super::workspaces::set_locale(w.conn(), &actor.workspace_id, edited)?;
                super::audit::record(w.conn(), &actor, "workspace.settings_changed", "workspace", &actor.workspace_id)?;
            }
            Ok(edited)
        })
        .await
    }

    async fn member(&self, workspace_id: String, member_id: String) -> Result<Member, Error> {
        self.read(move |conn| get_member(conn, &workspace_id, &member_id)).await
    }

    async fn members(&self, workspace_id: String) -> Result<Vec<Member>, Error> {
        self.read(move |conn| super::list_members(conn, &workspace_id)).await
    }

    async fn list_conversations(
        &self,
        workspace_id: String,
        filter: ConversationFilter,
        after: Option<ConversationCursor>,
        limit: u32,
    ) -> Result<Page<Conversation>, Error> {
        let (data, next) =
            self.read(move |conn| list_conversations(conn, &workspace_id, &filter, after.as_ref(), limit)).await?;
        Ok(Page { data, next_cursor: next.map(|c| c.encode()) })
    }

    async fn conversation(&self, workspace_id: String, id: String) -> Result<Conversation, Error> {
        self.read(move |conn| get_conversation(conn, &workspace_id, &id)).await
    }

    async fn recent_messages(
        &self,
        workspace_id: String,
        conversation_id: String,
        limit: u32,
    ) -> Result<Vec<Message>, Error> {
        self.read(move |conn| recent_messages(conn, &workspace_id, &conversation_id, limit)).await
    }

    async fn list_messages(
        &self,
        workspace_id: String,
        conversation_id: String,
        after: Option<String>,
        limit: u32,
    ) -> Result<Page<Message>, Error> {
        let (data, next_cursor) = self
            .read(move |conn| list_messages(conn, &workspace_id, &conversation_id, after.as_deref(), limit))
            .await?;
        Ok(Page { data, next_cursor })
    }

    async fn conversation_counts(
        &self,
        workspace_id: String,
        member_id: String,
    ) -> Result<switchboard_api::ConversationCounts, Error> {
        self.read(move |conn| super::conversations::counts(conn, &workspace_id, &member_id)).await
    }

    async fn list_contacts(
        &self,
        workspace_id: String,
        text: Option<String>,
        updated_since: Option<String>,
        after: Option<ConversationCursor>,
        limit: u32,
    ) -> Result<Page<Contact>, Error> {
        let (data, next) = self
            .read(move |conn| {
                super::contacts::list_contacts(
                    conn,
                    &workspace_id,
                    text.as_deref(),
                    updated_since.as_deref(),
                    after.as_ref(),
                    limit,
                )
            })
            .await?;
        Ok(Page { data, next_cursor: next.map(|c| c.encode()) })
    }

    async fn contact(&self, workspace_id: String, id: String) -> Result<Contact, Error> {
        self.read(move |conn| get_contact(conn, &workspace_id, &id)?.ok_or_else(|| Error::not_found("contact"))).await
    }

    async fn create_contact(&self, workspace_id: String, new: CreateContactRequest) -> Result<Contact, Error> {
        self.write(move |w| {
            let now = crate::time::now();
            let contact = Contact {
                id: crate::ids::new_id("ct"),
                name: new.name,
                phone: new.phone,
                email: new.email,
                external_id: new.external_id,
                custom_attributes: new.custom_attributes,
                created_at: now.clone(),
                updated_at: now,
                seq: w.next_seq(&workspace_id)?,
            };
            super::contacts::ensure_unique(w.conn(), &workspace_id, &contact)?;
            super::contacts::insert(w, &workspace_id, &contact)?;
            Ok(contact)
        })
        .await
    }

    async fn patch_contact(
        &self,
        workspace_id: String,
        id: String,
        patch: PatchContactRequest,
    ) -> Result<Contact, Error> {
        self.write(move |w| {
            let mut c = get_contact(w.conn(), &workspace_id, &id)?.ok_or_else(|| Error::not_found("contact"))?;
            if patch == PatchContactRequest::default() {
                return Ok(c);
            }
            if let Some(name) = patch.name {
                c.name = name;
            }
            if let Some(phone) = patch.phone {
                c.phone = phone;
            }
            if let Some(email) = patch.email {
                c.email = email;
            }
            if let Some(external_id) = patch.external_id {
                c.external_id = external_id;
            }
            for (key, value) in patch.custom_attributes.unwrap_or_default() {
                if value.is_null() {
                    c.custom_attributes.remove(&key);
                } else {
                    c.custom_attributes.insert(key, value);
                }
            }
            super::contacts::ensure_unique(w.conn(), &workspace_id, &c)?;
            super::contacts::save(w, &workspace_id, c)
        })
        .await
    }

    async fn patch_conversation(
        &self,
        workspace_id: String,
        id: String,
        patch: PatchConversationRequest,
    ) -> Result<Conversation, Error> {
        self.write(move |w| super::patch_conversation(w, &workspace_id, &id, patch)).await
    }

    async fn escalate(&self, workspace_id: String, id: String, reason: String) -> Result<Conversation, Error> {
        self.write(move |w| super::conversation_patch::escalate(w, &workspace_id, &id, &reason)).await
    }

    async fn wake_snoozed(&self) -> Result<usize, Error> {
        self.write(|w| super::wake_snoozed(w, &crate::time::now())).await
    }

    async fn send_message(&self, to: Recipient, message: Outbound) -> Result<SendMessageResponse, Error> {
        self.write(move |w| {
            let ws = message.workspace_id.as_str();
            if let Some(existing) = replay(w, &message, None)? {
                let conversation = get_conversation(w.conn(), ws, &existing.conversation_id)?;
                return Ok(SendMessageResponse {
                    ok: true,
                    id: existing.id,
                    conversation_id: conversation.id,
                    contact_id: conversation.contact_id,
                });
            }
            // A phone number is reached on WhatsApp; a contact where they last talked to us,
            // or on WhatsApp if they have a number and no open conversation.
            let (contact, open) = match to {
                Recipient::Phone(phone) => (find_or_create_by_phone(w, ws, &phone, None)?, None),
                Recipient::Contact(id) => {
                    let contact = get_contact(w.conn(), ws, &id)?.ok_or_else(|| Error::not_found("contact"))?;
                    let open = super::conversations::latest_open(w.conn(), ws, &contact.id)?;
                    (contact, open)
                }
            };
            let conversation = match open {
                Some(c) => c,
                None if contact.phone.is_some() => {
                    let conversation = find_or_open(w, ws, &contact.id, Channel::Whatsapp)?;
                    super::channels::attach_to_default(w, ws, &conversation.id)?;
                    conversation
                }
                None => {
                    return Err(Error::api(
                        ErrorCode::InvalidState,
                        "this contact has no phone number and no open conversation to write in",
                    ));
                }
            };
            let sent = insert_outbound(w, &conversation.id, &message)?;
            Ok(SendMessageResponse { ok: true, id: sent.id, conversation_id: conversation.id, contact_id: contact.id })
        })
        .await
    }

    async fn reply(&self, conversation_id: String, message: Outbound) -> Result<Message, Error> {
        self.write(move |w| {
            if let Some(existing) = replay(w, &message, Some(&conversation_id))? {
                return Ok(existing);
            }
            insert_outbound(w, &conversation_id, &message)
        })
        .await
    }

    async fn mark_read(
        &self,
        workspace_id: String,
        conversation_id: String,
        member_id: String,
        message_id: Option<String>,
    ) -> Result<switchboard_api::ReadMarker, Error> {
        self.write(move |w| {
            super::read_markers::mark_read(w, &workspace_id, &conversation_id, &member_id, message_id.as_deref())
        })
        .await
    }

    async fn update_message_status(
        &self,
        workspace_id: String,
        conversation_id: String,
        message_id: String,
        update: switchboard_api::MessageStatusUpdate,
    ) -> Result<Message, Error> {
        self.write(move |w| {
            super::messages::update_status(
                w,
                &workspace_id,
                &conversation_id,
                &message_id,
                update.status,
                update.error.map(|e| (e, None)),
            )
        })
        .await
    }

    async fn create_member(&self, actor: Actor, name: String, role: switchboard_api::Role) -> Result<Member, Error> {
        self.write(move |w| super::member_admin::create_member(w.conn(), &actor, &name, role)).await
    }

    async fn patch_member(
        &self,
        actor: Actor,
        id: String,
        patch: switchboard_api::PatchMemberRequest,
    ) -> Result<Member, Error> {
        self.write(move |w| super::member_admin::patch_member(w.conn(), &actor, &id, patch)).await
    }

    async fn list_keys(&self, workspace_id: String, include_inactive: bool) -> Result<Vec<ApiKey>, Error> {
        self.read(move |conn| super::key_admin::list_keys(conn, &workspace_id, include_inactive)).await
    }

    async fn create_key(&self, actor: Actor, key: NewKey) -> Result<CreatedKey, Error> {
        self.write(move |w| super::key_admin::create_key(w.conn(), &actor, &key)).await
    }

    async fn revoke_key(&self, actor: Actor, key_id: String) -> Result<ApiKey, Error> {
        let revoked = self.write(move |w| super::key_admin::revoke_key(w.conn(), &actor, &key_id)).await?;
        self.events().key_changed(crate::events::KeyChange { key_id: revoked.id.clone(), ends_at: None });
        Ok(revoked)
    }

    async fn rotate_key(&self, actor: Actor, key_id: String, grace_seconds: u32) -> Result<RotatedKey, Error> {
        let rotated =
            self.write(move |w| super::key_admin::rotate_key(w.conn(), &actor, &key_id, grace_seconds)).await?;
        let ends_at = rotated.previous.expires_at.clone();
        self.events().key_changed(crate::events::KeyChange { key_id: rotated.previous.id.clone(), ends_at });
        Ok(rotated)
    }

    async fn audit_log(
        &self,
        workspace_id: String,
        after: Option<String>,
        limit: u32,
    ) -> Result<Page<AuditEntry>, Error> {
        let (data, next_cursor) =
            self.read(move |conn| super::audit::list(conn, &workspace_id, after.as_deref(), limit)).await?;
        Ok(Page { data, next_cursor })
    }

    async fn idempotency_begin(
        &self,
        workspace_id: String,
        key: String,
        fingerprint: String,
    ) -> Result<IdempotencyBegin, Error> {
        self.write(move |w| super::idempotency::begin(w.conn(), &workspace_id, &key, &fingerprint)).await
    }

    async fn idempotency_finish(
        &self,
        workspace_id: String,
        key: String,
        response: Option<StoredResponse>,
    ) -> Result<(), Error> {
        self.write(move |w| super::idempotency::finish(w.conn(), &workspace_id, &key, response)).await
    }

    async fn usage(
        &self,
        workspace_id: String,
        from: String,
        to: String,
        period: crate::storage::Period,
    ) -> Result<switchboard_api::Usage, Error> {
        self.read(move |conn| super::usage::usage(conn, &workspace_id, &from, &to, period)).await
    }

    async fn changes_since(&self, workspace_id: String, since: i64, limit: u32) -> Result<SyncPage, Error> {
        self.read(move |conn| changes_since(conn, &workspace_id, since, limit)).await
    }

    async fn last_seq(&self, workspace_id: String) -> Result<i64, Error> {
        self.read(move |conn| last_seq(conn, &workspace_id)).await
    }
}
