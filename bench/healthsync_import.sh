#!/usr/bin/env bash
# Benchmark of `healthsync import nhis` (HEALTHSYNC spec §10: 1,000,000 rows ≤ 60 s, ≤ 256 MB).
# Generates a 1,000,000-row file (200,000 persons × 5 years) with the sample generator, imports
# it into a fresh embedded store with the release binary, and prints wall time and peak RSS.
# PostgreSQL: BENCH_PG_URL=postgres://… bench/healthsync_import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
CSV="$TARGET_DIR/nhis_bench_1m.csv"
if [ ! -f "$CSV" ]; then
  python3 scripts/healthsync/gen_nhis_sample.py --seed 20250620 --persons 200000 --out "$CSV"
fi
cargo build -p healthsync --release --quiet
BIN="$TARGET_DIR/release/healthsync"
run() {
  /usr/bin/time -f "wall %e s, peak RSS %M KB" "$BIN" --data-dir "$WORK/data" import nhis "$CSV" --dataset bench --max-bad-rows 0 "$@"
}
if [ -n "${BENCH_PG_URL:-}" ]; then export HEALTHSYNC_DATABASE__URL="$BENCH_PG_URL"; fi
"$BIN" --data-dir "$WORK/data" migrate >/dev/null
echo "first import (all rows inserted):"
run
echo "second import (all rows unchanged):"
run
