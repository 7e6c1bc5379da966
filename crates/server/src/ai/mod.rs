//! The AI reply engine: retrieval (BM25) over the workspace's knowledge entries, the
//! given context, the conversation so far and a web page, then a composer (the built-in
//! one, or a language model) that answers from what was found and cites it.

pub mod agent;
pub mod bm25;
pub mod compose;
pub mod fetch;
pub mod import;
pub mod openai;
pub mod text;

use std::sync::Arc;

use switchboard_api::{AiReply, AiSource, Direction, KnowledgeEntry, Message, MessageKind};

use self::bm25::Index;
use self::compose::{Composer, Evidence, LOW_CONFIDENCE, Question};
use self::fetch::PageFetcher;
use self::text::{Passage, passages};
use crate::error::Error;

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
    composer: Arc<dyn Composer>,
}

impl AiEngine {
    pub fn new(fetcher: PageFetcher, composer: Arc<dyn Composer>) -> Self {
        Self { fetcher, composer }
    }

    /// The built-in composer, or the model `settings` name; pages are read under `policy`.
    pub fn configured(
        policy: crate::webhooks::ssrf::TargetPolicy,
        settings: Option<openai::OpenAiSettings>,
    ) -> Result<Self, Error> {
        let composer: Arc<dyn Composer> = match settings {
            Some(s) => Arc::new(openai::OpenAiComposer::new(s)?),
            None => Arc::new(compose::BuiltIn),
        };
        Ok(Self::new(PageFetcher::new(policy)?, composer))
    }

    pub async fn reply(&self, input: ReplyInput) -> Result<AiReply, Error> {
        let mut found: Vec<Passage> = Vec::new();
        for k in &input.knowledge {
            found.extend(passages(&k.title, k.url.as_deref(), &format!("{}\n{}", k.title, k.body)));
        }
        if let Some(context) = &input.context {
            found.extend(passages("Context", None, context));
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
            found.extend(passages("This conversation", None, &said.join("\n")));
        }
        if let Some(url) = &input.url {
            found.extend(self.fetcher.passages(url).await?.iter().cloned());
        }
        let index = Index::new(found.iter().map(|p| p.text.as_str()));
        let evidence: Vec<Evidence> = index
            .search(&input.message)
            .into_iter()
            .take(EVIDENCE)
            .map(|hit| Evidence { passage: found[hit.doc].clone(), score: hit.score, coverage: hit.coverage })
            .collect();
        let question = Question { message: input.message.clone(), history: history_lines(&input.history) };
        let draft = self.composer.compose(&question, &evidence).await?;
        let confidence = (draft.confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0;
        let sources = if evidence.is_empty() || confidence < LOW_CONFIDENCE / 2.0 {
            Vec::new()
        } else {
            evidence.iter().take(SOURCES).map(source).collect()
        };
        Ok(AiReply { reply: draft.reply, sources, confidence, low_confidence: confidence < LOW_CONFIDENCE })
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

fn source(e: &Evidence) -> AiSource {
    let text = e.passage.text.replace('\n', " ");
    let excerpt = if text.chars().count() > EXCERPT_CHARS {
        format!("{}…", text.chars().take(EXCERPT_CHARS).collect::<String>().trim_end())
    } else {
        text
    };
    AiSource { title: e.passage.title.clone(), url: e.passage.url.clone(), excerpt }
}
