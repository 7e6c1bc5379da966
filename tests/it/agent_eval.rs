//! The AI agent's evaluation. `the_agent_meets_its_precision_and_recall_floors`: the first
//! salon table, kept as a regression guard. `businesses_the_rules_were_not_written_for`
//! (in `agent_eval/dataset.rs`): 500 conversations over ten businesses' own web pages
//! (`tests/agent_eval/`), two of them hold-outs; with `UPDATE_EVAL=1` its figures are
//! written to docs/ai-evaluation.md. `agent_eval/misreads.rs`: messages a review found the
//! agent misreading, at the tuned-on businesses.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

#[path = "../agent_eval/dataset.rs"]
mod dataset;
#[path = "../agent_eval/misreads.rs"]
mod misreads;

use switchboard_ai::ReplyInput;
use switchboard_ai::agent::{Action, AgentState, Turn, decide};
use switchboard_api::KnowledgeEntry;
use switchboard_server::webhooks::ssrf::TargetPolicy;

/// The floors the figures must stay above.
const MIN_PRECISION: f64 = 0.85;
const MIN_RECALL: f64 = 0.8;

struct Case {
    messages: &'static [&'static str],
    lead: bool,
    appointment: bool,
    escalation: bool,
}

const fn case(messages: &'static [&'static str], lead: bool, appointment: bool, escalation: bool) -> Case {
    Case { messages, lead, appointment, escalation }
}

#[rustfmt::skip]
const CASES: &[Case] = &[
    // Questions the knowledge answers: nothing to record, nobody to call.
    case(&["What are your opening hours?"], false, false, false),
    case(&["How much is a women's haircut?"], false, false, false),
    case(&["Where are you located?"], false, false, false),
    case(&["Is parking available?"], false, false, false),
    case(&["How do I book online?"], false, false, false),
    case(&["Do you take walk-ins?"], false, false, false),
    case(&["What's the price of a colour?"], false, false, false),
    case(&["How long does a men's haircut take?"], false, false, false),
    case(&["Hello", "How much is a beard trim?"], false, false, false),
    case(&["hi"], false, false, false),
    case(&["Thanks, that's perfect!"], false, false, false),
    case(&["Not bad, thanks for the info"], false, false, false),
    // A cancellation is handed to a person, who changes the calendar (the reason says so).
    case(&["I need to cancel my appointment on Monday"], false, false, true),
    case(&["I'll be late for my 3pm appointment"], false, false, false),
    case(&["Is the salon open on Sundays?"], false, false, false),
    case(&["I love this place, see you Friday!"], false, false, false),
    case(&["Do you have availability this week?"], false, false, false),
    case(&["Hey I'm Chris. What's the cost of a kids haircut?"], false, false, false),
    case(&["How much is a facial?", "Ok"], false, false, false),
    // Contact details given, in passing or on purpose.
    case(&["Hi, how much is a haircut?", "Great, I'm Ana, my number is +1 415 555 0101"], true, false, false),
    case(&["Do you do beard trims?", "ok my email is tom.b@example.com, send me the prices"], true, false, false),
    case(&["Hello! This is Priya Shah, can you email me at priya.shah@example.org about colour?"], true, false, false),
    case(&["Please email me the price list: dana@example.net"], true, false, false),
    case(&["Could you send the details to +1 (212) 555-0199? Thanks!"], true, false, false),
    case(&["What time do you close on Saturday? My number is 07700 900456 if you need it"], true, false, false),
    // Booking requests.
    case(&["Can I book a haircut for Friday at 3pm? I'm Marco, 415-555-0144"], true, true, false),
    case(&["I'd like to book an appointment", "A beard trim please"], false, true, false),
    case(&["I'd like to book an appointment", "tomorrow at 10am", "haircut"], false, true, false),
    case(&["My name is Lucia and I'd like a facial appointment next Tuesday morning, my phone is 555 201 7788"], true, true, false),
    case(&["Book me in for a haircut on Saturday", "I'm Jo, 07700 900123"], true, true, false),
    case(&["I'd like to schedule a colour for next week", "sam@example.com"], true, true, false),
    case(&["reserve a slot for a beard trim at 5pm today please"], false, true, false),
    case(&["Can I get an appointment for a facial tomorrow afternoon?"], false, true, false),
    case(&["I'd like to book", "Saturday"], false, false, false),
    case(&["How much is a colour?", "Great, can I book one for Thursday at 11am?"], false, true, false),
    // A call back asked for: the number is a lead for the team, no hand-over.
    case(&["Can you call me back on +44 20 7946 0958?"], true, false, false),
    // Hand-overs: asked for, upset, or out of the knowledge twice.
    case(&["Can I talk to a real person?"], false, false, true),
    case(&["This is the worst service ever, I'm furious"], false, false, true),
    case(&["Do you sell gift cards?", "What about loyalty points?"], false, false, true),
    case(&["I was charged twice, I want a refund now!!"], false, false, true),
    case(&["Your receptionist was rude to me yesterday"], false, false, true),
    case(&["Can I speak to the manager?"], false, false, true),

    case(&["I'm not happy with my haircut"], false, false, true),
    case(&["I want to complain about the noise"], false, false, true),
    case(&["What products do you use?", "Do you offer student discounts?"], false, false, true),
    case(&["URGENT!!! nobody answered my calls all day"], false, false, true),
    case(&["I want to speak to a human, not a bot"], false, false, true),
];

fn knowledge() -> Vec<KnowledgeEntry> {
    let entry = |title: &str, body: &str| KnowledgeEntry {
        id: format!("kn_{title}"),
        title: title.to_owned(),
        body: body.to_owned(),
        url: None,
        imported: false,
        created_at: "2026-01-01T00:00:00.000Z".to_owned(),
        updated_at: "2026-01-01T00:00:00.000Z".to_owned(),
        seq: 1,
    };
    vec![
        entry(
            "Prices",
            "Men's haircut — $30, 30 minutes\nWomen's haircut — $45, 45 minutes\nKids haircut — $20, 20 minutes\n\
             Beard trim — $15, 15 minutes\nColour — $80, 90 minutes\nFacial — $60, 50 minutes",
        ),
        entry("Opening hours", "Opening hours: Monday to Friday 9am to 6pm\nSaturday 10am to 4pm\nClosed on Sundays"),
        entry("Location", "We are located at 12 Elm Street, downtown, next to the library."),
        entry("Parking", "Parking is free behind the building."),
        entry(
            "Booking",
            "Book online at glow.example/book or message us here.\nWalk-ins welcome when a chair is free.",
        ),
        entry("Cancellations", "Cancel or reschedule free of charge up to 24 hours before your appointment."),
    ]
}

#[derive(Default, Debug, Clone)]
struct Tally {
    pub tp: u32,
    pub fp: u32,
    pub fn_: u32,
}

impl Tally {
    fn add(&mut self, expected: bool, got: bool) {
        match (expected, got) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => {}
        }
    }
    fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 { 1.0 } else { f64::from(self.tp) / f64::from(self.tp + self.fp) }
    }
    fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 { 1.0 } else { f64::from(self.tp) / f64::from(self.tp + self.fn_) }
    }
}

#[tokio::test]
async fn the_agent_meets_its_precision_and_recall_floors() {
    assert!(CASES.len() >= 40);
    let engine = switchboard_server::ai::engine(TargetPolicy::default(), None).unwrap();
    let knowledge = knowledge();
    let (mut leads, mut appointments, mut escalations) = (Tally::default(), Tally::default(), Tally::default());
    let mut misses = Vec::new();
    for case in CASES {
        let mut state = AgentState::default();
        let (mut lead, mut appointment, mut escalation) = (false, false, false);
        for message in case.messages {
            let turn = Turn {
                message: (*message).to_owned(),
                reply_input: ReplyInput { knowledge: knowledge.clone(), ..Default::default() },
                known_name: None,
                now: None,
                region: Some("US".to_owned()),
                zone: None,
            };
            let decision = decide(&engine, turn, &mut state).await.unwrap();
            for action in &decision.actions {
                match action {
                    Action::CaptureLead { .. } => lead = true,
                    Action::RequestAppointment { .. } => appointment = true,
                    Action::Escalate { .. } => escalation = true,
                    Action::Reply { text, .. } => assert!(!text.is_empty()),
                    Action::UpdateAppointment { .. } => assert!(appointment, "updates a recorded request"),
                    Action::ChangeAppointment { .. } => {}
                }
            }
            if escalation {
                break;
            }
        }
        leads.add(case.lead, lead);
        appointments.add(case.appointment, appointment);
        escalations.add(case.escalation, escalation);
        if (lead, appointment, escalation) != (case.lead, case.appointment, case.escalation) {
            misses.push(format!(
                "{:?}: lead {lead} (want {}), appointment {appointment} (want {}), escalation {escalation} (want {})",
                case.messages, case.lead, case.appointment, case.escalation
            ));
        }
    }
    let rows = [("lead captured", &leads), ("appointment requested", &appointments), ("escalated", &escalations)];
    let mut table = String::from(
        "| detection | precision | recall | true + | false + | missed |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for (name, t) in rows {
        table.push_str(&format!(
            "| {name} | {:.2} | {:.2} | {} | {} | {} |\n",
            t.precision(),
            t.recall(),
            t.tp,
            t.fp,
            t.fn_
        ));
    }
    println!("{table}\n{}", misses.join("\n"));
    for (name, t) in rows {
        assert!(t.precision() >= MIN_PRECISION, "{name} precision {:.2}\n{}", t.precision(), misses.join("\n"));
        assert!(t.recall() >= MIN_RECALL, "{name} recall {:.2}\n{}", t.recall(), misses.join("\n"));
    }
}
