//! A minimal Server-Sent Events parser (the WHATWG event-stream format): enough for our own
//! stream, strict about framing, tolerant of CRLF and chunk boundaries anywhere.

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseEvent {
    pub id: Option<String>,
    pub event: String,
    pub data: String,
}

#[derive(Debug, Default)]
pub struct SseParser {
    pending: Vec<u8>,
    current: SseEvent,
    has_data: bool,
}

impl SseParser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds bytes; returns the events completed by them.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<SseEvent> {
        self.pending.extend_from_slice(bytes);
        let mut out = Vec::new();
        while let Some(end) = self.pending.iter().position(|b| *b == b'\n') {
            let mut line: Vec<u8> = self.pending.drain(..=end).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            let line = String::from_utf8_lossy(&line).into_owned();
            if let Some(event) = self.line(&line) {
                out.push(event);
            }
        }
        out
    }

    fn line(&mut self, line: &str) -> Option<SseEvent> {
        if line.is_empty() {
            let event = std::mem::take(&mut self.current);
            let had_data = std::mem::take(&mut self.has_data);
            return had_data.then(|| SseEvent {
                event: if event.event.is_empty() { "message".to_owned() } else { event.event },
                ..event
            });
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "data" => {
                if self.has_data {
                    self.current.data.push('\n');
                }
                self.current.data.push_str(value);
                self.has_data = true;
            }
            "event" => self.current.event = value.to_owned(),
            "id" => self.current.id = Some(value.to_owned()),
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_events_split_across_chunks() {
        let mut p = SseParser::new();
        assert!(p.push(b"id: 7\nevent: cha").is_empty());
        let events = p.push(b"nge\ndata: {\"a\":1}\r\n\r\n: keep-alive\n\ndata: x\ndata: y\n\n");
        assert_eq!(
            events,
            vec![
                SseEvent { id: Some("7".into()), event: "change".into(), data: "{\"a\":1}".into() },
                SseEvent { id: None, event: "message".into(), data: "x\ny".into() },
            ]
        );
    }

    #[test]
    fn an_unterminated_event_is_not_emitted() {
        let mut p = SseParser::new();
        assert!(p.push(b"data: partial").is_empty());
        assert!(p.push(b"\n").is_empty());
    }
}
