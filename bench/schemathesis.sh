#!/usr/bin/env bash
# Property-based API testing of the real binary with schemathesis (issue 21, item 6):
# every operation of the OpenAPI document, generated valid and invalid inputs, all
# checks except those noted below, signed in as a fresh user. Exits non-zero on any
# failure (a 5xx, a response that does not match the document, …).
#
# Usage: bench/schemathesis.sh [tripgen|healthsync]
#   MAX_EXAMPLES=N    examples per operation and phase (default 25; CI uses a small budget)
#   MAX_TIME=S        time budget of the whole run in seconds (default none)
#   BIN=path          the binary (default target/debug/<product>)
#   ST=path           the schemathesis command (default: a venv in target/ made on first use)
# Traffic goes to 127.0.0.1 only; the run is bounded by MAX_EXAMPLES/MAX_TIME.
set -euo pipefail
cd "$(dirname "$0")/.."
PRODUCT=${1:-tripgen}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
BIN=${BIN:-$TARGET_DIR/debug/$PRODUCT}
MAX_EXAMPLES=${MAX_EXAMPLES:-25}
ST=${ST:-}
# Pinned: a new release adds checks and changes generation; upgrade on purpose.
ST_VERSION=4.32.5
if [ -z "$ST" ]; then
  VENV="$TARGET_DIR/schemathesis-venv"
  if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$ST_VERSION"; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "schemathesis==$ST_VERSION"
  fi
  ST="$VENV/bin/schemathesis"
fi
[ -x "$BIN" ] || { echo "no binary at $BIN (cargo test --workspace --test api --no-run builds it)"; exit 2; }

DATA=$(mktemp -d /tmp/schemathesis.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
PID=
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$DATA"
}
trap cleanup EXIT

case "$PRODUCT" in
  tripgen)
    export TRIPGEN_RATE_LIMIT__ENABLED=false TRIPGEN_LOG__LEVEL=warn TRIPGEN_LOCATION__SEED_DIRS="[]" \
      TRIPGEN_LOCATION__WEATHER__PROVIDER=none
    "$BIN" serve --listen "127.0.0.1:$PORT" --data-dir "$DATA" >"$DATA/server.log" 2>&1 &
    PID=$!
    ;;
  healthsync)
    export HEALTHSYNC_RATE_LIMIT__ENABLED=false HEALTHSYNC_LOG__LEVEL=warn
    "$BIN" serve --listen "127.0.0.1:$PORT" --data-dir "$DATA" --dev-issuer >"$DATA/server.log" 2>&1 &
    PID=$!
    ;;
  *) echo "unknown product $PRODUCT"; exit 2 ;;
esac
for _ in $(seq 1 600); do curl -fs "$BASE/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "$BASE/health/ready" >/dev/null || { echo "server did not start:"; cat "$DATA/server.log"; exit 1; }
# Signed in by bench/schemathesis_hooks.py: a fresh user, again after any 401.
export ST_BASE="$BASE" ST_PRODUCT="$PRODUCT" SCHEMATHESIS_HOOKS=schemathesis_hooks
export PYTHONPATH="$PWD/bench${PYTHONPATH:+:$PYTHONPATH}"

ARGS=(run "$BASE/api/openapi.json" --url "$BASE"
  --checks all
  # positive_data_acceptance needs every business rule (a trip's dates against its
  # destinations, a member count per trip …) in the schema; rules are enforced and
  # documented as 422 instead. object_level_authorization needs two users' ids, which the
  # IDOR matrix covers (docs/reliability.md).
  --exclude-checks positive_data_acceptance,object_level_authorization
  --max-examples "$MAX_EXAMPLES" --seed 1 --workers 1 --request-timeout 30
  --suppress-health-check all --no-color)
[ -n "${MAX_TIME:-}" ] && ARGS+=(--max-time "$MAX_TIME")
echo "== schemathesis: $PRODUCT at $BASE, $MAX_EXAMPLES examples per operation"
"$ST" "${ARGS[@]}"
