# Eén Loket — the commands a newcomer needs. Everything installs what is missing first.
SHELL := /bin/bash
PY := .venv/bin/python
UV := $(shell command -v uv >/dev/null 2>&1 && echo uv || echo python3 -m uv)
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/eenloket
export PYTHONPATH := src

.PHONY: install gettext chromium demo serve test test-fast bench bench-routing lint format messages clean

install: .venv/.installed node_modules/.installed gettext

gettext:
	@command -v msgfmt >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null)

.venv/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==0.13.9"
	$(UV) sync --frozen --quiet
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# Demo on the embedded SQLite database: fresh data every time, then serve.
demo: install
	@mkdir -p var
	rm -f var/demo.sqlite3 var/demo.sqlite3-wal var/demo.sqlite3-shm
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules
	$(PY) manage.py load_demo_data --port $(PORT)
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

serve: install
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite against PostgreSQL (DATABASE_URL, default: the local server), browser tests included.
test: install chromium
	$(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) -m pytest -n 2 --dist loadgroup -q

# The quick loop while coding: no browser, nothing marked slow (the demo, schemathesis, load).
test-fast: install
	$(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) -m pytest -n 2 --dist loadgroup -q -m "not browser and not slow"

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-cache

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

messages: install
	cd src/eenloket && ../../$(PY) ../../manage.py makemessages -l en --no-location -v0

# Benchmarks against PostgreSQL with 1 M residents and 10 M contact moments (see bench/README.md).
bench: install
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eenloket_bench} bash bench/run.sh

# Only the routing benchmark (seconds; any PostgreSQL database, catalogue imported if missing).
bench-routing: install
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eenloket_bench} \
		$(PY) -c "import sys; sys.path[:0] = ['bench']; import tools; tools.ensure_db()"
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eenloket_bench} $(PY) manage.py migrate --noinput -v0
	@mkdir -p bench/results
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eenloket_bench} $(PY) bench/routing.py bench/results/routing.json

clean:
	rm -rf .venv node_modules var
