# Every target bootstraps .venv (plain venv + pip) when it is missing or pyproject.toml changed.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: run webhook migrate test bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	@echo "Installing the dependencies into $(VENV) (the first time takes a few minutes)..."
	set -o pipefail; $(BIN)/pip install -e . | awk '/^(Collecting|Successfully)/ {print; fflush()}'
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	@echo "Installing the dependencies and test tools into $(VENV) (the first time takes a few minutes)..."
	set -o pipefail; $(BIN)/pip install -e '.[dev]' | awk '/^(Collecting|Successfully)/ {print; fflush()}'
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime  ## Run the bot (no BOT_TOKEN: against the local sandbox, printing the playground URL)
	$(BIN)/client-area-bot run

webhook: $(VENV)/.runtime  ## Run the webhook server
	$(BIN)/client-area-bot webhook

migrate: $(VENV)/.runtime  ## Upgrade the database and exit
	$(BIN)/client-area-bot migrate

test: $(VENV)/.dev  ## The whole test suite (SQLite; TEST_DATABASE_URL / TEST_REDIS_URL for PostgreSQL / Redis)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.dev  ## Benchmarks (JSON on stdout, a summary line each on stderr)
	$(BIN)/python -m bench.updates
	$(BIN)/python -m bench.checkout
	$(BIN)/python -m bench.delivery
	$(BIN)/python -m bench.notify
	$(BIN)/python -m bench.screens --customers $${BENCH_SCREENS_CUSTOMERS:-100000} \
	  $${BENCH_DATABASE_URL:+--database-url "$$BENCH_DATABASE_URL"} $${BENCH_REDIS_URL:+--redis-url "$$BENCH_REDIS_URL"}
	@if [ -n "$$BENCH_DATABASE_URL" ] && [ -n "$$BENCH_REDIS_URL" ]; then \
	  $(BIN)/python -m bench.scaleout --database-url "$$BENCH_DATABASE_URL" --redis-url "$$BENCH_REDIS_URL"; \
	else echo "bench.scaleout skipped: set BENCH_DATABASE_URL (PostgreSQL, wiped) and BENCH_REDIS_URL" >&2; fi

lint: $(VENV)/.dev  ## ruff + import-linter + mypy
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy bot handlers domain

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
