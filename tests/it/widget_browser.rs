//! The web widget page in real Chromium (headless, through ChromeDriver): a visitor
//! types a message, the team sees it through the API, the team's answer shows up on the
//! page by itself, and a reload keeps the conversation.
//!
//! Needs Debian's chromium and chromium-driver: `make test` installs them and runs this
//! with `--run-ignored`.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;

use reqwest::Method;
use serde_json::json;
use switchboard_tests::webdriver::{Driver, free_port};
use switchboard_tests::{TestServer, call};

#[tokio::test]
#[ignore = "needs chromium and chromium-driver: run by `make test`"]
async fn a_visitor_chats_from_the_widget_page_in_a_real_browser() {
    let t = TestServer::start(false).await;
    let (status, channel) =
        call(&t, &t.key, Method::POST, "/channels", Some(json!({"kind": "web", "name": "Lakeside chat"}))).await;
    assert_eq!(status, 201);
    let inbox = channel["web"]["inboxIdentifier"].as_str().unwrap().to_owned();

    let home = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut chromedriver = Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()));
    chromedriver.arg(format!("--port={port}"));
    let driver = Driver::spawn(chromedriver, port, home.path().join("chromedriver.log")).await;
    let profile = home.path().join("profile");
    let s = driver
        .session(json!({"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--no-first-run", "--window-size=420,640", format!("--user-data-dir={}", profile.display())]
            }
        }}))
        .await;
    s.navigate(&format!("{}/widget/{inbox}", t.server.base_url())).await;
    let title = s.wait_for("the page header", || async { Some(s.find_all("header h1").await.first()?.clone()) }).await;
    assert_eq!(s.text(&title).await, "Lakeside chat");
    let empty = s.wait_for("the empty state", || async { s.find_all("#empty").await.first().cloned() }).await;
    assert!(s.text(&empty).await.contains("Ask us anything"));

    let text = s.find_all("#text").await.remove(0);
    s.type_text(&text, "Do you take walk-ins today?").await;
    s.click(&s.find_all("#send").await.remove(0)).await;

    // The team sees the visitor's message in the inbox, on the web channel.
    let conversation = s
        .wait_for("the message in the inbox", || async {
            let (_, list) = call(&t, &t.key, Method::GET, "/conversations?channel=web", None).await;
            let row = list["data"].as_array()?.first()?.clone();
            (row["lastMessagePreview"] == "Do you take walk-ins today?").then(|| row["id"].as_str().unwrap().to_owned())
        })
        .await;
    let (status, _) = call(
        &t,
        &t.key,
        Method::POST,
        &format!("/conversations/{conversation}/messages"),
        Some(json!({"text": "Yes, until 6 pm. Just come by!"})),
    )
    .await;
    assert_eq!(status, 200);
    let shown = |want: &'static str| {
        let s = &s;
        async move {
            s.wait_for(want, || async {
                for m in s.find_all(".msg").await {
                    if s.text(&m).await.contains(want) {
                        return Some(());
                    }
                }
                None
            })
            .await
        }
    };
    shown("Yes, until 6 pm. Just come by!").await;
    let screenshots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/e2e");
    s.screenshot(&screenshots.join("widget.png")).await;

    // A reload keeps the visitor and their conversation (the identifier is kept locally).
    s.navigate(&format!("{}/widget/{inbox}", t.server.base_url())).await;
    shown("Do you take walk-ins today?").await;
    shown("Yes, until 6 pm. Just come by!").await;
    let (_, contacts) = call(&t, &t.key, Method::GET, "/contacts", None).await;
    assert_eq!(contacts["data"].as_array().unwrap().len(), 1, "the reload made no second visitor");
    s.end().await;
}
