//! The demo clinic's records besides its conversations: knowledge, labels, templates,
//! and on some conversations a note, the clinic's location, a lead or a booking request.

use switchboard_api::{
    Appointment, AppointmentStatus, Author, Conversation, Direction, Label, Lead, LeadStatus, Location, MessageContent,
    MessageKind, MessageTemplate, TemplateCategory, TemplateStatus,
};

use switchboard_ai::import::{plan, sections};
use switchboard_ai::site::PageRead;

use super::script;
use crate::db::records::insert;
use crate::db::{NewMessage, Writer, insert_message};
use crate::error::Error;
use crate::ids::new_id;
use crate::time;

/// Workspace-wide records: knowledge entries, labels and templates.
pub fn seed(w: &mut Writer<'_>, ws: &str) -> Result<(), Error> {
    let now = time::now();
    // The knowledge comes from the clinic's own page, the way an admin's import reads one.
    let page = PageRead {
        url: script::SITE_URL.to_owned(),
        title: script::BUSINESS_NAME.to_owned(),
        sections: sections(script::SITE, script::BUSINESS_NAME),
    };
    for entry in plan(Vec::new(), &[page], &now, || new_id("kn")).create {
        insert(w, ws, entry)?;
    }
    for (name, color) in script::LABELS {
        let label = Label {
            id: new_id("lbl"),
            name: (*name).to_owned(),
            color: (*color).to_owned(),
            description: None,
            created_at: now.clone(),
            updated_at: now.clone(),
            seq: 0,
        };
        insert(w, ws, label)?;
    }
    for (name, body) in script::TEMPLATES {
        let template = MessageTemplate {
            id: new_id("tpl"),
            name: (*name).to_owned(),
            language: "en".to_owned(),
            category: TemplateCategory::Utility,
            body: (*body).to_owned(),
            param_count: body.matches("{{").count() as i64,
            status: TemplateStatus::Approved,
            created_at: now.clone(),
            updated_at: now.clone(),
            seq: 0,
        };
        insert(w, ws, template)?;
    }
    Ok(())
}

/// Gives the `i`-th demo conversation what a real one of its kind would have.
pub fn enrich(w: &mut Writer<'_>, ws: &str, i: usize, c: &Conversation, members: &[String]) -> Result<(), Error> {
    let now = time::now();
    let member = members.get(i % members.len().max(1)).map(String::as_str);
    if i % 5 == 2 {
        let note = MessageContent {
            kind: MessageKind::Note,
            body: script::NOTES[i % script::NOTES.len()].to_owned(),
            ..Default::default()
        };
        let new = NewMessage {
            content: note,
            created_at: just_after(c.last_message_at.as_deref()),
            ..NewMessage::text(&c.id, Direction::Outbound, Author::Member, member, "")
        };
        insert_message(w, ws, new)?;
    }
    if i % 7 == 4 {
        let pin = MessageContent {
            kind: MessageKind::Location,
            location: Some(Location {
                latitude: 47.6062,
                longitude: -122.3321,
                name: Some(script::BUSINESS_NAME.to_owned()),
                address: Some("12 Harbour Road".to_owned()),
            }),
            ..Default::default()
        };
        let new = NewMessage {
            content: pin,
            created_at: just_after(c.last_message_at.as_deref()),
            ..NewMessage::text(&c.id, Direction::Outbound, Author::Ai, None, "")
        };
        insert_message(w, ws, new)?;
    }
    let name = script::CONTACT_NAMES.get(i).map(|n| (*n).to_owned());
    let phone = Some(super::demo_phone(i));
    if i.is_multiple_of(4) {
        let statuses = [LeadStatus::New, LeadStatus::Contacted, LeadStatus::Qualified, LeadStatus::Won];
        let lead = Lead {
            id: new_id("lead"),
            contact_id: Some(c.contact_id.clone()),
            conversation_id: Some(c.id.clone()),
            name: name.clone(),
            email: None,
            phone: phone.clone(),
            interest: Some(script::BOOKINGS[i % script::BOOKINGS.len()].0.to_owned()),
            status: statuses[(i / 4) % statuses.len()],
            created_at: now.clone(),
            updated_at: now.clone(),
            seq: 0,
        };
        insert(w, ws, lead)?;
    }
    if i % 3 == 1 {
        let (service, preferred) = script::BOOKINGS[i % script::BOOKINGS.len()];
        let statuses = [AppointmentStatus::Requested, AppointmentStatus::Confirmed, AppointmentStatus::Requested];
        let appointment = Appointment {
            id: new_id("appt"),
            contact_id: Some(c.contact_id.clone()),
            conversation_id: Some(c.id.clone()),
            service: service.to_owned(),
            preferred_time: Some(preferred.to_owned()),
            starts_at: None,
            status: statuses[(i / 3) % statuses.len()],
            name,
            phone,
            notes: None,
            created_at: now.clone(),
            updated_at: now,
            seq: 0,
        };
        insert(w, ws, appointment)?;
    }
    Ok(())
}

/// A minute after `at`, so an added message follows the backdated history it belongs to.
fn just_after(at: Option<&str>) -> Option<String> {
    let at = chrono::DateTime::parse_from_rfc3339(at?).ok()?;
    Some(time::format(at.with_timezone(&chrono::Utc) + chrono::Duration::minutes(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_knowledge_is_its_page_read_by_heading() {
        let found = sections(script::SITE, script::BUSINESS_NAME);
        let titles: Vec<&str> = found.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Opening hours",
                "General consultation",
                "Vaccinations",
                "Blood tests",
                "Physiotherapy",
                "Dental check-up",
                "Location and parking",
                "Insurance"
            ]
        );
        assert!(found[0].body.starts_with("Monday to Friday 8:00-19:00"), "{}", found[0].body);
        assert!(found.iter().all(|s| !s.body.contains("Home")), "the menu is left out");
    }
}
