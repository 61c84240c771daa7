#!/usr/bin/env bash
# End-to-end generation benchmark of the real binary (issue 6): a 7-day, 3-city
# (Munich, Porto, London), 6-member trip, 202 → completed over HTTP:
#   - p50/p95 alone (N_ALONE runs one after the other)
#   - p50/p95 with N_CONC trips generated at once, wall time and jobs/s sustained
#   - recovery after kill -9 of the process while N_KILL jobs run: time from the restart
#     until all completed, and a check that each completed once (attempts, one version
#     of every day)
# Usage: bench/generation.sh [sqlite|postgres]   (postgres needs TRIPGEN_TEST_PG_URL)
# BIN=path/to/tripgen (default target/release/tripgen, built when missing). Label debug
# figures as such.
set -euo pipefail
# Offline and reproducible: no calls to the real Open-Meteo (the default weather provider).
export TRIPGEN_LOCATION__WEATHER__PROVIDER=${TRIPGEN_LOCATION__WEATHER__PROVIDER:-none}
cd "$(dirname "$0")/.."
BACKEND=${1:-sqlite}
N_ALONE=${N_ALONE:-10}
N_CONC=${N_CONC:-20}
N_KILL=${N_KILL:-10}
BIN=${BIN:-target/release/tripgen}
OSM=${OSM:-data/osm/city-extracts-2020}
[ -x "$BIN" ] || cargo build -p tripgen --release

DATA=$(mktemp -d /tmp/tripgen-genbench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export TRIPGEN_RATE_LIMIT__ENABLED=false TRIPGEN_LOG__LEVEL=warn TRIPGEN_LOCATION__SEED_DIRS="[]"
if [ "$BACKEND" = postgres ]; then
  : "${TRIPGEN_TEST_PG_URL:?set TRIPGEN_TEST_PG_URL}"
  SCHEMA="genbench_$(date +%s)"
  psql -qX "$TRIPGEN_TEST_PG_URL" -c "CREATE SCHEMA $SCHEMA" >/dev/null
  export TRIPGEN_DATABASE__URL="${TRIPGEN_TEST_PG_URL}?options=-c%20search_path%3D${SCHEMA},public"
  export TRIPGEN_AUTH__JWT_SECRET=bench-secret-0123456789abcdef0123456789abcdef
  export TRIPGEN_SECURITY__FIELD_ENCRYPTION_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
fi
BASE="http://127.0.0.1:$PORT"
PID=
serve() {
  "$BIN" serve --listen "127.0.0.1:$PORT" --data-dir "$DATA" >>"$DATA/server.log" 2>&1 &
  PID=$!
  until curl -fs "$BASE/health/ready" >/dev/null 2>&1; do sleep 0.05; done
}
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  [ "$BACKEND" = postgres ] && psql -qX "$TRIPGEN_TEST_PG_URL" -c "DROP SCHEMA $SCHEMA CASCADE" >/dev/null 2>&1
  rm -rf "$DATA"
}
trap cleanup EXIT

echo "== $BACKEND, $BIN"
"$BIN" import osm --data-dir "$DATA" "$OSM/munchen.osm.pbf" "$OSM/porto.osm.pbf" "$OSM/london.osm.pbf" >/dev/null
serve
python3 bench/generation.py "$BASE" latency "$N_ALONE"
python3 bench/generation.py "$BASE" concurrent "$N_CONC"

# kill -9 while N_KILL jobs run (a process running N_KILL at once), restart, wait for all.
kill "$PID"; wait "$PID" 2>/dev/null || true
export TRIPGEN_AI__WORKER_CONCURRENCY=$N_KILL
serve
python3 bench/generation.py "$BASE" enqueue "$N_KILL" "$DATA/jobs.json"
until python3 bench/generation.py "$BASE" running "$DATA/jobs.json" >/dev/null; do sleep 0.1; done
python3 bench/generation.py "$BASE" running "$DATA/jobs.json" || true
kill -9 "$PID"; wait "$PID" 2>/dev/null || true
restart_ns=$(date +%s%N)
serve
echo "restarted in $(( ($(date +%s%N) - restart_ns) / 1000000 )) ms (lease of the killed worker: 30 s)"
python3 bench/generation.py "$BASE" finish "$DATA/jobs.json"
echo "recovery: all $N_KILL completed $(( ($(date +%s%N) - restart_ns) / 1000000 )) ms after the restart"
