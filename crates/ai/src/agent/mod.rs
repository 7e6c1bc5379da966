//! The AI agent's judgement for one inbound message of a conversation it handles: what to
//! answer, what to record (a lead, a booking request), and when to hand over to a person.
//! It decides; the caller carries the actions out in one transaction.

mod booking;
mod decision;
pub(crate) mod questions;
mod safety_net;
pub mod signals;
mod state;

pub use decision::{Action, Consulted, Decision, WINDOW_CLOSED};
pub use state::{AgentState, PendingBooking, RecordedBooking};

use self::booking::{change_action, clip, first_word, record, show_when, update};
use self::questions::{PRONOUNS, questions, sentences};
pub use self::safety_net::safety_net;
use self::safety_net::warned;

use crate::business::Business;
use crate::hours;
use crate::intent::{self, SmallTalk};
use crate::phrases::{self, Say};
use crate::{Detected, catalogue, entities};
use chrono::Datelike;

use self::signals::Details;
use crate::engine::{AiEngine, ReplyInput};
use crate::error::AiError;
use crate::sentiment::{self, CLEARLY_NEGATIVE};

#[derive(Debug, Clone, Default)]
pub struct Turn {
    pub message: String,
    /// Everything the workspace knows that can answer (what `/ai/reply` would get).
    pub reply_input: ReplyInput,
    /// The contact's name as the channel knows it (a WhatsApp profile name).
    pub known_name: Option<String>,
    /// The business's local time now. Without it: now in the region's time zone (UTC
    /// when the region is not known either).
    pub now: Option<chrono::NaiveDateTime>,
    /// The workspace's region (ISO 3166 alpha-2), for phone numbers written without a
    /// country code. Without it: the region the knowledge points to (`locale`).
    pub region: Option<String>,
    /// The workspace's time zone. Without it: the region's.
    pub zone: Option<crate::locale::Tz>,
}

/// The longest the model may take over one message, retries included.
const MODEL_TURN: std::time::Duration = std::time::Duration::from_secs(45);

/// Decides what to do about `turn`, updating `state`: with the model when the engine has
/// one, and with the built-in pipeline when it has none or it fails.
pub async fn decide(engine: &AiEngine, mut turn: Turn, state: &mut AgentState) -> Result<Decision, AiError> {
    let business = engine.business(&turn.reply_input.knowledge);
    // A workspace that does not say where it is: where its own knowledge says.
    (turn.region, turn.zone) = crate::locale::effective(turn.region.take(), turn.zone, business.region.as_deref());
    if turn.now.is_none() {
        turn.now = Some(crate::locale::local_now(turn.zone));
    }
    let zone = turn.zone;
    let mut decision = decide_in_place(engine, &business, turn, state).await?;
    // A booking's day and time as an instant, wherever the request came from.
    for action in &mut decision.actions {
        if let (
            Action::RequestAppointment { preferred_time: Some(t), starts_at: s @ None, .. }
            | Action::UpdateAppointment { preferred_time: Some(t), starts_at: s @ None, .. }
            | Action::ChangeAppointment { preferred_time: Some(t), starts_at: s @ None, .. },
            Some(zone),
        ) = (action, zone)
        {
            *s = crate::locale::starts_at(t, zone);
        }
    }
    Ok(decision)
}

async fn decide_in_place(
    engine: &AiEngine,
    business: &Business,
    turn: Turn,
    state: &mut AgentState,
) -> Result<Decision, AiError> {
    if let Some(model) = engine.model() {
        let before = state.clone();
        let now = turn.now.unwrap_or_else(|| chrono::Utc::now().naive_utc());
        let lang = match crate::lang::detect_in(&turn.message, state.lang) {
            Detected::Spoken(l) => l,
            _ => state.lang.unwrap_or_default(),
        };
        // However the model behaves, the conversation (and the ones queued behind it) gets
        // an answer within a bound.
        let by_model = crate::model::agent::decide(model, &turn, business, now, lang, state);
        let outcome = tokio::time::timeout(MODEL_TURN, by_model)
            .await
            .unwrap_or_else(|_| Err(AiError::upstream(format!("no decision within {} s", MODEL_TURN.as_secs()))));
        match outcome {
            Ok(decision) => return Ok(decision),
            Err(e) => {
                tracing::warn!(error = %e, "the model could not decide; the built-in agent answers");
                *state = before;
            }
        }
    }
    built_in(engine, business, turn, state).await
}

/// The built-in pipeline's decision.
async fn built_in(
    engine: &AiEngine,
    business: &Business,
    turn: Turn,
    state: &mut AgentState,
) -> Result<Decision, AiError> {
    let text = turn.message.trim().to_owned();
    let sentiment = sentiment::sentiment(&text);
    let now = turn.now.unwrap_or_else(|| chrono::Utc::now().naive_utc());
    let mut actions = Vec::new();
    // A short message ("Dan Whitaker", "07700 900417", "ok") keeps the conversation's
    // language: names and numbers say nothing about it.
    let lang = match crate::lang::detect_in(&text, state.lang) {
        Detected::Spoken(l) => {
            state.lang = Some(l);
            l
        }
        Detected::Other(code) => {
            actions.push(Action::Escalate {
                reason: format!("The visitor writes in a language the agent does not speak ({code})"),
            });
            actions.push(Action::Reply { text: phrases::cannot_serve(code).to_owned(), confidence: 1.0 });
            return Ok(Decision { actions, sentiment, ..Decision::default() });
        }
        Detected::Unknown => state.lang.unwrap_or_default(),
    };
    let say = |what: Say<'_>| phrases::say(lang, &what);

    // What the business offers, read from its own knowledge.
    let hours = &business.hours;
    // A Spanish or Chinese question finds an English page's service too, and an English
    // one a Portuguese page's.
    // Asked in the knowledge's own language, the question's words are the knowledge's:
    // another language's words would only bring false friends ("cachorro" is a puppy in
    // Spanish, a dog in Portuguese).
    let expanded = if business.same_language(&text) == Some(true) {
        text.clone()
    } else {
        crate::glossary::expand(&text, &business.vocabulary)
    };
    let candidates: Vec<catalogue::Service> =
        business.catalogue.matches(&expanded).into_iter().take(4).cloned().collect();
    let named = (candidates.len() == 1).then(|| candidates[0].clone());
    // "a haircut" where there are men's, women's and kids' ones: what they share.
    let alike =
        (candidates.len() > 1).then(|| catalogue::shared(&candidates.iter().collect::<Vec<_>>(), &expanded)).flatten();
    let service_named = named.as_ref().map(|s| s.name.clone()).or_else(|| alike.clone());
    if let Some(s) = &service_named {
        state.last_service = Some(s.clone());
    }
    let says_when_only =
        service_named.is_none() && text.split_whitespace().count() <= 4 && !entities::when(&text, now).is_empty();
    if state.interest.is_none() && !says_when_only && (service_named.is_some() || intent::is_question(&text)) {
        state.interest = Some(service_named.clone().unwrap_or_else(|| clip(&text, 120)));
    }

    // Contact details, given on purpose or in passing.
    let phone = entities::phone_at(&text, turn.region.as_deref());
    let mut found = details_in(&text, turn.region.as_deref());
    let w = entities::when(&text, now);
    // The answer to "which name?": a message that is only a name, written as one or with
    // the number beside it ("jen 347-555-0182"), never a time ("8.30 ideally"). In a
    // booking, a name given before it was asked for counts too ("Jack Smith" when the
    // time was asked): capitalised, since nothing asked for one.
    let booking = state.booking.as_ref();
    let asked_name = booking.is_some_and(|b| b.asked_contact) && state.name.is_none();
    // Not asked for, a name is a first and last name and nothing else ("Jack Smith", not
    // "Sports massage", "Perfect" or "Sounds good").
    let capitalised = text.split_whitespace().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
    let booking_without_name = booking.is_some()
        && state.name.is_none()
        && capitalised >= 2
        && service_named.is_none()
        && !intent::is_question(&text)
        && intent::small_talk(&text).is_none();
    if found.name.is_none() && (asked_name || booking_without_name) && w.is_empty() {
        let capital = text.trim().chars().next().is_some_and(char::is_uppercase);
        if capital || (asked_name && (found.phone.is_some() || found.email.is_some())) {
            found.name = entities::bare_name(&text);
        }
    }
    if found.name.is_none() && (found.email.is_some() || found.phone.is_some()) && state.name.is_none() {
        found.name = turn.known_name.clone();
    }
    let gave_details = !found.is_empty();
    let mut known = Details { name: state.name.take(), email: state.email.take(), phone: state.phone.take() };
    known.merge(found);
    (state.name, state.email, state.phone) = (known.name.clone(), known.email.clone(), known.phone.clone());

    // A lead is captured as soon as there is a way to reach the visitor: a conversation
    // can end at any message.
    // "call me back on …": the number goes to the team as a lead marked so, what else the
    // message asks is still answered, and the reply says the team will be in touch. In a
    // booking, the booking takes the number; a lead already taken earlier is no way to
    // tell the team any more, so a person is told (see below).
    let lead_before = state.lead_captured;
    let asks_call_back = intent::wants_callback(&text);
    let call_back = (asks_call_back || state.call_back_waiting)
        && state.phone.is_some()
        && state.booking.is_none()
        && !intent::wants_to_book(&text);
    if call_back && !state.lead_captured {
        let about = state.interest.take().unwrap_or_else(|| clip(&text, 120));
        state.interest = Some(format!("Call back: {about}"));
    }
    let call_back_line = call_back.then(|| say(Say::CallBack));
    let decision = |mut actions: Vec<Action>, state: &mut AgentState, _hold_lead: bool| {
        if let Some(line) = &call_back_line {
            match actions.iter_mut().rev().find(|a| matches!(a, Action::Reply { .. })) {
                Some(Action::Reply { text, .. }) => *text = format!("{text} {line}"),
                _ => actions.push(Action::Reply { text: line.clone(), confidence: 1.0 }),
            }
        }
        if !state.lead_captured && (state.email.is_some() || state.phone.is_some()) {
            state.lead_captured = true;
            actions.insert(
                0,
                Action::CaptureLead {
                    name: state.name.clone(),
                    email: state.email.clone(),
                    phone: state.phone.clone(),
                    interest: state.interest.clone(),
                },
            );
        }
        Ok(Decision { actions, sentiment, ..Decision::default() })
    };

    // A person, at once, when asked for, when something is wrong, or when upset.
    let handover = if intent::wants_a_person(&text) {
        Some(("The visitor asked for a person", Say::HandOver))
    } else if intent::is_urgent(&text) || warned(business, &text) {
        Some(("The visitor describes an urgent problem", Say::Urgent))
    } else if intent::is_angry(&text) || sentiment <= CLEARLY_NEGATIVE {
        Some(("The visitor is upset", Say::Apology))
    } else {
        None
    };
    if let Some((reason, line)) = handover {
        actions.push(Action::Escalate { reason: reason.to_owned() });
        actions.push(Action::Reply { text: say(line), confidence: 1.0 });
        return decision(actions, state, false);
    }
    if let Some(change) = intent::change(&text) {
        let cancel = change == intent::Change::Cancel;
        let what = if cancel { "cancel" } else { "reschedule" };
        actions.push(change_action(cancel, &text, now));
        actions.push(Action::Escalate { reason: format!("The visitor asks to {what} an appointment") });
        actions.push(Action::Reply { text: say(Say::ChangeRecorded { cancel }), confidence: 1.0 });
        return decision(actions, state, false);
    }

    // Asked to be called, with no number known: the number, first, unless the message asks
    // something else too.
    let rest = || sentences(&text).into_iter().filter(|p| !intent::wants_callback(p)).collect::<Vec<_>>().join(" ");
    let asks = |rest: &str| {
        (intent::is_question(rest) || intent::asks_price(rest) || intent::wishes(rest))
            && intent::small_talk(rest).is_none()
    };
    if asks_call_back && !call_back && state.phone.is_none() && state.booking.is_none() && !asks(&rest()) {
        state.call_back_waiting = true;
        actions.push(Action::Reply { text: say(Say::AskPhone), confidence: 1.0 });
        return decision(actions, state, false);
    }
    let text = if call_back {
        state.call_back_waiting = false;
        // The lead was taken before this message: only a person can pass the wish on.
        if lead_before {
            actions.push(Action::Escalate { reason: "The visitor asked to be called back".to_owned() });
        }
        let rest = rest();
        if !asks(&rest) {
            return decision(actions, state, false);
        }
        rest
    } else {
        text
    };

    // A booking: started now, or being filled in.
    let answers_booking = named.is_some() || !w.is_empty() || gave_details;
    let asks_something_else = intent::is_question(&text) && !intent::wants_to_book(&text) && w.is_empty();
    // "I'd like a deep tissue massage", "microchipping for my kitten pls": a service
    // wished for, not asked about.
    // Praise for one ("amei o corte!") is no wish for another, nor a visit that happened.
    let praise = intent::is_praise(&text) || intent::past_visit(&text);
    let wished = (named.is_some() || alike.is_some())
        && !intent::asks_price(&text)
        && !praise
        && (intent::wishes(&text) || !intent::is_question(&text));
    // "tomorrow at 10am", "fri 8am?" on its own: a time offered is a booking wished for.
    // In a conversation about a service, a longer line offering a time is one too ("oke
    // gas, tgl 8 jam 1 siang ya").
    let longest = if state.last_service.is_some() { 10 } else { 6 };
    let offers_time = (w.hour.is_some() || w.part.is_some())
        && !asks_something_else
        && text.split_whitespace().count() <= longest
        && !intent::asks_hours(&text);
    if !state.appointment_requested
        && (intent::wants_to_book(&text)
            || wished
            || offers_time
            || (state.booking.is_some() && answers_booking && !asks_something_else))
    {
        let mut b = state.booking.take().unwrap_or_default();
        // A booking takes the number a call back was waiting for.
        state.call_back_waiting = false;
        // What they want, in their words; "fri 8am?" says when, not what.
        let only_when = offers_time && named.is_none() && alike.is_none() && !intent::wants_to_book(&text);
        if b.wish.is_none() && !only_when {
            b.wish = Some(clip(&text, 120));
        }
        // A service named alike ("a massage") fills the booking in; it does not replace
        // the one already chosen ("Soin éclat" stays when "soin" comes up again).
        if let Some(s) = &named {
            b.service = Some(s.name.clone());
        } else if let (Some(alike), None) = (&alike, &b.service) {
            b.service = Some(alike.clone());
        } else if b.service.is_none() {
            b.service = state.last_service.clone();
        }
        // Asked which service, and told a problem instead ("he keeps scratching his
        // ears"): the business's general visit, which the team confirms.
        if b.service.is_none() && b.asked_service {
            b.service = business.catalogue.general_visit().map(|s| s.name.clone());
        }
        let mut when = b.when();
        when.merge(w);
        if let Some(day) = when.date.map(|d| d.weekday())
            && hours.is_closed(day)
        {
            when.date = None;
            b.set_when(when);
            state.booking = Some(b);
            let reply = say(Say::ClosedPickAnother { day: hours::day_name(lang, day) });
            actions.push(Action::Reply { text: reply, confidence: 0.9 });
            return decision(actions, state, false);
        }
        b.set_when(when);
        let (has_name, has_phone) = (state.name.is_some(), state.phone.is_some());
        let reachable = has_phone || state.email.is_some();
        let ask_contact = || {
            say(match (has_name, has_phone) {
                (false, false) => Say::AskNameAndPhone,
                (false, true) => Say::AskName,
                _ => Say::AskPhone,
            })
        };
        // Each part is asked for once. The one exception: asked for the name and phone, the
        // visitor answered something else (the time) — the question still stands, once.
        let ask = if b.service.is_none() && !b.asked_service {
            b.asked_service = true;
            Some(say(Say::AskService))
        } else if when.hour.is_none() && when.part.is_none() && !b.asked_time {
            b.asked_time = true;
            let service = b.service.clone().unwrap_or_default();
            Some(say(Say::AskTime { service: &service }))
        } else if !(has_name && reachable) && !b.asked_contact {
            b.asked_contact = true;
            Some(ask_contact())
        } else if !(has_name && reachable) && !gave_details && !b.followed_up {
            b.followed_up = true;
            Some(ask_contact())
        } else {
            None
        };
        if let Some(question) = ask {
            let hold_lead = !has_name;
            record(&mut b, state, false, &mut actions);
            state.booking = Some(b);
            actions.push(Action::Reply { text: question, confidence: 0.9 });
            return decision(actions, state, hold_lead);
        }
        // A service the catalogue does not know: the visitor's own words, for the team.
        if b.service.is_none() && b.wish.is_none() {
            b.wish = Some(clip(&text, 120));
        }
        record(&mut b, state, true, &mut actions);
        let service = b.recorded.as_ref().map(|r| r.service.clone()).unwrap_or_default();
        state.appointment_requested = true;
        let shown = show_when(lang, &when);
        let first = state.name.as_deref().map(first_word);
        let mut reply = say(Say::BookingRecorded { service: &service, when: shown.as_deref(), name: first });
        // Recorded now (the chat may end here), and the number asked for once more: it
        // joins the request when it comes.
        if state.phone.is_none() {
            state.appointment_phone_missing = true;
            reply = format!("{reply} {}", say(Say::AskPhone));
        }
        actions.push(Action::Reply { text: reply, confidence: 0.9 });
        return decision(actions, state, false);
    }

    // The phone number a recorded booking was waiting for.
    if state.appointment_phone_missing
        && let Some((number, _)) = &phone
    {
        state.appointment_phone_missing = false;
        if let Some(recorded) = state.recorded.as_mut() {
            recorded.phone = Some(number.clone());
            actions.push(update(recorded.service.clone(), recorded));
        }
        actions.push(Action::Reply { text: say(Say::Welcome), confidence: 0.9 });
        return decision(actions, state, false);
    }

    // Nothing asked: a greeting, thanks, "ok", a test line, details given.
    if let Some(talk) = intent::small_talk(&text) {
        let line = match talk {
            SmallTalk::Greeting => Say::Greeting,
            SmallTalk::Thanks => Say::Welcome,
            SmallTalk::Nothing => Say::Acknowledge,
        };
        actions.push(Action::Reply { text: say(line), confidence: 1.0 });
        return decision(actions, state, false);
    }
    // Details given and nothing more ("Dan, 07700 900417"): thanks. Details given with a
    // request ("I'm Rachel, I'd like a quote for …") go on to be answered.
    let rest = text.split_whitespace().filter(|w| !w.chars().any(|c| c.is_ascii_digit() || c == '@')).count();
    if gave_details && !intent::is_question(&text) && rest <= 5 {
        actions.push(Action::Reply { text: say(Say::Welcome), confidence: 0.9 });
        return decision(actions, state, false);
    }

    // Hours: a day asked about is answered for that day; a closed day as closed.
    if intent::asks_hours(&text) && !hours.is_empty() && !intent::asks_price(&text) {
        let days = hours::days_asked(&text, now);
        let mut lines = Vec::new();
        for day in &days {
            let name = hours::day_name(lang, *day);
            lines.push(match hours.day(*day) {
                Some(hours::Day::Closed) => say(Say::Closed { day: name }),
                Some(hours::Day::Open(h)) => say(Say::OpenOn { day: name, hours: h }),
                None => continue,
            });
        }
        if lines.is_empty() {
            lines.push(say(Say::Hours { lines: &hours.lines.join("; ") }));
        }
        state.low_confidence_streak = 0;
        actions.push(Action::Reply { text: lines.join(" "), confidence: 0.9 });
        return decision(actions, state, false);
    }

    // Prices of services named alike: all of them.
    if named.is_none()
        && candidates.len() > 1
        && (intent::asks_price(&text) || intent::asks_duration(&text) || text.split_whitespace().count() <= 4)
    {
        let list = candidates
            .iter()
            .map(|s| match &s.duration {
                Some(d) => format!("{}: {} ({d})", s.name, s.price_for(&text)),
                None => format!("{}: {}", s.name, s.price_for(&text)),
            })
            .collect::<Vec<_>>()
            .join("; ");
        state.low_confidence_streak = 0;
        actions.push(Action::Reply { text: say(Say::PriceList { list: &list }), confidence: 0.9 });
        return decision(actions, state, false);
    }

    // A price asked about what the page describes, not by its name ("the vet gave her a
    // special shampoo, how much for a medium beagle?"): the service the sentence of the
    // knowledge about the question names, when it names one.
    let named = match named {
        None if candidates.is_empty() && intent::asks_price(&text) => business.service_described(&text),
        named => named,
    };
    // A price: the service named, as the business prices it.
    if let Some(s) = &named
        && (intent::asks_price(&text) || intent::asks_duration(&text) || text.split_whitespace().count() <= 4)
    {
        let mut reply =
            say(Say::Price { service: &s.name, price: s.price_for(&text), duration: s.duration.as_deref() });
        // "how much is puppy school and when is it on?": the other question answered too,
        // about the service just named.
        // A part that asks nothing ("es un chihuahua de 3 kilos") is context, not a question.
        let others = questions(&text)
            .into_iter()
            .filter(|p| intent::is_question(p) && !intent::asks_price(p) && !intent::asks_duration(p));
        for part in others.collect::<Vec<_>>().iter() {
            let mut input = turn.reply_input.clone();
            input.message = format!("{part} ({})", s.name);
            let other = engine.reply_built_in(input).await?;
            // The price line itself again is no answer to the other question.
            let again = other.reply.contains(s.price_for(&text));
            if !other.low_confidence && !reply.contains(&other.reply) && !again {
                reply = format!("{reply} {}", other.reply);
            }
        }
        state.low_confidence_streak = 0;
        actions.push(Action::Reply { text: reply, confidence: 0.9 });
        return decision(actions, state, false);
    }

    // Anything else: the best passage of the business's knowledge, or a person. Two
    // questions in one message ("where are you? is there parking?") get an answer each.
    let parts = questions(&text);
    let mut draft = None;
    if parts.len() > 1 {
        let mut answers: Vec<(String, f64)> = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let mut input = turn.reply_input.clone();
            // "how much is puppy school and when is it on?": "it" is what was just asked
            // about.
            let refers = crate::words::words(part).iter().any(|w| PRONOUNS.contains(&w.as_str()));
            input.message = match i.checked_sub(1).map(|j| &parts[j]) {
                Some(before) if refers => format!("{part} ({before})"),
                _ => part.clone(),
            };
            let d = engine.reply_built_in(input).await?;
            if !d.low_confidence && !answers.iter().any(|(a, _)| *a == d.reply) {
                answers.push((d.reply, d.confidence));
            }
        }
        if !answers.is_empty() {
            let confidence = answers.iter().map(|(_, c)| *c).fold(1.0, f64::min);
            let reply = answers.into_iter().map(|(a, _)| a).collect::<Vec<_>>().join(" ");
            draft = Some(switchboard_api::AiReply { reply, sources: Vec::new(), confidence, low_confidence: false });
        }
    }
    let draft = match draft {
        Some(d) => d,
        None => {
            let mut input = turn.reply_input;
            input.message = text.clone();
            engine.reply_built_in(input).await?
        }
    };
    if draft.low_confidence {
        state.low_confidence_streak += 1;
        if state.low_confidence_streak >= 2 {
            actions.push(Action::Escalate { reason: "Two answers in a row were guesses".to_owned() });
            actions.push(Action::Reply { text: say(Say::NotSure), confidence: 1.0 });
            return decision(actions, state, false);
        }
        // A guess sent to a visitor does more harm than a short wait.
        actions.push(Action::Reply { text: say(Say::Hold), confidence: draft.confidence });
        return decision(actions, state, false);
    }
    state.low_confidence_streak = 0;
    actions.push(Action::Reply { text: draft.reply, confidence: draft.confidence });
    decision(actions, state, false)
}

/// The name, email and phone number a message gives, on purpose or in passing; a name
/// beside the detail counts ("Kate 07700900712", "+62 813 9876 5432, Dewi").
fn details_in(text: &str, region: Option<&str>) -> Details {
    let phone = entities::phone_at(text, region);
    let email = entities::email_at(text);
    let name = entities::name(text)
        .or_else(|| phone.iter().chain(email.iter()).find_map(|(_, at)| entities::name_beside(text, *at)));
    Details { name, email: email.map(|(e, _)| e), phone: phone.map(|(p, _)| p) }
}

/// "Friday 2026-12-04 15:00" in the visitor's language.
#[cfg(test)]
mod tests {
    use crate::intent::{SmallTalk, small_talk};

    #[test]
    fn thanks_and_greetings_are_told_from_questions() {
        for thanks in
            ["Great, thank you so much!", "Thanks a lot", "ok thx", "Perfect, thanks again!", "I appreciate it"]
        {
            assert_eq!(small_talk(thanks), Some(SmallTalk::Thanks), "{thanks}");
        }
        assert_eq!(small_talk("Good morning"), Some(SmallTalk::Greeting));
        for question in
            ["Thanks, how much is a filling?", "How much?", "Thank you. Can I bring my son too and what does it cost?"]
        {
            assert_eq!(small_talk(question), None, "{question}");
        }
        for praise in ["amei o corte, vcs são demais!!", "loved my haircut", "太棒了，很喜欢"] {
            assert_eq!(small_talk(praise), Some(SmallTalk::Thanks), "{praise}");
        }
        assert_eq!(small_talk("I'd love a haircut"), None, "a wish, not praise");
    }
}
