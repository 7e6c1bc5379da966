//! Reading WhatsApp Cloud API webhook notifications (Meta's documented format: an
//! `entry[].changes[].value` per phone number, with `contacts`, `messages` and
//! `statuses`). Verified before parsing (`signature.rs`); what this version cannot use is
//! kept as `Unsupported` rather than refused, because Meta adds message types over time.

use serde::Deserialize;
use switchboard_api::{ContactCard, Location, MessageKind, MessageStatus, TemplateStatus};

/// One notification, split into what happened, per business phone number. Template
/// reviews concern the whole business account and carry no phone number id.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub phone_number_id: Option<String>,
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Message(Inbound),
    Status(StatusUpdate),
    /// Meta's review of a message template of the business account.
    TemplateReview(TemplateReview),
}

/// `message_template_status_update`: a template approved, rejected, paused or disabled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateReview {
    pub name: String,
    pub language: String,
    pub status: TemplateStatus,
    pub reason: Option<String>,
}

/// A message a contact sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Inbound {
    /// Meta's message id (`wamid.…`): the key that de-duplicates retried notifications.
    pub id: String,
    /// The contact's WhatsApp id (`wa_id`), the key contacts are found by.
    pub wa_id: String,
    /// The business-scoped user id, where Meta sends one.
    pub user_id: Option<String>,
    pub profile_name: Option<String>,
    /// Unix seconds.
    pub timestamp: i64,
    pub content: Content,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Text(String),
    /// A file kept by Meta, fetched with the access token by its id.
    Media {
        kind: MessageKind,
        media_id: String,
        mime_type: String,
        caption: Option<String>,
        filename: Option<String>,
    },
    Location(Location),
    Contacts(Vec<ContactCard>),
    /// A tap on a reply button, list row or template quick reply.
    Reply {
        id: Option<String>,
        title: String,
    },
    /// A type this version does not show (reactions, orders, system notices…).
    Unsupported(String),
}

/// A delivery report for a message the business sent.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusUpdate {
    pub id: String,
    pub status: MessageStatus,
    pub recipient_id: Option<String>,
    pub timestamp: i64,
    /// Meta's error title and code, for `failed`.
    pub error: Option<String>,
    /// Meta's numeric error code, mapped to a stable code by `graph::status_error_code`.
    pub error_code: Option<i64>,
}

#[derive(Deserialize)]
struct Payload {
    object: String,
    #[serde(default)]
    entry: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    changes: Vec<Change>,
}

#[derive(Deserialize)]
struct Change {
    field: String,
    value: serde_json::Value,
}

#[derive(Deserialize)]
struct Value {
    metadata: Metadata,
    #[serde(default)]
    contacts: Vec<ContactJson>,
    #[serde(default)]
    messages: Vec<serde_json::Value>,
    #[serde(default)]
    statuses: Vec<StatusJson>,
}

#[derive(Deserialize)]
struct Metadata {
    phone_number_id: String,
}

#[derive(Deserialize)]
struct ContactJson {
    #[serde(default)]
    wa_id: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    profile: Option<Profile>,
}

#[derive(Deserialize)]
struct Profile {
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
struct StatusJson {
    id: String,
    status: String,
    #[serde(default)]
    recipient_id: Option<String>,
    #[serde(default)]
    timestamp: Option<String>,
    #[serde(default)]
    errors: Vec<ErrorJson>,
}

#[derive(Deserialize)]
struct ErrorJson {
    code: i64,
    #[serde(default)]
    title: Option<String>,
}

/// Why a body is not a notification this channel can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a WhatsApp notification: {0}")]
pub struct NotANotification(pub String);

pub fn parse(body: &[u8]) -> Result<Vec<Notification>, NotANotification> {
    let payload: Payload = serde_json::from_slice(body).map_err(|e| NotANotification(e.to_string()))?;
    if payload.object != "whatsapp_business_account" {
        return Err(NotANotification(format!("object is {:?}", payload.object)));
    }
    let mut out = Vec::new();
    for change in payload.entry.into_iter().flat_map(|e| e.changes) {
        if change.field == "message_template_status_update" {
            if let Some(review) = template_review(&change.value) {
                out.push(Notification { phone_number_id: None, events: vec![Event::TemplateReview(review)] });
            }
            continue;
        }
        // Other fields (quality and account updates) are not conversations.
        if change.field != "messages" {
            continue;
        }
        let value: Value = serde_json::from_value(change.value).map_err(|e| NotANotification(e.to_string()))?;
        let mut events = Vec::new();
        for m in &value.messages {
            events.push(Event::Message(message(m, &value.contacts)?));
        }
        for s in value.statuses {
            if let Some(update) = status(s) {
                events.push(Event::Status(update));
            }
        }
        out.push(Notification { phone_number_id: Some(value.metadata.phone_number_id), events });
    }
    Ok(out)
}

fn text(v: &serde_json::Value, key: &str) -> Option<String> {
    v.get(key).and_then(serde_json::Value::as_str).map(str::to_owned)
}

fn message(m: &serde_json::Value, contacts: &[ContactJson]) -> Result<Inbound, NotANotification> {
    let missing = |field: &str| NotANotification(format!("a message without {field}"));
    let id = text(m, "id").ok_or_else(|| missing("id"))?;
    let from = text(m, "from");
    let user_id = text(m, "from_user_id");
    let contact =
        contacts.iter().find(|c| (from.is_some() && c.wa_id == from) || (user_id.is_some() && c.user_id == user_id));
    let wa_id = from.or_else(|| contact.and_then(|c| c.wa_id.clone())).ok_or_else(|| missing("from"))?;
    let timestamp = text(m, "timestamp").and_then(|t| t.parse().ok()).unwrap_or_default();
    let kind = text(m, "type").unwrap_or_default();
    let body = m.get(kind.as_str()).cloned().unwrap_or(serde_json::Value::Null);
    let content = match kind.as_str() {
        "text" => Content::Text(text(&body, "body").unwrap_or_default()),
        "image" | "sticker" | "document" | "audio" | "video" => Content::Media {
            kind: match kind.as_str() {
                "document" => MessageKind::Document,
                "audio" => MessageKind::Audio,
                "video" => MessageKind::Video,
                _ => MessageKind::Image,
            },
            media_id: text(&body, "id").ok_or_else(|| missing("a media id"))?,
            mime_type: text(&body, "mime_type").unwrap_or_else(|| "application/octet-stream".to_owned()),
            caption: text(&body, "caption"),
            filename: text(&body, "filename"),
        },
        "location" => Content::Location(Location {
            latitude: body.get("latitude").and_then(serde_json::Value::as_f64).ok_or_else(|| missing("a latitude"))?,
            longitude: body
                .get("longitude")
                .and_then(serde_json::Value::as_f64)
                .ok_or_else(|| missing("a longitude"))?,
            name: text(&body, "name"),
            address: text(&body, "address"),
        }),
        "contacts" => Content::Contacts(
            m.get("contacts")
                .and_then(serde_json::Value::as_array)
                .map(|cards| cards.iter().filter_map(card).collect())
                .unwrap_or_default(),
        ),
        "interactive" => {
            let reply = body.get("button_reply").or_else(|| body.get("list_reply")).cloned().unwrap_or_default();
            Content::Reply { id: text(&reply, "id"), title: text(&reply, "title").unwrap_or_default() }
        }
        "button" => Content::Reply { id: text(&body, "payload"), title: text(&body, "text").unwrap_or_default() },
        other => Content::Unsupported(other.to_owned()),
    };
    Ok(Inbound {
        id,
        wa_id,
        user_id: user_id.or_else(|| contact.and_then(|c| c.user_id.clone())),
        profile_name: contact.and_then(|c| c.profile.as_ref()).and_then(|p| p.name.clone()),
        timestamp,
        content,
    })
}

fn card(c: &serde_json::Value) -> Option<ContactCard> {
    let name = c.get("name").and_then(|n| text(n, "formatted_name"))?;
    let first = |list: &str, key: &str| {
        c.get(list).and_then(serde_json::Value::as_array).and_then(|a| a.first()).and_then(|x| text(x, key))
    };
    Some(ContactCard { name, phone: first("phones", "phone"), email: first("emails", "email") })
}

fn template_review(v: &serde_json::Value) -> Option<TemplateReview> {
    let status = match text(v, "event")?.as_str() {
        "APPROVED" => TemplateStatus::Approved,
        "REJECTED" | "DISABLED" | "PAUSED" | "FLAGGED" | "PENDING_DELETION" => TemplateStatus::Rejected,
        "PENDING" | "IN_APPEAL" | "REINSTATED" => TemplateStatus::Pending,
        _ => return None,
    };
    Some(TemplateReview {
        name: text(v, "message_template_name")?,
        language: text(v, "message_template_language")?,
        status,
        reason: text(v, "reason").filter(|r| r != "NONE"),
    })
}

fn status(s: StatusJson) -> Option<StatusUpdate> {
    let status = match s.status.as_str() {
        "sent" => MessageStatus::Sent,
        "delivered" => MessageStatus::Delivered,
        "read" => MessageStatus::Read,
        "failed" => MessageStatus::Failed,
        // "deleted", "warning" and newer ones say nothing about delivery.
        _ => return None,
    };
    let error = s.errors.first().map(|e| match &e.title {
        Some(title) => format!("{title} ({})", e.code),
        None => format!("WhatsApp error {}", e.code),
    });
    Some(StatusUpdate {
        id: s.id,
        status,
        recipient_id: s.recipient_id,
        timestamp: s.timestamp.and_then(|t| t.parse().ok()).unwrap_or_default(),
        error,
        error_code: s.errors.first().map(|e| e.code),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(value: &str) -> Vec<u8> {
        format!(
            r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"value":{value},"field":"messages"}}]}}]}}"#
        )
        .into_bytes()
    }

    #[test]
    fn a_text_message_with_its_contact() {
        let body = envelope(
            r#"{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
               "contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],
               "messages":[{"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=","timestamp":"1749416383","type":"text","text":{"body":"Does it come in another color?"}}]}"#,
        );
        let n = parse(&body).expect("parses");
        assert_eq!(n[0].phone_number_id.as_deref(), Some("106540352242922"));
        let Event::Message(m) = &n[0].events[0] else { panic!("a message") };
        assert_eq!(m.wa_id, "16505551234");
        assert_eq!(m.profile_name.as_deref(), Some("Sheena Nelson"));
        assert_eq!(m.timestamp, 1_749_416_383);
        assert_eq!(m.content, Content::Text("Does it come in another color?".into()));
    }

    #[test]
    fn media_locations_contacts_and_replies() {
        let body = envelope(
            r#"{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"PNID"},
               "contacts":[{"profile":{"name":"A"},"wa_id":"111"}],
               "messages":[
                 {"from":"111","id":"wamid.1","timestamp":"1","type":"image","image":{"caption":"my rash","mime_type":"image/jpeg","sha256":"x","id":"1003383421387256"}},
                 {"from":"111","id":"wamid.2","timestamp":"2","type":"location","location":{"latitude":37.48,"longitude":-122.14,"name":"Clinic","address":"1 Hacker Way"}},
                 {"from":"111","id":"wamid.3","timestamp":"3","type":"contacts","contacts":[{"name":{"formatted_name":"Barbara Johnson","first_name":"Barbara"},"phones":[{"phone":"+1 (940) 555-1234","type":"HOME"}],"emails":[{"email":"bjohnson@example.com","type":"HOME"}]}]},
                 {"from":"111","id":"wamid.4","timestamp":"4","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"yes-book","title":"Yes, book it"}}},
                 {"from":"111","id":"wamid.5","timestamp":"5","type":"reaction","reaction":{"message_id":"wamid.0","emoji":"👍"}}
               ]}"#,
        );
        let events = parse(&body).expect("parses").remove(0).events;
        let contents: Vec<Content> = events
            .into_iter()
            .map(|e| match e {
                Event::Message(m) => m.content,
                other => panic!("only messages here: {other:?}"),
            })
            .collect();
        assert_eq!(
            contents[0],
            Content::Media {
                kind: MessageKind::Image,
                media_id: "1003383421387256".into(),
                mime_type: "image/jpeg".into(),
                caption: Some("my rash".into()),
                filename: None
            }
        );
        let Content::Location(l) = &contents[1] else { panic!("a location") };
        assert_eq!((l.latitude, l.name.as_deref()), (37.48, Some("Clinic")));
        assert_eq!(
            contents[2],
            Content::Contacts(vec![ContactCard {
                name: "Barbara Johnson".into(),
                phone: Some("+1 (940) 555-1234".into()),
                email: Some("bjohnson@example.com".into())
            }])
        );
        assert_eq!(contents[3], Content::Reply { id: Some("yes-book".into()), title: "Yes, book it".into() });
        assert_eq!(contents[4], Content::Unsupported("reaction".into()));
    }

    #[test]
    fn statuses_and_their_errors() {
        let body = envelope(
            r#"{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"PNID"},
               "statuses":[
                 {"id":"wamid.A","status":"delivered","timestamp":"1750263773","recipient_id":"16505551234"},
                 {"id":"wamid.B","status":"failed","timestamp":"1750263774","recipient_id":"16505551234","errors":[{"code":131047,"title":"Re-engagement message","message":"Re-engagement message"}]},
                 {"id":"wamid.C","status":"deleted","timestamp":"1"}
               ]}"#,
        );
        let events = parse(&body).expect("parses").remove(0).events;
        assert_eq!(events.len(), 2, "a deleted notice says nothing about delivery");
        let Event::Status(failed) = &events[1] else { panic!("a status") };
        assert_eq!(failed.status, MessageStatus::Failed);
        assert_eq!(failed.error.as_deref(), Some("Re-engagement message (131047)"));
    }

    #[test]
    fn template_reviews() {
        let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","time":1750263773,"changes":[{"field":"message_template_status_update","value":{"event":"REJECTED","message_template_id":1689556908129832,"message_template_name":"order_confirmation","message_template_language":"en_US","reason":"INCORRECT_CATEGORY"}}]}]}"#;
        let n = parse(body).expect("parses");
        assert_eq!(n[0].phone_number_id, None);
        assert_eq!(
            n[0].events,
            vec![Event::TemplateReview(TemplateReview {
                name: "order_confirmation".into(),
                language: "en_US".into(),
                status: TemplateStatus::Rejected,
                reason: Some("INCORRECT_CATEGORY".into()),
            })]
        );
    }

    #[test]
    fn other_bodies_are_refused_and_other_fields_skipped() {
        assert!(parse(b"not json").is_err());
        assert!(parse(br#"{"object":"page","entry":[]}"#).is_err());
        let quality = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"phone_number_quality_update","value":{"event":"FLAGGED"}}]}]}"#;
        assert_eq!(parse(quality).expect("parses"), vec![]);
        let no_id = envelope(
            r#"{"metadata":{"phone_number_id":"P"},"messages":[{"from":"1","type":"text","text":{"body":"x"}}]}"#,
        );
        assert!(parse(&no_id).is_err());
    }
}
