//! The admin console: API keys and webhooks, for keys with the admin scope. Rotating the
//! key this app itself uses puts the new one in the OS keychain and swaps it into the
//! running client: sync goes on, no restart, and the secret never reaches the window.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use switchboard_api::signature::{self, Received};
use switchboard_api::{
    ApiKey, CreateKeyRequest, CreateWebhookRequest, CreatedKey, DeliveryDetail, ImportKnowledgeRequest, KnowledgeEntry,
    KnowledgeImport, ListDeliveriesQuery, ListRecordsQuery, PatchSettingsRequest, PatchWebhookRequest,
    RotateKeyRequest, RotateWebhookSecretRequest, Scope, WebhookDelivery, WebhookEndpoint, WebhookEventType,
    WebhookWithSecret, WorkspaceSettings,
};
use switchboard_client::Client;

use crate::App;
use crate::app::KeyHome;
use crate::error::CoreError;
use crate::profiles::Profiles;
use crate::secrets;

/// Knowledge entries the console lists.
const KNOWLEDGE_SHOWN: usize = 500;

/// A key as the console lists it.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct KeyRow {
    pub key: ApiKey,
    pub member_name: Option<String>,
    /// The key this app uses: rotating swaps it in place; revoking is refused.
    pub this_app: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NewKey {
    pub name: String,
    pub scopes: Vec<Scope>,
    pub member_id: Option<String>,
    /// RFC 3339, in the future.
    pub expires_at: Option<String>,
}

/// A rotation's outcome. `secret` is empty for the app's own key: it went to the keychain.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Rotation {
    pub key: ApiKey,
    pub previous: ApiKey,
    pub secret: String,
    pub swapped_in_keychain: bool,
}

/// A webhook endpoint as the console edits it (create, or every editable field on save).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct WebhookForm {
    pub url: String,
    pub description: Option<String>,
    /// `None` for every event.
    pub events: Option<Vec<WebhookEventType>>,
    pub headers: BTreeMap<String, String>,
    pub active: bool,
    pub buffer_enabled: bool,
    pub buffer_window_seconds: Option<u32>,
    pub inactivity_minutes: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryFilter {
    /// `pending`, `succeeded`, `failed`…
    pub state: Option<String>,
    pub event: Option<String>,
}

/// What the signature checker was given: the secret, the headers as pasted (`Name: value`
/// lines) and the raw body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SignatureCheck {
    pub secret: String,
    pub headers: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SignatureVerdict {
    pub valid: bool,
    /// Why not, in words.
    pub reason: Option<String>,
}

impl App {
    fn require_admin(&self) -> Result<(), CoreError> {
        if self.identity().admin { Ok(()) } else { Err(CoreError::NotAdmin) }
    }

    pub async fn keys(&self) -> Result<Vec<KeyRow>, CoreError> {
        self.require_admin()?;
        let keys = self.client().list_keys(true).await?;
        let members = self.members().await.unwrap_or_default();
        let own = self.identity().key_id;
        Ok(keys
            .into_iter()
            .map(|key| KeyRow {
                member_name: members.iter().find(|m| m.id == key.member_id).map(|m| m.name.clone()),
                this_app: key.id == own,
                key,
            })
            .collect())
    }

    /// The secret is in the answer once, for the admin to copy; it is kept nowhere here.
    pub async fn create_key(&self, new: NewKey) -> Result<CreatedKey, CoreError> {
        self.require_admin()?;
        let req = CreateKeyRequest {
            name: new.name.trim().to_owned(),
            scopes: new.scopes,
            expires_at: new.expires_at.filter(|t| !t.trim().is_empty()),
            member_id: new.member_id.filter(|m| !m.is_empty()),
        };
        Ok(self.client().create_key(&req).await?)
    }

    pub async fn revoke_key(&self, key_id: String) -> Result<ApiKey, CoreError> {
        self.require_admin()?;
        if key_id == self.identity().key_id {
            return Err(CoreError::OwnKey);
        }
        Ok(self.client().revoke_key(&key_id).await?)
    }

    pub async fn rotate_key(&self, key_id: String, grace_period_seconds: Option<u32>) -> Result<Rotation, CoreError> {
        self.require_admin()?;
        let rotated = self.client().rotate_key(&key_id, &RotateKeyRequest { grace_period_seconds }).await?;
        if key_id != self.identity().key_id {
            return Ok(Rotation {
                key: rotated.key,
                previous: rotated.previous,
                secret: rotated.secret,
                swapped_in_keychain: false,
            });
        }
        self.swap_own_key(&rotated.secret, &rotated.key.id).await?;
        Ok(Rotation { key: rotated.key, previous: rotated.previous, secret: String::new(), swapped_in_keychain: true })
    }

    /// Stores the app's new key where the old one was, then uses it from the next request.
    async fn swap_own_key(&self, secret: &str, key_id: &str) -> Result<(), CoreError> {
        let client = Client::new(&self.client().base_url().origin().ascii_serialization(), secret.to_owned())?;
        match &self.key_home {
            KeyHome::Local { account } => secrets::set(&self.secrets, account, secret).await?,
            KeyHome::Profile { name } => {
                let dir = self.config.profiles_dir();
                let mut profiles = tokio::task::spawn_blocking(move || Profiles::open(&dir))
                    .await
                    .map_err(|e| CoreError::Internal(e.to_string()))??;
                profiles.replace_key(&self.secrets, name, secret).await?;
                profiles.record_identity(name, &self.member_id(), key_id)?;
            }
        }
        self.engine.replace_client(client);
        if let Ok(mut me) = self.identity.write() {
            me.key_id = key_id.to_owned();
        }
        Ok(())
    }

    /// The workspace's knowledge entries, newest first (the first 500).
    pub async fn knowledge(&self) -> Result<Vec<KnowledgeEntry>, CoreError> {
        self.require_admin()?;
        let mut entries = Vec::new();
        let mut cursor = None;
        while entries.len() < KNOWLEDGE_SHOWN {
            let q = ListRecordsQuery { limit: Some(100), cursor: cursor.take(), ..Default::default() };
            let page = self.client().list_knowledge(&q).await?;
            entries.extend(page.data);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        entries.truncate(KNOWLEDGE_SHOWN);
        Ok(entries)
    }

    /// Reads the website at `url` into knowledge entries (the server decides what
    /// changes); `max_pages` as the API takes it.
    pub async fn import_knowledge(&self, url: String, max_pages: Option<u32>) -> Result<KnowledgeImport, CoreError> {
        self.require_admin()?;
        let req = ImportKnowledgeRequest { url: url.trim().to_owned(), max_pages };
        Ok(self.client().import_knowledge(&req).await?)
    }

    pub async fn settings(&self) -> Result<WorkspaceSettings, CoreError> {
        self.require_admin()?;
        Ok(self.client().settings().await?)
    }

    /// Both values as the form holds them: `None` leaves each to what the knowledge says.
    pub async fn update_settings(
        &self,
        time_zone: Option<String>,
        region: Option<String>,
    ) -> Result<WorkspaceSettings, CoreError> {
        self.require_admin()?;
        let patch = PatchSettingsRequest { time_zone: Some(time_zone), region: Some(region) };
        Ok(self.client().update_settings(&patch).await?)
    }

    pub async fn webhooks(&self) -> Result<Vec<WebhookEndpoint>, CoreError> {
        self.require_admin()?;
        Ok(self.client().list_webhooks().await?)
    }

    /// The signing secret is in the answer once.
    pub async fn create_webhook(&self, form: WebhookForm) -> Result<WebhookWithSecret, CoreError> {
        self.require_admin()?;
        let req = CreateWebhookRequest {
            url: form.url.trim().to_owned(),
            description: form.description.filter(|d| !d.trim().is_empty()),
            events: form.events,
            active: Some(form.active),
            headers: Some(form.headers),
            buffer_enabled: Some(form.buffer_enabled),
            buffer_window_seconds: form.buffer_window_seconds,
            inactivity_minutes: form.inactivity_minutes,
            ..Default::default()
        };
        Ok(self.client().create_webhook(&req).await?)
    }

    pub async fn update_webhook(&self, webhook_id: String, form: WebhookForm) -> Result<WebhookEndpoint, CoreError> {
        self.require_admin()?;
        let req = PatchWebhookRequest {
            url: Some(form.url.trim().to_owned()),
            description: Some(form.description.filter(|d| !d.trim().is_empty())),
            events: Some(form.events),
            active: Some(form.active),
            headers: Some(form.headers),
            buffer_enabled: Some(form.buffer_enabled),
            buffer_window_seconds: form.buffer_window_seconds,
            inactivity_minutes: Some(form.inactivity_minutes),
            ..Default::default()
        };
        Ok(self.client().patch_webhook(&webhook_id, &req).await?)
    }

    pub async fn delete_webhook(&self, webhook_id: String) -> Result<(), CoreError> {
        self.require_admin()?;
        Ok(self.client().delete_webhook(&webhook_id).await?)
    }

    pub async fn rotate_webhook_secret(
        &self,
        webhook_id: String,
        grace_period_seconds: Option<u32>,
    ) -> Result<WebhookWithSecret, CoreError> {
        self.require_admin()?;
        let req = RotateWebhookSecretRequest { secret: None, grace_period_seconds };
        Ok(self.client().rotate_webhook_secret(&webhook_id, &req).await?)
    }

    pub async fn test_webhook(&self, webhook_id: String) -> Result<WebhookDelivery, CoreError> {
        self.require_admin()?;
        Ok(self.client().test_webhook(&webhook_id).await?)
    }

    pub async fn deliveries(
        &self,
        webhook_id: String,
        filter: DeliveryFilter,
    ) -> Result<Vec<WebhookDelivery>, CoreError> {
        self.require_admin()?;
        let q = ListDeliveriesQuery {
            state: filter.state.filter(|s| !s.is_empty()),
            event: filter.event.filter(|e| !e.is_empty()),
            cursor: None,
            limit: Some(100),
        };
        Ok(self.client().list_deliveries(&webhook_id, &q).await?.data)
    }

    /// One delivery with every attempt and the receiver's response excerpts.
    pub async fn delivery(&self, delivery_id: String) -> Result<DeliveryDetail, CoreError> {
        self.require_admin()?;
        Ok(self.client().get_delivery(&delivery_id).await?)
    }

    pub async fn replay_delivery(&self, delivery_id: String) -> Result<WebhookDelivery, CoreError> {
        self.require_admin()?;
        Ok(self.client().replay_delivery(&delivery_id).await?)
    }
}

/// Verifies a delivery the way a receiver would, and says why not when it fails.
pub fn check_signature(check: &SignatureCheck, now: i64) -> SignatureVerdict {
    let headers = parse_headers(&check.headers);
    let get = |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
    let got = Received {
        webhook_id: get("webhook-id"),
        webhook_timestamp: get("webhook-timestamp"),
        webhook_signature: get("webhook-signature"),
        caac_signature: get("x-caac-signature"),
        body: check.body.as_bytes(),
    };
    match signature::verify(&check.secret, &got, now) {
        Ok(()) => SignatureVerdict { valid: true, reason: None },
        Err(e) => SignatureVerdict { valid: false, reason: Some(e.to_string()) },
    }
}

/// `Name: value` per line, as copied from a request log; other lines are ignored.
fn parse_headers(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .filter(|(k, _)| !k.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_headers_verify_in_any_case_and_failures_say_why() {
        let check = SignatureCheck {
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into(),
            headers: "POST /hooks HTTP/1.1\nWebhook-Id: msg_p5jXN8AQM9LWM0D4loKWxJek\nwebhook-timestamp: 1614265330\n\
                      Webhook-Signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
                .into(),
            body: r#"{"test": 2432232314}"#.into(),
        };
        assert_eq!(check_signature(&check, 1_614_265_330), SignatureVerdict { valid: true, reason: None });
        let late = check_signature(&check, 1_614_265_330 + 3600);
        assert!(!late.valid && late.reason.as_deref().unwrap_or("").contains("3600 seconds"), "{late:?}");
        let edited = SignatureCheck { body: r#"{"test":2432232314}"#.into(), ..check.clone() };
        let v = check_signature(&edited, 1_614_265_330);
        assert!(!v.valid && v.reason.as_deref().unwrap_or("").contains("body was changed"), "{v:?}");
        let bare = SignatureCheck { headers: String::new(), ..check };
        assert!(check_signature(&bare, 0).reason.unwrap_or_default().contains("webhook-signature header is missing"));
    }
}
