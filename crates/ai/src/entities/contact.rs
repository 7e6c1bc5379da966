//! Emails and phone numbers. Numbers are parsed with libphonenumber's rules (the
//! `phonenumber` port), so "07700 900123" in a British workspace is +447700900123 and a
//! price or a time is never a phone number.

use phonenumber::country::Id;

/// The first email address in `text`, lower-cased.
pub fn email(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '<' | '>' | '"' | '\'' | '，'))
        .map(|w| w.trim_matches(|c: char| matches!(c, '.' | '!' | '?' | ':' | '。')))
        .find(|w| {
            let Some((local, domain)) = w.split_once('@') else { return false };
            let label_ok = |l: &str| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-');
            !local.is_empty()
                && local.chars().all(|c| c.is_alphanumeric() || "._%+-".contains(c))
                && domain.contains('.')
                && domain.split('.').all(label_ok)
                && domain.rsplit('.').next().is_some_and(|tld| tld.chars().count() >= 2)
        })
        .map(str::to_lowercase)
}

/// The first phone number in `text`, in E.164 form, and where it is written (bytes).
pub fn phone_at(text: &str, region: Option<&str>) -> Option<(String, (usize, usize))> {
    let number = phone(text, region)?;
    let mut from = 0;
    for candidate in candidates(text) {
        let Some(pos) = text[from..].find(&candidate) else { continue };
        let start = from + pos;
        from = start + candidate.len();
        if phone(&candidate, region).as_deref() == Some(number.as_str()) {
            return Some((number, (start, start + candidate.len())));
        }
    }
    Some((number, (text.len(), text.len())))
}

/// The first email in `text` and where it is written (bytes).
pub fn email_at(text: &str) -> Option<(String, (usize, usize))> {
    let found = email(text)?;
    let start = text
        .to_lowercase()
        .find(&found)
        .filter(|s| text.is_char_boundary(*s) && text.is_char_boundary(s + found.len()))?;
    Some((found.clone(), (start, start + found.len())))
}

/// The first phone number in `text`, in E.164 form. `region` (ISO 3166 alpha-2, the
/// workspace's) reads numbers written without a country code; without one such a number
/// is kept as its digits, and only international ones ("+44 …", "00 44 …") are in E.164.
pub fn phone(text: &str, region: Option<&str>) -> Option<String> {
    let region: Option<Id> = region.and_then(|r| r.to_ascii_uppercase().parse().ok());
    for candidate in candidates(text) {
        let digits = candidate.chars().filter(char::is_ascii_digit).count();
        if !(7..=15).contains(&digits) {
            continue;
        }
        let international = candidate.starts_with('+') || candidate.starts_with("00");
        let written = if candidate.starts_with("00") { format!("+{}", &candidate[2..]) } else { candidate.clone() };
        if !international && region.is_none() {
            // No region to read it with: the number as given (digits only) rather than
            // none, so the team can still call; a date ("04/12/2026") is not one.
            if candidate.contains('/') {
                continue;
            }
            return Some(candidate.chars().filter(char::is_ascii_digit).collect());
        }
        let Ok(number) = phonenumber::parse(if international { None } else { region }, &written) else { continue };
        // Valid by the metadata, or at least possible: the ranges kept for drama and
        // examples (07700 900xxx, 555-01xx) are still numbers people type.
        if phonenumber::is_valid(&number) || possible(&number) {
            return Some(number.format().mode(phonenumber::Mode::E164).to_string());
        }
    }
    None
}

fn possible(number: &phonenumber::PhoneNumber) -> bool {
    let national = number.national().value().to_string().len();
    number.code().value() > 0 && (8..=12).contains(&national)
}

/// Runs of digits with the separators people put in numbers; a run next to a currency
/// sign, or holding a clock time, is not a number to call.
fn candidates(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !(c.is_ascii_digit() || (c == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit))) {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i + 1;
        while j < chars.len() && (chars[j].is_ascii_digit() || " -.()/".contains(chars[j])) {
            // A space ends the run unless a digit or an opening bracket follows.
            if chars[j] == ' ' && !chars.get(j + 1).is_some_and(|n| n.is_ascii_digit() || *n == '(' || *n == '-') {
                break;
            }
            j += 1;
        }
        let before = start.checked_sub(1).map(|k| chars[k]);
        let priced = before.is_some_and(|b| "$€£¥".contains(b)) || text_before(&chars, start).ends_with("R$");
        let run: String = chars[start..j].iter().collect::<String>().trim_end_matches([' ', '-', '.', '(', '/']).into();
        let mut digits = run.clone();
        if start > 0 && chars[start - 1] == '(' {
            digits.insert(0, '(');
        }
        if !priced && !run.contains(':') {
            out.push(digits);
        }
        i = j.max(i + 1);
    }
    out
}

fn text_before(chars: &[char], end: usize) -> String {
    chars[end.saturating_sub(2)..end].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_people_write_them() {
        assert_eq!(phone("call me on 07700 900123 pls", Some("GB")).as_deref(), Some("+447700900123"));
        assert_eq!(phone("my number is +44 7700 900123", None).as_deref(), Some("+447700900123"));
        assert_eq!(phone("(212) 555-0199", Some("US")).as_deref(), Some("+12125550199"));
        assert_eq!(phone("(415) 555-2671", Some("US")).as_deref(), Some("+14155552671"));
        assert_eq!(phone("meu whats é (11) 98765-4321", Some("BR")).as_deref(), Some("+5511987654321"));
        assert_eq!(phone("it costs $1500000 total", Some("US")), None);
        assert_eq!(phone("see you at 15:00", Some("GB")), None);
        assert_eq!(phone("0491 570 156", Some("AU")).as_deref(), Some("+61491570156"));
        assert_eq!(phone("050 123 4567", Some("AE")).as_deref(), Some("+971501234567"));
        // Without a region: the digits as given, never a date.
        assert_eq!(phone("call me at 415-555-0144", None).as_deref(), Some("4155550144"));
        assert_eq!(phone("on 04/12/2026 at 10", None), None);
    }

    #[test]
    fn emails() {
        assert_eq!(email("mail me: Ana.Lima@Example.com.").as_deref(), Some("ana.lima@example.com"));
        assert_eq!(email("at @home"), None);
        assert_eq!(email("a@b"), None);
    }
}
