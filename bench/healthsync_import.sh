#!/usr/bin/env bash
# Benchmark of `healthsync import nhis` (HEALTHSYNC spec §10: 1,000,000 rows ≤ 60 s, ≤ 256 MB).
# Generates a 1,000,000-row file (200,000 persons × 5 years) with the sample generator, imports
# it into a fresh embedded store with the release binary, and prints wall time and peak RSS.
# PostgreSQL: BENCH_PG_URL=postgres://… bench/healthsync_import.sh (imports into a fresh
# schema of that database, dropped afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
WORK="$(mktemp -d)"
SCHEMA=""
cleanup() {
  rm -rf "$WORK"
  if [ -n "$SCHEMA" ]; then psql -qX "$BENCH_PG_URL" -c "DROP SCHEMA $SCHEMA CASCADE" >/dev/null || true; fi
}
trap cleanup EXIT
CSV="$TARGET_DIR/nhis_bench_1m.csv"
if [ ! -f "$CSV" ]; then
  python3 scripts/healthsync/gen_nhis_sample.py --seed 20250620 --persons 200000 --out "$CSV"
fi
[ -n "${SKIP_BUILD:-}" ] || cargo build -p healthsync --release --quiet
BIN="$TARGET_DIR/release/healthsync"
run() {
  /usr/bin/time -f "wall %e s, peak RSS %M KB" "$BIN" --data-dir "$WORK/data" import nhis "$CSV" --dataset bench --max-bad-rows 0 "$@"
}
if [ -n "${BENCH_PG_URL:-}" ]; then
  SCHEMA="bench_hs_$(date +%s)"
  psql -qX "$BENCH_PG_URL" -c "CREATE SCHEMA $SCHEMA" >/dev/null
  SEP='?'; case "$BENCH_PG_URL" in *\?*) SEP='&';; esac
  export HEALTHSYNC_DATABASE__URL="${BENCH_PG_URL}${SEP}options=-c%20search_path%3D${SCHEMA},public"
  # Replicas need shared keys on PostgreSQL; a bench run brings its own.
  export HEALTHSYNC_AUTH__JWT_SECRET=bench-secret-0123456789abcdef0123456789abcdef
  export HEALTHSYNC_SECURITY__FIELD_ENCRYPTION_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
fi
"$BIN" --data-dir "$WORK/data" migrate >/dev/null
echo "first import (all rows inserted):"
run
echo "second import (all rows unchanged):"
run
