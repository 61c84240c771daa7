#!/usr/bin/env bash
# Import time of the bundled Munich extract (data/osm/city-extracts-2020/munchen.osm.pbf
# plus the Munich GeoJSON layers) into an empty SQLite catalogue, and what the progress
# display costs: RUNS rounds, each importing once with TRIPGEN_PROGRESS=off, =lines and =bar
# (the bar drawn on a pseudo-terminal from `script`). Reports the median wall time and the
# median CPU time (user + system: steadier on a busy machine) of each, and the ratios to
# `off`. Targets: ≤ 5 s; progress ≤ +2 %.
# Usage: bench/import.sh            (BIN=… to use another binary, RUNS=… default 7)
# Needs: python3, util-linux `script`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/tripgen}
RUNS=${RUNS:-7}
[ -x "$BIN" ] || cargo build -p tripgen --release
WORK=$(mktemp -d /tmp/tripgen-import-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export TRIPGEN_LOG__LEVEL=warn
python3 - "$BIN" "$RUNS" "$WORK" <<'PY'
import os, resource, shlex, statistics, subprocess, sys, time
bin_, runs, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
files = ["data/osm/city-extracts-2020/munchen.osm.pbf", "data/osm/munich-overpass-2025"]
def one(mode, n):
    d = os.path.join(work, f"{mode}-{n}")
    # Database and migrations exist before the clock starts: only the import is timed.
    subprocess.run([bin_, "migrate", "--data-dir", d], check=True, capture_output=True)
    cmd = [bin_, "import", "osm", "--data-dir", d, *files]
    env = dict(os.environ, TRIPGEN_PROGRESS=mode)
    if mode == "bar":
        cmd = ["script", "-qec", shlex.join(cmd), "/dev/null"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    subprocess.run(["rm", "-rf", d], check=True)
    return wall, cpu
res = {m: [] for m in ("off", "lines", "bar")}
for n in range(runs):
    for m in res:
        res[m].append(one(m, n))
med = {m: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for m, v in res.items()}
print(f"Munich import (munchen.osm.pbf + 5 GeoJSON layers, {bin_}), median of {runs} runs:")
for m, (w, c) in med.items():
    print(f"  progress {m:5}: wall {w:.2f} s (×{w / med['off'][0]:.3f})  cpu {c:.2f} s (×{c / med['off'][1]:.3f})")
PY
