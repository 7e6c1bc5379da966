//! Starting the real desktop app under tauri-driver for tests, screenshots and benchmarks:
//! its own data, config and cache folders, so nothing is shared with the user's.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;

use crate::webdriver::{Driver, Session, free_port};

/// The app's identifier: its data folder's name.
pub const APP_IDENTIFIER: &str = "dev.switchboard.desktop";

/// The debug build (`make desktop`), or `SWITCHBOARD_DESKTOP_BIN`.
pub fn app_binary() -> PathBuf {
    build("debug")
}

/// The app built with `profile` (`debug` or `release`), or `SWITCHBOARD_DESKTOP_BIN`.
pub fn build(profile: &str) -> PathBuf {
    if let Some(path) = std::env::var_os("SWITCHBOARD_DESKTOP_BIN") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let bin = target.join(profile).join(format!("switchboard-desktop{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.exists(), "{} is missing: build it with `make desktop`", bin.display());
    bin
}

/// Where the app keeps its files when started by [`driver`] with this `home`.
pub fn data_dir(home: &Path) -> PathBuf {
    home.join("data").join(APP_IDENTIFIER)
}

/// tauri-driver, ready for a session, starting the app with its folders under `home` and
/// the demo simulator at `simulate_every_ms` (0: off).
pub async fn driver(home: &Path, simulate_every_ms: u64) -> Driver {
    driver_with(home, simulate_every_ms, &[]).await
}

/// [`driver`], with more environment for the app (e.g. WebKitGTK's own switches).
pub async fn driver_with(home: &Path, simulate_every_ms: u64, env: &[(&str, &str)]) -> Driver {
    let port = free_port();
    let mut tauri_driver = Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()));
    tauri_driver
        .args(["--port", &port.to_string(), "--native-port", &free_port().to_string()])
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("NO_AT_BRIDGE", "1")
        .env("SWITCHBOARD_SIMULATE_EVERY_MS", simulate_every_ms.to_string())
        .envs(env.iter().copied());
    Driver::spawn(tauri_driver, port, home.join("driver.log")).await
}

/// A session: the (debug) app starts.
pub async fn open(driver: &Driver) -> Session<'_> {
    open_binary(driver, &app_binary()).await
}

pub async fn open_binary<'d>(driver: &'d Driver, binary: &Path) -> Session<'d> {
    driver
        .session(json!({"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": binary}
        }}))
        .await
}

/// Opens a conversation by id, scrolling the (virtualized) list until its row is rendered.
pub async fn open_by_id(s: &Session<'_>, id: &str) {
    let row = format!("[data-testid=conversation-item][data-conversation-id={id}]");
    // The list may not be on screen yet (a slow first render): then there is nothing to
    // scroll this time round.
    let scroll = "const sc = document.querySelector('[data-testid=conversation-scroller]');
        if (!sc) return;
        const end = sc.scrollTop + sc.clientHeight >= sc.scrollHeight - 1;
        sc.scrollTop = end ? 0 : sc.scrollTop + sc.clientHeight * 0.8;";
    s.wait_for(&format!("conversation {id} opened"), || async {
        if let Some(item) = s.find_all(&row).await.pop()
            && s.click_live(&item).await
        {
            let t = s.find_all("[data-testid=transcript]").await;
            return (s.attribute(t.first()?, "data-conversation-id").await == id).then_some(());
        }
        s.execute(scroll, json!([])).await;
        None
    })
    .await;
}
