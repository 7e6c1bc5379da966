//! What a visitor's message says besides its question: contact details given in passing,
//! a booking request, a wish to talk to a person, and how they feel. Rules over words,
//! measured on the evaluation table in `tests/agent_eval.rs`.

/// Contact details found in a message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl Details {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.email.is_none() && self.phone.is_none()
    }

    /// Fills what `self` lacks from `other`.
    pub fn merge(&mut self, other: Details) {
        self.name = self.name.take().or(other.name);
        self.email = self.email.take().or(other.email);
        self.phone = self.phone.take().or(other.phone);
    }
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'').to_lowercase())
        .collect()
}

pub fn details(text: &str) -> Details {
    Details { name: name(text), email: email(text), phone: phone(text) }
}

fn email(text: &str) -> Option<String> {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| matches!(c, ',' | ';' | '.' | '!' | '?' | '(' | ')' | '<' | '>' | '"' | '\''))
        })
        .find(|w| {
            w.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
            })
        })
        .map(str::to_lowercase)
}

/// 7 to 15 digits written as one number (spaces, dashes, dots and brackets allowed
/// inside), optionally after `+`.
fn phone(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '+' || chars[i].is_ascii_digit() {
            let start = i;
            let mut digits = String::new();
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_digit() || " -.()+".contains(chars[j])) {
                if chars[j].is_ascii_digit() {
                    digits.push(chars[j]);
                }
                if chars[j] == '+' && j != start {
                    break;
                }
                j += 1;
            }
            if (7..=15).contains(&digits.len()) {
                let plus = if chars[start] == '+' { "+" } else { "" };
                return Some(format!("{plus}{digits}"));
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    None
}

/// "my name is Ana Lima", "I'm Ana", "this is Ana", "name: Ana", "Ana here".
fn name(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    for cue in ["my name is ", "my name's ", "name: ", "name is ", "this is ", "i'm ", "i am ", "im ", "call me "] {
        let Some(at) = find_word_start(&lower, cue) else { continue };
        let rest = &text[at + cue.len()..];
        let taken: Vec<&str> = rest
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphabetic() && c != '-' && c != '\''))
            .take_while(|w| w.chars().next().is_some_and(char::is_uppercase) && w.chars().count() > 1)
            .take(3)
            .collect();
        // "I'm looking…", "this is urgent": a name starts with a capital letter.
        if !taken.is_empty() && !NOT_NAMES.contains(&taken[0].to_lowercase().as_str()) {
            return Some(taken.join(" "));
        }
    }
    None
}

const NOT_NAMES: &[&str] = &["i", "the", "a", "not", "so", "very", "just", "still", "interested", "looking", "here"];

fn find_word_start(lower: &str, cue: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(pos) = lower[from..].find(cue) {
        let at = from + pos;
        if at == 0 || !lower[..at].chars().next_back().is_some_and(char::is_alphanumeric) {
            return Some(at);
        }
        from = at + cue.len();
    }
    None
}

/// A wish to talk to a person rather than the AI.
pub fn wants_a_person(text: &str) -> bool {
    let lower = text.to_lowercase();
    let phrases = [
        "real person",
        "a human",
        "to a person",
        "speak to someone",
        "talk to someone",
        "speak with someone",
        "talk with someone",
        "speak to a",
        "talk to a",
        "speak with a",
        "customer service",
        "representative",
        "your manager",
        "the manager",
        "call me back",
        "not a bot",
        "are you a bot",
        "live agent",
        "human agent",
    ];
    let w = words(text);
    phrases.iter().any(|p| lower.contains(p)) || w.iter().any(|x| x == "human" || x == "operator")
}

/// A booking request: a wish to book and, if given, what and when.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Booking {
    pub service: Option<String>,
    pub preferred_time: Option<String>,
}

const BOOKING_CUES: &[&str] =
    &["book", "booking", "appointment", "schedule", "reserve", "reservation", "come in", "get me in", "slot"];
const DAYS: &[&str] = &[
    "today",
    "tonight",
    "tomorrow",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "weekend",
    "next week",
    "this week",
    "morning",
    "afternoon",
    "evening",
];

/// A request to book, unless it is only a question about booking ("can I book online?" is
/// answered, not recorded) or a cancellation.
pub fn booking(text: &str, services: &[String]) -> Option<Booking> {
    let lower = text.to_lowercase();
    let w = words(text);
    let cued = BOOKING_CUES.iter().any(|c| if c.contains(' ') { lower.contains(c) } else { w.iter().any(|x| x == c) });
    // About an appointment already made: not a new request.
    let cancelling = ["cancel", "reschedule", "move my", "my appointment", "be late", "running late"]
        .iter()
        .any(|c| lower.contains(c));
    let asking_how = [
        "how do i book",
        "how can i book",
        "can i book online",
        "do you take bookings",
        "do i need an appointment",
        "do i need to book",
    ]
    .iter()
    .any(|c| lower.contains(c));
    if !cued || cancelling || asking_how {
        return None;
    }
    let service = services.iter().find(|s| lower.contains(&s.to_lowercase())).cloned();
    let preferred_time = preferred_time(text);
    // A wish with neither what nor when ("I'd like to book") is still a request.
    Some(Booking { service, preferred_time })
}

/// "Friday at 3pm", "tomorrow morning", "next week".
fn preferred_time(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '?' | '!'))
        .map(|t| t.trim_matches('.'))
        .filter(|t| !t.is_empty())
        .collect();
    let marks: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| DAYS.iter().any(|d| !d.contains(' ') && d == *t) || is_clock(t))
        .map(|(i, _)| i)
        .collect();
    let Some(&first) = marks.first() else {
        return ["next week", "this week"].iter().find(|p| lower.contains(*p)).map(|p| (*p).to_owned());
    };
    let joiner = |t: &&str| matches!(*t, "at" | "on" | "around" | "after" | "before" | "in" | "the" | "about");
    let mut end = first;
    for &m in &marks[1..] {
        if m - end <= 3 && tokens[end + 1..m].iter().all(joiner) {
            end = m;
        } else {
            break;
        }
    }
    let start = if first > 0 && matches!(tokens[first - 1], "next" | "this") { first - 1 } else { first };
    Some(tokens[start..=end].join(" "))
}

/// "3pm", "3:30pm", "15:00", "10am"; not a bare number.
fn is_clock(t: &str) -> bool {
    let (core, suffixed) = match t.strip_suffix("am").or_else(|| t.strip_suffix("pm")) {
        Some(core) => (core, true),
        None => (t, false),
    };
    let (hour, minute) = match core.split_once(':') {
        Some((h, m)) => (h, Some(m)),
        None => (core, None),
    };
    let number = |s: &str, len: std::ops::RangeInclusive<usize>, max: u32| {
        len.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit()) && s.parse::<u32>().is_ok_and(|n| n <= max)
    };
    number(hour, 1..=2, 23) && minute.is_none_or(|m| number(m, 2..=2, 59)) && (suffixed || minute.is_some())
}

const NEGATIVE: &[&str] = &[
    "terrible",
    "awful",
    "horrible",
    "worst",
    "angry",
    "furious",
    "disgusting",
    "rude",
    "unacceptable",
    "ridiculous",
    "disappointed",
    "disappointing",
    "useless",
    "scam",
    "complaint",
    "complain",
    "refund",
    "hate",
    "pathetic",
    "shame",
    "incompetent",
    "waste",
    "never again",
    "fed up",
    "sick of",
    "not happy",
    "unhappy",
    "ruined",
    "burned",
    "hurt",
];
const POSITIVE: &[&str] = &[
    "thanks",
    "thank",
    "great",
    "perfect",
    "love",
    "amazing",
    "awesome",
    "excellent",
    "wonderful",
    "happy",
    "lovely",
    "brilliant",
    "good",
    "nice",
    "appreciate",
];
const NEGATIONS: &[&str] = &["not", "no", "never", "don't", "didn't", "isn't", "wasn't", "hardly"];

/// From -1 (clearly upset) to 1 (clearly pleased).
pub fn sentiment(text: &str) -> f64 {
    let lower = text.to_lowercase();
    let w = words(text);
    let mut score = 0.0;
    for (i, word) in w.iter().enumerate() {
        let negated = i > 0 && NEGATIONS.contains(&w[i - 1].as_str());
        if NEGATIVE.iter().any(|n| !n.contains(' ') && n == word) {
            score += if negated { 0.5 } else { -1.0 };
        } else if POSITIVE.iter().any(|p| p == word) {
            score += if negated { -1.0 } else { 0.6 };
        }
    }
    score -= NEGATIVE.iter().filter(|n| n.contains(' ') && lower.contains(*n)).count() as f64;
    if text.contains("!!") || (text.len() > 12 && text.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)) {
        score -= 0.5;
    }
    (score / 2.0).clamp(-1.0, 1.0)
}

/// Below this a conversation is handed to a person.
pub const CLEARLY_NEGATIVE: f64 = -0.5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_given_in_passing() {
        let d = details("Hi, I'm Ana Lima, you can reach me at ana.lima@example.com or +1 415 555 0133.");
        assert_eq!(d.name.as_deref(), Some("Ana Lima"));
        assert_eq!(d.email.as_deref(), Some("ana.lima@example.com"));
        assert_eq!(d.phone.as_deref(), Some("+14155550133"));
        assert_eq!(details("I'm looking for a haircut").name, None);
        assert_eq!(details("It costs $30 for 30 minutes").phone, None);
        assert_eq!(details("call 555-0133").phone, Some("5550133".to_owned()));
    }

    #[test]
    fn booking_requests_and_questions_about_booking() {
        let services = vec!["haircut".to_owned(), "beard trim".to_owned()];
        let b = booking("Can I book a haircut for Friday at 3pm?", &services).expect("a request");
        assert_eq!(b.service.as_deref(), Some("haircut"));
        assert_eq!(b.preferred_time.as_deref(), Some("friday at 3pm"));
        assert!(booking("How do I book online?", &services).is_none());
        assert!(booking("I need to cancel my appointment", &services).is_none());
        assert!(booking("How much is a haircut?", &services).is_none());
        assert_eq!(
            booking("I'd like an appointment next week", &services).unwrap().preferred_time.as_deref(),
            Some("next week")
        );
    }

    #[test]
    fn people_and_feelings() {
        assert!(wants_a_person("Can I talk to a real person please?"));
        assert!(wants_a_person("I want to speak to a human"));
        assert!(!wants_a_person("How much is a haircut?"));
        assert!(sentiment("This is the worst service, I'm furious and want a refund") <= CLEARLY_NEGATIVE);
        assert!(sentiment("Thanks, that's perfect!") > 0.0);
        assert!(sentiment("Not bad, thanks") > CLEARLY_NEGATIVE);
    }
}
