#!/usr/bin/env bash
# Starts the real app under Xvfb on a fresh local workspace and writes a PNG of the screen.
# Usage: scripts/screenshot.sh [OUT.png]   (SCREENSHOT_DELAY seconds, default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-artifacts/screenshot.png}")
mkdir -p "$(dirname "$out")"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export OUT="$out" SCRATCH="$scratch" DELAY="${SCREENSHOT_DELAY:-10}"
scripts/with-session.sh bash -c '
  XDG_DATA_HOME="$SCRATCH/data" XDG_CONFIG_HOME="$SCRATCH/config" XDG_CACHE_HOME="$SCRATCH/cache" \
    ./target/debug/switchboard-desktop >"$SCRATCH/app.log" 2>&1 &
  app=$!
  sleep "$DELAY"
  import -window root "$OUT"
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
'
echo "wrote $out"
