use std::collections::BTreeSet;

use rusqlite::{Transaction, params};
use switchboard_api::{
    Appointment, Change, Contact, Conversation, KnowledgeEntry, Label, Lead, Message, MessageTemplate, ReadMarker,
};

use crate::Store;
use switchboard_sqlite::{
    CONTACT_COLUMNS, CONVERSATION_COLUMNS, MESSAGE_COLUMNS, Record, contact_values, conversation_values,
    execute_message, upsert_newer_sql,
};

use crate::error::StoreError;

/// What one applied batch touched, so a UI refreshes only that.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Applied {
    pub conversation_ids: BTreeSet<String>,
    pub contacts_changed: bool,
    pub cursor: i64,
}

impl Store {
    /// The cursor that every applied row is covered by.
    pub fn cursor(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT cursor FROM sync_state WHERE id = 1", [], |r| r.get(0))?)
    }

    /// Applies rows and moves the cursor in one transaction: a crash leaves either both or
    /// neither. A row older than the cached copy (lower `seq`) is ignored, so replays are
    /// harmless; the cursor never moves backwards.
    pub fn apply(&mut self, changes: &[Change], cursor: i64) -> Result<Applied, StoreError> {
        let tx = self.conn.transaction()?;
        let mut applied = Applied::default();
        for change in changes {
            match change {
                Change::Contact(c) => {
                    upsert_contact(&tx, c)?;
                    applied.contacts_changed = true;
                }
                Change::Conversation(c) => {
                    upsert_conversation(&tx, c)?;
                    applied.conversation_ids.insert(c.id.clone());
                }
                Change::Message(m) => {
                    upsert_message(&tx, m)?;
                    if !applied.conversation_ids.contains(&m.conversation_id) {
                        applied.conversation_ids.insert(m.conversation_id.clone());
                    }
                }
                Change::Lead(r) => upsert_record(&tx, r)?,
                Change::Appointment(r) => upsert_record(&tx, r)?,
                Change::Label(r) => upsert_record(&tx, r)?,
                Change::Template(r) => upsert_record(&tx, r)?,
                Change::Knowledge(r) => upsert_record(&tx, r)?,
                Change::ReadMarker(r) => {
                    upsert_record(&tx, r)?;
                    applied.conversation_ids.insert(r.conversation_id.clone());
                }
                Change::Deleted(t) => {
                    let table = match t.entity.as_str() {
                        "contact" => "contacts",
                        "conversation" => "conversations",
                        "message" => "messages",
                        e if e == Lead::ENTITY => Lead::TABLE,
                        e if e == Appointment::ENTITY => Appointment::TABLE,
                        e if e == Label::ENTITY => Label::TABLE,
                        e if e == MessageTemplate::ENTITY => MessageTemplate::TABLE,
                        e if e == KnowledgeEntry::ENTITY => KnowledgeEntry::TABLE,
                        e if e == ReadMarker::ENTITY => ReadMarker::TABLE,
                        // An entity this version does not cache: nothing to drop.
                        _ => continue,
                    };
                    tx.execute(&format!("DELETE FROM {table} WHERE id = ?1 AND seq < ?2"), params![t.id, t.seq])?;
                    if t.entity == "conversation" {
                        applied.conversation_ids.insert(t.id.clone());
                    }
                }
            }
        }
        tx.execute("UPDATE sync_state SET cursor = MAX(cursor, ?1) WHERE id = 1", [cursor])?;
        applied.cursor = tx.query_row("SELECT cursor FROM sync_state WHERE id = 1", [], |r| r.get(0))?;
        tx.commit()?;
        Ok(applied)
    }
}

fn upsert_contact(tx: &Transaction<'_>, c: &Contact) -> Result<(), StoreError> {
    tx.prepare_cached(&upsert_newer_sql("contacts", CONTACT_COLUMNS))?
        .execute(rusqlite::params_from_iter(contact_values(c)))?;
    Ok(())
}

fn upsert_conversation(tx: &Transaction<'_>, c: &Conversation) -> Result<(), StoreError> {
    tx.prepare_cached(&upsert_newer_sql("conversations", CONVERSATION_COLUMNS))?
        .execute(rusqlite::params_from_iter(conversation_values(c)))?;
    Ok(())
}

fn upsert_record<R: Record>(tx: &Transaction<'_>, r: &R) -> Result<(), StoreError> {
    tx.prepare_cached(&upsert_newer_sql(R::TABLE, &R::columns()))?.execute(r.values().as_slice())?;
    Ok(())
}

fn upsert_message(tx: &Transaction<'_>, m: &Message) -> Result<(), StoreError> {
    // Built once: this runs for every message of a first sync.
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let sql = SQL.get_or_init(|| upsert_newer_sql("messages", MESSAGE_COLUMNS));
    execute_message(&mut tx.prepare_cached(sql)?, m)?;
    Ok(())
}
