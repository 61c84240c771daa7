# The README's two commands are `make run` and `make test`.
CARGO ?= cargo

.PHONY: run test ci lint fmt build release bench-api

## Run TripGen with the embedded defaults (SQLite in ./data) on http://127.0.0.1:8080
run:
	$(CARGO) run -p tripgen -- serve

## All tests. PostgreSQL/Redis tests run when TRIPGEN_TEST_PG_URL / TRIPGEN_TEST_REDIS_URL
## are set (scripts/test-services.sh sets them) and say SKIPPED loudly otherwise.
test:
	$(CARGO) test --workspace --all-targets

## What CI runs: lint, then tests.
ci: lint test

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
