//! Wire types of the Switchboard workspace API v1, shared by the server and every client.
//!
//! JSON is camelCase because the compatible core (`/me`, `/messages`, `/ai/reply`, webhook
//! bodies) follows the public CAAC Go Developer API v1, which is camelCase.

#[macro_use]
mod macros;
mod ai;
mod channels;
mod content;
mod error;
mod keys;
mod model;
mod presence;
mod records;
mod requests;
mod settings;
pub mod signature;
mod sync;
mod usage;
mod webhooks;

pub use ai::{AiReply, AiReplyRequest, AiSource};
pub use channels::{
    ChannelConfig, ChannelKind, CreateChannelRequest, PatchChannelRequest, PatchWhatsappCredentials, WebSettings,
    WebWidgetOptions, WhatsappCredentials, WhatsappSettings,
};
pub use content::{
    Attachment, ContactCard, Location, MessageContent, MessageKind, MessageStatusUpdate, PostMessageRequest,
    TemplateRef,
};
pub use error::{ErrorBody, ErrorCode};
pub use keys::{
    ApiKey, AuditEntry, CreateKeyRequest, CreatedKey, ListAuditQuery, ListKeysQuery, RotateKeyRequest, RotatedKey,
    SecretWithheld,
};
pub use model::{
    Author, Channel, Contact, Conversation, ConversationStatus, Direction, Handler, Member, Message, MessageStatus,
    Priority, Role, Scope, Workspace,
};
pub use presence::{Presence, PresenceRequest, PresenceState};
pub use records::{
    Appointment, AppointmentStatus, CreateAppointmentRequest, CreateKnowledgeRequest, CreateLabelRequest,
    CreateLeadRequest, CreateTemplateRequest, ImportKnowledgeRequest, ImportedPage, KnowledgeEntry, KnowledgeImport,
    Label, Lead, LeadStatus, ListRecordsQuery, MarkReadRequest, MessageTemplate, PatchAppointmentRequest,
    PatchKnowledgeRequest, PatchLabelRequest, PatchLeadRequest, PatchTemplateRequest, ReadMarker, SkippedPage,
    TemplateCategory, TemplateStatus,
};
pub use requests::{
    ConversationCounts, CreateContactRequest, CreateMemberRequest, EscalateRequest, KeyInfo, ListContactsQuery,
    ListConversationsQuery, ListMessagesQuery, MeResponse, Page, PatchContactRequest, PatchConversationRequest,
    PatchMemberRequest, SendMessageRequest, SendMessageResponse,
};
pub use settings::{PatchSettingsRequest, WorkspaceSettings};
pub use sync::{Change, MAX_SYNC_LIMIT, SyncPage, SyncQuery, Tombstone};
pub use usage::{Usage, UsageCounts, UsagePeriod, UsageQuery};
pub use webhooks::{
    AttemptTrigger, CreateWebhookRequest, DeliveryAttempt, DeliveryDetail, DeliveryState, ListDeliveriesQuery,
    PatchWebhookRequest, RotateWebhookSecretRequest, WebhookDelivery, WebhookEndpoint, WebhookEventType,
    WebhookWithSecret,
};

/// Base path of every route of this API version.
pub const API_BASE: &str = "/api/v1";

/// Header carrying a client-chosen key that makes a write safe to retry.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
