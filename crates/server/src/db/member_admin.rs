//! Adding teammates and changing their names and roles; each action is audited in the
//! same transaction.

use rusqlite::{Connection, params};
use switchboard_api::{ErrorCode, Member, PatchMemberRequest, Role};

use super::audit;
use super::workspaces::get_member;
use crate::error::Error;
use crate::ids::new_id;
use crate::storage::Actor;
use crate::time;

pub fn create_member(conn: &Connection, actor: &Actor, name: &str, role: Role) -> Result<Member, Error> {
    if role == Role::Owner {
        return Err(Error::invalid("role: a workspace has one owner; add admins or agents"));
    }
    let member = Member { id: new_id("mem"), name: name.to_owned(), role };
    conn.execute(
        "INSERT INTO members (id, workspace_id, name, role, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![member.id, actor.workspace_id, member.name, member.role.as_str(), time::now()],
    )?;
    audit::record(conn, actor, "member.created", "member", &member.id)?;
    Ok(member)
}

/// A validated patch. The owner's role does not change, and nobody becomes owner.
pub fn patch_member(conn: &Connection, actor: &Actor, id: &str, patch: PatchMemberRequest) -> Result<Member, Error> {
    let mut member = get_member(conn, &actor.workspace_id, id)?;
    if let Some(role) = patch.role.filter(|r| *r != member.role) {
        if member.role == Role::Owner || role == Role::Owner {
            return Err(Error::api(ErrorCode::InvalidState, "ownership cannot change through the API"));
        }
        member.role = role;
        audit::record(conn, actor, "member.role_changed", "member", &member.id)?;
    }
    if let Some(name) = patch.name.filter(|n| *n != member.name) {
        member.name = name;
        audit::record(conn, actor, "member.renamed", "member", &member.id)?;
    }
    conn.execute(
        "UPDATE members SET name = ?3, role = ?4 WHERE workspace_id = ?1 AND id = ?2",
        params![actor.workspace_id, member.id, member.name, member.role.as_str()],
    )?;
    Ok(member)
}
