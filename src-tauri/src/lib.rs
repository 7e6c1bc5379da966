//! The desktop shell: window, typed commands and events. Every use case lives in
//! `switchboard-core`; this crate only forwards.

mod admin_commands;
mod commands;
mod events;
mod state;

use std::time::Duration;

use specta_typescript::{BigIntExportBehavior, Typescript};
use tauri::Manager;

/// Identifies the app's entries in the OS keychain.
const KEYCHAIN_SERVICE: &str = "dev.switchboard.desktop";
const DEFAULT_SIMULATOR_MS: u64 = 5000;

/// Every command and event the UI can use. The same builder serves the running app and
/// the generated `ui/src/lib/bindings.ts`, so the two cannot drift.
pub fn bridge() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(tauri_specta::collect_commands![
            commands::overview,
            commands::list_conversations,
            commands::get_transcript,
            commands::mark_read,
            commands::send,
            commands::retry_send,
            commands::discard_send,
            commands::ai_draft,
            commands::templates,
            commands::act,
            commands::members,
            commands::contact_panel,
            commands::edit_contact,
            commands::leads,
            commands::appointments,
            commands::search,
            commands::announce_presence,
            commands::set_lead_status,
            commands::set_appointment_status,
            commands::export_leads,
            commands::labels,
            commands::notification_settings,
            commands::set_notification_settings,
            commands::notification_status,
            commands::test_notification,
            commands::show_unread,
            admin_commands::keys,
            admin_commands::create_key,
            admin_commands::revoke_key,
            admin_commands::rotate_key,
            admin_commands::knowledge,
            admin_commands::import_knowledge,
            admin_commands::settings,
            admin_commands::update_settings,
            admin_commands::webhooks,
            admin_commands::create_webhook,
            admin_commands::update_webhook,
            admin_commands::delete_webhook,
            admin_commands::rotate_webhook_secret,
            admin_commands::test_webhook,
            admin_commands::deliveries,
            admin_commands::delivery,
            admin_commands::replay_delivery,
            admin_commands::webhook_event_types,
            admin_commands::check_signature,
            admin_commands::list_workspaces,
            admin_commands::add_workspace,
            admin_commands::switch_workspace,
            admin_commands::remove_workspace,
        ])
        .events(tauri_specta::collect_events![
            events::InboxChanged,
            events::SyncStatusChanged,
            events::PresenceChanged,
            events::OpenConversation,
            events::WorkspaceChanged
        ])
}

/// The TypeScript the bridge generates (the content of `ui/src/lib/bindings.ts`).
pub fn bindings_typescript() -> Result<String, specta_typescript::ExportError> {
    bridge().export_str(
        Typescript::default()
            .bigint(BigIntExportBehavior::Number)
            .header("// Generated from the Rust types by `make bindings`. Do not edit.\n"),
    )
}

/// `SWITCHBOARD_SIMULATE_EVERY_MS`: the demo simulator's pace; 0 turns it off.
fn simulator_pace() -> Option<Duration> {
    let ms = std::env::var("SWITCHBOARD_SIMULATE_EVERY_MS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(DEFAULT_SIMULATOR_MS);
    (ms > 0).then(|| Duration::from_millis(ms))
}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let bridge = bridge();
    let result = tauri::Builder::default()
        // First: a second launch only brings this window forward.
        .plugin(tauri_plugin_single_instance::init(|handle, _args, _cwd| events::focus_main(handle)))
        .invoke_handler(bridge.invoke_handler())
        .manage(state::AppState::new())
        .setup(move |app| {
            bridge.mount_events(app);
            let data_dir = app.path().app_data_dir()?;
            let launch = state::Launch { data_dir, simulate_every: simulator_pace(), service: KEYCHAIN_SERVICE };
            state::start(app.handle().clone(), launch);
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("error: Switchboard could not start: {e}");
        std::process::exit(1);
    }
}
