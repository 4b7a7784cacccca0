# Two commands set everything up on a fresh machine: `make run` and `make test`.
# Installs are quiet apart from errors: `pip -qq` drops pip's warnings (such as the "Location ... is
# ignored" lines of a pip.conf with missing local indexes) and keeps its errors.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# what `gigawatt --help` and a command's first line import, byte-compiled at install (seconds); the rest
# is compiled when first imported. Where PYTHONDONTWRITEBYTECODE is set nothing is written at import,
# and without this every start would compile typer and pydantic again (0.9 s instead of 0.3 s).
STARTUP_MODULES := gigawatt typer rich pydantic pydantic_core annotated_types typing_inspection \
    typing_extensions shellingham

.PHONY: run test test-all bench browser clean

# --no-compile: the numerical stack is byte-compiled when first imported, not all at install (53 s -> 32 s);
# tools/warm_kernels.py compiles the sampler's two kernels into the user cache, both at once (~1 min)
$(BIN)/gigawatt: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -qq --no-compile -e '.[dev]'
	$(BIN)/python tools/bytecompile.py $(STARTUP_MODULES)
	$(BIN)/python tools/warm_kernels.py
	touch $(BIN)/gigawatt

# Chromium renders the HTML report in tests/outlook/test_report_browser.py (Debian package `chromium`), and
# Selenium drives it through chromedriver (package `chromium-driver`) in tests/web/test_browser.py:
# installed here when missing and this user is root, else a message saying how.
browser:
	@if ! { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; } \
	        || ! command -v chromedriver >/dev/null 2>&1; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	    else \
	        echo "make test: Chromium or chromedriver is missing; the report test renders the HTML in Chromium and" \
	             "the what-if page test drives it with chromedriver. Install them (Debian/Ubuntu: sudo apt-get" \
	             "install chromium chromium-driver) and run make test again." >&2; \
	        exit 1; \
	    fi; \
	fi
	@command -v chromedriver >/dev/null 2>&1 || { echo "make test: chromedriver is still missing after the install" >&2; exit 1; }

run: $(BIN)/gigawatt
	$(BIN)/gigawatt run --out out

test: browser $(BIN)/gigawatt
	$(BIN)/python -m pytest -q

test-all: browser $(BIN)/gigawatt
	$(BIN)/python -m pytest -q -m ''

bench: $(BIN)/gigawatt
	$(BIN)/python benchmarks/bench_adequacy.py

clean:
	rm -rf $(VENV) out build *.egg-info
