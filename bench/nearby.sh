#!/usr/bin/env bash
# Nearby-search latency in central Munich (Marienplatz) for the three budgets, on the
# bundled catalogue and on a catalogue grown synthetically to ≥ 100,000 places
# (bench/synthetic_catalogue.py: every Munich GeoJSON place copied 25×, moved up to 3 km).
# Usage: bench/nearby.sh [sqlite|postgres]   (postgres needs TRIPGEN_TEST_PG_URL)
# Needs: hey, curl, python3 and data/osm. RATE (req/s), SECS, CONC as in api.sh.
set -euo pipefail
# Offline and reproducible: no calls to the real Open-Meteo (the default weather provider).
export TRIPGEN_LOCATION__WEATHER__PROVIDER=${TRIPGEN_LOCATION__WEATHER__PROVIDER:-none}
cd "$(dirname "$0")/.."
BACKEND=${1:-sqlite}
RATE=${RATE:-200}
SECS=${SECS:-10}
CONC=${CONC:-4}
BIN=target/release/tripgen
OSM=${OSM:-data/osm}
[ -x "$BIN" ] || cargo build -p tripgen --release
DATA=$(mktemp -d /tmp/tripgen-nearby.XXXXXX)
export TRIPGEN_RATE_LIMIT__ENABLED=false TRIPGEN_LOG__LEVEL=warn
if [ "$BACKEND" = postgres ]; then
  : "${TRIPGEN_TEST_PG_URL:?set TRIPGEN_TEST_PG_URL}"
  SCHEMA="nearby_$(date +%s)"
  psql -qX "$TRIPGEN_TEST_PG_URL" -c "CREATE SCHEMA $SCHEMA" >/dev/null
  export TRIPGEN_DATABASE__URL="${TRIPGEN_TEST_PG_URL}?options=-c%20search_path%3D${SCHEMA},public"
  export TRIPGEN_AUTH__JWT_SECRET=bench-secret-0123456789abcdef0123456789abcdef
  export TRIPGEN_SECURITY__FIELD_ENCRYPTION_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
PID=
stop() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; PID=; }
trap 'stop; rm -rf "$DATA"' EXIT

run_all() { # label
  export TRIPGEN_LOCATION__SEED_DIRS='[]'
  "$BIN" serve --listen "127.0.0.1:$PORT" --data-dir "$DATA" >"$DATA/server.log" 2>&1 &
  PID=$!
  until curl -fs "$BASE/health/ready" >/dev/null 2>&1; do sleep 0.05; done
  for budget in 10 30 60; do
    for mode in walk transit car; do
      body="{\"origin\":{\"lat\":48.1374,\"lon\":11.5755},\"mode\":\"$mode\",\"budget\":$budget,\"limit\":20}"
      curl -fs -XPOST "$BASE/api/v1/locations/search/nearby" -H 'content-type: application/json' -d "$body" >/dev/null
      hey -z "${SECS}s" -c "$CONC" -q $(( RATE / CONC )) -m POST -T application/json -d "$body" \
        "$BASE/api/v1/locations/search/nearby" > "$DATA/h.txt"
      total=$(curl -fs -XPOST "$BASE/api/v1/locations/search/nearby" -H 'content-type: application/json' -d "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
      printf '%-8s %-10s %-8s %2s min  reachable=%-6s rps=%-8s p50=%-8s p99=%s\n' "$BACKEND" "$1" "$mode" "$budget" "$total" \
        "$(awk '/Requests\/sec/ {print $2}' "$DATA/h.txt")" \
        "$(awk '/ 50% in/ {print $3}' "$DATA/h.txt")s" "$(awk '/ 99% in/ {print $3}' "$DATA/h.txt")s"
    done
  done
  stop
}

"$BIN" import osm "$OSM" --data-dir "$DATA" >/dev/null 2>&1
echo "catalogue: bundled OSM extracts of $OSM imported"
run_all bundled
python3 bench/synthetic_catalogue.py "$DATA/synthetic.json" 25 "$OSM"/munich-overpass-2025/*.json
"$BIN" import osm "$DATA/synthetic.json" --data-dir "$DATA" | tail -2
run_all synthetic
