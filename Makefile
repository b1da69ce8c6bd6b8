# Two commands do all set-up on a fresh machine: `make run` and `make test`.
# The virtual environment is built on first use from the pinned requirements.lock.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INPUT ?= seeds
WAREHOUSE ?= warehouse
# Prefect starts ~70% slower without .pyc files; compile at install time.
export UV_COMPILE_BYTECODE := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 120

.PHONY: run test bench lock clean-venv chromium

$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.8
	$(BIN)/uv pip sync --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --python $(BIN)/python --no-deps -e .
	touch $@

run: $(BIN)/.installed
	$(BIN)/newsdesk run --input $(INPUT) --warehouse $(WAREHOUSE)

# The report test renders the page in headless Chromium (Debian's package); install it when we can.
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ; } || \
	  echo "chromium not installed: the report rendering test will be skipped"

test: $(BIN)/.installed chromium
	$(BIN)/python -m pytest -q

bench: $(BIN)/.installed
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Re-resolve the pins (needs the override: prefect 3.9 asks for a certifi newer than it declares).
lock: $(BIN)/.installed
	$(BIN)/uv pip compile pyproject.toml --extra test --extra bench --override overrides.txt -o requirements.lock --python-version 3.11

clean-venv:
	rm -rf $(VENV)
