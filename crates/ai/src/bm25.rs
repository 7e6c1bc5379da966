//! Okapi BM25 over a business's passages (k1 = 1.2, b = 0.75), words stemmed in the
//! knowledge's language: built once per version of the knowledge, extended per question
//! with the conversation's and a page's passages.

use std::collections::HashMap;

use crate::Lang;
use crate::text::stems;

const K1: f64 = 1.2;
const B: f64 = 0.75;

#[derive(Debug, Clone, Default)]
pub struct Index {
    /// How words are stemmed, in the passages and the question alike.
    lang: Option<Lang>,
    docs: Vec<Vec<String>>,
    document_frequency: HashMap<String, usize>,
    total_length: usize,
    average_length: f64,
}

/// A passage's rank: its index, score, and the share of the question's terms it has.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub doc: usize,
    pub score: f64,
    pub coverage: f64,
}

impl Index {
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        Self::new_in(texts, None)
    }

    /// An index whose words are stemmed as `lang` inflects them (see [`stems`]).
    pub fn new_in<'a>(texts: impl IntoIterator<Item = &'a str>, lang: Option<Lang>) -> Self {
        Self { lang, ..Self::default() }.with(texts)
    }

    /// This index with more passages after its own (a conversation's, a page's): the
    /// business's passages are stemmed once, not per question.
    pub fn with<'a>(&self, texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut out = self.clone();
        for doc in texts.into_iter().map(|t| stems(t, self.lang)) {
            let mut seen: Vec<&String> = doc.iter().collect();
            seen.sort();
            seen.dedup();
            for t in seen {
                *out.document_frequency.entry(t.clone()).or_insert(0) += 1;
            }
            out.total_length += doc.len();
            out.docs.push(doc);
        }
        out.average_length = if out.docs.is_empty() { 0.0 } else { out.total_length as f64 / out.docs.len() as f64 };
        out
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Passages with any of the question's terms, best first.
    pub fn search(&self, question: &str) -> Vec<Hit> {
        self.search_with(question, None)
    }

    /// Like [`Index::search`], with `also`: other words for the question's (the English a
    /// Spanish question's words stand for). They find passages like the question's own
    /// words, and count for coverage as one more word of the question, only when found:
    /// words in another language than the page's must not make a question look less
    /// answered.
    /// `translated`: how many of the question's words `also` stands for; that many of its
    /// words no passage has are taken as the ones translated.
    pub fn search_with(&self, question: &str, also: Option<(&str, usize)>) -> Vec<Hit> {
        let mut own = stems(question, self.lang);
        own.sort();
        own.dedup();
        let translated = also.map_or(0, |(_, n)| n);
        let mut extra: Vec<String> = also.map(|(words, _)| stems(words, self.lang)).unwrap_or_default();
        extra.sort();
        extra.dedup();
        extra.retain(|t| !own.contains(t));
        let mut query = own.clone();
        query.extend(extra.iter().cloned());
        if query.is_empty() {
            return Vec::new();
        }
        let n = self.docs.len() as f64;
        let unknown = own.iter().filter(|t| !self.document_frequency.contains_key(*t)).count().min(translated);
        let mut hits: Vec<Hit> = self
            .docs
            .iter()
            .enumerate()
            .filter_map(|(i, doc)| {
                let length = doc.len() as f64;
                let mut score = 0.0;
                let (mut matched, mut matched_extra) = (0, false);
                for term in &query {
                    let tf = doc.iter().filter(|t| *t == term).count() as f64;
                    if tf == 0.0 {
                        continue;
                    }
                    if own.contains(term) {
                        matched += 1;
                    } else {
                        matched_extra = true;
                    }
                    let df = *self.document_frequency.get(term).unwrap_or(&0) as f64;
                    let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
                    score += idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * length / self.average_length.max(1.0)));
                }
                // Found through the other words, as many of the question's own words that no
                // passage has anywhere as they translated ("kursi roda" for "wheelchair").
                let group = usize::from(matched_extra);
                let asked = if matched_extra { own.len() - unknown } else { own.len() };
                let coverage = (matched + group) as f64 / (asked + group).max(1) as f64;
                (matched + group > 0).then(|| Hit { doc: i, score, coverage })
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_words_for_the_question_find_and_cover_without_counting_against() {
        let index = Index::new(["Parking: free behind the building.", "Opening hours: 9am to 6pm."]);
        let hits = index.search_with("¿Tienen estacionamiento?", Some(("parking car park", 1)));
        assert_eq!(hits[0].doc, 0);
        assert!((hits[0].coverage - 1.0).abs() < 1e-9, "the Spanish word is what the English said: {hits:?}");
        let hits = index.search_with("¿Tienen estacionamiento para camiones?", Some(("parking car park", 1)));
        assert!((hits[0].coverage - 0.5).abs() < 1e-9, "trucks, untranslated, are still asked about: {hits:?}");
        let hits = index.search_with("parking hours", Some(("parking car park", 1)));
        assert_eq!(hits.len(), 2, "{hits:?}");
        let own = Index::new(["Estacionamento: convênio com o Estaciona Fácil.", "Horário: 9h às 19h."]);
        let hits = own.search_with("tem estacionamento?", Some(("parking car park", 1)));
        assert!((hits[0].coverage - 1.0).abs() < 1e-9, "English words the page lacks cost nothing: {hits:?}");
    }

    #[test]
    fn the_passage_about_the_question_ranks_first() {
        let docs = [
            "Opening hours: Monday to Friday 9am to 6pm, Saturday 10am to 2pm.",
            "Men's haircut — $30, 30 minutes. Women's haircut — $45, 45 minutes.",
            "Parking is free behind the building.",
        ];
        let index = Index::new(docs);
        let hits = index.search("How much is a haircut?");
        assert_eq!(hits[0].doc, 1);
        assert!((hits[0].coverage - 0.5).abs() < 1e-9, "'much' is not on the page, 'haircut' is");
        assert_eq!(index.search("When are you open on Saturday?")[0].doc, 0);
        assert!(index.search("Do you sell gift cards?").is_empty());
    }

    #[test]
    fn words_are_found_in_their_other_forms_and_passages_added_later_count() {
        let en = Index::new_in(
            ["We work with Bupa, AXA and Vitality insurance.", "Do I need a referral? No."],
            Some(Lang::En),
        );
        assert_eq!(en.search("which insurers do you work with")[0].doc, 0, "insurers, insurance");
        assert!(Index::new(["We work with Bupa insurance."]).search("insurers").is_empty(), "unstemmed, no match");
        let es = Index::new_in(["Cancelaciones con menos de 24 horas: 200 pesos."], Some(Lang::Es));
        assert_eq!(es.search("si cancelo me cobran?").len(), 1, "cancelo, cancelaciones");
        let more = en.with(["Parking is free after 6pm."]);
        assert_eq!((en.len(), more.len()), (2, 3));
        assert_eq!(more.search("parking")[0].doc, 2);
        assert!(en.search("parking").is_empty(), "the index it came from is unchanged");
    }

    #[test]
    fn rare_terms_weigh_more_than_common_ones() {
        let docs = ["haircut price", "haircut colour", "haircut beard trim"];
        let hits = Index::new(docs).search("beard haircut");
        assert_eq!(hits[0].doc, 2);
        assert!(hits[0].score > hits[1].score * 2.0);
    }
}
