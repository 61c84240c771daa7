#!/usr/bin/env bash
# Foundation benchmarks of the real binary (release build) on loopback:
#   - cold start to ready (ms), idle RSS (MiB)
#   - GET /api/v1/users/profile vs the bare /health/live of the same binary, at a fixed
#     request rate, in the same run: throughput and p99, and the ratio
#   - POST /api/v1/users/login p50 (argon2id dominates: m=19456 KiB, t=2, p=1)
# Usage: bench/api.sh [sqlite|postgres]   (postgres needs TRIPGEN_TEST_PG_URL)
# Needs: hey (Debian package `hey`), curl. Rates and durations: RATE, SECS, CONC.
set -euo pipefail
# Offline and reproducible: no calls to the real Open-Meteo (the default weather provider).
export TRIPGEN_LOCATION__WEATHER__PROVIDER=${TRIPGEN_LOCATION__WEATHER__PROVIDER:-none}
cd "$(dirname "$0")/.."
BACKEND=${1:-sqlite}
RATE=${RATE:-1000}      # requests per second, total
SECS=${SECS:-10}
CONC=${CONC:-20}
BIN=target/release/tripgen
command -v hey >/dev/null || { echo "install hey: apt-get install -y hey" >&2; exit 2; }
[ -x "$BIN" ] || cargo build -p tripgen --release

DATA=$(mktemp -d /tmp/tripgen-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export TRIPGEN_RATE_LIMIT__ENABLED=false TRIPGEN_LOG__LEVEL=warn
# Cold start without the one-time catalogue import of a first start (measured separately).
export TRIPGEN_LOCATION__SEED_DIRS="[]"
if [ "$BACKEND" = postgres ]; then
  : "${TRIPGEN_TEST_PG_URL:?set TRIPGEN_TEST_PG_URL}"
  SCHEMA="bench_$(date +%s)"
  psql -qX "$TRIPGEN_TEST_PG_URL" -c "CREATE SCHEMA $SCHEMA" >/dev/null
  export TRIPGEN_DATABASE__URL="${TRIPGEN_TEST_PG_URL}?options=-c%20search_path%3D${SCHEMA},public"
  export TRIPGEN_AUTH__JWT_SECRET=bench-secret-0123456789abcdef0123456789abcdef
  export TRIPGEN_SECURITY__FIELD_ENCRYPTION_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
fi
BASE="http://127.0.0.1:$PORT"

start_ns=$(date +%s%N)
"$BIN" serve --listen "127.0.0.1:$PORT" --data-dir "$DATA" >"$DATA/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
until curl -fs "$BASE/health/ready" >/dev/null 2>&1; do sleep 0.005; done
ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
sleep 2
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)

curl -fs -XPOST "$BASE/api/v1/users/register" -H 'content-type: application/json' \
  -d '{"name":"Bench User","email":"bench@example.com","phone":"010-1234-5678","username":"bench001","password":"Bench2026!","passwordConfirm":"Bench2026!","termsAccepted":true}' >/dev/null
TOKEN=$(curl -fs -XPOST "$BASE/api/v1/users/login" -H 'content-type: application/json' \
  -d '{"username":"bench001","password":"Bench2026!"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')

per_worker=$(( RATE / CONC ))
run() { # name url [extra hey args]
  local name=$1 url=$2; shift 2
  hey -z "${SECS}s" -c "$CONC" -q "$per_worker" "$@" "$url" > "$DATA/$name.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$DATA/$name.txt")
  p50=$(awk '/ 50% in/ {print $3}' "$DATA/$name.txt")
  p99=$(awk '/ 99% in/ {print $3}' "$DATA/$name.txt")
  local codes; codes=$(sed -n '/Status code distribution/,/^$/p' "$DATA/$name.txt" | tail -n +2 | tr -s ' ' | tr '\n' ' ')
  printf '%-8s %-24s rps=%-9s p50=%-8s p99=%-8s codes:%s\n' "$BACKEND" "$name" "$rps" "${p50}s" "${p99}s" "$codes"
  echo "$p99" > "$DATA/$name.p99"; echo "$rps" > "$DATA/$name.rps"
}

echo "backend=$BACKEND cold_start_to_ready_ms=$ready_ms idle_rss_mib=$(( rss_kb / 1024 ))"
run hello "$BASE/health/live"
run profile "$BASE/api/v1/users/profile" -H "Authorization: Bearer $TOKEN"
python3 - "$DATA" <<'PY'
import sys, pathlib
d = pathlib.Path(sys.argv[1])
f = lambda n: float((d / n).read_text())
print(f"profile/hello ratio: throughput {f('profile.rps')/f('hello.rps'):.3f}, p99 {f('profile.p99')/f('hello.p99'):.2f}x")
PY
hey -n 60 -c 2 -m POST -T application/json -d '{"username":"bench001","password":"Bench2026!"}' \
  "$BASE/api/v1/users/login" > "$DATA/login.txt"
echo "login p50=$(awk '/ 50% in/ {print $3}' "$DATA/login.txt")s p99=$(awk '/ 99% in/ {print $3}' "$DATA/login.txt")s (argon2id m=19456KiB t=2 p=1, 2 concurrent)"
