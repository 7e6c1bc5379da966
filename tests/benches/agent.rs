//! The built-in agent's decision time with a large knowledge base: 1,000 entries (the
//! five evaluation businesses' pages, read by heading as the import reads them, repeated
//! as the branches of a chain with their own prices), and every visitor message of the
//! evaluation run through the agent conversation by conversation, as the live agent
//! takes them. Writes its section of docs/benchmarks.md.
//!
//! `cargo bench -p switchboard-tests --bench agent`

#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::path::Path;
use std::time::Instant;

use serde_json::Value;
use switchboard_ai::ReplyInput;
use switchboard_ai::agent::{AgentState, Turn, decide};
use switchboard_ai::import::sections;
use switchboard_api::KnowledgeEntry;
use switchboard_server::webhooks::ssrf::TargetPolicy;

const ENTRIES: usize = 1_000;
/// The ceiling the issue sets for p95.
const TARGET_P95_MS: f64 = 50.0;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("agent_eval");
    let mut base: Vec<(String, String)> = Vec::new();
    let mut conversations: Vec<(String, String, Vec<String>)> = Vec::new();
    for business in ["physio", "salon", "vet", "garage", "dental"] {
        let dir = root.join(business);
        let cases: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("cases.json")).unwrap()).unwrap();
        let html = std::fs::read_to_string(dir.join("page.html")).unwrap();
        for s in sections(&html, cases["business"].as_str().unwrap()) {
            base.push((s.title, s.body));
        }
        for case in cases["cases"].as_array().unwrap() {
            let messages =
                case["messages"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_owned()).collect();
            conversations.push((
                cases["now"].as_str().unwrap().to_owned(),
                cases["region"].as_str().unwrap().to_owned(),
                messages,
            ));
        }
    }
    // The branches of a chain: each its own copy of the pages, prices moved a little.
    let knowledge: Vec<KnowledgeEntry> = (0..ENTRIES)
        .map(|i| {
            let (title, body) = &base[i % base.len()];
            let branch = i / base.len();
            let body = if branch == 0 { body.clone() } else { body.replace('5', &(branch % 10).to_string()) };
            KnowledgeEntry {
                id: format!("kn_{i}"),
                title: if branch == 0 { title.clone() } else { format!("{title} — branch {branch}") },
                body,
                url: None,
                imported: false,
                created_at: "2026-12-01T00:00:00Z".into(),
                updated_at: "2026-12-01T00:00:00Z".into(),
                seq: i as i64,
            }
        })
        .collect();
    let engine = switchboard_server::ai::engine(TargetPolicy::default(), None).unwrap();

    // Reading the knowledge (clean text, passages, catalogue, hours, region) happens once
    // per version of it; measured apart from the decisions that follow.
    let t = Instant::now();
    let business = engine.business(&knowledge);
    let read_ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "read {ENTRIES} entries in {read_ms:.0} ms: {} passages, {} services",
        business.passages.len(),
        business.catalogue.services.len()
    );
    let mut times: Vec<f64> = Vec::new();
    let started = Instant::now();
    for (now, region, messages) in &conversations {
        let now = chrono::NaiveDateTime::parse_from_str(now, "%Y-%m-%dT%H:%M:%S").unwrap();
        let mut state = AgentState::default();
        for message in messages {
            let turn = Turn {
                message: message.clone(),
                reply_input: ReplyInput { knowledge: knowledge.clone(), ..Default::default() },
                known_name: None,
                now: Some(now),
                region: Some(region.clone()),
                zone: None,
            };
            let t = Instant::now();
            decide(&engine, turn, &mut state).await.unwrap();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let total = started.elapsed().as_secs_f64();
    times.sort_by(f64::total_cmp);
    let (p50, p95, p99, max) =
        (percentile(&times, 0.5), percentile(&times, 0.95), percentile(&times, 0.99), times[times.len() - 1]);
    println!(
        "{} decisions over {ENTRIES} entries: p50 {p50:.1} ms, p95 {p95:.1} ms, p99 {p99:.1} ms, max {max:.1} ms",
        times.len()
    );
    let verdict = if p95 <= TARGET_P95_MS { "met" } else { "missed" };
    let doc = format!(
        "## AI agent\n\nWritten by `cargo bench -p switchboard-tests --bench agent` (release build), on this 2-core \
         machine. The built-in agent (no model) decides each visitor message of the evaluation's {conversations} \
         conversations in turn, as the live agent does, against {ENTRIES} knowledge entries: the five evaluation \
         businesses' pages read by heading, repeated as a chain's branches with their own prices. A decision is \
         everything the agent does for one message: language, entities, the catalogue and opening hours read from \
         the knowledge, retrieval and the reply.\n\n\
         | measure | decisions | p50 ms | p95 ms | p99 ms | max ms | target |\n\
         | --- | --- | --- | --- | --- | --- | --- |\n\
         | one decision, {ENTRIES} entries | {n} | {p50:.1} | {p95:.1} | {p99:.1} | {max:.1} | p95 ≤ {TARGET_P95_MS:.0} ms ({verdict}) |\n\n\
         All {n} decisions took {total:.1} s. Before them the knowledge was read once ({read_ms:.0} ms: {passages} \
         passages, {services} services), as it is after every change to it; decisions reuse what was read until \
         the knowledge changes again.\n",
        passages = business.passages.len(),
        services = business.catalogue.services.len(),
        conversations = conversations.len(),
        n = times.len(),
    );
    switchboard_tests::write_benchmark_section("agent", &doc);
}
