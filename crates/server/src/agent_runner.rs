//! Runs the AI agent on every message a contact writes into a conversation the AI
//! handles: reads what the workspace knows, decides (`ai::agent`), and carries the
//! decision out in one write. Messages are taken one at a time, in commit order, so two
//! quick messages of one conversation never act on the same memory.

use std::sync::Arc;

use switchboard_api::{Author, Change, Direction, Handler, MessageKind};
use tokio::sync::{broadcast, watch};

use crate::ai::agent::{Turn, decide, services};
use crate::ai::{AiEngine, ReplyInput};
use crate::db::{self, Db};
use crate::error::Error;
use crate::events::WorkspaceChange;

/// Knowledge entries and earlier messages the agent reads per turn.
const MAX_ENTRIES: u32 = 200;
const MAX_HISTORY: u32 = 100;

pub async fn run(db: Db, ai: Arc<AiEngine>, mut stop: watch::Receiver<bool>) {
    let mut changes = db.events().subscribe();
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
                tracing::warn!(missed = n, "the AI agent fell behind; those messages wait for a person");
            }
            Err(broadcast::error::RecvError::Closed) => return,
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
    let ws = change.workspace_id.clone();
    let (conversation_id, message_id) = (message.conversation_id.clone(), message.id.clone());
    let (conversation, knowledge, history, contact_name, mut state) = db
        .read({
            let (ws, conversation_id) = (ws.clone(), conversation_id.clone());
            move |conn| {
                let conversation = db::get_conversation(conn, &ws, &conversation_id)?;
                let (knowledge, _) =
                    db::records::list::<switchboard_api::KnowledgeEntry>(conn, &ws, Vec::new(), None, MAX_ENTRIES)?;
                let (history, _) = db::list_messages(conn, &ws, &conversation_id, None, MAX_HISTORY)?;
                let name = db::get_contact(conn, &ws, &conversation.contact_id)?.and_then(|c| c.name);
                let state = db::agent::load_state(conn, &conversation_id)?;
                Ok((conversation, knowledge, history, name, state))
            }
        })
        .await?;
    if conversation.handler != Handler::Ai {
        return Ok(());
    }
    let offered = services(&knowledge.iter().map(|k| k.body.clone()).collect::<Vec<_>>());
    let earlier: Vec<_> = history.into_iter().filter(|m| m.id != message_id).collect();
    let turn = Turn {
        message: message.body.clone(),
        reply_input: ReplyInput { knowledge, history: earlier, ..Default::default() },
        services: offered,
        known_name: contact_name,
    };
    let decision = decide(ai, turn, &mut state).await?;
    let message = message.clone();
    db.write(move |w| {
        // A person may have taken the conversation while the agent was thinking.
        let now = db::get_conversation(w.conn(), &ws, &conversation_id)?;
        if now.handler != Handler::Ai {
            return Ok(());
        }
        db::agent::apply(w, &ws, &now, &message, &decision, &state)
    })
    .await
}
