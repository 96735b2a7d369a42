# Two commands on a fresh clone:  `make dashboard`  and  `make test`.
# Both create .venv (Python 3.11+) and install regionmap into it the first time.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: dashboard test setup lint bench bench-stores load clean docs-atlas

dashboard: $(STAMP)
	$(BIN)/regionmap dashboard

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/labels.py
	$(BIN)/python benchmarks/animate.py
	$(BIN)/python benchmarks/exports.py
	$(BIN)/python benchmarks/playback.py
	$(BIN)/python benchmarks/annotations.py

docs-atlas: $(STAMP)
	$(BIN)/python docs/atlas_pngs.py

bench-stores: $(STAMP)
	$(BIN)/python benchmarks/stores.py --rows 1000000 --pg-rows 10000000 --duck-rows 10000000
	$(BIN)/python benchmarks/stores_dashboard.py --rows 1000000

load: $(STAMP)
	$(BIN)/python benchmarks/load_ws.py 20 60

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache dashboard/static
