//! [`WebhookStorage`] on SQLite.

use async_trait::async_trait;
use switchboard_api::{DeliveryDetail, Page, WebhookDelivery, WebhookEndpoint, WebhookWithSecret};

use super::{Db, audit, webhook_endpoints as endpoints, webhook_log as log};
use crate::error::Error;
use crate::record_storage::{Edit, PageRequest};
use crate::storage::Actor;
use crate::webhook_storage::{DeliveryFilter, WebhookStorage};

#[async_trait]
impl WebhookStorage for Db {
    async fn list_webhooks(&self, workspace_id: String) -> Result<Vec<WebhookEndpoint>, Error> {
        self.read(move |conn| endpoints::list(conn, &workspace_id)).await
    }

    async fn webhook(&self, workspace_id: String, id: String) -> Result<WebhookEndpoint, Error> {
        self.read(move |conn| endpoints::get(conn, &workspace_id, &id)).await
    }

    async fn create_webhook(
        &self,
        actor: Actor,
        endpoint: WebhookEndpoint,
        secret: String,
    ) -> Result<WebhookWithSecret, Error> {
        self.write(move |w| endpoints::create(w.conn(), &actor, &endpoint, &secret)).await
    }

    async fn edit_webhook(
        &self,
        actor: Actor,
        id: String,
        edit: Edit<WebhookEndpoint>,
    ) -> Result<WebhookEndpoint, Error> {
        self.write(move |w| {
            let updated = endpoints::update(w.conn(), &actor, &id, edit)?;
            // Re-enabling resumes the deliveries that waited.
            w.note_queued_webhooks();
            Ok(updated)
        })
        .await
    }

    async fn delete_webhook(&self, actor: Actor, id: String) -> Result<(), Error> {
        self.write(move |w| endpoints::delete(w.conn(), &actor, &id)).await
    }

    async fn rotate_webhook_secret(
        &self,
        actor: Actor,
        id: String,
        secret: String,
        grace_seconds: u32,
    ) -> Result<WebhookWithSecret, Error> {
        self.write(move |w| endpoints::rotate(w.conn(), &actor, &id, &secret, grace_seconds)).await
    }

    async fn send_test_webhook(&self, actor: Actor, id: String) -> Result<WebhookDelivery, Error> {
        self.write(move |w| {
            let delivery = log::send_test(w.conn(), &actor.workspace_id, &id)?;
            audit::record(w.conn(), &actor, "webhook.tested", "webhook", &id)?;
            w.note_queued_webhooks();
            Ok(delivery)
        })
        .await
    }

    async fn list_deliveries(
        &self,
        workspace_id: String,
        endpoint_id: String,
        filter: DeliveryFilter,
        page: PageRequest,
    ) -> Result<Page<WebhookDelivery>, Error> {
        self.read(move |conn| log::list(conn, &workspace_id, &endpoint_id, &filter, &page)).await
    }

    async fn delivery(&self, workspace_id: String, id: String) -> Result<DeliveryDetail, Error> {
        self.read(move |conn| log::detail(conn, &workspace_id, &id)).await
    }

    async fn replay_delivery(&self, actor: Actor, id: String) -> Result<WebhookDelivery, Error> {
        self.write(move |w| {
            let delivery = log::replay(w.conn(), &actor.workspace_id, &id)?;
            audit::record(w.conn(), &actor, "webhook.delivery_replayed", "delivery", &id)?;
            w.note_queued_webhooks();
            Ok(delivery)
        })
        .await
    }
}
