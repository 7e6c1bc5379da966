use chrono::{DateTime, SecondsFormat, Utc};

/// Timestamps are RFC 3339 UTC with milliseconds, so they sort as text.
pub fn format(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn now() -> String {
    format(Utc::now())
}
