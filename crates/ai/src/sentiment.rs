//! How a visitor's message feels, from -1 (clearly upset) to 1 (clearly pleased), for the
//! `sentiment_result` event: anger and complaint words (the same as the hand-over's) and
//! pleased ones, turned around after a negation, in the agent's languages.

use crate::intent::ANGRY;
use crate::words::{fold, has_phrase, words};

/// Unhappy words that are not anger.
const SAD: &[&str] = &["hate", "shame", "waste", "burned", "hurt"];
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
    "gracias",
    "obrigado",
    "obrigada",
    "merci",
    "genial",
    "perfecto",
    "perfeito",
    "otimo",
    "parfait",
    "makasih",
    "mantap",
];
const NEGATIONS: &[&str] =
    &["not", "no", "never", "don't", "didn't", "isn't", "wasn't", "hardly", "nao", "pas", "tidak", "bukan"];

/// From -1 (clearly upset) to 1 (clearly pleased).
pub fn sentiment(text: &str) -> f64 {
    let folded = fold(text);
    let w = words(text);
    let negative = |x: &str| ANGRY.iter().chain(SAD).any(|n| !n.contains(' ') && *n == x);
    let mut score = 0.0;
    for (i, word) in w.iter().enumerate() {
        let negated = i > 0 && NEGATIONS.contains(&w[i - 1].as_str());
        if negative(word) {
            score += if negated { 0.5 } else { -1.0 };
        } else if POSITIVE.contains(&word.as_str()) {
            score += if negated { -1.0 } else { 0.6 };
        }
    }
    score -= ANGRY.iter().chain(SAD).filter(|n| n.contains(' ') && has_phrase(&folded, n)).count() as f64;
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    if text.contains("!!") || (letters.len() > 12 && letters.iter().all(|c| c.is_uppercase())) {
        score -= 0.5;
    }
    // "my Portuguese is terrible lol": someone laughing is less upset than the words say
    // (halved, not cancelled: "worst service ever lol" is still a complaint).
    if score < 0.0 && w.iter().any(|x| LAUGHING.contains(&x.as_str()) || is_laugh(x))
        || text.contains(['😂', '🤣', '😅', '😆'])
    {
        score /= 2.0;
    }
    (score / 2.0).clamp(-1.0, 1.0)
}

/// Laughter as people type it in the agent's languages.
const LAUGHING: &[&str] =
    &["lol", "lmao", "rofl", "haha", "hehe", "jaja", "jeje", "rsrs", "kkk", "wkwk", "mdr", "哈哈"];

/// "hahaha", "kkkkk", "wkwkwk", "jajaja": laughter of any length.
fn is_laugh(word: &str) -> bool {
    ["ha", "he", "ja", "rs", "wk"]
        .iter()
        .any(|unit| word.len() >= 4 && word.len() % 2 == 0 && word.as_bytes().chunks(2).all(|c| c == unit.as_bytes()))
        || (word.len() >= 3 && word.chars().all(|c| c == 'k'))
}

/// Below this a conversation is handed to a person.
pub const CLEARLY_NEGATIVE: f64 = -0.5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feelings() {
        assert!(sentiment("This is the worst service, I'm furious and want a refund") <= CLEARLY_NEGATIVE);
        for joking in ["my portuguese is terrible lol", "meu inglês é horrível kkkkk", "my spanish is awful hahaha 😂"]
        {
            assert!(sentiment(joking) > CLEARLY_NEGATIVE, "{joking}");
        }
        assert!(sentiment("Thanks, that's perfect!") > 0.0);
        assert!(sentiment("Not bad, thanks") > CLEARLY_NEGATIVE);
        assert!(sentiment("Estou furiosa, que absurdo!!") <= CLEARLY_NEGATIVE);
        assert!(sentiment("Merci, c'est parfait") > 0.0);
    }
}
