#!/usr/bin/env bash
# Hot reads at saturation (issue 29): how close the authenticated reads come to the bare
# endpoint of the same binary, measured side by side in one run, as browsers ask (gzip).
#   - GET /health/live                         (bare: middleware only, no I/O)
#   - GET /api/v1/users/profile                (token + deny-list + profile)
#   - GET /api/v1/trips/{id}/schedules         (a generated 4-day Munich trip), gzip
#   - the same without gzip, and revalidated with If-None-Match (304) when an ETag is sent
# Each row: requests/s, p50, p99 and the ratio to the bare endpoint; idle RSS before the
# load and after it (settled). Saturation: `hey -c $CONC -z ${SECS}s`, no rate cap.
# Usage: BIN=target/debug/tripgen bench/hot-reads.sh [sqlite|postgres]
#        (postgres needs TRIPGEN_TEST_PG_URL; Redis is used when TRIPGEN_TEST_REDIS_URL is set)
# Needs: hey (Debian package `hey`), curl, python3, data/osm. BIN, SECS, CONC.
set -euo pipefail
export TRIPGEN_LOCATION__WEATHER__PROVIDER=${TRIPGEN_LOCATION__WEATHER__PROVIDER:-none}
cd "$(dirname "$0")/.."
BACKEND=${1:-sqlite}
SECS=${SECS:-10}
CONC=${CONC:-32}
BIN=${BIN:-target/release/tripgen}
OSM=${OSM:-data/osm}
if ! command -v hey >/dev/null; then
  echo "hot-reads: 'hey' is missing — install it: apt-get install -y hey" >&2
  exit 2
fi
[ -x "$BIN" ] || { echo "hot-reads: no binary at BIN=$BIN (cargo build --workspace --bins [--release])" >&2; exit 2; }

DATA=$(mktemp -d /tmp/tripgen-hotreads.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export TRIPGEN_RATE_LIMIT__ENABLED=false TRIPGEN_LOG__LEVEL=warn TRIPGEN_LOCATION__SEED_DIRS="[]"
if [ "$BACKEND" = postgres ]; then
  : "${TRIPGEN_TEST_PG_URL:?set TRIPGEN_TEST_PG_URL}"
  SCHEMA="hotreads_$(date +%s)"
  psql -qX "$TRIPGEN_TEST_PG_URL" -c "CREATE SCHEMA $SCHEMA" >/dev/null
  export TRIPGEN_DATABASE__URL="${TRIPGEN_TEST_PG_URL}?options=-c%20search_path%3D${SCHEMA},public"
  export TRIPGEN_AUTH__JWT_SECRET=bench-secret-0123456789abcdef0123456789abcdef
  export TRIPGEN_SECURITY__FIELD_ENCRYPTION_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
  [ -n "${TRIPGEN_TEST_REDIS_URL:-}" ] && export TRIPGEN_REDIS__URL="$TRIPGEN_TEST_REDIS_URL"
fi
BASE="http://127.0.0.1:$PORT"
echo "hot-reads: importing the Munich catalogue into $DATA …" >&2
"$BIN" import osm --data-dir "$DATA" "$OSM/city-extracts-2020/munchen.osm.pbf" \
  "$OSM"/munich-overpass-2025/*.json >/dev/null 2>&1
"$BIN" serve --listen "127.0.0.1:$PORT" --data-dir "$DATA" >"$DATA/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
until curl -fs "$BASE/health/ready" >/dev/null 2>&1; do sleep 0.05; done
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$PID/status"; }

echo "hot-reads: signing up and generating a 4-day trip …" >&2
read -r TOKEN TRIP < <(BASE=$BASE python3 - <<'PY'
import json, os, sys, time, urllib.request
base = os.environ["BASE"]
def call(method, path, body=None, token=None):
    req = urllib.request.Request(base + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(req) as r:
            return json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        sys.exit(f"hot-reads: {method} {path} → {e.code} {e.read().decode()}")
call("POST", "/api/v1/users/register", {"name": "Hot Reads", "email": "hot@example.com",
     "phone": "010-1234-5678", "username": "hotreads1", "password": "Bench2026!",
     "passwordConfirm": "Bench2026!", "termsAccepted": True})
tok = call("POST", "/api/v1/users/login", {"username": "hotreads1", "password": "Bench2026!"})["accessToken"]
member = {"name": "Mina", "age": 30, "gender": "female", "healthStatus": "excellent",
          "preferences": ["sightseeing", "culture", "shopping", "nature"]}
t = call("POST", "/api/v1/trips", {"tripName": "Munich 4 days", "transportMode": "public",
         "members": [member]}, tok)
call("PUT", f"/api/v1/trips/{t['id']}/destinations/batch", {"startDate": "2027-06-07",
     "destinations": [{"destinationName": "Munich", "nights": 3, "accommodation": "Bayerischer Hof"}]}, tok)
g = call("POST", f"/api/v1/trips/{t['id']}/schedules/generate", {"startTime": "08:00"}, tok)
while True:
    s = call("GET", f"/api/v1/trips/{t['id']}/schedules/generate/{g['requestId']}", None, tok)
    if s["status"] in ("completed", "failed", "cancelled"):
        break
    time.sleep(0.2)
days = call("GET", f"/api/v1/trips/{t['id']}/schedules", None, tok)["days"]
print(f"hot-reads: generation {s['status']}: {len(days)} days, "
      f"{sum(len(d['stops']) for d in days)} stops", file=sys.stderr)
print(tok, t["id"])
PY
)
AUTH="Authorization: Bearer $TOKEN"
SCHED="$BASE/api/v1/trips/$TRIP/schedules"
sleep 2
RSS_IDLE=$(rss)
BODY=$(curl -fs -H "$AUTH" "$SCHED" | wc -c)
GZ=$(curl -fs -H "$AUTH" -H 'Accept-Encoding: gzip' "$SCHED" | wc -c)
ETAG=$(curl -fsI -H "$AUTH" "$SCHED" | awk 'tolower($1)=="etag:" {sub(/\r$/,""); print $2}')

run() { # name url [extra hey args]
  local name=$1 url=$2; shift 2
  hey -z "${SECS}s" -c "$CONC" "$@" "$url" > "$DATA/$name.txt"
  local codes
  codes=$(sed -n '/Status code distribution/,/^$/p' "$DATA/$name.txt" | tail -n +2 | tr -s ' \t' '  ' | tr '\n' ' ')
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" \
    "$(awk '/Requests\/sec/ {print $2}' "$DATA/$name.txt")" \
    "$(awk '/ 50% in/ {print $3}' "$DATA/$name.txt")" \
    "$(awk '/ 99% in/ {print $3}' "$DATA/$name.txt")" "$codes" >> "$DATA/rows.tsv"
}
GZIP_H="Accept-Encoding: gzip"; echo "$PID $TOKEN $TRIP $PORT" > /tmp/hr-prof.env; perf record -F 999 -g -p $PID -o /tmp/hr-perf-$WHICH.data -- sleep 8 & sleep 0.5
echo "hot-reads: $CONC connections × ${SECS}s per row …" >&2
true
[ "$WHICH" = profile ] && run profile "$BASE/api/v1/users/profile" -H "$AUTH" -H "$GZIP_H"
[ "$WHICH" = schedule ] && run schedule-gzip "$SCHED" -H "$AUTH" -H "$GZIP_H"; wait
true
true
sleep 3
RSS_AFTER=$(rss)

echo "backend=$BACKEND bin=$BIN conc=$CONC secs=$SECS schedule body ${BODY} B (${GZ} B gzip) etag=${ETAG:-none}"
python3 - "$DATA/rows.tsv" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
bare = float(rows[0][1])
print(f"{'read':<18} {'rps':>9} {'p50 ms':>8} {'p99 ms':>8} {'/bare':>7}  status codes")
for name, rps, p50, p99, codes in rows:
    print(f"{name:<18} {float(rps):>9.0f} {float(p50)*1000:>8.2f} {float(p99)*1000:>8.2f} "
          f"{float(rps)/bare:>7.3f}  {codes.strip()}")
PY
echo "idle RSS: ${RSS_IDLE} MiB before the load, ${RSS_AFTER} MiB after it (+$(( RSS_AFTER - RSS_IDLE )) MiB)"
