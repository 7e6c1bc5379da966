//! What the engine reads from a business's knowledge before it can answer: the entries as
//! clean text, their passages, the services and prices, the opening hours, and where the
//! business is. Read once per version of the knowledge and kept (a few workspaces' worth),
//! so a message costs the work of that message only.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use switchboard_api::KnowledgeEntry;

use crate::catalogue::{self, Catalogue};
use crate::engine::knowledge_passages;
use crate::glossary::Vocabulary;
use crate::hours::Hours;
use crate::text::{Passage, clean_text};

/// Versions of knowledge kept (one per workspace in use, roughly).
const KEPT: usize = 16;

#[derive(Debug, Default)]
pub struct Business {
    /// Each entry's title and body, cleaned.
    pub texts: Vec<String>,
    pub passages: Vec<Passage>,
    /// The passages' words, stemmed once (`bm25::Index`).
    pub index: crate::bm25::Index,
    pub catalogue: Catalogue,
    pub hours: Hours,
    /// Where the knowledge says the business is (`locale::infer_region`).
    pub region: Option<String>,
    /// The words the knowledge uses, for the glossary's offers.
    pub vocabulary: Vocabulary,
    /// The language the knowledge is written in, when it can be told.
    pub lang: Option<crate::Lang>,
    /// The warning signs the knowledge lists as needing help at once.
    pub warnings: crate::warnings::Warnings,
}

impl Business {
    /// Whether `text` is written in the knowledge's language: `None` when either cannot
    /// be told (a name, a number, a page of many languages).
    pub fn same_language(&self, text: &str) -> Option<bool> {
        match (crate::lang::detect(text), self.lang) {
            (crate::Detected::Spoken(asked), Some(written)) => Some(asked == written),
            _ => None,
        }
    }

    /// The one service the knowledge's sentence most about `text` names ("the vet gave
    /// her a special shampoo": the medicated bath). The sentence shares two words with the
    /// question at least, so one found for a single common word names nothing.
    pub fn service_described(&self, text: &str) -> Option<crate::catalogue::Service> {
        let best = crate::engine::search_in(&self.index, &self.passages, text, None, 1).into_iter().next()?;
        let wanted = crate::text::stems(text, self.lang);
        let (shared, sentence) = crate::focus::sentences(&best.passage.text.replace('\n', " "))
            .into_iter()
            .map(|s| {
                let mut have = crate::text::stems(s, self.lang);
                have.sort();
                have.dedup();
                (have.iter().filter(|t| wanted.contains(t)).count(), s.to_owned())
            })
            .max_by_key(|(shared, _)| *shared)?;
        (shared >= 2).then(|| self.catalogue.find(&sentence).cloned()).flatten()
    }

    pub fn read(knowledge: &[KnowledgeEntry]) -> Business {
        let texts: Vec<String> = knowledge.iter().map(|k| clean_text(&format!("{}\n{}", k.title, k.body))).collect();
        let catalogue = Catalogue::new(catalogue::catalogue(texts.iter().map(String::as_str)));
        let hours = Hours::read(texts.iter().map(String::as_str));
        let region = crate::locale::infer_region(texts.iter().map(String::as_str));
        let vocabulary = Vocabulary::new(texts.iter().map(String::as_str));
        // A sample is enough to tell a page's language, and keeps a big knowledge cheap.
        let sample: String = texts.iter().flat_map(|t| t.chars().take(400).chain([' '])).take(6000).collect();
        let lang = match crate::lang::detect(&sample) {
            crate::Detected::Spoken(l) => Some(l),
            _ => None,
        };
        let warnings = crate::warnings::Warnings::read_in(texts.iter().map(String::as_str), lang);
        let passages = knowledge_passages(knowledge);
        let index = crate::bm25::Index::new_in(passages.iter().map(|p| p.text.as_str()), lang);
        Business { passages, index, texts, catalogue, hours, region, vocabulary, lang, warnings }
    }
}

/// The businesses read lately, by a fingerprint of their knowledge.
#[derive(Default)]
pub struct Businesses {
    kept: Mutex<Vec<(u64, Arc<Business>)>>,
}

impl Businesses {
    /// The business `knowledge` describes, read now or kept from an earlier message.
    pub fn get(&self, knowledge: &[KnowledgeEntry]) -> Arc<Business> {
        let key = fingerprint(knowledge);
        if let Ok(kept) = self.kept.lock()
            && let Some((_, b)) = kept.iter().find(|(k, _)| *k == key)
        {
            return b.clone();
        }
        let read = Arc::new(Business::read(knowledge));
        if let Ok(mut kept) = self.kept.lock() {
            kept.retain(|(k, _)| *k != key);
            if kept.len() >= KEPT {
                kept.remove(0);
            }
            kept.push((key, read.clone()));
        }
        read
    }
}

/// Changes with any entry's id, edit time or text.
fn fingerprint(knowledge: &[KnowledgeEntry]) -> u64 {
    let mut h = DefaultHasher::new();
    knowledge.len().hash(&mut h);
    for k in knowledge {
        (&k.id, &k.updated_at, &k.title, &k.body, &k.url).hash(&mut h);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, body: &str) -> KnowledgeEntry {
        KnowledgeEntry {
            id: id.into(),
            title: "Prices".into(),
            body: body.into(),
            url: None,
            imported: false,
            created_at: "t".into(),
            updated_at: "t".into(),
            seq: 1,
        }
    }

    #[test]
    fn a_business_is_read_again_only_when_its_knowledge_changes() {
        let kept = Businesses::default();
        let first = kept.get(&[entry("kn_1", "Sports massage — £55")]);
        let again = kept.get(&[entry("kn_1", "Sports massage — £55")]);
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(first.region.as_deref(), Some("GB"));
        let edited = kept.get(&[entry("kn_1", "Sports massage — £60")]);
        assert!(!Arc::ptr_eq(&first, &edited));
        assert_eq!(edited.catalogue.services[0].price, "£60");
    }
}
