//! What the built-in rules insist on whoever decided, the model included: a person for a
//! visitor who asks for one, describes warning signs or is upset; a booking change noted;
//! a lead for a visitor who gave a way to be reached.

use super::signals::Details;
use super::{Action, AgentState, Turn, change_action, clip, details_in};
use crate::business::Business;
use crate::intent;
use crate::sentiment::CLEARLY_NEGATIVE;

/// What the built-in rules insist on whoever decided: a person for a visitor who asks
/// for one, writes something urgent or is upset; a lead for a visitor who gave a way to
/// be reached.
pub fn safety_net(turn: &Turn, business: &Business, state: &mut AgentState, actions: &mut Vec<Action>, sentiment: f64) {
    let text = turn.message.trim();
    let reason = if intent::wants_a_person(text) {
        Some("The visitor asked for a person")
    } else if intent::is_urgent(text) || warned(business, text) {
        Some("The visitor describes an urgent problem")
    } else if intent::is_angry(text) || sentiment <= CLEARLY_NEGATIVE {
        Some("The visitor is upset")
    } else {
        None
    };
    if let Some(reason) = reason
        && !actions.iter().any(|a| matches!(a, Action::Escalate { .. }))
    {
        actions.push(Action::Escalate { reason: reason.to_owned() });
    }
    // A booking cancelled or moved is recorded and confirmed by a person, as without a model.
    // Not when the model booked in the same turn: the change would find that new request.
    if let Some(change) = intent::change(text)
        && !actions.iter().any(|a| matches!(a, Action::ChangeAppointment { .. } | Action::RequestAppointment { .. }))
    {
        let cancel = change == intent::Change::Cancel;
        let now = turn.now.unwrap_or_else(|| chrono::Utc::now().naive_utc());
        actions.push(change_action(cancel, text, now));
        if !actions.iter().any(|a| matches!(a, Action::Escalate { .. })) {
            let what = if cancel { "cancel" } else { "reschedule" };
            actions.push(Action::Escalate { reason: format!("The visitor asks to {what} an appointment") });
        }
    }
    let found = details_in(text, turn.region.as_deref());
    let mut known = Details { name: state.name.take(), email: state.email.take(), phone: state.phone.take() };
    known.merge(found);
    (state.name, state.email, state.phone) = (known.name, known.email, known.phone);
    if !state.lead_captured && (state.email.is_some() || state.phone.is_some()) {
        state.lead_captured = true;
        let interest = state.interest.clone().or_else(|| Some(clip(text, 120)));
        actions.insert(
            0,
            Action::CaptureLead {
                name: state.name.clone(),
                email: state.email.clone(),
                phone: state.phone.clone(),
                interest,
            },
        );
    }
}

/// Signs the business's own page lists as urgent, described by a visitor who is not
/// asking what something costs or where to call, nor booking (the built-in signs, such as
/// bleeding, hand over whatever else is said).
pub(super) fn warned(business: &Business, text: &str) -> bool {
    business.warnings.describes(text)
        && !intent::asks_price(text)
        && !intent::asks_after_hours_line(text)
        && !intent::wants_to_book(text)
        && !intent::wishes(text)
}
