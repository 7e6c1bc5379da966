//! Webhook delivery on this machine: the real server and engine, signed deliveries over
//! loopback to a receiver in the same process (so all of it shares the two cores).
//! Writes its section of docs/benchmarks.md.
//!
//! `cargo bench -p switchboard-tests --bench webhooks` (BENCH_SECONDS for the steady-rate
//! run, default 10).

#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use switchboard_api::Channel;
use switchboard_server::RunningServer;
use switchboard_tests::TestServer;
use tokio::sync::Notify;

/// Events queued before the engine starts, to measure how fast it drains a backlog.
const BACKLOG: usize = 10_000;
/// Events a second in the steady-rate run.
const RATE: u64 = 1_000;
const PHONES: usize = 500;

#[derive(Default)]
struct Seen {
    latencies_ms: Mutex<Vec<f64>>,
    arrived: Notify,
}

async fn receive(State(seen): State<Arc<Seen>>, body: Bytes) -> &'static str {
    let now = chrono::Utc::now();
    let event: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let created: chrono::DateTime<chrono::Utc> = event["createdAt"].as_str().unwrap().parse().unwrap();
    seen.latencies_ms.lock().unwrap().push((now - created).num_microseconds().unwrap() as f64 / 1000.0);
    seen.arrived.notify_one();
    "ok"
}

async fn receiver() -> (String, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let app = axum::Router::new().route("/in", axum::routing::post(receive)).with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/in", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

async fn wait_for(seen: &Seen, count: usize) {
    while seen.latencies_ms.lock().unwrap().len() < count {
        tokio::time::timeout(Duration::from_secs(30), seen.arrived.notified()).await.expect("deliveries stalled");
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn visitor(server: &RunningServer, i: usize) {
    let ws = server.workspace().id.clone();
    let phone = format!("+1555{:07}", i % PHONES);
    server.receive(&ws, &phone, Channel::Web, "Do you have time on Friday?").await.unwrap();
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let seconds: u64 = std::env::var("BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(10);
    let t = TestServer::start_with(false, |c| c.deliver_webhooks = false).await;
    let (url, seen) = receiver().await;
    let created = reqwest::Client::new()
        .post(t.url("/webhooks"))
        .bearer_auth(&t.key)
        .json(&serde_json::json!({"url": url, "events": ["message.received"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);

    println!("queueing {BACKLOG} events…");
    let server = Arc::new(t.server);
    let mut writers = Vec::new();
    for w in 0..8 {
        let server = server.clone();
        writers.push(tokio::spawn(async move {
            for i in (w..BACKLOG).step_by(8) {
                visitor(&server, i).await;
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }

    let (stop, stopped) = tokio::sync::watch::channel(false);
    let started = Instant::now();
    tokio::spawn(server.webhooks().clone().run(stopped));
    wait_for(&seen, BACKLOG).await;
    let drained = started.elapsed().as_secs_f64();
    let backlog_rate = BACKLOG as f64 / drained;
    println!("backlog: {BACKLOG} deliveries in {drained:.2} s = {backlog_rate:.0}/s");
    seen.latencies_ms.lock().unwrap().clear();

    println!("steady: {RATE} events/s for {seconds} s…");
    let total = (RATE * seconds) as usize;
    let mut ticker = tokio::time::interval(Duration::from_micros(1_000_000 / RATE));
    let started = Instant::now();
    for i in 0..total {
        ticker.tick().await;
        let server = server.clone();
        tokio::spawn(async move { visitor(&server, i).await });
    }
    wait_for(&seen, total).await;
    let steady_rate = total as f64 / started.elapsed().as_secs_f64();
    let mut latencies = seen.latencies_ms.lock().unwrap().clone();
    latencies.sort_by(f64::total_cmp);
    let (p50, p95, p99) = (percentile(&latencies, 0.5), percentile(&latencies, 0.95), percentile(&latencies, 0.99));
    println!("steady: {steady_rate:.0}/s, event to receiver p50 {p50:.1} ms, p95 {p95:.1} ms, p99 {p99:.1} ms");
    let _ = stop.send(true);

    let engine = switchboard_server::webhooks::engine::EngineConfig::default();
    let (workers, cap) = (engine.workers, engine.per_endpoint);
    let doc = format!(
        "## Webhooks\n\nWritten by `cargo bench -p switchboard-tests --bench webhooks` (release build). The real \
         server and delivery engine ({workers} workers, at most {cap} deliveries in flight per endpoint), one endpoint, signed \
         deliveries over loopback to a receiver in the same process; events are inbound messages written in process \
         (each one message, a conversation update and the event with its delivery in one transaction). Latency is \
         from the event's `createdAt` (written in its transaction) to the receiver reading the body.\n\n\
         | scenario | deliveries | per second | p50 ms | p95 ms | p99 ms | target |\n\
         | --- | --- | --- | --- | --- | --- | --- |\n\
         | drain a backlog of queued events | {BACKLOG} | {backlog_rate:.0} | – | – | – | ≥ 1,000/s |\n\
         | {RATE} events/s for {seconds} s, delivered as they happen | {total} | {steady_rate:.0} | {p50:.1} | {p95:.1} | \
         {p99:.1} | ≥ 1,000/s, p95 ≤ 150 ms |\n"
    );
    switchboard_tests::write_benchmark_section("webhooks", &doc);
}
