//! Whatever a visitor types, the pipeline answers without panicking: every entry point
//! over generated text mixing the scripts, digits, currency signs, separators and
//! emoji visitors send, sliced at every boundary.

use chrono::NaiveDate;

use crate::{catalogue, entities, glossary, hours, intent, lang};

/// A small deterministic generator (xorshift), so a failure reproduces.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "Hi",
    "I'm",
    "Ana",
    "it's",
    "here",
    "my name is",
    "07700 900123",
    "+44",
    "(11) 98765-4321",
    "R$",
    "$",
    "£",
    "AED",
    "45",
    "4.30pm",
    "15h",
    "sábado",
    "明天下午3点",
    "星期五",
    "اسمي",
    "أحمد",
    "الساعة",
    "4",
    "👍",
    "🐶",
    "—",
    "–",
    "-",
    "│",
    "|",
    ":",
    ",",
    ".",
    "?",
    "!",
    "@",
    "a@b.co",
    "ana@example.com",
    "Monday–Friday",
    "closed",
    "fechado",
    "9h às 19h",
    "from",
    "10th",
    "dia",
    "10",
    "号",
    "日",
    "İ",
    "ß",
    "ﬁ",
    "e\u{301}",
    "\u{200b}",
    "\n",
    " ",
    "  ",
    "'s",
    "’",
    "(",
    ")",
    "book",
    "cancel",
    "agent",
    "bleeding",
    "how much",
    "haircut",
    "Men's haircut — $30 (30 min)",
    "tmrw",
    "next tue",
    // Characters whose lower case is longer or shorter than they are.
    "İ",
    "ẞ",
    "Ⱥ",
    " and is ",
    " y cuánto ",
    "24/7",
    "5/12",
    "call me back",
    "Dec",
    "bin",
    "a/p",
    // Pages and messages in the other languages, and what reads them.
    "Friday",
    "Monday–Friday 7:30–20:00",
    "until 21:00",
    "jusqu'à 21h",
    "Lun. a Vie. 9h - 20h",
    "sáb",
    "周一至周五 9:00-18:00",
    "，",
    "。",
    "Servicio — Chico — Mediano — Grande",
    "Baño — $280 MXN — $360 MXN — $470 MXN",
    "40 euros",
    "300元",
    "sin",
    "pas les",
    "setengah",
    "3an",
    "rabu depan",
    "下周四",
    "d'annulation",
    "l’institut",
    "where",
    "Calle Tabasco 214",
    "cash, card",
    ", Rina",
    "، مريم",
    "rdv",
    "selamat pagi",
    "after 2",
    "1 h 30 min",
    "emergency",
    "de inmediato",
];

fn text(g: &mut Gen) -> String {
    let n = (g.next() % 12) as usize;
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(g.pick(PIECES));
        if g.next() % 3 > 0 {
            s.push(' ');
        }
    }
    s
}

#[test]
fn generated_messages_never_panic() {
    let mut g = Gen(0x9e37_79b9_7f4a_7c15);
    let now = NaiveDate::from_ymd_opt(2026, 12, 2).and_then(|d| d.and_hms_opt(10, 0, 0)).unwrap_or_default();
    let page: Vec<String> = (0..40).map(|_| text(&mut g)).collect();
    let services = catalogue::catalogue(page.iter().map(String::as_str));
    let opening = hours::Hours::read(page.iter().map(String::as_str));
    let vocabulary = glossary::Vocabulary::new(page.iter().map(String::as_str));
    let warnings = crate::warnings::Warnings::read(page.iter().map(String::as_str));
    for _ in 0..1000 {
        let t = text(&mut g);
        let _ = lang::detect(&t);
        let _ = entities::name(&t);
        let _ = entities::bare_name(&t);
        let _ = entities::email(&t);
        let _ = entities::when(&t, now);
        if let Some((_, at)) = entities::phone_at(&t, Some("GB")) {
            let _ = entities::name_beside(&t, at);
        }
        if let Some((_, at)) = entities::email_at(&t) {
            let _ = entities::name_beside(&t, at);
        }
        let _ = (vocabulary.has(&t), catalogue::matches(&services, &glossary::expand(&t, &vocabulary)));
        let _ =
            (crate::agent::questions::questions(&t), crate::agent::questions::sentences(&t), warnings.describes(&t));
        let _ = catalogue::price(&t);
        let _ = catalogue::duration(&t);
        let _ = hours::days_asked(&t, now);
        let _ = opening.open_summary();
        let _ = (intent::wants_a_person(&t), intent::is_urgent(&t), intent::is_angry(&t), intent::small_talk(&t));
        let _ = (intent::change(&t), intent::wants_to_book(&t), intent::asks_price(&t), intent::asks_hours(&t));
        // The page's readers on a line of its own, after another line of the page.
        let lines = format!("{}\n{t}", page[t.len() % page.len()]);
        let read = hours::Hours::read([lines.as_str()]);
        let _ = (read.open_summary(), read.is_open_at(chrono::Weekday::Fri, 600));
        let _ = catalogue::catalogue([lines.as_str()]);
        let _ = crate::warnings::Warnings::read_in([lines.as_str()], Some(crate::Lang::Es)).describes(&t);
        let _ = (crate::focus::focus(&t, &lines), crate::topics::has_address(&t), crate::topics::has_payment(&t));
        let _ = (crate::text::stems(&t, Some(crate::Lang::Fr)), crate::text::stems(&t, Some(crate::Lang::Id)));
        let _ = crate::bm25::Index::new_in([lines.as_str()], Some(crate::Lang::Es)).search(&t);
    }
}
