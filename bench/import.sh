#!/usr/bin/env bash
# Import time of the bundled Munich extract (data/osm/city-extracts-2020/munchen.osm.pbf
# plus the Munich GeoJSON layers) into an empty SQLite catalogue, and what the progress
# display costs: RUNS alternating runs each with TRIPGEN_PROGRESS=off, =lines and =bar
# (the bar drawn on a pseudo-terminal from `script`), median wall time of each and the
# ratio to `off`. Targets: ≤ 5 s; progress ≤ +2 %.
# Usage: bench/import.sh            (BIN=… to use another binary, RUNS=… default 7)
# Needs: python3, util-linux `script`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/tripgen}
RUNS=${RUNS:-7}
[ -x "$BIN" ] || cargo build -p tripgen --release
FILES=(data/osm/city-extracts-2020/munchen.osm.pbf data/osm/munich-overpass-2025)
WORK=$(mktemp -d /tmp/tripgen-import-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export TRIPGEN_LOG__LEVEL=warn

one() { # mode → seconds of one import into a fresh data dir
  local mode=$1 dir="$WORK/$mode-$RANDOM" t0 t1
  # The database and its migrations exist before the clock starts: only the import is timed.
  "$BIN" migrate --data-dir "$dir" >/dev/null
  t0=$(date +%s.%N)
  if [ "$mode" = bar ]; then
    TRIPGEN_PROGRESS=bar script -qec "$BIN import osm --data-dir $dir ${FILES[*]}" /dev/null >/dev/null
  else
    TRIPGEN_PROGRESS=$mode "$BIN" import osm --data-dir "$dir" "${FILES[@]}" >/dev/null 2>&1
  fi
  t1=$(date +%s.%N)
  rm -rf "$dir"
  python3 -c "print(f'{$t1 - $t0:.3f}')"
}

declare -A TIMES=([off]="" [lines]="" [bar]="")
for i in $(seq "$RUNS"); do
  for mode in off lines bar; do
    TIMES[$mode]+="$(one "$mode") "
  done
done
python3 - "${TIMES[off]}" "${TIMES[lines]}" "${TIMES[bar]}" "$RUNS" <<'PY'
import statistics, sys
off, lines, bar = ([float(x) for x in s.split()] for s in sys.argv[1:4])
m = {k: statistics.median(v) for k, v in (("off", off), ("lines", lines), ("bar", bar))}
print(f"Munich import (munchen.osm.pbf + 5 GeoJSON layers), median of {sys.argv[4]} runs:")
for k in ("off", "lines", "bar"):
    print(f"  progress {k:5}: {m[k]:.2f} s  (ratio to off {m[k] / m['off']:.3f})")
PY
