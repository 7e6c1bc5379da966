//! API throughput on this machine: the real server on loopback with 10,000 conversations,
//! driven by concurrent HTTP clients in the same process (so the loader shares the two
//! cores with the server, as a loader on loopback does). Writes docs/benchmarks.md.
//!
//! `cargo bench -p switchboard-tests --bench api` (BENCH_SECONDS per scenario, default 10).

#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use switchboard_api::Channel;
use switchboard_server::RunningServer;

const CONVERSATIONS: usize = 10_000;
const CONCURRENCY: usize = 16;

struct Result {
    name: &'static str,
    requests: usize,
    seconds: f64,
    p50: Duration,
    p95: Duration,
    p99: Duration,
    target: &'static str,
}

async fn run<F, Fut>(name: &'static str, target: &'static str, seconds: u64, make: F) -> Result
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let make = Arc::new(make);
    let counter = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (make, counter) = (make.clone(), counter.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let i = counter.fetch_add(1, Ordering::Relaxed);
                let start = Instant::now();
                make(i).await;
                latencies.push(start.elapsed());
            }
            latencies
        }));
    }
    let started = Instant::now();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    Result { name, requests: all.len(), seconds: elapsed, p50: pct(0.50), p95: pct(0.95), p99: pct(0.99), target }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let seconds: u64 = std::env::var("BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(10);
    let t = switchboard_tests::TestServer::start_with(false, |c| {
        c.rate_limit_per_minute = u32::MAX;
        // Measured as shipped: answers are not checked against the document here.
        c.check_responses = false;
    })
    .await;
    let switchboard_tests::TestServer { server, key, dir: _dir, conformance: _ } = t;
    let base = format!("{}/api/v1", server.base_url());
    let http = reqwest::Client::builder().pool_max_idle_per_host(CONCURRENCY).build().unwrap();

    println!("seeding {CONVERSATIONS} conversations…");
    let seed_start = Instant::now();
    let seeded = seed(&server, &http, &base, &key).await;
    println!("seeded in {:.1}s", seed_start.elapsed().as_secs_f64());

    let mut results = Vec::new();
    {
        let (http, base, key) = (http.clone(), base.clone(), key.clone());
        let last = server_last_seq(&http, &base, &key).await;
        results.push(
            run("GET /sync, pages of 500 rows", "≥ 1,000 req/s, p95 ≤ 20 ms", seconds, move |i| {
                let (http, base, key) = (http.clone(), base.clone(), key.clone());
                // Spread the cursor so pages come from all over the table.
                let since = (i as i64 * 7919) % (last - 500).max(1);
                async move {
                    let res = http
                        .get(format!("{base}/sync?since={since}&limit=500"))
                        .bearer_auth(&key)
                        .send()
                        .await
                        .unwrap();
                    assert!(res.status().is_success());
                    let _ = res.bytes().await.unwrap();
                }
            })
            .await,
        );
    }
    {
        let (http, base, key) = (http.clone(), base.clone(), key.clone());
        let seeded = Arc::new(seeded);
        results.push(
            run("POST a message into a conversation", "≥ 2,000 msg/s, p95 ≤ 10 ms", seconds, move |i| {
                let (http, base, key, seeded) = (http.clone(), base.clone(), key.clone(), seeded.clone());
                async move {
                    let id = &seeded[i % seeded.len()];
                    let res = http
                        .post(format!("{base}/conversations/{id}/messages"))
                        .bearer_auth(&key)
                        .json(&serde_json::json!({"text": "Thanks, see you at 10:30 tomorrow."}))
                        .send()
                        .await
                        .unwrap();
                    assert!(res.status().is_success(), "{}", res.status());
                }
            })
            .await,
        );
    }
    {
        let (http, base, key) = (http.clone(), base.clone(), key.clone());
        results.push(
            run("GET /conversations (inbox page of 50)", "–", seconds, move |_| {
                let (http, base, key) = (http.clone(), base.clone(), key.clone());
                async move {
                    let res =
                        http.get(format!("{base}/conversations?limit=50")).bearer_auth(&key).send().await.unwrap();
                    assert!(res.status().is_success());
                    let _ = res.bytes().await.unwrap();
                }
            })
            .await,
        );
    }
    {
        let (http, base, key) = (http.clone(), base.clone(), key.clone());
        results.push(
            run("GET /conversations/counts", "p95 ≤ 5 ms", seconds, move |_| {
                let (http, base, key) = (http.clone(), base.clone(), key.clone());
                async move {
                    let res = http.get(format!("{base}/conversations/counts")).bearer_auth(&key).send().await.unwrap();
                    assert!(res.status().is_success());
                    let _ = res.bytes().await.unwrap();
                }
            })
            .await,
        );
    }
    report(&results, seconds);
    server.shutdown().await;
}

/// 10,000 WhatsApp conversations with two messages each: the patient's, as the channel
/// delivers it, then the reply through the API (inside the 24-hour window).
async fn seed(server: &RunningServer, http: &reqwest::Client, base: &str, key: &str) -> Vec<String> {
    let ws = server.workspace().id.clone();
    let t0 = std::time::Instant::now();
    futures_util::stream::iter(0..CONVERSATIONS)
        .for_each_concurrent(CONCURRENCY, |i| {
            let ws = ws.clone();
            async move {
                let phone = format!("+1555{i:07}");
                server.receive(&ws, &phone, Channel::Whatsapp, "Hello, do you have a slot this week?").await.unwrap();
            }
        })
        .await;
    println!("  patients wrote ({CONVERSATIONS} conversations) in {:.1}s", t0.elapsed().as_secs_f64());
    let ids = Arc::new(std::sync::Mutex::new(Vec::with_capacity(CONVERSATIONS)));
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (http, base, key, ids, next) = (http.clone(), base.to_owned(), key.to_owned(), ids.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= CONVERSATIONS {
                    return;
                }
                let res = http
                    .post(format!("{base}/messages"))
                    .bearer_auth(&key)
                    .json(&serde_json::json!({"to": format!("+1555{i:07}"), "text": "We do: Thursday 10:30."}))
                    .send()
                    .await
                    .unwrap();
                assert!(res.status().is_success(), "{}", res.status());
                let body: serde_json::Value = res.json().await.unwrap();
                ids.lock().unwrap().push(body["conversationId"].as_str().unwrap().to_owned());
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    Arc::try_unwrap(ids).unwrap().into_inner().unwrap()
}

async fn server_last_seq(http: &reqwest::Client, base: &str, key: &str) -> i64 {
    let page: serde_json::Value =
        http.get(format!("{base}/sync?since=0&limit=1")).bearer_auth(key).send().await.unwrap().json().await.unwrap();
    let mut since = page["next"].as_i64().unwrap();
    loop {
        let page: serde_json::Value = http
            .get(format!("{base}/sync?since={since}&limit=1000"))
            .bearer_auth(key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        since = page["next"].as_i64().unwrap();
        if !page["hasMore"].as_bool().unwrap() {
            return since;
        }
    }
}

fn report(results: &[Result], seconds: u64) {
    let ms = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
    let mut table = String::from(
        "| scenario | requests | req/s | p50 ms | p95 ms | p99 ms | target |\n| --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for r in results {
        table.push_str(&format!(
            "| {} | {} | {:.0} | {} | {} | {} | {} |\n",
            r.name,
            r.requests,
            r.requests as f64 / r.seconds,
            ms(r.p50),
            ms(r.p95),
            ms(r.p99),
            r.target
        ));
    }
    println!("\n{table}");
    let doc = format!(
        "## API\n\nWritten by `cargo bench -p switchboard-tests --bench api` (release build). The real server on \
         127.0.0.1 with {CONVERSATIONS} WhatsApp conversations (20,000 messages: each patient's first message as the \
         channel delivers it, in process, and the reply through the API), {CONCURRENCY} concurrent HTTP clients in the same process for {seconds} s per scenario, on this 2-core machine: the loader \
         and the server share the cores.\n\n{table}\nNotes:\n- There is no inbound-channel API yet (issue 5), so the \
         write scenario posts agent replies: the same transaction shape as an inbound message (one message, one \
         conversation update, two `seq`s, one live event each) plus the 24-hour-window check.\n- The counts \
         read per-(status, assignee) buckets that triggers keep up to date, not the conversations.\n- Each request authenticates its key (SHA-256 and a \
         lookup) and passes the rate limiter.\n"
    );
    switchboard_tests::write_benchmark_section("api", &doc);
}
