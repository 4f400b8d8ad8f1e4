# Two commands on a fresh machine:  make run  (demo on the sample corpus)  and  make test.
SHELL := bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
# this machine's pip configuration names index folders that may not exist; hide those warnings only
QUIET_PIP := 2>&1 | { grep -v "^WARNING: Location 'file:" || true; }
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= sitrep.db

.PHONY: run test eval audit install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install -q -r requirements.lock $(QUIET_PIP)
	$(BIN)/pip install -q --no-deps -e . $(QUIET_PIP)
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(BIN)/pip install -q -r requirements-dev.lock $(QUIET_PIP)
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## run: install, ingest the bundled sample corpus into $(DB), show what was found
run: install
	$(BIN)/sitrep ingest --manifest samples/manifest.jsonl --db $(DB)
	$(BIN)/sitrep events --db $(DB)
	@echo
	@echo "Stored in $(DB). Next: .venv/bin/sitrep serve --db $(DB)   (map and incident pages on http://127.0.0.1:8000)"
	@echo "            .venv/bin/sitrep events show EVENT_ID --db $(DB)   .venv/bin/sitrep export --format acled-csv --db $(DB)"

## test: install with test tools, lint, type-check and run the test suite
test: install-dev
	bash scripts/install-browser.sh
	bash scripts/audit.sh verify
	$(BIN)/ruff check src tests scripts
	$(BIN)/mypy
	$(BIN)/pytest

## audit: verify the hashed locks and scan for known vulnerabilities (exit 3: the service was unreachable)
audit: install
	bash scripts/audit.sh

## eval: the three commands of ../shared/eval/README.md, and the same scorer on our own corpus
eval: install
	scripts/eval.sh | tail -n 1
	scripts/eval.sh samples | tail -n 1

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm test-artifacts
