#!/usr/bin/env bash
# Runs a command the way a desktop session would see it, with nothing shared with the host:
# a private D-Bus session bus, an unlocked gnome-keyring as the Secret Service (the OS
# keychain on Linux), and an Xvfb display for windows and notifications.
# Usage: scripts/with-session.sh COMMAND [ARGS...]
set -euo pipefail

if [ -z "${SWITCHBOARD_SESSION:-}" ]; then
  export SWITCHBOARD_SESSION=1
  exec dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$0" "$@"
fi

export NO_AT_BRIDGE=1
# The bus started before the display: services it starts on demand (the notification
# daemon, dunst) need to know where the display is.
dbus-update-activation-environment DISPLAY XAUTHORITY
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
# The keyring daemon keeps its files here, never in the user's home.
# A newline, not an empty string: with no input at all it prompts and fails.
eval "$(echo "" | XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
"$@"
