# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The exact versions of every package `.[test,dev]` installs, as CI tested them; `make lock`
# writes it. A constraints file: pyproject.toml keeps its ranges for everyone who installs
# linkequity as a library.
LOCK   := requirements.lock

.PHONY: demo test lint bench lock clean

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[test,dev]'
	touch $(STAMP)

# Serve the bundled example site on 127.0.0.1, crawl and analyze it, check both against its truth.
demo: $(STAMP)
	mkdir -p demo-out
	rm -f demo-out/demo.duckdb demo-out/demo.duckdb.wal
	$(BIN)/linkequity demo --project demo-out/demo.duckdb
	$(BIN)/linkequity export pages --project demo-out/demo.duckdb -o demo-out/pages.csv
	$(BIN)/linkequity export links --project demo-out/demo.duckdb -f parquet -o demo-out/links.parquet
	$(BIN)/linkequity export page_scores --project demo-out/demo.duckdb -o demo-out/page_scores.csv
	$(BIN)/linkequity report --project demo-out/demo.duckdb -o demo-out/report.html

# The browser tests drive Debian's chromium (Playwright's own browser download cannot be
# used): installed here when missing and apt can, else those tests skip and say so.
test: $(STAMP)
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null; } \
		|| echo "chromium is not installed (apt-get install chromium): browser tests skip"
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

# Refresh the lock: the newest versions pyproject.toml allows, installed into a throwaway venv.
# Only `name==version` lines are kept; anything else pip freeze prints (a package installed
# from a path or a URL) stops it, as such a line would not install on another machine.
lock:
	set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --quiet --upgrade pip; \
	"$$tmp/venv/bin/python" -m pip install --quiet -e '.[test,dev]'; \
	"$$tmp/venv/bin/python" -m pip freeze --exclude-editable > "$$tmp/freeze"; \
	if grep -Ev '^[A-Za-z0-9][A-Za-z0-9._-]*==[A-Za-z0-9.+!_-]+$$' "$$tmp/freeze"; then \
		echo "make lock: pip freeze printed the lines above, which are not name==version" >&2; \
		exit 1; \
	fi; \
	version=$$("$$tmp/venv/bin/python" -c 'import sys; print(*sys.version_info[:2], sep=".")'); \
	{ echo "# The exact version of every package 'pip install -e .[test,dev]' installs (made with"; \
	  echo "# Python $$version); make test and make demo install with -c $(LOCK)."; \
	  echo "# Written by make lock, which takes the newest versions pyproject.toml allows: do not edit."; \
	  cat "$$tmp/freeze"; } > $(LOCK)

clean:
	rm -rf $(VENV) demo-out bench-out .pytest_cache .mypy_cache .ruff_cache
