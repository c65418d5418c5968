"""Legal terms benchmark: the term arithmetic, the sweep, the dashboard and the API with two years
of requests in PostgreSQL.

    python bench/deadlines.py OUT.json   (PYTHONPATH=src:bench, DATABASE_URL set; `make bench`
                                          runs it, `make bench-deadlines` only this)

1. Data (only what is missing): BENCH_DL_REQUESTS (default 300,000) tracked requests of the
   shared types at BENCH_DL_ORGS (20) organisations "Termijnenbench NN" (one team, one handler
   each), received over the last two years; those whose term ended more than 30 days ago are
   decided (90 % in time), the rest are open (due dates from a month ago to three months ahead).
   Written with bulk_create, the due dates counted by core.terms as the services do. Then
   VACUUM (ANALYZE).
2. In-process: compute_due_date for random dates, terms and regimes (µs); the sweep
   (`services.warn_and_escalate`) over all organisations, first run and the idempotent second
   run; the dashboard's selectors (`watch_lists`, `figures` for a quarter) for the largest
   organisation; the API (list page, one request, due-date) through Django's test client;
   p50/p95/p99 and queries per call.

Targets (ours; DESIGN.md sets none for this screen): the dashboard's two selectors p95 < 150 ms
together, the API list page p95 < 100 ms, compute_due_date p95 < 100 µs, the sweep under 10 s for
a day's warnings with this table.
"""

import datetime as dt
import json
import os
import random
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eenloket.conf.settings")
django.setup()

from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from eenloket.core.calendar import AMSTERDAM  # noqa: E402
from eenloket.core.roles import Role  # noqa: E402
from eenloket.core.terms import Regime, compute_due_date  # noqa: E402
from eenloket.deadlines import selectors, services  # noqa: E402
from eenloket.deadlines.models import RequestState, RequestType, TrackedRequest  # noqa: E402
from eenloket.organisations.models import Membership, Organisation, Team, User  # noqa: E402

N = int(os.environ.get("BENCH_DL_REQUESTS", "300000"))
ORGS = int(os.environ.get("BENCH_DL_ORGS", "20"))
SEED = int(os.environ.get("BENCH_DL_SEED", "42"))
CALLS = int(os.environ.get("BENCH_DL_CALLS", "200"))


def percentiles(values):
    values = sorted(values)

    def at(p):
        return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]

    return {
        "n": len(values),
        "p50": round(at(50), 3),
        "p95": round(at(95), 3),
        "p99": round(at(99), 3),
        "max": round(values[-1], 3),
    }


def timed(fn, calls):
    times, queries = [], []
    for _ in range(calls):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        queries.append(len(ctx.captured_queries))
    return {**percentiles(times), "queries": max(queries), "unit": "ms"}


def world():
    orgs, handlers = [], []
    for n in range(ORGS):
        org, _ = Organisation.objects.get_or_create(
            code=f"termijnenbench-{n:02d}",
            defaults={"type": "gemeente", "name": f"Termijnenbench {n:02d}"},
        )
        team, _ = Team.objects.get_or_create(organisation=org, name="Bezwaar en klachten")
        user, _ = User.objects.get_or_create(
            username=f"termijnenbench-{n:02d}",
            defaults={
                "first_name": "Bench",
                "last_name": f"{n:02d}",
                "direct_phone": "+31534800006",
            },
        )
        Membership.objects.get_or_create(
            user=user, organisation=org, team=team, role=Role.BALIEMEDEWERKER
        )
        orgs.append((org, team))
        handlers.append(user)
    return orgs, handlers


def load(orgs, handlers, today):
    have = TrackedRequest.objects.filter(organisation__code__startswith="termijnenbench-").count()
    if have >= N:
        return have, 0.0
    rng = random.Random(SEED + have)
    types = list(RequestType.objects.filter(organisation=None))
    start = time.perf_counter()
    rows = []
    for i in range(have, N):
        k = i % len(orgs) if i % 3 else 0  # organisation 00 is the largest
        org, team = orgs[k]
        rtype = rng.choice(types)
        received = today - dt.timedelta(days=rng.randint(0, 730))
        published = received - dt.timedelta(days=rng.randint(5, 40))
        begin = received
        if rtype.starts == "einde-bezwaartermijn":
            begin = max(received, compute_due_date(start=published, term="P6W").due_date)
        due = compute_due_date(start=begin, term=rtype.term, regime=rtype.regime)
        decided = due.due_date < today - dt.timedelta(days=30)
        row = TrackedRequest(
            reference=f"TB-{i:07d}",
            organisation=org,
            request_type=rtype,
            subject="Benchverzoek",
            team=team,
            handler=handlers[k],
            received_on=received,
            decision_published_on=published if rtype.starts == "einde-bezwaartermijn" else None,
            original_due_date=due.due_date,
            due_date=due.due_date,
            due_explanation=due.explanation,
            created_at=timezone.now(),
        )
        if decided:
            late = rng.random() < 0.1
            span = (due.due_date - received).days
            row.decided_on = received + dt.timedelta(
                days=span + rng.randint(1, 20) if late else rng.randint(0, span)
            )
            row.decided_in_time = not late
            row.state = RequestState.DECIDED
            row.warned_at = row.escalated_at = timezone.now()
        rows.append(row)
        if len(rows) == 5000:
            TrackedRequest.objects.bulk_create(rows)
            rows = []
    TrackedRequest.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) deadlines_trackedrequest")
    return N, time.perf_counter() - start


def main(out):
    now = timezone.now()
    today = now.astimezone(AMSTERDAM).date()
    orgs, handlers = world()
    count, seconds = load(orgs, handlers, today)
    result = {"requests": count, "load_seconds": round(seconds, 1)}

    rng = random.Random(SEED)
    terms = ["P2W", "P4W", "P6W", "P8W", "P10D", "P1M", "P3D", "P12W"]
    times = []
    for _ in range(20000):
        start = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 1500))
        term, regime = rng.choice(terms), rng.choice([Regime.ATW, Regime.ATW, Regime.EU])
        t0 = time.perf_counter()
        compute_due_date(start=start, term=term, regime=regime)
        times.append((time.perf_counter() - t0) * 1e6)
    result["compute_due_date"] = {**percentiles(times), "unit": "µs"}

    # The sweep, in a transaction that is rolled back (the data stays as generated). Terms that
    # passed long ago were handled by earlier runs; yesterday's run takes the rest of the window
    # (the backlog); today's run is a normal half-hourly run; the one after it finds nothing.
    with transaction.atomic():
        TrackedRequest.objects.filter(
            state=RequestState.OPEN, due_date__lt=today - dt.timedelta(days=1)
        ).update(warned_at=now, escalated_at=now)

        def run(moment):
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                actions = services.warn_and_escalate(moment)
                seconds = time.perf_counter() - t0
            return {
                "actions": actions,
                "seconds": round(seconds, 3),
                "queries": len(ctx.captured_queries),
            }

        result["sweep"] = {
            "open_requests": TrackedRequest.objects.filter(state=RequestState.OPEN).count(),
            "yesterday_backlog": run(now - dt.timedelta(days=1)),
            "today": run(now),
            "again": run(now),
        }
        transaction.set_rollback(True)

    org, team = orgs[0]
    user = handlers[0]
    quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    result["watch_lists"] = timed(
        lambda: selectors.watch_lists(user, org, team=None, on=today), CALLS
    )
    result["figures_quarter"] = timed(
        lambda: selectors.figures(org, start=quarter, end=today, on=today), max(20, CALLS // 5)
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    one = TrackedRequest.objects.filter(organisation=org, state=RequestState.OPEN).first()

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    result["api_list_page"] = timed(lambda: get("/api/v1/requests/?state=open"), CALLS)
    result["api_retrieve"] = timed(lambda: get(f"/api/v1/requests/{one.uuid}/"), CALLS)
    result["api_due_date"] = timed(
        lambda: get("/api/v1/deadlines/due-date?start=2026-03-24&term=P6W"), CALLS
    )
    result["dashboard_page"] = timed(lambda: get("/termijnen/"), max(20, CALLS // 5))
    print(json.dumps(result, indent=2, ensure_ascii=False))
    with open(out, "w") as fh:
        json.dump(result, fh, indent=2, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/results/deadlines.json")
