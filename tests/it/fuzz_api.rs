//! Random requests generated from the OpenAPI document, against the real server: whatever
//! arrives (odd ids, wrong query types, random or mutated JSON, junk headers), the answer
//! is never a 5xx, and every error carries a stable code. Seeded, so a failure replays.

#![allow(clippy::unwrap_used)]

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::{Value, json};
use switchboard_tests::{TestServer, raw};

const REQUESTS: usize = 1500;

fn random_string(rng: &mut StdRng) -> String {
    let pool = [
        "",
        "x",
        "conv_nope",
        "ct_",
        "../../etc/passwd",
        "%00",
        "' OR 1=1 --",
        "😀🙃",
        "\u{202e}evil",
        "null",
        "-1",
        "99999999999999999999",
        "+14155550123",
        "2026-13-45T99:99:99Z",
    ];
    if rng.random_bool(0.7) {
        (*pool.choose(rng).unwrap()).to_owned()
    } else {
        let len = rng.random_range(0..300);
        (0..len).map(|_| char::from_u32(rng.random_range(32..0x2FFF)).unwrap_or('?')).collect()
    }
}

fn random_json(rng: &mut StdRng, depth: u32) -> Value {
    match rng.random_range(0..if depth > 2 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => json!(rng.random_bool(0.5)),
        2 => json!(rng.random_range(-1_000_000_i64..1_000_000)),
        3 => json!(rng.random::<f64>() * 1e12),
        4 => json!(random_string(rng)),
        5 => Value::Array((0..rng.random_range(0..5)).map(|_| random_json(rng, depth + 1)).collect()),
        _ => {
            let mut map = serde_json::Map::new();
            for _ in 0..rng.random_range(0..5) {
                map.insert(random_string(rng), random_json(rng, depth + 1));
            }
            Value::Object(map)
        }
    }
}

/// A body shaped like the schema, with some fields replaced by random values.
fn mutated_body(rng: &mut StdRng, schema: &Value, spec: &Value) -> Value {
    let schema = resolve(schema, spec);
    let Some(props) = schema["properties"].as_object() else { return random_json(rng, 0) };
    let mut body = serde_json::Map::new();
    for (name, prop) in props {
        if rng.random_bool(0.2) {
            continue;
        }
        let prop = resolve(prop, spec);
        let value = if rng.random_bool(0.3) {
            random_json(rng, 1)
        } else if let Some(options) = prop["enum"].as_array() {
            options.choose(rng).cloned().unwrap_or(Value::Null)
        } else {
            match prop["type"].as_str() {
                Some("array") => json!([random_string(rng)]),
                Some("integer") => json!(rng.random_range(-5..100_000)),
                Some("boolean") => json!(rng.random_bool(0.5)),
                _ => json!(random_string(rng)),
            }
        };
        body.insert(name.clone(), value);
    }
    Value::Object(body)
}

fn resolve<'a>(schema: &'a Value, spec: &'a Value) -> &'a Value {
    match schema["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/schemas/")) {
        Some(name) => &spec["components"]["schemas"][name],
        None => schema,
    }
}

#[tokio::test]
async fn random_requests_from_the_spec_never_get_a_server_error() {
    let t = TestServer::start(true).await;
    // Every request should reach its handler, not the rate limiter.
    t.server.set_rate_limit(&t.server.workspace().id, Some(1_000_000)).await.unwrap();
    let spec: Value = switchboard_server::spec();
    let mut operations = Vec::new();
    for (path, ops) in spec["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            if !path.ends_with("/stream") {
                operations.push((path.clone(), method.to_uppercase(), op.clone()));
            }
        }
    }
    let seed: u64 = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20261122);
    let mut rng = StdRng::seed_from_u64(seed);
    let client = raw();
    let real_conversation = t.client().list_conversations(&Default::default()).await.unwrap().data[0].id.clone();
    for n in 0..REQUESTS {
        let (path, method, op) = operations.choose(&mut rng).unwrap().clone();
        let id = if rng.random_bool(0.5) { real_conversation.clone() } else { random_string(&mut rng) };
        let id: String = url_escape(&id);
        let mut url = format!("{}{}", t.server.base_url(), path.replace("{id}", &id));
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        let mut query = Vec::new();
        for p in params.iter().filter(|p| p["in"] == "query") {
            if rng.random_bool(0.6) {
                query.push(format!("{}={}", p["name"].as_str().unwrap(), url_escape(&random_string(&mut rng))));
            }
        }
        if !query.is_empty() {
            url = format!("{url}?{}", query.join("&"));
        }
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = client.request(method.clone(), &url).bearer_auth(&t.key);
        if rng.random_bool(0.1) {
            req = req.header("idempotency-key", url_escape(&random_string(&mut rng)));
        }
        if let Some(schema) = op["requestBody"]["content"]["application/json"]["schema"].as_object() {
            let body = if rng.random_bool(0.5) {
                mutated_body(&mut rng, &Value::Object(schema.clone()), &spec)
            } else {
                random_json(&mut rng, 0)
            };
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        assert!(status < 500, "request {n} (seed {seed}): {method} {url} answered {status}: {text}");
        assert_ne!(status, 429, "the quota was raised; request {n} was throttled");
        if status >= 400 {
            let body: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{method} {url}: {text}"));
            assert!(body["code"].as_str().is_some_and(|c| !c.is_empty()), "{method} {url}: {text}");
        }
    }
    // Still healthy afterwards.
    assert!(t.client().me().await.unwrap().ok);
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
