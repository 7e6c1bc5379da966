//! The language of a visitor's message. Chat messages are short ("hw much?", "oi"), where
//! trigram models guess, so the script decides first, then common chat words of the
//! languages the agent speaks, then whatlang for longer text, then what the conversation
//! was in before.

use serde::{Deserialize, Serialize};

use crate::words::{fold, words};

/// A language the agent speaks its own sentences in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Es,
    Pt,
    Fr,
    /// Indonesian and Malay: one sentence serves both.
    Id,
    Zh,
    Ar,
}

impl Lang {
    pub const ALL: [Lang; 7] = [Lang::En, Lang::Es, Lang::Pt, Lang::Fr, Lang::Id, Lang::Zh, Lang::Ar];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Pt => "pt",
            Lang::Fr => "fr",
            Lang::Id => "id",
            Lang::Zh => "zh",
            Lang::Ar => "ar",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.to_ascii_lowercase();
        let base = code.split(['-', '_']).next().unwrap_or("");
        Some(match base {
            "en" => Lang::En,
            "es" => Lang::Es,
            "pt" => Lang::Pt,
            "fr" => Lang::Fr,
            "id" | "ms" | "in" => Lang::Id,
            "zh" => Lang::Zh,
            "ar" => Lang::Ar,
            _ => return None,
        })
    }
}

/// What a message is written in: one of ours, or another language (ISO 639-3, from
/// whatlang) that the agent cannot serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    Spoken(Lang),
    Other(&'static str),
    /// Too little to tell (digits, an emoji, "ok").
    Unknown,
}

/// Chat words that mark a language even in a two-word message. Words shared between
/// languages ("para", "no") are left out.
const MARKERS: &[(Lang, &[&str])] = &[
    (
        Lang::En,
        &[
            "the",
            "is",
            "are",
            "how",
            "much",
            "what",
            "when",
            "where",
            "hi",
            "hello",
            "hey",
            "you",
            "your",
            "can",
            "i",
            "i'm",
            "my",
            "thanks",
            "thank",
            "open",
            "please",
            "pls",
            "do",
            "does",
            "want",
            "need",
            "book",
            "have",
            "it's",
            "with",
            "and",
            "of",
            "for",
            "today",
            "tomorrow",
            "tmrw",
            "hw",
            "wat",
            "u",
            "ur",
            "would",
            "like",
            "there",
            "price",
            "cost",
            "appointment",
            "hours",
            "help",
            "just",
            "this",
            "that",
        ],
    ),
    (
        Lang::Es,
        &[
            "hola",
            "cuanto",
            "cuesta",
            "precio",
            "quiero",
            "quisiera",
            "gracias",
            "el",
            "la",
            "los",
            "las",
            "es",
            "una",
            "cita",
            "favor",
            "abren",
            "horario",
            "manana",
            "mi",
            "nombre",
            "llamo",
            "soy",
            "tienen",
            "hay",
            "puedo",
            "donde",
            "estan",
            "cuando",
            "necesito",
            "reservar",
            "lunes",
            "martes",
            "miercoles",
            "jueves",
            "viernes",
            "buenas",
            "buenos",
            "dias",
            "tardes",
            "usted",
            "ustedes",
            "y",
            "con",
            "del",
            "hablar",
            "persona",
            "perro",
            "gato",
            "coche",
            "dolor",
            "estoy",
            "muy",
            "pero",
            "tambien",
            "cuesta",
            "vale",
            "hasta",
            "telefono",
            "correo",
            "hoy",
        ],
    ),
    (
        Lang::Pt,
        &[
            "ola",
            "oi",
            "quanto",
            "custa",
            "preco",
            "quero",
            "obrigado",
            "obrigada",
            "voce",
            "voces",
            "uma",
            "nao",
            "horario",
            "amanha",
            "agendar",
            "marcar",
            "meu",
            "minha",
            "nome",
            "sou",
            "tem",
            "posso",
            "onde",
            "fica",
            "quando",
            "preciso",
            "segunda",
            "terca",
            "quarta",
            "quinta",
            "sexta",
            "bom",
            "boa",
            "dia",
            "tarde",
            "com",
            "da",
            "dos",
            "das",
            "e",
            "falar",
            "pessoa",
            "atendente",
            "estou",
            "muito",
            "mas",
            "tambem",
            "ate",
            "telefone",
            "hoje",
            "corte",
            "cabelo",
            "vcs",
            "vc",
            "pra",
            "obg",
            "qto",
            "qual",
            "valor",
            "aberto",
            "abrem",
            "funciona",
            "horas",
        ],
    ),
    (
        Lang::Fr,
        &[
            "bonjour",
            "bonsoir",
            "salut",
            "combien",
            "coute",
            "prix",
            "je",
            "voudrais",
            "merci",
            "rendez",
            "vous",
            "ouvert",
            "ouverts",
            "demain",
            "est",
            "c'est",
            "suis",
            "m'appelle",
            "mon",
            "ma",
            "nom",
            "les",
            "des",
            "une",
            "pour",
            "avez",
            "pouvez",
            "peux",
            "ou",
            "quand",
            "samedi",
            "dimanche",
            "lundi",
            "mardi",
            "mercredi",
            "jeudi",
            "vendredi",
            "heures",
            "heure",
            "parler",
            "quelqu'un",
            "j'ai",
            "mal",
            "tres",
            "mais",
            "aussi",
            "jusqu'a",
            "semaine",
            "prochaine",
            "aujourd'hui",
            "s'il",
            "plait",
            "oui",
            "et",
            "avec",
            "du",
            "au",
            "aux",
            "chien",
            "chat",
            "voiture",
            "reserver",
            "horaires",
        ],
    ),
    (
        Lang::Id,
        &[
            "halo",
            "berapa",
            "harga",
            "saya",
            "mau",
            "ingin",
            "terima",
            "kasih",
            "apakah",
            "buka",
            "jam",
            "besok",
            "bisa",
            "tolong",
            "kak",
            "nama",
            "aku",
            "ada",
            "dimana",
            "kapan",
            "perlu",
            "sabtu",
            "minggu",
            "senin",
            "selasa",
            "rabu",
            "kamis",
            "jumat",
            "pagi",
            "siang",
            "sore",
            "malam",
            "dengan",
            "dan",
            "yang",
            "untuk",
            "bicara",
            "orang",
            "sakit",
            "sangat",
            "tapi",
            "juga",
            "sampai",
            "telepon",
            "nomor",
            "hari",
            "ini",
            "itu",
            "boleh",
            "gak",
            "nggak",
            "tidak",
            "sudah",
            "belum",
            "janji",
            "pesan",
            "anjing",
            "kucing",
            "mobil",
            "makasih",
            "selamat",
            "boleh",
            "tak",
            "nak",
            "berapakah",
            "tutup",
            // Chat Indonesian: its short forms, few of them words of another language.
            "gk",
            "ga",
            "sy",
            "jg",
            "brp",
            "aja",
            "nih",
            "dong",
            "deh",
            "kok",
            "yg",
            "dgn",
            "utk",
            "udh",
            "udah",
            "bgt",
            "banget",
            "tlg",
            "kirimin",
            "kabarin",
            "dr",
            "sm",
            "kalo",
            "kalau",
            "trs",
            "lg",
            "gimana",
            "gmn",
            "gan",
            "mbak",
            "jemput",
            "layanan",
            "biaya",
            "biayanya",
            "harganya",
            "servis",
            "ganti",
            "mohon",
            "permisi",
            "kami",
            "hubungi",
            "telp",
            "punya",
            "lagi",
            "sampe",
            "kemarin",
            "kmrn",
        ],
    ),
];

/// Detects the language of `text`; `Unknown` when there is too little to tell.
pub fn detect(text: &str) -> Detected {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() {
        return Detected::Unknown;
    }
    let share = |f: fn(char) -> bool| letters.iter().filter(|c| f(**c)).count() as f64 / letters.len() as f64;
    if share(|c| matches!(c as u32, 0x0600..=0x06ff | 0x0750..=0x077f | 0xfb50..=0xfdff | 0xfe70..=0xfeff)) > 0.3 {
        return Detected::Spoken(Lang::Ar);
    }
    if share(|c| matches!(c as u32, 0x3040..=0x30ff)) > 0.05 {
        return Detected::Other("jpn");
    }
    if share(|c| matches!(c as u32, 0x3400..=0x4dbf | 0x4e00..=0x9fff)) > 0.3 {
        return Detected::Spoken(Lang::Zh);
    }
    let ws = words(text);
    let mut votes: Vec<(Lang, usize)> =
        MARKERS.iter().map(|(lang, list)| (*lang, ws.iter().filter(|w| list.contains(&w.as_str())).count())).collect();
    votes.sort_by(|a, b| b.1.cmp(&a.1));
    let (top, second) = (votes[0], votes[1]);
    let long = ws.len() >= 6;
    if top.1 > 0 && top.1 > second.1 && (!long || top.1 * 3 >= ws.len()) {
        return Detected::Spoken(top.0);
    }
    if let Some(info) = whatlang::detect(&fold(text)) {
        let ours = match info.lang() {
            whatlang::Lang::Eng => Some(Lang::En),
            whatlang::Lang::Spa => Some(Lang::Es),
            whatlang::Lang::Por => Some(Lang::Pt),
            whatlang::Lang::Fra => Some(Lang::Fr),
            whatlang::Lang::Ind => Some(Lang::Id),
            whatlang::Lang::Cmn => Some(Lang::Zh),
            whatlang::Lang::Ara => Some(Lang::Ar),
            _ => None,
        };
        match ours {
            // Among ours, a close call goes to the marker words when they lean one way.
            Some(lang) if top.1 > 0 && top.0 != lang && !info.is_reliable() => return Detected::Spoken(top.0),
            Some(lang) if long || info.is_reliable() || top.1 == 0 => return Detected::Spoken(lang),
            None if long && info.confidence() > 0.5 && top.1 * 4 < ws.len() => {
                return Detected::Other(info.lang().code());
            }
            _ => {}
        }
    }
    if top.1 > 0 { Detected::Spoken(top.0) } else { Detected::Unknown }
}

/// The language of a message within a conversation already in `previous`: a short
/// line in the same script that only looks like another language ("its Dan Whitaker",
/// "Rua Augusta 12") keeps the conversation's; a change of script, or a line that says
/// it in the other language's own words ("mañana a las 10", "merci beaucoup"), switches.
pub fn detect_in(text: &str, previous: Option<Lang>) -> Detected {
    let found = detect(text);
    let Some(previous) = previous else { return found };
    let ws: Vec<String> =
        words(text).into_iter().filter(|w| !w.chars().any(|c| c.is_ascii_digit() || c == '@')).collect();
    match found {
        Detected::Spoken(l) if l != previous && ws.len() < 6 => {
            let own = MARKERS
                .iter()
                .find(|(m, _)| *m == l)
                .map_or(0, |(_, list)| ws.iter().filter(|w| list.contains(&w.as_str())).count());
            let script = matches!(l, Lang::Ar | Lang::Zh) || matches!(previous, Lang::Ar | Lang::Zh);
            if script || own >= 2 { found } else { Detected::Spoken(previous) }
        }
        Detected::Other(_) if ws.len() < 6 => Detected::Spoken(previous),
        Detected::Unknown => Detected::Spoken(previous),
        _ => found,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conversation_keeps_its_language_through_names_and_numbers() {
        assert_eq!(detect_in("its Dan Whitaker", Some(Lang::En)), Detected::Spoken(Lang::En));
        assert_eq!(detect_in("Sari Dewi", Some(Lang::Id)), Detected::Spoken(Lang::Id));
        assert_eq!(detect_in("07700 900417", Some(Lang::Pt)), Detected::Spoken(Lang::Pt));
        assert_eq!(detect_in("mañana a las 10am", Some(Lang::En)), Detected::Spoken(Lang::Es));
        assert_eq!(detect_in("你们星期天开门吗？", Some(Lang::En)), Detected::Spoken(Lang::Zh));
        assert_eq!(detect_in("its Dan Whitaker", None), detect("its Dan Whitaker"));
    }

    #[test]
    fn short_chat_messages() {
        let cases = [
            ("hw much is a filling?", Lang::En),
            ("cuánto cuesta una limpieza?", Lang::Es),
            ("oi, quanto custa o corte?", Lang::Pt),
            ("Bonjour, je voudrais un rendez-vous", Lang::Fr),
            ("berapa harga scaling gigi?", Lang::Id),
            ("你们星期天开门吗？", Lang::Zh),
            ("كم سعر تنظيف الأسنان؟", Lang::Ar),
            ("open sat?", Lang::En),
        ];
        for (text, want) in cases {
            assert_eq!(detect(text), Detected::Spoken(want), "{text}");
        }
        assert_eq!(detect("👍"), Detected::Unknown);
        assert!(matches!(
            detect("Guten Tag, ich möchte gerne einen Termin für nächste Woche vereinbaren"),
            Detected::Other(_)
        ));
    }
}
