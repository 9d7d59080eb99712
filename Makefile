# OpenAEO: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint setup venv bench lock messages clean

$(VENV)/.installed: pyproject.toml requirements.lock
	@python=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	@touch $@

venv: $(VENV)/.installed

## setup: install, create development secrets and keys, migrate, load the demo
setup: venv
	$(PY) scripts/dev_setup.py
	$(MANAGE) migrate --no-input
	$(MANAGE) createcachetable
	$(MANAGE) demo_data

## run: set up, then serve the demo on http://$(HOST):$(PORT) with a task worker beside it
run: setup
	@$(MANAGE) demo_data --accounts
	@echo "OpenAEO is starting on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@$(MANAGE) db_worker --no-startup-delay > var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=true $(MANAGE) runserver --noreload $(HOST):$(PORT)

## test: the whole suite: lint, domain, Django on SQLite and PostgreSQL, browser, API contract
test: venv
	$(PY) scripts/run_tests.py

lint: venv
	$(PY) -m ruff check src tests bench scripts

bench: setup
	$(PY) scripts/run_bench.py

## lock: re-resolve the pinned versions after changing pyproject.toml
lock:
	@python=$$(scripts/find-python) || exit 1; \
	rm -rf var/lock-venv && "$$python" -m venv var/lock-venv && \
	var/lock-venv/bin/pip install --quiet -e ".[dev]" && \
	var/lock-venv/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock && \
	rm -rf var/lock-venv && echo "requirements.lock updated"

## messages: refresh the translation catalogues after changing user-facing strings
messages: venv
	cd src/openaeo && ../../$(PY) ../../manage.py makemessages -l fr -l es -l ar --no-obsolete --ignore 'static/*'
	cd src/openaeo && ../../$(PY) ../../manage.py compilemessages

clean:
	rm -rf $(VENV) var
