# Masar — the two commands: `make demo` and `make test`. Needs Python 3.11 on the PATH.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := masar.settings

.PHONY: demo test conformance install install-dev runtime-deps system-deps messages lint typecheck check serve worker clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed messages
install-dev: $(VENV)/.installed-dev messages

# Compile the ar/fr/en catalogues with Babel (no system gettext needed), each only when its .po changed: two runs
# side by side (CI's PostgreSQL and SQLite suites) never rewrite a catalogue the other is reading.
MO_FILES := $(foreach l,ar fr en,masar/locale/$(l)/LC_MESSAGES/django.mo)
messages: $(MO_FILES)
	@for l in ar fr en; do test -f masar/locale/$$l/LC_MESSAGES/django.mo || { echo "missing catalogue $$l"; exit 1; }; done

masar/locale/%/LC_MESSAGES/django.mo: masar/locale/%/LC_MESSAGES/django.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d masar/locale -D django -l $* 2>&1 | grep -v '^$$' || true

## make demo: install, migrate SQLite, load the demo, serve on 127.0.0.1:$(PORT) as in production (gunicorn,
## DEBUG off, hashed static files) with the background worker (bin/serve)
DEMO_KEY := SECRET_KEY=$${SECRET_KEY:-masar-demo-local-only}
demo: install runtime-deps
	$(DEMO_KEY) $(BIN)/python manage.py migrate --no-input
	$(DEMO_KEY) $(BIN)/python manage.py load_demo
	@echo "Collecting the static files under hashed names (a minute at most)"
	$(DEMO_KEY) STATIC_MANIFEST=$${STATIC_MANIFEST:-1} $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@echo "Masar is at http://127.0.0.1:$(PORT)/ with its background worker  (Ctrl+C stops both)"
	$(DEMO_KEY) TWO_FACTOR_REQUIRED=$${TWO_FACTOR_REQUIRED:-0} PORT=$(PORT) PYTHON=$(BIN)/python bin/serve

## make serve: migrate, collect the static files, serve with gunicorn (masar/gunicorn.conf.py) and the background
## worker, DEBUG off; needs SECRET_KEY (or SECRET_KEY_FILE) in the environment. See the runbook for the variables.
serve: install runtime-deps
	@test -n "$${SECRET_KEY:-}$${SECRET_KEY_FILE:-}" || { echo "make serve needs SECRET_KEY (or SECRET_KEY_FILE)"; exit 2; }
	DEBUG=0 $(BIN)/python manage.py migrate --no-input
	DEBUG=0 STATIC_MANIFEST=$${STATIC_MANIFEST:-1} $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	PORT=$(PORT) PYTHON=$(BIN)/python bin/serve

# Debian packages: Pango and Noto fonts for the PDF packs (WeasyPrint) and charts; for the tests also
# Chromium with its driver (browser tests) and poppler-utils (reading the PDFs back).
RUNTIME_DEBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core
TEST_DEBS := $(RUNTIME_DEBS) chromium chromium-driver poppler-utils
define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "apt-get install $$missing"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Masar needs these Debian packages: sudo apt-get install $$missing"; exit 1; fi; \
	fi
endef

runtime-deps:
	$(call apt_install,$(RUNTIME_DEBS))

system-deps:
	$(call apt_install,$(TEST_DEBS))

## make test: install the test tools and run the whole suite (SQLite, or DATABASE_URL when set)
test: install-dev system-deps
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

## make conformance: the tests that check Masar's open-data output against the official schemas and shapes in
## ../shared/standards/ (or STANDARDS_DIR): DCAT-AP 3 SHACL, IATI 2.03 XSD, OCDS 1.1.5 JSON schema
STANDARDS_DIR ?= ../shared/standards
conformance: install-dev
	@test -d "$(STANDARDS_DIR)" || { echo "make conformance needs the standards folder at $(STANDARDS_DIR) (see the README)"; exit 2; }
	MASAR_CONFORMANCE=1 MASAR_STANDARDS_DIR="$(abspath $(STANDARDS_DIR))" $(BIN)/python -m pytest -q -p no:cacheprovider tests/conformance $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

## make typecheck: mypy with django-stubs on the services and selectors (files listed in pyproject.toml)
typecheck: install-dev
	$(BIN)/mypy

## make worker: run the background worker on the database queue (TASKS_BACKEND=rq: the Redis queue)
worker: install
ifeq ($(TASKS_BACKEND),rq)
	$(BIN)/python manage.py rqworker --job-class django_tasks_rq.Job --with-scheduler default
else
	$(BIN)/python manage.py db_worker
endif

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-*
