//! A visitor's name as people give it: "I'm Ana", "it's Tom Baker", "Rita here",
//! "name: Joe", "me llamo Lucía", "meu nome é João", "je m'appelle Claire", "nama saya
//! Budi", "我叫王伟", "اسمي أحمد", or a signature line ("— Joe").

use crate::words::fold;

/// Cues after which a name follows, folded. `strong` cues are names even in lower case
/// ("my name is ana"); weak ones ("i'm", "soy") need a capital letter ("I'm tired" is not
/// a name).
const STRONG: &[&str] = &[
    "my name is",
    "my name's",
    "name is",
    "name:",
    "name -",
    "call me",
    "me llamo",
    "mi nombre es",
    "meu nome e",
    "me chamo",
    "je m'appelle",
    "mon nom est",
    "nama saya",
    "nama sy",
    "namaku",
    "nama aku",
    "nama:",
    "nombre:",
    "nome:",
    "nom:",
    "name's",
    "names",
    // "a nombre de Fernanda Ríos": whose name the booking goes under.
    "a nombre de",
    "en nombre de",
    "em nome de",
    "no nome de",
    "au nom de",
    "atas nama",
    "under the name",
    "in the name of",
];
const WEAK: &[&str] = &[
    // "my name Kumar", "name Raj": the verb left out, as chat English often does.
    "my name",
    "name",
    "i'm",
    "i am",
    "im",
    "this is",
    "it's",
    "its",
    "soy",
    "sou",
    "sou o",
    "sou a",
    "aqui e",
    "aqui e o",
    "aqui e a",
    "je suis",
    "moi c'est",
    "c'est",
    "saya",
    "sy",
    "aku",
    "here is",
    "regards",
    "thanks",
    "cheers",
    "obrigado",
    "obrigada",
    "gracias",
    "merci",
    "att",
    "atenciosamente",
    "abs",
    "bjs",
    "saludos",
    "cordialement",
    "salam",
    "best",
    "kind regards",
    "thx",
    "ty",
    "terima kasih",
    "makasih",
    "e a",
    "e o",
    "é a",
    "é o",
];

/// Words that follow "I'm" or "it's" and are not names.
pub(super) const NOT_NAMES: &[&str] = &[
    "i",
    "the",
    "a",
    "an",
    "not",
    "so",
    "very",
    "just",
    "still",
    "interested",
    "looking",
    "here",
    "there",
    "new",
    "back",
    "calling",
    "writing",
    "asking",
    "wondering",
    "free",
    "available",
    "ok",
    "okay",
    "fine",
    "good",
    "great",
    "urgent",
    "me",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "tomorrow",
    "about",
    "for",
    "from",
    "in",
    "on",
    "at",
    "your",
    "my",
    "our",
    "it",
    "that",
    "this",
    "sorry",
    "happy",
    "sure",
    "going",
    "trying",
    "having",
    "late",
    "running",
    "booked",
    "coming",
    "bringing",
    "hoping",
    "thinking",
    "planning",
    "english",
    "spanish",
    "whatsapp",
    "instagram",
    "google",
    "hi",
    "hello",
    "hey",
    "please",
    "thank",
    "thanks",
    "also",
    "again",
    "then",
    "now",
    "too",
    "all",
    "cliente",
    "client",
    "customer",
    "patient",
    "interesado",
    "interesada",
    "interessado",
    "interessada",
    "mau",
    "ingin",
    "ingin",
    "bisa",
    "perlu",
    "ada",
    "mr",
    "mrs",
    "ms",
    "dr",
    "yes",
    "no",
    "la",
    "el",
    "de",
    "um",
    "uma",
    "une",
    "un",
    "le",
    "en",
    "em",
    "da",
    "do",
    "ini",
    "itu",
    "yang",
    "dari",
    "pasien",
    "paciente",
    "patiente",
    "cachorro",
    "perro",
    "chien",
    "whenever",
    "anytime",
    "asap",
    "later",
    "back",
    "when",
    "if",
    "after",
    "before",
    "any",
    "every",
    "no",
    "yes",
];

/// Honorifics kept out of the name ("this is Dr. Smith" → "Smith" would be wrong, so
/// they are kept with it; "Mr" alone is not a name).
pub(super) const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "sr", "sra", "srta", "dona", "mme", "m", "bapak", "ibu", "pak", "bu", "encik",
    "puan", "cik", "tuan",
];

/// The visitor's name, if the message gives it.
pub fn name(text: &str) -> Option<String> {
    han(text).or_else(|| arabic(text)).or_else(|| latin(text)).or_else(|| signed_after_comma(text))
}

/// "… WA saya di +62 812 5550 1234 ya, Rina", "… على 06 39 98 27 19، مريم": a name after
/// the last comma of a message that gives a number or an email, as a signature.
fn signed_after_comma(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches(['.', '!', '?', '؟', ' ']);
    if !text.chars().any(|c| c.is_ascii_digit() || c == '@') {
        return None;
    }
    let (_, after) = text.rsplit_once([',', '،'])?;
    let words: Vec<&str> = after.split_whitespace().collect();
    let arabic = |w: &str| w.chars().all(|c| matches!(c as u32, 0x0600..=0x06ff));
    let named = match words[..] {
        [w] if arabic(w) => w.chars().count() >= 2,
        _ => {
            (1..=2).contains(&words.len())
                && words.iter().all(|w| {
                    w.chars().next().is_some_and(char::is_uppercase)
                        && w.chars().all(|c| c.is_alphabetic() || c == '\'')
                        && !NOT_NAMES.contains(&fold(w).as_str())
                        && crate::entities::when::weekday(w).is_none()
                })
        }
    };
    named.then(|| words.join(" "))
}

fn latin(text: &str) -> Option<String> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let folded: Vec<String> = tokens.iter().map(|t| fold(t).replace('’', "'")).collect();
    let clean = |t: &str| t.trim_matches(|c: char| !c.is_alphabetic() && c != '\'' && c != '-').to_owned();
    for (strong, cues) in [(true, STRONG), (false, WEAK)] {
        for cue in cues {
            let cue_words: Vec<&str> = cue.split(' ').collect();
            for start in 0..tokens.len() {
                if start + cue_words.len() > tokens.len() {
                    break;
                }
                let matches = cue_words.iter().enumerate().all(|(k, w)| {
                    let t = folded[start + k]
                        .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != ':' && c != '-');
                    t == *w || (k + 1 == cue_words.len() && w.ends_with(':') && t.starts_with(w))
                });
                if !matches {
                    continue;
                }
                // "regards, Joe" and "thanks Joe" only at the end of a message, as a signature.
                let signature = matches!(
                    *cue,
                    "regards"
                        | "thanks"
                        | "cheers"
                        | "obrigado"
                        | "obrigada"
                        | "gracias"
                        | "merci"
                        | "att"
                        | "atenciosamente"
                        | "abs"
                        | "bjs"
                        | "saludos"
                        | "cordialement"
                        | "salam"
                        | "best"
                        | "kind regards"
                        | "thx"
                        | "ty"
                        | "terima kasih"
                        | "makasih"
                );
                let after = start + cue_words.len();
                if signature && tokens.len() - after > 2 {
                    continue;
                }
                // "name:Joe" written without a space.
                let glued =
                    folded[after - 1].split_once(':').map(|(_, rest)| rest.to_owned()).filter(|r| !r.is_empty());
                // "… untuk ibu saya? Tolong hubungi …": a cue that ends its sentence
                // introduces no one ("name:Joe." holds its name).
                if glued.is_none() && tokens[after - 1].ends_with(['.', '?', '!']) {
                    continue;
                }
                let rest: Vec<String> = match glued {
                    Some(_) => std::iter::once(clean(tokens[after - 1].split_once(':').map_or("", |(_, r)| r)))
                        .chain(tokens[after..].iter().map(|t| clean(t)))
                        .collect(),
                    None => tokens[after..].iter().map(|t| clean(t)).collect(),
                };
                if let Some(found) = take_name(&rest, &tokens[after.min(tokens.len())..], strong) {
                    return Some(found);
                }
            }
        }
    }
    here_form(&tokens).or_else(|| signature_line(text))
}

/// Up to three name words from `rest`; `raw` are the same tokens with punctuation, so a
/// comma or full stop ends the name.
fn take_name(rest: &[String], raw: &[&str], strong: bool) -> Option<String> {
    // "Ahmad bin Ismail", "Priya a/p Raman", "Ana de Souza": a lower-case link between
    // two names belongs to the name.
    const LINKS: &[&str] = &["bin", "binti", "bte", "bt", "a/l", "a/p", "d/o", "s/o", "de", "da", "dos", "van", "von"];
    let mut taken: Vec<String> = Vec::new();
    for (k, w) in rest.iter().enumerate() {
        if w.is_empty() || taken.iter().filter(|t| !LINKS.contains(&t.as_str())).count() == 3 {
            break;
        }
        let lower = fold(w);
        let next_capital = rest.get(k + 1).is_some_and(|n| n.chars().next().is_some_and(char::is_uppercase));
        if !taken.is_empty()
            && LINKS.contains(&lower.as_str())
            && next_capital
            && !raw.get(k.wrapping_sub(1)).is_some_and(|r| r.ends_with([',', '.', '!', '?', ';', ':']))
        {
            taken.push(w.clone());
            continue;
        }
        let capital = w.chars().next().is_some_and(char::is_uppercase);
        if NOT_NAMES.contains(&lower.as_str()) || w.chars().any(|c| c.is_ascii_digit()) {
            break;
        }
        if TITLES.contains(&lower.trim_end_matches('.')) && taken.is_empty() {
            continue;
        }
        if !(capital || (strong && taken.is_empty())) {
            break;
        }
        taken.push(capitalise(w));
        // "Ana, my number is …": punctuation after a word ends the name.
        if raw.get(k).is_some_and(|r| r.ends_with([',', '.', '!', '?', ';', ':'])) {
            break;
        }
    }
    (!taken.is_empty()).then(|| taken.join(" "))
}

fn capitalise(w: &str) -> String {
    let mut chars = w.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => w.to_owned(),
    }
}

/// "Rita here", "Tom Baker here, …".
fn here_form(tokens: &[&str]) -> Option<String> {
    let words: Vec<String> = tokens
        .iter()
        .map(|t| t.trim_matches(|c: char| !c.is_alphabetic() && c != '\'' && c != '-').to_owned())
        .collect();
    let at = words.iter().take(5).position(|w| matches!(fold(w).as_str(), "here" | "aqui" | "ici" | "disini"))?;
    let greeting = |w: &str| {
        matches!(
            fold(w).as_str(),
            "hi" | "hello"
                | "hey"
                | "ola"
                | "hola"
                | "oi"
                | "great"
                | "ok"
                | "okay"
                | "thanks"
                | "cool"
                | "perfect"
                | "sure"
        )
    };
    let skip = words[..at].iter().take_while(|w| greeting(w)).count();
    if at == skip || at - skip > 2 {
        return None;
    }
    let name = &words[skip..at];
    // "Dr. Wong here": the title is not the name.
    let name: Vec<&String> =
        name.iter().filter(|w| !greeting(w) && !TITLES.contains(&fold(w).trim_end_matches('.'))).collect();
    (!name.is_empty()
        && name
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase) && !NOT_NAMES.contains(&fold(w).as_str())))
    .then(|| name.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "))
}

/// A last line of one or two capitalised words after a dash: "— Joe", "- Ana Lima".
fn signature_line(text: &str) -> Option<String> {
    let last = text.lines().last()?.trim();
    let (before, after) = last.rsplit_once(['—', '–', '-', '~'])?;
    let _ = before;
    let words: Vec<&str> = after.split_whitespace().collect();
    ((1..=2).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || c == '\'')
                && !NOT_NAMES.contains(&fold(w).as_str())
        }))
    .then(|| words.join(" "))
}

/// "我叫王伟", "我是李娜", "我姓张".
fn han(text: &str) -> Option<String> {
    for cue in ["我叫", "我的名字是", "我是", "我姓"] {
        if let Some(at) = text.find(cue) {
            let name: String = text[at + cue.len()..]
                .chars()
                .skip_while(|c| c.is_whitespace())
                .take_while(|c| crate::words::is_unspaced(*c) || c.is_alphabetic())
                .take(4)
                .collect();
            let generic = ["客户", "病人", "新客", "想", "要", "来", "在"];
            // "我姓李": a surname alone is one character, or two ("欧阳").
            let fewest = if cue == "我姓" { 1 } else { 2 };
            if (fewest..=4).contains(&name.chars().count()) && !generic.iter().any(|g| name.starts_with(g)) {
                return Some(name);
            }
        }
    }
    None
}

/// "اسمي أحمد", "أنا سارة".
fn arabic(text: &str) -> Option<String> {
    // Words that end a name: "my number", "my mobile", "my email", "and".
    const STOP: &[&str] =
        &["رقمي", "رقم", "جوالي", "جوال", "تلفوني", "هاتفي", "ايميلي", "إيميلي", "بريدي", "و", "من", "في"];
    const NOT: &[&str] = &[
        "أريد",
        "اريد",
        "عندي",
        "في",
        "من",
        "بحاجة",
        "محتاج",
        "أبغى",
        "ابغى",
        "ابي",
        "أبي",
        "هنا",
        "مريض",
        "غاضب",
        "غاضبة",
        "زعلان",
        "زعلانة",
        "آسف",
        "اسف",
        "متأخر",
        "متأخرة",
    ];
    for cue in ["اسمي", "إسمي", "معك", "أنا", "انا"] {
        let Some(at) = text.find(cue) else { continue };
        let rest = &text[at + cue.len()..];
        let name: Vec<&str> = rest
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()))
            .take_while(|w| {
                // "ورقمي": "and my number", written as one word.
                let and = w.strip_prefix('و').is_some_and(|rest| STOP.contains(&rest));
                !w.is_empty() && !STOP.contains(w) && !and && w.chars().all(|c| matches!(c as u32, 0x0600..=0x06ff))
            })
            .take(2)
            .collect();
        if let Some(first) = name.first()
            && !NOT.contains(first)
        {
            // One word after "أنا" (a sentence may go on); up to two after "اسمي".
            let n = if cue.starts_with('ا') || cue.starts_with('إ') { name.len() } else { 1 };
            return Some(name[..n].join(" "));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::name;

    #[test]
    fn names_in_the_forms_people_use() {
        let cases = [
            ("Hi, I'm Ana Lima, my number is 07700 900123", Some("Ana Lima")),
            ("it's Tom Baker, can I book?", Some("Tom Baker")),
            ("Rita here, do you have anything on Friday?", Some("Rita")),
            ("my name is ana", Some("Ana")),
            ("my name Kumar, call me 012 555 0171", Some("Kumar")),
            ("I'm Ahmad bin Ismail, 012-555 0171", Some("Ahmad bin Ismail")),
            ("this is Priya a/p Raman", Some("Priya a/p Raman")),
            ("I'm Ana de Souza", Some("Ana de Souza")),
            ("I'm Ana, de nada", Some("Ana")),
            ("nama saya Siti Nurhaliza binti Ahmad", Some("Siti Nurhaliza binti Ahmad")),
            ("ok can, my number is 012 555 0171, name Raj", Some("Raj")),
            ("Dr. Wong here, 03-2282 1234", Some("Wong")),
            ("what's the name of the street?", None),
            ("اسمي خالد ورقمي 0125550171", Some("خالد")),
            ("name: Joe", Some("Joe")),
            ("Me llamo Lucía y quiero una cita", Some("Lucía")),
            ("meu nome é João Silva", Some("João Silva")),
            ("Bonjour, je m'appelle Claire", Some("Claire")),
            ("nama saya Budi, mau booking", Some("Budi")),
            ("name:Joe.", Some("Joe")),
            ("Tolong WA saya di +62 812 5550 1234 ya, Rina", Some("Rina")),
            ("أرجو الاتصال بي على 06 39 98 27 19، مريم", Some("مريم")),
            ("call me on 07700 900123, Thanks", None),
            ("call me on 07700 900123, Friday", None),
            ("a nombre de Fernanda Ríos, mi cel es 55 2345 6781", Some("Fernanda Ríos")),
            ("book it under the name Sam Lee", Some("Sam Lee")),
            (
                "Bisa datang ke rumah untuk ibu saya? Tolong hubungi saya di +62 812 3456 7890. Terima kasih, Sari",
                Some("Sari"),
            ),
            ("你好，我叫王伟，想预约", Some("王伟")),
            ("我姓李，电话 917-555-0136", Some("李")),
            ("مرحبا، اسمي أحمد", Some("أحمد")),
            ("Can I come Friday?\n— Joe", Some("Joe")),
            ("Thanks, Maria", Some("Maria")),
            ("I'm looking for a haircut", None),
            ("it's urgent", None),
            ("I'm interested in a massage", None),
            ("this is ridiculous", None),
            ("Thanks, see you then", None),
            ("its ok", None),
            ("I'm Ana", Some("Ana")),
        ];
        for (text, want) in cases {
            assert_eq!(name(text).as_deref(), want, "{text}");
        }
    }
}

/// A message that is only a name: the answer to "which name should I put it under?"
/// ("Hannah Cole", "jen"). Contact details are taken out first.
pub fn bare_name(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| !w.contains('@') && !w.chars().any(|c| c.is_ascii_digit()) && !matches!(*w, "-" | "(" | ")" | "+"))
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic() && c != '\'' && c != '-'))
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || words.len() > 3 {
        return None;
    }
    let ok = words.iter().all(|w| {
        let f = fold(w);
        w.chars().all(|c| c.is_alphabetic() || c == '\'' || c == '-')
            && !NOT_NAMES.contains(&f.as_str())
            && f.chars().count() > 1
            && ![
                "name", "name's", "names", "its", "it's", "im", "i'm", "mob", "mobile", "phone", "tel", "cel",
                "celular", "number", "email", "whatsapp", "wa", "hp", "no", "nomor",
            ]
            .contains(&f.as_str())
    });
    ok.then(|| words.iter().map(|w| capitalise(w)).collect::<Vec<_>>().join(" "))
}
