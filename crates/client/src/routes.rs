//! The rest of API v1: contacts, members, records (leads, appointments, labels,
//! templates, knowledge), conversation actions, usage and audit, AI replies, channels,
//! and the webhook endpoints' remaining routes. Every write is keyed and retried as in
//! `lib.rs`.

use reqwest::Method;
use switchboard_api::{
    AiReply, AiReplyRequest, Appointment, AuditEntry, ChannelConfig, Contact, Conversation, ConversationCounts,
    CreateAppointmentRequest, CreateChannelRequest, CreateContactRequest, CreateKnowledgeRequest, CreateLabelRequest,
    CreateLeadRequest, CreateMemberRequest, CreateTemplateRequest, DeliveryDetail, EscalateRequest, KnowledgeEntry,
    Label, Lead, ListAuditQuery, ListContactsQuery, ListRecordsQuery, MarkReadRequest, Member, Message,
    MessageStatusUpdate, MessageTemplate, Page, PatchAppointmentRequest, PatchChannelRequest, PatchContactRequest,
    PatchKnowledgeRequest, PatchLabelRequest, PatchLeadRequest, PatchMemberRequest, PatchTemplateRequest,
    PatchWebhookRequest, Presence, ReadMarker, RotateWebhookSecretRequest, Usage, UsageQuery, WebhookEndpoint,
    WebhookWithSecret,
};

use crate::{Client, ClientError, segment};

/// List, get, create, patch and delete of one record type at `$path`.
macro_rules! record_routes {
    ($path:literal, $ty:ty, $create_req:ty, $patch_req:ty, $list:ident, $get:ident, $create:ident, $patch:ident, $delete:ident) => {
        impl Client {
            /// Newest first, with the list's filters.
            pub async fn $list(&self, q: &ListRecordsQuery) -> Result<Page<$ty>, ClientError> {
                self.get($path, q).await
            }

            pub async fn $get(&self, id: &str) -> Result<$ty, ClientError> {
                self.get(&format!("{}/{}", $path, segment(id)), &()).await
            }

            pub async fn $create(&self, req: &$create_req) -> Result<$ty, ClientError> {
                self.write($path, req, None).await
            }

            pub async fn $patch(&self, id: &str, req: &$patch_req) -> Result<$ty, ClientError> {
                self.write_with(Method::PATCH, &format!("{}/{}", $path, segment(id)), Some(req), None).await
            }

            /// Deletes the record; synced copies go with the tombstone.
            pub async fn $delete(&self, id: &str) -> Result<(), ClientError> {
                self.write_with::<(), ()>(Method::DELETE, &format!("{}/{}", $path, segment(id)), None, None).await
            }
        }
    };
}

record_routes!(
    "leads",
    Lead,
    CreateLeadRequest,
    PatchLeadRequest,
    list_leads,
    get_lead,
    create_lead,
    patch_lead,
    delete_lead
);
record_routes!(
    "appointments",
    Appointment,
    CreateAppointmentRequest,
    PatchAppointmentRequest,
    list_appointments,
    get_appointment,
    create_appointment,
    patch_appointment,
    delete_appointment
);
record_routes!(
    "labels",
    Label,
    CreateLabelRequest,
    PatchLabelRequest,
    list_labels,
    get_label,
    create_label,
    patch_label,
    delete_label
);
record_routes!(
    "templates",
    MessageTemplate,
    CreateTemplateRequest,
    PatchTemplateRequest,
    list_templates,
    get_template,
    create_template,
    patch_template,
    delete_template
);
record_routes!(
    "knowledge",
    KnowledgeEntry,
    CreateKnowledgeRequest,
    PatchKnowledgeRequest,
    list_knowledge,
    get_knowledge,
    create_knowledge,
    patch_knowledge,
    delete_knowledge
);

impl Client {
    pub async fn list_contacts(&self, q: &ListContactsQuery) -> Result<Page<Contact>, ClientError> {
        self.get("contacts", q).await
    }

    pub async fn get_contact(&self, id: &str) -> Result<Contact, ClientError> {
        self.get(&format!("contacts/{}", segment(id)), &()).await
    }

    pub async fn create_contact(&self, req: &CreateContactRequest) -> Result<Contact, ClientError> {
        self.write("contacts", req, None).await
    }

    pub async fn patch_contact(&self, id: &str, req: &PatchContactRequest) -> Result<Contact, ClientError> {
        self.write_with(Method::PATCH, &format!("contacts/{}", segment(id)), Some(req), None).await
    }

    pub async fn list_members(&self) -> Result<Vec<Member>, ClientError> {
        self.get("members", &()).await
    }

    pub async fn get_member(&self, id: &str) -> Result<Member, ClientError> {
        self.get(&format!("members/{}", segment(id)), &()).await
    }

    pub async fn create_member(&self, req: &CreateMemberRequest) -> Result<Member, ClientError> {
        self.write("members", req, None).await
    }

    pub async fn patch_member(&self, id: &str, req: &PatchMemberRequest) -> Result<Member, ClientError> {
        self.write_with(Method::PATCH, &format!("members/{}", segment(id)), Some(req), None).await
    }

    /// The inbox views' counts for the key's member.
    pub async fn conversation_counts(&self) -> Result<ConversationCounts, ClientError> {
        self.get("conversations/counts", &()).await
    }

    /// Hands the conversation to a human, with why.
    pub async fn escalate(&self, id: &str, req: &EscalateRequest) -> Result<Conversation, ClientError> {
        self.write(&format!("conversations/{}/escalate", segment(id)), req, None).await
    }

    /// Marks the conversation read up to a message (default: the latest).
    pub async fn mark_read(&self, id: &str, req: &MarkReadRequest) -> Result<ReadMarker, ClientError> {
        self.write(&format!("conversations/{}/read", segment(id)), req, None).await
    }

    /// Who views or types in the conversation now.
    pub async fn presence(&self, id: &str) -> Result<Vec<Presence>, ClientError> {
        self.get(&format!("conversations/{}/presence", segment(id)), &()).await
    }

    /// A delivery report for an outbound message (from a channel relay).
    pub async fn update_message_status(
        &self,
        conversation_id: &str,
        message_id: &str,
        update: &MessageStatusUpdate,
    ) -> Result<Message, ClientError> {
        let path = format!("conversations/{}/messages/{}", segment(conversation_id), segment(message_id));
        self.write_with(Method::PATCH, &path, Some(update), None).await
    }

    /// A drafted reply with its sources and confidence.
    pub async fn ai_reply(&self, req: &AiReplyRequest) -> Result<AiReply, ClientError> {
        self.write("ai/reply", req, None).await
    }

    pub async fn usage(&self, q: &UsageQuery) -> Result<Usage, ClientError> {
        self.get("usage", q).await
    }

    pub async fn audit_log(&self, q: &ListAuditQuery) -> Result<Page<AuditEntry>, ClientError> {
        self.get("audit-log", q).await
    }

    pub async fn list_channels(&self) -> Result<Vec<ChannelConfig>, ClientError> {
        self.get("channels", &()).await
    }

    pub async fn get_channel(&self, id: &str) -> Result<ChannelConfig, ClientError> {
        self.get(&format!("channels/{}", segment(id)), &()).await
    }

    pub async fn create_channel(&self, req: &CreateChannelRequest) -> Result<ChannelConfig, ClientError> {
        self.write("channels", req, None).await
    }

    pub async fn patch_channel(&self, id: &str, req: &PatchChannelRequest) -> Result<ChannelConfig, ClientError> {
        self.write_with(Method::PATCH, &format!("channels/{}", segment(id)), Some(req), None).await
    }

    pub async fn delete_channel(&self, id: &str) -> Result<(), ClientError> {
        self.write_with::<(), ()>(Method::DELETE, &format!("channels/{}", segment(id)), None, None).await
    }

    pub async fn get_webhook(&self, id: &str) -> Result<WebhookEndpoint, ClientError> {
        self.get(&format!("webhooks/{}", segment(id)), &()).await
    }

    pub async fn patch_webhook(&self, id: &str, req: &PatchWebhookRequest) -> Result<WebhookEndpoint, ClientError> {
        self.write_with(Method::PATCH, &format!("webhooks/{}", segment(id)), Some(req), None).await
    }

    pub async fn delete_webhook(&self, id: &str) -> Result<(), ClientError> {
        self.write_with::<(), ()>(Method::DELETE, &format!("webhooks/{}", segment(id)), None, None).await
    }

    /// A new signing secret (shown once); the old one also signs for the grace period.
    pub async fn rotate_webhook_secret(
        &self,
        id: &str,
        req: &RotateWebhookSecretRequest,
    ) -> Result<WebhookWithSecret, ClientError> {
        crate::shown_once(self.write(&format!("webhooks/{}/rotate", segment(id)), req, None).await?)
    }

    /// A delivery with its exact body and every attempt.
    pub async fn get_delivery(&self, id: &str) -> Result<DeliveryDetail, ClientError> {
        self.get(&format!("deliveries/{}", segment(id)), &()).await
    }
}
