//! What the cache keeps besides synced rows: the workspace's members (to show who is
//! assigned), and for admins the API keys' and webhook endpoints' metadata (the console
//! opens offline). Read from their list routes after each catch-up and replaced whole.
//! Secrets are never in these lists (the server never lists them), so never here.

use serde::Serialize;
use serde::de::DeserializeOwned;
use switchboard_api::{ApiKey, Member, WebhookEndpoint};

use crate::Store;
use crate::error::StoreError;

/// Which list a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Member,
    Key,
    Webhook,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Key => "key",
            Self::Webhook => "webhook",
        }
    }
}

impl Store {
    pub fn replace_members(&mut self, rows: &[Member]) -> Result<(), StoreError> {
        self.replace(Kind::Member, rows.iter().map(|m| (m.id.as_str(), m)))
    }

    pub fn members(&self) -> Result<Vec<Member>, StoreError> {
        self.list(Kind::Member)
    }

    pub fn replace_keys(&mut self, rows: &[ApiKey]) -> Result<(), StoreError> {
        self.replace(Kind::Key, rows.iter().map(|k| (k.id.as_str(), k)))
    }

    pub fn keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        self.list(Kind::Key)
    }

    /// Custom header values often carry the receiver's own token: only their names are
    /// kept, the values masked.
    pub fn replace_webhooks(&mut self, rows: &[WebhookEndpoint]) -> Result<(), StoreError> {
        let masked: Vec<WebhookEndpoint> = rows
            .iter()
            .cloned()
            .map(|mut w| {
                for value in w.headers.values_mut() {
                    *value = "…".to_owned();
                }
                w
            })
            .collect();
        self.replace(Kind::Webhook, masked.iter().map(|w| (w.id.as_str(), w)))
    }

    pub fn webhooks(&self) -> Result<Vec<WebhookEndpoint>, StoreError> {
        self.list(Kind::Webhook)
    }

    fn replace<'a, T: Serialize + 'a>(
        &mut self,
        kind: Kind,
        rows: impl Iterator<Item = (&'a str, &'a T)>,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM reference WHERE kind = ?1", [kind.as_str()])?;
        {
            let mut stmt =
                tx.prepare_cached("INSERT INTO reference (kind, id, position, json) VALUES (?1, ?2, ?3, ?4)")?;
            for (position, (id, row)) in rows.enumerate() {
                let json = serde_json::to_string(row).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                stmt.execute(rusqlite::params![kind.as_str(), id, position as i64, json])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn list<T: DeserializeOwned>(&self, kind: Kind) -> Result<Vec<T>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT json FROM reference WHERE kind = ?1 ORDER BY position")?;
        let rows = stmt.query_map([kind.as_str()], |r| r.get::<_, String>(0))?;
        rows.map(|json| {
            serde_json::from_str(&json?).map_err(|e| StoreError::Corrupt(format!("cached {}: {e}", kind.as_str())))
        })
        .collect()
    }
}
