//! The storage interface for leads, appointments, labels, templates and knowledge entries.
//! Edits are closures over wire types, applied inside the backend's transaction: the rules
//! stay in one place for every backend, and a concurrent edit is never lost.

use async_trait::async_trait;
use switchboard_api::{Appointment, KnowledgeEntry, Label, Lead, MessageTemplate, Page};

use switchboard_ai::import::KnowledgeChanges;

use crate::error::Error;
use crate::storage::ConversationCursor;

/// A change to one record: gets the current row, returns the new one or refuses.
pub type Edit<R> = Box<dyn FnOnce(R) -> Result<R, Error> + Send>;

/// An import's changes to knowledge, decided from the entries citing the pages read.
pub type KnowledgePlan = Box<dyn FnOnce(Vec<KnowledgeEntry>) -> KnowledgeChanges + Send>;

/// Validated list filters; each list uses the ones its route documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordFilter {
    pub status: Option<String>,
    pub contact_id: Option<String>,
    pub language: Option<String>,
    pub updated_since: Option<String>,
}

/// Page position and size of a list.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub after: Option<ConversationCursor>,
    pub limit: u32,
}

#[async_trait]
pub trait RecordStorage {
    async fn list_leads(
        &self,
        workspace_id: String,
        filter: RecordFilter,
        page: PageRequest,
    ) -> Result<Page<Lead>, Error>;
    async fn lead(&self, workspace_id: String, id: String) -> Result<Lead, Error>;
    /// Checks that the contact and conversation are this workspace's; the contact defaults
    /// to the conversation's.
    async fn create_lead(&self, workspace_id: String, lead: Lead) -> Result<Lead, Error>;
    async fn edit_lead(&self, workspace_id: String, id: String, edit: Edit<Lead>) -> Result<Lead, Error>;
    async fn delete_lead(&self, workspace_id: String, id: String) -> Result<(), Error>;

    async fn list_appointments(
        &self,
        workspace_id: String,
        filter: RecordFilter,
        page: PageRequest,
    ) -> Result<Page<Appointment>, Error>;
    async fn appointment(&self, workspace_id: String, id: String) -> Result<Appointment, Error>;
    /// Checks references like [`RecordStorage::create_lead`].
    async fn create_appointment(&self, workspace_id: String, appointment: Appointment) -> Result<Appointment, Error>;
    async fn edit_appointment(
        &self,
        workspace_id: String,
        id: String,
        edit: Edit<Appointment>,
    ) -> Result<Appointment, Error>;
    async fn delete_appointment(&self, workspace_id: String, id: String) -> Result<(), Error>;

    async fn list_labels(
        &self,
        workspace_id: String,
        filter: RecordFilter,
        page: PageRequest,
    ) -> Result<Page<Label>, Error>;
    async fn label(&self, workspace_id: String, id: String) -> Result<Label, Error>;
    /// A name already taken (ignoring case) is a conflict.
    async fn create_label(&self, workspace_id: String, label: Label) -> Result<Label, Error>;
    async fn edit_label(&self, workspace_id: String, id: String, edit: Edit<Label>) -> Result<Label, Error>;
    async fn delete_label(&self, workspace_id: String, id: String) -> Result<(), Error>;

    async fn list_templates(
        &self,
        workspace_id: String,
        filter: RecordFilter,
        page: PageRequest,
    ) -> Result<Page<MessageTemplate>, Error>;
    async fn template(&self, workspace_id: String, id: String) -> Result<MessageTemplate, Error>;
    /// A name and language already taken is a conflict.
    async fn create_template(&self, workspace_id: String, template: MessageTemplate) -> Result<MessageTemplate, Error>;
    async fn edit_template(
        &self,
        workspace_id: String,
        id: String,
        edit: Edit<MessageTemplate>,
    ) -> Result<MessageTemplate, Error>;
    async fn delete_template(&self, workspace_id: String, id: String) -> Result<(), Error>;

    async fn list_knowledge(
        &self,
        workspace_id: String,
        filter: RecordFilter,
        page: PageRequest,
    ) -> Result<Page<KnowledgeEntry>, Error>;
    async fn knowledge(&self, workspace_id: String, id: String) -> Result<KnowledgeEntry, Error>;
    async fn create_knowledge(&self, workspace_id: String, entry: KnowledgeEntry) -> Result<KnowledgeEntry, Error>;
    async fn edit_knowledge(
        &self,
        workspace_id: String,
        id: String,
        edit: Edit<KnowledgeEntry>,
    ) -> Result<KnowledgeEntry, Error>;
    async fn delete_knowledge(&self, workspace_id: String, id: String) -> Result<(), Error>;
    /// A website import in one write: `plan` gets the entries whose `url` is one of
    /// `urls` and says what to create, update and delete; what it said is returned.
    async fn import_knowledge(
        &self,
        workspace_id: String,
        urls: Vec<String>,
        plan: KnowledgePlan,
    ) -> Result<KnowledgeChanges, Error>;
}
