//! Rows whose columns are exactly their wire fields, named alike, so one description per
//! type serves the server's tables, the cache's tables and every generic query on them.

use rusqlite::Row;
use rusqlite::types::ToSql;
use switchboard_api::{Appointment, Change, KnowledgeEntry, Label, Lead, MessageTemplate, ReadMarker};

/// A synced record: an `id`, an `updated_at` and a `seq`, and columns named like its fields.
pub trait Record: Sized + Clone + PartialEq + Send + 'static {
    /// The table, in the server's database and in the cache.
    const TABLE: &'static str;
    /// The name tombstones and 404s use.
    const ENTITY: &'static str;
    /// Column names, `id` first.
    const FIELDS: &'static [&'static str];

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self>;
    /// The values of [`Record::FIELDS`], in order.
    fn values(&self) -> Vec<&dyn ToSql>;
    fn id(&self) -> &str;
    fn created_at(&self) -> &str;
    /// Sets a new `seq` and `updated_at`, as every change does.
    fn stamp(&mut self, seq: i64, now: &str);
    fn into_change(self) -> Change;

    /// `FIELDS` as a column list.
    fn columns() -> String {
        Self::FIELDS.join(", ")
    }
}

macro_rules! record {
    ($ty:ident, $table:literal, $entity:literal, $variant:ident, [$($field:ident),+ $(,)?]) => {
        impl Record for $ty {
            const TABLE: &'static str = $table;
            const ENTITY: &'static str = $entity;
            const FIELDS: &'static [&'static str] = &["id", $(stringify!($field)),+, "created_at", "updated_at", "seq"];

            fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
                Ok($ty {
                    id: r.get("id")?,
                    $($field: r.get(stringify!($field))?,)+
                    created_at: r.get("created_at")?,
                    updated_at: r.get("updated_at")?,
                    seq: r.get("seq")?,
                })
            }

            fn values(&self) -> Vec<&dyn ToSql> {
                vec![&self.id, $(&self.$field,)+ &self.created_at, &self.updated_at, &self.seq]
            }

            fn id(&self) -> &str {
                &self.id
            }

            fn created_at(&self) -> &str {
                &self.created_at
            }

            fn stamp(&mut self, seq: i64, now: &str) {
                self.seq = seq;
                self.updated_at = now.to_owned();
            }

            fn into_change(self) -> Change {
                Change::$variant(self)
            }
        }
    };
}

record!(Lead, "leads", "lead", Lead, [contact_id, conversation_id, name, email, phone, interest, status]);
record!(
    Appointment,
    "appointments",
    "appointment",
    Appointment,
    [contact_id, conversation_id, service, preferred_time, starts_at, status, name, phone, notes]
);
record!(Label, "labels", "label", Label, [name, color, description]);
record!(MessageTemplate, "templates", "template", Template, [name, language, category, body, param_count, status]);
record!(KnowledgeEntry, "knowledge", "knowledge", Knowledge, [title, body, url, imported]);
record!(ReadMarker, "read_markers", "read_marker", ReadMarker, [conversation_id, member_id, last_read_at]);
