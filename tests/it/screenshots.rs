//! `make screenshots`: a PNG of every screen of the real app (WebKitGTK under Xvfb) in
//! docs/screenshots/, for people to look at. Not asserted on beyond each screen appearing.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use serde_json::json;
use switchboard_tests::desktop;
use switchboard_tests::webdriver::Session;

fn out_dir() -> PathBuf {
    std::env::var_os("SCREENSHOT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshots"))
}

async fn shot(s: &Session<'_>, name: &str) {
    // Two frames, so what was just rendered is on screen.
    s.execute(
        "return await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(1))))",
        json!([]),
    )
    .await;
    s.screenshot(&out_dir().join(format!("{name}.png"))).await;
}

async fn wait(s: &Session<'_>, css: &str) -> String {
    s.wait_for(css, || async { s.find_all(css).await.pop() }).await
}

async fn click(s: &Session<'_>, css: &str) {
    let e = wait(s, css).await;
    s.click(&e).await;
}

/// Opens the conversation whose row is the `index`th from the top.
async fn open_row(s: &Session<'_>, index: usize) {
    s.wait_for("a row to open", || async {
        let rows = s.find_all("[data-testid=conversation-item]").await;
        let row = rows.get(index)?;
        s.click_live(row).await.then_some(())
    })
    .await;
    wait(s, "[data-testid=message]").await;
}

#[tokio::test]
#[ignore = "writes docs/screenshots: run by `make screenshots`"]
async fn every_screen() {
    let home = tempfile::tempdir().unwrap();
    let driver = desktop::driver(home.path(), 0).await;
    let s = desktop::open(&driver).await;
    wait(&s, "[data-testid=conversation-item]").await;
    shot(&s, "01-inbox").await;
    open_row(&s, 0).await;
    shot(&s, "02-conversation").await;
    click(&s, "[data-testid=mode-note]").await;
    let input = wait(&s, "[data-testid=composer-input]").await;
    s.type_text(&input, "Called the patient back, they will come in on Thursday.").await;
    shot(&s, "03-internal-note").await;
    click(&s, "[data-testid=mode-reply]").await;

    // A web chat for the AI draft (no WhatsApp window there) where the visitor waits: a
    // draft is offered only where the last word is the visitor's.
    s.wait_for("a web chat", || async {
        for row in s.find_all("[data-testid=conversation-item]").await {
            let shown = s.text(&row).await;
            if shown.contains("Web chat") && shown.contains("waiting") {
                return s.click_live(&row).await.then_some(());
            }
        }
        None
    })
    .await;
    click(&s, "[data-testid=ai-draft]").await;
    wait(&s, "[data-testid=draft]").await;
    shot(&s, "04-ai-draft").await;

    // A WhatsApp chat older than a day: the template picker.
    let db = rusqlite::Connection::open(desktop::data_dir(home.path()).join("local-workspace.sqlite3")).unwrap();
    let closed: String = db
        .query_row(
            "SELECT id FROM conversations WHERE channel = 'whatsapp' AND last_inbound_at < ?1
             ORDER BY last_inbound_at DESC LIMIT 1",
            [(chrono::Utc::now() - chrono::Duration::hours(25)).to_rfc3339()],
            |r| r.get(0),
        )
        .unwrap();
    desktop::open_by_id(&s, &closed).await;
    let picker = wait(&s, "[data-testid=template-select]").await;
    let value = s
        .execute("return document.querySelector('[data-testid=template-select] option:nth-child(2)').value", json!([]))
        .await;
    s.execute(
        "const el = document.querySelector('[data-testid=template-select]'); el.value = arguments[0];
         el.dispatchEvent(new Event('change', {bubbles: true}));",
        json!([value]),
    )
    .await;
    let _ = picker;
    if let Some(param) = s.find_all("[data-testid=template-param]").await.first() {
        s.type_text(param, "Maya").await;
    }
    shot(&s, "05-template-outside-window").await;

    let search = wait(&s, "[data-testid=global-search]").await;
    s.type_text(&search, "insurance").await;
    wait(&s, "[data-testid=search-hit]").await;
    shot(&s, "06-search").await;
    s.press("Escape", false).await;
    s.execute("document.activeElement && document.activeElement.blur()", json!([])).await;

    s.press("k", true).await;
    wait(&s, "[data-testid=command-palette]").await;
    shot(&s, "07-command-palette").await;
    s.press("Escape", false).await;
    s.press("?", false).await;
    wait(&s, "[data-testid=shortcut-help]").await;
    shot(&s, "08-shortcuts").await;
    s.press("Escape", false).await;

    click(&s, "[data-testid=nav-leads]").await;
    wait(&s, "[data-testid=lead-row]").await;
    shot(&s, "09-leads").await;
    click(&s, "[data-testid=nav-appointments]").await;
    wait(&s, "[data-testid=appointment]").await;
    shot(&s, "10-appointments").await;
    click(&s, "[data-testid=nav-admin]").await;
    wait(&s, "[data-testid=key-row]").await;
    shot(&s, "11-admin-keys").await;
    click(&s, "[data-testid=tab-webhooks]").await;
    click(&s, "[data-testid=new-webhook]").await;
    shot(&s, "12-admin-webhook-new").await;
    click(&s, "[data-testid=tab-knowledge]").await;
    wait(&s, "[data-testid=knowledge-entry]").await;
    shot(&s, "12b-admin-knowledge").await;
    click(&s, "[data-testid=tab-business]").await;
    wait(&s, "[data-testid=settings-zone]").await;
    shot(&s, "12c-admin-business").await;
    click(&s, "[data-testid=tab-signature]").await;
    wait(&s, "[data-testid=signature-checker]").await;
    shot(&s, "13-signature-checker").await;
    click(&s, "[data-testid=nav-settings]").await;
    wait(&s, "[data-testid=notification-settings]").await;
    wait(&s, "[data-testid=workspace-row]").await;
    shot(&s, "14-settings").await;

    click(&s, "[data-testid=theme-dark]").await;
    click(&s, "[data-testid=nav-inbox]").await;
    open_row(&s, 1).await;
    shot(&s, "15-dark-conversation").await;
    click(&s, "[data-testid=nav-admin]").await;
    wait(&s, "[data-testid=key-row]").await;
    shot(&s, "16-dark-admin").await;
    click(&s, "[data-testid=nav-settings]").await;
    click(&s, "[data-testid=theme-system]").await;
    s.end().await;
}
