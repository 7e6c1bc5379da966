use serde::{Deserialize, Serialize};

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            /// Parses the wire form; `None` for anything else.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($wire => Some($name::$variant),)+ _ => None }
            }
        }

        #[cfg(feature = "sqlite")]
        impl rusqlite::types::FromSql for $name {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let text = value.as_str()?;
                $name::parse(text).ok_or_else(|| {
                    rusqlite::types::FromSqlError::Other(format!("not a {}: {text:?}", stringify!($name)).into())
                })
            }
        }

        #[cfg(feature = "sqlite")]
        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }
    };
}

wire_enum!(Role { Owner => "owner", Admin => "admin", Agent => "agent" });
wire_enum!(Scope { Read => "read", Write => "write", Admin => "admin" });
wire_enum!(Channel { Whatsapp => "whatsapp", Web => "web" });
wire_enum!(ConversationStatus {
    Open => "open", Pending => "pending", Snoozed => "snoozed", Resolved => "resolved"
});
wire_enum!(
    /// Who answers the conversation right now: the AI agent or a human member.
    Handler { Ai => "ai", Human => "human" }
);
wire_enum!(Priority { None => "none", Low => "low", Medium => "medium", High => "high", Urgent => "urgent" });
wire_enum!(Direction { Inbound => "inbound", Outbound => "outbound" });
wire_enum!(Author { Contact => "contact", Member => "member", Ai => "ai", System => "system" });
wire_enum!(MessageStatus {
    Queued => "queued", Sent => "sent", Delivered => "delivered", Read => "read", Failed => "failed"
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Workspace {
    pub id: String,
    pub name: String,
    pub plan: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub id: String,
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    pub id: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The contact's id in another system (a CRM, a shop).
    pub external_id: Option<String>,
    /// Free-form attributes: string, number, boolean values.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom_attributes: serde_json::Map<String, serde_json::Value>,
    pub created_at: String,
    pub updated_at: String,
    pub seq: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    pub id: String,
    pub contact_id: String,
    pub channel: Channel,
    pub status: ConversationStatus,
    pub handler: Handler,
    pub assignee_id: Option<String>,
    /// When a snoozed conversation reopens by itself (it also reopens when the contact writes).
    pub snoozed_until: Option<String>,
    pub priority: Priority,
    pub labels: Vec<String>,
    pub last_message_preview: Option<String>,
    pub last_message_at: Option<String>,
    pub last_inbound_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub seq: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: String,
    pub conversation_id: String,
    pub direction: Direction,
    pub author: Author,
    pub author_id: Option<String>,
    pub body: String,
    pub status: MessageStatus,
    /// The sender's Idempotency-Key, so a client can match its outbox entry.
    pub client_id: Option<String>,
    pub created_at: String,
    pub seq: i64,
}
