#!/usr/bin/env bash
# The HTTP side of the findings in bench/README.md: the history and register scenarios against
# the current endpoints and the experimental variants (bench/experiment_urls.py), each with
# prepared statements, then the in-process table (bench/experiments.py). Needs the bench data
# (run `make bench` once first). Takes about 6 minutes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/eenloket_bench}
export BENCH_SETTINGS=experiment_settings BENCH_SCENARIOS=${BENCH_SCENARIOS:-history register}
export BENCH_INPROCESS=0 BENCH_DURATION=${BENCH_DURATION:-30}
summary=bench/results/experiments-$(date +%Y%m%d-%H%M%S).md
: >"$summary"

run() { # label, then VAR=value settings
  local label=$1
  shift
  echo "== $label" | tee -a "$summary"
  env "$@" bash bench/run.sh >/dev/null
  grep -E '^\| (GET|POST)|^WARNING' bench/results/latest/summary.md | tee -a "$summary"
}

run "current endpoints, as configured now" BENCH_PREPARED=0
run "current endpoints + prepared statements" BENCH_PREPARED=1
run "lean views + prepared statements" BENCH_PREPARED=1 \
  BENCH_HISTORY_PATH="/x/lean-history/?resident=" BENCH_REGISTER_PATH=/x/lean-register/
run "minimal views + prepared statements" BENCH_PREPARED=1 \
  BENCH_HISTORY_PATH="/x/minimal-history/?resident=" BENCH_REGISTER_PATH=/x/minimal-register/

echo "== in process (one request at a time)" | tee -a "$summary"
PYTHONPATH=src:bench .venv/bin/python bench/experiments.py bench/results/latest/residents.txt \
  | tee -a "$summary"
echo "written to $summary"
