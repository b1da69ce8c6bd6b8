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

# Real DuckDB 1.x clients for tests/test_duckdb1.py, each in a folder of its own and never on the venv's
# path (one process cannot load two duckdb modules): the oldest 1.x, the 1.4 LTS that BI tools bundle,
# and the newest 1.x.
DUCKDB1_VERSIONS := 1.0.0 1.4.2 1.5.6
DUCKDB1 := .duckdb1

$(DUCKDB1)/%/.installed: | $(BIN)/.installed
	rm -rf $(DUCKDB1)/$*
	$(BIN)/uv pip install --quiet --python $(BIN)/python --target $(DUCKDB1)/$* duckdb==$*
	touch $@

# Under make the 1.x test must run: a missing client folder fails it instead of skipping it.
test: export NEWSDESK_DUCKDB1_VERSIONS := $(DUCKDB1_VERSIONS)
test: $(BIN)/.installed chromium $(foreach v,$(DUCKDB1_VERSIONS),$(DUCKDB1)/$(v)/.installed)
	$(BIN)/python -m pytest -q

bench: $(BIN)/.installed
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Re-resolve the pins (needs the override: prefect 3.9 asks for a certifi newer than it declares).
lock: $(BIN)/.installed
	$(BIN)/uv pip compile pyproject.toml --extra test --extra bench --override overrides.txt -o requirements.lock --python-version 3.11

clean-venv:
	rm -rf $(VENV)
