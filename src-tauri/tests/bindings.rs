//! `ui/src/lib/bindings.ts` must be exactly what the Rust types generate. Run
//! `make bindings` after changing a command, an event or a type they use.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

#[test]
fn generated_bindings_are_up_to_date() {
    let generated = switchboard_desktop::bindings_typescript().expect("bindings generate");
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == generated, "{} is stale: run `make bindings` and commit the result", path.display());
}

/// The window may call every command the UI is given, and nothing else.
#[test]
fn the_capability_allows_exactly_the_bridge_commands() {
    let generated = switchboard_desktop::bindings_typescript().expect("bindings generate");
    let mut commands: Vec<String> = generated
        .split("TAURI_INVOKE(\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|name| format!("allow-{}", name.replace('_', "-")))
        .collect();
    commands.sort();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("capabilities/default.json");
    let capability: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut allowed: Vec<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .filter(|p| p.starts_with("allow-"))
        .map(str::to_owned)
        .collect();
    allowed.sort();
    assert!(commands.len() > 10, "{commands:?}");
    assert_eq!(allowed, commands);
}
