# DiunDashboard developer tasks. `make help` lists them.
#
# Every cargo command builds with --workspace, so that all of them agree on the
# features of shared dependencies; `-p diun-server` alone would select other
# features and rebuild much of the dependency tree (slow on 2 cores).

CARGO ?= cargo
NPM ?= npm
PORT ?= 8080
DB_PATH ?= ./diun.db
IMAGE ?= diun-dashboard
# Property-test cases per property for `make fuzz` (`cargo test` runs 256).
FUZZ_CASES ?= 200000

FRONTEND := frontend
# Written by `npm ci`; its date tells whether node_modules is older than the manifests.
NODE_STAMP := $(FRONTEND)/node_modules/.package-lock.json
SERVER_DEBUG := target/debug/diun-server
SERVER_RELEASE := target/release/diun-server

.DEFAULT_GOAL := help
# The steps of `test` must run in the listed order (e.g. the front end is built
# before the Rust tests, which serve frontend/dist).
.NOTPARALLEL:
.PHONY: help run test lint e2e openapi bench docker clean distclean \
	node-deps fmt-check clippy frontend-check frontend-build rust-test build-debug \
	build-release reliability schemathesis fuzz

help:
	@echo "make run       build everything (release) and run the server on PORT=$(PORT), DB_PATH=$(DB_PATH)"
	@echo "make test      everything CI checks: fmt, lint, clippy, front-end checks, Rust tests"
	@echo "               (SQLite and a throwaway PostgreSQL), reliability, schemathesis, browser tests"
	@echo "make lint      hadolint, actionlint, compose schema, shellcheck, lockfile and host-name checks"
	@echo "make reliability  release server: SIGKILL crash rounds, 60 s mixed soak (DIUN_SOAK_SECONDS),"
	@echo "               SIGTERM under load, hostile bodies"
	@echo "make schemathesis  generated requests against the release server's spec (scripts/schemathesis.sh)"
	@echo "make fuzz      parser property tests with FUZZ_CASES=$(FUZZ_CASES) cases each (release build; minutes)"
	@echo "make e2e       browser tests against the debug server (installs Chromium as root)"
	@echo "make openapi   regenerate openapi.json from the server, then the front end's API types"
	@echo "make bench     release build + our load benchmark (diun-server/benches/load.rs; BENCH_SECONDS,"
	@echo "               BENCH_PRELOAD); scripts/bench.sh --compare adds the side-by-side with the Go reference"
	@echo "make docker    docker build -t $(IMAGE) ."
	@echo "make clean     remove build outputs (distclean: node_modules too)"

# ---- front end ------------------------------------------------------------------
$(NODE_STAMP): $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	cd $(FRONTEND) && $(NPM) ci
	touch $@

node-deps: $(NODE_STAMP)

frontend-check: $(NODE_STAMP)
	cd $(FRONTEND) && $(NPM) run check:api
	cd $(FRONTEND) && $(NPM) run typecheck
	cd $(FRONTEND) && $(NPM) test

frontend-build: $(NODE_STAMP)
	cd $(FRONTEND) && $(NPM) run build

# ---- Rust -----------------------------------------------------------------------
fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# Includes the spec drift test (openapi.json against the server's spec).
rust-test: frontend-build
	scripts/with-postgres.sh $(CARGO) test --workspace

build-debug:
	$(CARGO) build --workspace --bins

build-release:
	$(CARGO) build --release --workspace --bins

# The reliability binary itself builds in debug (what rust-test already built);
# the server it drives is the release build. The slow tests are #[ignore]d in a
# plain `cargo test`; one at a time here, so they do not compete for the 2 cores.
reliability: build-release
	DIUN_SERVER_BIN="$(CURDIR)/$(SERVER_RELEASE)" $(CARGO) test --workspace --test reliability \
		-- --include-ignored --test-threads=1 --nocapture

schemathesis: build-release
	scripts/schemathesis.sh "$(CURDIR)/$(SERVER_RELEASE)"

# Release: proptest's generators are ~15x faster optimised.
fuzz:
	PROPTEST_CASES=$(FUZZ_CASES) $(CARGO) test --workspace --release --test core fuzz:: -- --nocapture

# ---- main targets ---------------------------------------------------------------
run: frontend-build
	$(CARGO) build --release --workspace --bins
	PORT=$(PORT) DB_PATH=$(DB_PATH) FRONTEND_DIR=$(FRONTEND)/dist $(SERVER_RELEASE)

# Lint runs early: it is quick and fails fast. The reliability tests and
# schemathesis follow the Rust tests (they need the release server). The
# browser tests run last, so the output ends with the test runners' summaries.
test: fmt-check lint clippy frontend-check frontend-build rust-test reliability schemathesis e2e

lint:
	scripts/lint.sh

# Chromium is installed with apt-get when missing (as root), else the step
# fails with the install command. The release server: `make test` has built
# it already for the reliability tests.
e2e: frontend-build build-release
	scripts/ensure-chromium.sh
	cd $(FRONTEND) && DIUN_SERVER_BIN="$(CURDIR)/$(SERVER_RELEASE)" $(NPM) run e2e

# Written to a temp file first, so a failing server leaves openapi.json intact.
openapi: $(NODE_STAMP) build-debug
	$(SERVER_DEBUG) openapi > openapi.json.tmp
	mv openapi.json.tmp openapi.json
	cd $(FRONTEND) && $(NPM) run gen:api

# scripts/bench.sh: `cargo build --release --workspace --bins`, then
# `cargo bench --workspace --bench load` on a copy of that binary (building the
# bench re-links target/release/diun-server with dev-dependency features).
bench:
	scripts/bench.sh

docker:
	docker build -t $(IMAGE) .

clean:
	$(CARGO) clean
	rm -rf $(FRONTEND)/dist openapi.json.tmp

distclean: clean
	rm -rf $(FRONTEND)/node_modules
