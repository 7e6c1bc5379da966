//! The AI reply engine: retrieval (BM25) over the workspace's knowledge entries, the
//! given context, the conversation so far and a web page, then a composer (the built-in
//! one, or a language model) that answers from what was found and cites it.

use std::sync::Arc;

use switchboard_api::{AiReply, AiSource, Direction, KnowledgeEntry, Message, MessageKind};

use crate::bm25::Index;
use crate::compose::{self, Composer, Evidence, LOW_CONFIDENCE, Question};
use crate::error::AiError;
use crate::fetch::PageFetcher;
use crate::model::{ModelClient, ModelComposer, ModelSettings};
use crate::text::{Passage, passages};

/// Passages handed to the composer, and sources cited.
const EVIDENCE: usize = 5;
const SOURCES: usize = 3;
const EXCERPT_CHARS: usize = 240;

/// What a reply is drafted from.
#[derive(Debug, Clone, Default)]
pub struct ReplyInput {
    pub message: String,
    pub url: Option<String>,
    pub context: Option<String>,
    pub knowledge: Vec<KnowledgeEntry>,
    /// The conversation so far, oldest first.
    pub history: Vec<Message>,
}

pub struct AiEngine {
    fetcher: PageFetcher,
    /// Knowledge read lately, ready to answer from.
    businesses: crate::business::Businesses,
    composer: Arc<dyn Composer>,
    /// The language model, when one is configured: it composes `/ai/reply` answers and
    /// drives the agent through tool calls.
    model: Option<Arc<ModelClient>>,
}

impl AiEngine {
    /// The built-in composer and agent, or the model `settings` name; pages are read by
    /// `fetcher`.
    pub fn configured(fetcher: PageFetcher, settings: Option<ModelSettings>) -> Result<Self, AiError> {
        let model = settings.map(ModelClient::new).transpose()?.map(Arc::new);
        let composer: Arc<dyn Composer> = match &model {
            Some(m) => Arc::new(ModelComposer::new(m.clone())),
            None => Arc::new(compose::BuiltIn),
        };
        Ok(Self { fetcher, composer, model, businesses: Default::default() })
    }

    /// A website from `url`: its pages on the same origin, as robots.txt allows, cut
    /// into sections (`site::read_site`).
    pub async fn read_site(&self, url: &str, max_pages: usize) -> Result<crate::site::Site, AiError> {
        crate::site::read_site(&self.fetcher, url, max_pages).await
    }

    /// What `knowledge` says about the business, read once per version of it.
    pub fn business(&self, knowledge: &[KnowledgeEntry]) -> Arc<crate::business::Business> {
        self.businesses.get(knowledge)
    }

    /// The model, when the agent has one.
    pub fn model(&self) -> Option<&Arc<ModelClient>> {
        self.model.as_ref()
    }

    pub async fn reply(&self, input: ReplyInput) -> Result<AiReply, AiError> {
        self.answer(input, self.composer.as_ref()).await
    }

    /// The built-in composer's reply, model or not: the built-in agent's answers, and
    /// what it falls back on when the model fails.
    pub async fn reply_built_in(&self, input: ReplyInput) -> Result<AiReply, AiError> {
        self.answer(input, &compose::BuiltIn).await
    }

    async fn answer(&self, input: ReplyInput, composer: &dyn Composer) -> Result<AiReply, AiError> {
        let business = self.business(&input.knowledge);
        let mut more = Vec::new();
        if let Some(context) = &input.context {
            more.extend(passages("Context", None, context));
        }
        // What the business said is evidence; what the visitor said is their question's
        // context, never an answer to give back to them.
        let said: Vec<String> = input
            .history
            .iter()
            .filter(|m| m.direction == Direction::Outbound && m.kind != MessageKind::Note && !m.body.trim().is_empty())
            .map(|m| m.body.clone())
            .collect();
        if !said.is_empty() {
            more.extend(passages("This conversation", None, &said.join("\n")));
        }
        if let Some(url) = &input.url {
            more.extend(self.fetcher.passages(url).await?.iter().cloned());
        }
        let extended;
        let index = if more.is_empty() {
            &business.index
        } else {
            extended = business.index.with(more.iter().map(|p| p.text.as_str()));
            &extended
        };
        let mut found = business.passages.clone();
        found.extend(more);
        // A question in Spanish finds an English page's lines through the glossary's words.
        let own;
        let vocabulary = if found.len() == business.passages.len() {
            &business.vocabulary
        } else {
            own = crate::glossary::Vocabulary::new(found.iter().map(|p| p.text.as_str()));
            &own
        };
        let extra = crate::glossary::extra(&input.message, vocabulary);
        // Asked in another language than the knowledge's, none of the question's own
        // words can be found: only what the glossary carried over counts.
        let across = business.same_language(&input.message) == Some(false);
        let also = extra.as_ref().map(|e| (e.english.as_str(), if across { usize::MAX } else { e.translated }));
        let mut evidence = search_in(index, &found, &input.message, also, EVIDENCE);
        with_topic(&mut evidence, &found, &input.message);
        let message = match &extra {
            Some(extra) => format!("{} ({})", input.message, extra.english),
            None => input.message.clone(),
        };
        let question = Question { message, history: history_lines(&input.history) };
        let draft = composer.compose(&question, &evidence).await?;
        let confidence = (draft.confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0;
        let sources = if evidence.is_empty() || confidence < LOW_CONFIDENCE / 2.0 {
            Vec::new()
        } else {
            evidence.iter().take(SOURCES).map(source).collect()
        };
        Ok(AiReply { reply: draft.reply, sources, confidence, low_confidence: confidence < LOW_CONFIDENCE })
    }
}

/// The passages of knowledge entries, each under its entry's title.
pub fn knowledge_passages(knowledge: &[KnowledgeEntry]) -> Vec<Passage> {
    knowledge.iter().flat_map(|k| passages(&k.title, k.url.as_deref(), &format!("{}\n{}", k.title, k.body))).collect()
}

/// The `n` passages of `found` that answer `query` best, best first; words stemmed as
/// `lang` (the knowledge's language) inflects them.
pub fn search(found: &[Passage], query: &str, n: usize, lang: Option<crate::Lang>) -> Vec<Evidence> {
    search_with(found, query, None, n, lang)
}

/// [`search`] with other words for the query's (see [`Index::search_with`]).
pub fn search_with(
    found: &[Passage],
    query: &str,
    also: Option<(&str, usize)>,
    n: usize,
    lang: Option<crate::Lang>,
) -> Vec<Evidence> {
    search_in(&Index::new_in(found.iter().map(|p| p.text.as_str()), lang), found, query, also, n)
}

/// [`search_with`] over an index of `found` built before.
pub fn search_in(
    index: &Index,
    found: &[Passage],
    query: &str,
    also: Option<(&str, usize)>,
    n: usize,
) -> Vec<Evidence> {
    index
        .search_with(query, also)
        .into_iter()
        .take(n)
        .map(|hit| Evidence { passage: found[hit.doc].clone(), score: hit.score, coverage: hit.coverage })
        .collect()
}

/// "where are you?" and "how can I pay?" are answered by a line that holds an address or
/// the means of payment, which may share no word with the question: the first passage
/// that has one joins the passages the composer reads, when none of them has one.
fn with_topic(evidence: &mut Vec<Evidence>, found: &[Passage], question: &str) {
    use crate::topics::{asks_payment, asks_where, has_address, has_payment};
    let holds: fn(&str) -> bool = if asks_payment(question) {
        has_payment
    } else if asks_where(question) {
        has_address
    } else {
        return;
    };
    let shown = evidence.iter().take(3).any(|e| e.passage.text.lines().any(holds));
    if shown {
        return;
    }
    if let Some(p) = found.iter().find(|p| p.text.lines().any(holds)) {
        let at = evidence.len().min(2);
        evidence.insert(at, Evidence { passage: p.clone(), score: 0.0, coverage: 0.0 });
        evidence.truncate(EVIDENCE);
    }
}

fn history_lines(history: &[Message]) -> Vec<String> {
    history
        .iter()
        .filter(|m| m.kind != MessageKind::Note && !m.body.trim().is_empty())
        .map(|m| {
            let who = if m.direction == Direction::Inbound { "contact" } else { "business" };
            format!("{who}: {}", m.body)
        })
        .collect()
}

/// A passage as a cited source, its text cut to an excerpt.
pub fn source(e: &Evidence) -> AiSource {
    let text = e.passage.text.replace('\n', " ");
    let excerpt = if text.chars().count() > EXCERPT_CHARS {
        format!("{}…", text.chars().take(EXCERPT_CHARS).collect::<String>().trim_end())
    } else {
        text
    };
    AiSource { title: e.passage.title.clone(), url: e.passage.url.clone(), excerpt }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn where_and_how_to_pay_reach_the_lines_that_answer_them() {
        let found: Vec<Passage> = [
            "The clinic is on the ground floor, with lift access from the car park.",
            "Opening hours: Monday to Friday 9am to 6pm.",
            "Contact\nYou'll find us at 48 Fernbank Road, London N7 8QT.",
            "We take cash, all major cards and Apple Pay.",
        ]
        .iter()
        .flat_map(|t| passages("Page", None, t))
        .collect();
        let mut evidence = search(&found, "where is the clinic exactly?", EVIDENCE, Some(crate::Lang::En));
        assert!(!evidence.iter().any(|e| e.passage.text.contains("Fernbank")), "no word in common");
        with_topic(&mut evidence, &found, "where is the clinic exactly?");
        assert!(evidence.iter().take(3).any(|e| e.passage.text.contains("Fernbank")), "{evidence:?}");
        let mut evidence = search(&found, "what forms of payment do u take", EVIDENCE, Some(crate::Lang::En));
        with_topic(&mut evidence, &found, "what forms of payment do u take");
        assert!(evidence.iter().take(3).any(|e| e.passage.text.contains("Apple Pay")), "{evidence:?}");
        // Other questions are left as found.
        let mut evidence = search(&found, "is there a lift?", EVIDENCE, Some(crate::Lang::En));
        let before = evidence.len();
        with_topic(&mut evidence, &found, "is there a lift?");
        assert_eq!(evidence.len(), before);
    }
}
