//! The booking request as the built-in agent records it: at once when a service is named,
//! then changed as the visitor answers; and a change to a booking already made.

use super::Action;
use super::state::{AgentState, PendingBooking, RecordedBooking};
use chrono::Datelike;

use crate::entities;
use crate::entities::When;
use crate::{Lang, hours};

/// Records the booking request as soon as it names a service of the business (the
/// visitor's own words only once `complete`), and each later answer as a change to it: a
/// chat can end at any message, and the team follows up on what was asked.
pub(super) fn record(b: &mut PendingBooking, state: &mut AgentState, complete: bool, actions: &mut Vec<Action>) {
    let wish = b.wish.clone().filter(|_| complete);
    let Some(service) = b.service.clone().or(wish) else {
        return;
    };
    let now = RecordedBooking {
        service,
        preferred_time: b.preferred_time.clone(),
        name: state.name.clone(),
        phone: state.phone.clone(),
    };
    match &b.recorded {
        None => actions.push(Action::RequestAppointment {
            service: now.service.clone(),
            preferred_time: now.preferred_time.clone(),
            starts_at: None,
            name: now.name.clone(),
            phone: now.phone.clone(),
        }),
        Some(before) if *before != now => actions.push(update(before.service.clone(), &now)),
        Some(_) => {}
    }
    b.recorded = Some(now.clone());
    state.recorded = Some(now);
}

/// The request recorded for `of`, as `now` has it.
pub(super) fn update(of: String, now: &RecordedBooking) -> Action {
    Action::UpdateAppointment {
        of,
        service: now.service.clone(),
        preferred_time: now.preferred_time.clone(),
        starts_at: None,
        name: now.name.clone(),
        phone: now.phone.clone(),
    }
}

/// A booking cancelled, or moved: "Can we move it to Friday at 3pm?" says the new time;
/// "from Thursday to next week" says two, so the team reads it.
pub(super) fn change_action(cancel: bool, text: &str, now: chrono::NaiveDateTime) -> Action {
    let new_time = (!cancel && !crate::words::has_phrase(&crate::words::fold(text), "from"))
        .then(|| entities::when(text, now).stored())
        .flatten();
    Action::ChangeAppointment { cancel, preferred_time: new_time, starts_at: None }
}

/// The day and time a booking was asked for, as the agent says them back.
pub(super) fn show_when(lang: Lang, w: &When) -> Option<String> {
    let day = w.date.map(|d| format!("{} {d}", hours::day_name(lang, d.weekday())));
    let clock = w.hour.map(|h| format!("{h:02}:{:02}", w.minute.unwrap_or(0)));
    match (day, clock) {
        (Some(d), Some(c)) => Some(format!("{d} {c}")),
        (Some(d), None) => Some(d),
        (None, Some(c)) => Some(c),
        (None, None) => None,
    }
}

pub(super) fn first_word(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

/// `text` cut to `max` characters, an ellipsis marking the cut.
pub(super) fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max { text.to_owned() } else { text.chars().take(max).collect::<String>() + "…" }
}
