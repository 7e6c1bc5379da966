//! Rules for what a message may carry, checked before anything is written.

use switchboard_api::{
    Attachment, ContactCard, Location, MessageContent, MessageKind, PostMessageRequest, SendMessageRequest, TemplateRef,
};

use super::validate;
use crate::error::Error;

/// The longest text message accepted (WhatsApp's own limit).
const MAX_TEXT: usize = 4096;
/// WhatsApp's limit for media captions.
const MAX_CAPTION: usize = 1024;
const MAX_URL: usize = 2048;
const MAX_TEMPLATE_PARAM: usize = 1024;

/// A reply or note as posted to a conversation.
pub fn from_post(req: PostMessageRequest) -> Result<MessageContent, Error> {
    let PostMessageRequest { kind, text, attachment, location, contact_card, template } = req;
    let extra = |present: bool, field: &str| {
        if present { Err(Error::invalid(format!("{field} does not go with kind '{}'", kind.as_str()))) } else { Ok(()) }
    };
    extra(attachment.is_some() && !kind.is_media(), "attachment")?;
    extra(location.is_some() && kind != MessageKind::Location, "location")?;
    extra(contact_card.is_some() && kind != MessageKind::Contact, "contactCard")?;
    extra(template.is_some() && kind != MessageKind::Template, "template")?;
    let mut content = MessageContent { kind, ..Default::default() };
    match kind {
        MessageKind::Text | MessageKind::Note => content.body = validate::required_text(&text, "text", MAX_TEXT)?,
        MessageKind::Image | MessageKind::Document | MessageKind::Audio | MessageKind::Video => {
            let attachment = attachment.ok_or_else(|| Error::invalid("attachment is required for media messages"))?;
            content.attachment = Some(self::attachment(attachment, kind)?);
            if kind == MessageKind::Audio && !text.trim().is_empty() {
                return Err(Error::invalid("audio messages take no caption"));
            }
            content.body = validate::text(&text, "text", MAX_CAPTION)?.unwrap_or_default();
        }
        MessageKind::Location => {
            content.location = Some(self::location(location.ok_or_else(|| Error::invalid("location is required"))?)?);
            no_text(&text, kind)?;
        }
        MessageKind::Contact => {
            let card = contact_card.ok_or_else(|| Error::invalid("contactCard is required"))?;
            content.contact_card = Some(self::contact_card(card)?);
            no_text(&text, kind)?;
        }
        MessageKind::Template => {
            content.template = Some(self::template(template.ok_or_else(|| Error::invalid("template is required"))?)?);
            no_text(&text, kind)?;
        }
    }
    Ok(content)
}

/// `POST /messages` (CAAC-compatible): a text, or a template to open the conversation.
pub fn from_send(req: &SendMessageRequest) -> Result<MessageContent, Error> {
    match &req.template {
        Some(_) if !req.text.trim().is_empty() => Err(Error::invalid("give either text or template, not both")),
        Some(t) => Ok(MessageContent {
            kind: MessageKind::Template,
            template: Some(template(t.clone())?),
            ..Default::default()
        }),
        None => {
            Ok(MessageContent { body: validate::required_text(&req.text, "text", MAX_TEXT)?, ..Default::default() })
        }
    }
}

fn no_text(text: &str, kind: MessageKind) -> Result<(), Error> {
    if text.trim().is_empty() {
        Ok(())
    } else {
        Err(Error::invalid(format!("text does not go with kind '{}'", kind.as_str())))
    }
}

fn attachment(a: Attachment, kind: MessageKind) -> Result<Attachment, Error> {
    let url = validate::url(&a.url, "attachment.url", MAX_URL)?;
    let mime = a.mime_type.to_ascii_lowercase();
    let well_formed = mime.split_once('/').is_some_and(|(t, s)| {
        let token =
            |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b));
        token(t) && token(s)
    });
    if !well_formed || mime.chars().count() > 100 {
        return Err(Error::invalid("attachment.mimeType must look like image/jpeg"));
    }
    let family = match kind {
        MessageKind::Image => Some("image/"),
        MessageKind::Audio => Some("audio/"),
        MessageKind::Video => Some("video/"),
        _ => None,
    };
    if let Some(family) = family.filter(|f| !mime.starts_with(f)) {
        return Err(Error::invalid(format!("attachment.mimeType must be {family}* for kind '{}'", kind.as_str())));
    }
    Ok(Attachment {
        url,
        mime_type: mime,
        filename: a.filename.as_deref().map(|f| validate::text(f, "attachment.filename", 255)).transpose()?.flatten(),
        size_bytes: a.size_bytes,
    })
}

fn location(l: Location) -> Result<Location, Error> {
    if !(-90.0..=90.0).contains(&l.latitude) || !(-180.0..=180.0).contains(&l.longitude) {
        return Err(Error::invalid("location: latitude must be within ±90 and longitude within ±180"));
    }
    Ok(Location {
        latitude: l.latitude,
        longitude: l.longitude,
        name: l.name.as_deref().map(|n| validate::text(n, "location.name", 1000)).transpose()?.flatten(),
        address: l.address.as_deref().map(|a| validate::text(a, "location.address", 1000)).transpose()?.flatten(),
    })
}

fn contact_card(c: ContactCard) -> Result<ContactCard, Error> {
    let card = ContactCard {
        name: validate::text(&c.name, "contactCard.name", 200)?
            .ok_or_else(|| Error::invalid("contactCard.name must not be empty"))?,
        phone: c.phone.as_deref().map(validate::phone).transpose()?,
        email: c.email.as_deref().map(validate::email).transpose()?,
    };
    if card.phone.is_none() && card.email.is_none() {
        return Err(Error::invalid("contactCard needs a phone or an email"));
    }
    Ok(card)
}

fn template(t: TemplateRef) -> Result<TemplateRef, Error> {
    let name = validate::template_name(&t.name)?;
    let language = validate::language(&t.language)?;
    if t.params.len() > 20 {
        return Err(Error::invalid("template.params: at most 20"));
    }
    let params = t
        .params
        .iter()
        .map(|p| {
            validate::text(p, "template.params", MAX_TEMPLATE_PARAM)?
                .ok_or_else(|| Error::invalid("template.params must not be empty strings"))
        })
        .collect::<Result<_, _>>()?;
    Ok(TemplateRef { name, language, params })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(json: &str) -> Result<MessageContent, Error> {
        from_post(serde_json::from_str(json).expect("parse"))
    }

    #[test]
    fn each_kind_needs_its_payload_and_nothing_else() {
        assert!(
            post(r#"{"kind":"image","attachment":{"url":"https://x.test/a.jpg","mimeType":"image/jpeg"}}"#).is_ok()
        );
        assert!(post(r#"{"kind":"image"}"#).is_err());
        assert!(
            post(r#"{"kind":"image","attachment":{"url":"https://x.test/a.pdf","mimeType":"application/pdf"}}"#)
                .is_err()
        );
        assert!(
            post(r#"{"kind":"document","attachment":{"url":"ftp://x.test/a.pdf","mimeType":"application/pdf"}}"#)
                .is_err()
        );
        assert!(post(r#"{"kind":"location","location":{"latitude":91,"longitude":0}}"#).is_err());
        assert!(post(r#"{"kind":"location","location":{"latitude":52.5,"longitude":13.4,"name":"Clinic"}}"#).is_ok());
        assert!(post(r#"{"kind":"contact","contactCard":{"name":"Ana"}}"#).is_err());
        assert!(post(r#"{"text":"hi","location":{"latitude":1,"longitude":1}}"#).is_err());
        assert!(post(r#"{"kind":"note","text":"  "}"#).is_err());
        assert!(post(r#"{"kind":"template","template":{"name":"Bad Name","language":"en"}}"#).is_err());
    }
}
