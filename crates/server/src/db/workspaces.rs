use rusqlite::{Connection, OptionalExtension, params};
use switchboard_api::{Member, Role, Scope, Workspace};

use super::Writer;
use super::keys::issue_key;
use crate::error::Error;
use crate::ids::new_id;
use crate::storage::{CreatedWorkspace, Region, WorkspaceLocale};
use crate::time;

pub fn create_workspace(w: &mut Writer<'_>, name: &str, owner_name: &str) -> Result<CreatedWorkspace, Error> {
    let now = time::now();
    let workspace = Workspace { id: new_id("ws"), name: name.to_owned(), plan: "self_hosted".into() };
    w.conn().execute(
        "INSERT INTO workspaces (id, name, plan, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![workspace.id, workspace.name, workspace.plan, now],
    )?;
    let owner = Member { id: new_id("mem"), name: owner_name.to_owned(), role: Role::Owner };
    w.conn().execute(
        "INSERT INTO members (id, workspace_id, name, role, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![owner.id, workspace.id, owner.name, owner.role.as_str(), now],
    )?;
    let key =
        issue_key(w.conn(), &workspace.id, &owner.id, "Admin key", &[Scope::Read, Scope::Write, Scope::Admin], None)?;
    Ok(CreatedWorkspace { workspace, owner, key })
}

pub fn first_workspace(conn: &Connection) -> Result<Option<Workspace>, Error> {
    Ok(conn
        .query_row("SELECT id, name, plan FROM workspaces ORDER BY created_at, id LIMIT 1", [], |r| {
            Ok(Workspace { id: r.get(0)?, name: r.get(1)?, plan: r.get(2)? })
        })
        .optional()?)
}

pub fn get_workspace(conn: &Connection, id: &str) -> Result<Workspace, Error> {
    conn.query_row("SELECT id, name, plan FROM workspaces WHERE id = ?1", [id], |r| {
        Ok(Workspace { id: r.get(0)?, name: r.get(1)?, plan: r.get(2)? })
    })
    .optional()?
    .ok_or_else(|| Error::not_found("workspace"))
}

fn member_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Member> {
    Ok(Member { id: r.get(0)?, name: r.get(1)?, role: r.get(2)? })
}

/// The settings' locale; a stored value no longer known (a time zone removed from the
/// database) reads as unset.
pub fn get_locale(conn: &Connection, workspace_id: &str) -> Result<WorkspaceLocale, Error> {
    let (zone, region): (Option<String>, Option<String>) = conn
        .query_row("SELECT time_zone, region FROM workspaces WHERE id = ?1", [workspace_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .ok_or_else(|| Error::not_found("workspace"))?;
    Ok(WorkspaceLocale {
        zone: zone.as_deref().and_then(switchboard_ai::locale::parse_zone),
        region: region.as_deref().and_then(Region::parse),
    })
}

pub fn set_locale(conn: &Connection, workspace_id: &str, locale: WorkspaceLocale) -> Result<(), Error> {
    conn.execute(
        "UPDATE workspaces SET time_zone = ?2, region = ?3 WHERE id = ?1",
        params![workspace_id, locale.zone.map(|z| z.name()), locale.region.as_ref().map(Region::as_str)],
    )?;
    Ok(())
}

pub fn get_member(conn: &Connection, workspace_id: &str, id: &str) -> Result<Member, Error> {
    conn.prepare_cached("SELECT id, name, role FROM members WHERE workspace_id = ?1 AND id = ?2")?
        .query_row([workspace_id, id], member_from_row)
        .optional()?
        .ok_or_else(|| Error::not_found("member"))
}

/// Everyone in the workspace, by name.
pub fn list_members(conn: &Connection, workspace_id: &str) -> Result<Vec<Member>, Error> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name, role FROM members WHERE workspace_id = ?1 ORDER BY name, id")?;
    let rows = stmt.query_map([workspace_id], member_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}
