#!/usr/bin/env bash
# Sign-in abuse (issue 21): RSS under bursts of 500 concurrent logins and the lockout race
# over 50 trials, against `tripgen serve` (release build) on a fresh embedded data dir.
# Usage: bench/abuse_logins.sh   (CONCURRENT, BURSTS, TRIALS override 500, 3, 50)
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
[ -n "${SKIP_BUILD:-}" ] || cargo build -p tripgen --release --quiet
BIN="${BIN:-$TARGET_DIR/release/tripgen}"
DATA=$(mktemp -d /tmp/tripgen-abuse.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# An empty catalogue is enough (no seeding): this measures the user context.
TRIPGEN_LOG__LEVEL=warn TRIPGEN_LOCATION__SEED_DIRS='[]' "$BIN" serve --listen "0.0.0.0:$PORT" --data-dir "$DATA" >"$DATA/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
python3 bench/abuse_logins.py "http://127.0.0.1:$PORT" "$PID" --concurrent "${CONCURRENT:-500}" --bursts "${BURSTS:-3}" --trials "${TRIALS:-50}"
