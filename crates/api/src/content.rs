//! What a message carries: its kind and, besides text, a file, a place, a contact card or
//! a template. Modelled on WhatsApp's message types, which the web widget also renders.

use serde::{Deserialize, Serialize};

use crate::model::MessageStatus;

wire_enum!(
    /// `note` is an internal note: members see it, the contact never does.
    MessageKind {
        Text => "text", Image => "image", Document => "document", Audio => "audio", Video => "video",
        Location => "location", Contact => "contact", Template => "template", Note => "note"
    }
);

impl Default for MessageKind {
    fn default() -> Self {
        MessageKind::Text
    }
}

impl MessageKind {
    /// Image, document, audio and video messages carry an [`Attachment`].
    pub fn is_media(self) -> bool {
        matches!(self, MessageKind::Image | MessageKind::Document | MessageKind::Audio | MessageKind::Video)
    }
}

impl MessageStatus {
    /// Delivery only moves forward: queued → sent → delivered → read, or to failed from
    /// any state before read. Staying put is not a move.
    pub fn can_become(self, next: MessageStatus) -> bool {
        let rank = |s: MessageStatus| match s {
            MessageStatus::Queued => 0,
            MessageStatus::Sent => 1,
            MessageStatus::Delivered => 2,
            MessageStatus::Read => 3,
            MessageStatus::Failed => 4,
        };
        match (self, next) {
            (MessageStatus::Read | MessageStatus::Failed, _) => false,
            (_, MessageStatus::Failed) => true,
            _ => rank(next) > rank(self),
        }
    }
}

/// A file a message links to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Attachment {
    /// An `https` (or `http`) URL the file can be fetched from.
    pub url: String,
    /// e.g. `image/jpeg`; must match the message kind for images, audio and video.
    pub mime_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u32>,
}

/// A place, in WGS 84 degrees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Location {
    pub latitude: f64,
    pub longitude: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// A shared contact card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContactCard {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// A message template by name and language, with values for its `{{1}}`, `{{2}}`, …
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TemplateRef {
    pub name: String,
    pub language: String,
    #[serde(default)]
    pub params: Vec<String>,
}

/// A message's content: the kind, its text (the caption for media, the rendered text for
/// a template) and the payload the kind needs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MessageContent {
    pub kind: MessageKind,
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Attachment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_card: Option<ContactCard>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<TemplateRef>,
}

/// `POST /conversations/{id}/messages`: a reply or an internal note. `{"text": "..."}`
/// alone is a text message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PostMessageRequest {
    #[serde(default)]
    pub kind: MessageKind,
    /// The text; the caption of an image, video or document.
    #[serde(default)]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Attachment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_card: Option<ContactCard>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<TemplateRef>,
}

/// `PATCH /conversations/{id}/messages/{messageId}`: a delivery report for an outbound
/// message, e.g. from a channel relay. A report older than the message's state changes
/// nothing (reports arrive out of order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MessageStatusUpdate {
    pub status: MessageStatus,
    /// Why it failed; only with `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl PostMessageRequest {
    /// A plain text reply.
    pub fn text(text: impl Into<String>) -> Self {
        Self { text: text.into(), ..Default::default() }
    }

    /// An internal note.
    pub fn note(text: impl Into<String>) -> Self {
        Self { kind: MessageKind::Note, text: text.into(), ..Default::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_never_moves_backwards() {
        use MessageStatus::*;
        assert!(Queued.can_become(Sent));
        assert!(Sent.can_become(Read));
        assert!(Delivered.can_become(Failed));
        assert!(!Delivered.can_become(Sent));
        assert!(!Read.can_become(Failed));
        assert!(!Failed.can_become(Delivered));
        assert!(!Sent.can_become(Sent));
    }

    #[test]
    fn a_bare_text_is_a_text_message() {
        let req: PostMessageRequest = serde_json::from_str(r#"{"text":"hi"}"#).expect("parse");
        assert_eq!(req.kind, MessageKind::Text);
        assert!(serde_json::from_str::<PostMessageRequest>(r#"{"text":"hi","kind":"fax"}"#).is_err());
    }
}
