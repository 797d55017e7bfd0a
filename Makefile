# Two entry points for a fresh machine (Python 3.11+): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test test-fast lint fixtures seed bench bench-load serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when requirements.txt changes.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# axe-core for the accessibility checks of the browser tests (package.json pins it).
node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed
	$(BIN)/python manage.py runserver $(HOST)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint node_modules/.installed
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -q

# The same without the slow tests (whole-import runs, schemathesis): for the edit-test loop.
test-fast: $(VENV)/.installed node_modules/.installed
	$(BIN)/python -m pytest -q -m "not slow"

# Regenerate fixtures/*.json from fixtures/sources/ (prints the import report).
fixtures: $(VENV)/.installed
	$(BIN)/python manage.py import_repertoire

seed: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed

# Import and seed times, then the load benchmark at the real size and 10k partnerships (on the
# PostgreSQL server of DATABASE_URL when it names one; needs wrk: apt-get install wrk).
bench: $(VENV)/.installed
	$(BIN)/python bench/import_and_seed.py
	$(BIN)/python bench/load.py --sizes real,10000

bench-load: $(VENV)/.installed
	$(BIN)/python bench/load.py --sizes $(or $(SIZES),real,10000)

# The production profile: DJANGO_DEBUG=0 (set DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS),
# static files hashed and compressed, gunicorn with gunicorn.conf.py (GUNICORN_BIND,
# WEB_CONCURRENCY, GUNICORN_TIMEOUT), PostgreSQL from DATABASE_URL, Redis from REDIS_URL.
serve: export DJANGO_DEBUG ?= 0
serve: $(VENV)/.installed
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn -c gunicorn.conf.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache bench/out

# Refresh locale/en/LC_MESSAGES/django.po from the code and recompile the committed .mo
# (needs gettext; fill the new msgstr entries between the two steps if any appear).
.PHONY: messages
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l en --ignore=$(VENV) --ignore=fixtures --ignore=bench
	$(BIN)/python manage.py compilemessages -l en --ignore=$(VENV)
