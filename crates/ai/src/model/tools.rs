//! The tools the model may call, and the checks every call passes before anything is
//! written: a phone number must read as one (libphonenumber's rules, the workspace's
//! region), an email must be one, the service must be in the business's catalogue, the
//! time must be a future time the business is open. A call that fails a check changes
//! nothing; the model is told why, in words it can act on (usually: ask the visitor).

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::agent::Action;
use crate::catalogue::Catalogue;
use crate::compose::Evidence;
use crate::engine::search;
use crate::entities::{self, when::When};
use crate::hours::Hours;
use crate::text::Passage;

pub const SEARCH_KNOWLEDGE: &str = "search_knowledge";
pub const CAPTURE_LEAD: &str = "capture_lead";
pub const REQUEST_APPOINTMENT: &str = "request_appointment";
pub const ESCALATE: &str = "escalate";

/// Passages a search returns.
const FOUND: usize = 4;
const MAX_TEXT: usize = 500;

/// The function definitions sent with every request.
pub fn definitions() -> Vec<Value> {
    let function = |name: &str, description: &str, properties: Value, required: &[&str]| {
        json!({"type": "function", "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": properties, "required": required},
        }})
    };
    let text = |d: &str| json!({"type": "string", "description": d});
    vec![
        function(
            SEARCH_KNOWLEDGE,
            "Search the business's own knowledge (services, prices, hours, policies). Answer only from what it returns.",
            json!({"query": text("What to look for, in a few words")}),
            &["query"],
        ),
        function(
            CAPTURE_LEAD,
            "Save the visitor as a lead once they have given a phone number or an email.",
            json!({
                "name": text("The visitor's name, as they gave it"),
                "email": text("Their email address"),
                "phone": text("Their phone number, as they wrote it"),
                "interest": text("What they are interested in, in a few words"),
            }),
            &[],
        ),
        function(
            REQUEST_APPOINTMENT,
            "Record a booking request for the team to confirm. Ask the visitor for anything missing first.",
            json!({
                "service": text("The service, as the business names it"),
                "preferredTime": text("When, e.g. 2026-12-03T10:00 or 'Thursday 4.30pm'"),
                "name": text("The visitor's name"),
                "phone": text("The visitor's phone number"),
            }),
            &["service", "preferredTime", "name", "phone"],
        ),
        function(
            ESCALATE,
            "Hand the conversation to a person: when asked for one, for anything urgent or medical, when the visitor \
             is upset, or when the knowledge cannot answer.",
            json!({"reason": text("Why, in one sentence, for the team")}),
            &["reason"],
        ),
    ]
}

/// What the checks read: the business and the moment.
pub struct Context<'a> {
    pub now: NaiveDateTime,
    /// ISO 3166 alpha-2, for numbers written without a country code.
    pub region: Option<&'a str>,
    pub catalogue: &'a Catalogue,
    pub hours: &'a Hours,
    pub passages: &'a [Passage],
    /// The knowledge's language, for searching it.
    pub lang: Option<crate::Lang>,
}

/// What a call came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Passages found, to answer from.
    Found(Vec<Evidence>),
    /// A write the server carries out.
    Act(Action),
    /// Refused: nothing changes; `code` is stable, `message` tells the model what to do.
    Refused { code: &'static str, message: String },
}

impl Outcome {
    fn refused(code: &'static str, message: impl Into<String>) -> Self {
        Outcome::Refused { code, message: message.into() }
    }
}

/// Runs the call `name` with the model's `arguments` text.
pub fn call(ctx: &Context<'_>, name: &str, arguments: &str) -> Outcome {
    match name {
        SEARCH_KNOWLEDGE => parse(arguments).map_or_else(|r| r, |a| search_knowledge(ctx, a)),
        CAPTURE_LEAD => parse(arguments).map_or_else(|r| r, |a| capture_lead(ctx, a)),
        REQUEST_APPOINTMENT => parse(arguments).map_or_else(|r| r, |a| request_appointment(ctx, a)),
        ESCALATE => parse(arguments).map_or_else(|r| r, escalate),
        _ => Outcome::refused(
            "unknown_tool",
            format!(
                "There is no tool {name:?}; the tools are {SEARCH_KNOWLEDGE}, {CAPTURE_LEAD}, {REQUEST_APPOINTMENT} and {ESCALATE}."
            ),
        ),
    }
}

fn parse<T: for<'de> Deserialize<'de>>(arguments: &str) -> Result<T, Outcome> {
    let text = if arguments.trim().is_empty() { "{}" } else { arguments };
    serde_json::from_str(text).map_err(|e| {
        Outcome::refused(
            "invalid_arguments",
            format!("The arguments are not valid JSON for this tool ({e}); call it again with a JSON object."),
        )
    })
}

/// A text argument, trimmed; empty means not given.
fn given(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

#[derive(Deserialize)]
struct SearchArgs {
    query: Option<String>,
}

fn search_knowledge(ctx: &Context<'_>, a: SearchArgs) -> Outcome {
    let Some(query) = given(a.query).filter(|q| q.chars().count() <= MAX_TEXT) else {
        return Outcome::refused("query_missing", "Give a query of a few words.");
    };
    Outcome::Found(search(ctx.passages, &query, FOUND, ctx.lang))
}

#[derive(Deserialize)]
struct LeadArgs {
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    interest: Option<String>,
}

fn capture_lead(ctx: &Context<'_>, a: LeadArgs) -> Outcome {
    let name = match given(a.name).map(check_name).transpose() {
        Ok(n) => n,
        Err(r) => return r,
    };
    let email = match given(a.email).map(check_email).transpose() {
        Ok(e) => e,
        Err(r) => return r,
    };
    let phone = match given(a.phone).map(|p| check_phone(ctx, &p)).transpose() {
        Ok(p) => p,
        Err(r) => return r,
    };
    if email.is_none() && phone.is_none() {
        return Outcome::refused(
            "contact_missing",
            "A lead needs a phone number or an email; ask the visitor for one.",
        );
    }
    let interest = given(a.interest).map(|i| i.chars().take(200).collect());
    Outcome::Act(Action::CaptureLead { name, email, phone, interest })
}

#[derive(Deserialize)]
struct AppointmentArgs {
    service: Option<String>,
    #[serde(alias = "preferred_time")]
    #[serde(rename = "preferredTime")]
    preferred_time: Option<String>,
    name: Option<String>,
    phone: Option<String>,
}

fn request_appointment(ctx: &Context<'_>, a: AppointmentArgs) -> Outcome {
    let Some(asked) = given(a.service) else {
        return Outcome::refused("service_missing", "Ask the visitor which service they want.");
    };
    let service = if ctx.catalogue.services.is_empty() {
        // A business that lists no priced services: the visitor's words, for the team.
        asked.chars().take(120).collect()
    } else {
        match ctx.catalogue.find(&asked) {
            Some(s) => s.name.clone(),
            None => {
                let names: Vec<&str> = ctx.catalogue.services.iter().take(20).map(|s| s.name.as_str()).collect();
                return Outcome::refused(
                    "service_unknown",
                    format!("{asked:?} is not one of the business's services ({}); ask which one.", names.join(", ")),
                );
            }
        }
    };
    let Some(time) = given(a.preferred_time) else {
        return Outcome::refused("time_missing", "Ask the visitor which day and time suit them.");
    };
    let when = read_time(&time, ctx.now);
    let preferred_time = match check_time(ctx, &when) {
        Ok(stored) => stored,
        Err(r) => return r,
    };
    let Some(name) = given(a.name) else {
        return Outcome::refused("name_missing", "Ask the visitor for their name.");
    };
    let name = match check_name(name) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let Some(phone) = given(a.phone) else {
        return Outcome::refused("phone_missing", "Ask the visitor for a phone number.");
    };
    let phone = match check_phone(ctx, &phone) {
        Ok(p) => p,
        Err(r) => return r,
    };
    Outcome::Act(Action::RequestAppointment {
        service,
        preferred_time: Some(preferred_time),
        starts_at: None,
        name: Some(name),
        phone: Some(phone),
    })
}

#[derive(Deserialize)]
struct EscalateArgs {
    reason: Option<String>,
}

fn escalate(a: EscalateArgs) -> Outcome {
    match given(a.reason) {
        Some(reason) => Outcome::Act(Action::Escalate { reason: reason.chars().take(MAX_TEXT).collect() }),
        None => Outcome::refused("reason_missing", "Say in one sentence why a person should take over."),
    }
}

fn check_name(name: String) -> Result<String, Outcome> {
    let plausible = name.chars().count() <= 100
        && name.chars().any(char::is_alphabetic)
        && !name.chars().any(|c| c.is_ascii_digit() || c == '@');
    if plausible {
        Ok(name)
    } else {
        Err(Outcome::refused("name_invalid", format!("{name:?} is not a name; ask the visitor for theirs.")))
    }
}

fn check_email(email: String) -> Result<String, Outcome> {
    match entities::email(&email) {
        Some(found) if found.eq_ignore_ascii_case(email.trim()) => Ok(found),
        _ => {
            Err(Outcome::refused("email_invalid", format!("{email:?} is not an email address; ask the visitor again.")))
        }
    }
}

fn check_phone(ctx: &Context<'_>, phone: &str) -> Result<String, Outcome> {
    // The whole argument must be the number: "call 555" is not one.
    let letters = phone.chars().filter(|c| c.is_alphabetic()).count();
    match entities::phone(phone, ctx.region) {
        Some(p) if letters == 0 => Ok(p),
        _ => Err(Outcome::refused(
            "phone_invalid",
            format!(
                "{phone:?} is not a phone number that can be called; ask the visitor for it with its country code."
            ),
        )),
    }
}

/// A time as the model passes it: ISO (`2026-12-03T10:00`, with or without seconds, or a
/// date alone) or the visitor's own words.
fn read_time(text: &str, now: NaiveDateTime) -> When {
    let at = |dt: NaiveDateTime| When {
        date: Some(dt.date()),
        hour: Some(dt.hour()),
        minute: Some(dt.minute()),
        part: None,
    };
    // An offset the model added is the business's own: its wall-clock time is kept.
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(text.trim()) {
        return at(dt.naive_local());
    }
    let t = text.trim().trim_end_matches('Z');
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, f) {
            return at(dt);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return When { date: Some(d), ..When::default() };
    }
    entities::when(text, now)
}

/// A time the business can take: understood, not past, on a day and at an hour it is
/// open (when its hours say).
fn check_time(ctx: &Context<'_>, w: &When) -> Result<String, Outcome> {
    let Some(stored) = w.stored() else {
        return Err(Outcome::refused(
            "time_unclear",
            "The time could not be read; ask the visitor for a day and a time.",
        ));
    };
    if let Some(date) = w.date {
        if date < ctx.now.date()
            || (date == ctx.now.date()
                && w.hour.is_some_and(|h| h * 60 + w.minute.unwrap_or(0) < ctx.now.hour() * 60 + ctx.now.minute()))
        {
            return Err(Outcome::refused(
                "time_past",
                format!("{stored} has passed; ask the visitor for a later time."),
            ));
        }
        let day = date.weekday();
        if ctx.hours.is_closed(day) {
            return Err(Outcome::refused(
                "closed_day",
                format!(
                    "The business is closed on {day}s; ask the visitor for another day. Open: {}.",
                    ctx.hours.open_summary()
                ),
            ));
        }
        if let Some(hour) = w.hour
            && ctx.hours.is_open_at(day, hour * 60 + w.minute.unwrap_or(0)) == Some(false)
        {
            return Err(Outcome::refused(
                "outside_hours",
                format!(
                    "The business is not open then; ask the visitor for a time within its hours: {}.",
                    ctx.hours.open_summary()
                ),
            ));
        }
    }
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::Action;

    fn ctx<'a>(catalogue: &'a Catalogue, hours: &'a Hours) -> Context<'a> {
        let now = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap().and_hms_opt(9, 0, 0).unwrap(); // a Wednesday
        Context { now, region: Some("GB"), catalogue, hours, passages: &[], lang: None }
    }

    fn business() -> (Catalogue, Hours) {
        let page = "Services\nDeep tissue massage (60 min) £55\nSports massage £48\nOpening hours\nMonday–Friday 8:00–19:00\nSaturday 9am–1pm\nSunday closed";
        (Catalogue::new(crate::catalogue::catalogue([page])), Hours::read([page]))
    }

    fn code(o: &Outcome) -> &str {
        match o {
            Outcome::Refused { code, .. } => code,
            _ => "accepted",
        }
    }

    #[test]
    fn a_booking_is_written_only_when_every_argument_holds() {
        let (services, hours) = business();
        let c = ctx(&services, &hours);
        let ok = call(
            &c,
            REQUEST_APPOINTMENT,
            r#"{"service":"deep tissue","preferredTime":"2026-12-03T10:00","name":"Dan Whitaker","phone":"07700 900417"}"#,
        );
        assert_eq!(
            ok,
            Outcome::Act(Action::RequestAppointment {
                service: "Deep tissue massage".into(),
                preferred_time: Some("2026-12-03T10:00".into()),
                starts_at: None,
                name: Some("Dan Whitaker".into()),
                phone: Some("+447700900417".into()),
            })
        );
        let words = call(
            &c,
            REQUEST_APPOINTMENT,
            r#"{"service":"sports massages","preferredTime":"Thursday 4.30pm","name":"Dan","phone":"+44 7700 900417"}"#,
        );
        assert_eq!(code(&words), "accepted", "{words:?}");
        for (args, expected) in [
            (
                r#"{"service":"haircut","preferredTime":"2026-12-03T10:00","name":"Dan","phone":"07700900417"}"#,
                "service_unknown",
            ),
            (
                r#"{"service":"deep tissue","preferredTime":"2026-12-06T10:00","name":"Dan","phone":"07700900417"}"#,
                "closed_day",
            ),
            (
                r#"{"service":"deep tissue","preferredTime":"2026-12-05T15:00","name":"Dan","phone":"07700900417"}"#,
                "outside_hours",
            ),
            (
                r#"{"service":"deep tissue","preferredTime":"2026-11-30T10:00","name":"Dan","phone":"07700900417"}"#,
                "time_past",
            ),
            (
                r#"{"service":"deep tissue","preferredTime":"whenever","name":"Dan","phone":"07700900417"}"#,
                "time_unclear",
            ),
            (
                r#"{"service":"deep tissue","preferredTime":"2026-12-03T10:00","name":"Dan","phone":"call me"}"#,
                "phone_invalid",
            ),
            (
                r#"{"service":"deep tissue","preferredTime":"2026-12-03T10:00","name":"0770","phone":"07700900417"}"#,
                "name_invalid",
            ),
            (r#"{"service":"deep tissue","preferredTime":"2026-12-03T10:00","name":"Dan"}"#, "phone_missing"),
            (r#"{"preferredTime":"2026-12-03T10:00"}"#, "service_missing"),
            (r#"{"service": 42}"#, "invalid_arguments"),
            (r#"{"service":"deep tissue""#, "invalid_arguments"),
            ("[1,2]", "invalid_arguments"),
        ] {
            assert_eq!(code(&call(&c, REQUEST_APPOINTMENT, args)), expected, "{args}");
        }
    }

    #[test]
    fn leads_need_a_way_to_reach_the_visitor_and_details_that_read_as_such() {
        let (services, hours) = business();
        let c = ctx(&services, &hours);
        assert_eq!(
            call(&c, CAPTURE_LEAD, r#"{"name":"Ana","email":"Ana@Example.com","interest":"massage"}"#),
            Outcome::Act(Action::CaptureLead {
                name: Some("Ana".into()),
                email: Some("ana@example.com".into()),
                phone: None,
                interest: Some("massage".into())
            })
        );
        assert_eq!(code(&call(&c, CAPTURE_LEAD, r#"{"name":"Ana"}"#)), "contact_missing");
        assert_eq!(code(&call(&c, CAPTURE_LEAD, r#"{"email":"ana at example"}"#)), "email_invalid");
        assert_eq!(code(&call(&c, CAPTURE_LEAD, r#"{"phone":"12"}"#)), "phone_invalid");
        assert_eq!(code(&call(&c, CAPTURE_LEAD, "")), "contact_missing");
    }

    #[test]
    fn unknown_tools_and_empty_arguments_are_refused_with_a_reason() {
        let (services, hours) = business();
        let c = ctx(&services, &hours);
        assert_eq!(code(&call(&c, "delete_everything", "{}")), "unknown_tool");
        assert_eq!(code(&call(&c, ESCALATE, r#"{"reason":"  "}"#)), "reason_missing");
        assert_eq!(code(&call(&c, SEARCH_KNOWLEDGE, "{}")), "query_missing");
        assert_eq!(
            call(&c, ESCALATE, r#"{"reason":"Asked for a person"}"#),
            Outcome::Act(Action::Escalate { reason: "Asked for a person".into() })
        );
    }
}
