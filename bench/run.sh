#!/usr/bin/env bash
# Load test of Eén Loket: PostgreSQL with 1 M residents and 10 M contact moments, the app under
# gunicorn (2 workers) on 127.0.0.1, HTTP load with wrk. See bench/README.md.
#
#   make bench                    (DATABASE_URL defaults to .../eenloket_bench)
#   BENCH_DURATION=30 BENCH_SCENARIOS="history" bash bench/run.sh
#
# Knobs (environment): BENCH_RESIDENTS, BENCH_CONTACTS, BENCH_DURATION (s per scenario),
# BENCH_WARMUP (s), BENCH_CONNECTIONS, BENCH_WRK_THREADS, BENCH_SCENARIOS, BENCH_USER,
# BENCH_POOL_SIZE, BENCH_WORKERS, BENCH_WORKER_CLASS (sync|gthread), BENCH_THREADS, BENCH_PORT,
# BENCH_INPROCESS (0 skips the in-process measurements), BENCH_SETTINGS, BENCH_PREPARED,
# BENCH_HISTORY_PATH, BENCH_REGISTER_PATH (experiments, see bench/README.md).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PY:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
export PYTHONPATH=src:bench
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eenloket_bench}
# BENCH_SETTINGS=experiment_settings adds the /x/ experiment URLs (bench/experiment_urls.py).
export DJANGO_SETTINGS_MODULE=${BENCH_SETTINGS:-eenloket.conf.settings}
export DEBUG=0 LOG_LEVEL=WARNING
export DB_CONN_MAX_AGE=${DB_CONN_MAX_AGE:-600}

RESIDENTS=${BENCH_RESIDENTS:-1000000}
CONTACTS=${BENCH_CONTACTS:-10000000}
DURATION=${BENCH_DURATION:-30}
WARMUP=${BENCH_WARMUP:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-4}
WRK_THREADS=${BENCH_WRK_THREADS:-1}
BENCH_USER=${BENCH_USER:-loadgen-loket}
POOL_SIZE=${BENCH_POOL_SIZE:-10000}
SCENARIOS=${BENCH_SCENARIOS:-history register overview}
export BENCH_WORKERS=${BENCH_WORKERS:-2}
export BENCH_WORKER_CLASS=${BENCH_WORKER_CLASS:-sync}
export BENCH_THREADS=${BENCH_THREADS:-1}

case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "bench: DATABASE_URL must point to PostgreSQL (got $DATABASE_URL)" >&2; exit 2 ;;
esac

STAMP=$(date +%Y%m%d-%H%M%S)
OUT=bench/results/$STAMP
mkdir -p "$OUT"
ln -sfn "$STAMP" bench/results/latest
log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# --- tools -----------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk (Debian package)"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi

# --- database and data -----------------------------------------------------------------------
"$PY" bench/tools.py ensure-db
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py load_catalogue | sed -n 1p  # sed reads it all: head would end the pipe early (pipefail)
set +e
"$PY" bench/tools.py needs-data "$RESIDENTS" "$CONTACTS"
rc=$?
set -e
case $rc in
  0)
    log "generating $RESIDENTS residents and $CONTACTS contact moments (only what is missing)"
    "$PY" manage.py generate_load_data --residents "$RESIDENTS" --contacts "$CONTACTS" \
      | tee "$OUT/generate.log"
    "$PY" bench/tools.py checkpoint
    ;;
  10)
    log "data present; making sure the load-test users exist"
    "$PY" manage.py generate_load_data --residents 0 --contacts 0 -v0
    ;;
  *) exit "$rc" ;;
esac

"$PY" bench/tools.py pool "$POOL_SIZE" "$OUT/residents.txt"
TOKEN=$("$PY" manage.py create_api_token "$BENCH_USER" 2>/dev/null | tail -n1)
SESSION=$("$PY" bench/tools.py session "$BENCH_USER" | tail -n1)

{
  echo "date: $(date -Iseconds)"
  echo "git: $(git rev-parse --short HEAD 2>/dev/null || echo '?') $(git status --porcelain 2>/dev/null | wc -l) changed files"
  echo "cpus: $(nproc) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
  echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$PY" - <<'EOF'
import os, psycopg
from urllib.parse import urlsplit
u = urlsplit(os.environ["DATABASE_URL"])
with psycopg.connect(host=u.hostname, port=u.port or 5432, user=u.username or "postgres",
                     password=u.password, dbname=u.path.lstrip("/")) as c:
    print("postgres:", c.execute("SHOW server_version").fetchone()[0])
    for name in ("shared_buffers", "work_mem", "max_wal_size", "synchronous_commit"):
        print(f"  {name}: {c.execute('SHOW ' + name).fetchone()[0]}")
    for t in ("residents_resident", "contacts_contactmoment", "core_accesslog"):
        n = c.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [t]).fetchone()
        size = c.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [t]).fetchone()
        print(f"  {t}: ~{n[0]:,} rows, {size[0]} with indexes")
EOF
  echo "gunicorn: $BENCH_WORKERS x $BENCH_WORKER_CLASS, threads $BENCH_THREADS, no max_requests"
  echo "wrk: $WRK_THREADS thread(s), $CONNECTIONS connections, ${DURATION}s per scenario after ${WARMUP}s warm-up"
  echo "user: $BENCH_USER; settings: $DJANGO_SETTINGS_MODULE; prepared: ${BENCH_PREPARED:-0}"
  echo "paths: ${BENCH_HISTORY_PATH:-/api/v1/contact-moments/?resident=} ${BENCH_REGISTER_PATH:-/api/v1/contact-moments/}"
} | tee "$OUT/machine.txt"

# --- in-process measurements (no HTTP) -------------------------------------------------------
if [ "${BENCH_INPROCESS:-1}" = 1 ]; then
  log "in-process timings (selector, API through the test client, EXPLAIN ANALYZE)"
  "$PY" bench/tools.py inprocess "$BENCH_USER" "$OUT/residents.txt" "$OUT/inprocess.json"
fi

# --- routing suggestions over the whole catalogue (in-process, target p95 < 10 ms) -----------
log "routing suggestions (in-process)"
"$PY" bench/routing.py "$OUT/routing.json"

# --- appointments: free slots with a year of bookings, 200 bookings of one last slot ---------
# (its own gunicorn on another free port, stopped before the load test below)
log "appointments (bookings made if missing; in-process, HTTP, the race)"
"$PY" bench/appointments.py "$OUT/appointments.json" || log "appointments benchmark FAILED (see above)"

# --- legal terms: term arithmetic, the sweep, the dashboard and the API with 300,000 requests ------
log "legal terms (requests made if missing; in-process)"
"$PY" bench/deadlines.py "$OUT/deadlines.json" || log "legal terms benchmark FAILED (see above)"

# --- cases: consent-checked reads, signals (its own gunicorn), the sweep, the inzage ----------------
log "cases (cases, doorbraak requests, signals and a 2 M-row access log made if missing)"
"$PY" bench/cases.py "$OUT/cases.json" || log "cases benchmark FAILED (see above)"

# --- the app ---------------------------------------------------------------------------------
PORT=${BENCH_PORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
export BENCH_BIND=127.0.0.1:$PORT BENCH_ERRORLOG=$OUT/gunicorn.log
log "starting gunicorn on $BENCH_BIND ($BENCH_WORKERS x $BENCH_WORKER_CLASS)"
"$GUNICORN" -c bench/gunicorn.conf.py --pid "$OUT/gunicorn.pid" eenloket.conf.wsgi:application &
GUNICORN_PID=$!
stop_app() {
  kill -TERM "$GUNICORN_PID" 2>/dev/null || true
  wait "$GUNICORN_PID" 2>/dev/null || true
}
trap stop_app EXIT
for _ in $(seq 1 100); do [ -s "$OUT/gunicorn.pid" ] && break; sleep 0.1; done
"$PY" bench/tools.py smoke "$PORT" "$TOKEN" "$OUT/residents.txt"

run_wrk() { # scenario seconds result-file
  BENCH_SCENARIO=$1 BENCH_POOL=$OUT/residents.txt BENCH_TOKEN=$TOKEN BENCH_SESSION=$SESSION \
    BENCH_OUT=$3 timeout --signal=INT $(($2 + 30)) \
    wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "${2}s" --timeout 10s --latency \
    -s bench/wrk/scenario.lua "http://127.0.0.1:$PORT/"
}

for scenario in $SCENARIOS; do
  log "$scenario: ${WARMUP}s warm-up, then ${DURATION}s measured"
  run_wrk "$scenario" "$WARMUP" "$OUT/$scenario.warmup.json" >/dev/null
  "$PY" bench/tools.py calibrate >"$OUT/$scenario.calibration"
  "$PY" bench/tools.py cpu "$OUT/gunicorn.pid" >"$OUT/$scenario.cpu-before.json"
  run_wrk "$scenario" "$DURATION" "$OUT/$scenario.json" | tee "$OUT/$scenario.wrk.txt"
  "$PY" bench/tools.py cpu "$OUT/gunicorn.pid" >"$OUT/$scenario.cpu-after.json"
done

stop_app
trap - EXIT
log "results in $OUT"
"$PY" bench/tools.py summary "$OUT"
