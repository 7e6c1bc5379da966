use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::Channel;

wire_enum!(
    /// What a webhook delivery tells. `test` goes only to the endpoint it is sent to.
    WebhookEventType {
        MessageReceived => "message.received",
        MessageSent => "message.sent",
        MessageStatus => "message.status",
        ConversationCreated => "conversation.created",
        ConversationAssigned => "conversation.assigned",
        ConversationEscalated => "conversation.escalated",
        ConversationResolved => "conversation.resolved",
        ConversationInactive => "conversation.inactive",
        ConversationLabelsChanged => "conversation.labels_changed",
        ContactCreated => "contact.created",
        LeadCaptured => "lead.captured",
        AppointmentRequested => "appointment.requested",
        AppointmentUpdated => "appointment.updated",
        ToolCall => "tool_call",
        SentimentResult => "sentiment_result",
        Test => "test",
    }
);

wire_enum!(
    /// `pending` until a 2xx answer (`succeeded`), or until retries give up (`failed`).
    DeliveryState { Pending => "pending", Succeeded => "succeeded", Failed => "failed" }
);

wire_enum!(
    /// Why an attempt was made: the queue's schedule, or an admin's replay.
    AttemptTrigger { Scheduled => "scheduled", Replay => "replay" }
);

/// A receiver of signed event deliveries. Its secret is never listed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WebhookEndpoint {
    pub id: String,
    pub url: String,
    pub description: Option<String>,
    /// The events delivered; `null` means all of them.
    pub events: Option<Vec<WebhookEventType>>,
    /// Only events of conversations on this channel (events without a channel still go).
    pub channel: Option<Channel>,
    /// False when an admin paused it, or the server disabled it (see `disabledReason`).
    pub active: bool,
    pub disabled_reason: Option<String>,
    /// Sent with every delivery.
    pub headers: BTreeMap<String, String>,
    pub buffer_enabled: bool,
    pub buffer_window_seconds: u32,
    pub max_buffer_size: u32,
    /// The events that are buffered when buffering is on.
    pub buffer_events: Vec<WebhookEventType>,
    /// Emit `conversation.inactive` after a conversation has been quiet this long.
    pub inactivity_minutes: Option<u32>,
    /// Until then deliveries are signed with the previous secret as well.
    pub previous_secret_expires_at: Option<String>,
    pub last_delivery_state: Option<DeliveryState>,
    pub last_status_code: Option<u16>,
    pub last_delivery_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

debug_without_secrets!(WebhookEndpoint { id, url, events, active });

/// `POST /webhooks`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateWebhookRequest {
    pub url: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Omit or `null` for every event.
    #[serde(default)]
    pub events: Option<Vec<WebhookEventType>>,
    #[serde(default)]
    pub channel: Option<Channel>,
    /// `whsec_` and base64 of 24 to 64 bytes; generated (32 bytes) when not given.
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    pub headers: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub buffer_enabled: Option<bool>,
    /// 1 to 60, default 5.
    #[serde(default)]
    pub buffer_window_seconds: Option<u32>,
    /// 1 to 100, default 50.
    #[serde(default)]
    pub max_buffer_size: Option<u32>,
    /// Default `["message.received"]`.
    #[serde(default)]
    pub buffer_events: Option<Vec<WebhookEventType>>,
    /// 1 to 10080 (a week).
    #[serde(default)]
    pub inactivity_minutes: Option<u32>,
}

debug_without_secrets!(CreateWebhookRequest { url, events });

/// `PATCH /webhooks/{id}`: fields present change; `null` clears the nullable ones
/// (`events: null` means all events).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatchWebhookRequest {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::requests::present")]
    pub description: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::requests::present")]
    pub events: Option<Option<Vec<WebhookEventType>>>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::requests::present")]
    pub channel: Option<Option<Channel>>,
    /// `true` re-enables an endpoint the server disabled.
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    pub headers: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub buffer_enabled: Option<bool>,
    #[serde(default)]
    pub buffer_window_seconds: Option<u32>,
    #[serde(default)]
    pub max_buffer_size: Option<u32>,
    #[serde(default)]
    pub buffer_events: Option<Vec<WebhookEventType>>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::requests::present")]
    pub inactivity_minutes: Option<Option<u32>>,
}

debug_without_secrets!(PatchWebhookRequest { url, events });

/// An endpoint with its signing secret: answered on create and on rotate only.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WebhookWithSecret {
    pub endpoint: WebhookEndpoint,
    /// The `whsec_…` signing secret. `null` only in a replay (see `secretWithheld`).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub secret: String,
    /// Present, and `secret` null, when this answer replays an earlier request with the
    /// same `Idempotency-Key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_withheld: Option<crate::keys::SecretWithheld>,
}

debug_without_secrets!(WebhookWithSecret { endpoint, secret_withheld });

/// `POST /webhooks/{id}/rotate`.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RotateWebhookSecretRequest {
    /// The new secret; generated when not given.
    #[serde(default)]
    pub secret: Option<String>,
    /// How long deliveries carry a signature with the old secret too; default 86400
    /// (24 h), at most 7 days, 0 drops the old secret at once.
    #[serde(default)]
    pub grace_period_seconds: Option<u32>,
}

debug_without_secrets!(RotateWebhookSecretRequest { grace_period_seconds });

/// One delivery to one endpoint: one event, or a batch of buffered events. Its id is the
/// `webhook-id` header, the same on every attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WebhookDelivery {
    pub id: String,
    pub endpoint_id: String,
    pub event: WebhookEventType,
    /// How many events it carries (more than one only for a batch).
    pub event_count: u32,
    pub state: DeliveryState,
    pub attempts: u32,
    pub next_attempt_at: Option<String>,
    pub last_status_code: Option<u16>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub completed_at: Option<String>,
}

/// One HTTP attempt of a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeliveryAttempt {
    pub id: String,
    pub delivery_id: String,
    pub attempted_at: String,
    /// The receiver's status, absent when no answer came (refused, timed out, blocked).
    pub status_code: Option<u16>,
    pub duration_ms: u32,
    pub error: Option<String>,
    /// The first 1 KB of the receiver's answer.
    pub response_excerpt: Option<String>,
    pub trigger: AttemptTrigger,
}

/// `GET /deliveries/{id}`: the delivery, the exact body sent, and every attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeliveryDetail {
    pub delivery: WebhookDelivery,
    /// The body as signed and sent; absent until the first attempt.
    pub payload: Option<String>,
    pub attempts: Vec<DeliveryAttempt>,
}

/// `GET /webhooks/{id}/deliveries`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase")]
pub struct ListDeliveriesQuery {
    pub state: Option<String>,
    pub event: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_use_their_dotted_names_on_the_wire() {
        for t in WebhookEventType::ALL {
            let json = serde_json::to_string(t).expect("serialize");
            assert_eq!(json, format!("\"{}\"", t.as_str()));
            assert_eq!(serde_json::from_str::<WebhookEventType>(&json).expect("parse"), *t);
        }
        assert_eq!(WebhookEventType::ConversationLabelsChanged.as_str(), "conversation.labels_changed");
        assert!(serde_json::from_str::<WebhookEventType>("\"message_received\"").is_err());
    }

    #[test]
    fn a_patch_tells_absent_from_null() {
        let p: PatchWebhookRequest = serde_json::from_str(r#"{"events": null}"#).expect("parse");
        assert_eq!(p.events, Some(None));
        let p: PatchWebhookRequest = serde_json::from_str("{}").expect("parse");
        assert_eq!(p.events, None);
    }
}
