"""Gunicorn settings for the load test (bench/run.sh); see bench/README.md for the choices.

Two workers (the budget in DESIGN.md), no worker recycling (max_requests = 0: a recycled
worker re-imports Django and opens a new database connection, a stall of ~1 s), no access log
(one line per request costs CPU; wrk counts for us), the app imported once before forking.
Override with BENCH_WORKERS, BENCH_WORKER_CLASS (sync | gthread) and BENCH_THREADS."""

import os

bind = os.environ.get("BENCH_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("BENCH_WORKERS", "2"))
worker_class = os.environ.get("BENCH_WORKER_CLASS", "sync")
threads = int(os.environ.get("BENCH_THREADS", "1"))
max_requests = 0
max_requests_jitter = 0
timeout = 30
graceful_timeout = 5
keepalive = 5  # only used by gthread; sync workers close the connection after each response
backlog = 2048
preload_app = True
accesslog = None
errorlog = os.environ.get("BENCH_ERRORLOG", "-")
loglevel = "warning"
proc_name = "eenloket-bench"
