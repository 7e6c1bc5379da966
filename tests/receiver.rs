//! A webhook receiver on loopback: records every request exactly as it arrived (headers
//! and raw body bytes) and answers as the test scripts it.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;

/// One request as received.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn header(&self, name: &str) -> String {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// How the receiver answers one request.
#[derive(Debug, Clone)]
pub enum Reply {
    Status(u16),
    /// A status with one header, e.g. 429 with `Retry-After`, or 302 with `Location`.
    WithHeader(u16, &'static str, String),
    /// Never answers.
    Hang,
}

#[derive(Clone)]
struct Shared {
    script: Arc<Mutex<VecDeque<Reply>>>,
    seen: mpsc::UnboundedSender<Received>,
    /// How long each answer takes, so deliveries are in flight for a while.
    delay: Duration,
    in_flight: Arc<AtomicUsize>,
    most_in_flight: Arc<AtomicUsize>,
}

pub struct Receiver {
    pub url: String,
    script: Arc<Mutex<VecDeque<Reply>>>,
    seen: mpsc::UnboundedReceiver<Received>,
    most_in_flight: Arc<AtomicUsize>,
}

async fn receive(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let _ = shared.seen.send(Received { headers, body });
    let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    shared.most_in_flight.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(shared.delay).await;
    shared.in_flight.fetch_sub(1, Ordering::SeqCst);
    let reply = shared.script.lock().unwrap().pop_front().unwrap_or(Reply::Status(200));
    match reply {
        Reply::Status(s) => (StatusCode::from_u16(s).unwrap(), format!("answered {s}")).into_response(),
        Reply::WithHeader(s, name, value) => {
            (StatusCode::from_u16(s).unwrap(), [(name, value)], format!("answered {s}")).into_response()
        }
        Reply::Hang => std::future::pending().await,
    }
}

impl Receiver {
    /// Answers 200 unless told otherwise with [`Receiver::then`].
    pub async fn start() -> Self {
        Self::start_slow(Duration::ZERO).await
    }

    /// Takes `delay` to answer each request.
    pub async fn start_slow(delay: Duration) -> Self {
        let (tx, seen) = mpsc::unbounded_channel();
        let script = Arc::new(Mutex::new(VecDeque::new()));
        let most_in_flight = Arc::new(AtomicUsize::new(0));
        let shared = Shared {
            script: script.clone(),
            seen: tx,
            delay,
            in_flight: Arc::default(),
            most_in_flight: most_in_flight.clone(),
        };
        let app = axum::Router::new().route("/{*path}", axum::routing::post(receive)).with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hooks/in", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url, script, seen, most_in_flight }
    }

    /// The answer to the next request not yet scripted.
    pub fn then(&self, reply: Reply) {
        self.script.lock().unwrap().push_back(reply);
    }

    /// The next request, waiting for it (the engine delivers in the background).
    pub async fn next(&mut self) -> Received {
        tokio::time::timeout(Duration::from_secs(15), self.seen.recv())
            .await
            .expect("a delivery within 15 s")
            .expect("receiver running")
    }

    /// The most requests it was answering at one time.
    pub fn most_in_flight(&self) -> usize {
        self.most_in_flight.load(Ordering::SeqCst)
    }

    /// Everything received so far, without waiting.
    pub fn drain(&mut self) -> Vec<Received> {
        let mut all = Vec::new();
        while let Ok(r) = self.seen.try_recv() {
            all.push(r);
        }
        all
    }
}
