//! The services a business offers, read from its knowledge: every line that prices
//! something ("Sports massage — £55 (45 min)", a table row "Root canal │ 60 min │ AED
//! 1,200", "A full colour costs R$ 180"). Matched tolerantly: typos, plurals, partial
//! names.

mod lists;
mod price;

use self::lists::*;
use self::price::variants;
pub use self::price::{duration, price};
use crate::words::{fold, singular, words};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// As the business writes it.
    pub name: String,
    /// As written, currency included: "£55", "R$ 180", "AED 1,200"; a table's prices by
    /// column ("Chico $280 MXN, Mediano $360 MXN").
    pub price: String,
    pub duration: Option<String>,
    /// Prices by a table's column ("Chico", "Short hair", "SUV"), when a row has several.
    pub variants: Vec<(String, String)>,
}

impl Service {
    /// The price for what `text` says ("para un schnauzer mediano": the "Mediano" column),
    /// or every price when it names no column.
    pub fn price_for(&self, text: &str) -> &str {
        let said = words(text);
        let named: Vec<&(String, String)> = self
            .variants
            .iter()
            .filter(|(label, _)| {
                let label = words(label);
                !label.is_empty() && label.iter().all(|l| said.iter().any(|w| same_word(l, w)))
            })
            .collect();
        match named[..] {
            [(_, price)] => price,
            _ => &self.price,
        }
    }
}

/// The services priced in `texts` (knowledge bodies, one or more lines each).
pub fn catalogue<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<Service> {
    let mut found: Vec<Service> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut above = "";
    // A table's header row ("Servicio — Duración — Chico — Mediano — Grande"): it names
    // the columns of the prices below it.
    let mut header: Vec<String> = Vec::new();
    for line in texts.into_iter().flat_map(str::lines) {
        let cells: Vec<&str> = line.split(" — ").map(str::trim).collect();
        if cells.len() >= 3 && price(line).is_none() && !line.chars().any(|c| c.is_ascii_digit()) {
            header = cells.iter().map(|c| (*c).to_owned()).collect();
        } else if cells.len() < 3 {
            header.clear();
        }
        // A definition list: the name on one line, "$89 · 45 min" on the next.
        let s = service(line).or_else(|| {
            let (price_text, start, _) = price(line)?;
            let lead = fold(line[..start].trim().trim_end_matches([':', '-', '—', '–']).trim());
            let named =
                !PRICE_LEADS.contains(&lead.as_str()) && lead.chars().filter(|c| c.is_alphabetic()).count() >= 3;
            let name = above.trim().trim_matches([':', '*', '_', ' ']).trim();
            (!named && !name.is_empty() && name.split_whitespace().count() <= 6 && price(name).is_none()).then(|| {
                Service { name: name.to_owned(), price: price_text, duration: duration(line), variants: Vec::new() }
            })
        });
        if let Some(mut s) = s
            && seen.insert(fold(&s.name))
        {
            s.variants = variants(&header, &cells);
            if !s.variants.is_empty() {
                s.price = s.variants.iter().map(|(l, p)| format!("{l} {p}")).collect::<Vec<_>>().join(", ");
            }
            found.push(s);
        }
        if !line.trim().is_empty() {
            above = line;
        }
    }
    found
}

fn service(line: &str) -> Option<Service> {
    let line = line.trim().trim_start_matches(['*', '-', '•', '·', '–', '—']).trim();
    let (mut price_text, start, end) = price(line)?;
    // "A$320 for females, A$240 for males": one price alone would be wrong for some. The
    // prices of the same sentence, with what qualifies the last one.
    let sentence_end = |from: usize| line[from..].find(". ").map_or(line.len(), |i| from + i);
    let mut last = end;
    while let Some((_, s2, e2)) = price(&line[last..])
        && last + s2 < sentence_end(end)
    {
        last += e2;
    }
    if last > end {
        let cells = line[start..sentence_end(last)].split(['│', '|', '\t']).map(str::trim).filter(|c| !c.is_empty());
        price_text = cells.collect::<Vec<_>>().join(", ").trim_end_matches(['.', ';']).to_owned();
    }
    let before = &line[..start];
    if PRICE_LEADS.contains(&fold(before.trim().trim_end_matches([':', '-', '—', '–']).trim()).as_str()) {
        return None;
    }
    // A table row or a list line: the name is the first cell.
    let cells: Vec<&str> =
        before.split(['—', '–', '|', '│', ':', '\t']).map(str::trim).filter(|c| !c.is_empty()).collect();
    let mut name = cells.first().copied().unwrap_or("").to_owned();
    // "A full colour costs R$ 180", "Consulta de avaliação custa R$ 90".
    // ASCII letters lowered alone, so an offset found here is one in `name` (folding
    // accents away would move them).
    let lower = name.to_ascii_lowercase() + " ";
    for cue in [
        " costs ",
        " cost ",
        " is ",
        " are ",
        " from ",
        " custa ",
        " cuesta ",
        " coute ",
        " coûte ",
        " starts at ",
        " a partir de ",
        " harga ",
    ] {
        if let Some(at) = lower.find(cue) {
            name = name[..at.min(name.len())].to_owned();
            break;
        }
    }
    // "Sports massage (45 min)": the duration leaves the name; "Ban tubeless ring 14
    // mulai", "Baño de cachorro desde": so does the word that leads the price.
    let name = name.split(['(', '[']).next().unwrap_or("").trim();
    let name = PRICE_LEADS
        .iter()
        .find_map(|lead| {
            let cut = name.len().checked_sub(lead.len() + 1)?;
            (name.is_char_boundary(cut) && fold(&name[cut..]) == format!(" {lead}")).then(|| name[..cut].trim())
        })
        .unwrap_or(name);
    let name = name
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(|c: char| !c.is_alphanumeric() && c != ')');
    let name = strip_article(name.trim_matches(['*', ' ', '_']));
    let count = name.split_whitespace().count();
    let first = fold(name.split_whitespace().next().unwrap_or("")).trim_matches(',').to_owned();
    // "Yes, gift vouchers are available from £25" is an answer, not a service.
    let sentence = name.contains([',', '.', '?', '!'])
        || [
            "yes",
            "no",
            "sim",
            "nao",
            "si",
            "oui",
            "non",
            "we",
            "our",
            "all",
            "prices",
            "price",
            "tenemos",
            "temos",
            "ofrecemos",
            "oferecemos",
            "contamos",
            "hay",
            "nous",
            "kami",
            "precios",
            "precos",
            "prix",
            "harga",
        ]
        .contains(&first.as_str());
    // "洗牙" (a scale and polish) is a name in two characters.
    let least = if name.chars().any(crate::words::is_unspaced) { 2 } else { 3 };
    if name.is_empty() || count > 6 || sentence || name.chars().filter(|c| c.is_alphabetic()).count() < least {
        return None;
    }
    Some(Service { name: name.to_owned(), price: price_text, duration: duration(line), variants: Vec::new() })
}

fn strip_article(name: &str) -> &str {
    for a in ["A ", "An ", "The ", "Um ", "Uma ", "Un ", "Una ", "Une ", "O ", "El ", "La ", "Le "] {
        if let Some(rest) = name.strip_prefix(a) {
            return rest;
        }
    }
    name
}

/// Whether two folded words are the same word with a typo or a plural between them.
pub fn same_word(a: &str, b: &str) -> bool {
    let (a, b) = (singular(a), singular(b));
    if a == b {
        return true;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    // "consult" for "consultation", "physio" for "physiotherapy".
    if la.min(lb) >= 5 && (a.starts_with(b) || b.starts_with(a)) {
        return true;
    }
    // Two typos only in long words: "mediano" is not "medicado"; in short ones only a
    // letter more or less ("banho" is "baño"), as one letter changed makes another word
    // ("soir" is not "soin", "sois" not "soin").
    let allowed = match la.min(lb) {
        0..=3 => 0,
        4 if la == lb => 0,
        4..=7 => 1,
        _ => 2,
    };
    allowed > 0 && strsim::damerau_levenshtein(a, b) <= allowed
}

/// How well `query` names `service`: the share of the service name's words found in the
/// query (0 to 1), 0 when none.
pub fn score(service: &str, query: &[String]) -> f64 {
    let name: Vec<String> = words(service).into_iter().filter(|w| !STOP.contains(&w.as_str())).collect();
    if name.is_empty() {
        return 0.0;
    }
    let hits = name.iter().filter(|n| query.iter().any(|q| same_word(n, q))).count();
    hits as f64 / name.len() as f64
}

/// The service `text` asks about, if one stands out. Words are weighed by how rare they
/// are in the catalogue ("dental" names one service, "dog" several), so the best match is
/// the one with the most distinctive words found; it must cover at least half of its
/// name's weight, or a third when a word found names that service alone.
pub fn find<'a>(services: &'a [Service], text: &str) -> Option<&'a Service> {
    match matches(services, text).as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// The services `text` names equally well: one, or several when it names what they share
/// ("haircut" for men's, women's and kids' haircuts), best first.
pub fn matches<'a>(services: &'a [Service], text: &str) -> Vec<&'a Service> {
    Catalogue::new(services.to_vec())
        .matches(text)
        .into_iter()
        .filter_map(|m| services.iter().find(|s| *s == m))
        .collect()
}

/// The services with what matching needs read once: each name's words, and in how many
/// names each word appears (typos and plurals counted as the same word). Built once per
/// version of the knowledge, so a message costs a pass over the names, not a pass over
/// every pair of them.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub services: Vec<Service>,
    names: Vec<Vec<String>>,
    df: std::collections::HashMap<String, usize>,
}

impl Catalogue {
    pub fn new(services: Vec<Service>) -> Self {
        let names: Vec<Vec<String>> = services
            .iter()
            .map(|s| words(&s.name).into_iter().filter(|w| !STOP.contains(&w.as_str())).collect())
            .collect();
        let mut df = std::collections::HashMap::new();
        for w in names.iter().flatten() {
            if !df.contains_key(w) {
                let n = names.iter().filter(|name| name.iter().any(|x| same_word(x, w))).count().max(1);
                df.insert(w.clone(), n);
            }
        }
        Self { services, names, df }
    }

    /// See [`matches`].
    pub fn matches(&self, text: &str) -> Vec<&Service> {
        let all = words(text);
        // "el baño, sin corte": the word after "without" names what is not wanted.
        // "pas les mains": over the article to the word.
        let unwanted: Vec<&String> = all
            .iter()
            .enumerate()
            .filter(|(_, w)| WITHOUT.contains(&w.as_str()))
            .filter_map(|(i, _)| all[i + 1..].iter().take(2).find(|w| !STOP.contains(&w.as_str())))
            .collect();
        let query: Vec<String> =
            all.iter().filter(|w| !STOP.contains(&w.as_str()) && !unwanted.contains(w)).cloned().collect();
        let df = |w: &str| self.df.get(w).copied().unwrap_or(1);
        let n = self.services.len() as f64;
        let mut scored: Vec<(f64, f64, &Service)> = Vec::new();
        for (s, name) in self.services.iter().zip(&self.names) {
            if name.is_empty() {
                continue;
            }
            let found: Vec<bool> = name.iter().map(|w| query.iter().any(|q| same_word(w, q))).collect();
            if !found.iter().any(|f| *f) || name.iter().any(|w| unwanted.iter().any(|u| same_word(w, u))) {
                continue;
            }
            // Who it is for ("men's", "dog") weighs little when said: "men's haircut" is named
            // by "haircut" above all. Unsaid, it weighs in full: "el baño" is no more the cat's
            // bath than the dog's, so no one service stands out and the kind answers.
            let weights: Vec<f64> = name
                .iter()
                .zip(&found)
                .map(|(w, f)| (1.0 + n / df(w) as f64).ln() * if *f && WHO.contains(&singular(w)) { 0.2 } else { 1.0 })
                .collect();
            let total: f64 = weights.iter().sum();
            let matched: f64 = weights.iter().zip(&found).filter(|(_, f)| **f).map(|(x, _)| *x).sum();
            let coverage = matched / total;
            let unique = name.iter().zip(&found).any(|(w, f)| *f && df(w) == 1 && !GENERIC.contains(&singular(w)));
            // "my dog", "for men": who the service is for names no service on its own.
            let substantive = name.iter().zip(&found).any(|(w, f)| *f && !WHO.contains(&singular(w)));
            if !substantive || (coverage < 0.5 && !(unique && coverage >= 0.3)) {
                continue;
            }
            scored.push((matched, coverage, s));
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)));
        let Some(&(m, c, _)) = scored.first() else {
            return self
                .by_kind(&query)
                .into_iter()
                .filter(|s| !words(&s.name).iter().any(|w| unwanted.iter().any(|u| same_word(w, u))))
                .collect();
        };
        scored
            .into_iter()
            .take_while(|(x, y, _)| (x - m).abs() < 0.05 && (y - c).abs() < 0.05)
            .map(|(_, _, s)| s)
            .collect()
    }

    /// The services of the kind the query names, when it names no one service: "a vet
    /// consult" for the Standard, Behaviour and Home Visit Consultations. The kind is the
    /// head word of a name, last in English ("Standard Consultation") or first in the
    /// languages that put it first ("Corte feminino"); who a service is for is no kind.
    fn by_kind(&self, query: &[String]) -> Vec<&Service> {
        self.services
            .iter()
            .zip(&self.names)
            .filter(|(_, name)| {
                let heads = [name.first(), name.last()];
                heads
                    .into_iter()
                    .flatten()
                    .any(|head| !WHO.contains(&singular(head)) && query.iter().any(|q| same_word(head, q)))
            })
            .map(|(s, _)| s)
            .collect()
    }

    /// The business's first general visit (a consultation, an assessment, a check-up, a
    /// diagnostic): what a visitor who describes a problem instead of naming a service is
    /// booked for, for the team to confirm.
    pub fn general_visit(&self) -> Option<&Service> {
        const GENERAL: &[&str] = &[
            "consultation",
            "consult",
            "assessment",
            "check-up",
            "checkup",
            "examination",
            "diagnostic",
            "diagnostics",
            "consulta",
            "avaliacao",
            "evaluacion",
            "bilan",
            "konsultasi",
        ];
        self.services
            .iter()
            .zip(&self.names)
            .find(|(_, name)| name.iter().any(|w| GENERAL.contains(&w.as_str())))
            .map(|(s, _)| s)
    }

    /// The one service `text` names, if one stands out (see [`find`]).
    pub fn find(&self, text: &str) -> Option<&Service> {
        match self.matches(text).as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }
}

/// What several services named alike share, as the visitor wrote it: "Haircut".
pub fn shared(services: &[&Service], text: &str) -> Option<String> {
    let query = words(text);
    let first = services.first().map(|s| s.name.as_str()).unwrap_or_default();
    // The first service's own words, in its order and spelling, that every service and
    // the question share ("brake" once, though the question said "brake brakes").
    let common: Vec<&str> = first
        .split_whitespace()
        .filter(|w| {
            let folded = words(w);
            folded.iter().any(|f| {
                !STOP.contains(&f.as_str())
                    && query.iter().any(|q| same_word(f, q))
                    && services.iter().all(|s| words(&s.name).iter().any(|x| same_word(x, f)))
            })
        })
        .collect();
    let joined = common.join(" ");
    let mut chars = joined.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_in_the_forms_pages_write_them() {
        let text = "Sports massage — £55 (45 min)\n\
                    Initial assessment │ 60 minutes │ £70\n\
                    A full colour costs R$ 180 and takes 2 hours.\n\
                    Teeth whitening: AED 1,200\n\
                    Opening hours: 9am to 6pm";
        let c = catalogue([text]);
        let names: Vec<&str> = c.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, vec!["Sports massage", "Initial assessment", "full colour", "Teeth whitening"]);
        assert_eq!(c[0].price, "£55");
        assert_eq!(c[0].duration.as_deref(), Some("45 min"));
        assert_eq!(c[1].duration.as_deref(), Some("60 minutes"));
        assert_eq!(c[2].price, "R$ 180");
        assert_eq!(c[3].price, "AED 1,200");
        assert_eq!(find(&c, "hw much is a sprots massage?").map(|s| s.name.as_str()), Some("Sports massage"));
        assert_eq!(find(&c, "price of whitening").map(|s| s.name.as_str()), Some("Teeth whitening"));
        assert_eq!(find(&c, "massages?").map(|s| s.name.as_str()), Some("Sports massage"));
        assert_eq!(find(&c, "do you sell gift cards?"), None);
        assert_eq!(find(&c, "from $179 (30 min)"), None, "a price line is no service");

        // A problem described instead of a service: the general visit, when there is one.
        let vet =
            Catalogue::new(catalogue(["Nail clip — A$25\nStandard Consultation — A$95\nSenior Pet Check — A$165"]));
        assert_eq!(vet.general_visit().map(|s| s.name.as_str()), Some("Standard Consultation"));
        assert_eq!(Catalogue::new(c.clone()).general_visit().map(|s| s.name.as_str()), Some("Initial assessment"));
        assert!(Catalogue::new(catalogue(["Men's haircut — $30"])).general_visit().is_none());

        // Named alike: all of them, and what they share.
        let cuts = catalogue(["Men's haircut — $30\nWomen's haircut — $45\nKids haircut — $20\nDog grooming — $60"]);
        let alike = matches(&cuts, "how much is a haircut?");
        assert_eq!(alike.len(), 3);
        assert_eq!(shared(&alike, "how much is a haircut?").as_deref(), Some("Haircut"));
        assert_eq!(find(&cuts, "a women's haircut pls").map(|s| s.name.as_str()), Some("Women's haircut"));
        assert_eq!(find(&cuts, "my dog needs a checkup"), None, "who it is for names no service");

        // A kind of service, when no one service is named: all of that kind.
        let vet = catalogue([
            "Standard Consultation – A$95\nBehaviour Consultation – A$190\nHome Visit Consultation – A$210\nNail Clip – A$25",
        ]);
        let consults: Vec<&str> = matches(&vet, "how much is a vet consult").iter().map(|s| s.name.as_str()).collect();
        assert_eq!(consults, ["Standard Consultation", "Behaviour Consultation", "Home Visit Consultation"]);
        assert!(matches(&vet, "how much for my dog").is_empty(), "who it is for is no kind");

        // Two prices on one line: both, or the answer is wrong for some.
        let two = catalogue([
            "Cat Desexing – A$320 for females, A$240 for males. Drop off by 8:30am, $10 extra after.\nKids cut │ $20 │ $15 (under 5s)",
        ]);
        assert_eq!(two[0].price, "A$320 for females, A$240 for males");
        assert_eq!(two[1].price, "$20, $15 (under 5s)");
    }

    #[test]
    fn a_table_with_a_price_per_column_prices_each_column() {
        let page = "Servicio — Duración aprox. — Chico — Mediano — Grande\n\
                    Baño básico — 1 h — $280 MXN — $360 MXN — $470 MXN\n\
                    Baño y corte completo — 2 h — $450 MXN — $580 MXN — $750 MXN\n\
                    Deslanado — 1 h 30 min — $420 MXN — $540 MXN — $690 MXN\n\
                    Deslanado para gato — 1 h 30 min — $590 MXN\n\
                    Corte de uñas – 15 min – $85";
        let c = Catalogue::new(catalogue([page]));
        let full = c.find("cuanto sale el baño y corte para un schnauzer mediano?").unwrap();
        assert_eq!(full.name, "Baño y corte completo");
        assert_eq!(full.price_for("cuanto sale el baño y corte para un schnauzer mediano?"), "$580 MXN");
        assert_eq!(full.price_for("para una beagle mediana"), "$580 MXN");
        assert_eq!(full.price_for("¿cuánto cuesta?"), "Chico $450 MXN, Mediano $580 MXN, Grande $750 MXN");
        assert_eq!(full.duration.as_deref(), Some("2 h"));
        assert_eq!(c.find("un deslanado para mi husky").map(|s| s.name.as_str()), Some("Deslanado"));
        assert_eq!(c.find("deslanado para mi gato").map(|s| s.name.as_str()), Some("Deslanado para gato"));
        // Short words: a letter more or less is a typo or a cognate, a letter changed is
        // another word.
        assert!(same_word("banho", "bano") && !same_word("soir", "soin") && !same_word("mediano", "medicado"));
        // Without what it must not include.
        let bath: Vec<&str> =
            c.matches("cuánto cuesta nomás el baño, sin corte?").iter().map(|s| s.name.as_str()).collect();
        assert_eq!(bath, ["Baño básico"]);
        assert_eq!(c.services[2].duration.as_deref(), Some("1 h 30 min"));
        // The rows below a table are no longer its columns.
        assert!(c.services[4].variants.is_empty());
        assert_eq!(c.services[4].price, "$85");
        // A sentence about something priced is no service.
        assert!(catalogue(["Tenemos tarjetas de regalo desde $300, ideales para regalar."]).is_empty());
    }
}
