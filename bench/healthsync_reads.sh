#!/usr/bin/env bash
# Read latency of `healthsync serve` at a fixed rate (spec §10: reads p95 ≤ 200 ms with
# 100,000 users; diagnosis by the rules p95 ≤ 300 ms): seeds SEED users (default 100,000:
# goals and a 7-day history, `healthsync bench seed`) into a fresh embedded store, starts
# it with the development issuer on a free port, signs USERS users in through it (profile,
# checkup sync, first diagnosis timed, a goal, a check-off), and runs
# bench/healthsync_reads.py (p50/p95/p99 per endpoint, 5xx).
# Usage: bench/healthsync_reads.sh   (SEED, USERS, RATE, SECS override 100000, 100, 100, 20;
# PROFILE=debug uses the debug build; SKIP_BUILD=1 uses the binary as built)
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
PROFILE="${PROFILE:-release}"
if [ -z "${SKIP_BUILD:-}" ]; then
  if [ "$PROFILE" = release ]; then cargo build -p healthsync --release --quiet; else cargo build -p healthsync --quiet; fi
fi
BIN="${BIN:-$TARGET_DIR/$PROFILE/healthsync}"
DATA=$(mktemp -d /tmp/healthsync-reads.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; [ -n "$PID" ] && wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
if [ "${SEED:-100000}" -gt 0 ]; then
  HEALTHSYNC_LOG__LEVEL=warn "$BIN" --data-dir "$DATA" bench seed --users "${SEED:-100000}"
fi
HEALTHSYNC_LOG__LEVEL=warn "$BIN" serve --listen "127.0.0.1:$PORT" --data-dir "$DATA" --dev-issuer >"$DATA/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
python3 bench/healthsync_reads.py "http://127.0.0.1:$PORT" --users "${USERS:-100}" --rate "${RATE:-100}" --secs "${SECS:-20}"
