# The two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DIR := demo-output
# Tests exercise every optional part (Spark, matching, ML, graphs), so they install them all.
EXTRAS ?= dev,spark,match,ml,graph,resolve

.PHONY: demo test lint typecheck unit bench clean

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]"
	touch $(STAMP)

## demo: simulate a world, ingest it and the bundled real samples, print the status
demo: $(STAMP)
	$(BIN)/python -m greymap.demo --out $(DEMO_DIR)

## test: lint, type-check, then the whole test suite
test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -n 2 -q

## bench: the heavy measurements (tens of minutes; millions of rows). Screening's baseline
## needs its own environment: see docs/benchmarks.md.
bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/flows.py --rows 10000000 --spark
	$(BIN)/python bench/flows_quality.py --seeds 201-210
	$(BIN)/python bench/chokepoints.py
	$(BIN)/python bench/chokepoints_quality.py
	$(BIN)/python bench/resolve.py
	$(BIN)/python bench/entities_quality.py
	$(BIN)/python bench/targeting.py

clean:
	rm -rf $(VENV) $(DEMO_DIR) greymap-workspace .pytest_cache .mypy_cache .ruff_cache
