# The README's two commands are `make run` and `make test`.
CARGO ?= cargo
# Where cargo puts binaries (honours CARGO_TARGET_DIR).
TARGET_DIR := $(abspath $(or $(CARGO_TARGET_DIR),target))

.PHONY: run run-healthsync test ci lint fmt build release bench-api web web-test healthsync-web-test hours-diff healthsync-sample-check bench-healthsync-import deny schemathesis soak-ci faults

## Run TripGen with the embedded defaults (SQLite in ./data) on http://127.0.0.1:8080
run:
	@[ -f web/dist/index.html ] || (cd web && npm ci --no-audit --no-fund && npm run build) || echo "web app not built (npm unavailable): API only"
	$(CARGO) run -p tripgen -- serve

## Run HealthSync with the embedded defaults (SQLite in ./healthsync-data, bundled NHIS
## sample imported on first start) and the development sign-in (no Google account needed)
## on http://127.0.0.1:8090; the web app is built first when npm exists.
run-healthsync:
	@[ -f web-healthsync/dist/index.html ] || (cd web-healthsync && npm ci --no-audit --no-fund && npm run build) || echo "HealthSync web app not built (npm unavailable): the API still answers on http://127.0.0.1:8090/api/docs"
	$(CARGO) run -p healthsync -- serve --dev-issuer

## The bundled NHIS sample is exactly what its generator writes (CI regenerates and compares).
healthsync-sample-check:
	python3 scripts/healthsync/gen_nhis_sample.py --seed 20250620 --out $(TARGET_DIR)/nhis_sample.regenerated.csv
	cmp $(TARGET_DIR)/nhis_sample.regenerated.csv data/healthsync/nhis_sample.csv

## `healthsync import nhis` of a generated 1,000,000-row file (release build): time and peak memory
bench-healthsync-import:
	bench/healthsync_import.sh

## All tests. PostgreSQL/Redis tests run when TRIPGEN_TEST_PG_URL / TRIPGEN_TEST_REDIS_URL
## are set (scripts/test-services.sh sets them) and say SKIPPED loudly otherwise.
## (Benchmarks are built by lint's clippy --all-targets and run by `cargo bench`.)
test:
	$(CARGO) test --workspace --lib --bins --tests --examples

## HealthSync's crates and what they share (platform, llm): its CI jobs (.github/workflows/healthsync.yml, azure-pipelines.yml)
.PHONY: test-healthsync
test-healthsync:
	$(CARGO) test -p healthsync -p healthsync-user -p healthsync-health -p healthsync-goal -p healthsync-intelligence -p tripgen-platform -p llm --lib --bins --tests

## Opening hours: every distinct value in data/osm evaluated by TripGen and by opening_hours.js
## (the reference) over a year with each country's holidays; fails on any value open in
## TripGen where the reference is not, or an unreviewed disagreement (docs/opening-hours.md).
HOURS_YEAR ?= 2026
## The dump is built with the workspace's features (as `make test` builds everything), so
## no dependency is rebuilt with another feature set.
hours-diff:
	$(CARGO) build -q --workspace --examples
	$(TARGET_DIR)/debug/examples/opening_hours_dump data/osm $(HOURS_YEAR) > $(TARGET_DIR)/opening-hours-ours.jsonl
	cd tools/opening-hours-diff && npm ci --no-audit --no-fund --silent && node check.mjs $(TARGET_DIR)/opening-hours-ours.jsonl --exceptions exceptions.tsv

## What CI runs: lint, cargo deny, Rust tests, schemathesis, the opening-hours differential
## check, then the web apps' unit and browser tests (TripGen's, then HealthSync's).
ci: lint deny test schemathesis healthsync-sample-check hours-diff web-test healthsync-web-test

## Build the web app into web/dist (served by the gateway when present)
web:
	cd web && npm ci --no-audit --no-fund && npm run build

## Web unit tests (vitest) and end-to-end tests in headless Chromium against the real binary.
## `make test` already leaves target/debug/tripgen (built for the integration tests). When that
## binary is missing or older than a source, it is rebuilt through the `api` test targets with
## `--workspace`, the feature set `make test` uses: `cargo build -p tripgen` would resolve
## dependency features differently and rebuild ~35 crates (7 min in CI).
TRIPGEN_DEBUG_BIN := $(TARGET_DIR)/debug/tripgen
web-test:
	@if [ ! -x $(TRIPGEN_DEBUG_BIN) ] || [ -n "$$(find crates Cargo.toml Cargo.lock -newer $(TRIPGEN_DEBUG_BIN) -type f -print -quit)" ]; then \
		$(CARGO) test -q --workspace --test api --no-run; fi
	cd web && npm ci --no-audit --no-fund && npm test && TRIPGEN_BIN=$(TRIPGEN_DEBUG_BIN) npm run e2e

## HealthSync web app: unit tests (vitest) and browser tests in headless Chromium (phone and
## desktop) against the real `healthsync` debug binary with the dev issuer and the sample.
HEALTHSYNC_DEBUG_BIN := $(TARGET_DIR)/debug/healthsync
healthsync-web-test:
	@if [ ! -x $(HEALTHSYNC_DEBUG_BIN) ] || [ -n "$$(find crates Cargo.toml Cargo.lock -newer $(HEALTHSYNC_DEBUG_BIN) -type f -print -quit)" ]; then \
		$(CARGO) test -q --workspace --test api --no-run; fi
	cd web-healthsync && npm ci --no-audit --no-fund && npm test && HEALTHSYNC_BIN=$(HEALTHSYNC_DEBUG_BIN) npm run e2e

## Soak for CI (issue 21): 2 minutes of mixed traffic (sign-in, reads, edits, nearby,
## generation, exports) at 300 req/s against the debug binary; fails on any 5xx or RSS
## growth. The full run is `bench/soak.sh` (30 min, release). Not in `ci` (time budget).
soak-ci:
	@if [ ! -x $(TRIPGEN_DEBUG_BIN) ] || [ -n "$$(find crates Cargo.toml Cargo.lock -newer $(TRIPGEN_DEBUG_BIN) -type f -print -quit)" ]; then \
		$(CARGO) test -q --workspace --test api --no-run; fi
	DURATION=120 BIN=$(TRIPGEN_DEBUG_BIN) bench/soak.sh

## Fault injection (issue 21): kill -9 during import, backup and edits, PostgreSQL restarted,
## Redis down, disk full — PASS/FAIL per case with figures (bench/faults.sh; needs root).
faults:
	@if [ ! -x $(TRIPGEN_DEBUG_BIN) ] || [ -n "$$(find crates Cargo.toml Cargo.lock -newer $(TRIPGEN_DEBUG_BIN) -type f -print -quit)" ]; then \
		$(CARGO) test -q --workspace --test api --no-run; fi
	BIN=$(TRIPGEN_DEBUG_BIN) bench/faults.sh

## cargo deny against deny.toml: licences, bans, sources; advisories where the RustSec
## database can be fetched (scripts/deny.sh).
deny:
	scripts/deny.sh

## schemathesis against both debug binaries (`make test` builds them), bounded: every
## operation, all checks, 0 failures (docs/reliability.md). Larger runs: bench/schemathesis.sh.
SCHEMATHESIS_EXAMPLES ?= 10
SCHEMATHESIS_SECONDS ?= 120
schemathesis:
	MAX_EXAMPLES=$(SCHEMATHESIS_EXAMPLES) MAX_TIME=$(SCHEMATHESIS_SECONDS) bench/schemathesis.sh tripgen
	MAX_EXAMPLES=$(SCHEMATHESIS_EXAMPLES) MAX_TIME=$(SCHEMATHESIS_SECONDS) bench/schemathesis.sh healthsync

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

build:
	$(CARGO) build -p tripgen

release:
	$(CARGO) build -p tripgen --release

## API micro-benchmarks (see bench/README.md)
bench-api: release
	bench/api.sh
