# handbill — `make demo` sets everything up and runs the bundled example; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LANG_TO ?= es

.PHONY: all setup system demo test bench clean

all: demo

system:
	@bash scripts/install-system-packages.sh

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip >/dev/null
	@$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

setup: system $(STAMP)

demo: setup
	$(BIN)/handbill run examples/tenant-meeting.md --to $(LANG_TO) --out output

test: setup
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: setup
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) output/*/ build dist src/*.egg-info
