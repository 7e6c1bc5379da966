//! What a message asks for, in any of the agent's languages: a person, urgent help, a
//! booking or a change to one, a price, the hours; or nothing at all (thanks, "ok", a
//! test line, an emoji).

mod asking;
mod booking_words;
mod call_back;
mod handover;
mod person;

use self::asking::*;
use self::booking_words::*;
use self::call_back::*;
pub(crate) use self::handover::ANGRY;
use self::handover::*;
use self::person::*;
use crate::words::{fold, has_any, words};

pub fn wants_a_person(text: &str) -> bool {
    let f = fold(text);
    let ws = words(text);
    let short = ws.len() <= 3 && ws.iter().any(|w| PERSON_WORDS.contains(&w.as_str()));
    short || has_any(&f, PERSON) || has_any(&f, &["human", "humano", "manusia", "atendente"])
}

/// "call me back on …", "can someone text me", "me liga": the visitor wants the team to
/// reach them, which is no reason to stop answering.
pub fn wants_callback(text: &str) -> bool {
    let f = fold(text);
    has_any(&f, CALL_BACK) && !has_any(&f, NO_CALL)
}

pub fn is_urgent(text: &str) -> bool {
    let f = fold(text);
    if has_any(&f, CALM) {
        return false;
    }
    // Arabic writes "and", "the" and "with" onto the word ("والانتفاخ", "بنزيف"): its
    // signs are found inside words.
    let arabic = |list: &[&str]| list.iter().any(|t| t.chars().any(is_arabic) && f.contains(t));
    if has_any(&f, URGENT) || arabic(URGENT) || has_any(&f, CANNOT) || (has_any(&f, ATE) && has_any(&f, TOXIC)) {
        return true;
    }
    (has_any(&f, PAIN) || arabic(PAIN)) && (has_any(&f, PAIN_AFTER) || arabic(PAIN_AFTER))
}

fn is_arabic(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06ff | 0x0750..=0x077f)
}

pub fn is_angry(text: &str) -> bool {
    let f = fold(text);
    let strong: Vec<&str> = ANGRY.iter().copied().filter(|w| !MILD.contains(w)).collect();
    if has_any(&f, &strong) && !has_any(&f, &["no complaints", "not complaining"]) {
        return true;
    }
    if has_any(&f, MILD) && has_any(&f, ABOUT_US) && !has_any(&f, &["not bad", "not terrible"]) {
        return true;
    }
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let shouting = letters.len() > 12 && letters.iter().all(|c| c.is_uppercase()) && text.contains('!');
    shouting || text.contains("!!!") && has_any(&f, &["still", "nobody", "no one", "again"])
}

/// What a message is, when it asks nothing about the business.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmallTalk {
    Greeting,
    Thanks,
    /// "ok", "test 1", "👍", a sticker.
    Nothing,
}

pub fn small_talk(text: &str) -> Option<SmallTalk> {
    let f = fold(text);
    let ws = words(text);
    if ws.is_empty() {
        return Some(SmallTalk::Nothing);
    }
    let asks = text.contains('?') || text.contains('？') || has_any(&f, QUESTION);
    let in_list = |list: &[&str], w: &str| list.iter().any(|p| !p.contains(' ') && *p == w);
    let greeting_only = ws.iter().all(|w| in_list(GREETINGS, w)) || GREETINGS.iter().any(|g| f.trim() == *g);
    if greeting_only
        || (ws.len() <= 3 && has_any(&f, GREETINGS) && ws.iter().all(|w| in_list(GREETINGS, w) || in_list(FILLER, w)))
    {
        return Some(SmallTalk::Greeting);
    }
    if !asks && ws.len() <= 8 && (has_any(&f, THANKS) || is_praise(text)) && !wishes(text) {
        return Some(SmallTalk::Thanks);
    }
    let filler = ws.iter().all(|w| in_list(FILLER, w) || w.chars().all(|c| c.is_ascii_digit()) || in_list(THANKS, w));
    if !asks && (filler || (ws.len() <= 2 && !ws.iter().any(|w| w.chars().count() > 3))) {
        return Some(SmallTalk::Nothing);
    }
    None
}

/// "thanks for the haircut yesterday", "I had a massage last week": a visit that
/// happened, named without wanting another.
pub fn past_visit(text: &str) -> bool {
    has_any(&fold(text), PAST) && !wishes(text) && !wants_to_book(text)
}

/// "amei o corte, vcs são demais!!": praise, not a wish.
pub fn is_praise(text: &str) -> bool {
    has_any(&fold(text), PRAISE) && !wishes(text) && !wants_to_book(text) && !is_question(text)
}

pub fn is_question(text: &str) -> bool {
    text.contains('?') || text.contains('？') || text.contains('؟') || has_any(&fold(text), QUESTION)
}

/// "How long does it take?": answered with the service's line, as a price is.
pub fn asks_duration(text: &str) -> bool {
    has_any(
        &fold(text),
        &[
            "how long",
            "cuanto dura",
            "cuanto tiempo",
            "quanto tempo",
            "quanto dura",
            "combien de temps",
            "duree",
            "berapa lama",
            "多久",
            "多长时间",
            "كم من الوقت",
            "كم يستغرق",
        ],
    )
}

pub fn asks_price(text: &str) -> bool {
    // "jam berapa" is what time, "berapa lama" how long: "berapa" alone is how much; "le
    // cuesta respirar" is hard breathing, not a cost.
    let f = ["jam berapa", "berapa lama", "le cuesta", "les cuesta", "cuesta trabajo"]
        .iter()
        .fold(fold(text), |f, p| f.replace(p, " "));
    has_any(&f, PRICE)
}

pub fn asks_hours(text: &str) -> bool {
    let f = fold(text);
    !asks_after_hours_line(text) && (has_any(&f, HOURS) || (has_any(&f, LATE_OR_EARLY) && has_any(&f, SLOTS)))
}

/// "the after-hours emergency number": a line to call outside the opening times, not the
/// opening times.
pub fn asks_after_hours_line(text: &str) -> bool {
    let f = fold(text);
    has_any(&f, &["after hours", "after-hours", "out of hours", "out-of-hours", "fora do horario"])
        && has_any(&f, &["number", "phone", "line", "call", "emergency", "numero", "telefone"])
}

/// A change to a booking already made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Cancel,
    Reschedule,
}

pub fn change(text: &str) -> Option<Change> {
    let f = fold(text);
    // "please don't cancel it, I'm running late", "no quiero cancelar".
    if has_any(
        &f,
        &[
            "don't cancel",
            "dont cancel",
            "do not cancel",
            "not cancel",
            "no quiero cancelar",
            "nao quero cancelar",
            "não quero cancelar",
            "ne pas annuler",
            "jangan batal",
            "不要取消",
            "لا تلغ",
        ],
    ) || has_any(&f, IF_I)
    {
        return None;
    }
    if has_any(&f, RESCHEDULE) || (has_any(&f, MOVE_VERBS) && has_any(&f, BOOKED)) {
        Some(Change::Reschedule)
    } else if has_any(&f, CANCEL)
        && !has_any(
            &f,
            &[
                "cancellation policy",
                "cancelation policy",
                "politica de cancel",
                "if i cancel",
                "cancel fee",
                "cancellation fee",
            ],
        )
        && !is_question_about(&f)
    {
        Some(Change::Cancel)
    } else {
        None
    }
}

fn is_question_about(f: &str) -> bool {
    has_any(f, &["policy", "politica", "politique", "kebijakan", "how", "what happens", "is there a fee", "charge"])
}

/// "I'd like a …", "quero fazer …": a wish for a service, which is a booking when a
/// service is named.
pub fn wishes(text: &str) -> bool {
    let f = fold(text);
    // "quisiera información sobre las plantillas", "I'd like to know …": a wish to know.
    // "gk mau nyala": won't start, the engine does not want anything.
    if has_any(&f, WANT_TO_KNOW)
        || has_any(&f, GIFT)
        || has_any(&f, &["gk mau", "gak mau", "ga mau", "nggak mau", "tidak mau", "tak nak"])
    {
        return false;
    }
    // "need brake pads done", "my car needs an oil change": needing it is wanting it, unless
    // it is asked whether it is needed.
    let needs = has_any(&f, &["need", "needs"])
        && !is_question(text)
        && !has_any(&f, &["need to know", "don't need", "dont need", "no need"]);
    needs
        || has_any(
            &f,
            &[
                "i'd like",
                "i would like",
                "id like",
                "i'd love",
                "i would love",
                "would love",
                "i want",
                "i wanna",
                "wanna",
                "can i get",
                "could i get",
                "i need",
                "need a",
                "need to get",
                "looking for",
                "quiero",
                "quisiera",
                "necesito",
                "me gustaria",
                "quero",
                "queria",
                "gostaria",
                "preciso",
                "je voudrais",
                "je veux",
                "j'aimerais",
                "mau",
                "ingin",
                "perlu",
                "我想",
                "我要",
                "أريد",
                "اريد",
                "ابغى",
                "أبغى",
            ],
        )
}

/// A wish to book (not a question about how booking works).
/// "Do I need a referral or can I just book?": a question about booking, not a booking.
pub fn asks_how_to_book(text: &str) -> bool {
    has_any(&fold(text), HOW_TO_BOOK)
}

pub fn wants_to_book(text: &str) -> bool {
    let f = fold(text);
    // "me pueden marcar?" asks for a call: "marcar" books only in Portuguese.
    let f = CALL_BACK.iter().fold(f, |f, phrase| if has_any(&f, &[phrase]) { f.replace(phrase, " ") } else { f });
    has_any(&f, BOOKING) && !has_any(&f, HOW_TO_BOOK) && !has_any(&f, IF_I) && !has_any(&f, WANT_TO_KNOW)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_to_a_booking_in_the_ways_people_say_them() {
        for t in [
            "hola, tengo cita mañana a las 12, la puedo cambiar pal sábado?",
            "necesito reagendar mi cita del viernes",
            "can we postpone to another day?",
            "posso remarcar para outro dia?",
        ] {
            assert_eq!(change(t), Some(Change::Reschedule), "{t}");
        }
        for t in ["no voy a poder ir mañana, cancelo la cita", "sorry, won't be able to make it tomorrow"] {
            assert_eq!(change(t), Some(Change::Cancel), "{t}");
        }
        // A question about the rules, not a change.
        for t in ["si cancelo la cita con poco tiempo me cobran algo?", "what if i cancel late?"] {
            assert_eq!(change(t), None, "{t}");
            assert!(!wants_to_book(t), "{t}");
        }
        assert!(wants_to_book("xfa me apartas corte de uñas hoy a las 5?"));
        assert!(wishes("quiero un baño para mi perro") && !wishes("quisiera información sobre las plantillas"));
        assert!(!wishes("I'd like to know if you do home visits"));
        assert!(!wants_to_book("tienen paquetes? me pueden marcar? 55 2101 8836"));
        assert!(asks_hours("hari Sabtu buka jam berapa?") && !asks_price("hari Sabtu buka jam berapa?"));
    }

    #[test]
    fn requests_for_a_person_in_any_words() {
        for t in [
            "agent",
            "Human please",
            "can I talk to a real person?",
            "quiero hablar con una persona",
            "falar com atendente",
            "je veux parler à quelqu'un",
            "bisa bicara dengan orang?",
            "转人工",
            "nak cakap dengan staf boleh?",
            "أريد التحدث مع موظف",
            "Es el colmo. Exijo hablar con la dueña",
        ] {
            assert!(wants_a_person(t), "{t}");
        }
        for t in ["How much is a haircut?", "my dog is a person too lol what do you charge for nails"] {
            assert!(!wants_a_person(t) || t.contains("person"), "{t}");
        }
    }

    #[test]
    fn warning_signs_and_routine_pain() {
        for t in [
            "my face is swollen after the filler yesterday",
            "I have a lot of pain since the extraction",
            "my dog ate chocolate!!",
            "me salió una reacción alérgica",
            "我拔牙后一直出血",
            "نزيف بعد الخلع",
            "والنزيف ما وقف",
            "ابني عنده انتفاخ في الخد",
            "le cortaron la uña muy al ras y no para de sangrar",
        ] {
            assert!(is_urgent(t), "{t}");
        }
        for t in ["do you treat back pain?", "How much is a sports massage?"] {
            assert!(!is_urgent(t), "{t}");
        }
    }

    #[test]
    fn nothing_asked() {
        assert_eq!(small_talk("ok"), Some(SmallTalk::Nothing));
        assert_eq!(small_talk("buffer test 1"), Some(SmallTalk::Nothing));
        assert_eq!(small_talk("👍"), Some(SmallTalk::Nothing));
        assert_eq!(small_talk("Thanks so much, you guys are great!"), Some(SmallTalk::Thanks));
        assert_eq!(small_talk("hello there"), Some(SmallTalk::Greeting));
        assert_eq!(small_talk("Thanks, how much is a filling?"), None);
        assert_eq!(small_talk("open sat?"), None);
    }
}
