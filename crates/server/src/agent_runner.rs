//! Runs the AI agent on every message a contact writes into a conversation the AI
//! handles: reads what the workspace knows, decides (`switchboard_ai::agent`), and carries the
//! decision out in one write. Messages are taken one at a time, in commit order, so two
//! quick messages of one conversation never act on the same memory. Each message waits
//! on a durable queue (`agent_inbox`) until the write that carries out its decision takes
//! it off: what came in while the agent was down or behind is answered later, and
//! nothing is answered twice.

use std::sync::Arc;

use switchboard_api::{Author, Change, Direction, Handler, MessageKind};
use tokio::sync::{broadcast, watch};

use crate::db::{self, Db};
use crate::error::Error;
use crate::events::WorkspaceChange;
use switchboard_ai::agent::{Turn, decide};
use switchboard_ai::{AiEngine, ReplyInput};

/// Knowledge entries and earlier messages the agent reads per turn.
const MAX_HISTORY: u32 = 100;
/// Queued messages read at a time.
const BACKLOG_BATCH: u32 = 50;

pub async fn run(db: Db, ai: Arc<AiEngine>, mut stop: watch::Receiver<bool>) {
    let mut changes = db.events().subscribe();
    // What came in while the server was down, or before this task subscribed.
    answer_backlog(&db, &ai).await;
    loop {
        let change = tokio::select! {
            c = changes.recv() => c,
            _ = stop.changed() => return,
        };
        match change {
            Ok(change) => {
                if let Err(e) = handle(&db, &ai, &change).await {
                    tracing::warn!(error = %e, "the AI agent could not handle a message");
                }
            }
            Err(broadcast::error::RecvError::Lagged(n)) => {
                tracing::info!(missed = n, "the AI agent fell behind the live feed; answering from its queue");
                answer_backlog(&db, &ai).await;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}

/// Answers every message still on the agent's queue, oldest first.
async fn answer_backlog(db: &Db, ai: &AiEngine) {
    loop {
        let waiting = match db.read(|conn| db::agent::backlog(conn, BACKLOG_BATCH)).await {
            Ok(waiting) => waiting,
            Err(e) => return tracing::warn!(error = %e, "the AI agent could not read its queue"),
        };
        if waiting.is_empty() {
            return;
        }
        for (ws, message) in waiting {
            if let Err(e) = answer(db, ai, ws, &message).await {
                tracing::warn!(error = %e, message = %message.id, "the AI agent gave up on a message");
                // Off the queue all the same: a message that fails every time must not
                // stop the agent from answering the others.
                let id = message.id.clone();
                let _ = db.write(move |w| db::agent::dequeue(w, &id).map(|_| ())).await;
            }
        }
    }
}

/// The agent's turn for one committed change, if it is a contact's message to the AI.
pub async fn handle(db: &Db, ai: &AiEngine, change: &WorkspaceChange) -> Result<(), Error> {
    let Change::Message(message) = &change.change else { return Ok(()) };
    if message.direction != Direction::Inbound || message.author != Author::Contact || message.kind == MessageKind::Note
    {
        return Ok(());
    }
    answer(db, ai, change.workspace_id.clone(), message).await
}

/// Answers a contact's message that is on the agent's queue; one that is not (answered
/// already, or written while a person handled the conversation) is left alone.
async fn answer(db: &Db, ai: &AiEngine, ws: String, message: &switchboard_api::Message) -> Result<(), Error> {
    let id = message.id.clone();
    if !db.read(move |conn| db::agent::is_queued(conn, &id)).await? {
        return Ok(());
    }
    let (conversation_id, message_id) = (message.conversation_id.clone(), message.id.clone());
    let (conversation, knowledge, history, contact_name, mut state, locale) = db
        .read({
            let (ws, conversation_id) = (ws.clone(), conversation_id.clone());
            move |conn| {
                let conversation = db::get_conversation(conn, &ws, &conversation_id)?;
                let (knowledge, _) = db::records::list::<switchboard_api::KnowledgeEntry>(
                    conn,
                    &ws,
                    Vec::new(),
                    None,
                    crate::ai::KNOWLEDGE_READ,
                )?;
                let history = db::recent_messages(conn, &ws, &conversation_id, MAX_HISTORY)?;
                let name = db::get_contact(conn, &ws, &conversation.contact_id)?.and_then(|c| c.name);
                let state = db::agent::load_state(conn, &conversation_id)?;
                let locale = db::workspaces::get_locale(conn, &ws)?;
                Ok((conversation, knowledge, history, name, state, locale))
            }
        })
        .await?;
    if conversation.handler != Handler::Ai {
        let id = message_id.clone();
        return db.write(move |w| db::agent::dequeue(w, &id).map(|_| ())).await;
    }
    // What had been said when the message came, and the answers to the messages before
    // it: read from a backlog, the visitor's later messages are not its history.
    let later = |m: &switchboard_api::Message| {
        m.direction == Direction::Inbound
            && (m.created_at.as_str(), m.id.as_str()) >= (message.created_at.as_str(), message.id.as_str())
    };
    let history: Vec<_> = history.into_iter().filter(|m| !later(m)).collect();
    let turn = Turn {
        message: message.body.clone(),
        reply_input: ReplyInput { knowledge, history, ..Default::default() },
        known_name: contact_name,
        // The settings' time zone and region; without them the agent reads them from the
        // business's knowledge (its phone numbers, its currency).
        now: None,
        region: locale.region.map(|r| r.as_str().to_owned()),
        zone: locale.zone,
    };
    let decision = decide(ai, turn, &mut state).await?;
    let message = message.clone();
    db.write(move |w| {
        if !db::agent::dequeue(w, &message.id)? {
            return Ok(());
        }
        // A person may have taken the conversation while the agent was thinking.
        let now = db::get_conversation(w.conn(), &ws, &conversation_id)?;
        if now.handler != Handler::Ai {
            return Ok(());
        }
        // The agent keeps WhatsApp's 24-hour window like everyone: a message Meta hands
        // over late (its timestamp a day old) gets no free-form answer.
        let decision = match db::check_care_window(&now, MessageKind::Text, &crate::time::now()) {
            Ok(()) => decision,
            Err(_) => decision.without_replies(),
        };
        db::agent::apply(w, &ws, &now, &message, &decision, &state)
    })
    .await
}
