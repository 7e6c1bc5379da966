/// The cache mirrors server rows; `seq` decides which copy is newer.
pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE sync_state (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    cursor  INTEGER NOT NULL
);
INSERT INTO sync_state (id, cursor) VALUES (1, 0);
CREATE TABLE contacts (
    id          TEXT PRIMARY KEY,
    name        TEXT,
    phone       TEXT,
    email       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    seq         INTEGER NOT NULL
);
CREATE TABLE conversations (
    id                    TEXT PRIMARY KEY,
    contact_id            TEXT NOT NULL,
    channel               TEXT NOT NULL,
    status                TEXT NOT NULL,
    handler               TEXT NOT NULL,
    assignee_id           TEXT,
    last_message_preview  TEXT,
    last_message_at       TEXT,
    last_inbound_at       TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    seq                   INTEGER NOT NULL
);
CREATE INDEX conversations_activity ON conversations(COALESCE(last_message_at, created_at) DESC, id DESC);
CREATE TABLE messages (
    id               TEXT PRIMARY KEY,
    conversation_id  TEXT NOT NULL,
    direction        TEXT NOT NULL,
    author           TEXT NOT NULL,
    author_id        TEXT,
    body             TEXT NOT NULL,
    status           TEXT NOT NULL,
    client_id        TEXT,
    created_at       TEXT NOT NULL,
    seq              INTEGER NOT NULL
);
CREATE INDEX messages_conversation ON messages(conversation_id, created_at, id);
"#,
    r#"
ALTER TABLE conversations ADD COLUMN snoozed_until TEXT;
ALTER TABLE conversations ADD COLUMN priority TEXT NOT NULL DEFAULT 'none';
ALTER TABLE conversations ADD COLUMN labels TEXT NOT NULL DEFAULT '[]';
"#,
    r#"
ALTER TABLE contacts ADD COLUMN external_id TEXT;
ALTER TABLE contacts ADD COLUMN custom_attributes TEXT NOT NULL DEFAULT '{}';
"#,
    r#"
ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'text';
ALTER TABLE messages ADD COLUMN payload TEXT;
ALTER TABLE messages ADD COLUMN error TEXT;
"#,
    r#"
CREATE TABLE leads (
    id TEXT PRIMARY KEY, contact_id TEXT, conversation_id TEXT, name TEXT, email TEXT, phone TEXT,
    interest TEXT, status TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, seq INTEGER NOT NULL
);
CREATE INDEX leads_contact ON leads(contact_id);
CREATE TABLE appointments (
    id TEXT PRIMARY KEY, contact_id TEXT, conversation_id TEXT, service TEXT NOT NULL, preferred_time TEXT,
    starts_at TEXT, status TEXT NOT NULL, name TEXT, phone TEXT, notes TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, seq INTEGER NOT NULL
);
CREATE INDEX appointments_contact ON appointments(contact_id);
CREATE TABLE labels (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, color TEXT NOT NULL, description TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, seq INTEGER NOT NULL
);
CREATE TABLE templates (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, language TEXT NOT NULL, category TEXT NOT NULL, body TEXT NOT NULL,
    param_count INTEGER NOT NULL, status TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, seq INTEGER NOT NULL
);
CREATE TABLE knowledge (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL, url TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, seq INTEGER NOT NULL
);
"#,
    r#"
CREATE TABLE read_markers (
    id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, member_id TEXT NOT NULL, last_read_at TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, seq INTEGER NOT NULL
);
CREATE UNIQUE INDEX read_markers_member ON read_markers(conversation_id, member_id);
"#,
    r#"
ALTER TABLE conversations ADD COLUMN escalated_at TEXT;
ALTER TABLE conversations ADD COLUMN escalation_reason TEXT;
"#,
    r#"
ALTER TABLE messages ADD COLUMN error_code TEXT;
"#,
    r#"
-- Full-text search over every message body and the contacts' names, phones and emails.
-- External-content tables: the text stays in its table once, the index follows it by
-- triggers (upserts keep a row's rowid, so an edit replaces its index entry).
CREATE VIRTUAL TABLE message_search USING fts5(
    body, content = 'messages', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search (rowid, body) VALUES (new.rowid, new.body);
END;
CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, body) VALUES ('delete', old.rowid, old.body);
END;
CREATE TRIGGER message_search_update AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO message_search (message_search, rowid, body) VALUES ('delete', old.rowid, old.body);
    INSERT INTO message_search (rowid, body) VALUES (new.rowid, new.body);
END;
INSERT INTO message_search (message_search) VALUES ('rebuild');
CREATE VIRTUAL TABLE contact_search USING fts5(
    name, phone, email, content = 'contacts', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER contact_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_search (rowid, name, phone, email) VALUES (new.rowid, new.name, new.phone, new.email);
END;
CREATE TRIGGER contact_search_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contact_search (contact_search, rowid, name, phone, email)
        VALUES ('delete', old.rowid, old.name, old.phone, old.email);
END;
CREATE TRIGGER contact_search_update AFTER UPDATE OF name, phone, email ON contacts BEGIN
    INSERT INTO contact_search (contact_search, rowid, name, phone, email)
        VALUES ('delete', old.rowid, old.name, old.phone, old.email);
    INSERT INTO contact_search (rowid, name, phone, email) VALUES (new.rowid, new.name, new.phone, new.email);
END;
INSERT INTO contact_search (contact_search) VALUES ('rebuild');
-- The inbox's filters.
CREATE INDEX conversations_status ON conversations(status, COALESCE(last_message_at, created_at) DESC);
CREATE INDEX conversations_assignee ON conversations(assignee_id, COALESCE(last_message_at, created_at) DESC);
CREATE INDEX conversations_contact ON conversations(contact_id);
"#,
    r#"
-- Sends made here, kept until the server has them (see outbox.rs).
CREATE TABLE outbox (
    client_id        TEXT PRIMARY KEY,
    conversation_id  TEXT NOT NULL,
    action           TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    error_code       TEXT,
    error            TEXT,
    attempts         INTEGER NOT NULL DEFAULT 0,
    message_id       TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX outbox_waiting ON outbox(state, created_at);
"#,
    r#"
-- Members, and API keys' and webhooks' metadata, as their lists last said (reference.rs).
CREATE TABLE reference (
    kind      TEXT NOT NULL CHECK (kind IN ('member', 'key', 'webhook')),
    id        TEXT NOT NULL,
    position  INTEGER NOT NULL,
    json      TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
"#,
    r#"
-- The search triggers while a cold sync writes without them (bulk.rs).
CREATE TABLE bulk_triggers (name TEXT PRIMARY KEY, sql TEXT NOT NULL);
"#,
    r#"
-- A send held until a time: the few seconds to undo it, or a scheduled send.
ALTER TABLE outbox ADD COLUMN send_at TEXT;
"#,
    r#"
-- Unread counts: the contact's messages of a conversation after a time, from the index alone.
CREATE INDEX messages_inbound ON messages(conversation_id, direction, created_at);
"#,
    r#"
-- The server's migration marks every entry with an address imported; the same rule here
-- keeps cached rows equal to the server's without a new sync.
ALTER TABLE knowledge ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;
UPDATE knowledge SET imported = 1 WHERE url IS NOT NULL;
"#,
];
