//! How far each member has read each conversation.

use rusqlite::OptionalExtension;
use switchboard_api::ReadMarker;
use switchboard_sqlite::Record;

use super::Writer;
use super::conversations::get_conversation;
use super::messages::get_message;
use super::records;
use crate::error::Error;
use crate::ids::new_id;
use crate::time;

/// Moves the member's marker up to `message_id` (default: the latest message). A marker
/// already past that point stays where it is.
pub fn mark_read(
    w: &mut Writer<'_>,
    workspace_id: &str,
    conversation_id: &str,
    member_id: &str,
    message_id: Option<&str>,
) -> Result<ReadMarker, Error> {
    let conversation = get_conversation(w.conn(), workspace_id, conversation_id)?;
    let up_to = match message_id {
        Some(id) => get_message(w.conn(), workspace_id, conversation_id, id)?.created_at,
        None => {
            let latest: Option<String> = w.conn().query_row(
                "SELECT MAX(created_at) FROM messages WHERE workspace_id = ?1 AND conversation_id = ?2",
                [workspace_id, conversation_id],
                |r| r.get(0),
            )?;
            latest.unwrap_or(conversation.created_at)
        }
    };
    let existing: Option<ReadMarker> = w
        .conn()
        .prepare_cached(&format!(
            "SELECT {} FROM read_markers WHERE workspace_id = ?1 AND conversation_id = ?2 AND member_id = ?3",
            ReadMarker::columns()
        ))?
        .query_row([workspace_id, conversation_id, member_id], ReadMarker::from_row)
        .optional()?;
    match existing {
        Some(marker) if marker.last_read_at >= up_to => Ok(marker),
        Some(marker) => records::save(w, workspace_id, ReadMarker { last_read_at: up_to, ..marker }),
        None => {
            let now = time::now();
            let marker = ReadMarker {
                id: new_id("rm"),
                conversation_id: conversation_id.to_owned(),
                member_id: member_id.to_owned(),
                last_read_at: up_to,
                created_at: now.clone(),
                updated_at: now,
                seq: 0,
            };
            records::insert(w, workspace_id, marker)
        }
    }
}
