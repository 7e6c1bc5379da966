//! The contact details gathered across a conversation. What a message asks for, gives
//! and how it feels is read by the language pipeline in `switchboard-ai`.

/// Contact details found in a message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl Details {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.email.is_none() && self.phone.is_none()
    }

    /// Fills what `self` lacks from `other`.
    pub fn merge(&mut self, other: Details) {
        self.name = self.name.take().or(other.name);
        self.email = self.email.take().or(other.email);
        self.phone = self.phone.take().or(other.phone);
    }
}
