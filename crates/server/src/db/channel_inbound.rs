//! What channels deliver: contacts' messages (found by their channel identity, never by
//! phone number alone) and delivery reports, each written once however often the
//! provider retries its notification.

use rusqlite::OptionalExtension;
use switchboard_api::{
    Attachment, Author, Channel, Contact, Direction, ErrorCode, Message, MessageContent, MessageKind, MessageTemplate,
};
use switchboard_sqlite::Record;

use super::Writer;
use super::channels::{IdentityKind, attach_conversation, contact_by_identity, link_identity, open_conversation_on};
use super::messages::{NewMessage, insert_message};
use crate::channels::config::StoredChannel;
use crate::channels::whatsapp::graph::status_error_code;
use crate::channels::whatsapp::inbound::{Content, Event, Inbound, Notification, StatusUpdate, TemplateReview};
use crate::error::Error;
use crate::time;

/// What one notification changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub received: usize,
    pub duplicates: usize,
    pub statuses: usize,
    /// Template reviews applied.
    pub templates: usize,
    /// Reports about messages this server did not send, and bodies for another number.
    pub ignored: usize,
}

/// The contact a channel identity belongs to. A new identity joins the contact that has
/// the same phone number and no identity of that kind yet (someone first messaged
/// through the API); otherwise a new contact is made.
pub fn contact_for(
    w: &mut Writer<'_>,
    workspace_id: &str,
    identities: &[(IdentityKind, &str)],
    phone: Option<&str>,
    name: Option<&str>,
) -> Result<Contact, Error> {
    let mut found = None;
    for (kind, value) in identities {
        if let Some(c) = contact_by_identity(w.conn(), workspace_id, *kind, value)? {
            found = Some(c);
            break;
        }
    }
    if found.is_none()
        && let Some(phone) = phone
    {
        let by_phone = super::contacts::contact_by_phone(w.conn(), workspace_id, phone)?;
        let unclaimed = match &by_phone {
            Some(c) => super::channels::identity_of(w.conn(), workspace_id, &c.id, identities[0].0)?.is_none(),
            None => false,
        };
        if unclaimed {
            found = by_phone;
        }
    }
    match found {
        Some(mut c) => {
            // A profile name fills a contact that has none; a name an agent set stays.
            if c.name.is_none()
                && let Some(name) = name
            {
                c.name = Some(name.to_owned());
                c = super::contacts::save(w, workspace_id, c)?;
            }
            for (kind, value) in identities {
                link_identity(w, workspace_id, *kind, value, &c.id)?;
            }
            Ok(c)
        }
        None => {
            let phone_free = match phone {
                Some(p) => super::contacts::contact_by_phone(w.conn(), workspace_id, p)?.is_none(),
                None => false,
            };
            // Created with its identities, so that `contact.created` names them.
            super::contacts::create(w, workspace_id, name, phone.filter(|_| phone_free), identities)
        }
    }
}

/// Writes a contact's message into their open conversation on `channel` (opening one if
/// needed). `None` when `external_id` was seen before: the provider retried.
pub fn receive(
    w: &mut Writer<'_>,
    channel: &StoredChannel,
    contact: &Contact,
    content: MessageContent,
    created_at: Option<String>,
    external_id: Option<&str>,
) -> Result<Option<Message>, Error> {
    let ws = channel.workspace_id.as_str();
    if let Some(id) = external_id
        && super::channels::message_by_external_id(w.conn(), ws, id)?.is_some()
    {
        return Ok(None);
    }
    let conversation_id = match open_conversation_on(w.conn(), ws, &contact.id, &channel.id)? {
        Some(id) => id,
        None => {
            let wire = if channel.kind == switchboard_api::ChannelKind::Web { Channel::Web } else { Channel::Whatsapp };
            let conversation = super::conversations::open_new(w, ws, &contact.id, wire)?;
            attach_conversation(w, ws, &conversation.id, &channel.id)?;
            conversation.id
        }
    };
    let new = NewMessage {
        conversation_id: &conversation_id,
        direction: Direction::Inbound,
        author: Author::Contact,
        author_id: Some(&contact.id),
        content,
        client_id: None,
        created_at,
    };
    let (message, _) = insert_message(w, ws, new)?;
    if let Some(id) = external_id {
        super::channels::set_external_id(w, ws, &message.id, id)?;
    }
    Ok(Some(message))
}

/// A text from a person as `channel` delivers it (the sandbox number, the simulator).
pub fn text_from(
    w: &mut Writer<'_>,
    channel: &StoredChannel,
    identity: (IdentityKind, &str),
    phone: Option<&str>,
    name: Option<&str>,
    text: &str,
) -> Result<Message, Error> {
    let contact = contact_for(w, &channel.workspace_id, &[identity], phone, name)?;
    let content = MessageContent { body: text.to_owned(), ..Default::default() };
    receive(w, channel, &contact, content, None, None)?
        .ok_or_else(|| Error::Task("a message without an external id was taken for a repeat".into()))
}

/// Applies one verified WhatsApp notification for `channel`.
pub fn whatsapp(w: &mut Writer<'_>, channel: &StoredChannel, notification: Notification) -> Result<Report, Error> {
    let mut report = Report::default();
    // Template reviews are for the business account, whichever number it has.
    let ours = match &notification.phone_number_id {
        Some(id) => channel.whatsapp().is_some_and(|c| &c.phone_number_id == id),
        None => true,
    };
    if !ours {
        report.ignored += notification.events.len();
        return Ok(report);
    }
    for event in notification.events {
        match event {
            Event::Message(m) => {
                if whatsapp_message(w, channel, m)?.is_some() {
                    report.received += 1;
                } else {
                    report.duplicates += 1;
                }
            }
            Event::Status(s) => {
                if whatsapp_status(w, channel, s)? {
                    report.statuses += 1;
                } else {
                    report.ignored += 1;
                }
            }
            Event::TemplateReview(review) => {
                if template_review(w, &channel.workspace_id, review)? {
                    report.templates += 1;
                } else {
                    report.ignored += 1;
                }
            }
        }
    }
    Ok(report)
}

fn whatsapp_message(w: &mut Writer<'_>, channel: &StoredChannel, m: Inbound) -> Result<Option<Message>, Error> {
    let ws = channel.workspace_id.clone();
    if super::channels::message_by_external_id(w.conn(), &ws, &m.id)?.is_some() {
        return Ok(None);
    }
    let mut identities = vec![(IdentityKind::WaId, m.wa_id.as_str())];
    if let Some(user_id) = m.user_id.as_deref() {
        identities.push((IdentityKind::Bsuid, user_id));
    }
    let phone = m.wa_id.chars().all(|c| c.is_ascii_digit()).then(|| format!("+{}", m.wa_id));
    let contact = contact_for(w, &ws, &identities, phone.as_deref(), m.profile_name.as_deref())?;
    // Meta's time is when the person sent it, which is what the 24-hour window counts
    // from; a clock ahead of ours is not believed.
    let now = chrono::Utc::now();
    let sent_at = chrono::DateTime::from_timestamp(m.timestamp, 0).filter(|t| *t <= now && m.timestamp > 0);
    let created_at = sent_at.map(time::format);
    let content = content(channel, m.content);
    receive(w, channel, &contact, content, created_at, Some(&m.id))
}

fn content(channel: &StoredChannel, content: Content) -> MessageContent {
    let text = |body: String| MessageContent { kind: MessageKind::Text, body, ..Default::default() };
    match content {
        Content::Text(body) => text(body),
        Content::Media { kind, media_id, mime_type, caption, filename } => MessageContent {
            kind,
            body: caption.unwrap_or_default(),
            attachment: Some(Attachment {
                // Meta keeps the file; this server fetches it with the channel's token.
                url: format!("{}/channels/{}/media/{media_id}", switchboard_api::API_BASE, channel.id),
                mime_type,
                filename,
                size_bytes: None,
            }),
            ..Default::default()
        },
        Content::Location(location) => {
            MessageContent { kind: MessageKind::Location, location: Some(location), ..Default::default() }
        }
        Content::Contacts(mut cards) => {
            let others = cards.len().saturating_sub(1);
            let body = if others > 0 { format!("and {others} more contact card(s)") } else { String::new() };
            let card = (!cards.is_empty()).then(|| cards.remove(0));
            match card {
                Some(card) => {
                    MessageContent { kind: MessageKind::Contact, body, contact_card: Some(card), ..Default::default() }
                }
                None => text("(an empty contact card)".to_owned()),
            }
        }
        Content::Reply { title, .. } => text(title),
        Content::Unsupported(kind) => text(format!("(a WhatsApp {kind} message, which Switchboard cannot show yet)")),
    }
}

/// A delivery report for one of our messages; `false` when it names none.
fn whatsapp_status(w: &mut Writer<'_>, channel: &StoredChannel, s: StatusUpdate) -> Result<bool, Error> {
    let ws = channel.workspace_id.as_str();
    let Some((conversation_id, message_id)) = super::channels::message_by_external_id(w.conn(), ws, &s.id)? else {
        return Ok(false);
    };
    let error = s.error.map(|text| (text, Some(s.error_code.map_or(ErrorCode::UpstreamFailed, status_error_code))));
    match super::messages::update_status(w, ws, &conversation_id, &message_id, s.status, error) {
        Ok(_) => Ok(true),
        // A report about an inbound message (a wamid reused by a test tool) changes nothing.
        Err(e) if e.code() == ErrorCode::InvalidState => Ok(false),
        Err(e) => Err(e),
    }
}

/// Meta's verdict on a template becomes its status here; `false` when the workspace has
/// no template of that name and language.
fn template_review(w: &mut Writer<'_>, workspace_id: &str, review: TemplateReview) -> Result<bool, Error> {
    let found: Option<MessageTemplate> = w
        .conn()
        .prepare_cached(&format!(
            "SELECT {} FROM templates WHERE workspace_id = ?1 AND name = ?2 AND language = ?3",
            MessageTemplate::columns()
        ))?
        .query_row([workspace_id, &review.name, &review.language], MessageTemplate::from_row)
        .optional()?;
    let Some(mut template) = found else { return Ok(false) };
    if template.status != review.status {
        template.status = review.status;
        super::records::save(w, workspace_id, template)?;
    }
    Ok(true)
}
