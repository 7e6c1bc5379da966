#!/usr/bin/env bash
# schemathesis, every check on, against a real `switchboard serve` with the demo clinic,
# for a bounded time. Fails on any 5xx, any answer the OpenAPI document does not
# describe, and any request the document allows that is refused.
#   scripts/schemathesis.sh [SECONDS]   (default 240)
# Operations left out, each because a run must not do it:
#   createAiReply, importKnowledge (read the pages at any URL they are given), createChannel, updateChannel
#   (Graph API URLs), createWebhook, updateWebhook (deliveries to any URL), revokeKey,
#   rotateKey (would end the run's own key), streamEvents (never ends).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-240}"
venv=target/schemathesis
if [ ! -x "$venv/bin/schemathesis" ]; then
  echo "==> installing schemathesis"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'schemathesis>=4.32,<5'
fi
# The binary of this checkout: the one `make test` just built (SWITCHBOARD_BIN), or a build.
bin="${SWITCHBOARD_BIN:-}"
if [ -z "$bin" ]; then cargo build -q -p switchboard-cli; bin=target/debug/switchboard; fi
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --db "$work/server.sqlite3" --bind "127.0.0.1:$port" --demo --simulate-every 0 \
  --rate-limit 1000000 >"$work/out.txt" 2>"$work/server.log" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q '^Listening' "$work/out.txt" 2>/dev/null && break; sleep 0.1; done
key=$(grep -o 'sb_live_[A-Za-z0-9]*' "$work/out.txt" | head -1)
[ -n "$key" ] || { echo "the server did not start"; cat "$work/server.log"; exit 1; }
# Its cache and reports stay under target/.
config="$PWD/tests/schemathesis/schemathesis.toml"
mkdir -p target/schemathesis-run
cd target/schemathesis-run
"../../$venv/bin/schemathesis" --config-file "$config" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  -H "Authorization: Bearer $key" --checks all --workers 2 --seed 1 --max-time "$seconds" \
  --exclude-operation-id createAiReply --exclude-operation-id importKnowledge --exclude-operation-id createChannel --exclude-operation-id updateChannel \
  --exclude-operation-id createWebhook --exclude-operation-id updateWebhook --exclude-operation-id revokeKey \
  --exclude-operation-id rotateKey --exclude-operation-id streamEvents \
  --report junit --report-dir report
