fn main() {
    // Declaring the commands makes Tauri deny them unless a capability allows them. They
    // are read from commands.rs so the list cannot fall behind it (a test checks that the
    // window's capability allows exactly these).
    println!("cargo:rerun-if-changed=src/commands.rs");
    // The manifest wants 'static names; a build script ends right after.
    let source: &'static str = std::fs::read_to_string("src/commands.rs").expect("src/commands.rs").leak();
    let names: Vec<&'static str> = source
        .split("#[tauri::command]")
        .skip(1)
        .filter_map(|chunk| chunk.split("pub async fn ").nth(1))
        .filter_map(|rest| rest.split('(').next())
        .collect();
    let manifest = tauri_build::AppManifest::new().commands(names.leak());
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).expect("tauri build script failed");
}
