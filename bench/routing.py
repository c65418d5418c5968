"""In-process benchmark of routing suggestions over the whole catalogue (target: p95 < 10 ms).

    python bench/routing.py OUT.json        (PYTHONPATH=src, DATABASE_URL set; `make bench`
                                             runs it, `make bench-routing` runs only this)

Measures, on the catalogue in the database (imported first if missing):
- building the in-memory index (once per process and after each catalogue change);
- `selectors.suggest` (what the API and the contact form call) for every question of the
  evaluation set, cold (first time: typo corrections not cached) and warm, several rounds;
- the same through the API with Django's test client (routing + DRF + JSON, no socket).
"""

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path


def _pct(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return round(values[k], 3)


def _stats(values):
    return {
        "n": len(values),
        "mean": round(statistics.fmean(values), 3),
        "p50": _pct(values, 50),
        "p95": _pct(values, 95),
        "p99": _pct(values, 99),
        "max": round(max(values), 3),
    }


def _bench_user(tenant):
    """A staff member of the municipality (or, on a database without one, a bench account)."""
    from eenloket.core.roles import Role
    from eenloket.organisations.models import Membership, Organisation, User

    if tenant is not None:
        member = Membership.objects.filter(organisation=tenant).select_related("user").first()
        if member:
            return member.user
    organisation, _ = Organisation.objects.get_or_create(
        code="bench-routing", defaults={"type": "uwv", "name": "Bench routing"}
    )
    user, _ = User.objects.get_or_create(username="bench-routing")
    Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": Role.MEDEWERKER_UITVOERING}
    )
    return user


def main(out: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eenloket.conf.settings")
    django.setup()
    from django.conf import settings
    from rest_framework.test import APIClient

    from eenloket.catalogue import engine, selectors
    from eenloket.catalogue.models import Service
    from eenloket.catalogue.routing_eval import load_questions
    from eenloket.catalogue.services import import_catalogue
    from eenloket.organisations.models import Organisation

    if not Service.objects.filter(tenant__isnull=True).exists():
        import_catalogue()
    settings.ROUTING_REFRESH_SECONDS = 3600  # measure suggesting, not the change check
    services = Service.objects.filter(is_active=True).count()

    builds = []
    for _ in range(5):
        t0 = time.perf_counter()
        built = engine.build_engine()
        builds.append((time.perf_counter() - t0) * 1000)
    engine.reset_engine()
    engine.get_engine()

    questions = [e["q"] for e in load_questions()]
    rng = random.Random(14070)
    tenant = Organisation.objects.filter(type="gemeente").order_by("pk").first()

    cold = []
    for q in questions:
        t0 = time.perf_counter()
        selectors.suggest(q, limit=5, tenant=tenant)
        cold.append((time.perf_counter() - t0) * 1000)
    warm = []
    for _ in range(5):
        order = questions[:]
        rng.shuffle(order)
        for q in order:
            t0 = time.perf_counter()
            selectors.suggest(q, limit=5, tenant=tenant)
            warm.append((time.perf_counter() - t0) * 1000)
    by_length = {"≤ 3 words": [], "4–12 words": [], "> 12 words": []}
    for q in questions:
        t0 = time.perf_counter()
        selectors.suggest(q, limit=5, tenant=tenant)
        ms = (time.perf_counter() - t0) * 1000
        n = len(q.split())
        by_length["≤ 3 words" if n <= 3 else "4–12 words" if n <= 12 else "> 12 words"].append(ms)
    long_story = " ".join(questions)[: engine.MAX_QUERY_CHARS]
    longest = []
    for _ in range(20):
        t0 = time.perf_counter()
        selectors.suggest(long_story, limit=5, tenant=tenant)
        longest.append((time.perf_counter() - t0) * 1000)

    api = []
    user = _bench_user(tenant)
    if user is not None:
        client = APIClient()
        client.force_authenticate(user)
        for q in questions:
            t0 = time.perf_counter()
            response = client.get("/api/v1/routing/suggest", {"q": q, "limit": 5})
            api.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.content

    result = {
        "services": services,
        "questions": len(questions),
        "index_build_ms": _stats(builds),
        "index_terms": len(built.postings),
        "suggest_cold_ms": _stats(cold),
        "suggest_warm_ms": _stats(warm),
        "suggest_by_length_ms": {k: _stats(v) for k, v in by_length.items() if v},
        "suggest_2000_chars_ms": _stats(longest),
        "api_suggest_in_process_ms": _stats(api) if api else None,
        "target_p95_ms": 10,
    }
    Path(out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"routing over {services} services, {len(questions)} questions")
    for key, value in result.items():
        if isinstance(value, dict):
            print(f"  {key}: {json.dumps(value, ensure_ascii=False)}")
    p95 = result["suggest_warm_ms"]["p95"]
    print(f"  suggestion p95 {p95} ms (target < 10 ms): {'met' if p95 < 10 else 'MISSED'}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/results/routing.json")
