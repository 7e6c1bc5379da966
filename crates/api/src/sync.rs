use serde::{Deserialize, Serialize};

use crate::model::{Contact, Conversation, Message};
use crate::records::{Appointment, KnowledgeEntry, Label, Lead, MessageTemplate, ReadMarker};

/// The largest page `GET /sync` returns, whatever `limit` asks for.
pub const MAX_SYNC_LIMIT: u32 = 1000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct SyncQuery {
    pub since: Option<i64>,
    pub limit: Option<u32>,
}

/// A row deleted at `seq`; clients drop their copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tombstone {
    pub entity: String,
    pub id: String,
    pub seq: i64,
}

/// The current state of one row, as `/sync` pages and `/events/stream` carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Change {
    Contact(Contact),
    Conversation(Conversation),
    Message(Message),
    Lead(Lead),
    Appointment(Appointment),
    Label(Label),
    Template(MessageTemplate),
    Knowledge(KnowledgeEntry),
    ReadMarker(ReadMarker),
    Deleted(Tombstone),
}

impl Change {
    /// The `type` of every change this version knows. Changes of other types come from
    /// newer servers (new kinds of rows) and are skipped by clients, not refused.
    pub const KINDS: &'static [&'static str] = &[
        "contact",
        "conversation",
        "message",
        "lead",
        "appointment",
        "label",
        "template",
        "knowledge",
        "read_marker",
        "deleted",
    ];

    pub fn seq(&self) -> i64 {
        match self {
            Change::Contact(c) => c.seq,
            Change::Conversation(c) => c.seq,
            Change::Message(m) => m.seq,
            Change::Lead(r) => r.seq,
            Change::Appointment(r) => r.seq,
            Change::Label(r) => r.seq,
            Change::Template(r) => r.seq,
            Change::Knowledge(r) => r.seq,
            Change::ReadMarker(r) => r.seq,
            Change::Deleted(t) => t.seq,
        }
    }
}

/// `GET /sync?since=S&limit=N`: rows changed after `S`, in `seq` order.
/// `next` is the cursor to store once the page is applied; when `has_more` is false it is
/// the workspace's latest `seq`, so rows superseded inside the page are not fetched again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncPage {
    pub changes: Vec<Change>,
    pub next: i64,
    pub has_more: bool,
    /// The workspace's latest `seq` when the page was read: how far a catch-up has to go
    /// (progress is `next` against it). 0 from servers that do not say.
    #[serde(default)]
    pub latest: i64,
}

#[cfg(test)]
mod kinds_tests {
    use super::Change;

    /// `KINDS` lists exactly the tags serde writes.
    #[test]
    fn every_kind_is_listed() {
        let t = crate::Tombstone { entity: "x".into(), id: "y".into(), seq: 1 };
        let json = serde_json::to_value(Change::Deleted(t)).expect("json");
        assert!(Change::KINDS.contains(&json["type"].as_str().expect("type")));
        for kind in Change::KINDS {
            let probe = serde_json::json!({"type": kind, "data": {}});
            let err = serde_json::from_value::<Change>(probe).expect_err("empty data is refused").to_string();
            assert!(!err.contains("unknown variant"), "{kind} is not a Change variant: {err}");
        }
    }
}
