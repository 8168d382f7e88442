# Pantau developer entry points. `make run` and `make test` work on a fresh clone with only
# Python 3.11 installed; everything else is installed into .venv by these targets.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
# The stamp changes with anything that changes the install, the C extension's source included.
BUILD_INPUTS := pyproject.toml setup.py $(wildcard monitor/text/*.c monitor/text/cnorm/*.c)
STAMP  := $(VENV)/.installed-$(shell cat $(BUILD_INPUTS) | sha1sum | cut -c1-12)

.PHONY: run test lint typecheck pytest bench format clean install

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "needs $(PYTHON)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python $(BUILD_INPUTS)
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## run: set up, initialise the embedded SQLite store and run the monitor (offline demo)
run: $(STAMP)
	$(BIN)/pantau init
	$(BIN)/pantau run

## test: lint, type-check and run the whole test suite (SQLite and PostgreSQL)
test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check monitor tests benchmarks
	$(BIN)/ruff format --check monitor tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

## bench: reproducible performance benchmarks (not part of the tests)
bench: $(STAMP)
	@status=0; for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || status=1; done; exit $$status

format: $(STAMP)
	$(BIN)/ruff check --fix monitor tests benchmarks
	$(BIN)/ruff format monitor tests benchmarks

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache build monitor/text/_cstem*.so
