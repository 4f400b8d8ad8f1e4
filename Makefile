# Two commands on a fresh machine:  make run  (demo on the sample corpus)  and  make test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= sitrep.db

.PHONY: run test lint install install-dev browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(BIN)/pip install -q -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## run: install, ingest the bundled sample corpus into $(DB), show what was found
run: install
	$(BIN)/sitrep ingest --manifest samples/manifest.jsonl --db $(DB)
	$(BIN)/sitrep events --db $(DB)

## test: install with test tools, lint, type-check and run the test suite
test: install-dev
	bash scripts/install-browser.sh
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/pytest

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm test-artifacts
