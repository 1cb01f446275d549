# `make demo` and `make test` work on a fresh machine with Python 3.11, git and make.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test test-fast lint bench clean

$(BIN)/workbook-tools: setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[parquet,dev]'
	touch $@

demo: $(BIN)/workbook-tools
	$(BIN)/workbook-tools demo --out output/demo

test: $(BIN)/workbook-tools lint
	bash tools/ensure-libreoffice
	bash tools/ensure-chromium
	$(BIN)/python -m pytest

# The fast tier: pure functions and the architecture, in a few seconds, no workbook written.
test-fast: $(BIN)/workbook-tools
	$(BIN)/python -m pytest tests/test_units.py tests/test_checks.py tests/test_architecture.py

lint: $(BIN)/workbook-tools
	$(BIN)/ruff check workbook_tools tests tools/bench.py tools/compare_reports.py
	$(BIN)/mypy

bench: $(BIN)/workbook-tools
	$(BIN)/python tools/bench.py

clean:
	rm -rf $(VENV) build *.egg-info output/demo
