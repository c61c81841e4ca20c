# The two commands a new developer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV_ENV := DJANGO_DEBUG=true

# The versions every install gets, with their hashes: requirements.lock for the image (main
# dependencies), requirements-dev.lock for development and CI (with the dev extra). Only pip
# reads them; `make lock` writes them with uv, from pyproject.toml.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
LOCK_VENV := .venv-lock
UV := $(LOCK_VENV)/bin/uv
UV_VERSION := 0.13.9
UV_COMPILE := $(UV) pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --quiet --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)

.PHONY: run test lint format messages compilemessages migrations-check bench lock clean

$(VENV)/.installed: pyproject.toml $(DEV_LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

dev/broker/node_modules/.package-lock.json: dev/broker/package-lock.json
	cd dev/broker && npm ci --no-audit --no-fund --loglevel=error

dev/axe/node_modules/.package-lock.json: dev/axe/package-lock.json
	cd dev/axe && npm ci --no-audit --no-fund --loglevel=error

dev/spectral/node_modules/.package-lock.json: dev/spectral/package-lock.json
	cd dev/spectral && npm ci --no-audit --no-fund --loglevel=error

node: dev/broker/node_modules/.package-lock.json dev/axe/node_modules/.package-lock.json \
	dev/spectral/node_modules/.package-lock.json

compilemessages: $(VENV)/.installed
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=dev -v0

run: $(VENV)/.installed dev/broker/node_modules/.package-lock.json compilemessages
	$(DEV_ENV) $(PY) manage.py migrate --no-input -v0
	$(DEV_ENV) $(PY) manage.py load_demo_data
	$(PY) dev/run.py

# With DATABASE_URL set (postgres://...) the suite runs on PostgreSQL; otherwise on SQLite.
test: $(VENV)/.installed node compilemessages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Extract new strings, then fill in locale/nl; English msgids are their own translation.
messages: $(VENV)/.installed
	$(DEV_ENV) $(PY) manage.py makemessages -l nl -l en --no-obsolete --ignore=.venv --ignore=dev --ignore=staticfiles --ignore=tests
	msgattrib --clear-fuzzy --clear-previous --no-wrap -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po
	msgfilter --keep-header --no-wrap -i locale/en/LC_MESSAGES/django.po -o locale/en/LC_MESSAGES/django.po sed -e d
	msgen --no-wrap -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po

migrations-check: $(VENV)/.installed
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run

bench: $(VENV)/.installed
	@ls bench/*.py >/dev/null 2>&1 && for b in bench/*.py; do $(PY) $$b; done || echo "no benchmarks yet"

# After a change of the dependencies in pyproject.toml: keeps every pin it can and adds what is
# new. `make lock UPGRADE=1` moves everything to the newest versions pyproject.toml allows.
# The image's lock is constrained by the dev lock, so the image runs the versions CI tested.
lock: $(UV)
	$(UV_COMPILE) --extra dev -o $(DEV_LOCK)
	$(UV_COMPILE) -c $(DEV_LOCK) -o $(LOCK)

$(UV):
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet "uv==$(UV_VERSION)"

clean:
	rm -rf $(VENV) $(LOCK_VENV) db.sqlite3 staticfiles .hypothesis dev/broker/node_modules dev/axe/node_modules \
		dev/spectral/node_modules
