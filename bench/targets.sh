#!/usr/bin/env bash
# Per-target start-to-ready time and idle RSS of the release binary (issue 9): the five
# targets started one after the other as separate processes sharing one store, as the
# Kubernetes manifests run them (location first, as the others call it), then `all`.
# Usage: bench/targets.sh [sqlite|postgres]   (postgres needs TRIPGEN_TEST_PG_URL)
set -euo pipefail
# Offline and reproducible: no calls to the real Open-Meteo (the default weather provider).
export TRIPGEN_LOCATION__WEATHER__PROVIDER=${TRIPGEN_LOCATION__WEATHER__PROVIDER:-none}
cd "$(dirname "$0")/.."
BACKEND=${1:-sqlite}
BIN=${BIN:-target/release/tripgen}
[ -x "$BIN" ] || cargo build -p tripgen --release
DATA=$(mktemp -d /tmp/tripgen-targets.XXXXXX)
export TRIPGEN_LOG__LEVEL=warn TRIPGEN_LOCATION__SEED_DIRS="[]"
if [ "$BACKEND" = postgres ]; then
  : "${TRIPGEN_TEST_PG_URL:?set TRIPGEN_TEST_PG_URL}"
  SCHEMA="targets_$(date +%s)"
  psql -qX "$TRIPGEN_TEST_PG_URL" -c "CREATE SCHEMA $SCHEMA" >/dev/null
  export TRIPGEN_DATABASE__URL="${TRIPGEN_TEST_PG_URL}?options=-c%20search_path%3D${SCHEMA},public"
  export TRIPGEN_AUTH__JWT_SECRET=bench-secret-0123456789abcdef0123456789abcdef
  export TRIPGEN_SECURITY__FIELD_ENCRYPTION_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
fi
"$BIN" migrate --data-dir "$DATA" >/dev/null
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$DATA"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
declare -A URL
start() { # target [env assignments…]
  local target=$1; shift
  local port; port=$(free_port)
  local t0; t0=$(date +%s%N)
  env "$@" "$BIN" serve --target "$target" --listen "127.0.0.1:$port" --data-dir "$DATA" \
    >"$DATA/$target.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  until curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do sleep 0.005; done
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  URL[$target]="http://127.0.0.1:$port"
  sleep 2
  printf '%-8s %-9s start_to_ready_ms=%-5s idle_rss_mib=%s\n' "$BACKEND" "$target" "$ms" \
    "$(( $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024 ))"
}
start location
start user
start trip TRIPGEN_GATEWAY__LOCATION_URL="${URL[location]}"
start ai TRIPGEN_GATEWAY__LOCATION_URL="${URL[location]}"
start gateway TRIPGEN_GATEWAY__USER_URL="${URL[user]}" TRIPGEN_GATEWAY__TRIP_URL="${URL[trip]}" \
  TRIPGEN_GATEWAY__AI_URL="${URL[ai]}" TRIPGEN_GATEWAY__LOCATION_URL="${URL[location]}"
start all
echo "binary: $(stat -c %s "$BIN" | awk '{printf "%.1f MiB", $1/1048576}')"
