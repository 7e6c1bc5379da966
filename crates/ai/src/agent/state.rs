//! What the agent remembers of a conversation between messages (`agent_state`, JSON).

use serde::{Deserialize, Serialize};

use crate::entities::when::{DayPart, When};
use crate::lang::Lang;

/// What the agent remembers of a conversation between messages. Fields added later
/// default, so states saved before them still load.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgentState {
    /// Answers in a row that were guesses; the second one hands over.
    pub low_confidence_streak: u32,
    pub lead_captured: bool,
    pub appointment_requested: bool,
    /// A booking being filled in across messages.
    pub booking: Option<PendingBooking>,
    /// Contact details gathered so far.
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// What the visitor first asked about (a service's name when one was named).
    pub interest: Option<String>,
    /// The language the visitor last wrote in.
    pub lang: Option<Lang>,
    /// The last service the visitor asked about ("can I book one?" means that one).
    pub last_service: Option<String>,
    /// A booking request was recorded without a phone number, which was asked for.
    pub appointment_phone_missing: bool,
    /// The booking request recorded last, as recorded.
    pub recorded: Option<RecordedBooking>,
    /// A call back was asked for without a number, which was asked for.
    pub call_back_waiting: bool,
}

/// A booking being filled in: each part once given, and what was asked already (so
/// nothing is asked twice).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PendingBooking {
    pub service: Option<String>,
    /// As stored on the appointment (`When::stored`).
    pub preferred_time: Option<String>,
    pub date: Option<chrono::NaiveDate>,
    pub hour: Option<u32>,
    pub minute: Option<u32>,
    pub part: Option<String>,
    pub asked_service: bool,
    pub asked_time: bool,
    pub asked_contact: bool,
    /// The message that started the booking.
    pub wish: Option<String>,
    /// The contact question asked again, once, after an answer about something else.
    pub followed_up: bool,
    /// What the request recorded for it holds, once recorded.
    pub recorded: Option<RecordedBooking>,
}

/// A booking request as recorded so far: later answers are sent as changes to it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecordedBooking {
    pub service: String,
    pub preferred_time: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
}

impl PendingBooking {
    pub(super) fn when(&self) -> When {
        let part = self.part.as_deref().and_then(|p| match p {
            "morning" => Some(DayPart::Morning),
            "afternoon" => Some(DayPart::Afternoon),
            "evening" => Some(DayPart::Evening),
            _ => None,
        });
        When { date: self.date, hour: self.hour, minute: self.minute, part }
    }

    pub(super) fn set_when(&mut self, w: When) {
        (self.date, self.hour, self.minute) = (w.date, w.hour, w.minute);
        self.part = w.part.map(|p| {
            match p {
                DayPart::Morning => "morning",
                DayPart::Afternoon => "afternoon",
                DayPart::Evening => "evening",
            }
            .to_owned()
        });
        self.preferred_time = w.stored();
    }
}
