//! Words for retrieval, and passages to retrieve: plain text cut where its author cut it
//! (lines and paragraphs), so a price list keeps one service per line.

/// Words that say nothing about what is asked.
const STOPWORDS: &[&str] = &[
    "a", "about", "an", "and", "are", "as", "at", "be", "by", "can", "could", "do", "does", "for", "from", "have",
    "hello", "hey", "hi", "how", "i", "if", "in", "is", "it", "its", "me", "my", "of", "on", "or", "our", "please",
    "so", "that", "the", "there", "this", "to", "us", "was", "we", "what", "when", "where", "which", "who", "will",
    "with", "would", "you", "your",
];

/// Lowercased words without stopwords, with plural and verb endings folded, so "haircuts"
/// finds "haircut" and "booking" finds "book".
pub fn terms(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\'').to_lowercase())
        .map(|w| w.strip_suffix("'s").map(str::to_owned).unwrap_or(w))
        .filter(|w| !w.is_empty() && !STOPWORDS.contains(&w.as_str()))
        .map(|w| fold(&w))
        .collect()
}

fn fold(word: &str) -> String {
    if word.chars().count() <= 4 || word.chars().any(|c| c.is_ascii_digit()) {
        return word.to_owned();
    }
    for suffix in ["ings", "ing", "ies", "ed", "s"] {
        if let Some(stem) = word.strip_suffix(suffix)
            && stem.chars().count() >= 3
        {
            return if suffix == "ies" { format!("{stem}y") } else { stem.to_owned() };
        }
    }
    word.to_owned()
}

/// A piece of text an answer can come from, and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    pub title: String,
    pub url: Option<String>,
    pub text: String,
}

/// The most a passage holds; longer paragraphs are cut at sentence ends.
const MAX_PASSAGE: usize = 600;

/// Cuts `text` into passages of whole lines, a paragraph (or `MAX_PASSAGE` characters) each.
pub fn passages(title: &str, url: Option<&str>, text: &str) -> Vec<Passage> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut flush = |current: &mut String| {
        let t = current.trim();
        if !t.is_empty() {
            out.push(Passage { title: title.to_owned(), url: url.map(str::to_owned), text: t.to_owned() });
        }
        current.clear();
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            flush(&mut current);
            continue;
        }
        for piece in sentences_within(line, MAX_PASSAGE) {
            if current.len() + piece.len() > MAX_PASSAGE {
                flush(&mut current);
            }
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(piece);
        }
    }
    flush(&mut current);
    out
}

/// `line` itself if short enough, else its sentences.
fn sentences_within(line: &str, max: usize) -> Vec<&str> {
    if line.len() <= max {
        return vec![line];
    }
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in line.char_indices() {
        if matches!(c, '.' | '!' | '?') && line[i + 1..].starts_with(' ') {
            out.push(line[start..=i].trim());
            start = i + 1;
        }
    }
    out.push(line[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_drop_stopwords_and_fold_endings() {
        assert_eq!(terms("How much is a haircut?"), ["much", "haircut"]);
        assert_eq!(terms("Men's haircuts — $30"), ["men", "haircut", "30"]);
        assert_eq!(terms("Booking appointments"), ["book", "appointment"]);
        assert_eq!(terms("Do you open on Sundays?"), ["open", "sunday"]);
        assert_eq!(terms("services"), terms("service"));
    }

    #[test]
    fn passages_keep_lines_whole_and_split_paragraphs() {
        let text = "Prices\nMen's haircut — $30, 30 minutes\nColour — $80\n\nWe are open Monday to Friday.";
        let p = passages("Prices", None, text);
        assert_eq!(p.len(), 2);
        assert!(p[0].text.contains("Men's haircut — $30, 30 minutes\nColour — $80"));
        assert_eq!(p[1].text, "We are open Monday to Friday.");
        let long = "A sentence that goes on. ".repeat(60);
        assert!(passages("t", None, &long).iter().all(|p| p.text.len() <= MAX_PASSAGE));
    }
}
