//! Per-OS tuning of the window.

/// Without a GPU (no DRM render node: virtual machines, remote desktops, CI), WebKitGTK's
/// accelerated compositing runs on a software GL and is slower and heavier than its plain
/// software painting: measured here, scrolling the inbox went from about 20 ms a frame to
/// the display's 16 ms, and the web process from 216 MB to 125 MB (docs/benchmarks.md).
#[cfg(target_os = "linux")]
pub fn tune(window: &tauri::WebviewWindow) {
    let gpu = std::fs::read_dir("/dev/dri")
        .map(|dir| dir.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
        .unwrap_or(false);
    if gpu {
        return;
    }
    let result = window.with_webview(|webview| {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if let Some(settings) = webview.inner().settings() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    if let Err(e) = result {
        tracing::warn!(error = %e, "could not tune the webview");
    }
}

#[cfg(not(target_os = "linux"))]
pub fn tune(_window: &tauri::WebviewWindow) {}
