//! What the agent decides about one message: the actions the server carries out in one
//! transaction, and the model's tool calls that changed nothing.

/// Something the agent does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Reply {
        text: String,
        confidence: f64,
    },
    CaptureLead {
        name: Option<String>,
        email: Option<String>,
        phone: Option<String>,
        interest: Option<String>,
    },
    RequestAppointment {
        service: String,
        /// As the visitor's words resolved: `2026-12-03T10:00`, `2026-12-03 morning`, or
        /// their own words when no day or time could be read.
        preferred_time: Option<String>,
        /// The instant `preferred_time` is, when it names a day and a clock time and the
        /// business's time zone is known.
        starts_at: Option<chrono::DateTime<chrono::Utc>>,
        name: Option<String>,
        phone: Option<String>,
    },
    Escalate {
        reason: String,
    },
    /// The booking request as it stands after the visitor gave more (it is recorded as
    /// soon as it names a service: a chat can end at any message). It changes the
    /// conversation's request for `of` (the service it was recorded with) while nobody has
    /// acted on it; fields left `None` stay as they are. Gone or handled already, the
    /// request is made anew.
    UpdateAppointment {
        of: String,
        service: String,
        preferred_time: Option<String>,
        starts_at: Option<chrono::DateTime<chrono::Utc>>,
        name: Option<String>,
        phone: Option<String>,
    },
    /// The visitor cancels their booking, or moves it (to `preferred_time` when they said
    /// when): recorded on their latest open appointment, and a person confirms.
    ChangeAppointment {
        cancel: bool,
        preferred_time: Option<String>,
        starts_at: Option<chrono::DateTime<chrono::Utc>>,
    },
}

impl Action {
    /// The `tool` of its `tool_call` event.
    pub fn tool(&self) -> &'static str {
        match self {
            Action::Reply { .. } => "reply",
            Action::CaptureLead { .. } => "capture_lead",
            Action::RequestAppointment { .. } => "request_appointment",
            Action::Escalate { .. } => "escalate",
            Action::UpdateAppointment { .. } => "update_appointment",
            Action::ChangeAppointment { .. } => "change_appointment",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decision {
    pub actions: Vec<Action>,
    /// -1 to 1, for the `sentiment_result` event.
    pub sentiment: f64,
    /// Tool calls that wrote nothing (searches, calls refused by their checks), each a
    /// `tool_call` event all the same.
    pub consulted: Vec<Consulted>,
    /// The sources the reply cites.
    pub cited: Vec<switchboard_api::AiSource>,
}

/// A model's tool call that became no action: what it asked and what it was told.
#[derive(Debug, Clone, PartialEq)]
pub struct Consulted {
    pub tool: String,
    /// As the model wrote them (a string when they were not JSON).
    pub arguments: serde_json::Value,
    pub result: serde_json::Value,
}

/// Why the agent handed over a conversation it could not answer on its channel.
pub const WINDOW_CLOSED: &str =
    "The contact's last message is more than 24 hours old: WhatsApp only accepts a template now";

impl Decision {
    /// The decision where no free-form message may go (WhatsApp outside its 24-hour
    /// window), as for anyone else there: what the agent learned is still recorded, its
    /// replies are dropped, and a person takes over, who can send a template.
    pub fn without_replies(mut self) -> Self {
        self.actions.retain(|a| !matches!(a, Action::Reply { .. }));
        if !self.actions.iter().any(|a| matches!(a, Action::Escalate { .. })) {
            self.actions.push(Action::Escalate { reason: WINDOW_CLOSED.to_owned() });
        }
        self
    }
}

/// What the agent sees of one turn.

#[cfg(test)]
mod tests {
    use super::{Action, Decision, WINDOW_CLOSED};

    #[test]
    fn outside_the_window_the_agent_records_and_hands_over_but_never_replies() {
        let reply = Action::Reply { text: "We open at 9".into(), confidence: 0.9 };
        let lead = Action::CaptureLead { name: None, email: None, phone: Some("+15550100".into()), interest: None };
        let closed = Decision { actions: vec![lead.clone(), reply.clone()], sentiment: 0.0, ..Decision::default() }
            .without_replies();
        assert_eq!(closed.actions, vec![lead, Action::Escalate { reason: WINDOW_CLOSED.into() }]);
        let upset = Action::Escalate { reason: "The visitor is upset".into() };
        let closed =
            Decision { actions: vec![upset.clone(), reply], sentiment: -0.8, ..Decision::default() }.without_replies();
        assert_eq!(closed.actions, vec![upset], "one hand-over, with the reason it had");
    }
}
