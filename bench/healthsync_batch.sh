#!/usr/bin/env bash
# Benchmark of the daily nudge (HEALTHSYNC spec §10: 100,000 users with active goals ≤ 2 min).
# Generates N users (default 100,000), each with a 3-mission goal and a varied 7-day history,
# in a fresh embedded store, then times one `batch` run with the release binary and prints
# the run report (candidates, lagging, notified, skipped) as JSON.
# PostgreSQL: BENCH_PG_URL=postgres://… bench/healthsync_batch.sh (a fresh schema, dropped
# afterwards). Debug build: PROFILE=debug bench/healthsync_batch.sh. OVER_HTTP=1: the batch
# reads goals and recipients like the split `batch` target, over HTTP from the `user` and
# `goal` targets (served by the bench process), 1,000 users a page.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
PROFILE="${PROFILE:-release}"
USERS="${USERS:-100000}"
WORK="$(mktemp -d)"
SCHEMA=""
cleanup() {
  rm -rf "$WORK"
  if [ -n "$SCHEMA" ]; then psql -qX "$BENCH_PG_URL" -c "DROP SCHEMA $SCHEMA CASCADE" >/dev/null || true; fi
}
trap cleanup EXIT
if [ -z "${SKIP_BUILD:-}" ]; then
  if [ "$PROFILE" = release ]; then cargo build -p healthsync --release --quiet; else cargo build -p healthsync --quiet; fi
fi
BIN="$TARGET_DIR/$PROFILE/healthsync"
if [ -n "${BENCH_PG_URL:-}" ]; then
  SCHEMA="bench_hsb_$(date +%s)"
  psql -qX "$BENCH_PG_URL" -c "CREATE SCHEMA $SCHEMA" >/dev/null
  SEP='?'; case "$BENCH_PG_URL" in *\?*) SEP='&';; esac
  export HEALTHSYNC_DATABASE__URL="${BENCH_PG_URL}${SEP}options=-c%20search_path%3D${SCHEMA},public"
  export HEALTHSYNC_AUTH__JWT_SECRET=bench-secret-0123456789abcdef0123456789abcdef
  export HEALTHSYNC_SECURITY__FIELD_ENCRYPTION_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
fi
"$BIN" --data-dir "$WORK/data" batch bench --users "$USERS" ${OVER_HTTP:+--over-http}
