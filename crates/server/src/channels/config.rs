//! A channel as the server keeps it: the public description plus the secrets it needs
//! to talk to its provider. Only [`StoredChannel::public`] leaves the server.

use serde::{Deserialize, Serialize};
use switchboard_api::{ChannelConfig, ChannelKind, WebSettings, WhatsappSettings};

/// Meta's Graph API, unless a channel says otherwise.
pub const DEFAULT_GRAPH_BASE_URL: &str = "https://graph.facebook.com";
pub const DEFAULT_GRAPH_API_VERSION: &str = "v21.0";

#[derive(Clone, PartialEq, Eq)]
pub struct StoredChannel {
    pub id: String,
    pub workspace_id: String,
    pub kind: ChannelKind,
    pub name: String,
    pub active: bool,
    pub config: Settings,
    pub created_at: String,
    pub updated_at: String,
}

// Secrets stay out of logs and panics.
impl std::fmt::Debug for StoredChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredChannel").field("id", &self.id).field("kind", &self.kind).finish()
    }
}

/// The `config` column: one shape per kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Settings {
    Whatsapp(WhatsappConfig),
    Web(WebConfig),
    Sandbox,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhatsappConfig {
    pub phone_number_id: String,
    pub display_phone_number: Option<String>,
    pub access_token: String,
    pub app_secret: String,
    pub verify_token: String,
    pub graph_base_url: String,
    pub graph_api_version: String,
}

impl std::fmt::Debug for WhatsappConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WhatsappConfig").field("phone_number_id", &self.phone_number_id).finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebConfig {
    pub inbox_identifier: String,
    pub allowed_origins: Vec<String>,
}

impl StoredChannel {
    /// The id providers address this channel by: a web inbox's identifier, a WhatsApp
    /// phone number id. Unique per kind across the server.
    pub fn public_id(&self) -> Option<&str> {
        match &self.config {
            Settings::Whatsapp(w) => Some(&w.phone_number_id),
            Settings::Web(w) => Some(&w.inbox_identifier),
            Settings::Sandbox => None,
        }
    }

    pub fn whatsapp(&self) -> Option<&WhatsappConfig> {
        match &self.config {
            Settings::Whatsapp(w) => Some(w),
            _ => None,
        }
    }

    pub fn web(&self) -> Option<&WebConfig> {
        match &self.config {
            Settings::Web(w) => Some(w),
            _ => None,
        }
    }

    /// What an admin may see.
    pub fn public(&self) -> ChannelConfig {
        let whatsapp = self.whatsapp().map(|w| WhatsappSettings {
            phone_number_id: w.phone_number_id.clone(),
            display_phone_number: w.display_phone_number.clone(),
            graph_base_url: w.graph_base_url.clone(),
            graph_api_version: w.graph_api_version.clone(),
            access_token_hint: hint(&w.access_token),
            webhook_path: format!("{}/channels/{}/webhook", switchboard_api::API_BASE, self.id),
        });
        let web = self.web().map(|w| WebSettings {
            inbox_identifier: w.inbox_identifier.clone(),
            allowed_origins: w.allowed_origins.clone(),
            widget_path: format!("/widget/{}", w.inbox_identifier),
        });
        ChannelConfig {
            id: self.id.clone(),
            kind: self.kind,
            name: self.name.clone(),
            active: self.active,
            whatsapp,
            web,
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
        }
    }
}

/// `…` and the last four characters; nothing of a short secret.
fn hint(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() < 12 {
        return "…".to_owned();
    }
    format!("…{}", chars[chars.len() - 4..].iter().collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_hinted_never_shown() {
        let channel = StoredChannel {
            id: "ch_1".into(),
            workspace_id: "ws".into(),
            kind: ChannelKind::Whatsapp,
            name: "Front desk".into(),
            active: true,
            config: Settings::Whatsapp(WhatsappConfig {
                phone_number_id: "106540352242922".into(),
                display_phone_number: None,
                access_token: "EAAJB-secret-token-9f3a".into(),
                app_secret: "app-secret-value".into(),
                verify_token: "verify-me".into(),
                graph_base_url: DEFAULT_GRAPH_BASE_URL.into(),
                graph_api_version: DEFAULT_GRAPH_API_VERSION.into(),
            }),
            created_at: "t".into(),
            updated_at: "t".into(),
        };
        let shown = serde_json::to_string(&channel.public()).expect("json");
        assert!(shown.contains("…9f3a"), "{shown}");
        for secret in ["EAAJB-secret-token", "app-secret-value", "verify-me"] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
            assert!(!format!("{channel:?}").contains(secret));
        }
        assert!(shown.contains("/api/v1/channels/ch_1/webhook"));
        assert_eq!(hint("short"), "…");
    }
}
