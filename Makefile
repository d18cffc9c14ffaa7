# Two commands do everything on a fresh machine:
#   make run   – the application on http://127.0.0.1:$(PORT) with SQLite, the plan, demo data and demo users
#                (and, once, the checkout's local .env, so `.venv/bin/python manage.py …` works without a prefix)
#   make test  – installs what it needs and runs the whole test suite (browser tests included)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed
# Test processes (pytest-xdist): one per core by default; TEST_WORKERS=0 runs in this process.
TEST_WORKERS ?= auto
DEV_ENV := DEBUG=1

.PHONY: run test test-redis install browser lint migrate demo bench loadtest check-deploy clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The checkout's local settings (DEBUG=1, a generated SECRET_KEY, the demo database): written when missing,
# never overwritten (scripts/write_env.py); git-ignored. The environment wins over it.
.env:
	$(PYTHON) scripts/write_env.py $@

migrate: install .env
	$(DEV_ENV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(PY) manage.py load_plan
	$(DEV_ENV) $(PY) manage.py setup_demo
	$(DEV_ENV) $(PY) manage.py create_demo_users

# The background worker (Excel imports) runs beside the server and is stopped with it (Ctrl+C).
run: demo
	@echo "Startar på http://127.0.0.1:$(PORT)/ – logga in med en av demoanvändarna ovan."
	@$(DEV_ENV) $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

browser:
	@bash scripts/ensure-chromium.sh

test: install browser
	TESTING=1 $(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The tests that use the cache (pytest -m cache) once more on a throwaway redis-server (CI runs this).
test-redis: install
	bash scripts/test-redis.sh $(PYTEST_ARGS)

bench: install
	bash scripts/bench.sh

loadtest: install
	bash scripts/loadtest.sh

lint: install
	$(PY) -m ruff check .

check-deploy: install
	DEBUG=0 SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(50))') ALLOWED_HOSTS=uppfoljning.example.se SECURE=1 \
		$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
