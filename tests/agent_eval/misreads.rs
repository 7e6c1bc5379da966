//! Messages a review of the agent found it misreading at the tuned-on businesses, each
//! with what must (not) happen: ordinary questions handed over as urgent, a past visit
//! booked again, a call back swallowing an emergency or a booking's details, a price
//! answered and the question beside it dropped; and pages in Spanish, French and
//! Indonesian read for what they say (a price per column, a late day, a warning sign).

use switchboard_ai::ReplyInput;
use switchboard_ai::agent::{Action, AgentState, Turn, decide};
use switchboard_server::webhooks::ssrf::TargetPolicy;

/// Every turn's actions for `messages` written to `folder`'s business.
async fn conversation(folder: &str, messages: &[&str]) -> Vec<Vec<Action>> {
    let engine = switchboard_server::ai::engine(TargetPolicy::default(), None).unwrap();
    let (knowledge, region) = super::dataset::knowledge_of(folder);
    let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap().and_hms_opt(10, 0, 0).unwrap();
    let mut state = AgentState::default();
    let mut turns = Vec::new();
    for message in messages {
        let turn = Turn {
            message: (*message).to_owned(),
            reply_input: ReplyInput { knowledge: knowledge.clone(), ..Default::default() },
            known_name: None,
            now: Some(now),
            region: Some(region.clone()),
            zone: None,
        };
        turns.push(decide(&engine, turn, &mut state).await.unwrap().actions);
    }
    turns
}

fn escalates(actions: &[Action]) -> bool {
    actions.iter().any(|a| matches!(a, Action::Escalate { .. }))
}

fn books(actions: &[Action]) -> bool {
    actions.iter().any(|a| matches!(a, Action::RequestAppointment { .. }))
}

fn replies(actions: &[Action]) -> String {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Reply { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn ordinary_questions_are_not_urgent_because_the_page_lists_warning_signs() {
    for (folder, message) in [
        ("physio", "I've had lower back pain for a few weeks, can I book a sports massage?"),
        ("physio", "is this service not available on weekends?"),
        ("vet", "my cat has fleas, do you need to see her?"),
        ("garage", "can you check my brake light?"),
        ("garage", "my check engine light is on, can I bring it in tomorrow?"),
        ("dental", "is the dental cleaning 45 min?"),
        ("dental", "can I whatsapp you to book a slot?"),
    ] {
        let turns = conversation(folder, &[message]).await;
        assert!(!escalates(&turns[0]), "{folder}: {message:?} → {:?}", turns[0]);
    }
    // The page's own signs still are.
    let turns = conversation("garage", &["my brake pedal goes soft and sinks to the floor"]).await;
    assert!(escalates(&turns[0]), "{:?}", turns[0]);
}

#[tokio::test]
async fn a_visit_that_happened_is_not_booked_again() {
    for (folder, message) in [
        ("salon", "thanks for the corte feminino yesterday"),
        ("physio", "I had a sports massage with you last week, still a bit sore"),
        ("garage", "my son got an oil change there yesterday"),
    ] {
        let turns = conversation(folder, &[message]).await;
        assert!(!books(&turns[0]), "{folder}: {message:?} → {:?}", turns[0]);
    }
}

#[tokio::test]
async fn a_call_back_never_swallows_an_emergency_a_complaint_or_a_booking() {
    let turns = conversation("vet", &["my dog ate rat poison, call me back on 0491 570 313"]).await;
    assert!(escalates(&turns[0]), "urgent first: {:?}", turns[0]);
    let turns = conversation("garage", &["This is the worst service ever, I'm furious, call me on 646-555-0110"]).await;
    assert!(escalates(&turns[0]), "upset first: {:?}", turns[0]);

    // In a booking, "call me on …" gives the booking its number.
    let turns =
        conversation("physio", &["I'd like a sports massage", "Friday at 3pm", "Sam Reyes, call me on 07700 900123"])
            .await;
    let completed = turns[2].iter().any(|a| {
        matches!(a, Action::UpdateAppointment { name: Some(n), phone: Some(p), .. } if n == "Sam Reyes" && p == "+447700900123")
    });
    assert!(completed, "{:?}", turns[2]);

    // A call back asked for first, then a booking: the booking takes the number.
    let turns = conversation(
        "physio",
        &["can someone call me back", "can I book a sports massage friday at 3pm?", "Sam Reyes 07700 900123"],
    )
    .await;
    assert!(replies(&turns[0]).contains("phone number"), "{:?}", turns[0]);
    let completed = turns[2].iter().any(|a| matches!(a, Action::UpdateAppointment { phone: Some(_), .. }));
    assert!(completed, "{:?}", turns[2]);

    // "Don't call me" is no call back, and a call back asked for once the lead was taken
    // reaches a person, the only way left to tell the team.
    let turns = conversation("salon", &["não precisa ligar, eu passo aí sábado. Ana 11 98222-4455"]).await;
    assert!(!replies(&turns[0]).contains("Passei seu número"), "{:?}", turns[0]);
    let turns = conversation("physio", &["Dan 07700 900417", "can you call me back please?"]).await;
    assert!(escalates(&turns[1]), "{:?}", turns[1]);
    // Asked with a question in the same sentence: answered, not only asked for a number.
    let turns = conversation("physio", &["How much is a sports massage. Please call me"]).await;
    assert!(!replies(&turns[0]).contains("phone number"), "{:?}", turns[0]);
}

#[tokio::test]
async fn a_price_and_another_question_in_one_message_get_both_answers() {
    let turns = conversation("vet", &["how much is puppy school and when is it on?"]).await;
    let said = replies(&turns[0]);
    assert!(said.contains("180") && said.contains("6:30pm"), "{said}");
    let turns = conversation("physio", &["how much is a sports massage and where are you?"]).await;
    let said = replies(&turns[0]);
    assert!(said.contains("48") && said.contains("Fernbank Road"), "{said}");
}

#[tokio::test]
async fn pages_in_other_languages_are_read_for_prices_columns_hours_and_signs() {
    // A service described, not named, priced for the size the visitor gives.
    let turns = conversation(
        "grooming",
        &["Mi perrita tiene dermatitis y el veterinario le mandó un shampoo especial, cuánto cuesta para una beagle mediana?"],
    )
    .await;
    let said = replies(&turns[0]);
    assert!(said.contains("490") && !said.contains("360"), "the medicated bath, medium size: {said}");
    // A late day written on its own line.
    let turns = conversation("beauty", &["vs fermez a quelle heure le jeudi ?"]).await;
    assert!(replies(&turns[0]).contains("21h"), "{:?}", turns[0]);
    // Chat Indonesian is Indonesian, answered, not handed over as a language the agent lacks.
    let turns = conversation("motorbike", &["ada layanan jemput motor ke rumah gk kak? sy di kebayoran baru jg"]).await;
    assert!(!escalates(&turns[0]), "{:?}", turns[0]);
    // A warning sign of the page's own, in the visitor's words.
    let turns = conversation("grooming", &["mi perro está vomitando y le cuesta respirar después del baño"]).await;
    assert!(escalates(&turns[0]), "{:?}", turns[0]);
    // A question about the booking rules is no booking.
    let turns = conversation("grooming", &["si cancelo la cita con poco tiempo me cobran algo?"]).await;
    assert!(!books(&turns[0]) && replies(&turns[0]).contains("200"), "{:?}", turns[0]);
}
