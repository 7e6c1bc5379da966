use serde::{Deserialize, Serialize};

use crate::model::Scope;

wire_enum!(
    /// Why an answer that carries a secret (a new key, a webhook's signing secret) has none:
    /// it is the replay of a request made with the same `Idempotency-Key`, and the secret was
    /// shown to the first one only. It is never kept, so it cannot be shown again; rotate to
    /// get a new one.
    SecretWithheld { ShownOnce => "secret_shown_once" }
);

/// An API key as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    pub id: String,
    pub name: String,
    /// The first characters of the key, to recognise it by.
    pub prefix: String,
    pub scopes: Vec<Scope>,
    /// The member the key acts as.
    pub member_id: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    /// After this the key stops working (set by rotation's grace period, or at creation).
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// `POST /keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateKeyRequest {
    pub name: String,
    pub scopes: Vec<Scope>,
    /// Optional end of life, RFC 3339, in the future.
    #[serde(default)]
    pub expires_at: Option<String>,
    /// The member the key acts as; defaults to the caller's. Lets an admin hand a teammate
    /// their own key.
    #[serde(default)]
    pub member_id: Option<String>,
}

/// A key with its secret: the only time the secret is ever shown.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreatedKey {
    pub key: ApiKey,
    /// The key itself. `null` only in a replay (see `secretWithheld`).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub secret: String,
    /// Present, and `secret` null, when this answer replays an earlier request with the
    /// same `Idempotency-Key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_withheld: Option<SecretWithheld>,
}

debug_without_secrets!(CreatedKey { key, secret_withheld });

/// `POST /keys/{id}/rotate`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RotateKeyRequest {
    /// How long the old key keeps working; default 86400 (24 h), 0 ends it at once.
    #[serde(default)]
    pub grace_period_seconds: Option<u32>,
}

/// The new key (with its secret, shown once) and the old one with its new end of life.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RotatedKey {
    pub key: ApiKey,
    /// The new key itself. `null` only in a replay (see `secretWithheld`).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub secret: String,
    pub previous: ApiKey,
    /// Present, and `secret` null, when this answer replays an earlier request with the
    /// same `Idempotency-Key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_withheld: Option<SecretWithheld>,
}

debug_without_secrets!(RotatedKey { key, previous, secret_withheld });

/// One entry of the audit log: who did what to which key, webhook or member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: String,
    /// e.g. `key.created`, `key.revoked`, `key.rotated`.
    pub action: String,
    pub actor_member_id: String,
    pub actor_key_id: Option<String>,
    pub target_type: String,
    pub target_id: String,
    pub ip: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(rename_all = "camelCase")]
pub struct ListKeysQuery {
    /// Include revoked and expired keys.
    #[serde(default)]
    pub include_inactive: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ListAuditQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}
