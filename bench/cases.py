"""Cases benchmark: consent-checked case reads, the case list, the timeline, the resident basis of
a case consent, arrears signals (in-process and over HTTP), the doorbraak escalation sweep and
the inzage export over a long access log, with a realistic amount of data in PostgreSQL.

    python bench/cases.py OUT.json   (PYTHONPATH=src:bench, DATABASE_URL set; `make bench`
                                      runs it, `make bench-cases` only this)

1. Data (only what is missing; PostgreSQL only). Residents and contact moments come from
   `generate_load_data` (run when fewer than BENCH_CASES_RESIDENTS generated residents exist;
   with the full `make bench` data it adds nothing). Reference data with the ORM (reused when
   present): the generator's 2 municipalities and 7 agencies, 10 partners (housing corporations,
   energy and drinking-water companies, health insurers), teams, bench staff `casusbench-*`
   (25 case managers per municipality, of whom `casusbench-enschede-cm-01` has ~2,000 cases),
   doorbraak coordinators at half of the agencies, management everywhere, a privacy officer,
   mandates. Then with bulk_create, in chunks of 2,500 cases per transaction (a rerun continues
   after the last whole chunk): BENCH_CASES_CASES (50,000) cases (75 % open) with 2-5 parties,
   a consent per party (open cases: ~70 % active, ~15 % revoked, ~15 % expired; some renewed),
   problems, actions and updates; BENCH_CASES_DOORBRAAK (20,000) doorbraak requests over two
   years (~3,000 unanswered past their answer date, escalated as the half-hourly sweep would
   have); BENCH_CASES_SIGNALS (100,000) arrears signals matched to residents by address (some
   joined to an earlier one of the household); and BENCH_CASES_LOG_ROWS (2,000,000) access-log
   rows over two years in time order (INSERT ... SELECT generate_series, one transaction), 1 %
   of them (~20,000) for one resident with a long history. Then VACUUM (ANALYZE).
2. In-process, p50/p95/p99 and queries per call: selectors.get_case (a partner with an active
   consent; the owner), selectors.case_list (the case manager with ~2,000 cases, all open cases
   of the municipality and "mine"), selectors.timeline, access.view_for, the resident basis of a
   case consent (residents.selectors.get_resident for a partner), services.receive_signal, the
   escalation sweep (services.escalate_doorbraak: a normal half-hourly run, the idempotent
   second run, a backlog of every overdue request; in a transaction that is rolled back),
   inzage.groups + render_pdf and the full stream_json of the long history (time and peak
   memory with tracemalloc).
3. Over HTTP: POST /api/v1/signals/ against gunicorn (bench/gunicorn.conf.py, BENCH_CASES_WORKERS
   sync workers, default 2, on 127.0.0.1), BENCH_CASES_CONNECTIONS (4) client threads in a
   closed loop for BENCH_CASES_HTTP_SECONDS (20) after a 3 s warm-up: requests/s, latency, app
   CPU per request. Signals posted by the benchmark stay (references RUN-<time>-<n>).

EXPLAIN (ANALYZE, BUFFERS) of the slowest query of each measurement: OUT.explain.txt.

Knobs (environment): BENCH_CASES_CASES, BENCH_CASES_DOORBRAAK, BENCH_CASES_SIGNALS,
BENCH_CASES_LOG_ROWS, BENCH_CASES_HEAVY_ROWS (20,000), BENCH_CASES_RESIDENTS (100,000),
BENCH_CASES_CONTACTS (1,000,000), BENCH_CASES_CALLS (200), BENCH_CASES_HTTP_SECONDS,
BENCH_CASES_CONNECTIONS, BENCH_CASES_WORKERS, BENCH_CASES_SEED (42).
"""

import datetime as dt
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eenloket.conf.settings")
os.environ.setdefault("DEBUG", "0")  # DEBUG keeps every query in memory: not what production does
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from eenloket.cases import access, inzage, selectors, services  # noqa: E402
from eenloket.cases.models import (  # noqa: E402
    ActionStatus,
    ArrearsSignal,
    Case,
    CaseAction,
    CasePart,
    CaseParty,
    CaseStatus,
    CaseUpdate,
    ClosureReason,
    Consent,
    ConsentBasis,
    ConsentForm,
    DoorbraakKind,
    DoorbraakRequest,
    DoorbraakState,
    LegalGround,
    LifeDomain,
    Mandate,
    OfferHow,
    Problem,
    RefusalReason,
    SignalOutcome,
)
from eenloket.core.audit import Activity, pseudonymise  # noqa: E402
from eenloket.core.calendar import AMSTERDAM  # noqa: E402
from eenloket.core.models import AccessLog  # noqa: E402
from eenloket.core.roles import Role  # noqa: E402
from eenloket.organisations.models import Membership, Organisation, Team, User  # noqa: E402
from eenloket.organisations.selectors import get_scope  # noqa: E402
from eenloket.residents import selectors as resident_selectors  # noqa: E402
from eenloket.residents.models import Resident  # noqa: E402


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


ROOT = Path(__file__).resolve().parent.parent
CASES = _env_int("BENCH_CASES_CASES", 50_000)
DOORBRAAK = _env_int("BENCH_CASES_DOORBRAAK", 20_000)
SIGNALS = _env_int("BENCH_CASES_SIGNALS", 100_000)
LOG_ROWS = _env_int("BENCH_CASES_LOG_ROWS", 2_000_000)
HEAVY_ROWS = _env_int("BENCH_CASES_HEAVY_ROWS", 20_000)
RESIDENTS = _env_int("BENCH_CASES_RESIDENTS", 100_000)
CONTACTS = _env_int("BENCH_CASES_CONTACTS", 1_000_000)
CALLS = _env_int("BENCH_CASES_CALLS", 200)
HTTP_SECONDS = _env_int("BENCH_CASES_HTTP_SECONDS", 20)
CONNECTIONS = _env_int("BENCH_CASES_CONNECTIONS", 4)
WORKERS = _env_int("BENCH_CASES_WORKERS", 2)
SEED = _env_int("BENCH_CASES_SEED", 42)
CHUNK = 2500
PREFIX = "casusbench-"
REF = "CB-"  # case references, signal references of the generated data
BSN_RANGE = ("700000000", "799999999")  # generate_load_data's residents
MUNICIPALITIES = {"gemeente-enschede": "enschede", "gemeente-maastricht": "maastricht"}
AGENCIES = ("uwv", "svb", "cak", "duo", "toeslagen", "cjib", "juridisch-loket")
WITH_COORDINATOR = {"cjib", "toeslagen", "uwv", "cak"}  # the others escalate to management
PARTNERS = [
    # code, type, name (twentewonen and energie-oost as in the demo data)
    ("twentewonen", "woningcorporatie", "Woonstichting Twentewonen"),
    ("casusbench-woonbron-oost", "woningcorporatie", "Woonbron Oost"),
    ("casusbench-maaswonen", "woningcorporatie", "Maaswonen"),
    ("energie-oost", "energieleverancier", "Energie Oost"),
    ("casusbench-energie-zuid", "energieleverancier", "Energie Zuid"),
    ("casusbench-water-oost", "drinkwaterbedrijf", "Waterbedrijf Oost"),
    ("casusbench-water-limburg", "drinkwaterbedrijf", "Waterleiding Limburg"),
    ("casusbench-zorg-oost", "zorgverzekeraar", "Zorgverzekeraar Oost"),
    ("casusbench-zorg-zuid", "zorgverzekeraar", "Zorgverzekeraar Zuid"),
    ("casusbench-zorg-samen", "zorgverzekeraar", "Samen Zorgverzekerd"),
]
ARREARS_BY_TYPE = {
    "woningcorporatie": "huur",
    "energieleverancier": "energie",
    "drinkwaterbedrijf": "drinkwater",
    "zorgverzekeraar": "zorgverzekering",
}
GIVEN = ["Sanne", "Mehmet", "Ilse", "Bram", "Fatima", "Joris", "Noor", "Kees", "Aylin", "Ruud"]
SURNAMES = ["Jansen", "Bakker", "Yilmaz", "de Boer", "Visser", "Smit", "Mulder", "El Idrissi"]
TITLES = [
    "Schulden en dreigende huisuitzetting",
    "Huurachterstand, boetes en geen vast inkomen",
    "Beslag op uitkering, kinderen in de knel",
    "Terugvordering toeslagen en energieschuld",
    "Zorgkosten en betalingsachterstanden na ontslag",
    "Alleenstaande ouder met schulden en schoolverzuim",
    "Na scheiding: inkomen, woning en schulden regelen",
    "Studieschuld, boetes en geen werk",
]
PROBLEMS = {
    LifeDomain.FINANCES: ["Schulden bij meerdere schuldeisers", "Beslag op het loon"],
    LifeDomain.HOUSING: ["Huurachterstand van drie maanden", "Ontruiming aangekondigd"],
    LifeDomain.WORK: ["Uitkering gestopt na herbeoordeling", "Geen vast werk"],
    LifeDomain.CARE: ["Eigen bijdrage Wmo niet betaald", "Zorgpremie achterstallig"],
    LifeDomain.YOUTH: ["Kinderen missen school", "Opvoedondersteuning nodig"],
    LifeDomain.JUSTICE: ["Verkeersboetes opgelopen met verhogingen", "Gijzeling dreigt"],
    LifeDomain.EDUCATION: ["Studieschuld terugbetalen lukt niet"],
    LifeDomain.SOCIAL: ["Weinig mensen om op terug te vallen"],
}
ACTIONS = [
    "Betalingsregeling voorstellen",
    "Beslagvrije voet controleren",
    "Aanvraag bijzondere bijstand indienen",
    "Huurtoeslag opnieuw aanvragen",
    "Gesprek over de boetes inplannen",
    "Budgetcoach regelen",
    "Terugvordering heroverwegen",
    "Hulp bij formulieren afspreken",
]
PURPOSES = {
    "gemeente": "Schulden regelen en bestaanszekerheid herstellen",
    "uwv": "Uitkering en werk afstemmen op het plan",
    "svb": "Kinderbijslag en AOW afstemmen op het plan",
    "cak": "Eigen bijdrage betaalbaar maken",
    "duo": "Een betaalbare regeling voor de studieschuld",
    "toeslagen": "Terugvordering van toeslagen betaalbaar maken",
    "cjib": "Boetes betaalbaar maken en gijzeling voorkomen",
    "juridisch-loket": "Juridisch advies bij schulden en huur",
    "woningcorporatie": "Huisuitzetting voorkomen",
    "energieleverancier": "Afsluiting van energie voorkomen",
    "drinkwaterbedrijf": "Afsluiting van drinkwater voorkomen",
    "zorgverzekeraar": "Zorgverzekering behouden en premieschuld regelen",
}
DOORBRAAK_KINDS = {
    "cjib": [DoorbraakKind.PAUSE_COLLECTION, DoorbraakKind.PAYMENT_ARRANGEMENT],
    "toeslagen": [DoorbraakKind.PAUSE_COLLECTION, DoorbraakKind.CHANGE_DECISION],
    "uwv": [DoorbraakKind.CHANGE_DECISION, DoorbraakKind.PAUSE_COLLECTION],
    "duo": [DoorbraakKind.PAYMENT_ARRANGEMENT],
    "cak": [DoorbraakKind.PAYMENT_ARRANGEMENT, DoorbraakKind.PAUSE_COLLECTION],
    "svb": [DoorbraakKind.CHANGE_DECISION],
    "juridisch-loket": [DoorbraakKind.OTHER],
    "woningcorporatie": [DoorbraakKind.POSTPONE_EVICTION, DoorbraakKind.PAYMENT_ARRANGEMENT],
    "energieleverancier": [DoorbraakKind.POSTPONE_CUTOFF],
    "drinkwaterbedrijf": [DoorbraakKind.POSTPONE_CUTOFF],
    "zorgverzekeraar": [DoorbraakKind.PAYMENT_ARRANGEMENT],
}


def _log(message: str) -> None:
    print(f"[cases {time.strftime('%H:%M:%S')}] {message}", flush=True)


def _pct(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return round(values[k], 3)


def _stats(values, unit="ms"):
    if not values:
        return None
    return {
        "n": len(values),
        "mean": round(statistics.fmean(values), 3),
        "p50": _pct(values, 50),
        "p95": _pct(values, 95),
        "p99": _pct(values, 99),
        "max": round(max(values), 3),
        "unit": unit,
    }


_slowest: dict[str, tuple[float, str]] = {}  # measurement → (ms, sql) of its slowest query


def timed(name, fn, args_list):
    """Call fn(*args) for each args; wall ms, queries per call; keeps the slowest query."""
    times, queries = [], []
    for args in args_list:
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            fn(*args)
            times.append((time.perf_counter() - t0) * 1000)
        captured = [q for q in ctx.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")]
        queries.append(len(captured))
        for q in captured:
            ms = float(q["time"]) * 1000
            if ms > _slowest.get(name, (-1, ""))[0] and q["sql"].lstrip().upper().startswith(
                "SELECT"
            ):
                _slowest[name] = (ms, q["sql"])
    return {**_stats(times), "queries_min": min(queries), "queries_max": max(queries)}


def _fresh(user):
    """The scope is computed once per request: drop the cached one."""
    user.__dict__.pop("_eenloket_scope", None)
    return user


# ---- reference data ------------------------------------------------------------------------------
def _user(username, first, last, org, role, team=None, title=""):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@bench.eenloket.nl",
            "job_title": title,
            "direct_phone": "+31534800006",
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, organisation=org, team=team, role=role)
    return user


def world(today):
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=[*MUNICIPALITIES, *AGENCIES])}
    missing = {*MUNICIPALITIES, *AGENCIES} - set(orgs)
    if missing:
        sys.exit(f"organisations missing (generate_load_data makes them): {sorted(missing)}")
    for code, type_, name in PARTNERS:
        orgs[code], _ = Organisation.objects.get_or_create(
            code=code, defaults={"type": type_, "name": name}
        )
    staff: dict[str, list[User]] = {}
    managers: dict[str, list[User]] = {}
    officers, debt_team = {}, {}
    for code, short in MUNICIPALITIES.items():
        org = orgs[code]
        regie, _ = Team.objects.get_or_create(organisation=org, name="Casusregie")
        debts, _ = Team.objects.get_or_create(organisation=org, name="Schuldhulp en geldzaken")
        managers[code] = [
            _user(
                f"{PREFIX}{short}-cm-{n:02d}",
                GIVEN[n % len(GIVEN)],
                SURNAMES[n % len(SURNAMES)],
                org,
                Role.CASEMANAGER,
                regie,
                "Casemanager",
            )
            for n in range(1, 26)
        ]
        _user(f"{PREFIX}{short}-tl", "Teun", "Leider", org, Role.TEAMLEIDER, regie, "Teamleider")
        _user(f"{PREFIX}{short}-mt", "Mara", "Directie", org, Role.MANAGEMENT)
        officers[code] = _user(
            f"{PREFIX}{short}-privacy", "Pim", "Privacy", org, Role.PRIVACYFUNCTIONARIS
        )
        debt_team[code] = [
            _user(
                f"{PREFIX}{short}-schuld-{n}", "Sam", "Schuldhulp", org, Role.BALIEMEDEWERKER, debts
            )
            for n in (1, 2)
        ]
        staff[code] = managers[code]
    for code, org in orgs.items():
        if code in MUNICIPALITIES:
            continue
        short = code.removeprefix(PREFIX)
        staff[code] = [
            _user(
                f"{PREFIX}{short}-{n}",
                GIVEN[(n + len(code)) % len(GIVEN)],
                SURNAMES[(n * 3 + len(code)) % len(SURNAMES)],
                org,
                Role.MEDEWERKER_UITVOERING,
            )
            for n in (1, 2, 3)
        ]
        _user(f"{PREFIX}{short}-mt", "Mees", "Management", org, Role.MANAGEMENT)
        if code in WITH_COORDINATOR:
            _user(f"{PREFIX}{short}-doorbraak", "Dana", "Doorbraak", org, Role.DOORBRAAKCOORDINATOR)
    for code in MUNICIPALITIES:
        for partner in [c for c in orgs if c not in MUNICIPALITIES]:
            if orgs[partner].type in ("svb", "duo", "juridisch-loket"):
                continue
            Mandate.objects.get_or_create(
                municipality=orgs[code],
                organisation=orgs[partner],
                agreement="Convenant schuldhulp en doorbraak",
                defaults={
                    "kinds": [k.value for k in DOORBRAAK_KINDS[_kind_key(orgs[partner])]],
                    "max_amount": Decimal("2500.00"),
                    "max_days": 60,
                    "overturn_days": 5,
                    "valid_from": today - dt.timedelta(days=800),
                },
            )
    return orgs, staff, managers, officers, debt_team


def _kind_key(org) -> str:
    return org.code if org.type != "gemeente" and org.code in DOORBRAAK_KINDS else org.type


# ---- data ----------------------------------------------------------------------------------------
def ensure_residents():
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM residents_resident WHERE bsn BETWEEN %s AND %s", BSN_RANGE
        )
        have = cur.fetchone()[0]
        cur.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE relname = 'contacts_contactmoment'"
        )
        contacts = cur.fetchone()[0]
    if have < RESIDENTS:
        _log(f"generate_load_data: {have:,} generated residents, {RESIDENTS:,} wanted")
        call_command(
            "generate_load_data", residents=RESIDENTS, contacts=max(CONTACTS, contacts), verbosity=1
        )
    else:
        call_command("generate_load_data", residents=0, contacts=0, verbosity=0)


def _residents_pool():
    rows = list(
        Resident.objects.filter(bsn__range=BSN_RANGE)
        .order_by("id")
        .values_list("id", "municipality_id", "household_id")[:RESIDENTS]
    )
    random.Random(SEED).shuffle(rows)
    return rows


def _moment(rng, day: dt.date, start_hour=8, end_hour=17) -> dt.datetime:
    minutes = rng.randint(start_hour * 60, end_hour * 60 - 1)
    local = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=AMSTERDAM)
    return local.astimezone(dt.UTC)


def load_cases(orgs, staff, managers, today):
    have = Case.objects.filter(reference__startswith=REF).count()
    if have >= CASES:
        return have, 0.0
    t0 = time.perf_counter()
    pool = _residents_pool()
    muni_code = {orgs[c].pk: c for c in MUNICIPALITIES}
    helpers = [o for o in orgs.values() if o.type != "gemeente"]
    enschede_share = 2000 / (CASES * 0.58)
    parts_all = list(CasePart.values)
    for start in range(have - have % CHUNK, CASES, CHUNK):
        rng = random.Random(SEED * 1000 + start)
        cases, extra = [], []
        for i in range(start, min(start + CHUNK, CASES)):
            resident_id, municipality_id, household_id = pool[i % len(pool)]
            code = muni_code.get(municipality_id, "gemeente-enschede")
            municipality = orgs[code]
            if code == "gemeente-enschede" and rng.random() < enschede_share:
                manager = managers[code][0]  # casusbench-enschede-cm-01: ~2,000 cases
            else:
                manager = managers[code][1 + rng.randrange(len(managers[code]) - 1)]
            repeat = i >= len(pool)
            closed = repeat or rng.random() < 0.25
            age = rng.randint(200, 1400) if repeat else rng.randint(30 if closed else 0, 720)
            opened_on = today - dt.timedelta(days=age)
            opened_at = _moment(rng, opened_on)
            case = Case(
                reference=f"{REF}{i + 1:07d}",
                municipality=municipality,
                case_manager=manager,
                resident_id=resident_id,
                household_id=household_id,
                title=rng.choice(TITLES),
                goal="Rust in de financiën en een vaste woning voor het gezin.",
                status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
                opened_at=opened_at,
            )
            if closed:
                case.closed_at = opened_at + dt.timedelta(days=rng.randint(30, min(age, 400) + 30))
                case.closed_at = min(case.closed_at, timezone.now() - dt.timedelta(days=1))
                case.closure_reason = rng.choice(ClosureReason.values)
                case.evaluation = "Vaste contactpersonen bij elke organisatie hielpen."
                case.evaluation_obstacles = "Beslag liep door terwijl de regeling werd getroffen."
            cases.append(case)
            extra.append((rng.sample(helpers, rng.randint(2, 5)), age))
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=1000)
            parties, consents, problems, actions, updates = [], [], [], [], []
            for case, (helping, age) in zip(cases, extra, strict=True):
                manager = case.case_manager
                domains = rng.sample(list(LifeDomain.values), rng.randint(2, 4))
                for domain in domains:
                    problems.append(
                        Problem(
                            case=case,
                            domain=domain,
                            description=rng.choice(PROBLEMS[domain]),
                            urgent=rng.random() < 0.15,
                            recorded_at=case.opened_at + dt.timedelta(hours=rng.randint(0, 48)),
                            recorded_by=manager,
                            solved_at=case.opened_at + dt.timedelta(days=rng.randint(20, 200))
                            if rng.random() < 0.3 and age > 200
                            else None,
                        )
                    )
                for org in helping:
                    joined = case.opened_at + dt.timedelta(days=rng.randint(0, 14))
                    parties.append(
                        CaseParty(
                            case=case,
                            organisation=org,
                            contact_person=rng.choice(staff[org.code]),
                            role_in_case=PURPOSES[org.type if org.type in PURPOSES else org.code],
                            joined_at=joined,
                            added_by=manager,
                        )
                    )
                    purpose = PURPOSES.get(org.code) or PURPOSES.get(org.type, "Samenwerken")
                    parts = [CasePart.PROBLEMS.value] + [
                        p
                        for p, chance in zip(parts_all, (0.7, 0, 0.6, 0.4), strict=True)
                        if p != CasePart.PROBLEMS and rng.random() < chance
                    ]
                    given = joined.astimezone(AMSTERDAM).date()
                    roll = rng.random()
                    renewed = rng.random() < 0.1 and age > 400
                    for n in range(2 if renewed else 1):
                        first = renewed and n == 0
                        valid_from = given if not (renewed and n) else given + dt.timedelta(365)
                        if first or (not case.is_open) or roll > 0.85:  # expired
                            until = min(
                                valid_from + dt.timedelta(days=364), today - dt.timedelta(1)
                            )
                            until = max(until, valid_from)
                        else:
                            until = today + dt.timedelta(days=rng.randint(10, 365))
                        legal = rng.random() < 0.2
                        consent = Consent(
                            case=case,
                            organisation=org,
                            parts=sorted(parts),
                            domains=[]
                            if rng.random() < 0.5
                            else rng.sample(domains, min(len(domains), rng.randint(1, 2))),
                            purpose=purpose,
                            basis=ConsentBasis.LEGAL if legal else ConsentBasis.CONSENT,
                            legal_ground=LegalGround.WGS if legal else "",
                            legal_article="art. 8 lid 1" if legal else "",
                            given_on=None if legal else valid_from,
                            given_how="" if legal else rng.choice(ConsentForm.values),
                            given_by="" if legal else "De inwoner zelf",
                            in_interest=not legal,
                            own_request=not legal,
                            no_disadvantage=not legal,
                            informed=not legal,
                            valid_from=valid_from,
                            valid_until=until,
                            recorded_by=manager,
                            recorded_at=joined,
                        )
                        if case.is_open and not first and 0.7 < roll <= 0.85:  # revoked
                            consent.revoked_at = joined + dt.timedelta(days=rng.randint(1, 60))
                            consent.revoked_at = min(consent.revoked_at, timezone.now())
                            consent.revoked_by = manager
                            consent.revoked_reason = "De inwoner wil dit niet meer delen."
                        consents.append(consent)
                owners = [case.municipality, *helping]
                for _n in range(rng.randint(2, 5)):
                    created = case.opened_at + dt.timedelta(days=rng.randint(0, 30))
                    done = rng.random() < (0.8 if not case.is_open else 0.4)
                    actions.append(
                        CaseAction(
                            case=case,
                            domain=rng.choice(domains),
                            description=rng.choice(ACTIONS),
                            owner=rng.choice(owners),
                            due_on=(created + dt.timedelta(days=rng.randint(7, 60))).date(),
                            status=ActionStatus.DONE if done else ActionStatus.OPEN,
                            result="Geregeld." if done else "",
                            created_at=created,
                            created_by=manager,
                            finished_at=created + dt.timedelta(days=5) if done else None,
                            finished_by=manager if done else None,
                        )
                    )
                for _n in range(rng.randint(0, 3)):
                    org = rng.choice(owners)
                    updates.append(
                        CaseUpdate(
                            case=case,
                            organisation=org,
                            author=rng.choice(staff[org.code]),
                            domain=rng.choice(domains),
                            text="Gesprek gehad; de regeling is aangevraagd.",
                            created_at=case.opened_at + dt.timedelta(days=rng.randint(1, 60)),
                        )
                    )
            CaseParty.objects.bulk_create(parties, batch_size=2000)
            Consent.objects.bulk_create(consents, batch_size=2000)
            Problem.objects.bulk_create(problems, batch_size=2000)
            CaseAction.objects.bulk_create(actions, batch_size=2000)
            CaseUpdate.objects.bulk_create(updates, batch_size=2000)
        _log(f"cases: {min(start + CHUNK, CASES):,}/{CASES:,}")
    return CASES, time.perf_counter() - t0


def load_doorbraak(orgs, staff, managers, today, now):
    have = DoorbraakRequest.objects.filter(case__reference__startswith=REF).count()
    if have >= DOORBRAAK:
        return have, 0.0
    t0 = time.perf_counter()
    rng = random.Random(SEED + 7 + have)
    cases = list(
        Case.objects.filter(reference__startswith=REF).values_list(
            "id", "status", "opened_at", "closed_at", "case_manager_id", "municipality_id"
        )
    )
    parties: dict[int, list[int]] = {}
    for case_id, org_id in CaseParty.objects.filter(case__reference__startswith=REF).values_list(
        "case_id", "organisation_id"
    ):
        parties.setdefault(case_id, []).append(org_id)
    by_pk = {o.pk: o for o in orgs.values()}
    mandates = {
        (m.municipality_id, m.organisation_id): m.pk for m in Mandate.objects.all() if m.kinds
    }
    answerers = staff
    rows = []
    for _i in range(have, DOORBRAAK):
        case_id, status, opened_at, closed_at, manager_id, municipality_id = rng.choice(cases)
        org = by_pk[rng.choice(parties[case_id])]
        end = closed_at or now
        span = max(1, int((end - opened_at).total_seconds() // 86400))
        requested_at = opened_at + dt.timedelta(days=rng.randint(0, span), hours=rng.randint(0, 8))
        requested_at = min(requested_at, now - dt.timedelta(hours=1))
        answer_by = requested_at.astimezone(AMSTERDAM).date() + dt.timedelta(rng.randint(5, 15))
        kind = rng.choice(DOORBRAAK_KINDS[_kind_key(org)])
        row = DoorbraakRequest(
            case_id=case_id,
            to_organisation=org,
            kind=kind,
            motivation="Zonder pauze loopt de schuld op en lukt de regeling niet.",
            subject_reference=f"{org.code[:4].upper()}-{rng.randint(100000, 999999)}",
            amount=Decimal(rng.randint(50, 4000)),
            pause_days=rng.choice([None, 30, 60]),
            answer_by=answer_by,
            requested_by_id=manager_id,
            requested_at=requested_at,
        )
        roll = rng.random()
        answered = requested_at + dt.timedelta(days=rng.randint(1, 12))
        if answer_by >= today and status == CaseStatus.OPEN:
            mandate = mandates.get((municipality_id, org.pk))
            if mandate and roll < 0.3:
                row.state = DoorbraakState.PAUSED
                row.mandate_id = mandate
                row.paused_until = today + dt.timedelta(days=30)
                row.overturn_until = answer_by
            # else: sent, waiting, not yet late
        elif status == CaseStatus.OPEN and roll < 0.2:  # unanswered past its date
            late_days = (today - answer_by).days
            row.escalation_level = 2 if late_days > 4 else 1
            row.escalated_at = _moment(rng, answer_by + dt.timedelta(days=1), 0, 1)
        else:
            state = rng.choices(
                [
                    DoorbraakState.GRANTED,
                    DoorbraakState.PARTLY,
                    DoorbraakState.REFUSED,
                    DoorbraakState.WITHDRAWN,
                    DoorbraakState.OVERTURNED,
                ],
                weights=[45, 15, 25, 8, 7],
            )[0]
            row.state = state
            row.answered_at = min(answered, now)
            row.answered_by = rng.choice(answerers[org.code])
            row.answer = "Afgehandeld zoals gevraagd." if state != "geweigerd" else "Kan niet."
            if state == DoorbraakState.REFUSED:
                row.refusal_reason = rng.choice(RefusalReason.values)
                row.obstructing_rule = rng.choice(
                    ["Invorderingswet art. 26", "Beleidsregel betalingsregelingen", ""]
                )
        rows.append(row)
    DoorbraakRequest.objects.bulk_create(rows, batch_size=2000)
    return DOORBRAAK, time.perf_counter() - t0


def load_signals(orgs, debt_team, today, now):
    have = ArrearsSignal.objects.filter(reporter_reference__startswith=REF).count()
    if have >= SIGNALS:
        return have, 0.0
    t0 = time.perf_counter()
    rng = random.Random(SEED + 11 + have)
    pool = list(
        Resident.objects.filter(bsn__range=BSN_RANGE)
        .order_by("id")
        .values_list(
            "id",
            "household_id",
            "municipality_id",
            "surname",
            "postcode",
            "house_number",
            "house_number_addition",
        )[:RESIDENTS]
    )
    reporters = [o for o in orgs.values() if o.type in ARREARS_BY_TYPE]
    handlers = {orgs[c].pk: users for c, users in debt_team.items()}
    enschede = orgs["gemeente-enschede"].pk
    primaries: list[ArrearsSignal] = []
    n = have
    while n < SIGNALS:
        batch, joins = [], []
        for _ in range(min(10_000, SIGNALS - n)):
            resident_id, household_id, municipality_id, surname, postcode, number, addition = (
                rng.choice(pool)
            )
            reporter = rng.choice(reporters)
            received = _moment(rng, today - dt.timedelta(days=rng.randint(0, 730)), 0, 24)
            received = min(received, now - dt.timedelta(minutes=5))
            matched = rng.random() > 0.05
            row = ArrearsSignal(
                reporter=reporter,
                reporter_reference=f"{REF}{n + 1:08d}",
                municipality_id=municipality_id or enschede,
                kind=ARREARS_BY_TYPE[reporter.type],
                amount=Decimal(rng.randint(80, 3500)),
                months=rng.randint(1, 6),
                surname=surname,
                postcode=postcode,
                house_number=number,
                house_number_addition=addition,
                resident_id=resident_id if matched else None,
                household_id=household_id if matched else None,
                received_at=received,
                offer_due_on=received.astimezone(AMSTERDAM).date() + dt.timedelta(days=7),
            )
            n += 1
            primary = rng.choice(primaries) if primaries and rng.random() < 0.02 else None
            if primary is not None and primary.resident_id:
                # a later signal of the same household joins the first (same address)
                row.resident_id, row.household_id = primary.resident_id, primary.household_id
                row.municipality_id, row.surname = primary.municipality_id, primary.surname
                row.postcode, row.house_number = primary.postcode, primary.house_number
                row.house_number_addition = primary.house_number_addition
                row.received_at = min(
                    primary.received_at + dt.timedelta(days=rng.randint(1, 20)), now
                )
                row.offer_due_on = primary.offer_due_on
                row.outcome = ""
                joins.append((row, primary))
                batch.append(row)
                continue
            if received < now - dt.timedelta(days=14) or rng.random() < 0.5:
                row.offered_at = received + dt.timedelta(days=rng.randint(1, 7))
                row.offered_how = rng.choice(OfferHow.values)
                row.outcome = rng.choice(SignalOutcome.values)
                row.handled_by = rng.choice(handlers.get(row.municipality_id, handlers[enschede]))
            batch.append(row)
        for row, primary in joins:
            row.joined_to = primary
        with transaction.atomic():
            ArrearsSignal.objects.bulk_create([r for r in batch if r.joined_to is None], 2000)
            ArrearsSignal.objects.bulk_create([r for r in batch if r.joined_to is not None], 2000)
        primaries = [r for r in batch if r.joined_to is None and r.resident_id and not r.outcome]
        _log(f"signals: {n:,}/{SIGNALS:,}")
    return n, time.perf_counter() - t0


def heavy_case():
    """The resident with the long history: the one of the first bench case of the heavy
    case manager that is open."""
    return (
        Case.objects.filter(
            reference__startswith=REF,
            case_manager__username=f"{PREFIX}enschede-cm-01",
            status=CaseStatus.OPEN,
        )
        .select_related("resident")
        .order_by("reference")
        .first()
    )


LOG_SQL = """
INSERT INTO core_accesslog (trace_id, span_id, name, start_time, end_time, status_code,
    resource_name, resource_version, processing_activity_id, purpose, data_subject_id_type,
    data_subject_id, actor_id, actor_name, actor_organisation, actor_role, action, channel,
    object_type, object_id)
SELECT md5(%(seed)s::text || ':' || h.g), substr(md5(%(seed)s::text || ':s:' || h.g), 1, 16),
       m.activity, h.at, h.at, 'OK', 'eenloket', '1', m.activity, m.purpose, 'BSN',
       CASE WHEN h.heavy THEN %(heavy_subject)s ELSE s.subject END,
       a.actor_id, a.actor_name, a.organisation, a.role, m.action, m.channel, m.object_type,
       CASE WHEN m.object_type IN ('case', 'doorbraak')
            THEN CASE WHEN h.heavy THEN %(heavy_case)s ELSE c.uuid END
            ELSE CASE WHEN h.heavy THEN %(heavy_object)s ELSE s.object END
       END
FROM (
    SELECT g, abs(hashint8extended(g, %(seed)s + 1)) %% 100 = 0 AS heavy,
           abs(hashint8extended(g, %(seed)s + 2)) %% %(n_subjects)s AS sk,
           abs(hashint8extended(g, %(seed)s + 3)) %% %(n_actors)s AS ak,
           abs(hashint8extended(g, %(seed)s + 5)) %% %(n_mix)s AS mk,
           %(start)s::timestamptz + (g * %(step)s::float8) * interval '1 second'
               + (abs(hashint8extended(g, %(seed)s + 4)) %% 60) * interval '1 second' AS at
    FROM generate_series(%(first)s::bigint, %(last)s::bigint) g
) h
JOIN cb_subjects s ON s.k = h.sk
JOIN cb_cases c ON c.k = h.sk %% %(n_cases)s
JOIN cb_actors a ON a.k = h.ak
JOIN cb_mix m ON m.k = h.mk
ORDER BY h.g
"""
# activity, object type, action, channel, weight (out of 100)
LOG_MIX = [
    (Activity.RESIDENT_VIEW, "resident", "read", "ui", 26),
    (Activity.RESIDENT_SEARCH, "resident", "search", "ui", 8),
    (Activity.CONTACT_VIEW, "contact-history", "read", "api", 14),
    (Activity.CONTACT_REGISTER, "contact-moment", "create", "ui", 12),
    (Activity.REFERRAL_VIEW, "referral", "read", "ui", 5),
    (Activity.APPOINTMENT, "appointment", "read", "ui", 6),
    (Activity.LETTER_SEND, "letter", "create", "system", 5),
    (Activity.TASK_WORK, "task", "read", "ui", 5),
    (Activity.TERM_REQUEST, "tracked_request", "read", "ui", 4),
    (Activity.CASE_WORK, "case", "read", "ui", 7),
    (Activity.CASE_SHARE, "case", "read", "ui", 5),
    (Activity.DOORBRAAK, "doorbraak", "read", "ui", 2),
    (Activity.EARLY_SIGNAL, "arrears-signal", "create", "api", 1),
]


def load_access_log(case, now):
    heavy_subject = pseudonymise(case.resident.bsn)
    have_heavy = AccessLog.objects.filter(data_subject_id=heavy_subject).count()
    if have_heavy >= HEAVY_ROWS * 0.9:
        with connection.cursor() as cur:
            cur.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'core_accesslog'")
            return cur.fetchone()[0], have_heavy, 0.0
    t0 = time.perf_counter()
    residents = list(
        Resident.objects.filter(bsn__range=BSN_RANGE)
        .order_by("id")
        .values_list("bsn", "uuid")[:RESIDENTS]
    )
    cases = [
        str(u)
        for u in Case.objects.filter(reference__startswith=REF).values_list("uuid", flat=True)
    ]
    actors = list(
        Membership.objects.filter(
            Q(user__username__startswith="loadgen-") | Q(user__username__startswith=PREFIX)
        )
        .exclude(user__username="loadgen-loket")
        .order_by("id")
        .values_list(
            "user__uuid", "user__first_name", "user__last_name", "organisation__code", "role"
        )
    )
    mix = []
    for activity, object_type, action, channel, weight in LOG_MIX:
        label = str(activity.label)
        if activity == Activity.CASE_SHARE:
            label = PURPOSES["woningcorporatie"]
        mix += [(activity.value, label, object_type, action, channel)] * weight
    tables = {
        "cb_subjects (k int PRIMARY KEY, subject text, object text)": [
            (k, pseudonymise(bsn), str(u)) for k, (bsn, u) in enumerate(residents)
        ],
        "cb_cases (k int PRIMARY KEY, uuid text)": list(enumerate(cases)),
        "cb_actors (k int PRIMARY KEY, actor_id text, actor_name text, organisation text, "
        "role text)": [
            (k, str(a[0]), f"{a[1]} {a[2]}".strip(), a[3], a[4]) for k, a in enumerate(actors)
        ],
        "cb_mix (k int PRIMARY KEY, activity text, purpose text, object_type text, action text, "
        "channel text)": [(k, *row) for k, row in enumerate(mix)],
    }
    start = now - dt.timedelta(days=730)
    params = {
        "seed": SEED,
        "heavy_subject": heavy_subject,
        "heavy_case": str(case.uuid),
        "heavy_object": str(case.resident.uuid),
        "n_subjects": len(residents),
        "n_cases": len(cases),
        "n_actors": len(actors),
        "n_mix": len(mix),
        "start": start,
        "step": (now - start).total_seconds() / LOG_ROWS,
    }
    # One transaction: either the whole log is there (the marker: the heavy resident's rows) or
    # none of it. Time order, as the rows arrive in real life; the heavy resident's rows are
    # spread over the table as they would be.
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL synchronous_commit = off")
        raw = cur.cursor
        for definition, rows in tables.items():
            name = definition.split()[0]
            raw.execute(f"CREATE TEMP TABLE {definition} ON COMMIT DROP")
            with raw.copy(f"COPY {name} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            raw.execute(f"ANALYZE {name}")
        for first in range(0, LOG_ROWS, 500_000):
            last = min(first + 500_000, LOG_ROWS) - 1
            cur.execute(LOG_SQL, {**params, "first": first, "last": last})
            _log(f"access log: {last + 1:,}/{LOG_ROWS:,}")
    heavy = AccessLog.objects.filter(data_subject_id=heavy_subject).count()
    return LOG_ROWS, heavy, time.perf_counter() - t0


def vacuum():
    tables = [
        "cases_case",
        "cases_caseparty",
        "cases_consent",
        "cases_problem",
        "cases_caseaction",
        "cases_caseupdate",
        "cases_doorbraakrequest",
        "cases_arrearssignal",
        "core_accesslog",
    ]
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(f"VACUUM (ANALYZE) {table}")


# ---- measurements ----------------------------------------------------------------------------------
def measure_reads(result, orgs, managers, today, now):
    rng = random.Random(SEED + 99)
    # (case uuid, organisation) with an active consent, open cases
    shared = list(
        Consent.objects.filter(
            case__reference__startswith=REF,
            case__status=CaseStatus.OPEN,
            revoked_at__isnull=True,
            valid_from__lte=today,
            valid_until__gte=today,
        )
        .exclude(organisation__type="gemeente")
        .values_list("case__uuid", "organisation__code")
        .order_by("?")[:CALLS]
    )
    partner_user = {
        code: User.objects.get(username=f"{PREFIX}{code.removeprefix(PREFIX)}-1")
        for code in {c for _u, c in shared}
    }
    result["get_case_partner"] = timed(
        "get_case_partner",
        lambda u, c: selectors.get_case(_fresh(u), c, now=now),
        [(partner_user[code], uuid) for uuid, code in shared],
    )
    owned = list(
        Case.objects.filter(reference__startswith=REF, status=CaseStatus.OPEN)
        .values_list("uuid", "case_manager__username")
        .order_by("?")[:CALLS]
    )
    users = {u.username: u for u in User.objects.filter(username__in={n for _c, n in owned})}
    result["get_case_owner"] = timed(
        "get_case_owner",
        lambda u, c: selectors.get_case(_fresh(u), c, now=now),
        [(users[name], uuid) for uuid, name in owned],
    )
    # what the detail page reads after get_case (parts, per consent)
    views = [selectors.get_case(_fresh(users[n]), c, now=now) for c, n in owned[:50]]
    result["detail_owner"] = timed("detail_owner", selectors.detail, [(v,) for v in views])
    result["timeline_owner"] = timed(
        "timeline_owner", lambda v: selectors.timeline(v, now=now), [(v,) for v in views]
    )
    partner_views = [
        selectors.get_case(_fresh(partner_user[code]), uuid, now=now) for uuid, code in shared[:50]
    ]
    result["timeline_partner"] = timed(
        "timeline_partner",
        lambda v: selectors.timeline(v, now=now),
        [(v,) for v in partner_views if v.shows(CasePart.TIMELINE)] or [(partner_views[0],)],
    )

    # view_for alone (pure Python over the prefetched consents), µs
    def micro(view_list, scope_user):
        times = []
        for view in view_list:
            scope = get_scope(scope_user(view))
            for _ in range(20):
                t0 = time.perf_counter()
                access.view_for(scope, view.case, now)
                times.append((time.perf_counter() - t0) * 1e6)
        return _stats(times, "µs")

    result["view_for_owner"] = micro(views, lambda v: v.case.case_manager)
    result["view_for_partner"] = micro(partner_views, lambda v: partner_user[v.organisation_code])

    # the case list: the case manager with ~2,000 cases, and one with an average number
    heavy = managers["gemeente-enschede"][0]
    normal = managers["gemeente-enschede"][5]
    counts = dict(
        Case.objects.filter(case_manager__in=[heavy, normal])
        .values_list("case_manager__username")
        .annotate(n=Count("id"))
    )
    result["case_list_data"] = {
        "heavy_manager_cases": counts.get(heavy.username),
        "average_manager_cases": counts.get(normal.username),
        "open_cases_of_the_municipality": Case.objects.filter(
            municipality=orgs["gemeente-enschede"], status=CaseStatus.OPEN
        ).count(),
    }
    n = max(10, CALLS // 10)
    result["case_list_municipality"] = timed(
        "case_list_municipality",
        lambda u: selectors.case_list(_fresh(u), now=now),
        [(heavy,)] * n,
    )
    result["case_list_mine_heavy"] = timed(
        "case_list_mine_heavy",
        lambda u: selectors.case_list(_fresh(u), mine=True, now=now),
        [(heavy,)] * n,
    )
    result["case_list_mine_average"] = timed(
        "case_list_mine_average",
        lambda u: selectors.case_list(_fresh(u), mine=True, now=now),
        [(normal,)] * n,
    )
    partner = User.objects.get(username=f"{PREFIX}toeslagen-1")
    result["case_list_partner_toeslagen"] = timed(
        "case_list_partner_toeslagen",
        lambda u: selectors.case_list(_fresh(u), now=now),
        [(partner,)] * n,
    )
    result["case_list_partner_rows"] = len(selectors.case_list(_fresh(partner), now=now))

    # the resident basis of a case consent: a partner (housing corporation) that knows the
    # resident only from the case
    rows = list(
        Consent.objects.filter(
            case__reference__startswith=REF,
            case__status=CaseStatus.OPEN,
            organisation__type="woningcorporatie",
            revoked_at__isnull=True,
            valid_from__lte=today,
            valid_until__gte=today,
            parts__contains=[CasePart.PERSONAL.value],
        )
        .values_list("case__resident__uuid", "organisation__code")
        .order_by("?")[:CALLS]
    )
    housing = {
        code: User.objects.get(username=f"{PREFIX}{code.removeprefix(PREFIX)}-1")
        for _r, code in rows
    }
    result["get_resident_on_case_consent"] = timed(
        "get_resident_on_case_consent",
        lambda u, r: resident_selectors.get_resident(_fresh(u), r),
        [(housing[code], uuid) for uuid, code in rows],
    )
    residents = {r.uuid: r for r in Resident.objects.filter(uuid__in=[u for u, _c in rows])}
    result["case_consent_provider"] = timed(
        "case_consent_provider",
        lambda org_ids, r: list(access._case_consent(org_ids, r, now)),
        [(frozenset({orgs[code].pk}), residents[uuid]) for uuid, code in rows],
    )
    rng.random()


def measure_signals(result, orgs, now):
    rng = random.Random(int(now.timestamp()))
    pool = list(
        Resident.objects.filter(bsn__range=BSN_RANGE)
        .exclude(postcode="")
        .values_list("surname", "postcode", "house_number", "house_number_addition")
        .order_by("?")[: CALLS + 4000]
    )
    reporters = {
        o.type: User.objects.get(username=f"{PREFIX}{o.code.removeprefix(PREFIX)}-1")
        for o in orgs.values()
        if o.type in ARREARS_BY_TYPE
    }
    stamp = now.strftime("%Y%m%d%H%M%S")
    calls = []
    for n, (surname, postcode, number, addition) in enumerate(pool[:CALLS]):
        type_ = rng.choice(list(ARREARS_BY_TYPE))
        calls.append(
            (
                reporters[type_],
                {
                    "kind": ARREARS_BY_TYPE[type_],
                    "amount": f"{rng.randint(80, 3000)}.00",
                    "months": rng.randint(1, 6),
                    "surname": surname,
                    "postcode": postcode,
                    "house_number": number,
                    "house_number_addition": addition,
                    "reference": f"RUN-{stamp}-{n}",
                },
            )
        )
    result["receive_signal"] = timed(
        "receive_signal",
        lambda u, body: services.receive_signal(user=_fresh(u), **body),
        calls,
    )
    return pool[CALLS:], reporters, stamp


def measure_escalation(result, today, now):
    late = DoorbraakRequest.objects.filter(state=DoorbraakState.SENT, answer_by__lt=today)
    result["doorbraak_data"] = {
        "requests": DoorbraakRequest.objects.count(),
        "sent_past_answer_date": late.count(),
        "paused": DoorbraakRequest.objects.filter(state=DoorbraakState.PAUSED).count(),
    }

    def run(moment):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            actions = services.escalate_doorbraak(moment)
            seconds = time.perf_counter() - t0
        return {
            "actions": actions,
            "seconds": round(seconds, 3),
            "queries": len(ctx.captured_queries),
        }

    # The escalation state as the half-hourly sweep leaves it, relative to today; in a
    # transaction that is rolled back (the data stays as generated).
    with transaction.atomic():
        recent = today - dt.timedelta(days=3)
        late.filter(answer_by__lt=recent).update(
            escalation_level=2, escalated_at=now - dt.timedelta(days=1)
        )
        late.filter(answer_by__gte=recent, answer_by__lt=today - dt.timedelta(days=1)).update(
            escalation_level=1, escalated_at=now - dt.timedelta(hours=2)
        )
        late.filter(answer_by=today - dt.timedelta(days=1)).update(
            escalation_level=0, escalated_at=None
        )
        DoorbraakRequest.objects.filter(
            state=DoorbraakState.PAUSED, overturn_until__lt=today - dt.timedelta(days=1)
        ).update(state=DoorbraakState.GRANTED, answered_at=now - dt.timedelta(days=1))
        result["sweep_normal"] = {
            "waiting_at_level_1": late.filter(escalation_level=1).count(),
            "new_today": late.filter(escalation_level=0).count(),
            "run": run(now),
            "again_30_min_later": run(now + dt.timedelta(minutes=30)),
        }
        transaction.set_rollback(True)
    with transaction.atomic():
        late.update(escalation_level=0, escalated_at=None)
        result["sweep_backlog"] = {
            "overdue_unescalated": late.count(),
            "run": run(now),
            "again_30_min_later": run(now + dt.timedelta(minutes=30)),
        }
        transaction.set_rollback(True)


def measure_inzage(result, officer, case):
    made = inzage.for_resident(_fresh(officer), case.resident.bsn)
    result["inzage_rows_heavy_resident"] = made.rows().count()
    result["inzage_groups"] = timed("inzage_groups", lambda: inzage.groups(made), [()] * 10)
    groups, total = inzage.groups(made)
    result["inzage_groups_returned"] = {"groups": len(groups), "rows": total}
    t = []
    size = 0
    for _ in range(2):
        t0 = time.perf_counter()
        size = len(inzage.render_pdf(made))
        t.append((time.perf_counter() - t0) * 1000)
    result["inzage_render_pdf"] = {**_stats(t), "bytes": size}

    def consume():
        n = 0
        for chunk in inzage.stream_json(made):
            n += len(chunk)
        return n

    result["inzage_stream_json"] = timed("inzage_stream_json", consume, [()] * 5)
    tracemalloc.start()
    size = consume()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result["inzage_stream_json"].update(
        {"bytes": size, "tracemalloc_peak_kb": round(peak / 1024), "rows": total}
    )
    # the same for the case's own overview (rows of the case and its doorbraak requests)
    made_case = inzage.for_case(_fresh(officer), case.uuid)
    result["inzage_case_groups"] = timed(
        "inzage_case_groups", lambda: inzage.groups(made_case), [()] * 10
    )


# ---- HTTP ----------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(out: Path):
    port = _free_port()
    gunicorn = os.environ.get("GUNICORN") or str(Path(sys.executable).parent / "gunicorn")
    env = {
        **os.environ,
        "BENCH_BIND": f"127.0.0.1:{port}",
        "BENCH_WORKERS": str(WORKERS),
        "BENCH_WORKER_CLASS": "sync",
        "BENCH_THREADS": "1",
        "BENCH_ERRORLOG": "-",
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "600"),
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "src"), str(ROOT / "bench"), os.environ.get("PYTHONPATH")])
        ),
    }
    log = out.with_suffix(".gunicorn.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn with our own config
        [
            gunicorn,
            "-c",
            str(ROOT / "bench" / "gunicorn.conf.py"),
            "eenloket.conf.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    return process, port


def stop_gunicorn(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _post(port, token, body):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            "/api/v1/signals/",
            body=json.dumps(body),
            headers={
                "Authorization": f"Token {token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def measure_http(result, out: Path, pool, reporters, stamp):
    from rest_framework.authtoken.models import Token

    sys.path.insert(0, str(ROOT / "bench"))
    import tools

    tokens = {t: Token.objects.get_or_create(user=u)[0].key for t, u in reporters.items()}
    types = list(ARREARS_BY_TYPE)
    counter = iter(range(10**9))
    lock = threading.Lock()

    def body():
        with lock:
            n = next(counter)
        surname, postcode, number, addition = pool[n % len(pool)]
        type_ = types[n % len(types)]
        return tokens[type_], {
            "kind": ARREARS_BY_TYPE[type_],
            "amount": f"{100 + n % 2000}.00",
            "months": 1 + n % 6,
            "surname": surname,
            "postcode": postcode,
            "house_number": number,
            "house_number_addition": addition,
            "reference": f"RUN-{stamp}-http-{n}",
        }

    process, port = start_gunicorn(out)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                sys.exit("gunicorn stopped; see cases.gunicorn.log")
            try:
                token, b = body()
                status = _post(port, token, b)
                if status != 201:
                    sys.exit(f"POST /api/v1/signals/ answered {status}")
                break
            except (OSError, http.client.HTTPException):
                if time.monotonic() > deadline:
                    sys.exit("gunicorn did not start")
                time.sleep(0.3)

        def loop(seconds, sink):
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                token, b = body()
                t0 = time.perf_counter()
                try:
                    status = _post(port, token, b)
                except (OSError, http.client.HTTPException) as exc:
                    status = type(exc).__name__
                sink.append((status, (time.perf_counter() - t0) * 1000))

        def run(seconds):
            sinks = [[] for _ in range(CONNECTIONS)]
            threads = [threading.Thread(target=loop, args=(seconds, s)) for s in sinks]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            return [x for s in sinks for x in s]

        run(3)  # warm-up: every worker connects and imports what it needs

        def app_ticks():
            return tools._ticks(process.pid) + sum(
                tools._ticks(p) for p in tools._children(process.pid)
            )

        hz = os.sysconf("SC_CLK_TCK")
        ticks0, t0 = app_ticks(), time.perf_counter()
        samples = run(HTTP_SECONDS)
        wall = time.perf_counter() - t0
        app_cpu = (app_ticks() - ticks0) / hz
    finally:
        stop_gunicorn(process)
    statuses: dict[str, int] = {}
    for status, _ms in samples:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    result["http_post_signals"] = {
        **_stats([ms for _s, ms in samples]),
        "requests": len(samples),
        "requests_per_s": round(len(samples) / wall, 1),
        "statuses": statuses,
        "app_cpu_ms_per_request": round(1000 * app_cpu / max(1, len(samples)), 2),
        "workers": WORKERS,
        "connections": CONNECTIONS,
        "seconds": round(wall, 1),
    }
    log = out.with_suffix(".gunicorn.log")
    if log.exists():
        result["http_post_signals"]["gunicorn_log_tracebacks"] = log.read_text().count("Traceback")


# ---- EXPLAIN ---------------------------------------------------------------------------------------
def explain(out: Path):
    parts = []
    for name, (ms, sql) in sorted(_slowest.items()):
        with connection.cursor() as cur:
            try:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(r[0] for r in cur.fetchall())
            except Exception as exc:  # noqa: BLE001 - a query that cannot be re-run as text
                plan = f"(not explained: {exc})"
        parts.append(f"=== {name}: slowest query {ms:.1f} ms\n{sql}\n\n{plan}\n")
    out.with_suffix(".explain.txt").write_text("\n".join(parts))


def summary(r: dict) -> str:
    rows = [
        ("selectors.get_case, partner with consent", r["get_case_partner"]),
        ("selectors.get_case, owner (case manager)", r["get_case_owner"]),
        ("selectors.detail, owner", r["detail_owner"]),
        ("selectors.timeline, owner", r["timeline_owner"]),
        ("selectors.timeline, partner with tijdlijn", r["timeline_partner"]),
        ("access.view_for, owner (µs)", r["view_for_owner"]),
        ("access.view_for, partner (µs)", r["view_for_partner"]),
        ("case_list, municipality (cm with ~2,000 cases)", r["case_list_municipality"]),
        ("case_list mine=True, cm with ~2,000 cases", r["case_list_mine_heavy"]),
        ("case_list mine=True, average cm", r["case_list_mine_average"]),
        ("case_list, partner (Toeslagen)", r["case_list_partner_toeslagen"]),
        ("residents get_resident on a case consent", r["get_resident_on_case_consent"]),
        ("  the case-consent basis provider alone", r["case_consent_provider"]),
        ("services.receive_signal (in-process)", r["receive_signal"]),
        ("POST /api/v1/signals/ over HTTP", r.get("http_post_signals")),
        ("inzage.groups, heavy resident", r["inzage_groups"]),
        ("inzage.render_pdf, heavy resident", r["inzage_render_pdf"]),
        ("inzage.stream_json, heavy resident", r["inzage_stream_json"]),
        ("inzage.groups, the heavy case", r["inzage_case_groups"]),
    ]
    lines = [
        "| what | n | p50 | p95 | p99 | queries |",
        "|---|---|---|---|---|---|",
    ]
    for label, s in rows:
        if not s:
            continue
        unit = s.get("unit", "ms")
        q = s.get("queries_max")
        qtext = (
            "" if q is None else (f"{s['queries_min']}–{q}" if s["queries_min"] != q else str(q))
        )
        lines.append(
            f"| {label} | {s['n']} | {s['p50']} {unit} | {s['p95']} {unit} | {s['p99']} {unit} | {qtext} |"
        )
    h = r.get("http_post_signals")
    if h:
        lines.append(
            f"\nHTTP: {h['requests_per_s']} req/s with {h['connections']} connections, "
            f"{h['workers']} sync workers, {h['requests']} requests, statuses {h['statuses']}, "
            f"app CPU {h['app_cpu_ms_per_request']} ms/request"
        )
    for key in ("sweep_normal", "sweep_backlog"):
        s = r[key]
        lines.append(
            f"{key}: run {s['run']['actions']} actions in {s['run']['seconds']} s "
            f"({s['run']['queries']} queries); again 30 min later {s['again_30_min_later']['actions']} "
            f"actions in {s['again_30_min_later']['seconds']} s "
            f"({s['again_30_min_later']['queries']} queries)"
        )
    s = r["inzage_stream_json"]
    lines.append(
        f"stream_json: {s['rows']:,} rows, {s['bytes'] / 1e6:.1f} MB, "
        f"tracemalloc peak {s['tracemalloc_peak_kb']:,} KB"
    )
    return "\n".join(lines)


def main(out: str) -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench/cases.py needs PostgreSQL (DATABASE_URL=postgres://...)")
    out_path = Path(out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    today = now.astimezone(AMSTERDAM).date()
    t_data = time.perf_counter()
    ensure_residents()
    orgs, staff, managers, officers, debt_team = world(today)
    n_cases, s_cases = load_cases(orgs, staff, managers, today)
    n_db, s_db = load_doorbraak(orgs, staff, managers, today, now)
    n_sig, s_sig = load_signals(orgs, debt_team, today, now)
    case = heavy_case()
    n_log, n_heavy, s_log = load_access_log(case, now)
    if s_cases or s_db or s_sig or s_log:
        _log("VACUUM (ANALYZE)")
        vacuum()
    result: dict = {
        "data": {
            "organisations": Organisation.objects.count(),
            "cases": n_cases,
            "case_parties": CaseParty.objects.count(),
            "consents": Consent.objects.count(),
            "problems": Problem.objects.count(),
            "actions": CaseAction.objects.count(),
            "doorbraak_requests": n_db,
            "signals": n_sig,
            "access_log_rows": n_log,
            "heavy_resident_log_rows": n_heavy,
            "load_seconds": {
                "cases": round(s_cases, 1),
                "doorbraak": round(s_db, 1),
                "signals": round(s_sig, 1),
                "access_log": round(s_log, 1),
                "total_with_checks": round(time.perf_counter() - t_data, 1),
            },
        },
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()},
    }
    _log(f"data: {json.dumps(result['data'])}")
    _log("reads: get_case, detail, timeline, view_for, case_list, get_resident")
    measure_reads(result, orgs, managers, today, now)
    _log("receive_signal in-process")
    pool, reporters, stamp = measure_signals(result, orgs, now)
    _log("escalation sweep (rolled back)")
    measure_escalation(result, today, timezone.now())
    _log("inzage: groups, PDF, JSON stream of the long history")
    measure_inzage(result, officers["gemeente-enschede"], case)
    if HTTP_SECONDS > 0:
        _log(f"POST /api/v1/signals/ over HTTP: {HTTP_SECONDS} s, {CONNECTIONS} connections")
        measure_http(result, out_path, pool, reporters, stamp)
    result["machine"]["load_average_at_end"] = os.getloadavg()
    explain(out_path)
    out_path.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    print(summary(result))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/results/cases.json")
