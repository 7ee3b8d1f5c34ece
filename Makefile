# Uppföljning: `make run` serves the portal, `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
SEED := fixtures/uppsala-goal5.json

# The first interpreter on PATH that is Python 3.12 or newer (pyenv's shims included).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.14 python3 python; do \
	if command -v $$p >/dev/null 2>&1 && \
	   $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	   echo $$p; break; fi; done)

.PHONY: run test lint check-python venv migrate seed messages clean

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Uppföljning needs Python 3.12 or newer; none was found on PATH." >&2; exit 1; fi

# The virtual environment is rebuilt when pyproject.toml changes or its Python is too old.
$(VENV)/.installed: pyproject.toml | check-python
	@if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		echo "Replacing $(VENV): its Python is older than 3.12"; rm -rf $(VENV); fi
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

venv: $(VENV)/.installed

migrate: venv
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) import_plan --if-empty $(SEED)

run: export DEBUG ?= 1
run: seed
	@echo
	@echo "Uppföljning runs on http://127.0.0.1:8000/"
	@echo "Create an admin user for the editing pages (/admin/) with:"
	@echo "    $(MANAGE) createsuperuser"
	@echo
	$(MANAGE) runserver 127.0.0.1:8000

# The suite in TEST_WORKERS processes (pytest-xdist; each has its own test database). Two
# halve CI's time on its 2 cores; TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2
test: venv
	$(PY) -m pytest -n $(TEST_WORKERS)

# The checking tools of the browser suite and of tests/test_html_valid.py (axe-core, the Nu
# HTML checker), from package-lock.json. --ignore-scripts: vnu-jar's install script would
# download a Java runtime; the tests use the system's java.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
		echo "The browser checks need npm (Debian: apt-get install npm)." >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

# The browser suite and the HTML validation, failing (not skipping) when a tool is missing.
.PHONY: test-browser
test-browser: venv node_modules/.installed
	REQUIRE_BROWSER=1 $(PY) -m pytest tests/browser tests/test_html_valid.py

lint: venv
	$(VENV)/bin/ruff check .

# Regenerates the Swedish translations' catalogue (needs GNU gettext).
messages: venv
	DEBUG=1 $(MANAGE) makemessages --locale sv --no-obsolete --no-location \
		--ignore "node_modules/*" --ignore "tests/*" --ignore "bench/*" --ignore "var/*"
	DEBUG=1 $(MANAGE) compilemessages --locale sv --ignore "node_modules/*" --ignore ".venv/*"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Serves the portal as production does (gunicorn with gunicorn.conf.py, DEBUG off,
# compressed static files, PostgreSQL and Redis when reachable) and measures it: see
# bench/run.py. Lighthouse comes from package-lock.json when npm is there (else its target
# is skipped, with the reason).
.PHONY: bench
bench: venv
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory node_modules/.installed; \
	else echo "npm is missing: the Lighthouse target will be skipped" >&2; fi
	$(PY) -m bench.run
