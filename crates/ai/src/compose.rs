//! Composers turn a question and the passages found for it into a reply. The built-in
//! one needs no model: it answers from the best-matching line in a natural sentence
//! (prices, opening hours, booking), and says when it does not know.

use async_trait::async_trait;

use crate::error::AiError;
use crate::text::{Passage, terms};

/// A passage found for the question, with how well it matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub passage: Passage,
    pub score: f64,
    /// The share of the question's terms in the passage.
    pub coverage: f64,
}

/// What is asked, with the conversation so far (oldest first, `contact: text` lines).
#[derive(Debug, Clone, Default)]
pub struct Question {
    pub message: String,
    pub history: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub reply: String,
    /// 0 to 1: how sure the composer is that the reply answers the question.
    pub confidence: f64,
}

#[async_trait]
pub trait Composer: Send + Sync {
    /// Answers from `evidence` (best first; possibly empty).
    async fn compose(&self, question: &Question, evidence: &[Evidence]) -> Result<Draft, AiError>;
}

/// Below this the engine reports the answer as a guess.
pub const LOW_CONFIDENCE: f64 = 0.5;

const DONT_KNOW: &str = "I'm not sure about that one — let me check with the team and get back to you.";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Intent {
    Price,
    Hours,
    Where,
    Payment,
    Booking,
    Other,
}

fn intent(question: &str) -> Intent {
    let q = question.to_lowercase();
    let words: Vec<&str> = q.split(|c: char| !c.is_alphanumeric()).collect();
    // A phrase is found as text, a word only as a whole word ("rate" is not in "separate").
    let has = |wanted: &[&str]| wanted.iter().any(|w| if w.contains(' ') { q.contains(w) } else { words.contains(w) });
    if has(&["how much", "price", "prices", "cost", "costs", "fee", "fees", "charge", "rate", "rates"]) {
        Intent::Price
    } else if has(&["open", "opening", "hours", "close", "closing", "closed", "what time"])
        && !crate::intent::asks_after_hours_line(question)
    {
        Intent::Hours
    } else if crate::topics::asks_payment(question) {
        Intent::Payment
    } else if crate::topics::asks_where(question) {
        Intent::Where
    } else if has(&["book", "booking", "appointment", "schedule", "reserve", "slot", "availability", "available"])
        && !crate::intent::asks_how_to_book(question)
    {
        Intent::Booking
    } else {
        Intent::Other
    }
}

/// The built-in composer.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuiltIn;

#[async_trait]
impl Composer for BuiltIn {
    async fn compose(&self, question: &Question, evidence: &[Evidence]) -> Result<Draft, AiError> {
        Ok(compose(&question.message, evidence))
    }
}

fn compose(question: &str, evidence: &[Evidence]) -> Draft {
    let intent = intent(question);
    let Some(best) = evidence.first() else {
        if intent == Intent::Booking {
            return Draft { reply: booking_reply(), confidence: 0.6 };
        }
        return Draft { reply: DONT_KNOW.to_owned(), confidence: 0.1 };
    };
    let line = best_line(question, intent, evidence);
    let confidence = (0.3 + 0.6 * best.coverage).min(0.9);
    // "how much is it and when is it on?": the whole line says both.
    let asks_more = {
        let q = question.to_lowercase();
        ["when", "what time", "which day", "what day", "where"].iter().any(|w| q.contains(w))
    };
    let reply = match intent {
        Intent::Price if asks_more => None,
        Intent::Price => price(&line).map(|(subject, amount)| {
            let duration = duration(&line).map(|d| format!(" and takes about {d}")).unwrap_or_default();
            format!("{} is {amount}{duration} — want me to book you in?", with_article(&subject))
        }),
        Intent::Hours if mentions_time(&line) => {
            Some(format!("We're open {}.", strip_label(&line).trim_end_matches('.')))
        }
        Intent::Booking => return Draft { reply: booking_reply(), confidence: confidence.max(0.6) },
        _ => None,
    };
    match reply {
        Some(reply) => Draft { reply, confidence: (confidence + 0.1).min(0.95) },
        None => Draft { reply: sentence_reply(&crate::focus::focus(question, &line)), confidence },
    }
}

fn booking_reply() -> String {
    "Happy to book that for you — which day and time suit you best, and what name and phone number should I \
     put it under?"
        .to_owned()
}

/// The line of the best passages that shares most with the question, preferring lines
/// that hold what the intent needs (a price, a time).
fn best_line(question: &str, intent: Intent, evidence: &[Evidence]) -> String {
    let wanted = terms(question);
    let mut best: Option<(f64, &str)> = None;
    for (rank, e) in evidence.iter().take(3).enumerate() {
        // A line under a heading about the question is about it too ("Physiotherapy" over
        // "A 45-minute session is $80").
        let titled = terms(&e.passage.title).iter().any(|t| wanted.contains(t));
        for line in e.passage.text.lines() {
            let have = terms(line);
            let overlap = wanted.iter().filter(|t| have.contains(t)).count() as f64;
            // A price or a time counts only on a line about the question: the first priced
            // line is no answer to a price nobody wrote. An address or the means of payment
            // answer where and how to pay whatever their words.
            let fits = match intent {
                Intent::Price => price(line).is_some() && (overlap > 0.0 || titled),
                Intent::Hours => mentions_time(line) && (overlap > 0.0 || titled),
                Intent::Where => crate::topics::has_address(line),
                Intent::Payment => crate::topics::has_payment(line),
                _ => false,
            };
            // Headings ("Parking", "Prices", the passage's own title) name a topic; the
            // line below answers it, so a title is never the answer.
            let title = line.trim() == e.passage.title.trim() || line.trim().starts_with('#');
            let heading = if title {
                100.0
            } else if line.split_whitespace().count() < 3 {
                0.5
            } else {
                0.0
            };
            let score = overlap + if fits { 1.5 } else { 0.0 } - heading - rank as f64 * 0.1;
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, line));
            }
        }
    }
    best.map(|(_, l)| clean(l)).unwrap_or_default()
}

fn clean(line: &str) -> String {
    line.trim().trim_start_matches(['*', '-', '•', '·']).trim().to_owned()
}

/// The thing priced and its price: "Men's haircut — $30, 30 minutes" → ("Men's haircut",
/// "$30"); "Primera consulta: 40 euros" → ("Primera consulta", "40 euros").
fn price(line: &str) -> Option<(String, String)> {
    let (amount, start, _) = crate::catalogue::price(line)?;
    let before = &line[..start];
    let subject =
        before.split([':', '—', '–']).next().unwrap_or(before).trim_end_matches([' ', '-', ':', '—', '–', ',']).trim();
    // A thing's name, not a sentence about a fee ("later cancellations are charged AED 150").
    let named = !subject.is_empty() && subject.split_whitespace().count() <= 6 && !subject.contains([';', '.', ',']);
    named.then(|| (subject.to_owned(), amount))
}

/// "30 minutes", "1 hour", "45 min" → "30 minutes", "1 hour", "45 minutes".
fn duration(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')').collect();
    for pair in words.windows(2) {
        let Ok(n) = pair[0].parse::<u32>() else { continue };
        let unit = pair[1].trim_end_matches('.').to_lowercase();
        let unit = match unit.as_str() {
            "min" | "mins" | "minute" | "minutes" => {
                if n == 1 {
                    "minute"
                } else {
                    "minutes"
                }
            }
            "h" | "hr" | "hrs" | "hour" | "hours" => {
                if n == 1 {
                    "hour"
                } else {
                    "hours"
                }
            }
            _ => continue,
        };
        return Some(format!("{n} {unit}"));
    }
    None
}

fn mentions_time(line: &str) -> bool {
    let l = line.to_lowercase();
    let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekday", "weekend"];
    days.iter().any(|d| l.contains(d))
        || l.split(|c: char| !c.is_alphanumeric()).any(|w| {
            (w.ends_with("am") || w.ends_with("pm"))
                && w.len() > 2
                && w[..w.len() - 2].chars().all(|c| c.is_ascii_digit())
        })
}

/// "Opening hours: Mon–Fri 9am–6pm" → "Mon–Fri 9am–6pm".
fn strip_label(line: &str) -> &str {
    match line.split_once(':') {
        Some((label, rest))
            if !mentions_time(label) && !label.chars().any(|c| c.is_ascii_digit()) && !rest.trim().is_empty() =>
        {
            rest.trim()
        }
        _ => line,
    }
}

fn with_article(subject: &str) -> String {
    let lower = subject.to_lowercase();
    if ["a ", "an ", "the ", "our ", "your "].iter().any(|a| lower.starts_with(a)) {
        return uppercase_first(subject);
    }
    let mut first = subject.chars();
    let head = first.next().map(|c| c.to_lowercase().to_string()).unwrap_or_default();
    let article = if head.starts_with(['a', 'e', 'i', 'o', 'u']) { "An" } else { "A" };
    format!("{article} {head}{}", first.as_str())
}

fn uppercase_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

fn sentence_reply(line: &str) -> String {
    let line = line.trim();
    if line.is_empty() {
        return DONT_KNOW.to_owned();
    }
    let end = if line.ends_with(['.', '!', '?']) { "" } else { "." };
    format!("{}{end}", uppercase_first(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(text: &str, coverage: f64) -> Vec<Evidence> {
        vec![Evidence {
            passage: Passage { title: "Prices".into(), url: None, text: text.into() },
            score: 1.0,
            coverage,
        }]
    }

    #[test]
    fn a_price_question_gets_the_price_and_duration() {
        let page = "Services\nMen's haircut — $30, 30 minutes\nWomen's haircut — $45, 45 minutes\nBeard trim — $15";
        let draft = compose("How much is a haircut?", &evidence(page, 0.5));
        assert_eq!(draft.reply, "A men's haircut is $30 and takes about 30 minutes — want me to book you in?");
        let draft = compose("What does a beard trim cost?", &evidence(page, 1.0));
        assert_eq!(draft.reply, "A beard trim is $15 — want me to book you in?");
        let draft = compose("how much is the first consultation?", &evidence("First consultation: 40 euros", 1.0));
        assert_eq!(draft.reply, "A first consultation is 40 euros — want me to book you in?");
        let policy = "Cancellations or changes need at least 24 hours' notice; later cancellations are charged AED 150";
        let draft = compose("botox price?", &evidence(policy, 0.5));
        assert!(!draft.reply.contains("is AED 150"), "a sentence is no service: {}", draft.reply);
    }

    #[test]
    fn hours_booking_and_not_knowing() {
        let page = "Opening hours: Monday to Friday 9am to 6pm\nClosed on Sundays";
        assert_eq!(
            compose("When are you open?", &evidence(page, 1.0)).reply,
            "We're open Monday to Friday 9am to 6pm."
        );
        assert!(compose("Can I book an appointment?", &[]).reply.contains("which day and time"));
        let unknown = compose("Do you sell gift cards?", &[]);
        assert!(unknown.confidence < LOW_CONFIDENCE);
        assert_eq!(unknown.reply, DONT_KNOW);
    }

    #[test]
    fn other_questions_get_the_best_line() {
        let page = "Parking\nParking is free behind the building\nThe entrance is on Elm Street";
        let draft = compose("Where can I park?", &evidence(page, 1.0));
        assert_eq!(draft.reply, "Parking is free behind the building.");
    }
}
