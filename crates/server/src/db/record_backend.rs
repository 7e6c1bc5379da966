//! [`RecordStorage`] on SQLite: every method is one generic operation of `records`.

use async_trait::async_trait;
use rusqlite::Connection;
use rusqlite::types::Value;
use switchboard_api::{Appointment, ErrorCode, KnowledgeEntry, Label, Lead, MessageTemplate, Page};
use switchboard_sqlite::Record;

use super::records::{self, Condition};
use super::{Db, Writer, get_contact, get_conversation};
use crate::error::Error;
use crate::record_storage::{Edit, KnowledgePlan, PageRequest, RecordFilter, RecordStorage};
use switchboard_ai::import::KnowledgeChanges;

impl Db {
    async fn list_records<R: Record>(
        &self,
        workspace_id: String,
        filter: RecordFilter,
        page: PageRequest,
    ) -> Result<Page<R>, Error> {
        self.read(move |conn| {
            let (data, next) =
                records::list::<R>(conn, &workspace_id, conditions(&filter), page.after.as_ref(), page.limit)?;
            Ok(Page { data, next_cursor: next.map(|c| c.encode()) })
        })
        .await
    }

    async fn get_record<R: Record>(&self, workspace_id: String, id: String) -> Result<R, Error> {
        self.read(move |conn| records::get::<R>(conn, &workspace_id, &id)).await
    }

    async fn create_record<R: Record>(&self, workspace_id: String, record: R) -> Result<R, Error> {
        self.write(move |w| records::insert(w, &workspace_id, record)).await
    }

    async fn edit_record<R: Record>(&self, workspace_id: String, id: String, edit: Edit<R>) -> Result<R, Error> {
        self.write(move |w| {
            let current = records::get::<R>(w.conn(), &workspace_id, &id)?;
            let edited = edit(current.clone())?;
            if edited == current {
                return Ok(current);
            }
            records::save(w, &workspace_id, edited)
        })
        .await
    }

    async fn delete_record<R: Record>(&self, workspace_id: String, id: String) -> Result<(), Error> {
        self.write(move |w| records::delete::<R>(w, &workspace_id, &id)).await
    }
}

fn conditions(filter: &RecordFilter) -> Vec<Condition> {
    let text = |s: &String| Value::Text(s.clone());
    let mut out = Vec::new();
    if let Some(s) = &filter.status {
        out.push(("status = ?", text(s)));
    }
    if let Some(c) = &filter.contact_id {
        out.push(("contact_id = ?", text(c)));
    }
    if let Some(l) = &filter.language {
        out.push(("language = ?", text(l)));
    }
    if let Some(t) = &filter.updated_since {
        out.push(("updated_at > ?", text(t)));
    }
    out
}

/// The contact a lead or appointment belongs to: the one given, else the conversation's.
/// Both must be this workspace's, and agree.
fn resolve_contact(
    conn: &Connection,
    workspace_id: &str,
    contact_id: Option<String>,
    conversation_id: Option<&str>,
) -> Result<Option<String>, Error> {
    let from_conversation = match conversation_id {
        Some(id) => Some(
            get_conversation(conn, workspace_id, id)
                .map_err(|_| Error::not_found(&format!("conversationId: conversation {id}")))?
                .contact_id,
        ),
        None => None,
    };
    if let Some(id) = &contact_id {
        if get_contact(conn, workspace_id, id)?.is_none() {
            return Err(Error::not_found(&format!("contactId: contact {id}")));
        }
        if from_conversation.as_ref().is_some_and(|c| c != id) {
            // Both exist; they do not go together.
            return Err(Error::api(ErrorCode::InvalidState, "contactId is not the contact of conversationId"));
        }
    }
    Ok(contact_id.or(from_conversation))
}

pub(super) fn insert_lead(w: &mut Writer<'_>, workspace_id: &str, mut lead: Lead) -> Result<Lead, Error> {
    lead.contact_id = resolve_contact(w.conn(), workspace_id, lead.contact_id, lead.conversation_id.as_deref())?;
    let lead = records::insert(w, workspace_id, lead)?;
    super::webhook_events::lead_captured(w, workspace_id, &lead)?;
    Ok(lead)
}

pub(super) fn insert_appointment(
    w: &mut Writer<'_>,
    workspace_id: &str,
    mut a: Appointment,
) -> Result<Appointment, Error> {
    a.contact_id = resolve_contact(w.conn(), workspace_id, a.contact_id, a.conversation_id.as_deref())?;
    let a = records::insert(w, workspace_id, a)?;
    super::webhook_events::appointment_requested(w, workspace_id, &a)?;
    Ok(a)
}

#[async_trait]
impl RecordStorage for Db {
    async fn list_leads(
        &self,
        workspace_id: String,
        filter: RecordFilter,
        page: PageRequest,
    ) -> Result<Page<Lead>, Error> {
        self.list_records(workspace_id, filter, page).await
    }
    async fn lead(&self, workspace_id: String, id: String) -> Result<Lead, Error> {
        self.get_record(workspace_id, id).await
    }
    async fn create_lead(&self, workspace_id: String, lead: Lead) -> Result<Lead, Error> {
        self.write(move |w| insert_lead(w, &workspace_id, lead)).await
    }
    async fn edit_lead(&self, workspace_id: String, id: String, edit: Edit<Lead>) -> Result<Lead, Error> {
        self.edit_record(workspace_id, id, edit).await
    }
    async fn delete_lead(&self, workspace_id: String, id: String) -> Result<(), Error> {
        self.delete_record::<Lead>(workspace_id, id).await
    }

    async fn list_appointments(
        &self,
        workspace_id: String,
        filter: RecordFilter,
        page: PageRequest,
    ) -> Result<Page<Appointment>, Error> {
        self.list_records(workspace_id, filter, page).await
    }
    async fn appointment(&self, workspace_id: String, id: String) -> Result<Appointment, Error> {
        self.get_record(workspace_id, id).await
    }
    async fn create_appointment(&self, workspace_id: String, appointment: Appointment) -> Result<Appointment, Error> {
        self.write(move |w| insert_appointment(w, &workspace_id, appointment)).await
    }
    async fn edit_appointment(
        &self,
        workspace_id: String,
        id: String,
        edit: Edit<Appointment>,
    ) -> Result<Appointment, Error> {
        self.edit_record(workspace_id, id, edit).await
    }
    async fn delete_appointment(&self, workspace_id: String, id: String) -> Result<(), Error> {
        self.delete_record::<Appointment>(workspace_id, id).await
    }

    async fn list_labels(
        &self,
        workspace_id: String,
        filter: RecordFilter,
        page: PageRequest,
    ) -> Result<Page<Label>, Error> {
        self.list_records(workspace_id, filter, page).await
    }
    async fn label(&self, workspace_id: String, id: String) -> Result<Label, Error> {
        self.get_record(workspace_id, id).await
    }
    async fn create_label(&self, workspace_id: String, label: Label) -> Result<Label, Error> {
        self.create_record(workspace_id, label).await
    }
    async fn edit_label(&self, workspace_id: String, id: String, edit: Edit<Label>) -> Result<Label, Error> {
        self.edit_record(workspace_id, id, edit).await
    }
    async fn delete_label(&self, workspace_id: String, id: String) -> Result<(), Error> {
        self.delete_record::<Label>(workspace_id, id).await
    }

    async fn list_templates(
        &self,
        workspace_id: String,
        filter: RecordFilter,
        page: PageRequest,
    ) -> Result<Page<MessageTemplate>, Error> {
        self.list_records(workspace_id, filter, page).await
    }
    async fn template(&self, workspace_id: String, id: String) -> Result<MessageTemplate, Error> {
        self.get_record(workspace_id, id).await
    }
    async fn create_template(&self, workspace_id: String, template: MessageTemplate) -> Result<MessageTemplate, Error> {
        self.create_record(workspace_id, template).await
    }
    async fn edit_template(
        &self,
        workspace_id: String,
        id: String,
        edit: Edit<MessageTemplate>,
    ) -> Result<MessageTemplate, Error> {
        self.edit_record(workspace_id, id, edit).await
    }
    async fn delete_template(&self, workspace_id: String, id: String) -> Result<(), Error> {
        self.delete_record::<MessageTemplate>(workspace_id, id).await
    }

    async fn list_knowledge(
        &self,
        workspace_id: String,
        filter: RecordFilter,
        page: PageRequest,
    ) -> Result<Page<KnowledgeEntry>, Error> {
        self.list_records(workspace_id, filter, page).await
    }
    async fn knowledge(&self, workspace_id: String, id: String) -> Result<KnowledgeEntry, Error> {
        self.get_record(workspace_id, id).await
    }
    async fn create_knowledge(&self, workspace_id: String, entry: KnowledgeEntry) -> Result<KnowledgeEntry, Error> {
        self.create_record(workspace_id, entry).await
    }
    async fn edit_knowledge(
        &self,
        workspace_id: String,
        id: String,
        edit: Edit<KnowledgeEntry>,
    ) -> Result<KnowledgeEntry, Error> {
        self.edit_record(workspace_id, id, edit).await
    }
    async fn delete_knowledge(&self, workspace_id: String, id: String) -> Result<(), Error> {
        self.delete_record::<KnowledgeEntry>(workspace_id, id).await
    }
    async fn import_knowledge(
        &self,
        workspace_id: String,
        urls: Vec<String>,
        plan: KnowledgePlan,
    ) -> Result<KnowledgeChanges, Error> {
        let mut urls = urls;
        urls.sort();
        urls.dedup();
        self.write(move |w| {
            let mut existing = Vec::new();
            for url in urls {
                let (found, _) = records::list::<KnowledgeEntry>(
                    w.conn(),
                    &workspace_id,
                    vec![("url = ?", Value::Text(url))],
                    None,
                    u32::MAX - 1,
                )?;
                existing.extend(found);
            }
            let changes = plan(existing);
            for entry in &changes.create {
                records::insert(w, &workspace_id, entry.clone())?;
            }
            for entry in &changes.update {
                records::save(w, &workspace_id, entry.clone())?;
            }
            for id in &changes.delete {
                records::delete::<KnowledgeEntry>(w, &workspace_id, id)?;
            }
            Ok(changes)
        })
        .await
    }
}
