//! `GET/PATCH /settings`: where the business is (time zone, region), what the AI agent
//! goes by when they are not set, and every refusal changing nothing.

#![allow(clippy::unwrap_used)]

use reqwest::Method;
use serde_json::{Value, json};
use switchboard_tests::{TestServer, call};

/// The settings, less the lists of values the server accepts (the same in every answer,
/// checked by `every_value_offered_is_accepted`).
fn without_lists(mut s: Value) -> Value {
    if let Some(o) = s.as_object_mut() {
        for list in ["timeZones", "regions"] {
            if let Some(v) = o.remove(list) {
                assert!(v.as_array().is_some_and(|a| !a.is_empty()), "{list}: {v}");
            }
        }
    }
    s
}

async fn settings(t: &TestServer) -> Value {
    let (status, s) = call(t, &t.key, Method::GET, "/settings", None).await;
    assert_eq!(status, 200, "{s}");
    without_lists(s)
}

async fn patch(t: &TestServer, body: Value) -> (u16, Value) {
    let (status, s) = call(t, &t.key, Method::PATCH, "/settings", Some(body)).await;
    (status, without_lists(s))
}

/// The app's form offers what the server lists: each must be accepted, and what the
/// server refuses must not be listed.
#[tokio::test]
async fn every_value_offered_is_accepted() {
    let t = TestServer::start(false).await;
    let (_, s) = call(&t, &t.key, Method::GET, "/settings", None).await;
    let list = |name: &str| -> Vec<String> {
        s[name].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
    };
    let (zones, regions) = (list("timeZones"), list("regions"));
    assert!(zones.len() > 300 && zones.contains(&"America/Sao_Paulo".to_owned()), "{zones:?}");
    assert!(regions.len() > 200 && regions.contains(&"BR".to_owned()), "{regions:?}");
    for none in ["AQ", "EU", "UN", "ZZ"] {
        assert!(!regions.contains(&none.to_owned()), "{none} has no phone numbers of its own");
    }
    // Through the API, a spread of each list (the whole lists against the parsers the
    // API uses: `switchboard_ai::locale`'s tests).
    let spread = |l: &[String]| l.iter().step_by(l.len() / 12).chain(l.last()).cloned().collect::<Vec<_>>();
    for zone in spread(&zones) {
        let (status, answer) = patch(&t, json!({"timeZone": zone})).await;
        assert_eq!((status, answer["timeZone"].as_str()), (200, Some(zone.as_str())), "{zone}: {answer}");
    }
    for region in spread(&regions) {
        let (status, answer) = patch(&t, json!({"region": region})).await;
        assert_eq!((status, answer["region"].as_str()), (200, Some(region.as_str())), "{region}: {answer}");
    }
}

async fn audited(t: &TestServer) -> usize {
    let (_, page) = call(t, &t.key, Method::GET, "/audit-log?limit=100", None).await;
    page["data"].as_array().unwrap().iter().filter(|e| e["action"] == "workspace.settings_changed").count()
}

#[tokio::test]
async fn unset_settings_follow_the_knowledge_and_set_ones_win() {
    let t = TestServer::start(false).await;
    let nothing = json!({"timeZone": null, "region": null, "agentTimeZone": null, "agentRegion": null});
    assert_eq!(settings(&t).await, nothing, "no knowledge, no settings: UTC and no region");

    let entry = json!({"title": "Contact", "body": "WhatsApp +55 11 3456-7890, consulta R$ 150"});
    assert_eq!(call(&t, &t.key, Method::POST, "/knowledge", Some(entry)).await.0, 201);
    assert_eq!(
        settings(&t).await,
        json!({"timeZone": null, "region": null, "agentTimeZone": "America/Sao_Paulo", "agentRegion": "BR"}),
        "read from the knowledge's phone number"
    );

    // A time zone alone: the region still comes from the knowledge.
    let (status, s) = patch(&t, json!({"timeZone": "America/Manaus"})).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(
        s,
        json!({"timeZone": "America/Manaus", "region": null, "agentTimeZone": "America/Manaus", "agentRegion": "BR"})
    );
    // A region alone keeps the time zone set.
    let (_, s) = patch(&t, json!({"region": "PT"})).await;
    assert_eq!(
        s,
        json!({"timeZone": "America/Manaus", "region": "PT", "agentTimeZone": "America/Manaus", "agentRegion": "PT"})
    );
    // Clearing the zone: the region's.
    let (_, s) = patch(&t, json!({"timeZone": null})).await;
    assert_eq!(s, json!({"timeZone": null, "region": "PT", "agentTimeZone": "Europe/Lisbon", "agentRegion": "PT"}));
    assert_eq!(settings(&t).await, s, "kept");
    assert_eq!(audited(&t).await, 3);
    // The same values again change nothing and are not audited.
    assert_eq!(patch(&t, json!({"region": "PT"})).await.0, 200);
    assert_eq!(patch(&t, json!({})).await.0, 200);
    assert_eq!(audited(&t).await, 3);
}

#[tokio::test]
async fn bad_settings_are_refused_and_change_nothing() {
    let t = TestServer::start(false).await;
    assert_eq!(patch(&t, json!({"timeZone": "Asia/Dubai", "region": "AE"})).await.0, 200);
    let before = settings(&t).await;
    for (body, code) in [
        (json!({"timeZone": "Mars/Olympus_Mons"}), "invalid_parameter"),
        (json!({"timeZone": "asia/dubai"}), "invalid_parameter"),
        (json!({"timeZone": ""}), "invalid_parameter"),
        (json!({"region": "ae"}), "invalid_parameter"),
        (json!({"region": "ZZ"}), "invalid_parameter"),
        (json!({"region": "UAE"}), "invalid_parameter"),
        // A good time zone beside a bad region: neither is written.
        (json!({"timeZone": "Europe/Paris", "region": "XX"}), "invalid_parameter"),
        (json!({"region": 971}), "invalid_body"),
        (json!({"timezone": "Europe/Paris"}), "invalid_body"),
        (json!(["Europe/Paris"]), "invalid_body"),
    ] {
        let (status, answer) = patch(&t, body.clone()).await;
        assert_eq!((status, answer["code"].as_str().unwrap_or_default()), (400, code), "{body}: {answer}");
        assert!(!answer["error"].as_str().unwrap_or_default().is_empty(), "{answer}");
    }
    assert_eq!(settings(&t).await, before);

    // Reading takes a read key; changing takes an admin's.
    let (_, created) =
        call(&t, &t.key, Method::POST, "/keys", Some(json!({"name": "Agent app", "scopes": ["read", "write"]}))).await;
    let agent = created["secret"].as_str().unwrap().to_owned();
    assert_eq!(call(&t, &agent, Method::GET, "/settings", None).await.0, 200);
    let (status, refused) = call(&t, &agent, Method::PATCH, "/settings", Some(json!({"region": "BR"}))).await;
    assert_eq!((status, refused["code"].as_str()), (403, Some("insufficient_scope")));
    assert_eq!(call(&t, "sb_live_nothing", Method::GET, "/settings", None).await.0, 401);
    assert_eq!(settings(&t).await, before);
}

#[tokio::test]
async fn the_demo_clinic_says_where_it_is() {
    let t = TestServer::start(true).await;
    let s = settings(&t).await;
    assert_eq!((s["timeZone"].as_str(), s["region"].as_str()), (Some("America/Chicago"), Some("US")), "{s}");
    assert_eq!(s["agentTimeZone"], s["timeZone"]);
}
