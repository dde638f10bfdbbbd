# handbill — `make demo` sets everything up and runs the bundled example; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
LANG_TO ?= es

.PHONY: all setup system test-system test-tools test-setup demo lint test bench clean

all: demo

system:
	@bash scripts/install-system-packages.sh runtime

# Test-only parts (LibreOffice, poppler, EPUBCheck, …): installed by `make test`, never by `make demo`.
test-system:
	@bash scripts/install-system-packages.sh test

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip >/dev/null
	@$(BIN)/python -m pip install -q -e .
	@touch $(STAMP)

# The test extras (pytest, hypothesis, readers of PDFs and audio) go into the same virtualenv.
$(TSTAMP): $(STAMP)
	@$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(TSTAMP)

setup: system $(STAMP)

# Test-only servers and tools (each in its own folder or virtualenv): one idempotent script per part in
# scripts/test-setup.d, run in name order after the test extras are installed.
test-tools: $(TSTAMP)
	@for f in scripts/test-setup.d/*.sh; do [ -e "$$f" ] || continue; VENV=$(VENV) PYTHON=$(PYTHON) bash "$$f" || exit 1; done

test-setup: test-system $(TSTAMP) test-tools

demo: setup
	$(BIN)/handbill run examples/tenant-meeting.md --to $(LANG_TO) --out output
	@echo "Try the web app: $(BIN)/handbill serve   (then open http://127.0.0.1:8765/)"

# ruff's checks and format, and mypy (settings in pyproject.toml): run before landing; `make test` runs them
# first. `.venv/bin/ruff format src tests benchmarks scripts` fixes what the format check finds.
lint: $(TSTAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

test: test-setup
	@$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: test-setup
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) output/*/ build dist src/*.egg-info
