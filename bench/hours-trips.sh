#!/usr/bin/env bash
# Opening hours in generated plans, re-checked with the reference (issue 27): N trips
# (default 100) across the bundled cities generated through the real app over HTTP, every
# stop's time window checked with opening_hours.js (tools/opening-hours-diff/trips.mjs).
# Usage: bench/hours-trips.sh [N]   BIN=path/to/tripgen (default target/release/tripgen).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
BIN=${BIN:-$TARGET_DIR/release/tripgen}
[ -x "$BIN" ] || cargo build -p tripgen --release
(cd tools/opening-hours-diff && npm ci --no-audit --no-fund --silent)

DATA=$(mktemp -d /tmp/tripgen-hours.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export TRIPGEN_RATE_LIMIT__ENABLED=false TRIPGEN_LOG__LEVEL=warn TRIPGEN_LOCATION__SEED_DIRS="[]"
BASE="http://127.0.0.1:$PORT"
PID=
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$DATA"
}
trap cleanup EXIT
"$BIN" import osm --data-dir "$DATA" data/osm | tail -3
"$BIN" serve --listen "127.0.0.1:$PORT" --data-dir "$DATA" >>"$DATA/server.log" 2>&1 &
PID=$!
until curl -fs "$BASE/health/ready" >/dev/null 2>&1; do sleep 0.05; done
node tools/opening-hours-diff/trips.mjs "$BASE" "$N"
