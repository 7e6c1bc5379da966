//! The agent with a model: the standard tool-calling loop. The model sees the business's
//! passages that best answer the message, what is known of the visitor and the time; it
//! may search for more, save a lead, request an appointment or hand over. Every call is
//! checked (`tools`) before it becomes an action; nothing is written until the loop ends,
//! so a loop that fails leaves nothing behind and the built-in agent answers instead.
//!
//! The reply is held to its sources: one that states a number (a price, a time) found in
//! no passage the model was shown, nor in what the visitor wrote, is not sent; the
//! visitor is told the team will confirm. The built-in hand-over rules stay on: a visitor
//! who asks for a person, writes something urgent or is upset is handed over even when
//! the model does not, and a visitor who gave a way to reach them is a lead either way.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use serde_json::{Value, json};
use switchboard_api::{AiSource, Direction, MessageKind};

use super::client::ModelClient;
use super::tools::{self, Context, Outcome};
use crate::agent::{Action, AgentState, Consulted, Decision, Turn};
use crate::business::Business;
use crate::compose::Evidence;
use crate::engine::{search_in, source};
use crate::error::AiError;
use crate::lang::Lang;
use crate::phrases::{self, Say};

/// Requests to the model in one turn; one that still calls tools after these loops.
const MAX_ROUNDS: usize = 5;
/// Passages shown with the question.
const SHOWN: usize = 5;
/// Earlier messages of the conversation sent along.
const HISTORY: usize = 20;

const INSTRUCTIONS: &str = "You are the front desk of a business, answering its customers on WhatsApp or web chat. \
Write in the customer's language, in one to three short, friendly sentences. Answer only from the numbered sources \
(search_knowledge finds more) and cite each source you use as [n]. Never state a price, time, duration or policy \
that is not in a source: say the team will confirm instead. When the customer wants to book, ask for what is \
missing (service, day and time, name, phone), one question at a time, then call request_appointment. When they give \
a phone number or email, call capture_lead. Call escalate when they ask for a person, describe anything urgent or \
medical (pain, swelling, bleeding, a reaction, an emergency), are upset, or the sources cannot answer.";

/// Decides `turn` with the model. `Err` when the model failed or would not finish; the
/// caller then answers with the built-in agent.
pub async fn decide(
    model: &ModelClient,
    turn: &Turn,
    business: &Business,
    now: NaiveDateTime,
    lang: Lang,
    state: &mut AgentState,
) -> Result<Decision, AiError> {
    let ctx = Context {
        now,
        region: turn.region.as_deref(),
        catalogue: &business.catalogue,
        hours: &business.hours,
        passages: &business.passages,
        lang: business.lang,
    };
    let mut shown: Vec<Evidence> = search_in(&business.index, &business.passages, &turn.message, None, SHOWN);
    let mut messages = vec![json!({"role": "system", "content": system(turn, state, now, &shown)})];
    messages.extend(conversation(turn));
    let definitions = tools::definitions();

    let mut actions: Vec<Action> = Vec::new();
    let mut consulted: Vec<Consulted> = Vec::new();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for _ in 0..MAX_ROUNDS {
        let answer = model.chat(&messages, &definitions).await?;
        if answer.tool_calls.is_empty() {
            let reply = answer.content.unwrap_or_default();
            return Ok(finish(turn, business, state, lang, actions, consulted, &shown, &reply));
        }
        messages.push(answer.to_json());
        for call in &answer.tool_calls {
            let arguments: Value =
                serde_json::from_str(&call.arguments).unwrap_or(Value::String(call.arguments.clone()));
            let result = if !seen.insert((call.name.clone(), normalised(&arguments))) {
                json!({"ok": false, "error": "repeated_call", "message": "This call was made already; answer the customer now."})
            } else {
                let outcome = tools::call(&ctx, &call.name, &call.arguments);
                let (result, action) = carry(&outcome, &mut shown, state);
                match action {
                    Some(a) => actions.push(a),
                    None => consulted.push(Consulted { tool: call.name.clone(), arguments, result: result.clone() }),
                }
                result
            };
            messages.push(json!({"role": "tool", "tool_call_id": call.id, "content": result.to_string()}));
        }
    }
    Err(AiError::upstream(format!("it was still calling tools after {MAX_ROUNDS} rounds")))
}

/// The call's result for the model, and the action it became; `state` learns what was
/// accepted.
fn carry(outcome: &Outcome, shown: &mut Vec<Evidence>, state: &mut AgentState) -> (Value, Option<Action>) {
    match outcome {
        Outcome::Found(found) => {
            let mut listed = Vec::new();
            for e in found {
                let n = match shown.iter().position(|s| s.passage == e.passage) {
                    Some(i) => i + 1,
                    None => {
                        shown.push(e.clone());
                        shown.len()
                    }
                };
                listed.push(json!({"source": n, "title": e.passage.title, "text": e.passage.text}));
            }
            (json!({"ok": true, "found": listed}), None)
        }
        Outcome::Refused { code, message } => (json!({"ok": false, "error": code, "message": message}), None),
        Outcome::Act(action) => {
            match action {
                Action::CaptureLead { name, email, phone, .. } => {
                    if state.lead_captured {
                        return (json!({"ok": true, "message": "The lead was saved already."}), None);
                    }
                    state.lead_captured = true;
                    remember(state, name, email, phone);
                }
                Action::RequestAppointment { name, phone, .. } => {
                    if state.appointment_requested {
                        return (
                            json!({"ok": false, "error": "already_requested", "message": "A booking request is recorded already; the team will confirm it."}),
                            None,
                        );
                    }
                    state.appointment_requested = true;
                    remember(state, name, &None, phone);
                }
                Action::Escalate { .. }
                | Action::Reply { .. }
                | Action::UpdateAppointment { .. }
                | Action::ChangeAppointment { .. } => {}
            }
            (json!({"ok": true}), Some(action.clone()))
        }
    }
}

fn remember(state: &mut AgentState, name: &Option<String>, email: &Option<String>, phone: &Option<String>) {
    state.name = name.clone().or(state.name.take());
    state.email = email.clone().or(state.email.take());
    state.phone = phone.clone().or(state.phone.take());
}

/// Arguments compared for repeats whatever their key order or spacing.
fn normalised(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<_> = m.iter().collect();
            keys.sort_by(|a, b| a.0.cmp(b.0));
            keys.iter().map(|(k, v)| format!("{k}={}", normalised(v))).collect::<Vec<_>>().join(",")
        }
        Value::String(s) => s.trim().to_lowercase(),
        other => other.to_string(),
    }
}

fn system(turn: &Turn, state: &AgentState, now: NaiveDateTime, shown: &[Evidence]) -> String {
    let mut known = Vec::new();
    for (what, v) in [("name", &state.name), ("phone", &state.phone), ("email", &state.email)] {
        if let Some(v) = v.as_ref() {
            known.push(format!("{what}: {v}"));
        }
    }
    if known.is_empty()
        && let Some(n) = &turn.known_name
    {
        known.push(format!("profile name: {n}"));
    }
    if state.lead_captured {
        known.push("saved as a lead".into());
    }
    if state.appointment_requested {
        known.push("a booking request is recorded".into());
    }
    let sources: Vec<String> =
        shown.iter().enumerate().map(|(i, e)| format!("[{}] {}: {}", i + 1, e.passage.title, e.passage.text)).collect();
    format!(
        "{INSTRUCTIONS}\n\nNow: {} (the business's local time).\nThe customer: {}.\n\nSources:\n{}",
        now.format("%A %Y-%m-%d %H:%M"),
        if known.is_empty() { "nothing known yet".to_owned() } else { known.join("; ") },
        if sources.is_empty() { "(none)".to_owned() } else { sources.join("\n\n") }
    )
}

/// The conversation for the model, the message being answered last.
fn conversation(turn: &Turn) -> Vec<Value> {
    let said: Vec<_> =
        turn.reply_input.history.iter().filter(|m| m.kind != MessageKind::Note && !m.body.trim().is_empty()).collect();
    // Roles alternate, starting with the visitor: chat templates (Mistral's, Gemma's)
    // refuse anything else, so messages in a row from one side are joined.
    let mut out: Vec<(&str, String)> = Vec::new();
    for m in &said[said.len().saturating_sub(HISTORY)..] {
        let role = if m.direction == Direction::Inbound { "user" } else { "assistant" };
        match out.last_mut() {
            Some((last, text)) if *last == role => {
                text.push('\n');
                text.push_str(&m.body);
            }
            None if role == "assistant" => {}
            _ => out.push((role, m.body.clone())),
        }
    }
    // The message being answered is the visitor's last turn, joined to theirs before it
    // when nobody answered in between.
    match out.last_mut() {
        Some((role, text)) if *role == "user" => {
            text.push('\n');
            text.push_str(&turn.message);
        }
        _ => out.push(("user", turn.message.clone())),
    }
    out.into_iter().map(|(role, content)| json!({"role": role, "content": content})).collect()
}

/// The decision from the loop's actions and the model's last words: citations taken out
/// of the text and kept as sources, numbers checked against what was shown.
#[allow(clippy::too_many_arguments)]
fn finish(
    turn: &Turn,
    business: &Business,
    state: &mut AgentState,
    lang: Lang,
    mut actions: Vec<Action>,
    consulted: Vec<Consulted>,
    shown: &[Evidence],
    reply: &str,
) -> Decision {
    let (text, cited) = citations(reply, shown);
    let mut known: String = shown.iter().map(|e| e.passage.text.as_str()).collect::<Vec<_>>().join("\n");
    known.push('\n');
    known.push_str(&turn.message);
    for m in &turn.reply_input.history {
        known.push('\n');
        known.push_str(&m.body);
    }
    for a in &actions {
        if let Action::RequestAppointment { preferred_time: Some(t), .. } = a {
            known.push('\n');
            known.push_str(t);
        }
    }
    let grounded = invented(&text, &known).is_empty();
    if !text.is_empty() {
        let (text, confidence) = if grounded {
            (text, if cited.is_empty() { 0.6 } else { 0.85 })
        } else {
            tracing::info!("the model's reply stated a number no source holds; the team will confirm instead");
            (phrases::say(lang, &Say::WillConfirm), 0.3)
        };
        actions.push(Action::Reply { text, confidence });
    }
    let sentiment = crate::sentiment::sentiment(&turn.message);
    crate::agent::safety_net(turn, business, state, &mut actions, sentiment);
    Decision { actions, sentiment, consulted, cited: if grounded { cited } else { Vec::new() } }
}

/// The reply without its `[n]` markers, and the sources they name.
fn citations(reply: &str, shown: &[Evidence]) -> (String, Vec<AiSource>) {
    let mut text = String::with_capacity(reply.len());
    let mut cited: Vec<usize> = Vec::new();
    let mut rest = reply;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let close = after.find(']');
        let inner = close.map(|c| &after[..c]);
        let numbers: Option<Vec<usize>> =
            inner.and_then(|i| i.split([',', ' ']).filter(|p| !p.is_empty()).map(|p| p.parse().ok()).collect());
        match (close, numbers) {
            (Some(c), Some(ns)) if !ns.is_empty() => {
                text.push_str(rest[..open].trim_end_matches(' '));
                cited.extend(ns.into_iter().filter(|n| (1..=shown.len()).contains(n)));
                rest = &after[c + 1..];
            }
            _ => {
                text.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    text.push_str(rest);
    let mut sources: Vec<AiSource> = Vec::new();
    for n in cited {
        let s = source(&shown[n - 1]);
        if !sources.contains(&s) {
            sources.push(s);
        }
    }
    (text.split_whitespace().collect::<Vec<_>>().join(" "), sources)
}

/// Numbers in `reply` that `known` does not hold (digit runs, leading zeros aside). A
/// price must be a price there too: "£45" is not grounded by "45 min".
fn invented(reply: &str, known: &str) -> Vec<String> {
    let known = numbers(known);
    let mut out: Vec<String> = numbers(reply)
        .into_iter()
        .filter(|(n, price)| !known.iter().any(|(k, kp)| k == n && (*kp || !price)))
        .map(|(n, _)| n)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Each digit run of `text` (thousands separators kept inside), and whether it is a price:
/// a currency sign or code right before it, or a currency word right after.
fn numbers(text: &str) -> Vec<(String, bool)> {
    // Arabic-Indic, Persian and full-width digits are digits too ("٤٥٠ درهم", "５５").
    let text: String = text
        .chars()
        .map(|c| match c as u32 {
            0x0660..=0x0669 => char::from(b'0' + (c as u32 - 0x0660) as u8),
            0x06F0..=0x06F9 => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            0xFF10..=0xFF19 => char::from(b'0' + (c as u32 - 0xFF10) as u8),
            _ => c,
        })
        .collect();
    let text = text.as_str();
    const SIGNS: &[char] = &['$', '£', '€', '¥', '₹', '₩', '₱', '฿', '₫', '﷼'];
    const CODES: &[&str] = &[
        "usd", "eur", "gbp", "aed", "sar", "qar", "kwd", "brl", "r$", "rp", "idr", "rm", "myr", "sgd", "s$", "php",
        "thb", "vnd", "inr", "rs", "mxn", "cop", "ars", "clp", "chf", "cad", "aud", "egp", "mad", "cny", "rmb",
    ];
    const WORDS: &[&str] = &[
        "dollars", "euros", "euro", "pounds", "reais", "real", "dirhams", "dirham", "riyals", "riyal", "rupiah",
        "ringgit", "pesos", "baht", "元", "块", "درهم", "ريال",
    ];
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        let mut j = i;
        let mut digits = String::new();
        while j < chars.len()
            && (chars[j].1.is_ascii_digit()
                || ([',', '.'].contains(&chars[j].1)
                    && chars.get(j + 1).is_some_and(|c| c.1.is_ascii_digit())
                    && chars.get(j + 4).is_none_or(|c| !c.1.is_ascii_digit())
                    && chars[j + 1..].iter().take(3).all(|c| c.1.is_ascii_digit())))
        {
            if chars[j].1.is_ascii_digit() {
                digits.push(chars[j].1);
            }
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |c| c.0);
        let before = text[..start].trim_end().to_lowercase();
        let after = text[end..].trim_start().to_lowercase();
        let price = before.ends_with(SIGNS)
            || CODES
                .iter()
                .any(|c| before.ends_with(c) && !before[..before.len() - c.len()].ends_with(char::is_alphanumeric))
            || CODES.iter().any(|c| after.starts_with(c) && !after[c.len()..].starts_with(char::is_alphanumeric))
            || WORDS.iter().any(|w| after.starts_with(w))
            || after.starts_with(SIGNS);
        let n = digits.trim_start_matches('0');
        out.push((if n.is_empty() { "0".to_owned() } else { n.to_owned() }, price));
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Passage;

    #[test]
    fn numbers_must_come_from_somewhere() {
        assert!(invented("Deep tissue is £55 for 60 minutes.", "Deep tissue massage (60 min) £55").is_empty());
        assert_eq!(invented("It's £45, open till 8pm.", "£55; 8:00–19:00"), vec!["45".to_owned()]);
        assert!(invented("See you at 09:00", "open 9:00").is_empty());
        assert_eq!(invented("A sports massage is £45.", "Sports massage (45 min) — £48"), vec!["45".to_owned()]);
        assert!(invented("It costs AED 1,200 or 300 dirhams", "Package AED 1,200; single 300 AED").is_empty());
        assert!(invented("R$ 180 no total", "Corte R$180").is_empty());
        assert_eq!(invented("السعر ٤٥٠ درهم", "Whitening AED 1,200"), vec!["450".to_owned()]);
        assert!(invented("السعر ١٢٠٠ درهم", "Whitening AED 1200").is_empty());
    }

    #[test]
    fn citation_marks_become_sources() {
        let passage = |t: &str| Evidence {
            passage: Passage { title: t.into(), url: None, text: format!("{t} text") },
            score: 1.0,
            coverage: 1.0,
        };
        let shown = vec![passage("Prices"), passage("Hours")];
        let (text, cited) = citations("It is £55 [1]. We open at 8 [2, 1]. See [x] and [9].", &shown);
        assert_eq!(text, "It is £55. We open at 8. See [x] and.");
        assert_eq!(cited.iter().map(|s| s.title.as_str()).collect::<Vec<_>>(), vec!["Prices", "Hours"]);
    }
}
