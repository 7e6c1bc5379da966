//! A message cut into what it says and asks: its sentences, its questions (a second one
//! joined by "and" too), and the words that point back at the one before.

/// Words that point back at what was just asked about.
pub(super) const PRONOUNS: &[&str] = &["it", "they", "them", "that", "this", "one", "ela", "ele", "eso", "esa", "itu"];

/// The sentences of a message: ended by a question or exclamation mark, a full stop
/// before a space (not "4.30"), or a line break.
pub(crate) fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let ends = matches!(c, '?' | '？' | '؟' | '!' | '！' | '\n' | '。')
            || (c == '.' && chars.peek().is_none_or(|n| n.is_whitespace()));
        if c != '\n' {
            current.push(c);
        }
        if ends && !current.trim().is_empty() {
            out.push(current.trim().to_owned());
            current.clear();
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_owned());
    }
    out
}

/// The questions of a message, each with words enough to be one ("Where are you? Is
/// there parking?"); one part when it asks one thing.
pub(crate) fn questions(text: &str) -> Vec<String> {
    let split: Vec<String> = text.split_inclusive(['?', '？', '؟']).flat_map(second_question).collect();
    let parts: Vec<String> = split
        .iter()
        .map(|p| p.trim())
        .filter(|p| p.split_whitespace().count() >= 2 || p.chars().any(crate::words::is_unspaced))
        .map(str::to_owned)
        .collect();
    if parts.len() > 1 { parts.into_iter().take(3).collect() } else { vec![text.to_owned()] }
}

/// "where are you based and is there parking": a second question joined by "and" (in
/// the agent's languages) is a question of its own.
fn second_question(part: &str) -> Vec<String> {
    const JOINED: &[&str] = &[
        " and is ",
        " and are ",
        " and do ",
        " and does ",
        " and can ",
        " and how ",
        " and what ",
        " and when ",
        " and where ",
        " and which ",
        " also how ",
        " also what ",
        " y cuanto ",
        " y donde ",
        " y tienen ",
        " y hay ",
        " y cuánto ",
        " y dónde ",
        " e quanto ",
        " e onde ",
        " e tem ",
        " e vocês ",
        " et combien ",
        " et où ",
        " et est-ce ",
        " dan berapa ",
        " dan apakah ",
        " dan di mana ",
    ];
    // ASCII letters lowered alone: every other character keeps its bytes, so an offset
    // found here is one in `part` ("İ" would grow under a full lower-casing).
    let folded = part.to_ascii_lowercase();
    match JOINED.iter().filter_map(|j| folded.find(j).map(|at| (at, j.len()))).min() {
        Some((at, _)) => {
            let (first, second) = part.split_at(at);
            vec![first.to_owned(), second.trim_start().trim_start_matches(|c: char| c.is_alphabetic()).to_owned()]
        }
        None => vec![part.to_owned()],
    }
}

#[cfg(test)]
mod tests {
    use super::{questions, sentences};

    #[test]
    fn a_message_is_cut_into_its_sentences() {
        assert_eq!(
            sentences("Hai, saya nak tanya harga. Boleh hubungi saya di 050 876 5432. Terima kasih"),
            ["Hai, saya nak tanya harga.", "Boleh hubungi saya di 050 876 5432.", "Terima kasih"]
        );
        assert_eq!(sentences("friday at 4.30pm? call me\n— Joe"), ["friday at 4.30pm?", "call me", "— Joe"]);
        assert!(sentences(" \n ").is_empty());
    }

    #[test]
    fn a_second_question_joined_by_and_is_answered_too() {
        assert_eq!(
            questions("where are you based and is there parking nearby"),
            ["where are you based", "is there parking nearby"]
        );
        assert_eq!(questions("Hola, ¿dónde están y cuánto cuesta?"), ["Hola, ¿dónde están", "cuánto cuesta?"]);
        assert_eq!(questions("cut and colour please"), ["cut and colour please"]);
        assert_eq!(
            questions("İİİİİİİİİ where are you and is ẞẞẞẞẞẞẞẞẞ parking?"),
            ["İİİİİİİİİ where are you", "is ẞẞẞẞẞẞẞẞẞ parking?"]
        );
        assert!(!crate::intent::asks_hours("whats the after hours emergency number"));
        assert!(crate::intent::asks_hours("what are your hours on saturday"));
        assert!(crate::intent::asks_hours("do you have evening appointments? I work till 6"));
        assert!(crate::intent::asks_hours("¿tienen citas por la noche?"));
        assert!(!crate::intent::asks_hours("sorry, running late for my appointment"));
        assert!(!crate::intent::asks_hours("llego tarde a mi cita"));
    }
}
