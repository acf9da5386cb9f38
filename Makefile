# The two commands of the README, plus a few helpers. Each creates .venv and installs on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test lint bench install clean

$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(INSTALLED)

run: $(INSTALLED)
	@$(BIN)/circles run $(ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy bot storage adapters bench
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(INSTALLED)
	$(BIN)/python -m bench.commands
	$(BIN)/python -m bench.matching
	$(BIN)/python -m bench.fanout
	$(BIN)/python -m bench.fair_delivery
	$(BIN)/python -m bench.instances
	$(BIN)/python -m bench.slack_limits
	$(BIN)/python -m bench.discord_429s
	$(BIN)/python -m bench.slack_ack
	$(BIN)/python -m bench.rendering
	$(BIN)/python -m bench.round_load
	$(BIN)/python -m bench.workspaces

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
