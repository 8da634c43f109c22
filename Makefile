# Two commands do everything on a fresh machine with Python 3.11+:
#   make demo   set up .venv, migrate, load the demo and serve it on http://127.0.0.1:8000
#   make test   set up .venv and run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test serve lint lock worker beat web bench

# Development installs requirements-dev.txt: production's lock (requirements.txt) plus tests and tools.
$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Partnership needs Python 3.11 or newer.")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# The demo serves what a user would see: DEBUG off, so a missing page or an error shows the service's own
# 404 and 500 pages, never Django's debug pages (WhiteNoise still serves the static files).
DEMO_ENV := DJANGO_DEBUG=false
demo: $(STAMP)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Rewrite both locks from requirements.in and requirements-dev.in (each pins every package, transitive ones too).
LOCK_OPTS := --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
lock: $(STAMP)
	$(VENV)/bin/pip-compile $(LOCK_OPTS) --output-file=requirements.txt requirements.in
	$(VENV)/bin/pip-compile $(LOCK_OPTS) --output-file=requirements-dev.txt requirements-dev.in

# The production processes, for starting by hand (docker-compose.yml runs the same).
web: $(STAMP)
	$(VENV)/bin/gunicorn config.wsgi --bind 0.0.0.0:8000 --workers 2
worker: $(STAMP)
	$(VENV)/bin/celery -A config worker --loglevel INFO
beat: $(STAMP)
	$(VENV)/bin/celery -A config beat --loglevel INFO

# Benchmarks on the configured database (set DATABASE_URL for PostgreSQL): a synthetic England, then figures as JSON.
bench: $(STAMP)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py generate_england
	$(PY) manage.py bench
