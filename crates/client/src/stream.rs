use futures_util::StreamExt;
use switchboard_api::{Change, Presence};

use crate::error::ClientError;
use crate::sse::SseParser;

/// What the live stream delivers.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    Change(Change),
    /// A member views or types in a conversation (or stopped); never stored.
    Presence(Presence),
    /// The server could not keep up; catch up through `/sync`, then reconnect.
    Resync,
}

/// The server's live change stream. Ends (`Ok(None)`) when the server closes it.
pub struct EventStream {
    body: futures_util::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    parser: SseParser,
    ready: std::collections::VecDeque<StreamEvent>,
}

impl EventStream {
    pub(crate) fn new(response: reqwest::Response) -> Self {
        Self { body: response.bytes_stream().boxed(), parser: SseParser::new(), ready: Default::default() }
    }

    pub async fn next(&mut self) -> Result<Option<StreamEvent>, ClientError> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Ok(Some(event));
            }
            let Some(chunk) = self.body.next().await else { return Ok(None) };
            let chunk = chunk.map_err(ClientError::network)?;
            for raw in self.parser.push(&chunk) {
                match raw.event.as_str() {
                    "change" => {
                        let value: serde_json::Value = serde_json::from_str(&raw.data)
                            .map_err(|e| ClientError::InvalidResponse(format!("bad change event: {e}")))?;
                        if let Some(change) = crate::parse_change(value)? {
                            self.ready.push_back(StreamEvent::Change(change));
                        }
                    }
                    "presence" => {
                        let presence = serde_json::from_str::<Presence>(&raw.data)
                            .map_err(|e| ClientError::InvalidResponse(format!("bad presence event: {e}")))?;
                        self.ready.push_back(StreamEvent::Presence(presence));
                    }
                    "resync" => self.ready.push_back(StreamEvent::Resync),
                    // The key lost access while the stream was open (revoked, expired).
                    "unauthorized" => {
                        let body = serde_json::from_str::<switchboard_api::ErrorBody>(&raw.data).ok();
                        return Err(ClientError::Api {
                            status: 401,
                            code: body.as_ref().map_or(switchboard_api::ErrorCode::InvalidApiKey, |b| b.code),
                            message: body.map_or_else(|| "the API key is no longer valid".to_owned(), |b| b.error),
                            retry_after: None,
                        });
                    }
                    // Unknown events come from newer servers: skip them.
                    _ => {}
                }
            }
        }
    }
}
