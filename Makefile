# `make run` and `make test` set everything up on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The CPU build of torch: the local embedding model needs nothing more, and an unpinned torch
# can resolve to a multi-gigabyte GPU build.
TORCH ?= torch==2.13.0

.PHONY: run test lint typecheck unit coverage integration e2e bench soak clean

# The library alone is `pip install zava`; `make` installs the server, both embedding providers
# and the tools, so `make run` and `make test` work on a fresh machine.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH)"
	$(BIN)/python -m pip install --quiet -e ".[server,local-embeddings,openai,otel,dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/zava run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check zava_core zava_mcp_adapter
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

unit: $(STAMP)
	$(BIN)/pytest tests/unit

coverage: $(STAMP)
	$(BIN)/pytest tests/unit --cov --cov-report=term

integration: $(STAMP)
	$(BIN)/pytest tests/integration

e2e: $(STAMP)
	$(BIN)/pytest tests/e2e

# Isolation under load at full size (`make test` runs the same suite smaller).
soak: $(STAMP)
	ZAVA_SOAK_CALLS=10000 ZAVA_SOAK_CLIENTS=32 $(BIN)/pytest tests/e2e/test_soak.py tests/e2e/test_restart_under_load.py -s -q

bench: $(STAMP)
	$(BIN)/python bench/seed_default.py
	$(BIN)/python bench/query_path.py
	$(BIN)/python bench/search_hnsw.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
