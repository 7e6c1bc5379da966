//! The AI agent's judgement for one inbound message of a conversation it handles: what to
//! answer, what to record (a lead, a booking request), and when to hand over to a person.
//! It decides; the caller carries the actions out in one transaction.

pub mod signals;

use serde::{Deserialize, Serialize};

use self::signals::{Booking, CLEARLY_NEGATIVE, Details};
use super::{AiEngine, ReplyInput};
use crate::error::Error;

/// What the agent remembers of a conversation between messages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentState {
    /// Answers in a row that were guesses; the second one hands over.
    pub low_confidence_streak: u32,
    pub lead_captured: bool,
    pub appointment_requested: bool,
    /// A booking wish waiting for its service or time.
    pub booking: Option<PendingBooking>,
    /// Contact details gathered so far.
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// What the visitor first asked about.
    pub interest: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingBooking {
    pub service: Option<String>,
    pub preferred_time: Option<String>,
}

/// Something the agent does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Reply { text: String, confidence: f64 },
    CaptureLead { name: Option<String>, email: Option<String>, phone: Option<String>, interest: Option<String> },
    RequestAppointment { service: String, preferred_time: Option<String>, name: Option<String>, phone: Option<String> },
    Escalate { reason: String },
}

impl Action {
    /// The `tool` of its `tool_call` event.
    pub fn tool(&self) -> &'static str {
        match self {
            Action::Reply { .. } => "reply",
            Action::CaptureLead { .. } => "capture_lead",
            Action::RequestAppointment { .. } => "request_appointment",
            Action::Escalate { .. } => "escalate",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub actions: Vec<Action>,
    /// -1 to 1, for the `sentiment_result` event.
    pub sentiment: f64,
}

/// Why the agent handed over a conversation it could not answer on its channel.
pub const WINDOW_CLOSED: &str =
    "The contact's last message is more than 24 hours old: WhatsApp only accepts a template now";

impl Decision {
    /// The decision where no free-form message may go (WhatsApp outside its 24-hour
    /// window), as for anyone else there: what the agent learned is still recorded, its
    /// replies are dropped, and a person takes over, who can send a template.
    pub fn without_replies(mut self) -> Self {
        self.actions.retain(|a| !matches!(a, Action::Reply { .. }));
        if !self.actions.iter().any(|a| matches!(a, Action::Escalate { .. })) {
            self.actions.push(Action::Escalate { reason: WINDOW_CLOSED.to_owned() });
        }
        self
    }
}

/// What the agent sees of one turn.
#[derive(Debug, Clone, Default)]
pub struct Turn {
    pub message: String,
    /// Everything the workspace knows that can answer (what `/ai/reply` would get).
    pub reply_input: ReplyInput,
    /// Services the business offers, to recognise what a booking is for.
    pub services: Vec<String>,
    /// The contact's name as the channel knows it (a WhatsApp profile name).
    pub known_name: Option<String>,
}

const HANDOFF: &str = "I'll get a teammate to help you with this — they'll reply here shortly.";
const APOLOGY: &str = "I'm sorry about this. I'm passing you to a teammate right away — they'll reply here shortly.";
const HOLD: &str = "Good question — let me check that with the team and get back to you here.";
const NOT_SURE: &str =
    "I want to get this right for you, so I'm asking a teammate to answer — they'll reply here shortly.";

/// Decides what to do about `turn`, updating `state`.
pub async fn decide(engine: &AiEngine, turn: Turn, state: &mut AgentState) -> Result<Decision, Error> {
    let text = turn.message.trim().to_owned();
    let sentiment = signals::sentiment(&text);
    let mut actions = Vec::new();
    if state.interest.is_none() && looks_like_a_question(&text) {
        state.interest = Some(clip(&text, 200));
    }

    let mut found = signals::details(&text);
    if found.name.is_none() && (found.email.is_some() || found.phone.is_some()) {
        found.name = turn.known_name.clone();
    }
    let mut known = Details { name: state.name.take(), email: state.email.take(), phone: state.phone.take() };
    known.merge(found);
    (state.name, state.email, state.phone) = (known.name.clone(), known.email.clone(), known.phone.clone());
    if !state.lead_captured && (known.email.is_some() || known.phone.is_some()) {
        state.lead_captured = true;
        actions.push(Action::CaptureLead {
            name: known.name.clone(),
            email: known.email.clone(),
            phone: known.phone.clone(),
            interest: state.interest.clone(),
        });
    }

    if signals::wants_a_person(&text) {
        actions.push(Action::Escalate { reason: "The visitor asked for a person".to_owned() });
        actions.push(Action::Reply { text: HANDOFF.to_owned(), confidence: 1.0 });
        return Ok(Decision { actions, sentiment });
    }
    if sentiment <= CLEARLY_NEGATIVE {
        actions.push(Action::Escalate { reason: "The visitor is upset".to_owned() });
        actions.push(Action::Reply { text: APOLOGY.to_owned(), confidence: 1.0 });
        return Ok(Decision { actions, sentiment });
    }

    if !state.appointment_requested
        && let Some(reply) = booking_turn(&text, &turn.services, &known, state, &mut actions)
    {
        actions.push(Action::Reply { text: reply, confidence: 0.9 });
        return Ok(Decision { actions, sentiment });
    }

    if let Some(reply) = small_talk(&text) {
        actions.push(Action::Reply { text: reply.to_owned(), confidence: 1.0 });
        return Ok(Decision { actions, sentiment });
    }

    let mut input = turn.reply_input;
    input.message = text;
    let draft = engine.reply(input).await?;
    if draft.low_confidence {
        state.low_confidence_streak += 1;
        if state.low_confidence_streak >= 2 {
            actions.push(Action::Escalate { reason: "Two answers in a row were guesses".to_owned() });
            actions.push(Action::Reply { text: NOT_SURE.to_owned(), confidence: 1.0 });
            return Ok(Decision { actions, sentiment });
        }
        // A guess sent to a visitor does more harm than a short wait.
        actions.push(Action::Reply { text: HOLD.to_owned(), confidence: draft.confidence });
        return Ok(Decision { actions, sentiment });
    }
    state.low_confidence_streak = 0;
    actions.push(Action::Reply { text: draft.reply, confidence: draft.confidence });
    Ok(Decision { actions, sentiment })
}

/// A booking wish, or the missing part of one asked for before: records the request once
/// it has a service or a time, else asks for them. `None` when the turn is not about
/// booking.
fn booking_turn(
    text: &str,
    services: &[String],
    known: &Details,
    state: &mut AgentState,
    actions: &mut Vec<Action>,
) -> Option<String> {
    let wish: Option<Booking> = signals::booking(text, services);
    let pending = state.booking.take();
    let (service, time) = match (wish, pending) {
        (Some(b), pending) => {
            let p = pending.unwrap_or_default();
            (b.service.or(p.service), b.preferred_time.or(p.preferred_time))
        }
        (None, Some(p)) => {
            // The answer to "which service, and when?".
            let follow = signals::booking(&format!("book {text}"), services).unwrap_or_default();
            if follow.service.is_none() && follow.preferred_time.is_none() {
                state.booking = None;
                return None;
            }
            (follow.service.or(p.service), follow.preferred_time.or(p.preferred_time))
        }
        (None, None) => return None,
    };
    // "Can I book one?" after asking about a colour: the service asked about before.
    let service = service.or_else(|| {
        let asked = state.interest.as_deref()?.to_lowercase();
        services.iter().find(|s| asked.contains(s.as_str())).cloned()
    });
    match (&service, &time) {
        (Some(service), time) => {
            state.appointment_requested = true;
            actions.push(Action::RequestAppointment {
                service: service.clone(),
                preferred_time: time.clone(),
                name: known.name.clone(),
                phone: known.phone.clone(),
            });
            let when = time.as_deref().map(|t| format!(" for {t}")).unwrap_or_default();
            let who = known.name.as_deref().map(|n| format!(", {}", first_word(n))).unwrap_or_default();
            Some(format!(
                "Thanks{who}! I've asked the team to book your {service}{when} — they'll confirm here shortly."
            ))
        }
        (None, time) => {
            state.booking = Some(PendingBooking { service: None, preferred_time: time.clone() });
            Some(match time {
                Some(t) => format!("Sure — which service would you like for {t}?"),
                None => {
                    "Happy to book you in — which service would you like, and what day and time suit you?".to_owned()
                }
            })
        }
    }
}

/// Greetings and thanks need no search.
fn small_talk(text: &str) -> Option<&'static str> {
    const GREETINGS: &[&str] = &["morning", "afternoon", "evening", "good", "there"];
    const THANKS: &[&str] =
        &["thank", "thx", "ok", "okay", "great", "cool", "perfect", "awesome", "bye", "see", "later", "cheer"];
    // The lists go through the same folding as the text ("morning" becomes "morn").
    let fold = |list: &[&str]| list.iter().flat_map(|w| super::text::terms(w)).collect::<Vec<String>>();
    let (greetings, thanks) = (fold(GREETINGS), fold(THANKS));
    let words = super::text::terms(text);
    // "Thank you so much!" is thanks; "Thanks, how much is a filling?" is a question.
    let thanked = !text.contains('?')
        && words.len() <= 6
        && words.iter().any(|w| matches!(w.as_str(), "thank" | "thx" | "appreciate" | "appreciated"));
    if words.iter().all(|w| greetings.contains(w)) {
        Some("Hi! How can I help you today?")
    } else if thanked || words.iter().all(|w| thanks.contains(w) || greetings.contains(w)) {
        Some("You're welcome! Anything else I can help with?")
    } else {
        None
    }
}

fn looks_like_a_question(text: &str) -> bool {
    text.contains('?')
        || ["how", "what", "when", "where", "do you", "can i", "is there", "are you"]
            .iter()
            .any(|w| text.to_lowercase().starts_with(w))
}

fn first_word(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max { text.to_owned() } else { text.chars().take(max).collect::<String>() + "…" }
}

/// The services a business offers, read from its price lines ("Men's haircut — $30"):
/// what booking requests are matched against.
pub fn services(passages: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for line in passages.iter().flat_map(|p| p.lines()) {
        let line = line.trim().trim_start_matches(['*', '-', '•']).trim();
        let Some(cut) = line.find(['$', '€', '£']) else { continue };
        let name = line[..cut].split([':', '—', '–']).next().unwrap_or("").trim_end_matches([' ', '-', ',']).trim();
        if !name.is_empty() && name.split_whitespace().count() <= 4 {
            let name = name.to_lowercase();
            // "men's haircut" is also asked for as "haircut".
            let short = name.rsplit(' ').next().unwrap_or(&name).to_owned();
            for n in [name, short] {
                if !found.contains(&n) {
                    found.push(n);
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::{Action, Decision, WINDOW_CLOSED, small_talk};

    #[test]
    fn outside_the_window_the_agent_records_and_hands_over_but_never_replies() {
        let reply = Action::Reply { text: "We open at 9".into(), confidence: 0.9 };
        let lead = Action::CaptureLead { name: None, email: None, phone: Some("+15550100".into()), interest: None };
        let closed = Decision { actions: vec![lead.clone(), reply.clone()], sentiment: 0.0 }.without_replies();
        assert_eq!(closed.actions, vec![lead, Action::Escalate { reason: WINDOW_CLOSED.into() }]);
        let upset = Action::Escalate { reason: "The visitor is upset".into() };
        let closed = Decision { actions: vec![upset.clone(), reply], sentiment: -0.8 }.without_replies();
        assert_eq!(closed.actions, vec![upset], "one hand-over, with the reason it had");
    }

    #[test]
    fn thanks_and_greetings_are_told_from_questions() {
        for thanks in
            ["Great, thank you so much!", "Thanks a lot", "ok thx", "Perfect, thanks again!", "I appreciate it"]
        {
            assert_eq!(small_talk(thanks), Some("You're welcome! Anything else I can help with?"), "{thanks}");
        }
        assert_eq!(small_talk("Good morning"), Some("Hi! How can I help you today?"));
        for question in
            ["Thanks, how much is a filling?", "How much?", "Thank you. Can I bring my son too and what does it cost?"]
        {
            assert_eq!(small_talk(question), None, "{question}");
        }
    }
}
