"""Where does the app's CPU go? In-process measurements behind bench/README.md's findings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eenloket_bench PYTHONPATH=src:bench \\
        .venv/bin/python bench/experiments.py bench/results/latest/residents.txt

Every variant (bench/experiment_urls.py) runs through Django's full middleware stack
(django.test.Client) against the bench database; reported per request: the app's CPU time
(time.process_time, Python only), the CPU time of the PostgreSQL backend (from /proc, same
machine), the median wall time and the number of queries. Then again with prepared statements.
Writes access-log rows and contact moments like the real endpoints do (bench data only).
"""

import os
import statistics
import sys
import time

os.environ["DJANGO_SETTINGS_MODULE"] = "experiment_settings"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from eenloket.organisations.models import User  # noqa: E402

USERNAME = os.environ.get("BENCH_USER", "loadgen-loket")


def _backend_cpu_ms():
    """CPU time so far of this connection's PostgreSQL backend (same machine)."""
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def measure(client, call, uuids, n=400):
    for u in uuids[:30]:
        call(client, u)
    with CaptureQueriesContext(connection) as ctx:
        response = call(client, uuids[30])
    queries = len([q for q in ctx.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")])
    cpu, wall = [], []
    db0 = _backend_cpu_ms()
    for u in uuids[31 : 31 + n]:
        c0, w0 = time.process_time(), time.perf_counter()
        response = call(client, u)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    db = (_backend_cpu_ms() - db0) / n
    return response.status_code, queries, statistics.mean(cpu), db, statistics.median(wall)


def main(pool_file):
    with open(pool_file) as f:
        uuids = f.read().split()
    user = User.objects.get(username=USERNAME)
    token = Token.objects.get_or_create(user=user)[0].key
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")

    def get(url):
        return lambda c, u: c.get(url.format(u=u))

    def post(url):
        body = {"channel": "balie", "question": "Vraag (experiment)", "outcome": "beantwoord"}
        return lambda c, u: c.post(url, {**body, "resident": u}, content_type="application/json")

    variants = [
        ("history: current endpoint", get("/api/v1/contact-moments/?resident={u}")),
        ("history: + .only() on the joins", get("/x/lean-queryset/?resident={u}")),
        ("history: lean (values, dicts, DRF auth)", get("/x/lean-history/?resident={u}")),
        ("history: minimal (no DRF, cached scope)", get("/x/minimal-history/?resident={u}")),
        ("floor: DRF auth + permission, {}", get("/x/empty-drf/")),
        ("floor: plain Django view, {}", get("/x/plain-django/")),
        ("register: current endpoint", post("/api/v1/contact-moments/")),
        ("register: lean (DRF auth)", post("/x/lean-register/")),
        ("register: minimal (no DRF, cached scope)", post("/x/minimal-register/")),
    ]
    header = f"{'variant':44} status queries  app CPU ms  db CPU ms  wall p50 ms"
    for prepared in (False, True):
        if prepared:
            connection.close()
            options = connection.settings_dict.setdefault("OPTIONS", {})
            options.update({"server_side_binding": True, "prepare_threshold": 2})
            print("\nwith prepared statements (OPTIONS server_side_binding + prepare_threshold):")
        print(header)
        for label, call in variants:
            status, queries, cpu, db, wall = measure(client, call, uuids)
            print(f"{label:44} {status:6} {queries:7} {cpu:11.2f} {db:10.2f} {wall:12.2f}")
    print("(queries without BEGIN/COMMIT; CPU = mean per request, one request at a time)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/results/latest/residents.txt")
