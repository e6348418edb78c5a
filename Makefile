# Two commands: `make demo` runs the demo site, `make test` runs the whole test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo test install bench bench-quick clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "xinwen needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

install: $(BIN)/python
	$(PIP) install -e .

demo: install
	$(BIN)/xinwen demo

test: $(BIN)/python
	$(PIP) install -e ".[test]"
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache

# Each bench creates the databases it needs (and drops them), prints its goals met / NOT met
# and writes bench/results/<bench>-<time>.json. PostgreSQL rows use BENCH_POSTGRES_URL
# (default postgres://postgres@127.0.0.1:5432/postgres), Redis rows BENCH_REDIS_URL.
# The benches of one run share the SQLite sites they build (XINWEN_BENCH_SITES, a temporary
# folder deleted when the run ends): a site is built once, then copied.
BENCH_RUN = set -e; sites=$$(mktemp -d); trap 'rm -rf "$$sites"' EXIT; export XINWEN_BENCH_SITES="$$sites";

bench: install
	@$(BENCH_RUN) \
	$(BIN)/python bench/variants.py; \
	$(BIN)/python bench/importer.py; \
	$(BIN)/python bench/importer.py --crawl --pages 500; \
	$(BIN)/python bench/beacons.py; \
	$(BIN)/python bench/search.py; \
	$(BIN)/python bench/pages.py; \
	$(BIN)/python bench/store.py; \
	$(BIN)/python bench/backup.py; \
	$(BIN)/python bench/content_check.py; \
	$(BIN)/python bench/guard.py; \
	$(BIN)/python bench/static.py; \
	$(BIN)/python bench/profile_miss.py; \
	$(BIN)/python bench/memory.py; \
	$(BIN)/python bench/scaleout.py

# The same tables at reduced sizes, in about three minutes.
bench-quick: install
	@$(BENCH_RUN) \
	$(BIN)/python bench/variants.py --requests 40 --rounds 2; \
	$(BIN)/python bench/importer.py --pages 500; \
	$(BIN)/python bench/beacons.py --seconds 2; \
	$(BIN)/python bench/search.py --articles 1000 --queries 100; \
	$(BIN)/python bench/pages.py --articles 1000 --seconds 1 --runs 1; \
	$(BIN)/python bench/backup.py; \
	$(BIN)/python bench/static.py --articles 1000 --seconds 1 --runs 1 --edits 5 --storm 30 --storm-seconds 3
