//! `ui/src/lib/bindings.ts` must be exactly what the Rust types generate. Run
//! `make bindings` after changing a command, an event or a type they use.

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
