# Two commands set everything up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-all bench clean

# --no-compile: modules are byte-compiled when first imported, not all at install (53 s -> 32 s)
$(BIN)/gigawatt: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --no-compile -e '.[dev]'
	touch $(BIN)/gigawatt

run: $(BIN)/gigawatt
	$(BIN)/gigawatt run --out out --samples 50

test: $(BIN)/gigawatt
	$(BIN)/python -m pytest -q

test-all: $(BIN)/gigawatt
	$(BIN)/python -m pytest -q -m ''

bench: $(BIN)/gigawatt
	$(BIN)/python benchmarks/bench_adequacy.py

clean:
	rm -rf $(VENV) out build *.egg-info
