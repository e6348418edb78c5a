# Two commands: `make demo` runs the demo site, `make test` runs the whole test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo test install bench clean

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

bench: install
	$(BIN)/python bench/variants.py
	$(BIN)/python bench/importer.py
	$(BIN)/python bench/beacons.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/backup.py
	$(BIN)/python bench/content_check.py
	$(BIN)/python bench/guard.py
