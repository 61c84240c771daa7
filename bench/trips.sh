#!/usr/bin/env bash
# Trip-context read benchmarks of the real binary (issue 5), at a fixed request rate, in the
# same run as the bare /health/live of the same binary (ratio):
#   - GET /api/v1/trips/{id}/schedules of a generated 7-day Munich trip (fast pace: the
#     most stops a day the planner gives a fit group)
#   - GET /api/v1/trips/summary of a user with 200 trips
# Usage: bench/trips.sh [sqlite|postgres]   (postgres needs TRIPGEN_TEST_PG_URL)
# Needs: hey, curl, python3, data/osm. BIN, RATE (req/s), SECS, CONC.
set -euo pipefail
# Offline and reproducible: no calls to the real Open-Meteo (the default weather provider).
export TRIPGEN_LOCATION__WEATHER__PROVIDER=${TRIPGEN_LOCATION__WEATHER__PROVIDER:-none}
cd "$(dirname "$0")/.."
BACKEND=${1:-sqlite}
RATE=${RATE:-500}
SECS=${SECS:-10}
CONC=${CONC:-10}
BIN=${BIN:-target/release/tripgen}
OSM=${OSM:-data/osm}
command -v hey >/dev/null || { echo "install hey: apt-get install -y hey" >&2; exit 2; }
[ -x "$BIN" ] || cargo build -p tripgen --release

DATA=$(mktemp -d /tmp/tripgen-tripbench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export TRIPGEN_RATE_LIMIT__ENABLED=false TRIPGEN_LOG__LEVEL=warn TRIPGEN_LOCATION__SEED_DIRS="[]"
if [ "$BACKEND" = postgres ]; then
  : "${TRIPGEN_TEST_PG_URL:?set TRIPGEN_TEST_PG_URL}"
  SCHEMA="tripbench_$(date +%s)"
  psql -qX "$TRIPGEN_TEST_PG_URL" -c "CREATE SCHEMA $SCHEMA" >/dev/null
  export TRIPGEN_DATABASE__URL="${TRIPGEN_TEST_PG_URL}?options=-c%20search_path%3D${SCHEMA},public"
  export TRIPGEN_AUTH__JWT_SECRET=bench-secret-0123456789abcdef0123456789abcdef
  export TRIPGEN_SECURITY__FIELD_ENCRYPTION_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
fi
BASE="http://127.0.0.1:$PORT"
"$BIN" import osm --data-dir "$DATA" "$OSM/city-extracts-2020/munchen.osm.pbf" \
  "$OSM"/munich-overpass-2025/*.json >/dev/null 2>&1
"$BIN" serve --listen "127.0.0.1:$PORT" --data-dir "$DATA" >"$DATA/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
until curl -fs "$BASE/health/ready" >/dev/null 2>&1; do sleep 0.05; done

# A user with 200 trips (every fourth with a destination), one of them generated.
TOKEN=$(BASE=$BASE python3 - <<'PY'
import json, os, urllib.request
base = os.environ["BASE"]
def call(method, path, body=None, token=None):
    req = urllib.request.Request(base + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")
call("POST", "/api/v1/users/register", {"name": "Bench User", "email": "trips@example.com",
     "phone": "010-1234-5678", "username": "trips001", "password": "Bench2026!",
     "passwordConfirm": "Bench2026!", "termsAccepted": True})
tok = call("POST", "/api/v1/users/login", {"username": "trips001", "password": "Bench2026!"})["accessToken"]
member = {"name": "Jonas", "age": 36, "gender": "male", "healthStatus": "excellent",
          "preferences": ["sightseeing", "culture", "shopping"]}
for i in range(200):
    t = call("POST", "/api/v1/trips", {"tripName": f"Trip {i}", "transportMode": "public",
             "members": [member]}, tok)
    if i % 4 == 0:
        call("PUT", f"/api/v1/trips/{t['id']}/destinations/batch", {"startDate": "2027-06-07",
             "destinations": [{"destinationName": "Munich", "nights": 6}]}, tok)
print(tok)
PY
)
TRIP=$(BASE=$BASE TOKEN=$TOKEN python3 - <<'PY'
import json, os, time, urllib.request
base, tok = os.environ["BASE"], os.environ["TOKEN"]
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"content-type": "application/json", "authorization": f"Bearer {tok}"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")
member = {"name": "Mina", "age": 30, "gender": "female", "healthStatus": "excellent",
          "preferences": ["sightseeing", "culture", "shopping", "nature"]}
t = call("POST", "/api/v1/trips", {"tripName": "Munich week", "transportMode": "public", "members": [member]})
call("PUT", f"/api/v1/trips/{t['id']}/destinations/batch", {"startDate": "2027-06-07",
     "destinations": [{"destinationName": "Munich", "nights": 6, "accommodation": "Bayerischer Hof"}]})
g = call("POST", f"/api/v1/trips/{t['id']}/schedules/generate",
         {"startTime": "08:00", "specialRequests": "Fast pace, as many sights as possible."})
while True:
    s = call("GET", f"/api/v1/trips/{t['id']}/schedules/generate/{g['requestId']}")
    if s["status"] in ("completed", "failed", "cancelled"):
        break
    time.sleep(0.2)
days = call("GET", f"/api/v1/trips/{t['id']}/schedules")["days"]
stops = [len([x for x in d["stops"] if x.get("kind", "visit") == "visit"]) for d in days]
import sys
print(f"generation {s['status']}: {len(days)} days, visits per day {stops}", file=sys.stderr)
print(t["id"])
PY
)
per_worker=$(( RATE / CONC ))
run() { # name url [extra hey args]
  local name=$1 url=$2; shift 2
  hey -z "${SECS}s" -c "$CONC" -q "$per_worker" "$@" "$url" > "$DATA/$name.txt"
  local rps p50 p99 codes
  rps=$(awk '/Requests\/sec/ {print $2}' "$DATA/$name.txt")
  p50=$(awk '/ 50% in/ {print $3}' "$DATA/$name.txt")
  p99=$(awk '/ 99% in/ {print $3}' "$DATA/$name.txt")
  codes=$(sed -n '/Status code distribution/,/^$/p' "$DATA/$name.txt" | tail -n +2 | tr -s ' ' | tr '\n' ' ')
  printf '%-8s %-10s rps=%-9s p50=%-8s p99=%-8s codes:%s\n' "$BACKEND" "$name" "$rps" "${p50}s" "${p99}s" "$codes"
  echo "$p99" > "$DATA/$name.p99"; echo "$rps" > "$DATA/$name.rps"
}
run hello "$BASE/health/live"
run schedules "$BASE/api/v1/trips/$TRIP/schedules" -H "Authorization: Bearer $TOKEN"
run summary "$BASE/api/v1/trips/summary" -H "Authorization: Bearer $TOKEN"
python3 - "$DATA" <<'PY'
import sys, pathlib
d = pathlib.Path(sys.argv[1])
f = lambda n: float((d / n).read_text())
for n in ("schedules", "summary"):
    print(f"{n}/hello: throughput {f(n + '.rps') / f('hello.rps'):.3f}, p99 {f(n + '.p99') / f('hello.p99'):.2f}x")
PY
