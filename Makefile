# Eén Loket — the commands a newcomer needs. Everything installs what is missing first.
SHELL := /bin/bash
PY := .venv/bin/python
UV := $(shell command -v uv >/dev/null 2>&1 && echo uv || echo python3 -m uv)
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/eenloket
export PYTHONPATH := src

.PHONY: install gettext chromium demo serve test test-fast bench bench-routing bench-appointments bench-deadlines bench-cases lint format messages clean

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

# Demo on the embedded SQLite database: fresh data every time, then serve. E-mail is written to
# var/mail/; sms goes to a local NotifyNL-compatible server (devtools/notify_fake.py) on
# PORT + 1000, which runs beside the demo and stops with it. Links in messages point at PORT.
NOTIFY_PORT ?= $(shell echo $$(($(PORT) + 1000)))
DEMO_NOTIFY_KEY = demo-6c3f9d1e-2b7a-4f0e-9a55-0d8e4b7c1a21-94e1b0c2-7d3a-4c6f-8e2b-5a9f1d0c3e47
DEMO_ENV = HELPED_CHECK_BASE_URL=http://127.0.0.1:$(PORT) MESSAGING_SMS_VIA=notify \
	NOTIFY_BASE_URL=http://127.0.0.1:$(NOTIFY_PORT) \
	NOTIFY_API_KEY=$(DEMO_NOTIFY_KEY) \
	NOTIFY_SMS_TEMPLATE_ID=3f1c2b7e-9a4d-4e8f-b6c5-2d7a9e0f1b34
demo: install
	@mkdir -p var
	rm -f var/demo.sqlite3 var/demo.sqlite3-wal var/demo.sqlite3-shm
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules
	@$(DEMO_ENV) $(PY) manage.py run_notify_fake --port $(NOTIFY_PORT) --api-key $(DEMO_NOTIFY_KEY) > var/notify.log 2>&1 & \
	fake=$$!; trap 'kill $$fake 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(PY) manage.py load_demo_data --port $(PORT) && \
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

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

# Only the legal-terms benchmark (term arithmetic, sweep, dashboard, API with 300,000 requests; the
# requests are made the first time, ≈ 1 min; see bench/README.md).
bench-deadlines: install
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eenloket_bench} \
		$(PY) -c "import sys; sys.path[:0] = ['bench']; import tools; tools.ensure_db()"
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eenloket_bench} $(PY) manage.py migrate --noinput -v0
	@mkdir -p bench/results
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eenloket_bench} \
		DEBUG=0 LOG_LEVEL=WARNING PYTHONPATH=src:bench \
		$(PY) bench/deadlines.py bench/results/deadlines.json

# Only the cases benchmark (consent-checked reads, case list, timeline, signals in-process and over
# HTTP, the doorbraak sweep, the inzage of a 20,000-row history in a 2,000,000-row access log; the
# data is made the first time, ≈ 10 min; see bench/README.md).
bench-cases: install
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eenloket_bench} \
		$(PY) -c "import sys; sys.path[:0] = ['bench']; import tools; tools.ensure_db()"
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eenloket_bench} $(PY) manage.py migrate --noinput -v0
	@mkdir -p bench/results
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eenloket_bench} \
		DEBUG=0 LOG_LEVEL=WARNING DB_CONN_MAX_AGE=600 PYTHONPATH=src:bench \
		$(PY) bench/cases.py bench/results/cases.json

# Only the appointments benchmark (free slots with a year of bookings at 50 locations, 200 bookings
# of one last slot at once; the bookings are made the first time, ≈ 2 min; see bench/README.md).
bench-appointments: install
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eenloket_bench} \
		$(PY) -c "import sys; sys.path[:0] = ['bench']; import tools; tools.ensure_db()"
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eenloket_bench} $(PY) manage.py migrate --noinput -v0
	@mkdir -p bench/results
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eenloket_bench} \
		DEBUG=0 LOG_LEVEL=WARNING DB_CONN_MAX_AGE=600 PYTHONPATH=src:bench \
		$(PY) bench/appointments.py bench/results/appointments.json

clean:
	rm -rf .venv node_modules var
