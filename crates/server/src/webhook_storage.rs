//! The storage interface for webhook endpoints and their delivery log. Admin actions take
//! an [`Actor`] and are audited by the backend in the same transaction.

use async_trait::async_trait;
use switchboard_api::{
    DeliveryDetail, DeliveryState, Page, WebhookDelivery, WebhookEndpoint, WebhookEventType, WebhookWithSecret,
};

use crate::error::Error;
use crate::record_storage::{Edit, PageRequest};
use crate::storage::Actor;

/// Filters of the delivery log.
#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    pub state: Option<DeliveryState>,
    pub event: Option<WebhookEventType>,
}

#[async_trait]
pub trait WebhookStorage {
    async fn list_webhooks(&self, workspace_id: String) -> Result<Vec<WebhookEndpoint>, Error>;
    async fn webhook(&self, workspace_id: String, id: String) -> Result<WebhookEndpoint, Error>;
    /// Stores a validated endpoint (id and times set) with its secret.
    async fn create_webhook(
        &self,
        actor: Actor,
        endpoint: WebhookEndpoint,
        secret: String,
    ) -> Result<WebhookWithSecret, Error>;
    async fn edit_webhook(
        &self,
        actor: Actor,
        id: String,
        edit: Edit<WebhookEndpoint>,
    ) -> Result<WebhookEndpoint, Error>;
    /// Removes the endpoint, its queue and its delivery log.
    async fn delete_webhook(&self, actor: Actor, id: String) -> Result<(), Error>;
    async fn rotate_webhook_secret(
        &self,
        actor: Actor,
        id: String,
        secret: String,
        grace_seconds: u32,
    ) -> Result<WebhookWithSecret, Error>;
    async fn send_test_webhook(&self, actor: Actor, id: String) -> Result<WebhookDelivery, Error>;

    async fn list_deliveries(
        &self,
        workspace_id: String,
        endpoint_id: String,
        filter: DeliveryFilter,
        page: PageRequest,
    ) -> Result<Page<WebhookDelivery>, Error>;
    async fn delivery(&self, workspace_id: String, id: String) -> Result<DeliveryDetail, Error>;
    async fn replay_delivery(&self, actor: Actor, id: String) -> Result<WebhookDelivery, Error>;
}
