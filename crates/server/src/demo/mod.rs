//! The local workspace's demo business and its visitor simulator.

mod records;
pub mod script;
mod simulator;

use chrono::{Duration, Utc};
use switchboard_api::{Author, Channel, ChannelKind, ConversationStatus, Direction, Handler};

use crate::channels::config::{Settings, StoredChannel, WebConfig};
use crate::db::{Db, NewMessage, Writer, channels, create_workspace, insert_message};
use crate::error::Error;
use crate::ids::new_id;
use crate::storage::CreatedWorkspace;
use crate::time;

pub use simulator::{Simulator, SimulatorConfig};

/// Creates the demo clinic: members, contacts and a week of conversations.
pub fn seed(db: &Db) -> Result<CreatedWorkspace, Error> {
    db.write_blocking(|w| {
        let created = create_workspace(w, script::BUSINESS_NAME, "Clinic Owner")?;
        let ws = created.workspace.id.clone();
        let mut members = Vec::new();
        for (name, role) in script::MEMBERS {
            let id = new_id("mem");
            w.conn().execute(
                "INSERT INTO members (id, workspace_id, name, role, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![id, ws, name, role, time::now()],
            )?;
            members.push(id);
        }
        let channels = DemoChannels::create(w, &ws)?;
        for (i, name) in script::CONTACT_NAMES.iter().enumerate() {
            seed_conversation(w, &ws, i, name, &members, &channels)?;
        }
        records::seed(w, &ws)?;
        // A clinic in Chicago: the agent reads "tomorrow at 10" and local numbers there.
        let locale = crate::storage::WorkspaceLocale {
            zone: switchboard_ai::locale::parse_zone(script::TIME_ZONE),
            region: crate::storage::Region::parse(script::REGION),
        };
        crate::db::workspaces::set_locale(w.conn(), &ws, locale)?;
        // The seeded history was answered in its story; the agent starts with what comes next.
        w.conn().execute("DELETE FROM agent_inbox WHERE workspace_id = ?1", [&ws])?;
        Ok(created)
    })
}

/// The demo's two channels: a sandbox WhatsApp number (replies progress sent →
/// delivered → read by themselves) and a web widget inbox to chat with from a browser.
pub(crate) struct DemoChannels {
    pub sandbox: StoredChannel,
    pub web: StoredChannel,
}

impl DemoChannels {
    fn create(w: &mut Writer<'_>, ws: &str) -> Result<Self, Error> {
        let channel = |kind: ChannelKind, name: &str, config: Settings| {
            let now = time::now();
            StoredChannel {
                id: new_id("ch"),
                workspace_id: ws.to_owned(),
                kind,
                name: name.to_owned(),
                active: true,
                config,
                created_at: now.clone(),
                updated_at: now,
            }
        };
        let sandbox = channel(ChannelKind::Sandbox, "Clinic WhatsApp (sandbox)", Settings::Sandbox);
        let web = channel(
            ChannelKind::Web,
            "Website chat",
            Settings::Web(WebConfig { inbox_identifier: crate::ids::random_base62(24), allowed_origins: Vec::new() }),
        );
        channels::insert_channel(w, &sandbox)?;
        channels::insert_channel(w, &web)?;
        Ok(Self { sandbox, web })
    }

    /// The demo workspace's channels, if it has them (databases seeded before channels
    /// existed do not).
    pub(crate) fn find(conn: &rusqlite::Connection, ws: &str) -> Result<Option<Self>, Error> {
        let all = channels::list_channels(conn, ws)?;
        let of = |kind| all.iter().find(|c| c.kind == kind && c.active).cloned();
        Ok(of(ChannelKind::Sandbox).zip(of(ChannelKind::Web)).map(|(sandbox, web)| Self { sandbox, web }))
    }
}

fn seed_conversation(
    w: &mut Writer<'_>,
    ws: &str,
    i: usize,
    name: &str,
    members: &[String],
    channels: &DemoChannels,
) -> Result<(), Error> {
    let phone = demo_phone(i);
    let contact = crate::db::find_or_create_by_phone(w, ws, &phone, Some(name))?;
    let channel = if i.is_multiple_of(3) { Channel::Web } else { Channel::Whatsapp };
    let conversation = crate::db::find_or_open(w, ws, &contact.id, channel)?;
    let dialog = script::DIALOGS[i % script::DIALOGS.len()];
    // Spread over the last week; later contacts wrote more recently.
    let started = Utc::now() - Duration::minutes(((script::CONTACT_NAMES.len() - i) * 263) as i64);
    for (turn, (from_patient, text)) in dialog.iter().enumerate() {
        let at = started + Duration::minutes(turn as i64 * 3 + 1);
        let (direction, author, author_id) = if *from_patient {
            (Direction::Inbound, Author::Contact, Some(contact.id.as_str()))
        } else if i % 4 == 1 {
            (Direction::Outbound, Author::Member, members.get(i % members.len()).map(String::as_str))
        } else {
            (Direction::Outbound, Author::Ai, None)
        };
        insert_message(
            w,
            ws,
            NewMessage {
                created_at: Some(time::format(at)),
                ..NewMessage::text(&conversation.id, direction, author, author_id, text)
            },
        )?;
    }
    // A realistic inbox mix: most open, some waiting on the patient, some done; half the
    // web chats done by the AI, half with a teammate (some with the visitor waiting).
    let (status, handler) = match i % 6 {
        0 => (ConversationStatus::Resolved, Handler::Ai),
        3 => (ConversationStatus::Open, Handler::Human),
        1 => (ConversationStatus::Open, Handler::Human),
        4 => (ConversationStatus::Pending, Handler::Human),
        _ => (ConversationStatus::Open, Handler::Ai),
    };
    let mut updated = crate::db::get_conversation(w.conn(), ws, &conversation.id)?;
    updated.status = status;
    updated.handler = handler;
    updated.assignee_id = (handler == Handler::Human).then(|| members[i % members.len()].clone());
    let updated = crate::db::save_conversation(w, ws, updated)?;
    records::enrich(w, ws, i, &updated, members)?;
    // Attached after the history, so the seeded history counts as sent long ago rather than
    // going out through the sandbox now.
    let via = if channel == Channel::Web { &channels.web } else { &channels.sandbox };
    channels::attach_conversation(w, ws, &conversation.id, &via.id)?;
    if channel == Channel::Whatsapp {
        channels::link_identity(w, ws, channels::IdentityKind::WaId, phone.trim_start_matches('+'), &contact.id)?;
    }
    Ok(())
}

/// Numbers in the 555-01xx range, reserved for fiction.
pub(crate) fn demo_phone(i: usize) -> String {
    format!("+1555010{:04}", i)
}
