use rusqlite::{Connection, OptionalExtension, params};
use switchboard_api::{Change, Contact};
use switchboard_sqlite::contact_from_row;

use super::Writer;
use crate::error::Error;
use crate::ids::new_id;
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

/// The contact with this (normalized) phone number, created if new.
pub fn find_or_create_by_phone(
    w: &mut Writer<'_>,
    workspace_id: &str,
    phone: &str,
    name: Option<&str>,
) -> Result<Contact, Error> {
    let existing = w
        .conn()
        .query_row(
            &format!("SELECT {COLUMNS} FROM contacts WHERE workspace_id = ?1 AND phone = ?2"),
            [workspace_id, phone],
            contact_from_row,
        )
        .optional()?;
    if let Some(contact) = existing {
        return Ok(contact);
    }
    let now = time::now();
    let contact = Contact {
        id: new_id("ct"),
        name: name.map(str::to_owned),
        phone: Some(phone.to_owned()),
        email: None,
        created_at: now.clone(),
        updated_at: now,
        seq: w.next_seq(workspace_id)?,
    };
    insert(w, workspace_id, &contact)?;
    Ok(contact)
}

pub fn insert(w: &mut Writer<'_>, workspace_id: &str, c: &Contact) -> Result<(), Error> {
    w.conn().execute(
        "INSERT INTO contacts (id, workspace_id, name, phone, email, created_at, updated_at, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![c.id, workspace_id, c.name, c.phone, c.email, c.created_at, c.updated_at, c.seq],
    )?;
    w.record(workspace_id, Change::Contact(c.clone()));
    Ok(())
}
