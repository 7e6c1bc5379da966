fn main() {
    // Declaring the commands makes Tauri deny them unless a capability allows them.
    let manifest =
        tauri_build::AppManifest::new().commands(&["overview", "list_conversations", "get_transcript", "send_reply"]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).expect("tauri build script failed");
}
