# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

# Serve the bundled example site on 127.0.0.1, crawl and analyze it, check both against its truth.
demo: $(STAMP)
	mkdir -p demo-out
	rm -f demo-out/demo.duckdb demo-out/demo.duckdb.wal
	$(BIN)/linkequity demo --project demo-out/demo.duckdb
	$(BIN)/linkequity export pages --project demo-out/demo.duckdb -o demo-out/pages.csv
	$(BIN)/linkequity export links --project demo-out/demo.duckdb -f parquet -o demo-out/links.parquet
	$(BIN)/linkequity export page_scores --project demo-out/demo.duckdb -o demo-out/page_scores.csv

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src

# Benchmarks against peers measured in the same run (installs the peers and nginx).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	command -v nginx >/dev/null || (apt-get update -qq && apt-get install -y -qq nginx-light)
	$(BIN)/python benchmarks/crawl.py

clean:
	rm -rf $(VENV) demo-out bench-out .pytest_cache .mypy_cache .ruff_cache
