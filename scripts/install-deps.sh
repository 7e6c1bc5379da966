#!/usr/bin/env bash
# Installs what building, running and testing Switchboard needs on Debian 12 / Ubuntu:
# system packages (Tauri's WebKitGTK, Xvfb, D-Bus, gnome-keyring, WebKitWebDriver), the UI's
# npm packages and the Rust test tools. Skips whatever is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages=(
  # Tauri 2 build and runtime
  libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config
  # headless window, screenshots, WebDriver for the real app
  xvfb xauth imagemagick webkit2gtk-driver
  # desktop notifications and the OS keychain (Secret Service)
  dbus dbus-x11 dunst libnotify-bin gnome-keyring libsecret-tools
)
# The web widget's page is tested in a real browser; schemathesis runs in a Python venv.
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium chromium-driver)
  if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then packages+=(python3 python3-venv); fi
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then packages+=(nodejs npm); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  echo "error: Rust (cargo) is not installed; install it with rustup (https://rustup.rs) and run again" >&2
  exit 1
fi

# The UI's packages, reinstalled only when the lockfile changed.
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> installing UI packages"
  (cd ui && npm ci --no-audit --no-fund)
fi

if [ "${1:-}" = "--test" ]; then
  if ! command -v tauri-driver >/dev/null; then
    echo "==> installing tauri-driver"
    cargo install tauri-driver --version '^2' --locked
  fi
  if ! cargo nextest --version >/dev/null 2>&1; then
    echo "==> installing cargo-nextest"
    cargo install cargo-nextest --locked
  fi
  # schemathesis (PyPI) for `make test`'s API run, in a venv under target/.
  if [ ! -x target/schemathesis/bin/schemathesis ]; then
    echo "==> installing schemathesis"
    python3 -m venv target/schemathesis
    target/schemathesis/bin/pip install -q 'schemathesis>=4.32,<5'
  fi
fi
