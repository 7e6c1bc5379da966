fn main() {
    // Declaring the commands makes Tauri deny them unless a capability allows them. They
    // are read from the commands files so the list cannot fall behind them (a test checks
    // that the window's capability allows exactly these).
    let mut source = String::new();
    for file in ["src/commands.rs", "src/admin_commands.rs"] {
        println!("cargo:rerun-if-changed={file}");
        source.push_str(&std::fs::read_to_string(file).expect("a commands file"));
    }
    // The manifest wants 'static names; a build script ends right after.
    let source: &'static str = source.leak();
    let names: Vec<&'static str> = source
        .split("#[tauri::command]")
        .skip(1)
        .filter_map(|chunk| chunk.split("pub async fn ").nth(1))
        .filter_map(|rest| rest.split('(').next())
        .collect();
    let manifest = tauri_build::AppManifest::new().commands(names.leak());
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).expect("tauri build script failed");
}
