use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};
use switchboard_api::{Change, Contact, ErrorCode};
use switchboard_sqlite::{contact_from_row, contact_values, placeholders};

use super::Writer;
use crate::error::Error;
use crate::ids::new_id;
use crate::storage::ConversationCursor;
use crate::time;

const COLUMNS: &str = switchboard_sqlite::CONTACT_COLUMNS;

pub fn get_contact(conn: &Connection, workspace_id: &str, id: &str) -> Result<Option<Contact>, Error> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM contacts WHERE workspace_id = ?1 AND id = ?2"),
            [workspace_id, id],
            contact_from_row,
        )
        .optional()?)
}

pub fn contact_by_phone(conn: &Connection, workspace_id: &str, phone: &str) -> Result<Option<Contact>, Error> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM contacts WHERE workspace_id = ?1 AND phone = ?2"))?
        .query_row([workspace_id, phone], contact_from_row)
        .optional()?)
}

/// The contact with this (normalized) phone number, created if new.
pub fn find_or_create_by_phone(
    w: &mut Writer<'_>,
    workspace_id: &str,
    phone: &str,
    name: Option<&str>,
) -> Result<Contact, Error> {
    if let Some(contact) = contact_by_phone(w.conn(), workspace_id, phone)? {
        return Ok(contact);
    }
    create(w, workspace_id, name, Some(phone), &[])
}

/// A new contact with only a name, a phone number (unchecked: the caller knows the
/// number is free) and the channel identities it writes from, linked before
/// `contact.created` is told so that the event names them.
pub fn create(
    w: &mut Writer<'_>,
    workspace_id: &str,
    name: Option<&str>,
    phone: Option<&str>,
    identities: &[(super::channels::IdentityKind, &str)],
) -> Result<Contact, Error> {
    let now = time::now();
    let contact = Contact {
        id: new_id("ct"),
        name: name.map(str::to_owned),
        phone: phone.map(str::to_owned),
        email: None,
        external_id: None,
        custom_attributes: Default::default(),
        created_at: now.clone(),
        updated_at: now,
        seq: w.next_seq(workspace_id)?,
    };
    insert_row(w, workspace_id, &contact)?;
    for (kind, value) in identities {
        super::channels::link_identity(w, workspace_id, *kind, value, &contact.id)?;
    }
    super::webhook_events::contact_created(w, workspace_id, &contact)?;
    Ok(contact)
}

pub fn insert(w: &mut Writer<'_>, workspace_id: &str, c: &Contact) -> Result<(), Error> {
    insert_row(w, workspace_id, c)?;
    super::webhook_events::contact_created(w, workspace_id, c)
}

fn insert_row(w: &mut Writer<'_>, workspace_id: &str, c: &Contact) -> Result<(), Error> {
    let mut values = vec![Value::Text(workspace_id.to_owned())];
    values.extend(contact_values(c));
    w.conn()
        .prepare_cached(&format!(
            "INSERT INTO contacts (workspace_id, {COLUMNS}) VALUES ({})",
            placeholders(values.len())
        ))?
        .execute(rusqlite::params_from_iter(values))?;
    w.record(workspace_id, Change::Contact(c.clone()));
    Ok(())
}

/// Writes every column of an existing contact with a fresh `seq` and `updated_at`.
pub fn save(w: &mut Writer<'_>, workspace_id: &str, mut c: Contact) -> Result<Contact, Error> {
    c.updated_at = time::now();
    c.seq = w.next_seq(workspace_id)?;
    let mut values = vec![Value::Text(workspace_id.to_owned())];
    values.extend(contact_values(&c));
    w.conn()
        .prepare_cached(&switchboard_sqlite::update_in_workspace_sql("contacts", COLUMNS))?
        .execute(rusqlite::params_from_iter(values))?;
    w.record(workspace_id, Change::Contact(c.clone()));
    Ok(c)
}

/// Refuses a phone or external id that another contact of the workspace already has.
pub fn ensure_unique(conn: &Connection, workspace_id: &str, c: &Contact) -> Result<(), Error> {
    for (column, value) in [("phone", &c.phone), ("external_id", &c.external_id)] {
        let Some(value) = value else { continue };
        let taken: Option<String> = conn
            .query_row(
                &format!("SELECT id FROM contacts WHERE workspace_id = ?1 AND {column} = ?2 AND id != ?3"),
                params![workspace_id, value, c.id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(other) = taken {
            return Err(Error::api(ErrorCode::Conflict, format!("contact {other} already has this {column}")));
        }
    }
    Ok(())
}

/// Newest first, optionally matching `text` in name, phone, email or external id.
pub fn list_contacts(
    conn: &Connection,
    workspace_id: &str,
    text: Option<&str>,
    updated_since: Option<&str>,
    after: Option<&ConversationCursor>,
    limit: u32,
) -> Result<(Vec<Contact>, Option<ConversationCursor>), Error> {
    let (at, after_id) = after.map_or(("\u{10FFFF}", "\u{10FFFF}"), |c| (c.activity.as_str(), c.id.as_str()));
    let pattern = text.map(|t| format!("%{}%", t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM contacts
         WHERE workspace_id = ?1 AND (created_at, id) < (?2, ?3)
           AND (?4 IS NULL OR name LIKE ?4 ESCAPE '\\' OR phone LIKE ?4 ESCAPE '\\' OR email LIKE ?4 ESCAPE '\\'
                OR external_id LIKE ?4 ESCAPE '\\')
           AND (?5 IS NULL OR updated_at > ?5)
         ORDER BY created_at DESC, id DESC LIMIT ?6"
    ))?;
    let mut rows: Vec<Contact> = stmt
        .query_map(params![workspace_id, at, after_id, pattern, updated_since, limit + 1], contact_from_row)?
        .collect::<Result<_, _>>()?;
    let next = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|c| ConversationCursor { activity: c.created_at.clone(), id: c.id.clone() })
    } else {
        None
    };
    Ok((rows, next))
}
