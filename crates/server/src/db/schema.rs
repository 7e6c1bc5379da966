/// Forward-only migrations; `PRAGMA user_version` is the index of the last one applied.
pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE workspaces (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    plan        TEXT NOT NULL,
    last_seq    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
);
CREATE TABLE members (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    name          TEXT NOT NULL,
    email         TEXT,
    role          TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'agent')),
    created_at    TEXT NOT NULL
);
CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    member_id     TEXT NOT NULL REFERENCES members(id),
    name          TEXT NOT NULL,
    prefix        TEXT NOT NULL,
    hash          TEXT NOT NULL UNIQUE,
    scopes        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_used_at  TEXT,
    revoked_at    TEXT
);
CREATE TABLE contacts (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    name          TEXT,
    phone         TEXT,
    email         TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    seq           INTEGER NOT NULL
);
CREATE UNIQUE INDEX contacts_phone ON contacts(workspace_id, phone) WHERE phone IS NOT NULL;
CREATE INDEX contacts_seq ON contacts(workspace_id, seq);
CREATE TABLE conversations (
    id                    TEXT PRIMARY KEY,
    workspace_id          TEXT NOT NULL REFERENCES workspaces(id),
    contact_id            TEXT NOT NULL REFERENCES contacts(id),
    channel               TEXT NOT NULL CHECK (channel IN ('whatsapp', 'web')),
    status                TEXT NOT NULL CHECK (status IN ('open', 'pending', 'snoozed', 'resolved')),
    handler               TEXT NOT NULL CHECK (handler IN ('ai', 'human')),
    assignee_id           TEXT REFERENCES members(id),
    last_message_preview  TEXT,
    last_message_at       TEXT,
    last_inbound_at       TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    seq                   INTEGER NOT NULL
);
CREATE INDEX conversations_seq ON conversations(workspace_id, seq);
CREATE INDEX conversations_activity ON conversations(workspace_id, last_message_at DESC, id DESC);
CREATE INDEX conversations_contact ON conversations(contact_id);
CREATE TABLE messages (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces(id),
    conversation_id  TEXT NOT NULL REFERENCES conversations(id),
    direction        TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    author           TEXT NOT NULL CHECK (author IN ('contact', 'member', 'ai', 'system')),
    author_id        TEXT,
    body             TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'read', 'failed')),
    client_id        TEXT,
    created_at       TEXT NOT NULL,
    seq              INTEGER NOT NULL
);
CREATE INDEX messages_seq ON messages(workspace_id, seq);
CREATE INDEX messages_conversation ON messages(conversation_id, created_at, id);
CREATE UNIQUE INDEX messages_client_id ON messages(workspace_id, client_id) WHERE client_id IS NOT NULL;
CREATE TABLE tombstones (
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, entity, entity_id)
);
CREATE INDEX tombstones_seq ON tombstones(workspace_id, seq);
"#,
    r#"
CREATE TABLE idempotency_keys (
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    key           TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
    status        INTEGER,
    body          BLOB,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (workspace_id, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys(created_at);
"#,
    r#"
-- NULL: the server's default quota.
ALTER TABLE workspaces ADD COLUMN rate_limit_per_minute INTEGER CHECK (rate_limit_per_minute > 0);
"#,
    r#"
ALTER TABLE api_keys ADD COLUMN expires_at TEXT;
CREATE TABLE audit_log (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces(id),
    action           TEXT NOT NULL,
    actor_member_id  TEXT NOT NULL,
    actor_key_id     TEXT,
    target_type      TEXT NOT NULL,
    target_id        TEXT NOT NULL,
    ip               TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX audit_log_recent ON audit_log(workspace_id, created_at DESC, id DESC);
"#,
    r#"
ALTER TABLE conversations ADD COLUMN snoozed_until TEXT;
ALTER TABLE conversations ADD COLUMN priority TEXT NOT NULL DEFAULT 'none'
    CHECK (priority IN ('none', 'low', 'medium', 'high', 'urgent'));
ALTER TABLE conversations ADD COLUMN labels TEXT NOT NULL DEFAULT '[]';
CREATE INDEX conversations_snoozed ON conversations(snoozed_until) WHERE status = 'snoozed';
"#,
    r#"
-- The inbox sorts by this exact expression; the old index on last_message_at alone could
-- not serve it.
DROP INDEX conversations_activity;
CREATE INDEX conversations_activity
    ON conversations(workspace_id, COALESCE(last_message_at, created_at) DESC, id DESC);
"#,
    r#"
CREATE INDEX messages_created ON messages(workspace_id, created_at);
"#,
    r#"
ALTER TABLE contacts ADD COLUMN external_id TEXT;
ALTER TABLE contacts ADD COLUMN custom_attributes TEXT NOT NULL DEFAULT '{}';
CREATE UNIQUE INDEX contacts_external_id ON contacts(workspace_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX contacts_recent ON contacts(workspace_id, created_at DESC, id DESC);
"#,
    r#"
-- Covers the inbox counts, so they never touch the rows.
CREATE INDEX conversations_counts ON conversations(workspace_id, status, assignee_id);
"#,
    r#"
ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'text' CHECK (kind IN
    ('text', 'image', 'document', 'audio', 'video', 'location', 'contact', 'template', 'note'));
-- Attachment, location, contact card or template as JSON; NULL for plain text.
ALTER TABLE messages ADD COLUMN payload TEXT;
ALTER TABLE messages ADD COLUMN error TEXT;
"#,
    r#"
CREATE TABLE leads (
    workspace_id     TEXT NOT NULL REFERENCES workspaces(id),
    id               TEXT PRIMARY KEY,
    contact_id       TEXT REFERENCES contacts(id),
    conversation_id  TEXT REFERENCES conversations(id),
    name             TEXT,
    email            TEXT,
    phone            TEXT,
    interest         TEXT,
    status           TEXT NOT NULL CHECK (status IN ('new', 'contacted', 'qualified', 'won', 'lost')),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    seq              INTEGER NOT NULL
);
CREATE INDEX leads_seq ON leads(workspace_id, seq);
CREATE INDEX leads_recent ON leads(workspace_id, created_at DESC, id DESC);
CREATE TABLE appointments (
    workspace_id     TEXT NOT NULL REFERENCES workspaces(id),
    id               TEXT PRIMARY KEY,
    contact_id       TEXT REFERENCES contacts(id),
    conversation_id  TEXT REFERENCES conversations(id),
    service          TEXT NOT NULL,
    preferred_time   TEXT,
    starts_at        TEXT,
    status           TEXT NOT NULL CHECK (status IN ('requested', 'confirmed', 'declined', 'cancelled')),
    name             TEXT,
    phone            TEXT,
    notes            TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    seq              INTEGER NOT NULL
);
CREATE INDEX appointments_seq ON appointments(workspace_id, seq);
CREATE INDEX appointments_recent ON appointments(workspace_id, created_at DESC, id DESC);
CREATE TABLE labels (
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    color         TEXT NOT NULL,
    description   TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    seq           INTEGER NOT NULL
);
CREATE UNIQUE INDEX labels_name ON labels(workspace_id, name COLLATE NOCASE);
CREATE INDEX labels_seq ON labels(workspace_id, seq);
CREATE INDEX labels_recent ON labels(workspace_id, created_at DESC, id DESC);
CREATE TABLE templates (
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    language      TEXT NOT NULL,
    category      TEXT NOT NULL CHECK (category IN ('marketing', 'utility', 'authentication')),
    body          TEXT NOT NULL,
    param_count   INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('approved', 'pending', 'rejected')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    seq           INTEGER NOT NULL
);
CREATE UNIQUE INDEX templates_name ON templates(workspace_id, name, language);
CREATE INDEX templates_seq ON templates(workspace_id, seq);
CREATE INDEX templates_recent ON templates(workspace_id, created_at DESC, id DESC);
CREATE TABLE knowledge (
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    id            TEXT PRIMARY KEY,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    url           TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    seq           INTEGER NOT NULL
);
CREATE INDEX knowledge_seq ON knowledge(workspace_id, seq);
CREATE INDEX knowledge_recent ON knowledge(workspace_id, created_at DESC, id DESC);
"#,
    r#"
-- Audit entries in the order they were written, even within one millisecond.
ALTER TABLE audit_log ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE audit_log SET seq = (SELECT count(*) FROM audit_log a
    WHERE a.workspace_id = audit_log.workspace_id
      AND (a.created_at < audit_log.created_at OR (a.created_at = audit_log.created_at AND a.id <= audit_log.id)));
DROP INDEX audit_log_recent;
CREATE UNIQUE INDEX audit_log_seq ON audit_log(workspace_id, seq);
"#,
    r#"
CREATE TABLE read_markers (
    workspace_id     TEXT NOT NULL REFERENCES workspaces(id),
    id               TEXT PRIMARY KEY,
    conversation_id  TEXT NOT NULL REFERENCES conversations(id),
    member_id        TEXT NOT NULL REFERENCES members(id),
    last_read_at     TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    seq              INTEGER NOT NULL
);
CREATE UNIQUE INDEX read_markers_member ON read_markers(conversation_id, member_id);
CREATE INDEX read_markers_seq ON read_markers(workspace_id, seq);
CREATE INDEX read_markers_recent ON read_markers(workspace_id, created_at DESC, id DESC);
"#,
    r#"
-- The inbox counts, kept by triggers so no write path can forget them: one row per
-- (status, assignee) bucket; '' is unassigned. Reading the counts reads a handful of
-- rows instead of scanning every conversation.
CREATE TABLE conversation_counts (
    workspace_id  TEXT NOT NULL,
    status        TEXT NOT NULL,
    assignee_id   TEXT NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, status, assignee_id)
) WITHOUT ROWID;
INSERT INTO conversation_counts (workspace_id, status, assignee_id, n)
    SELECT workspace_id, status, COALESCE(assignee_id, ''), count(*) FROM conversations GROUP BY 1, 2, 3;
CREATE TRIGGER conversation_counts_insert AFTER INSERT ON conversations BEGIN
    INSERT OR IGNORE INTO conversation_counts VALUES (new.workspace_id, new.status, COALESCE(new.assignee_id, ''), 0);
    UPDATE conversation_counts SET n = n + 1
        WHERE workspace_id = new.workspace_id AND status = new.status AND assignee_id = COALESCE(new.assignee_id, '');
END;
CREATE TRIGGER conversation_counts_delete AFTER DELETE ON conversations BEGIN
    UPDATE conversation_counts SET n = n - 1
        WHERE workspace_id = old.workspace_id AND status = old.status AND assignee_id = COALESCE(old.assignee_id, '');
END;
CREATE TRIGGER conversation_counts_update AFTER UPDATE OF workspace_id, status, assignee_id ON conversations
    WHEN old.workspace_id IS NOT new.workspace_id OR old.status IS NOT new.status
        OR old.assignee_id IS NOT new.assignee_id
BEGIN
    UPDATE conversation_counts SET n = n - 1
        WHERE workspace_id = old.workspace_id AND status = old.status AND assignee_id = COALESCE(old.assignee_id, '');
    INSERT OR IGNORE INTO conversation_counts VALUES (new.workspace_id, new.status, COALESCE(new.assignee_id, ''), 0);
    UPDATE conversation_counts SET n = n + 1
        WHERE workspace_id = new.workspace_id AND status = new.status AND assignee_id = COALESCE(new.assignee_id, '');
END;
DROP INDEX conversations_counts;
"#,
    r#"
-- A contact's latest conversation, without walking the workspace's inbox index.
DROP INDEX conversations_contact;
CREATE INDEX conversations_contact ON conversations(contact_id, COALESCE(last_message_at, created_at) DESC);
"#,
    r#"
ALTER TABLE conversations ADD COLUMN escalated_at TEXT;
ALTER TABLE conversations ADD COLUMN escalation_reason TEXT;
"#,
    r#"
-- Webhooks. Events are written in the transaction of the change that caused them, with one
-- delivery per interested endpoint: the queue is these rows, so nothing is lost on a crash.
CREATE TABLE webhook_endpoints (
    id                          TEXT PRIMARY KEY,
    workspace_id                TEXT NOT NULL REFERENCES workspaces(id),
    url                         TEXT NOT NULL,
    description                 TEXT,
    events                      TEXT,          -- JSON array, NULL for every event
    channel                     TEXT,
    secret                      TEXT NOT NULL,
    previous_secret             TEXT,
    previous_secret_expires_at  TEXT,
    active                      INTEGER NOT NULL DEFAULT 1,
    disabled_reason             TEXT,
    headers                     TEXT NOT NULL DEFAULT '{}',
    buffer_enabled              INTEGER NOT NULL DEFAULT 0,
    buffer_window_seconds       INTEGER NOT NULL DEFAULT 5,
    max_buffer_size             INTEGER NOT NULL DEFAULT 50,
    buffer_events               TEXT NOT NULL DEFAULT '["message.received"]',
    inactivity_minutes          INTEGER,
    failing_since               TEXT,
    last_delivery_state         TEXT,
    last_status_code            INTEGER,
    last_delivery_at            TEXT,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_workspace ON webhook_endpoints(workspace_id, created_at);
CREATE TABLE webhook_events (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL,
    type             TEXT NOT NULL,
    conversation_id  TEXT,
    data             TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE TABLE webhook_deliveries (
    id               TEXT PRIMARY KEY,    -- the webhook-id header
    workspace_id     TEXT NOT NULL,
    endpoint_id      TEXT NOT NULL,
    event_type       TEXT NOT NULL,
    buffer_key       TEXT,                -- the conversation a batch collects
    open             INTEGER NOT NULL DEFAULT 0,
    event_count      INTEGER NOT NULL DEFAULT 1,
    state            TEXT NOT NULL DEFAULT 'pending',
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    lease_until      TEXT,
    payload          TEXT,                -- frozen at the first attempt
    trigger          TEXT NOT NULL DEFAULT 'scheduled',
    last_status_code INTEGER,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    completed_at     TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, created_at DESC, id DESC);
CREATE UNIQUE INDEX webhook_deliveries_open_batch
    ON webhook_deliveries(endpoint_id, event_type, buffer_key) WHERE open = 1;
CREATE TABLE webhook_delivery_events (
    delivery_id  TEXT NOT NULL,
    position     INTEGER NOT NULL,
    event_id     TEXT NOT NULL,
    PRIMARY KEY (delivery_id, position)
) WITHOUT ROWID;
CREATE TABLE webhook_attempts (
    id                TEXT PRIMARY KEY,
    delivery_id       TEXT NOT NULL,
    attempted_at      TEXT NOT NULL,
    status_code       INTEGER,
    duration_ms       INTEGER NOT NULL,
    error             TEXT,
    response_excerpt  TEXT,
    trigger           TEXT NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id, attempted_at);
"#,
    r#"
-- conversation.inactive: conversations that fell quiet after the endpoint asked (since),
-- and the activity each was last reported quiet at, so each quiet spell is told once.
ALTER TABLE webhook_endpoints ADD COLUMN inactivity_since TEXT;
CREATE TABLE webhook_inactivity (
    endpoint_id      TEXT NOT NULL,
    conversation_id  TEXT NOT NULL,
    activity_at      TEXT NOT NULL,
    PRIMARY KEY (endpoint_id, conversation_id)
) WITHOUT ROWID;
"#,
    r#"
-- The engine claims per endpoint, oldest due first.
CREATE INDEX webhook_deliveries_endpoint_due ON webhook_deliveries(endpoint_id, next_attempt_at)
    WHERE state = 'pending';
"#,
    r#"
-- What the AI agent remembers of a conversation between messages (JSON).
CREATE TABLE agent_state (
    conversation_id  TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL,
    state            TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
"#,
    r#"
-- Channels: WhatsApp Cloud API numbers, web widget inboxes and the sandbox number. Secrets
-- live in `config` (JSON): the server must present them to Meta, so they cannot be hashed.
CREATE TABLE channels (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    kind          TEXT NOT NULL CHECK (kind IN ('whatsapp', 'web', 'sandbox')),
    name          TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    config        TEXT NOT NULL,
    public_id     TEXT,               -- a web inbox's identifier; a WhatsApp phone number id
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX channels_workspace ON channels(workspace_id, created_at);
CREATE UNIQUE INDEX channels_public_id ON channels(kind, public_id) WHERE public_id IS NOT NULL;
-- How a channel knows a contact: WhatsApp's wa_id or business-scoped user id, or a web
-- widget's contact identifier. Never the phone number, which a person can change.
CREATE TABLE contact_identities (
    workspace_id  TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('wa_id', 'bsuid', 'web')),
    value         TEXT NOT NULL,
    contact_id    TEXT NOT NULL REFERENCES contacts(id),
    created_at    TEXT NOT NULL,
    PRIMARY KEY (workspace_id, kind, value)
) WITHOUT ROWID;
ALTER TABLE conversations ADD COLUMN channel_id TEXT REFERENCES channels(id);
-- The channel's id of a message (WhatsApp's wamid): de-duplicates retried notifications
-- and finds the message a status update is about.
ALTER TABLE messages ADD COLUMN external_id TEXT;
ALTER TABLE messages ADD COLUMN error_code TEXT;
CREATE UNIQUE INDEX messages_external_id ON messages(workspace_id, external_id) WHERE external_id IS NOT NULL;
-- Work for the channel sender: send a queued message, or (sandbox) report it delivered or
-- read. Rows are the queue, so a restart loses nothing.
CREATE TABLE channel_jobs (
    id               INTEGER PRIMARY KEY,
    workspace_id     TEXT NOT NULL,
    channel_id       TEXT NOT NULL,
    message_id       TEXT NOT NULL,
    action           TEXT NOT NULL CHECK (action IN ('send', 'deliver', 'read')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    lease_until      TEXT
);
CREATE INDEX channel_jobs_due ON channel_jobs(next_attempt_at);
"#,
    r#"
-- Contacts' messages the AI agent is to answer, written with the message: one the agent
-- has not answered when the server stops, or when it falls behind, is answered later.
-- The row goes in the transaction that carries out the agent's decision.
CREATE TABLE agent_inbox (
    message_id       TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL,
    conversation_id  TEXT NOT NULL
);
"#,
    r#"
-- Entries an import read from a website, apart from those a person wrote: an import
-- changes only its own. Before this, every entry with an address was treated as imported.
ALTER TABLE knowledge ADD COLUMN imported INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1));
UPDATE knowledge SET imported = 1 WHERE url IS NOT NULL;
"#,
    r#"
-- Where the business is (settings): an IANA time zone and an ISO 3166 region, validated
-- when written; NULL lets the AI agent read them from the knowledge.
ALTER TABLE workspaces ADD COLUMN time_zone TEXT;
ALTER TABLE workspaces ADD COLUMN region TEXT;
"#,
];

#[cfg(test)]
mod tests {
    #[test]
    fn the_schema_applies_to_an_empty_database() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("open");
        switchboard_sqlite::migrate(&mut conn, super::MIGRATIONS).expect("migrate");
    }
}
