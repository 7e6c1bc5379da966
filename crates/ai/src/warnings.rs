//! The warning signs a business lists itself. A clinic, a vet, an optician or a garage
//! writes what needs help at once ("sudden loss of vision or a chemical in the eye: go to
//! A&E", "if your brake pedal goes to the floor, pull over"): no word list can know every
//! trade's signs, the business's page does. A visitor describing two of the things such a
//! sentence names is handed to a person as urgently as one naming a word of the built-in
//! list.

use std::collections::HashSet;

use crate::Lang;
use crate::text::stems;
use crate::words::{fold, has_any};

/// What marks a sentence as one about an emergency.
const MARKERS: &[&str] = &[
    "emergency",
    "emergencies",
    "urgent",
    "urgently",
    "immediately",
    "straight away",
    "right away",
    "at once",
    "a&e",
    "a & e",
    "casualty",
    "pull over",
    "don't wait",
    "do not wait",
    "seek medical",
    "urgencia",
    "urgencias",
    "urgente",
    "emergencia",
    "emergencias",
    "de inmediato",
    "inmediatamente",
    "enseguida",
    "cuanto antes",
    "no esperes",
    "no espere",
    "urgencia",
    "emergencia",
    "imediatamente",
    "pronto-socorro",
    "pronto socorro",
    "nao espere",
    "o quanto antes",
    "urgence",
    "urgences",
    "immediatement",
    "sans attendre",
    "tout de suite",
    "darurat",
    "segera",
    "gawat darurat",
    "kecemasan",
    "紧急",
    "急诊",
    "立即",
    "马上",
    "طوارئ",
    "فورا",
    "فوراً",
    "عاجل",
];

/// Emergency numbers, counted only standing alone ("call 000", not "24,000 miles").
const NUMBERS: &[&str] = &["911", "999", "000", "112", "995", "061", "192", "119", "120", "997", "998"];

fn marks_emergency(sentence: &str) -> bool {
    let f = fold(sentence);
    let alone = |n: &str| {
        f.match_indices(n).any(|(at, _)| {
            let before = f[..at].chars().next_back();
            let after = f[at + n.len()..].chars().next();
            let edge = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || matches!(c, ',' | '.' | '/' | '-')));
            edge(before) && edge(after)
        })
    };
    has_any(&f, MARKERS) || NUMBERS.iter().any(|n| alone(n))
}

/// Words of such sentences that name no sign: what to do, where, when, whom to call, and
/// what the business is about anyway (a message about the eye is no warning at an
/// optician's for naming the eye).
const NOT_SIGNS: &[&str] = &[
    "emergency",
    "emergencie",
    "urgent",
    "urgently",
    "immediately",
    "call",
    "phone",
    "number",
    "go",
    "come",
    "see",
    "seen",
    "visit",
    "nearest",
    "hospital",
    "department",
    "clinic",
    "vet",
    "doctor",
    "dentist",
    "optometrist",
    "team",
    "us",
    "we",
    "our",
    "you",
    "your",
    "please",
    "don't",
    "wait",
    "away",
    "straight",
    "right",
    "open",
    "opening",
    "hour",
    "hours",
    "day",
    "days",
    "night",
    "time",
    "during",
    "outside",
    "after",
    "before",
    "without",
    "appointment",
    "book",
    "booking",
    "walk-in",
    "pet",
    "dog",
    "cat",
    "car",
    "vehicle",
    "eye",
    "eyes",
    "tooth",
    "teeth",
    "skin",
    "child",
    "any",
    "anything",
    "something",
    "get",
    "take",
    "make",
    "keep",
    "then",
    "also",
    "there",
    "here",
    "only",
    "sign",
    "signs",
    "symptom",
    "symptoms",
    // Words of any sentence.
    "have",
    "need",
    "needs",
    "been",
    "being",
    "will",
    "would",
    "should",
    "might",
    "must",
    "more",
    "less",
    "very",
    "really",
    "still",
    "just",
    "with",
    "from",
    "into",
    "when",
    "what",
    "that",
    "this",
    "they",
    "them",
    "their",
    "while",
    // The same in the other languages pages are written in.
    "llama",
    "llamanos",
    "llamar",
    "lleva",
    "llevar",
    "acude",
    "acudir",
    "veterinario",
    "veterinaria",
    "medico",
    "clinica",
    "hospital",
    "urgencias",
    "urgencia",
    "emergencia",
    "inmediato",
    "inmediatamente",
    "mascota",
    "servicio",
    "despues",
    "antes",
    "notas",
    "liga",
    "ligue",
    "ligar",
    "leve",
    "levar",
    "procure",
    "procurar",
    "imediatamente",
    "pronto",
    "socorro",
    "appelez",
    "appeler",
    "allez",
    "urgences",
    "immediatement",
    "hubungi",
    "segera",
    "darurat",
    "bawa",
    "dokter",
    "rumah",
    "sakit",
];

/// A word in more sentences of the knowledge than this is the business's everyday
/// vocabulary, not a sign.
const RARE: usize = 2;

/// The signs each emergency sentence of the knowledge names.
#[derive(Debug, Default)]
pub struct Warnings {
    /// The knowledge's language: the page's words and the visitor's are stemmed alike
    /// ("sangrado" on the page, "sangrar" in the message).
    lang: Option<Lang>,
    sentences: Vec<HashSet<String>>,
}

impl Warnings {
    pub fn read<'a>(texts: impl IntoIterator<Item = &'a str>) -> Warnings {
        Self::read_in(texts, None)
    }

    /// [`Warnings::read`] for knowledge written in `lang`.
    pub fn read_in<'a>(texts: impl IntoIterator<Item = &'a str>, lang: Option<Lang>) -> Warnings {
        let all: Vec<&str> = texts.into_iter().flat_map(|t| t.split(['\n', '.', ';', '!'])).collect();
        let words = |s: &str| -> HashSet<String> { stems(s, lang).into_iter().collect() };
        let not_signs: HashSet<String> = NOT_SIGNS.iter().flat_map(|w| stems(w, lang)).collect();
        // How many sentences use each word: what the business writes about everywhere
        // ("back" and "pain" at a physio's, "engine" at a garage's) names no warning sign.
        let mut used: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for sentence in &all {
            for w in words(sentence) {
                *used.entry(w).or_default() += 1;
            }
        }
        let mut sentences = Vec::new();
        // Price lines are offers, not warnings, whatever words they hold.
        for sentence in all.iter().filter(|s| marks_emergency(s) && crate::catalogue::price(s).is_none()) {
            let signs: HashSet<String> = words(sentence)
                .into_iter()
                .filter(|t| t.chars().count() > 3 && !t.chars().all(|c| c.is_ascii_digit()))
                .filter(|t| !not_signs.contains(t) && used.get(t).copied().unwrap_or(0) <= RARE)
                .collect();
            if signs.len() >= 2 {
                sentences.push(signs);
            }
        }
        Warnings { lang, sentences }
    }

    /// Whether `message` describes two signs one of the business's emergency sentences
    /// names.
    pub fn describes(&self, message: &str) -> bool {
        let said: HashSet<String> = stems(message, self.lang).into_iter().collect();
        self.sentences.iter().any(|signs| signs.intersection(&said).count() >= 2)
    }
}

#[cfg(test)]
mod tests {
    use super::Warnings;

    #[test]
    fn signs_the_business_lists_are_urgent_and_its_other_lines_are_not() {
        let page = "When to get help at once\n\
                    Sudden numbness in the face, slurred speech, or a fever with a stiff neck: go to the \
                    nearest emergency department immediately.\n\
                    We see emergencies during opening hours without an appointment.\n\
                    General consultation — £60";
        let w = Warnings::read([page]);
        assert!(w.describes("my dad has slurred speech and his face feels numb"));
        assert!(w.describes("high fever and a really stiff neck since this morning"));
        assert!(!w.describes("can I get an appointment during opening hours?"), "no sign named");
        assert!(!w.describes("how much is a general consultation"));
        assert!(!w.describes("what's your emergency number"));
        // Words the page uses all over are its trade, not signs.
        let physio =
            Warnings::read(["Back pain and neck pain are what we treat most.\nSports massage for back pain — £48\n\
             Back pain with numbness in both legs: go to A&E immediately."]);
        assert!(!physio.describes("I've had lower back pain for a few weeks"));
        assert!(physio.describes("numbness in both legs since yesterday"));
        assert!(Warnings::read(["Opening hours: 9am to 6pm"]).sentences.is_empty());
        let garage = Warnings::read(["All repairs come with a 24-month / 24,000-mile warranty on parts and labor"]);
        assert!(garage.sentences.is_empty(), "24,000 is no emergency number");
        assert!(!Warnings::read(["Bleeding or collapse: call 000 now"]).sentences.is_empty());
    }

    #[test]
    fn a_spanish_page_lists_its_signs_and_a_visitor_names_them_in_other_forms() {
        let page = "Si tu mascota se lastima\n\
                    Si después del servicio notas sangrado que no para, dificultad para respirar, vómito o \
                    hinchazón en la cara, llámanos de inmediato y lleva a tu mascota al veterinario.\n\
                    Baño básico — $280";
        let w = Warnings::read_in([page], Some(crate::Lang::Es));
        assert!(w.describes("mi perro está vomitando y le cuesta respirar"));
        assert!(w.describes("no para de sangrar y le cuesta respirar"));
        assert!(!w.describes("cuánto cuesta el baño para mi perro?"));
        assert!(!w.describes("¿a qué hora abren el sábado?"));
    }
}
