#!/usr/bin/env bash
# Read latency of `healthsync serve` (release build) at a fixed rate (spec §10: reads p95
# ≤ 200 ms): starts the embedded default with the development issuer on a free port, signs
# users in through it, and runs bench/healthsync_reads.py (p50/p95/p99 per endpoint, 5xx).
# Usage: bench/healthsync_reads.sh   (USERS, RATE, SECS override the defaults 100, 100, 20)
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
[ -n "${SKIP_BUILD:-}" ] || cargo build -p healthsync --release --quiet
BIN="${BIN:-$TARGET_DIR/release/healthsync}"
DATA=$(mktemp -d /tmp/healthsync-reads.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
HEALTHSYNC_LOG__LEVEL=warn "$BIN" serve --listen "127.0.0.1:$PORT" --data-dir "$DATA" --dev-issuer >"$DATA/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
python3 bench/healthsync_reads.py "http://127.0.0.1:$PORT" --users "${USERS:-100}" --rate "${RATE:-100}" --secs "${SECS:-20}"
