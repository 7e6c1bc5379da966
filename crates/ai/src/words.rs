//! Text folded for matching: lower case, accents gone, punctuation dropped. Words keep
//! their own script, so Chinese and Arabic still match themselves.

use unicode_normalization::UnicodeNormalization;

/// Lower case without accents: "Sábado" → "sabado", "Fermé" → "ferme".
pub fn fold(text: &str) -> String {
    // Most text is ASCII: nothing to decompose.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// The folded words of `text`, apostrophes kept inside words ("i'm", "men's").
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .replace(['’', '‘'], "'")
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\'').to_owned())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether the folded `haystack` holds `phrase` as whole words (or, for scripts written
/// without spaces, anywhere).
pub fn has_phrase(haystack: &str, phrase: &str) -> bool {
    if phrase.chars().any(is_unspaced) {
        return haystack.contains(phrase);
    }
    let mut from = 0;
    while let Some(pos) = haystack[from..].find(phrase) {
        let at = from + pos;
        let end = at + phrase.len();
        let before = haystack[..at].chars().next_back();
        let after = haystack[end..].chars().next();
        let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if edge(before) && edge(after) {
            return true;
        }
        from = at + phrase.chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// Any of `phrases` in the folded text.
pub fn has_any(folded: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| has_phrase(folded, p))
}

/// Han, kana and Thai are written without spaces between words.
pub fn is_unspaced(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x0e00..=0x0e7f)
}

/// An English or Romance plural made singular, for matching: "haircuts" → "haircut",
/// "fillings" → "filling", "massages" → "massage".
pub fn singular(word: &str) -> &str {
    // "pads", "nails", "cuts"; not "this", "class" or "plus", nor words that only end in s.
    const NOT_PLURAL: &[&str] =
        &["news", "lens", "ours", "yours", "tres", "mais", "emas", "gas", "bus", "yes", "was", "has", "does", "goes"];
    if word.chars().count() > 3
        && !NOT_PLURAL.contains(&word)
        && word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
        && !word.ends_with("'s")
    {
        &word[..word.len() - 1]
    } else {
        word
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_phrases() {
        assert_eq!(fold("Sábado FERMÉ"), "sabado ferme");
        assert_eq!(words("I’m Ana, it's 5pm!"), vec!["i'm", "ana", "it's", "5pm"]);
        assert!(has_phrase("talk to a human please", "a human"));
        assert!(!has_phrase("humanity", "human"));
        assert!(has_phrase("我要人工服务", "人工"));
        assert_eq!(singular("haircuts"), "haircut");
        assert_eq!(singular("class"), "class");
    }
}
