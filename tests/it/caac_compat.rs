//! The public CAAC Go Developer API v1 examples, run verbatim with `curl` (only the base
//! URL and the key swapped for ours): a client written for those docs works here.

#![allow(clippy::unwrap_used)]

use std::process::Command;

use serde_json::Value;
use switchboard_tests::TestServer;

/// Runs `curl` with the docs' arguments and returns the HTTP status and the JSON body.
/// On the blocking pool: the server answers on this test's own runtime.
async fn curl(args: &[&str]) -> (u16, Value) {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let out = tokio::task::spawn_blocking(move || {
        Command::new("curl")
            .args(["--silent", "--show-error", "--max-time", "10", "--write-out", "\n%{http_code}"])
            .args(&args)
            .output()
            .expect("curl is installed (scripts/install-deps.sh)")
    })
    .await
    .unwrap();
    assert!(out.status.success(), "curl failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let (body, status) = text.rsplit_once('\n').unwrap();
    (status.parse().unwrap(), serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}")))
}

#[tokio::test]
async fn the_me_example_works_verbatim() {
    let t = TestServer::start(false).await;
    let base = t.server.base_url();
    let auth = format!("Authorization: Bearer {}", t.key);
    // curl https://caacgo.cresclab.com/api/v1/me -H "Authorization: Bearer cwa_your_key"
    let (status, body) = curl(&[&format!("{base}/api/v1/me"), "-H", &auth]).await;
    assert_eq!(status, 200);
    assert_eq!(body["ok"], true);
    for field in ["id", "name", "plan"] {
        assert!(body["workspace"][field].is_string(), "{body}");
    }
}

#[tokio::test]
async fn the_messages_example_works_verbatim_inside_the_window() {
    let t = TestServer::start(false).await;
    let base = t.server.base_url();
    let auth = format!("Authorization: Bearer {}", t.key);
    let send = || async {
        // curl -X POST https://caacgo.cresclab.com/api/v1/messages -H "Authorization: Bearer cwa_your_key"
        //   -H "Content-Type: application/json" -d '{"to":"+5511988887777","text":"Hi! Thanks for reaching out 👋"}'
        curl(&[
            "-X",
            "POST",
            &format!("{base}/api/v1/messages"),
            "-H",
            &auth,
            "-H",
            "Content-Type: application/json",
            "-d",
            r#"{"to":"+5511988887777","text":"Hi! Thanks for reaching out 👋"}"#,
        ])
        .await
    };
    // The docs: "Subject to WhatsApp's 24-hour customer-care window".
    let (status, body) = send().await;
    assert_eq!((status, body["code"].as_str()), (422, Some("outside_care_window")), "{body}");
    assert!(body["error"].is_string());

    t.contact_writes("+5511988887777").await;
    let (status, body) = send().await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ok"], true);
}

#[tokio::test]
async fn the_ai_reply_example_works_verbatim_against_a_page_on_this_machine() {
    let t = TestServer::start(false).await;
    let base = t.server.base_url();
    let auth = format!("Authorization: Bearer {}", t.key);
    // The docs' page (https://your-site.com) is not reachable from here: a page with the
    // same kind of price list stands in for it on loopback.
    let app = axum::Router::new().route(
        "/",
        axum::routing::get(|| async {
            axum::response::Html("<h1>Prices</h1><p>Men's haircut — $30, 30 minutes</p><p>Colour — $80</p>")
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    // curl -X POST https://caacgo.cresclab.com/api/v1/ai/reply -H "Authorization: Bearer cwa_your_key"
    //   -H "Content-Type: application/json" -d '{"message":"How much is a haircut?","url":"https://your-site.com"}'
    let (status, body) = curl(&[
        "-X",
        "POST",
        &format!("{base}/api/v1/ai/reply"),
        "-H",
        &auth,
        "-H",
        "Content-Type: application/json",
        "-d",
        &format!(r#"{{"message":"How much is a haircut?","url":"{site}"}}"#),
    ])
    .await;
    assert_eq!(status, 200, "{body}");
    // The docs' answer: "A men's haircut is $30 and takes about 30 minutes — want me to book you in?"
    assert_eq!(body["reply"], "A men's haircut is $30 and takes about 30 minutes — want me to book you in?");
}
