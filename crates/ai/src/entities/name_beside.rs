//! A name written beside the phone number or email it belongs to, as chat signs off:
//! "Kate 07700900712", "Greg Walsh, 646-555-0110", "+62 813 9876 5432, Dewi".

use super::name::{NOT_NAMES, TITLES};
use crate::words::fold;

/// A name written beside a phone number or email: "Kate 07700900712", "Greg Walsh,
/// 646-555-0110", "Sam - 0491 570 313", "+62 813 9876 5432, Dewi". `contact` is where the
/// detail starts and ends in `text` (bytes).
pub fn name_beside(text: &str, contact: (usize, usize)) -> Option<String> {
    let capital = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().all(|c| c.is_alphabetic() || c == '\'' || c == '-')
            && !NOT_NAMES.contains(&fold(w).as_str())
            && !TITLES.contains(&fold(w).as_str())
            && w.chars().count() > 1
    };
    let mut before: Vec<&str> = text[..contact.0]
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '-' | '–' | '—' | ':' | '('))
        .split_whitespace()
        .collect();
    // "Sam Reyes, call me on 07700…", "Ana, my number is …": the words that lead to the
    // number stand between it and the name.
    const LEADS: &[&str] = &[
        "call me on",
        "call me at",
        "call me",
        "text me on",
        "text me at",
        "reach me on",
        "reach me at",
        "whatsapp me on",
        "whatsapp me at",
        "my number is",
        "my number's",
        "my no is",
        "my no. is",
        "number is",
        "my phone is",
        "my mobile is",
        "my cell is",
        "phone",
        "mobile",
        "tel",
        "hp",
        "cel",
        "on",
        "at",
    ];
    for lead in LEADS {
        let words: Vec<&str> = lead.split(' ').collect();
        if before.len() > words.len()
            && before[before.len() - words.len()..]
                .iter()
                .zip(&words)
                .all(|(b, w)| fold(b.trim_end_matches([':', ','])) == *w)
        {
            before.truncate(before.len() - words.len());
            break;
        }
    }
    let mut taken: Vec<&str> = Vec::new();
    for k in (0..before.len()).rev() {
        let w = before[k];
        let bare = w.trim_matches(|c: char| !c.is_alphabetic());
        // "…came up. Mark 07700 900199": the name starts a sentence of its own; a comma
        // inside ("Thanks, Mark") ends it.
        // Up to three words ("Lim Ah Kow 012-…"): names of three are common.
        if taken.len() == 3 || !capital(bare) || (k + 1 < before.len() && w.ends_with([',', '.', '!', '?', ';'])) {
            break;
        }
        taken.insert(0, bare);
    }
    let first = before.len() - taken.len();
    // "Please call 0491…": a capitalised first word of a longer sentence is no name.
    let opens_message = first == 0 && before.len() > taken.len();
    if !taken.is_empty()
        && !opens_message
        && (first == 0 || before[first - 1].ends_with(['.', '!', '?', ',', ';', ':']) || taken.len() == 2)
    {
        return Some(taken.join(" "));
    }
    let after: Vec<&str> = text[contact.1..]
        .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '-' | '–' | '—' | ':' | ')'))
        .split_whitespace()
        .collect();
    let name: Vec<&str> =
        after.iter().map(|w| w.trim_matches(|c: char| !c.is_alphabetic())).take_while(|w| capital(w)).take(2).collect();
    (!name.is_empty() && after.len() <= name.len() + 1).then(|| name.join(" "))
}

#[cfg(test)]
mod beside {
    use super::name_beside;

    fn at(text: &str, detail: &str) -> Option<String> {
        let start = text.find(detail).unwrap();
        name_beside(text, (start, start + detail.len()))
    }

    #[test]
    fn names_written_next_to_a_number() {
        assert_eq!(at("Kate 07700900712", "07700900712").as_deref(), Some("Kate"));
        assert_eq!(at("Greg Walsh, 646-555-0110", "646-555-0110").as_deref(), Some("Greg Walsh"));
        assert_eq!(at("Lim Ah Kow 012-555 0171", "012-555 0171").as_deref(), Some("Lim Ah Kow"));
        assert_eq!(at("Sam Reyes, call me on 07700 900123", "07700 900123").as_deref(), Some("Sam Reyes"));
        assert_eq!(at("Ana, my number is 11 98222-4455", "11 98222-4455").as_deref(), Some("Ana"));
        assert_eq!(at("please call me on 07700 900123", "07700 900123"), None);
        assert_eq!(at("Sam - 0491 570 313", "0491 570 313").as_deref(), Some("Sam"));
        assert_eq!(at("something came up. Mark 07700 900199", "07700 900199").as_deref(), Some("Mark"));
        assert_eq!(at("WA saya +62 813 9876 5432, Dewi", "+62 813 9876 5432").as_deref(), Some("Dewi"));
        assert_eq!(at("Please call 0491 570 313", "0491 570 313"), None);
        assert_eq!(at("call me on 0491 570 313 tomorrow", "0491 570 313"), None);
    }
}
