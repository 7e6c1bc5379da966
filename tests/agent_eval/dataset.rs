//! The agent over businesses' own web pages (`tests/agent_eval/<business>/`): each page
//! read into knowledge entries as the import reads it, each conversation run turn by turn
//! in the business's local time and region, and scored as a person would: facts stated,
//! lead and appointment fields right, hand-overs when and only when due, and no number in
//! a reply that the knowledge and the visitor did not give. The business marked
//! `holdout` (the optician, the podiatry clinic) are never used for tuning and are
//! reported apart, in figures only: their conversations are listed only with
//! `EVAL_HOLDOUT_MISSES=1`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;
use switchboard_ai::agent::{Action, AgentState, Turn, decide};
use switchboard_ai::import::sections;
use switchboard_ai::{AiEngine, ReplyInput};
use switchboard_api::KnowledgeEntry;
use switchboard_server::ModelSettings;
use switchboard_server::webhooks::ssrf::TargetPolicy;
use switchboard_tests::model::{Answer, ModelStandIn};

use super::Tally;

#[derive(Deserialize)]
struct Business {
    business: String,
    region: String,
    holdout: bool,
    now: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    id: String,
    lang: String,
    messages: Vec<String>,
    expect: Expect,
}

#[derive(Deserialize)]
struct Expect {
    #[serde(default)]
    facts: Vec<String>,
    #[serde(default)]
    must_not: Vec<String>,
    lead: Option<Lead>,
    appointment: Option<Appointment>,
    escalate: String,
    change: Option<String>,
}

#[derive(Deserialize)]
struct Lead {
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

#[derive(Deserialize)]
struct Appointment {
    service: String,
    date: Option<String>,
    hour: Option<u32>,
    minute: Option<u32>,
    name: Option<String>,
    phone: Option<String>,
}

/// The figures for one group of conversations (the tuned businesses, a hold-out, or the
/// hold-outs together).
#[derive(Default, Clone)]
struct Score {
    conversations: usize,
    facts: (usize, usize),
    lead_fields: (usize, usize),
    appointments: (usize, usize),
    appointments_all_fields: usize,
    escalation: Tally,
    urgent_explicit: (usize, usize),
    changes: (usize, usize),
    wrong_numbers: usize,
    /// Booking requests recorded where none was asked for.
    unasked_appointments: usize,
    replies: usize,
    by_lang: BTreeMap<String, (usize, usize)>,
    misses: Vec<String>,
}

fn ratio((a, b): (usize, usize)) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn same(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Numbers in `text` (prices, times, counts) as digit runs.
fn numbers(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .map(|n| n.trim_start_matches('0').to_owned())
        .collect()
}

/// A business's page read into knowledge entries by heading, as the import reads it, and
/// its region.
pub(super) fn knowledge_of(folder: &str) -> (Vec<KnowledgeEntry>, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("agent_eval").join(folder);
    let business: Business = serde_json::from_str(&std::fs::read_to_string(dir.join("cases.json")).unwrap()).unwrap();
    assert!(!business.holdout, "the hold-out is only run whole, to report it");
    (page_knowledge(&dir, &business), business.region)
}

fn page_knowledge(dir: &Path, business: &Business) -> Vec<KnowledgeEntry> {
    let html = std::fs::read_to_string(dir.join("page.html")).unwrap();
    sections(&html, &business.business)
        .into_iter()
        .enumerate()
        .map(|(i, s)| KnowledgeEntry {
            id: format!("kn_{i}"),
            title: s.title,
            body: s.body,
            url: None,
            imported: false,
            created_at: "2026-01-01T00:00:00.000Z".to_owned(),
            updated_at: "2026-01-01T00:00:00.000Z".to_owned(),
            seq: 1,
        })
        .collect()
}

async fn run(dir: &Path, engine: &AiEngine, score: &mut Score) -> (String, bool) {
    let business: Business = serde_json::from_str(&std::fs::read_to_string(dir.join("cases.json")).unwrap()).unwrap();
    let knowledge = page_knowledge(dir, &business);
    let known_numbers: Vec<String> =
        knowledge.iter().flat_map(|k| numbers(&format!("{} {}", k.title, k.body))).collect();
    let now = chrono::NaiveDateTime::parse_from_str(&business.now, "%Y-%m-%dT%H:%M:%S").unwrap();
    for case in &business.cases {
        score.conversations += 1;
        let mut state = AgentState::default();
        let mut replies = Vec::new();
        let (mut lead, mut appointment, mut escalated) = (None, None, false);
        for message in &case.messages {
            let turn = Turn {
                message: message.clone(),
                reply_input: ReplyInput { knowledge: knowledge.clone(), ..Default::default() },
                known_name: None,
                now: Some(now),
                region: Some(business.region.clone()),
                zone: None,
            };
            let decision = decide(engine, turn, &mut state).await.unwrap();
            // `EVAL_TRACE=vet-020` shows one conversation's turns, to see why it went wrong.
            if std::env::var("EVAL_TRACE").is_ok_and(|id| id == case.id) {
                eprintln!("{message:?}\n  → {:?}", decision.actions);
            }
            for action in decision.actions {
                match action {
                    Action::Reply { text, .. } => replies.push(text),
                    Action::CaptureLead { name, email, phone, .. } => lead = Some((name, email, phone)),
                    Action::RequestAppointment { service, preferred_time, name, phone, .. } => {
                        appointment = Some((service, preferred_time, name, phone))
                    }
                    Action::Escalate { .. } => escalated = true,
                    Action::ChangeAppointment { .. } => {}
                    Action::UpdateAppointment { service, preferred_time, name, phone, .. } => {
                        if let Some(a) = appointment.as_mut() {
                            a.0 = service;
                            a.1 = preferred_time.or(a.1.take());
                            a.2 = name.or(a.2.take());
                            a.3 = phone.or(a.3.take());
                        }
                    }
                }
            }
            if escalated {
                break;
            }
        }
        let said = replies.join("\n");
        let lower = said.to_lowercase();
        let mut ok = true;
        let mut why = Vec::new();

        // Facts: every expected one stated, nothing it must not say.
        let facts_right = case.expect.facts.iter().all(|f| lower.contains(&f.to_lowercase()))
            && !case.expect.must_not.iter().any(|f| lower.contains(&f.to_lowercase()));
        if !case.expect.facts.is_empty() || !case.expect.must_not.is_empty() {
            score.facts.1 += 1;
            if facts_right {
                score.facts.0 += 1;
            } else {
                ok = false;
                why.push("facts".to_owned());
            }
        }

        // Lead fields.
        if let Some(want) = &case.expect.lead {
            let got = lead.clone().unwrap_or_default();
            for (w, g) in [(&want.name, &got.0), (&want.email, &got.1), (&want.phone, &got.2)] {
                if let Some(w) = w {
                    score.lead_fields.1 += 1;
                    if g.as_deref().is_some_and(|g| same(g, w)) {
                        score.lead_fields.0 += 1;
                    } else {
                        ok = false;
                        why.push(format!("lead {w:?} got {g:?}"));
                    }
                }
            }
        } else if lead.is_some() {
            ok = false;
            why.push("a lead nobody gave".to_owned());
        }

        // Appointments: recorded, and with all four fields right.
        match (&case.expect.appointment, &appointment) {
            (Some(want), got) => {
                score.appointments.1 += 1;
                if let Some((service, time, name, phone)) = got {
                    score.appointments.0 += 1;
                    let time = time.clone().unwrap_or_default();
                    let date_ok = want.date.as_ref().is_none_or(|d| time.starts_with(d.as_str()));
                    let clock = want.hour.map(|h| format!("T{h:02}:{:02}", want.minute.unwrap_or(0)));
                    let hour_ok = clock.as_ref().is_none_or(|c| time.contains(c.as_str()));
                    let fields = same(service, &want.service)
                        && date_ok
                        && hour_ok
                        && want.name.as_ref().is_none_or(|n| name.as_deref().is_some_and(|g| same(g, n)))
                        && want.phone.as_ref().is_none_or(|p| phone.as_deref() == Some(p.as_str()));
                    if fields {
                        score.appointments_all_fields += 1;
                    } else {
                        ok = false;
                        why.push(format!("appointment {service:?} {time:?} {name:?} {phone:?}"));
                    }
                } else {
                    ok = false;
                    why.push("no appointment".to_owned());
                }
            }
            (None, Some(got)) => {
                ok = false;
                score.unasked_appointments += 1;
                why.push(format!("an appointment nobody asked for: {got:?}"));
            }
            (None, None) => {}
        }

        // Hand-overs. A change to a booking goes to a person too; it is counted apart.
        if let Some(change) = &case.expect.change {
            score.changes.1 += 1;
            if escalated {
                score.changes.0 += 1;
            } else {
                ok = false;
                why.push(format!("{change} not passed on"));
            }
        } else {
            let want = case.expect.escalate != "none";
            score.escalation.add(want, escalated);
            if matches!(case.expect.escalate.as_str(), "urgent" | "explicit") {
                score.urgent_explicit.1 += 1;
                score.urgent_explicit.0 += usize::from(escalated);
            }
            if want != escalated {
                ok = false;
                why.push(format!("escalated {escalated}, want {}", case.expect.escalate));
            }
        }

        // Numbers the knowledge and the visitor did not give.
        score.replies += replies.len();
        let given: Vec<String> = case.messages.iter().flat_map(|m| numbers(m)).collect();
        for reply in &replies {
            let invented = numbers(reply).into_iter().any(|n| {
                !n.is_empty() && !known_numbers.contains(&n) && !given.contains(&n) && !reply.contains("2026-")
            });
            if invented {
                score.wrong_numbers += 1;
                ok = false;
                why.push(format!("a number from nowhere: {reply:?}"));
            }
        }

        let lang = score.by_lang.entry(case.lang.clone()).or_default();
        lang.1 += 1;
        lang.0 += usize::from(ok);
        if !ok {
            score.misses.push(format!("{} {:?} → {:?}: {}", case.id, case.messages, replies, why.join("; ")));
        }
    }
    (business.business, business.holdout)
}

fn row(name: &str, s: &Score) -> String {
    let lang = s.by_lang.iter().map(|(l, c)| format!("{l} {:.2}", ratio(*c))).collect::<Vec<_>>().join(", ");
    format!(
        "| {name} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {} | {:.2} / {:.2} | {:.2} | {:.2} | {} | {lang} |\n",
        s.conversations,
        ratio(s.facts),
        ratio(s.lead_fields),
        ratio(s.appointments),
        ratio((s.appointments_all_fields, s.appointments.1)),
        s.unasked_appointments,
        s.escalation.precision(),
        s.escalation.recall(),
        ratio(s.urgent_explicit),
        ratio(s.changes),
        s.wrong_numbers,
    )
}

/// Every business's conversations through `engine`, scored: the tuned-on ones together,
/// each hold-out apart (by name) and the hold-outs together, and the businesses' names.
struct Evaluation {
    tuned: Score,
    holdouts: Vec<(String, Score)>,
    holdout: Score,
    names: Vec<String>,
}

async fn evaluate(engine: &AiEngine) -> Evaluation {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("agent_eval");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("cases.json").exists())
        .collect();
    dirs.sort();
    let mut out =
        Evaluation { tuned: Score::default(), holdouts: Vec::new(), holdout: Score::default(), names: Vec::new() };
    for dir in &dirs {
        let mut one = Score::default();
        let (name, is_holdout) = run(dir, engine, &mut one).await;
        if is_holdout {
            out.holdouts.push((name.clone(), one.clone()));
            merge(&mut out.holdout, one);
        } else {
            merge(&mut out.tuned, one);
        }
        out.names.push(format!("{name}{}", if is_holdout { " (hold-out)" } else { "" }));
    }
    out
}

/// The table's rows for one engine: the tuned-on businesses, each hold-out, and the
/// hold-outs together.
fn rows(engine: &str, e: &Evaluation) -> String {
    let mut out = row(&format!("{engine} | tuned on"), &e.tuned);
    for (name, s) in &e.holdouts {
        out.push_str(&row(&format!("{engine} | hold-out: {name}"), s));
    }
    out.push_str(&row(&format!("{engine} | hold-outs together"), &e.holdout));
    out
}

/// The stand-in model of the evaluation: it quotes the first two sentences of the best
/// source it is shown, cited, and calls no tool — retrieval-augmented answering at its
/// plainest, so the model path's own parts (the passages chosen, the citation and number
/// checks, the hand-over and lead safety net) are measured, not a model's judgement.
fn quoting_model(request: &Value) -> Answer {
    let system = request["messages"][0]["content"].as_str().unwrap_or_default();
    let best = system
        .split_once("Sources:\n[1] ")
        .map(|(_, rest)| rest.split("\n\n[2] ").next().unwrap_or(rest))
        .and_then(|source| source.split_once(": ").map(|(_, text)| text));
    match best {
        Some(text) => {
            let sentences: Vec<&str> = text.split_inclusive(['.', '!', '?', '\n']).take(2).collect();
            Answer::Say(format!("{} [1]", sentences.concat().trim()))
        }
        None => Answer::Say("Let me check that with the team and get back to you.".into()),
    }
}

#[tokio::test]
async fn businesses_the_rules_were_not_written_for() {
    let engine = switchboard_server::ai::engine(TargetPolicy::default(), None).unwrap();
    let built_in = evaluate(&engine).await;
    let model = ModelStandIn::start(quoting_model).await;
    let settings = ModelSettings {
        base_url: model.base_url.clone(),
        model: "quoting stand-in".into(),
        api_key: None,
        timeout: std::time::Duration::from_secs(10),
    };
    let with_model = switchboard_server::ai::engine(TargetPolicy::default(), Some(settings)).unwrap();
    let modelled = evaluate(&with_model).await;
    let header = "| engine | group | conversations | facts | lead fields | appointments recorded | with all fields right | \
                  appointments nobody asked for | \
                  escalation precision / recall | urgent + explicit recall | booking changes passed on | \
                  numbers from nowhere | conversations right, by language |\n\
                  | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
    let table = format!("{header}{}{}", rows("built-in", &built_in), rows("stand-in model", &modelled));
    println!("{table}");
    let (tuned, holdout) = (&built_in.tuned, &built_in.holdout);
    // The hold-out's conversations stay unread unless asked for: reading them is how a
    // hold-out stops being one.
    let show_holdout = std::env::var_os("EVAL_HOLDOUT_MISSES").is_some();
    for m in tuned.misses.iter().chain(holdout.misses.iter().filter(|_| show_holdout)) {
        println!("{m}");
    }
    if std::env::var_os("UPDATE_EVAL").is_some() {
        write_doc(&built_in.names, &table, tuned, holdout);
    }
    assert!(model.count() > 0, "the model engine asked the stand-in");
    assert_eq!(modelled.tuned.wrong_numbers + modelled.holdout.wrong_numbers, 0, "the number check holds with a model");
    // Floors under the measured figures, per group: they catch a regression, they are not
    // the targets (issue 15's targets are in docs/ai-evaluation.md with where we stand).
    for (name, s, floors) in [("tuned", tuned, &TUNED_FLOORS), ("hold-out", holdout, &HOLDOUT_FLOORS)] {
        assert!(ratio(s.facts) >= floors.facts, "{name} facts {:.2}", ratio(s.facts));
        assert!(ratio(s.lead_fields) >= floors.lead_fields, "{name} lead fields {:.2}", ratio(s.lead_fields));
        assert!(ratio(s.appointments) >= floors.appointments, "{name} appointments {:.2}", ratio(s.appointments));
        assert!(
            s.unasked_appointments <= floors.unasked_appointments,
            "{name}: {} appointments nobody asked for",
            s.unasked_appointments
        );
        assert!(
            ratio(s.urgent_explicit) >= floors.urgent_explicit,
            "{name} urgent/explicit {:.2}",
            ratio(s.urgent_explicit)
        );
        assert!(
            s.escalation.precision() >= floors.escalation_precision,
            "{name} escalation precision {:.2}",
            s.escalation.precision()
        );
    }
}

struct Floors {
    facts: f64,
    unasked_appointments: usize,
    lead_fields: f64,
    appointments: f64,
    urgent_explicit: f64,
    escalation_precision: f64,
}

/// The businesses tuned on (eight since 2026-12-02, with the grooming salon, the beauty
/// institute and the motorbike workshop): measured 0.88, 0.99, 0.99, 1.00 and 0.98.
const TUNED_FLOORS: Floors = Floors {
    facts: 0.85,
    unasked_appointments: 1,
    lead_fields: 0.95,
    appointments: 0.95,
    urgent_explicit: 1.0,
    escalation_precision: 0.9,
};

/// The hold-outs together (the optician, and the Spanish-speaking podiatry clinic since
/// 2026-12-02): measured 0.67, 0.88, 0.80, 0.75 and 0.75, with 3 appointments nobody asked
/// for, when the podiatry clinic came; 0.71, 0.92, 0.85, 0.75 and 0.80 at the end of that
/// day.
const HOLDOUT_FLOORS: Floors = Floors {
    facts: 0.65,
    unasked_appointments: 4,
    lead_fields: 0.85,
    appointments: 0.8,
    urgent_explicit: 0.7,
    escalation_precision: 0.75,
};

fn merge(into: &mut Score, s: Score) {
    into.conversations += s.conversations;
    let add = |a: &mut (usize, usize), b: (usize, usize)| {
        a.0 += b.0;
        a.1 += b.1;
    };
    add(&mut into.facts, s.facts);
    add(&mut into.lead_fields, s.lead_fields);
    add(&mut into.appointments, s.appointments);
    into.appointments_all_fields += s.appointments_all_fields;
    into.escalation.tp += s.escalation.tp;
    into.escalation.fp += s.escalation.fp;
    into.escalation.fn_ += s.escalation.fn_;
    add(&mut into.urgent_explicit, s.urgent_explicit);
    add(&mut into.changes, s.changes);
    into.wrong_numbers += s.wrong_numbers;
    into.unasked_appointments += s.unasked_appointments;
    into.replies += s.replies;
    for (l, c) in s.by_lang {
        add(into.by_lang.entry(l).or_default(), c);
    }
    into.misses.extend(s.misses);
}

fn write_doc(names: &[String], table: &str, tuned: &Score, holdout: &Score) {
    let misses = |s: &Score| s.misses.iter().map(|m| format!("- {m}")).collect::<Vec<_>>().join("\n");
    let doc = format!(
        "# AI agent evaluation\n\n\
         Written by `UPDATE_EVAL=1 cargo nextest run --workspace --no-capture agent_eval::`. \
         {} conversations of {} businesses ({}), each business's \
         knowledge read from its own web page (`tests/agent_eval/<business>/page.html`) the way the import \
         splits a page, each conversation run in the business's local time and phone region. Two businesses \
         are hold-outs, reported apart: their conversations were written by helpers who had not seen the \
         agent at work, and they are not listed here (`EVAL_HOLDOUT_MISSES=1` prints them). The podiatry \
         clinic (a page in Spanish) came on 2026-12-02 and is unseen. The optician is not wholly unseen: \
         the helper's summary named a few of its messages (a bare \"agent\", a Malay request for the \
         staff, eye warning signs, a call-back request), and rules for Malay requests for a person were \
         added after reading it. The dental clinic was the hold-out until 2026-12-02, when its failures had \
         been read in this report.\n\n\
         Two engines: the built-in one (no model), and the model path with a stand-in that quotes the \
         first two sentences of the best source it is shown and calls no tool (retrieval-augmented \
         answering at its plainest: the passages chosen, the citation and number checks and the safety \
         net of hand-overs and leads are the server's; bookings need a model that calls \
         `request_appointment`, so it records none). A real model's figures depend on the model.\n\n{table}\n\
         How each figure is counted: *facts*, conversations whose replies hold every expected fact and none \
         of the wrong ones; *lead fields*, expected name, email and phone values captured exactly; \
         *appointments recorded*, booking conversations that recorded a request, and *with all fields right* \
         those with the service, the resolved date and time, the name and the phone all right; \
         *appointments nobody asked for*, conversations that recorded a request without asking for one; \
         *escalation*, over conversations that are not booking changes; *numbers from nowhere*, replies \
         holding a number neither the knowledge nor the visitor wrote.\n\n\
         Targets (issue 15, on businesses not tuned on): facts ≥ 0.90, lead fields ≥ 0.90, appointment \
         recall ≥ 0.9 with all four fields right, urgent and explicit recall 1.0 with precision ≥ 0.9, 0 \
         numbers from nowhere.\n\n\
         ## Conversations the tuned-on businesses got wrong\n\n{}\n",
        tuned.conversations + holdout.conversations,
        names.len(),
        names.join(", "),
        misses(tuned),
    );
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/ai-evaluation.md");
    std::fs::write(path, doc).unwrap();
}
