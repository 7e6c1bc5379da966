//! Channels: where a workspace's conversations come from and where replies go. A
//! WhatsApp Cloud API number, a web-chat widget, or the local workspace's sandbox number
//! (a simulated WhatsApp line). Secrets (access token, app secret, verify token) are
//! write-only: they are never listed, only hinted at.

use serde::{Deserialize, Serialize};

wire_enum!(
    /// `sandbox` behaves as a WhatsApp number that needs no Meta account: replies progress
    /// sent → delivered → read by themselves. Its conversations are on the `whatsapp` channel.
    ChannelKind { Whatsapp => "whatsapp", Web => "web", Sandbox => "sandbox" }
);

/// A configured channel. Exactly one of `whatsapp` and `web` is set for those kinds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChannelConfig {
    pub id: String,
    pub kind: ChannelKind,
    pub name: String,
    /// An inactive channel refuses inbound notifications and sends nothing.
    pub active: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whatsapp: Option<WhatsappSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<WebSettings>,
    pub created_at: String,
    pub updated_at: String,
}

/// What may be shown of a WhatsApp Cloud API number's configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WhatsappSettings {
    /// Meta's id of the business phone number (not the number itself).
    pub phone_number_id: String,
    pub display_phone_number: Option<String>,
    /// Where the Graph API is reached; Meta's own unless overridden (a proxy, a test stand-in).
    pub graph_base_url: String,
    /// e.g. `v21.0`.
    pub graph_api_version: String,
    /// The last four characters of the access token, to tell tokens apart.
    pub access_token_hint: String,
    /// The callback URL path to enter in Meta's app dashboard (GET verify, POST events).
    pub webhook_path: String,
}

/// What may be shown of a web-chat widget inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WebSettings {
    /// The public identifier the widget's client API is addressed by.
    pub inbox_identifier: String,
    /// Origins (`https://shop.example`) whose pages may call the client API; empty
    /// allows same-origin use only (the widget page this server serves).
    pub allowed_origins: Vec<String>,
    /// The embeddable widget page.
    pub widget_path: String,
}

/// The secrets and ids of a WhatsApp Cloud API number, as given when it is connected.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WhatsappCredentials {
    pub phone_number_id: String,
    #[serde(default)]
    pub display_phone_number: Option<String>,
    /// A system user's permanent token with `whatsapp_business_messaging`.
    pub access_token: String,
    /// Signs Meta's webhook notifications (`X-Hub-Signature-256`).
    pub app_secret: String,
    /// The token Meta echoes in the subscription handshake; you choose it.
    pub verify_token: String,
    #[serde(default)]
    pub graph_base_url: Option<String>,
    #[serde(default)]
    pub graph_api_version: Option<String>,
}

debug_without_secrets!(WhatsappCredentials { phone_number_id, display_phone_number, graph_base_url });

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebWidgetOptions {
    #[serde(default)]
    pub allowed_origins: Vec<String>,
}

/// `POST /channels`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateChannelRequest {
    pub kind: ChannelKind,
    pub name: String,
    /// Required for `whatsapp`.
    #[serde(default)]
    pub whatsapp: Option<WhatsappCredentials>,
    /// For `web`.
    #[serde(default)]
    pub web: Option<WebWidgetOptions>,
}

/// Changes to a WhatsApp number; each secret present replaces the stored one.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatchWhatsappCredentials {
    #[serde(default)]
    pub display_phone_number: Option<String>,
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub app_secret: Option<String>,
    #[serde(default)]
    pub verify_token: Option<String>,
    #[serde(default)]
    pub graph_base_url: Option<String>,
    #[serde(default)]
    pub graph_api_version: Option<String>,
}

debug_without_secrets!(PatchWhatsappCredentials { display_phone_number, graph_base_url });

/// `PATCH /channels/{id}`: fields present change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatchChannelRequest {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    pub whatsapp: Option<PatchWhatsappCredentials>,
    #[serde(default)]
    pub web: Option<WebWidgetOptions>,
}
