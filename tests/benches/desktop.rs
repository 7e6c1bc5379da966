//! The desktop app itself (WebKitGTK under Xvfb, through tauri-driver), on a remote
//! workspace whose cache holds 10,000 conversations and 1,000,000 messages: cold start to
//! the cached inbox painted, the memory of all the app's processes once idle, and frame
//! times while scrolling the whole inbox. Writes its section of docs/benchmarks.md.
//!
//! `cargo build --release -p switchboard-desktop` first, then
//! `scripts/with-session.sh cargo bench -p switchboard-tests --bench desktop`.

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use serde_json::json;
use switchboard_api::{
    Author, Change, Channel, Contact, Conversation, ConversationStatus, Direction, Handler, Message, MessageKind,
    MessageStatus, Priority,
};
use switchboard_core::{AppConfig, Profiles, secrets};
use switchboard_server::Server;
use switchboard_store::Store;
use switchboard_tests::{config, desktop, write_benchmark_section};

const CONVERSATIONS: usize = 10_000;
const MESSAGES: usize = 1_000_000;
const STARTS: usize = 5;
const SCROLL_FRAMES: usize = 600;

fn at(i: usize) -> String {
    let t = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap() + chrono::Duration::seconds(i as i64);
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The rows a first sync of that inbox writes, in pages of 1,000 as the engine writes them.
fn seed_cache(store: &mut Store) {
    let per = MESSAGES / CONVERSATIONS;
    let contacts: Vec<Change> = (0..CONVERSATIONS / 2)
        .map(|i| {
            Change::Contact(Contact {
                id: format!("ct_{i:06}"),
                name: Some(format!("Patient {i}")),
                phone: Some(format!("+1555{i:07}")),
                email: None,
                external_id: None,
                custom_attributes: Default::default(),
                created_at: at(i),
                updated_at: at(i),
                seq: 0,
            })
        })
        .collect();
    let conversations: Vec<Change> = (0..CONVERSATIONS)
        .map(|i| {
            let last = at(i * per + per - 1);
            Change::Conversation(Conversation {
                id: format!("conv_{i:06}"),
                contact_id: format!("ct_{:06}", i / 2),
                channel: if i % 2 == 0 { Channel::Whatsapp } else { Channel::Web },
                status: ConversationStatus::Open,
                handler: Handler::Human,
                assignee_id: None,
                snoozed_until: None,
                escalated_at: None,
                escalation_reason: None,
                priority: Priority::None,
                labels: vec![],
                last_message_preview: Some(format!("Message {} of conversation {i}", per - 1)),
                last_message_at: Some(last.clone()),
                last_inbound_at: Some(last.clone()),
                created_at: at(i * per),
                updated_at: last,
                seq: 0,
            })
        })
        .collect();
    store.begin_bulk().unwrap();
    store.apply(&contacts, 0).unwrap();
    store.apply(&conversations, 0).unwrap();
    let mut page = Vec::with_capacity(1000);
    for m in 0..MESSAGES {
        let c = m / per;
        page.push(Change::Message(Message {
            id: format!("msg_{m:08}"),
            conversation_id: format!("conv_{c:06}"),
            direction: if m % 2 == 0 { Direction::Inbound } else { Direction::Outbound },
            author: if m % 2 == 0 { Author::Contact } else { Author::Member },
            author_id: None,
            kind: MessageKind::Text,
            body: format!("Message {} of conversation {c}: about the appointment on Tuesday", m % per),
            attachment: None,
            location: None,
            contact_card: None,
            template: None,
            status: MessageStatus::Read,
            error: None,
            error_code: None,
            client_id: None,
            created_at: at(m),
            seq: 0,
        }));
        if page.len() == 1000 {
            store.apply(&page, 0).unwrap();
            page.clear();
        }
    }
    store.apply(&page, 0).unwrap();
    store.finish_bulk().unwrap();
}

/// Seconds since the process `pid` started (10 ms resolution, from /proc).
fn age(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let start_ticks: f64 = after.split_whitespace().nth(19).unwrap().parse().unwrap();
    let uptime: f64 =
        std::fs::read_to_string("/proc/uptime").unwrap().split_whitespace().next().unwrap().parse().unwrap();
    uptime - start_ticks / 100.0
}

fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(p) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat")) else { continue };
        let Some(close) = stat.rfind(')') else { continue };
        let ppid: u32 = stat[close + 2..].split_whitespace().nth(1).and_then(|v| v.parse().ok()).unwrap_or(0);
        if ppid == pid {
            out.push(p);
            out.extend(children(p));
        }
    }
    out
}

/// Proportional set size in MB (shared pages split between the processes sharing them);
/// `field` is `Pss`, or `Pss_Anon` (heap and stacks) / `Pss_File` (mapped libraries).
fn pss(pid: u32, field: &str) -> f64 {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    let kb: f64 = rollup
        .lines()
        .find(|l| l.split(':').next() == Some(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn pss_mb(pid: u32) -> f64 {
    pss(pid, "Pss")
}

fn name(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_owned()
}

/// The newest process named like the app (`comm` is cut to 15 characters).
fn app_pid() -> u32 {
    let out = std::process::Command::new("pgrep").args(["-n", "-x", "switchboard-des"]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().expect("the app's process")
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let home = tempfile::tempdir().unwrap();
    let server_dir = tempfile::tempdir().unwrap();
    let mut server =
        Server::start(config(server_dir.path().join("server.sqlite3"), false, "127.0.0.1:0".parse().unwrap()))
            .await
            .unwrap();
    let key = server.take_first_key().unwrap().plaintext;

    // The app's remote workspace, its key in the keychain, its cache already full.
    let app_config = AppConfig::new(desktop::data_dir(home.path()));
    let secrets = secrets::open_keychain(desktop::APP_IDENTIFIER).await.unwrap();
    let mut profiles = Profiles::open(&app_config.profiles_dir()).unwrap();
    profiles.add(&secrets, "bench", &server.base_url(), &key).await.unwrap();
    let cache = profiles.cache_path("bench");
    std::fs::create_dir_all(cache.parent().unwrap()).unwrap();
    let t0 = Instant::now();
    let mut store = Store::open(&cache).unwrap();
    // BENCH_EMPTY=1: the same with an empty cache, to see what the inbox itself costs.
    let empty = std::env::var_os("BENCH_EMPTY").is_some();
    if !empty {
        seed_cache(&mut store);
    }
    let stats = store.stats().unwrap();
    println!("cache seeded in {:.1}s: {stats:?}", t0.elapsed().as_secs_f64());
    // The window's first read, on its own: every conversation with its unread count.
    let filter = switchboard_store::InboxFilter {
        reader: Some("mem_bench".into()),
        limit: Some(switchboard_store::MAX_INBOX),
        ..Default::default()
    };
    let t0 = Instant::now();
    let rows = store.inbox_where(&filter).unwrap().len();
    let query_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let t0 = Instant::now();
    let json = serde_json::to_vec(&store.inbox_where(&filter).unwrap()).unwrap().len();
    let json_ms = t0.elapsed().as_secs_f64() * 1000.0 - query_ms;
    println!("inbox query {rows} rows in {query_ms:.0} ms; as JSON {} KB in {json_ms:.0} ms more", json / 1024);
    drop(store);
    if empty {
        println!("{:?}", std::env::var_os("BENCH_EMPTY"));
    } else {
        assert_eq!(stats.messages as usize, MESSAGES);
    }

    // What users run: the release build (`cargo build --release -p switchboard-desktop`),
    // as it ships, then with WebKitGTK's accelerated compositing off.
    let binary = desktop::build("release");
    let shipped = measure(home.path(), &binary, &[]).await;
    let plain = measure(home.path(), &binary, &[("WEBKIT_DISABLE_COMPOSITING_MODE", "1")]).await;
    let build = if binary.components().any(|c| c.as_os_str() == "release") { "release" } else { "debug" };
    let json_kb = json / 1024;
    let row = |what: &str, target: &str, f: &dyn Fn(&Run) -> String| {
        format!("| {what} | {} | {} | {target} |\n", f(&shipped), f(&plain))
    };
    let frames = |v: &[f64]| {
        let over = v.iter().filter(|f| **f > 17.5).count();
        format!(
            "{:.1} / {:.1} / {:.1} / {:.1} ms ({over} of {} over 17.5)",
            percentile(v, 0.5),
            percentile(v, 0.95),
            percentile(v, 0.99),
            v.last().copied().unwrap_or(0.0),
            v.len()
        )
    };
    let mut table =
        String::from("| Measure | As shipped | `WEBKIT_DISABLE_COMPOSITING_MODE=1` | Target |\n|---|---|---|---|\n");
    table += &row(&format!("Process start → cached inbox painted (median of {STARTS})"), "≤ 0.5 s", &|r| {
        format!("{:.2} s ({:.2}–{:.2})", percentile(&r.starts, 0.5), r.starts[0], r.starts[r.starts.len() - 1])
    });
    table += &row("Memory of all the app's processes, idle after sync (PSS)", "≤ 300 MB", &|r| {
        format!("{:.0} MB", r.memory.iter().map(|(_, mb)| mb).sum::<f64>())
    });
    table += &row("The app's own (Rust) process", "≤ 60 MB", &|r| {
        format!("{:.0} MB ({:.0} heap and stacks, {:.0} libraries)", r.memory[0].1, r.split.0, r.split.1)
    });
    table += &row("Frames, fling (100 px a frame), p50 / p95 / p99 / max", "≤ 16.7 ms", &|r| frames(&r.fling));
    table += &row(
        &format!("Frames, all {CONVERSATIONS} conversations in {SCROLL_FRAMES} frames, p50 / p95 / p99 / max"),
        "≤ 16.7 ms",
        &|r| frames(&r.scrub),
    );
    table += &row("Frames with nothing changing (the display's floor), p50", "", &|r| {
        format!("{:.1} ms", percentile(&r.idle, 0.5))
    });
    let processes = |r: &Run| r.memory.iter().map(|(n, mb)| format!("{n} {mb:.0} MB")).collect::<Vec<_>>().join(", ");
    let md = format!(
        "## Desktop app\n\n\
         Written by `scripts/with-session.sh cargo bench -p switchboard-tests --bench desktop`. \
         The real app ({build} build, WebKitGTK 4.1 under Xvfb, no GPU: Mesa's software GL) on a remote \
         workspace whose cache holds {CONVERSATIONS} conversations and {MESSAGES} messages; {STARTS} cold starts \
         each way.\n\n{table}\n\
         The inbox's first read alone (in the benchmark process): {query_ms:.0} ms for {CONVERSATIONS} rows with \
         unread counts, {json_kb} KB of JSON over the bridge. Processes as shipped: {}; compositing off: {}.\n\n\
         Notes:\n\
         - The Rust process misses its target: with an empty cache it is already about 103 MB (64 MB of mapped \
         GTK and WebKit libraries, 37 MB of their heap and ours), so the inbox and the core's 1M-message cache add \
         about 20 MB. Run with `BENCH_EMPTY=1` to see that floor.\n\
         - Without a GPU, WebKitGTK composites on a software GL, which costs the web process about 90 MB and \
         every scrolled frame a few ms. With its compositing off (WebKitGTK's own switch) frames are at the \
         display's rate and memory is within target. The app does not turn it off itself: with it off, \
         WebKitWebDriver's screenshots of a page that has stopped changing wait for a frame that does not come, \
         which the tests depend on; on machines with a GPU compositing is in hardware.\n\
         - The list's rows are plain data (`$state.raw`, not a deep proxy per row); the first read asks for the \
         top 60 rows, paints them, then reads the whole view (0.68 s → 0.44 s to the first paint).\n",
        processes(&shipped),
        processes(&plain),
    );
    println!("{md}");
    if !empty {
        write_benchmark_section("Desktop app", &md);
    }
    server.shutdown().await;
}

/// What one way of running the app measured.
struct Run {
    starts: Vec<f64>,
    memory: Vec<(String, f64)>,
    split: (f64, f64),
    idle: Vec<f64>,
    fling: Vec<f64>,
    scrub: Vec<f64>,
}

async fn measure(home: &std::path::Path, binary: &std::path::Path, env: &[(&str, &str)]) -> Run {
    let driver = desktop::driver_with(home, 0, env).await;
    let mut run = Run { starts: vec![], memory: vec![], split: (0.0, 0.0), idle: vec![], fling: vec![], scrub: vec![] };
    for n in 0..STARTS {
        let s = desktop::open_binary(&driver, binary).await;
        let painted = s
            .wait_for("the inbox painted", || async {
                let v = s
                    .execute(
                        "const m = performance.getEntriesByName('inbox-painted')[0];
                         return m ? performance.timeOrigin + m.startTime : null",
                        json!([]),
                    )
                    .await;
                v.as_f64()
            })
            .await;
        let pid = app_pid();
        let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64() * 1000.0;
        let secs = (painted - (now_ms - age(pid) * 1000.0)) / 1000.0;
        println!("{env:?} start {n}: inbox painted {secs:.3}s after the process started");
        run.starts.push(secs);
        if n == STARTS - 1 {
            // Idle: synced, nothing happening, for a while.
            s.wait_for("online", || async {
                let status = s.find_all("[data-testid=sync-status]").await.pop()?;
                (s.attribute(&status, "data-state").await == "online").then_some(())
            })
            .await;
            tokio::time::sleep(Duration::from_secs(10)).await;
            let mut procs = vec![pid];
            procs.extend(children(pid));
            run.memory = procs.iter().map(|p| (name(*p), pss_mb(*p))).collect();
            run.split = (pss(pid, "Pss_Anon"), pss(pid, "Pss_File"));
            println!("memory: {:?}", run.memory);
            let times = |v: serde_json::Value| -> Vec<f64> {
                let mut t: Vec<f64> = v.as_array().unwrap().iter().filter_map(|x| x.as_f64()).collect();
                t.sort_by(f64::total_cmp);
                t
            };
            // The floor: frame intervals with nothing changing on screen.
            let idle = "const done = arguments[arguments.length - 1]; const times = [];
                let last = performance.now(); let n = 0;
                function tick(t) { times.push(t - last); last = t;
                  if (++n > 120) { done(times.slice(1)); return; } requestAnimationFrame(tick); }
                requestAnimationFrame(tick);";
            run.idle = times(s.execute_async(idle, json!([])).await);
            // Scroll, timing every frame: a fling (100 px a frame, about 6,000 px/s), then
            // the whole inbox in 600 frames (16 rows a frame, every row new each frame).
            let scroll = "const done = arguments[arguments.length - 1];
                const sc = document.querySelector('[data-testid=conversation-scroller]');
                const frames = arguments[0]; const px = arguments[1];
                const step = px > 0 ? px : (sc.scrollHeight - sc.clientHeight) / frames;
                sc.scrollTop = 0;
                const times = []; let last = performance.now(); let n = 0;
                function tick(t) { times.push(t - last); last = t; n++;
                  if (n > frames) { done(times.slice(1)); return; }
                  sc.scrollTop = n * step; requestAnimationFrame(tick); }
                requestAnimationFrame(tick);";
            run.fling = times(s.execute_async(scroll, json!([SCROLL_FRAMES, 100])).await);
            run.scrub = times(s.execute_async(scroll, json!([SCROLL_FRAMES, 0])).await);
        }
        s.end().await;
    }
    run.starts.sort_by(f64::total_cmp);
    run
}
