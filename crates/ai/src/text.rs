//! Words for retrieval, and passages to retrieve: plain text cut where its author cut it
//! (lines and paragraphs), so a price list keeps one service per line.

/// Words that say nothing about what is asked, in the languages the agent speaks (folded:
/// no accents). Left in, "onde fica o salão?" would count five words the page cannot have
/// against the one it has. Words that ask for a price stay out of this list: the glossary
/// turns them into "price"; so do words that are English words too ("no", "son", "hay",
/// "sale", "ada").
const STOPWORDS: &[&str] = &[
    // English
    "a",
    "about",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "can",
    "could",
    "do",
    "does",
    "for",
    "from",
    "have",
    "hello",
    "hey",
    "hi",
    "how",
    "i",
    "if",
    "in",
    "is",
    "it",
    "its",
    "me",
    "my",
    "of",
    "on",
    "or",
    "our",
    "please",
    "so",
    "that",
    "the",
    "there",
    "this",
    "to",
    "us",
    "was",
    "we",
    "what",
    "when",
    "where",
    "which",
    "who",
    "will",
    "with",
    "would",
    "you",
    "your",
    "u",
    "ur",
    "guys",
    "any",
    "get",
    // Spanish
    "el",
    "la",
    "los",
    "las",
    "un",
    "una",
    "unos",
    "unas",
    "del",
    "al",
    "y",
    "en",
    "con",
    "por",
    "para",
    "que",
    "cual",
    "como",
    "donde",
    "cuando",
    "es",
    "esta",
    "estan",
    "tienen",
    "tiene",
    "ustedes",
    "usted",
    "yo",
    "mis",
    "se",
    "lo",
    "le",
    "les",
    "su",
    "sus",
    "hola",
    "buenas",
    "buenos",
    "favor",
    "puedo",
    "puede",
    "hacen",
    "mi",
    "me",
    "te",
    "tu",
    "muy",
    "pero",
    "algo",
    "q",
    "xq",
    "porfa",
    "xfa",
    // Portuguese
    "o",
    "os",
    "as",
    "um",
    "uma",
    "de",
    "do",
    "da",
    "dos",
    "das",
    "na",
    "nos",
    "nas",
    "em",
    "e",
    "ou",
    "com",
    "pra",
    "qual",
    "onde",
    "quando",
    "sao",
    "estao",
    "tem",
    "voces",
    "vcs",
    "voce",
    "vc",
    "eu",
    "meu",
    "minha",
    "oi",
    "ola",
    "bom",
    "boa",
    "fica",
    "pode",
    "posso",
    "tambem",
    "seu",
    "sua",
    "mais",
    "muito",
    // French
    "les",
    "une",
    "des",
    "du",
    "d",
    "l",
    "et",
    "avec",
    "pour",
    "par",
    "qu",
    "quel",
    "quelle",
    "comment",
    "ou",
    "est",
    "sont",
    "vous",
    "je",
    "j",
    "ma",
    "nous",
    "bonjour",
    "salut",
    "etes",
    "avez",
    "il",
    "ce",
    "c",
    "quoi",
    "votre",
    "vos",
    "notre",
    "nos",
    "mon",
    "mes",
    "son",
    "ses",
    "sa",
    "si",
    "encore",
    "ca",
    "cela",
    "cette",
    "ces",
    "dans",
    "sur",
    "ne",
    "au",
    "aux",
    "qui",
    "on",
    "moi",
    "svp",
    "stp",
    "jsp",
    "aussi",
    "peut",
    "peux",
    // Indonesian and Malay
    "apa",
    "apakah",
    "bagaimana",
    "di",
    "ke",
    "dari",
    "yang",
    "atau",
    "untuk",
    "dengan",
    "saya",
    "aku",
    "anda",
    "kamu",
    "kalian",
    "ini",
    "itu",
    "bisa",
    "boleh",
    "halo",
    "hai",
    "mana",
    "kapan",
    "bila",
    "kak",
    "gan",
    "sy",
    "gk",
    "ga",
    "nih",
    "dong",
    "aja",
    "jg",
    "yg",
    "dgn",
    "utk",
];

/// French and Italian words written with their vowel left out before another word.
const ELIDED: &[&str] =
    &["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quelqu", "dell", "all", "un"];

/// Lowercased words without stopwords, with plural and verb endings folded, so "haircuts"
/// finds "haircut" and "booking" finds "book".
pub fn terms(text: &str) -> Vec<String> {
    words(text).map(|w| fold(&w)).collect()
}

/// Lowercased words without accents or stopwords, as written; French and Italian
/// elisions taken off ("d'annulation" is "annulation", "l'institut" is "institut").
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| crate::words::fold(w.trim_matches(['\'', '’'])).replace('’', "'"))
        .map(|w| match w.split_once('\'') {
            Some((head, rest)) if ELIDED.contains(&head) && !rest.is_empty() => rest.to_owned(),
            _ => w,
        })
        .map(|w| w.strip_suffix("'s").map(str::to_owned).unwrap_or(w))
        .filter(|w| !w.is_empty() && !STOPWORDS.contains(&w.as_str()))
}

/// [`terms`] stemmed the way `lang` inflects words (Snowball), so "insurers" finds
/// "insurance" and "cancelación" finds "cancelar"; as `terms` for a language without a
/// stemmer (Indonesian, Chinese) or when the language is not known.
pub fn stems(text: &str, lang: Option<crate::Lang>) -> Vec<String> {
    use rust_stemmers::{Algorithm, Stemmer};
    let algorithm = match lang {
        Some(crate::Lang::En) => Algorithm::English,
        Some(crate::Lang::Es) => Algorithm::Spanish,
        Some(crate::Lang::Pt) => Algorithm::Portuguese,
        Some(crate::Lang::Fr) => Algorithm::French,
        Some(crate::Lang::Ar) => Algorithm::Arabic,
        // Indonesian and Malay: no Snowball stemmer, but the particles written onto a word
        // come off ("garansinya" is "garansi", "bisakah" is "bisa").
        Some(crate::Lang::Id) => {
            return words(text)
                .map(|w| {
                    ["nya", "lah", "kah", "pun"]
                        .iter()
                        .find_map(|p| w.strip_suffix(p).filter(|s| s.chars().count() >= 4).map(str::to_owned))
                        .unwrap_or(w)
                })
                .collect();
        }
        _ => return terms(text),
    };
    let stemmer = Stemmer::create(algorithm);
    words(text).map(|t| if t.chars().any(|c| c.is_ascii_digit()) { t } else { stemmer.stem(&t).into_owned() }).collect()
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

/// Cuts `text` into passages of whole lines, a paragraph (or `MAX_PASSAGE` characters) each,
/// each line cleaned (`clean_line`): a table's rule lines are dropped, its rows kept.
pub fn passages(title: &str, url: Option<&str>, text: &str) -> Vec<Passage> {
    let title = clean_line(title);
    let mut out = Vec::new();
    let mut current = String::new();
    let mut flush = |current: &mut String| {
        let t = current.trim();
        if !t.is_empty() {
            out.push(Passage { title: title.clone(), url: url.map(str::to_owned), text: t.to_owned() });
        }
        current.clear();
    };
    for raw in text.lines() {
        if raw.trim().is_empty() {
            flush(&mut current);
            continue;
        }
        let line = clean_line(raw);
        for piece in sentences_within(&line, MAX_PASSAGE) {
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

/// A knowledge text as the agent reads it: entities decoded, table borders and padding
/// gone, line by line.
pub fn clean_text(text: &str) -> String {
    decode_entities(text).lines().map(clean_line).collect::<Vec<_>>().join("\n")
}

/// A line as a visitor should read it: HTML entities decoded, a table's borders and cell
/// padding gone (cells joined by " — ", which is how a price list is read), runs of
/// whitespace made one space. A line that was only borders is empty.
pub fn clean_line(line: &str) -> String {
    let decoded = decode_entities(line);
    let is_border = |c: char| ('\u{2500}'..='\u{257f}').contains(&c);
    let cells: Vec<String> = decoded
        .split(['│', '┃', '║', '|', '┆', '┊'])
        .map(|cell| {
            let kept: String = cell.chars().map(|c| if is_border(c) { ' ' } else { c }).collect();
            kept.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .filter(|cell| !cell.is_empty() && !cell.chars().all(|c| matches!(c, '-' | '=' | '+' | ':' | '_')))
        .collect();
    cells.join(" — ")
}

/// `&amp;`, `&lt;`, `&#233;`, `&#xE9;` and the other entities text copied from a web page
/// carries; an `&` that starts none stays.
pub fn decode_entities(text: &str) -> String {
    const NAMED: &[(&str, char)] = &[
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("apos", '\''),
        ("nbsp", ' '),
        ("ndash", '–'),
        ("mdash", '—'),
        ("hellip", '…'),
        ("rsquo", '’'),
        ("lsquo", '‘'),
        ("rdquo", '”'),
        ("ldquo", '“'),
        ("euro", '€'),
        ("pound", '£'),
        ("copy", '©'),
        ("reg", '®'),
        ("eacute", 'é'),
        ("egrave", 'è'),
        ("aacute", 'á'),
        ("iacute", 'í'),
        ("oacute", 'ó'),
        ("uacute", 'ú'),
        ("ntilde", 'ñ'),
        ("ccedil", 'ç'),
        ("atilde", 'ã'),
        ("otilde", 'õ'),
        ("uuml", 'ü'),
        ("ouml", 'ö'),
        ("auml", 'ä'),
        ("middot", '·'),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let decoded = after.find(';').filter(|end| *end <= 10).and_then(|end| {
            let name = &after[..end];
            let c = match name.strip_prefix('#') {
                Some(n) => match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
                    None => n.parse().ok().and_then(char::from_u32),
                },
                None => NAMED.iter().find(|(k, _)| *k == name).map(|(_, c)| *c),
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
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
        assert!(terms("c quoi votre politique d'annulation ?").contains(&"annulation".to_owned()));
        assert!(terms("l’institut").contains(&"institut".to_owned()));
        assert!(terms("don't").contains(&"don't".to_owned()), "English keeps its contractions");
        assert_eq!(stems("garansinya?", Some(crate::Lang::Id)), stems("garansi", Some(crate::Lang::Id)));
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

    /// What html2text makes of a price table, and a title with entities, read as a
    /// visitor should read them.
    #[test]
    fn tables_and_entities_come_out_clean() {
        let html = "<table><tr><th>Treatment</th><th>Price</th></tr>\
                    <tr><td>Whitening (in-chair)</td><td>$420</td></tr><tr><td>Scale &amp; polish</td><td>$95</td></tr></table>";
        let text = html2text::config::plain_no_decorate().string_from_read(html.as_bytes(), 80).expect("html");
        let p = passages("Smile &amp; Skin &#8211; Prices", None, &text);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].title, "Smile & Skin – Prices");
        assert!(p[0].text.contains("Whitening (in-chair) — $420"), "{}", p[0].text);
        assert!(p[0].text.contains("Scale & polish — $95"), "{}", p[0].text);
        assert!(!p[0].text.contains('│') && !p[0].text.contains('─') && !p[0].text.contains("  "), "{}", p[0].text);
        assert_eq!(clean_line("| Filling | $120 |"), "Filling — $120");
        assert_eq!(clean_line("AT&T & co &#xE9;t&eacute; &bogus;"), "AT&T & co été &bogus;");
        assert_eq!(clean_line("──────┼──────"), "");
    }
}
