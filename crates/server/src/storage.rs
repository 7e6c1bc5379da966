//! The narrow storage interface the HTTP layer is written against (the Atuin pattern):
//! one method per unit of work, each its own transaction. SQLite (`crate::db`) is the
//! embedded default; another backend implements this trait and nothing else changes.

use std::sync::Arc;

use async_trait::async_trait;
use switchboard_api::{
    ApiKey, AuditEntry, Contact, Conversation, CreateContactRequest, CreatedKey, ErrorCode, Member, Message, Page,
    PatchContactRequest, PatchConversationRequest, RotatedKey, Scope, SendMessageResponse, SyncPage, Workspace,
};
use tokio::sync::broadcast;

use crate::error::Error;
use crate::events::WorkspaceChange;

/// The identity behind a request's bearer key.
#[derive(Debug, Clone)]
pub struct AuthedKey {
    pub key_id: String,
    pub prefix: String,
    pub workspace_id: String,
    pub member_id: String,
    pub scopes: Vec<Scope>,
    /// The workspace's own quota, if it has one; else the server's default.
    pub rate_limit_per_minute: Option<u32>,
}

/// What a key may do from now on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyAccess {
    /// Usable, until this time (RFC 3339) if it expires.
    Active { until: Option<String> },
    /// Revoked, expired, or gone.
    Ended,
}

impl AuthedKey {
    /// `admin` implies `write` implies `read`.
    pub fn require(&self, scope: Scope) -> Result<(), Error> {
        let rank = |s: Scope| match s {
            Scope::Read => 0,
            Scope::Write => 1,
            Scope::Admin => 2,
        };
        if self.scopes.iter().any(|s| rank(*s) >= rank(scope)) {
            Ok(())
        } else {
            Err(Error::api(ErrorCode::InsufficientScope, format!("this API key lacks the '{}' scope", scope.as_str())))
        }
    }
}

/// A key as issued: the plaintext exists only in this value, returned once to the caller.
pub struct IssuedKey {
    pub id: String,
    pub prefix: String,
    pub plaintext: String,
    pub scopes: Vec<Scope>,
}

impl std::fmt::Debug for IssuedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedKey").field("id", &self.id).field("prefix", &self.prefix).finish()
    }
}

/// A new workspace with its owner and the owner's first admin key (shown once).
#[derive(Debug)]
pub struct CreatedWorkspace {
    pub workspace: Workspace,
    pub owner: Member,
    pub key: IssuedKey,
}

/// Who a `POST /messages` goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    /// Normalized `+` and digits.
    Phone(String),
    Contact(String),
}

/// An outbound message written by the caller's member. `client_id` is the request's
/// Idempotency-Key: a retry with the same body gets the first result back.
#[derive(Debug, Clone)]
pub struct Outbound {
    pub workspace_id: String,
    pub member_id: String,
    /// Validated; a template's body is rendered when it is sent.
    pub content: switchboard_api::MessageContent,
    pub client_id: Option<String>,
}

/// Whether usage groups by day or by month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Month,
}

/// Who performs an administrative action, for the audit log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub workspace_id: String,
    pub member_id: String,
    pub key_id: Option<String>,
    pub ip: Option<String>,
}

/// Where a workspace's business is, as its settings say: `None` leaves it to what the
/// knowledge points to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkspaceLocale {
    pub zone: Option<switchboard_ai::locale::Tz>,
    /// ISO 3166-1 alpha-2, one of `switchboard_ai::locale::regions()`.
    pub region: Option<Region>,
}

/// A region code as the settings hold it: two ASCII capitals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region([u8; 2]);

impl Region {
    /// `code` if it is a region libphonenumber knows.
    pub fn parse(code: &str) -> Option<Self> {
        switchboard_ai::locale::parse_region(code).and_then(|c| c.as_bytes().try_into().ok()).map(Self)
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// A key to create: validated by the caller.
#[derive(Debug, Clone)]
pub struct NewKey {
    /// The member the key acts as: the actor's own, or a teammate's.
    pub member_id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub expires_at: Option<String>,
}

/// Whose conversations to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssigneeFilter {
    Unassigned,
    Member(String),
}

/// Validated filters of the conversation list; all must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConversationFilter {
    pub status: Option<switchboard_api::ConversationStatus>,
    pub channel: Option<switchboard_api::Channel>,
    pub assignee: Option<AssigneeFilter>,
    pub label: Option<String>,
    pub text: Option<String>,
    pub updated_since: Option<String>,
    /// Only conversations with contact messages this member has not read.
    pub unread_for: Option<String>,
    /// Only unresolved conversations handed from the AI to a human.
    pub escalated: bool,
}

/// Opaque keyset cursor over (activity, id) for the conversation list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationCursor {
    pub activity: String,
    pub id: String,
}

impl ConversationCursor {
    pub fn encode(&self) -> String {
        hex::encode(format!("{}|{}", self.activity, self.id))
    }

    /// Any hex string is a position in the list (its bytes are only ever compared with
    /// the sort keys), so the document can state exactly what a cursor is: hex digits in
    /// pairs. Only text that is not that is refused.
    pub fn decode(s: &str) -> Result<Self, Error> {
        let bytes =
            hex::decode(s).map_err(|_| Error::api(ErrorCode::InvalidQuery, "cursor is not one this server issued"))?;
        let raw = String::from_utf8_lossy(&bytes);
        let (activity, id) = raw.split_once('|').unwrap_or((&raw, ""));
        Ok(Self { activity: activity.to_owned(), id: id.to_owned() })
    }
}

/// A response kept for replay under its Idempotency-Key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

/// What a write carrying an Idempotency-Key finds when it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyBegin {
    /// First use (or an expired or abandoned one): run the request, then finish.
    Proceed,
    /// Done before with the same request: answer with this.
    Replay(StoredResponse),
    /// The first request with this key is still running.
    InFlight,
    /// Used before for a different request.
    Mismatch,
}

#[async_trait]
pub trait Storage:
    crate::record_storage::RecordStorage
    + crate::webhook_storage::WebhookStorage
    + crate::channel_storage::ChannelStorage
    + Send
    + Sync
    + 'static
{
    /// Committed changes of every workspace, in commit order.
    fn subscribe(&self) -> broadcast::Receiver<Arc<WorkspaceChange>>;

    /// Resolves a bearer key; malformed, unknown and revoked keys are `invalid_api_key`.
    async fn authenticate(&self, presented: String) -> Result<AuthedKey, Error>;
    /// Changes to keys' access (revoked, rotated) made by this process.
    fn watch_keys(&self) -> broadcast::Receiver<crate::events::KeyChange>;
    /// Whether a key may still be used now, and until when.
    async fn key_access(&self, workspace_id: String, key_id: String) -> Result<KeyAccess, Error>;
    async fn workspace(&self, workspace_id: String) -> Result<Workspace, Error>;
    async fn locale(&self, workspace_id: String) -> Result<WorkspaceLocale, Error>;
    /// Changes the settings' locale, audited when it changed.
    async fn edit_locale(
        &self,
        actor: Actor,
        edit: Box<dyn FnOnce(WorkspaceLocale) -> WorkspaceLocale + Send>,
    ) -> Result<WorkspaceLocale, Error>;
    async fn member(&self, workspace_id: String, member_id: String) -> Result<Member, Error>;
    async fn members(&self, workspace_id: String) -> Result<Vec<Member>, Error>;
    /// A validated new teammate (admin or agent), audited.
    async fn create_member(&self, actor: Actor, name: String, role: switchboard_api::Role) -> Result<Member, Error>;
    /// A validated rename or role change, audited; ownership never changes here.
    async fn patch_member(
        &self,
        actor: Actor,
        id: String,
        patch: switchboard_api::PatchMemberRequest,
    ) -> Result<Member, Error>;

    async fn list_conversations(
        &self,
        workspace_id: String,
        filter: ConversationFilter,
        after: Option<ConversationCursor>,
        limit: u32,
    ) -> Result<Page<Conversation>, Error>;
    async fn conversation(&self, workspace_id: String, id: String) -> Result<Conversation, Error>;
    /// The inbox's view counts for a member, in one statement.
    async fn conversation_counts(
        &self,
        workspace_id: String,
        member_id: String,
    ) -> Result<switchboard_api::ConversationCounts, Error>;
    /// Marks a conversation read for a member up to a message (default: the latest).
    /// A marker never moves backwards.
    async fn mark_read(
        &self,
        workspace_id: String,
        conversation_id: String,
        member_id: String,
        message_id: Option<String>,
    ) -> Result<switchboard_api::ReadMarker, Error>;
    /// The latest `limit` messages, oldest first: what a reply reads as the conversation.
    async fn recent_messages(
        &self,
        workspace_id: String,
        conversation_id: String,
        limit: u32,
    ) -> Result<Vec<Message>, Error>;
    /// Oldest first, after the message id `after`.
    async fn list_messages(
        &self,
        workspace_id: String,
        conversation_id: String,
        after: Option<String>,
        limit: u32,
    ) -> Result<Page<Message>, Error>;

    /// Contacts, newest first, optionally matching text in name, phone, email or external id.
    async fn list_contacts(
        &self,
        workspace_id: String,
        text: Option<String>,
        updated_since: Option<String>,
        after: Option<ConversationCursor>,
        limit: u32,
    ) -> Result<Page<Contact>, Error>;
    async fn contact(&self, workspace_id: String, id: String) -> Result<Contact, Error>;
    /// A validated new contact; a phone or external id already in use is a conflict.
    async fn create_contact(&self, workspace_id: String, contact: CreateContactRequest) -> Result<Contact, Error>;
    /// A validated patch; `customAttributes` merges key by key, a null value removing one.
    async fn patch_contact(
        &self,
        workspace_id: String,
        id: String,
        patch: PatchContactRequest,
    ) -> Result<Contact, Error>;

    /// Changes status, snooze, assignee, priority, handler or labels; an empty patch
    /// changes nothing.
    async fn patch_conversation(
        &self,
        workspace_id: String,
        id: String,
        patch: PatchConversationRequest,
    ) -> Result<Conversation, Error>;
    /// Hands a conversation to a human: handler human, open, with the time and reason.
    /// Escalating an escalated conversation changes nothing.
    async fn escalate(&self, workspace_id: String, id: String, reason: String) -> Result<Conversation, Error>;
    /// Reopens every snoozed conversation whose time has come; returns how many.
    async fn wake_snoozed(&self) -> Result<usize, Error>;

    /// Finds or creates the contact and its open conversation, then sends.
    async fn send_message(&self, to: Recipient, message: Outbound) -> Result<SendMessageResponse, Error>;
    async fn reply(&self, conversation_id: String, message: Outbound) -> Result<Message, Error>;
    /// Records a delivery report; one that would move the status backwards changes nothing.
    async fn update_message_status(
        &self,
        workspace_id: String,
        conversation_id: String,
        message_id: String,
        update: switchboard_api::MessageStatusUpdate,
    ) -> Result<Message, Error>;

    /// Active keys, or all of them with `include_inactive`.
    async fn list_keys(&self, workspace_id: String, include_inactive: bool) -> Result<Vec<ApiKey>, Error>;
    /// A new key acting as the actor's member; the secret exists only in the result.
    async fn create_key(&self, actor: Actor, key: NewKey) -> Result<CreatedKey, Error>;
    /// Ends a key at once. Revoking a revoked key changes nothing.
    async fn revoke_key(&self, actor: Actor, key_id: String) -> Result<ApiKey, Error>;
    /// A new key like the old one; the old one keeps working for `grace_seconds`.
    async fn rotate_key(&self, actor: Actor, key_id: String, grace_seconds: u32) -> Result<RotatedKey, Error>;
    /// Newest first.
    async fn audit_log(
        &self,
        workspace_id: String,
        after: Option<String>,
        limit: u32,
    ) -> Result<Page<AuditEntry>, Error>;

    /// Claims `key` for a request with this fingerprint (method, path and body).
    async fn idempotency_begin(
        &self,
        workspace_id: String,
        key: String,
        fingerprint: String,
    ) -> Result<IdempotencyBegin, Error>;
    /// Stores the outcome for replay, or with `None` forgets the key so a retry runs again.
    async fn idempotency_finish(
        &self,
        workspace_id: String,
        key: String,
        response: Option<StoredResponse>,
    ) -> Result<(), Error>;

    /// Activity per day or month between two days (`YYYY-MM-DD`, both included).
    async fn usage(
        &self,
        workspace_id: String,
        from: String,
        to: String,
        period: Period,
    ) -> Result<switchboard_api::Usage, Error>;

    async fn changes_since(&self, workspace_id: String, since: i64, limit: u32) -> Result<SyncPage, Error>;
    async fn last_seq(&self, workspace_id: String) -> Result<i64, Error>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_only_non_hex_is_refused() {
        let c = ConversationCursor { activity: "2026-01-01T00:00:00.000Z".into(), id: "conv_x".into() };
        assert_eq!(ConversationCursor::decode(&c.encode()).expect("decode"), c);
        assert!(ConversationCursor::decode("zz").is_err());
        assert!(ConversationCursor::decode("abc").is_err(), "digits in pairs");
        let odd = ConversationCursor::decode(&hex::encode("no-separator")).expect("a position all the same");
        assert_eq!((odd.activity.as_str(), odd.id.as_str()), ("no-separator", ""));
        assert!(ConversationCursor::decode("ff00").is_ok(), "not UTF-8, still a position");
    }

    #[test]
    fn scopes_nest() {
        let key = |scopes: Vec<Scope>| AuthedKey {
            key_id: "k".into(),
            prefix: "p".into(),
            workspace_id: "w".into(),
            member_id: "m".into(),
            scopes,
            rate_limit_per_minute: None,
        };
        assert!(key(vec![Scope::Admin]).require(Scope::Write).is_ok());
        assert!(key(vec![Scope::Write]).require(Scope::Read).is_ok());
        let denied = key(vec![Scope::Read]).require(Scope::Write).unwrap_err();
        assert_eq!(denied.code(), ErrorCode::InsufficientScope);
    }
}
