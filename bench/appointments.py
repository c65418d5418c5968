"""Appointments benchmark: free slots with a year of bookings at 50 locations (target: p95 < 50 ms
for one location, one service, 4 weeks), and 200 simultaneous bookings of one last free slot
(target: exactly one booking, the others 409 slot_taken, no 500).

    python bench/appointments.py OUT.json     (PYTHONPATH=src:bench, DATABASE_URL set; `make
                                               bench` runs it, `make bench-appointments` only this)

1. Data (only what is missing; PostgreSQL only). Reference data with the ORM: 50 locations
   "Afsprakenbench <city> NN" of gemeente-enschede / gemeente-maastricht (reused when present,
   as generate_load_data does), each with the municipality's counter hours (Mon-Fri 9-17, three
   desks and three employees, 15-minute slots) and one or two guest organisations (UWV 45 min,
   SVB / CAK / DUO / Toeslagen / Het Juridisch Loket 30 min) on set weekdays 9-16 with two
   rooms and two employees; desk features and a few skills (needs are matched). Bookings with
   `INSERT ... SELECT generate_series` per "lane" (one desk with one employee): every slot of
   the grid is taken with probability BENCH_APPT_DENSITY (0.75), from BENCH_APPT_DAYS_PAST
   (274) days ago to the booking horizon (APPOINTMENT_HORIZON_DAYS, 91): a year in all. Each
   booking has its Appointment, AppointmentPart and Occupancy rows (a desk and an employee per
   15 minutes), past ones done / no-show / cancelled (cancelled: no occupancy), future ones
   booked. Top-up: per location only the days after its last booking are added, so a later run
   extends the year into the new horizon. Then VACUUM (ANALYZE).
2. In-process: `slots.search` (what the public page and the API call) for random locations,
   services and start weeks, 4 weeks each; p50/p95/p99, queries and database time per call, by
   organisation type; also with needs (a wheelchair desk; sign language, mostly unmet: a second
   search); EXPLAIN ANALYZE of the occupancy query; a cProfile of the searches (OUT.profile.txt);
   the API through Django's test client.
3. Over HTTP (gunicorn, bench/gunicorn.conf.py, BENCH_RACE_WORKERS sync workers, default 8, on
   127.0.0.1): GET /api/v1/appointments/slots/ one request at a time.
4. The race: a location with one desk and one employee whose horizon is fully booked except one
   slot. (a) In-process: BENCH_RACE_ATTEMPTS (200) threads released together call
   `services.book`; each needs its own database connection, and PostgreSQL's max_connections
   (100 here, shared with other sessions) does not allow 200, so at most BENCH_RACE_THREADS
   (default 50, lowered to the free connections minus 20) are in flight at once. (b) Over HTTP:
   200 client threads, each with its TCP connection open, release POST /api/v1/appointments/
   together; gunicorn serves them with its workers (one database connection each). Outcomes
   are counted (1 x 201, 199 x 409 slot_taken, 0 x 5xx) and checked in the database.

Knobs (environment): BENCH_APPT_LOCATIONS (50), BENCH_APPT_DAYS_PAST (274), BENCH_APPT_DENSITY
(0.75), BENCH_APPT_SEARCHES (400), BENCH_APPT_HTTP_REQUESTS (300; 0 skips HTTP and the HTTP
race), BENCH_RACE_ATTEMPTS (200), BENCH_RACE_THREADS (50), BENCH_RACE_WORKERS (8),
BENCH_APPT_SEED (42), BENCH_APPT_JOBS (2 connections while loading).
"""

import contextlib
import cProfile
import datetime as dt
import http.client
import io
import json
import os
import pstats
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eenloket.conf.settings")
os.environ.setdefault("DEBUG", "0")  # DEBUG keeps every query in memory: not what production does
os.environ.setdefault("LOG_LEVEL", "WARNING")

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "Afsprakenbench"
USER_PREFIX = "apptbench-"
RACE_LOCATION = f"{PREFIX} race"
BOOKER = f"{USER_PREFIX}balie"  # books over the API (counter staff of gemeente-enschede)
MUNICIPALITIES = ("gemeente-enschede", "gemeente-maastricht")
GUESTS = ("uwv", "svb", "juridisch-loket", "cak", "toeslagen", "duo")
# organisation type: slot minutes, services (names in the catalogue; else the first by name)
OFFER = {
    "gemeente": (
        15,
        [
            "Paspoort",
            "Identiteitskaart (ID-kaart)",
            "Rijbewijs aanvragen of verlengen",
            "Uittreksel BRP",
        ],
    ),
    "uwv": (45, ["WW-uitkering", "WIA-uitkering"]),
    "svb": (30, ["AOW-pensioen", "Kinderbijslag"]),
    "juridisch-loket": (30, ["Gratis juridisch advies", "Advies bij problemen met uw verhuurder"]),
    "cak": (30, ["Eigen bijdrage voor Wmo-hulp", "Betalingsregeling voor de eigen bijdrage"]),
    "toeslagen": (30, ["Huurtoeslag"]),
    "duo": (30, ["Studieschuld terugbetalen", "Studiefinanciering"]),
}
COUNTER_DESKS = [
    ("Balie 1", ["ringleiding"]),
    ("Balie 2", []),
    ("Balie 3", ["lage-balie", "rolstoeltoegankelijk"]),
]
ROOMS = [("Spreekkamer 1", ["stille-ruimte", "rolstoeltoegankelijk"]), ("Spreekkamer 2", [])]
GIVEN = ["Jan", "Anna", "Mohamed", "Sanne", "Piet", "Fatima", "Kees", "Lotte", "Ahmed", "Iris"]
SURNAMES = ["Jansen", "Bakker", "Visser", "Yilmaz", "de Vries", "Smit", "El Amrani", "Mulder"]


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


LOCATIONS = _env_int("BENCH_APPT_LOCATIONS", 50)
DAYS_PAST = _env_int("BENCH_APPT_DAYS_PAST", 274)
DENSITY = float(os.environ.get("BENCH_APPT_DENSITY", "0.75"))
SEARCHES = _env_int("BENCH_APPT_SEARCHES", 400)
HTTP_REQUESTS = _env_int("BENCH_APPT_HTTP_REQUESTS", 300)
RACE_ATTEMPTS = _env_int("BENCH_RACE_ATTEMPTS", 200)
RACE_THREADS = _env_int("BENCH_RACE_THREADS", 50)
RACE_WORKERS = _env_int("BENCH_RACE_WORKERS", 8)
SEED = _env_int("BENCH_APPT_SEED", 42)
JOBS = _env_int("BENCH_APPT_JOBS", 2)
TARGET_P95_MS = 50


def _pct(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return round(values[k], 2)


def _stats(values):
    if not values:
        return None
    return {
        "n": len(values),
        "mean": round(statistics.fmean(values), 2),
        "p50": _pct(values, 50),
        "p95": _pct(values, 95),
        "p99": _pct(values, 99),
        "max": round(max(values), 2),
    }


def _log(message: str) -> None:
    print(f"[appointments {time.strftime('%H:%M:%S')}] {message}", flush=True)


# ---- reference data (ORM) ----------------------------------------------------------------------
def _organisations():
    from eenloket.devtools import demo
    from eenloket.organisations.models import Organisation

    orgs = {}
    for m in demo.MUNICIPALITIES:
        if m["code"] in MUNICIPALITIES:
            orgs[m["code"]], _ = Organisation.objects.get_or_create(
                code=m["code"],
                defaults={
                    "type": "gemeente",
                    "name": m["name"],
                    "municipality_code": m["cbs"],
                    "phone": m["phone"],
                },
            )
    for code, name, phone, _team, _desc in demo.NATIONAL:
        if code in GUESTS:
            orgs[code], _ = Organisation.objects.get_or_create(
                code=code, defaults={"type": code, "name": name, "phone": phone}
            )
    return orgs


def _offered_services(orgs) -> dict[int, tuple[int, list]]:
    """organisation id -> (slot minutes, services) with a BookableService of that length."""
    from eenloket.appointments.models import BookableService
    from eenloket.catalogue.models import Service

    result = {}
    for org in orgs.values():
        minutes, names = OFFER[org.type]
        found = list(
            Service.objects.filter(
                organisation_type=org.type, tenant=None, is_active=True, name__in=names
            ).order_by("name", "pk")
        )
        seen, services = set(), []
        for service in found:  # one per name (the catalogue has a few doubles)
            if service.name not in seen:
                seen.add(service.name)
                services.append(service)
        if not services:
            services = list(
                Service.objects.filter(organisation_type=org.type, is_active=True).order_by("name")[
                    : len(names)
                ]
            )
        usable = []
        for service in services:
            row, _ = BookableService.objects.get_or_create(
                organisation=org, service=service, defaults={"slot_minutes": minutes}
            )
            # Data made elsewhere (the demo) may say otherwise; the grid needs one length.
            if row.slot_minutes == minutes and row.kind == "bezoek":
                usable.append(service)
        result[org.pk] = (minutes, usable)
    return result


def _make_location(i, city, org, guests, offered, password, today):
    """One bench location with desks, staff, memberships, skills and schedules."""
    from django.db import transaction

    from eenloket.appointments.models import Desk, Schedule, StaffSkill
    from eenloket.organisations.models import Location, Membership, User

    rng = random.Random(SEED * 1000 + i)
    with transaction.atomic():
        location = Location.objects.create(
            organisation=org,
            name=f"{PREFIX} {city} {i:02d}",
            street="Benchstraat",
            house_number=str(i),
            postcode="7511AA" if city == "Enschede" else "6211AA",
            city=city,
        )
        location.guest_organisations.add(*guests)
        desks = Desk.objects.bulk_create(
            Desk(location=location, name=name, features=features)
            for name, features in COUNTER_DESKS + ROOMS
        )
        counters, rooms = desks[: len(COUNTER_DESKS)], desks[len(COUNTER_DESKS) :]

        def staff(o, n, role):
            users = User.objects.bulk_create(
                User(
                    username=f"{USER_PREFIX}{i:02d}-{o.code}-{k}",
                    first_name=rng.choice(GIVEN),
                    last_name=rng.choice(SURNAMES),
                    password=password,
                )
                for k in range(1, n + 1)
            )
            Membership.objects.bulk_create(
                Membership(user=u, organisation=o, role=role) for u in users
            )
            return users

        own = staff(org, len(counters), "baliemedewerker")
        StaffSkill.objects.create(user=own[-1], skill="lvb", obtained_on=dt.date(2025, 3, 1))
        plan = [(org, range(5), dt.time(9), dt.time(17), counters, own)]
        days = [[1, 3]] if len(guests) == 1 else [[0, 2, 4], [1, 3]]
        for guest, weekdays in zip(guests, days, strict=True):
            people = staff(guest, len(rooms), "medewerker-uitvoering")
            if rng.random() < 0.5:
                StaffSkill.objects.create(
                    user=people[0], skill="gebarentaal", obtained_on=dt.date(2024, 6, 3)
                )
            plan.append((guest, weekdays, dt.time(9), dt.time(16), rooms, people))
        for o, weekdays, starts, ends, lane_desks, people in plan:
            services = offered[o.pk][1]
            for weekday in weekdays:
                schedule = Schedule.objects.create(
                    location=location,
                    organisation=o,
                    weekday=weekday,
                    starts=starts,
                    ends=ends,
                    valid_from=today - dt.timedelta(days=DAYS_PAST + 30),
                )
                schedule.services.set(services)
                schedule.desks.set(lane_desks)
                schedule.staff.set(people)
    return location


def _reference_data(today):
    """The bench locations (made when missing) and the race location; returns both."""
    from django.contrib.auth.hashers import make_password

    from eenloket.appointments.models import Desk, Schedule
    from eenloket.organisations.models import Location, Membership, User

    orgs = _organisations()
    offered = _offered_services(orgs)
    password = make_password(None)  # unusable: these accounts exist for data and tokens only
    existing = set(
        Location.objects.filter(name__startswith=f"{PREFIX} ").values_list("name", flat=True)
    )
    made = 0
    for i in range(1, LOCATIONS + 1):
        code = MUNICIPALITIES[(i - 1) % len(MUNICIPALITIES)]
        city = "Enschede" if code == "gemeente-enschede" else "Maastricht"
        if f"{PREFIX} {city} {i:02d}" in existing:
            continue
        rng = random.Random(SEED * 7 + i)
        guests = [orgs[c] for c in rng.sample(GUESTS, 1 if rng.random() < 0.4 else 2)]
        _make_location(i, city, orgs[code], guests, offered, password, today)
        made += 1

    municipality = orgs["gemeente-enschede"]
    booker, _ = User.objects.get_or_create(
        username=BOOKER,
        defaults={"first_name": "Balie", "last_name": "Bench", "password": password},
    )
    Membership.objects.get_or_create(
        user=booker, organisation=municipality, role="baliemedewerker", team=None
    )
    race = Location.objects.filter(name=RACE_LOCATION).first()
    if race is None:
        race = Location.objects.create(
            organisation=municipality,
            name=RACE_LOCATION,
            street="Benchstraat",
            house_number="999",
            postcode="7511AA",
            city="Enschede",
        )
        desk = Desk.objects.create(location=race, name="Balie race")
        employee = User.objects.create(
            username=f"{USER_PREFIX}race-medewerker",
            first_name="Race",
            last_name="Bench",
            password=password,
        )
        Membership.objects.create(user=employee, organisation=municipality, role="baliemedewerker")
        service = offered[municipality.pk][1][-1]
        for weekday in range(5):
            schedule = Schedule.objects.create(
                location=race,
                organisation=municipality,
                weekday=weekday,
                starts=dt.time(9),
                ends=dt.time(17),
                valid_from=today - dt.timedelta(days=30),
            )
            schedule.services.set([service])
            schedule.desks.set([desk])
            schedule.staff.set([employee])
    locations = list(
        Location.objects.filter(name__startswith=f"{PREFIX} ")
        .exclude(pk=race.pk)
        .select_related("organisation")
        .order_by("pk")
    )
    return locations, race, made


def _lanes(locations) -> list[dict]:
    """One lane per (schedule, desk + employee pair): desks by name, staff by username."""
    from eenloket.appointments.models import BookableService, Schedule

    lengths = {
        (b.organisation_id, b.service_id): b.slot_minutes for b in BookableService.objects.all()
    }
    lanes = []
    schedules = (
        Schedule.objects.filter(location__in=locations, walk_in=False)
        .select_related("organisation")
        .prefetch_related("desks", "staff", "services")
        .order_by("pk")
    )
    for schedule in schedules:
        services = sorted(schedule.services.all(), key=lambda s: s.pk)
        if not services:
            continue
        desks = sorted(schedule.desks.all(), key=lambda d: d.name)
        staff = sorted(schedule.staff.all(), key=lambda u: u.username)
        length = lengths.get((schedule.organisation_id, services[0].pk), 30)
        for n, (desk, employee) in enumerate(zip(desks, staff, strict=False)):
            lanes.append(
                {
                    "key": schedule.pk * 8 + n,
                    "schedule": schedule.pk,
                    "org": schedule.organisation_id,
                    "org_type": schedule.organisation.type,
                    "loc": schedule.location_id,
                    "weekday": schedule.weekday,
                    "start_min": schedule.starts.hour * 60 + schedule.starts.minute,
                    "end_min": schedule.ends.hour * 60 + schedule.ends.minute,
                    "len": length,
                    "desk": desk.pk,
                    "emp": employee.pk,
                    "services": [(s.pk, s.name) for s in services],
                }
            )
    return lanes


# ---- bookings (SQL) ------------------------------------------------------------------------------
def _rnd(key: str, salt: int) -> str:
    """SQL for a pseudo-random float in [0, 1) from a row key and a salt (seeded)."""
    return f"((hashint8extended({key}, %(seed)s::bigint + {salt}) & 2147483647)::float8 / 2147483648.0)"


SLOTS_SQL = f"""
CREATE TEMP TABLE bench_slot ON COMMIT DROP AS
WITH lanes AS (
    SELECT * FROM unnest(
        %(key)s::bigint[], %(schedule)s::bigint[], %(org)s::bigint[], %(loc)s::bigint[],
        %(weekday)s::int[], %(start_min)s::int[], %(end_min)s::int[], %(len)s::int[],
        %(desk)s::bigint[], %(emp)s::bigint[], %(svc_first)s::int[], %(svc_count)s::int[],
        %(from_day)s::date[]
    ) AS l(lane_key, schedule_id, organisation_id, location_id, weekday, start_min, end_min,
           len, desk_id, employee_id, svc_first, svc_count, from_day)
), days AS (
    SELECT d::date AS d, d::date - date '2000-01-01' AS dn
    FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS d
    WHERE extract(isodow FROM d) < 6 AND NOT d::date = ANY(%(holidays)s::date[])
), s AS (
    SELECT l.*, days.d, k, (l.lane_key * 100000 + days.dn) * 64 + k AS h,
        (days.d + make_interval(mins => l.start_min + k * l.len)) AT TIME ZONE 'Europe/Amsterdam'
            AS starts_at
    FROM lanes l
    JOIN days ON extract(isodow FROM days.d)::int - 1 = l.weekday AND days.d > l.from_day
    CROSS JOIN LATERAL generate_series(0, (l.end_min - l.start_min) / l.len - 1) AS k
)
SELECT nextval(pg_get_serial_sequence('appointments_appointment', 'id')) AS id, s.*,
    s.starts_at + make_interval(mins => s.len) AS ends_at,
    s.svc_first + floor({_rnd("s.h", 2)} * s.svc_count)::int AS svc,
    CASE WHEN s.starts_at >= %(now)s
        THEN CASE WHEN {_rnd("s.h", 3)} < %(cancel_future)s THEN 'geannuleerd' ELSE 'gepland' END
        ELSE CASE WHEN {_rnd("s.h", 3)} < %(cancel_past)s THEN 'geannuleerd'
            WHEN {_rnd("s.h", 3)} < %(cancel_past)s + 0.05 THEN 'niet-gekomen'
            ELSE 'afgerond' END
    END AS state,
    CASE WHEN {_rnd("s.h", 4)} < 0.6 THEN 'publiek' WHEN {_rnd("s.h", 4)} < 0.9 THEN 'ui'
        ELSE 'api' END AS via
FROM s
WHERE {_rnd("s.h", 1)} < %(density)s
ORDER BY s.starts_at, s.lane_key
"""  # noqa: S608 - only constants are formatted in; values are bound parameters

APPOINTMENTS_SQL = f"""
INSERT INTO appointments_appointment (
    id, uuid, reference, token_hash, kind, state, location_id, starts_at, ends_at, title,
    given_name, surname, phone, email, language, needs, needs_note, note, source_type, source_id,
    booked_via, created_at, reminder_sent_at, checked_in_at, closed_at, cancel_reason, delivery,
    delivery_address
)
SELECT id, gen_random_uuid(), 'BN-' || lpad(upper(to_hex(id)), 9, '0'),
    md5(id::text) || md5((-id)::text), 'bezoek', state, location_id, starts_at, ends_at,
    (%(names)s::text[])[svc],
    (%(given)s::text[])[1 + floor({_rnd("h", 5)} * %(n_given)s)::int],
    (%(surnames)s::text[])[1 + floor({_rnd("h", 6)} * %(n_surnames)s)::int],
    '06' || lpad(floor({_rnd("h", 7)} * 100000000)::bigint::text, 8, '0'), '', 'nl', '[]'::jsonb,
    '', '', '', '', via,
    starts_at - interval '1 hour' - {_rnd("h", 8)} * interval '30 days',
    CASE WHEN state <> 'geannuleerd' AND starts_at < %(now)s THEN starts_at - interval '1 day' END,
    CASE WHEN state = 'afgerond' THEN starts_at - interval '5 minutes' END,
    CASE WHEN state IN ('afgerond', 'niet-gekomen') THEN ends_at
        WHEN state = 'geannuleerd' THEN starts_at - interval '2 days' END,
    CASE WHEN state = 'geannuleerd' THEN 'Kan toch niet' ELSE '' END, '', ''
FROM bench_slot ORDER BY id
"""  # noqa: S608 - only constants are formatted in; values are bound parameters

PARTS_SQL = """
INSERT INTO appointments_appointmentpart (
    appointment_id, organisation_id, service_id, schedule_id, employee_id, desk_id, starts_at,
    ends_at, position, needs_met
)
SELECT id, organisation_id, (%(services)s::bigint[])[svc], schedule_id, employee_id, desk_id,
    starts_at, ends_at, 0, true
FROM bench_slot ORDER BY id
"""

OCCUPANCY_SQL = """
INSERT INTO appointments_occupancy (appointment_id, unit_start, desk_id, employee_id)
SELECT id, starts_at + u * interval '15 minutes', r.desk, r.employee
FROM bench_slot
CROSS JOIN LATERAL generate_series(0, len / 15 - 1) AS u
CROSS JOIN LATERAL (VALUES (desk_id, NULL::bigint), (NULL::bigint, employee_id)) AS r(desk, employee)
WHERE state <> 'geannuleerd'
ORDER BY starts_at, id, u
"""


def _connect():
    import psycopg
    from django.db import connection

    params = connection.get_connection_params()
    for key in ("cursor_factory", "context"):
        params.pop(key, None)
    conn = psycopg.connect(**params, autocommit=True)
    conn.prepare_threshold = None
    conn.execute("SET synchronous_commit = off")
    conn.execute("SET work_mem = '256MB'")
    superuser = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if superuser.fetchone()[0]:
        # As generate_load_data: the references are valid by construction, and most WAL is
        # full-page images of index pages after each checkpoint (compressed).
        conn.execute("SET session_replication_role = replica")
        for method in ("lz4", "pglz"):
            try:
                conn.execute(f"SET wal_compression = {method}")
                break
            except psycopg.Error:
                continue
    return conn


def _holidays(first, last):
    from eenloket.core.calendar import is_holiday

    days, day = [], first
    while day <= last:
        if is_holiday(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _generate(lanes, from_day, first, last, now, *, density, cancel_past, cancel_future):
    """Bookings for `lanes` on days in (from_day[location], last], in chunks of 4 weeks over
    JOBS connections (each lane group its own chunk sequence); counts of rows added."""
    services, names, svc_first = [], [], {}
    for lane in lanes:
        key = tuple(lane["services"])
        if key not in svc_first:
            svc_first[key] = len(services) + 1
            services += [pk for pk, _ in key]
            names += [name for _, name in key]
    groups = defaultdict(list)
    for lane in lanes:
        groups[lane["loc"] % max(JOBS, 1)].append(lane)
    chunks = []
    day = first
    while day <= last:
        end = min(day + dt.timedelta(days=27), last)
        chunks.append((day, end))
        day = end + dt.timedelta(days=1)
    base = {
        "seed": SEED,
        "holidays": _holidays(first, last),
        "now": now,
        "density": density,
        "cancel_past": cancel_past,
        "cancel_future": cancel_future,
        "services": services,
        "names": names,
        "given": GIVEN,
        "n_given": len(GIVEN),
        "surnames": SURNAMES,
        "n_surnames": len(SURNAMES),
    }
    totals = {"appointments": 0, "parts": 0, "occupancy": 0}
    lock = threading.Lock()
    errors = []

    def worker(group):
        params = dict(base)
        for name in ("key", "schedule", "org", "loc", "weekday", "start_min", "end_min", "len"):
            params[name] = [lane[name] for lane in group]
        params["desk"] = [lane["desk"] for lane in group]
        params["emp"] = [lane["emp"] for lane in group]
        params["svc_first"] = [svc_first[tuple(lane["services"])] for lane in group]
        params["svc_count"] = [len(lane["services"]) for lane in group]
        params["from_day"] = [from_day[lane["loc"]] for lane in group]
        try:
            with _connect() as conn:
                for chunk_first, chunk_last in chunks:
                    if all(chunk_last <= from_day[lane["loc"]] for lane in group):
                        continue
                    with conn.transaction():
                        conn.execute(
                            SLOTS_SQL, {**params, "first": chunk_first, "last": chunk_last}
                        )
                        a = conn.execute(APPOINTMENTS_SQL, params).rowcount
                        p = conn.execute(PARTS_SQL, {"services": services}).rowcount
                        o = conn.execute(OCCUPANCY_SQL).rowcount
                    with lock:
                        totals["appointments"] += a
                        totals["parts"] += p
                        totals["occupancy"] += o
        except Exception as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(g,)) for g in groups.values()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return totals


def _last_days(location_ids, default):
    """Per location, the local day of its last booking (or `default`)."""
    from django.db import connection

    result = dict.fromkeys(location_ids, default)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT l.id, (SELECT max(a.starts_at) FROM appointments_appointment a "
            "WHERE a.location_id = l.id) FROM unnest(%s::bigint[]) AS l(id)",
            [list(location_ids)],
        )
        for pk, last in cur.fetchall():
            if last is not None:
                from eenloket.core.calendar import AMSTERDAM

                result[pk] = last.astimezone(AMSTERDAM).date()
    return result


def _vacuum():
    with _connect() as conn:
        for table in (
            "appointments_appointment",
            "appointments_appointmentpart",
            "appointments_occupancy",
        ):
            conn.execute(f"VACUUM (ANALYZE) {table}")


def _counts(location_ids) -> dict:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*), count(*) FILTER (WHERE starts_at >= now()), "
            "min(starts_at), max(starts_at) FROM appointments_appointment "
            "WHERE location_id = ANY(%s)",
            [location_ids],
        )
        appointments, future, first, last = cur.fetchone()
        cur.execute("SELECT count(*) FROM appointments_occupancy")
        occupancy = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM appointments_appointmentpart")
        parts = cur.fetchone()[0]
        sizes = {}
        for table in (
            "appointments_appointment",
            "appointments_appointmentpart",
            "appointments_occupancy",
        ):
            cur.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [table])
            sizes[table] = cur.fetchone()[0]
    return {
        "appointments_at_bench_locations": appointments,
        "future_appointments": future,
        "first": first.isoformat() if first else None,
        "last": last.isoformat() if last else None,
        "appointment_parts_all": parts,
        "occupancy_rows_all": occupancy,
        "table_sizes_with_indexes": sizes,
    }


def build_data(now):
    from eenloket.catalogue.models import Service
    from eenloket.catalogue.services import import_catalogue
    from eenloket.core.calendar import AMSTERDAM, is_working_day

    t0 = time.monotonic()
    if not Service.objects.filter(tenant__isnull=True).exists():
        import_catalogue()
    today = now.astimezone(AMSTERDAM).date()
    locations, race, made = _reference_data(today)
    lanes = _lanes(locations)
    first = today - dt.timedelta(days=DAYS_PAST)
    last = today + dt.timedelta(days=_horizon())
    from_day = _last_days([loc.pk for loc in locations], first - dt.timedelta(days=1))
    last_working = last  # a location is complete when it has bookings on this day
    while not is_working_day(last_working):
        last_working -= dt.timedelta(days=1)
    reference_s = time.monotonic() - t0
    _log(f"reference data ready in {reference_s:.1f} s ({made} locations made)")
    added = {"appointments": 0, "parts": 0, "occupancy": 0}
    generate_s = vacuum_s = 0.0
    if any(day < last_working for day in from_day.values()):
        start = min(from_day.values()) + dt.timedelta(days=1)
        _log(f"adding bookings {start} .. {last} at {len(locations)} locations")
        added = _generate(
            lanes,
            from_day,
            start,
            last,
            now,
            density=DENSITY,
            cancel_past=0.07,
            cancel_future=0.03,
        )
        generate_s = time.monotonic() - t0 - reference_s
        _log(f"bookings added in {generate_s:.1f} s; VACUUM (ANALYZE)")
        _vacuum()
        vacuum_s = time.monotonic() - t0 - reference_s - generate_s
    built_s = time.monotonic() - t0
    counts = _counts([loc.pk for loc in locations])
    info = {
        "locations": len(locations),
        "locations_made_now": made,
        "lanes": len(lanes),
        "schedules": len({lane["schedule"] for lane in lanes}),
        "desks_and_staff_per_location": "3 counters + 3 staff (municipality); 2 rooms + 2 staff "
        "per guest organisation",
        "days": f"{first} .. {last}",
        "density": DENSITY,
        "added_now": added,
        "reference_s": round(reference_s, 1),
        "generate_s": round(generate_s, 1),
        "vacuum_s": round(vacuum_s, 1),
        "build_s": round(built_s, 1),
        **counts,
    }
    _log(
        f"data: {info['appointments_at_bench_locations']:,} bookings at {len(locations)} "
        f"locations ({counts['first'][:10] if counts['first'] else '-'} .. "
        f"{counts['last'][:10] if counts['last'] else '-'}), "
        f"{counts['occupancy_rows_all']:,} occupancy rows; added now "
        f"{added['appointments']:,} bookings / {added['occupancy']:,} occupancy rows "
        f"in {built_s:.1f} s"
    )
    return locations, race, info


def _horizon() -> int:
    from django.conf import settings

    return settings.APPOINTMENT_HORIZON_DAYS


# ---- slot search, in-process -------------------------------------------------------------------
class _QueryTimer:
    def __init__(self):
        self.n = 0
        self.ms = 0.0

    def __call__(self, execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.n += 1
            self.ms += (time.perf_counter() - t0) * 1000


def _cases(locations, n, today, rng):
    """(location, service, organisation type, date_from, date_to): random location, one of
    the services offered there, a random start week within the horizon (this week: today)."""
    from eenloket.appointments.models import Schedule

    offered = defaultdict(set)
    for loc_id, service_id, org_type in Schedule.objects.filter(
        location__in=locations, walk_in=False
    ).values_list("location_id", "services", "organisation__type"):
        if service_id:
            offered[loc_id].add((service_id, org_type))
    from eenloket.catalogue.models import Service

    services = {
        s.pk: s for s in Service.objects.filter(pk__in={s for v in offered.values() for s, _ in v})
    }
    monday = today - dt.timedelta(days=today.weekday())
    weeks = max(1, (_horizon() - 27) // 7)
    cases = []
    for _ in range(n):
        location = rng.choice(locations)
        service_id, org_type = rng.choice(sorted(offered[location.pk]))
        week = rng.randrange(weeks)
        date_from = max(today, monday + dt.timedelta(weeks=week))
        cases.append(
            (location, services[service_id], org_type, date_from, date_from + dt.timedelta(days=27))
        )
    return cases


def _backend_cpu_ms() -> float:
    """CPU time so far of this connection's PostgreSQL backend (same machine, /proc)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def speed_check() -> float:
    """CPU ms per in-process GET of the login page (as bench/tools.py calibrate): the cores of
    this VM are not equally fast all the time; compare runs with similar values."""
    from django.test import Client

    client = Client()
    for _ in range(50):
        client.get("/inloggen/")
    t0 = time.process_time()
    for _ in range(300):
        client.get("/inloggen/")
    return round((time.process_time() - t0) / 300 * 1000, 2)


def measure_search(locations, now):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from eenloket.appointments import slots
    from eenloket.core.calendar import AMSTERDAM

    today = now.astimezone(AMSTERDAM).date()
    rng = random.Random(SEED)
    cases = _cases(locations, SEARCHES, today, rng)
    for location, service, _t, date_from, date_to in cases[:20]:  # warm-up
        slots.search(location=location, service=service, date_from=date_from, date_to=date_to)
    result = {}
    times, db_ms, queries, found, by_type = [], [], [], [], defaultdict(list)
    cpu, backend0 = [], _backend_cpu_ms()
    for location, service, org_type, date_from, date_to in cases:
        timer = _QueryTimer()
        with connection.execute_wrapper(timer):
            c0, t0 = time.process_time(), time.perf_counter()
            res = slots.search(
                location=location, service=service, date_from=date_from, date_to=date_to
            )
            ms = (time.perf_counter() - t0) * 1000
            cpu.append((time.process_time() - c0) * 1000)
        times.append(ms)
        db_ms.append(timer.ms)
        queries.append(timer.n)
        found.append(len(res.slots))
        by_type["gemeente" if org_type == "gemeente" else "guest organisation"].append(ms)
    result["search_4_weeks_ms"] = _stats(times)
    # CPU time, which other processes on the machine do not inflate (wall time they do): this
    # process (Python) and this connection's PostgreSQL backend (mean per search).
    result["search_cpu_ms"] = {
        "app": _stats(cpu),
        "db_mean": round((_backend_cpu_ms() - backend0) / len(cases), 2),
    }
    result["search_db_ms"] = _stats(db_ms)
    result["search_python_ms"] = _stats([t - d for t, d in zip(times, db_ms, strict=True)])
    result["search_queries"] = {
        "min": min(queries),
        "max": max(queries),
        "mean": round(statistics.fmean(queries), 1),
    }
    result["search_slots_found"] = {
        "min": min(found),
        "max": max(found),
        "mean": round(statistics.fmean(found), 1),
    }
    result["search_by_organisation_ms"] = {k: _stats(v) for k, v in sorted(by_type.items())}

    for label, needs in (("rolstoel", ["rolstoel"]), ("gebarentolk", ["gebarentolk"])):
        ms_list, unmet = [], 0
        for location, service, _t, date_from, date_to in cases[:100]:
            t0 = time.perf_counter()
            res = slots.search(
                location=location,
                service=service,
                date_from=date_from,
                date_to=date_to,
                needs=needs,
            )
            ms_list.append((time.perf_counter() - t0) * 1000)
            unmet += res.needs_unmet
        result[f"search_needs_{label}_ms"] = {**_stats(ms_list), "needs_unmet": unmet}

    # The queries of one search of the heaviest kind (municipal counter), and the occupancy
    # query's plan.
    heavy = next(c for c in cases if c[2] == "gemeente")
    location, service, _t, date_from, date_to = heavy
    with CaptureQueriesContext(connection) as ctx:
        slots.search(location=location, service=service, date_from=date_from, date_to=date_to)
    result["search_queries_sql"] = [q["sql"] for q in ctx.captured_queries]
    taken = next(
        (q["sql"] for q in ctx.captured_queries if "appointments_occupancy" in q["sql"]), None
    )
    explain = ""
    if taken:
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + taken)
            explain = taken + "\n\n" + "\n".join(r[0] for r in cur.fetchall())

    # Where the time goes: cProfile over 100 searches.
    profiler = cProfile.Profile()
    profiler.enable()
    for location, service, _t, date_from, date_to in cases[:100]:
        slots.search(location=location, service=service, date_from=date_from, date_to=date_to)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
    return result, cases, explain, out.getvalue()


def measure_api_in_process(cases, booker):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(booker)
    times, statuses = [], defaultdict(int)
    for location, service, _t, date_from, date_to in cases[:200]:
        t0 = time.perf_counter()
        response = client.get(
            "/api/v1/appointments/slots/",
            {
                "location": str(location.uuid),
                "service": str(service.uuid),
                "date_from": date_from.isoformat(),
                "date_to": date_to.isoformat(),
            },
        )
        times.append((time.perf_counter() - t0) * 1000)
        statuses[response.status_code] += 1
    return {**_stats(times), "statuses": dict(statuses)}


def measure_manage_link(n=20):
    """The resident's manage link (public page): `services.appointment_for_token`, with tokens
    that match no appointment (the lookup is the same; the token itself is never stored)."""
    import secrets

    from django.core.exceptions import ValidationError

    from eenloket.appointments import services

    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        with contextlib.suppress(ValidationError):  # no appointment has this token
            services.appointment_for_token(secrets.token_urlsafe(24))
        times.append((time.perf_counter() - t0) * 1000)
    return _stats(times)


# ---- the race ----------------------------------------------------------------------------------
def _race_target(now):
    """10:00 (Amsterdam) on the first working day at least two days from now."""
    from eenloket.core.calendar import AMSTERDAM, is_working_day

    day = now.astimezone(AMSTERDAM).date() + dt.timedelta(days=2)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(10), tzinfo=AMSTERDAM).astimezone(dt.UTC)


def _delete_appointments(where: str, params: list) -> int:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"SELECT id FROM appointments_appointment WHERE {where}", params)  # noqa: S608
        ids = [r[0] for r in cur.fetchall()]
        cur.execute("DELETE FROM appointments_occupancy WHERE appointment_id = ANY(%s)", [ids])
        cur.execute(
            "DELETE FROM appointments_appointmentpart WHERE appointment_id = ANY(%s)", [ids]
        )
        cur.execute("DELETE FROM appointments_appointment WHERE id = ANY(%s)", [ids])
    return len(ids)


def prepare_race(race, now):
    """Book the race location's whole horizon, then free one slot: the last free slot."""
    from eenloket.core.calendar import AMSTERDAM

    _delete_appointments("location_id = %s", [race.pk])
    today = now.astimezone(AMSTERDAM).date()
    lanes = _lanes([race])
    _generate(
        lanes,
        {race.pk: today - dt.timedelta(days=1)},
        today,
        today + dt.timedelta(days=_horizon()),
        now,
        density=1.0,
        cancel_past=0.0,
        cancel_future=0.0,
    )
    # The confirmation names a team with a direct number (else it is not sent, with a warning).
    from eenloket.appointments.models import Schedule
    from eenloket.organisations.models import Team

    team, _ = Team.objects.get_or_create(
        organisation=race.organisation,
        name=f"{PREFIX} balie",
        defaults={"phone": "053 481 1234"},
    )
    Schedule.objects.filter(location=race).update(team=team)
    target = _race_target(now)
    freed = _delete_appointments("location_id = %s AND starts_at = %s", [race.pk, target])
    assert freed == 1, f"no booking at {target} to free"
    return target, lanes[0]["services"][0][0]


def _free_slots(race, service_id, now):
    from eenloket.appointments import slots
    from eenloket.catalogue.models import Service
    from eenloket.core.calendar import AMSTERDAM

    today = now.astimezone(AMSTERDAM).date()
    found = slots.search(
        location=race,
        service=Service.objects.get(pk=service_id),
        date_from=today,
        date_to=today + dt.timedelta(days=_horizon()),
    )
    return [s.starts_at for s in found.slots]


def _race_check(race, target) -> dict:
    from eenloket.appointments.models import Appointment, Occupancy

    booked = Appointment.objects.filter(location=race, starts_at=target).exclude(
        state="geannuleerd"
    )
    return {
        "appointments_at_target": booked.count(),
        "occupancy_rows_at_target": Occupancy.objects.filter(
            appointment__in=booked, unit_start=target
        ).count(),
    }


def _appointment_ids_used() -> int:
    """The appointment id sequence: an attempt that reaches the occupancy insert has created
    its appointment (rolled back when the slot was taken, the id stays used)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT pg_sequence_last_value("
            "pg_get_serial_sequence('appointments_appointment', 'id')::regclass)"
        )
        return cur.fetchone()[0]


def _connection_budget() -> dict:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT current_setting('max_connections')::int, "
            "current_setting('superuser_reserved_connections')::int, "
            "(SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')"
        )
        max_conn, reserved, used = cur.fetchone()
    return {"max_connections": max_conn, "superuser_reserved": reserved, "in_use_before": used}


def race_in_process(race, target, service_id, booker_id):
    """RACE_ATTEMPTS threads released together call services.book for the target slot; at most
    `in_flight` hold a database connection at the same time (PostgreSQL's max_connections)."""
    from django.core.exceptions import ValidationError
    from django.db import connection

    from eenloket.appointments import services
    from eenloket.appointments.services import SlotTaken
    from eenloket.catalogue.models import Service
    from eenloket.organisations.models import Location, User

    budget = _connection_budget()
    free = budget["max_connections"] - budget["superuser_reserved"] - budget["in_use_before"]
    in_flight = max(1, min(RACE_ATTEMPTS, RACE_THREADS, free - 20))
    barrier = threading.Barrier(RACE_ATTEMPTS + 1)
    gate = threading.BoundedSemaphore(in_flight)
    outcomes = [None] * RACE_ATTEMPTS

    def attempt(i):
        barrier.wait()
        with gate:
            try:
                user = User.objects.get(pk=booker_id)
                location = Location.objects.get(pk=race.pk)
                service = Service.objects.get(pk=service_id)
                t0 = time.perf_counter()
                try:
                    services.book(
                        location=location,
                        service=service,
                        starts_at=target,
                        user=user,
                        via="api",
                        given_name=f"Race {i}",
                        surname="Bench",
                        phone="0612345678",
                    )
                    outcome = "booked"
                except SlotTaken:
                    outcome = "slot_taken"
                except ValidationError as exc:
                    outcome = "rejected: " + ",".join(
                        sorted({e.code or "?" for e in exc.error_list})
                    )
                outcomes[i] = (outcome, (time.perf_counter() - t0) * 1000)
            except Exception as exc:  # noqa: BLE001 - counted: this is what the race looks for
                outcomes[i] = (f"error: {type(exc).__name__}: {str(exc)[:120]}", 0.0)
            finally:
                connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(RACE_ATTEMPTS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = (time.perf_counter() - t0) * 1000
    counts = defaultdict(int)
    for outcome, _ms in outcomes:
        counts[outcome] += 1
    ok = counts.get("booked") == 1 and counts.get("slot_taken") == RACE_ATTEMPTS - 1
    return {
        "attempts": RACE_ATTEMPTS,
        "connections_in_flight": in_flight,
        "connection_budget": budget,
        "outcomes": dict(counts),
        "attempt_ms": _stats([ms for _o, ms in outcomes if ms]),
        "wall_ms": round(wall, 1),
        **_race_check(race, target),
        "met": ok,
    }


def measure_booking(race, target, service_id, booker_id):
    """One booking at a time, as a request would: the loser's path (the slot was just taken)
    ten times, then the winner's (the slot freed again): wall ms, CPU ms, queries."""
    from django.db import connection

    from eenloket.appointments import services
    from eenloket.appointments.services import SlotTaken
    from eenloket.catalogue.models import Service
    from eenloket.organisations.models import Location, User

    location = Location.objects.get(pk=race.pk)
    service = Service.objects.get(pk=service_id)

    def once():
        user = User.objects.get(pk=booker_id)  # fresh: the scope is cached on the user
        timer = _QueryTimer()
        with connection.execute_wrapper(timer):
            c0, t0 = time.process_time(), time.perf_counter()
            try:
                services.book(
                    location=location,
                    service=service,
                    starts_at=target,
                    user=user,
                    via="api",
                    given_name="Eén",
                    surname="Tegelijk",
                    phone="0612345678",
                )
                outcome = "booked"
            except SlotTaken:
                outcome = "slot_taken"
            wall = (time.perf_counter() - t0) * 1000
            cpu = (time.process_time() - c0) * 1000
        return outcome, wall, cpu, timer.n

    losers = [once() for _ in range(10)]
    _delete_appointments("location_id = %s AND starts_at = %s", [race.pk, target])
    winner = once()
    result = {}
    for label, runs in (("slot_taken", losers), ("booked", [winner])):
        assert all(r[0] == label for r in runs), runs
        result[label] = {
            "n": len(runs),
            "wall_ms_median": round(statistics.median(r[1] for r in runs), 1),
            "cpu_ms_median": round(statistics.median(r[2] for r in runs), 1),
            "queries": max(r[3] for r in runs),
        }
    return result


def race_http(port, token, body):
    """RACE_ATTEMPTS client threads, each with its connection open, send the same POST at once."""
    payload = json.dumps(body).encode()
    headers = {
        "Authorization": f"Token {token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    barrier = threading.Barrier(RACE_ATTEMPTS + 1)
    results = [None] * RACE_ATTEMPTS

    def attempt(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=180)
        try:
            conn.connect()
        except OSError as exc:
            barrier.wait()
            results[i] = ("connect failed", type(exc).__name__, 0.0)
            return
        barrier.wait()
        t0 = time.perf_counter()
        try:
            conn.request("POST", "/api/v1/appointments/", body=payload, headers=headers)
            response = conn.getresponse()
            data = response.read()
            try:
                code = json.loads(data).get("code", "")
            except ValueError:
                code = data[:80].decode(errors="replace")
            results[i] = (response.status, code, (time.perf_counter() - t0) * 1000)
        except (OSError, http.client.HTTPException) as exc:
            results[i] = ("exception", type(exc).__name__, (time.perf_counter() - t0) * 1000)
        finally:
            conn.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(RACE_ATTEMPTS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = (time.perf_counter() - t0) * 1000
    counts = defaultdict(int)
    for status, code, _ms in results:
        counts[f"{status} {code}".strip()] += 1
    errors_5xx = sum(n for k, n in counts.items() if k[:1] == "5" or not k[:1].isdigit())
    return {
        "attempts": RACE_ATTEMPTS,
        "outcomes": dict(counts),
        "errors_5xx_or_socket": errors_5xx,
        "request_ms": _stats([ms for _s, _c, ms in results if ms]),
        "wall_ms": round(wall, 1),
    }


# ---- HTTP --------------------------------------------------------------------------------------
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
        "BENCH_WORKERS": str(RACE_WORKERS),
        "BENCH_WORKER_CLASS": "sync",
        "BENCH_THREADS": "1",
        "BENCH_ERRORLOG": "-",
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "600"),
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT / "src"), str(ROOT / "bench"), os.environ.get("PYTHONPATH")])
        ),
    }
    # gunicorn's errors and the app's log (a warning per 409) go to one file, not the terminal.
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


def _get(url, token, timeout=30):
    request = urllib.request.Request(  # noqa: S310 - only http://127.0.0.1
        url, headers={"Authorization": f"Token {token}", "Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _slots_url(port, location, service, date_from, date_to):
    query = urllib.parse.urlencode(
        {
            "location": str(location.uuid),
            "service": str(service.uuid),
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
        }
    )
    return f"http://127.0.0.1:{port}/api/v1/appointments/slots/?{query}"


def wait_ready(port, token, case, process):
    deadline = time.monotonic() + 60
    url = _slots_url(port, *[case[0], case[1], case[3], case[4]])
    while True:
        if process.poll() is not None:
            sys.exit("gunicorn stopped; see the .gunicorn.log next to the results")
        try:
            status, body = _get(url, token, timeout=10)
            if status != 200:
                sys.exit(f"GET slots failed: {status} {body[:300]!r}")
            return
        except (urllib.error.URLError, ConnectionError) as exc:
            if time.monotonic() > deadline:
                sys.exit(f"the app did not start on port {port}: {exc}")
            time.sleep(0.3)


def measure_http(port, token, cases):
    for case in cases[:40]:  # every worker connects (and warms up) on its first requests
        _get(_slots_url(port, case[0], case[1], case[3], case[4]), token)
    times, statuses, sizes = [], defaultdict(int), []
    for location, service, _t, date_from, date_to in cases[:HTTP_REQUESTS]:
        url = _slots_url(port, location, service, date_from, date_to)
        t0 = time.perf_counter()
        status, body = _get(url, token)
        times.append((time.perf_counter() - t0) * 1000)
        statuses[status] += 1
        sizes.append(len(body))
    return {
        **_stats(times),
        "statuses": dict(statuses),
        "response_kb_mean": round(statistics.fmean(sizes) / 1024, 1),
    }


# ---- main --------------------------------------------------------------------------------------
def main(out: str) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from eenloket.organisations.models import User

    if connection.vendor != "postgresql":
        sys.exit("bench/appointments.py needs PostgreSQL (DATABASE_URL=postgres://...)")
    out_path = Path(out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    locations, race, data = build_data(now)
    result: dict = {
        "data": data,
        "target_p95_ms": TARGET_P95_MS,
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_at_start": os.getloadavg(),
            "speed_check_ms": speed_check(),
        },
    }

    _log(f"slot search in-process: {SEARCHES} searches of 4 weeks")
    load_before = os.getloadavg()[0]
    search, cases, explain, profile = measure_search(locations, now)
    result["machine"]["load_average_1min_around_search"] = [load_before, os.getloadavg()[0]]
    result.update({k: v for k, v in search.items() if k != "search_queries_sql"})
    booker = User.objects.get(username=BOOKER)
    result["api_slots_in_process_ms"] = measure_api_in_process(cases, booker)
    result["manage_link_lookup_ms"] = measure_manage_link()
    out_path.with_suffix(".explain.txt").write_text(explain + "\n")
    out_path.with_suffix(".profile.txt").write_text(
        "\n\n".join(search["search_queries_sql"]) + "\n\n" + profile
    )

    _log("race in-process: preparing the last free slot")
    target, service_id = prepare_race(race, now)
    free = _free_slots(race, service_id, now)
    assert free == [target], f"expected only {target} free, found {free[:5]}"
    result["race_slot"] = {"location": race.name, "starts_at": target.isoformat()}
    ids0 = _appointment_ids_used()
    result["race_in_process"] = race_in_process(race, target, service_id, booker.pk)
    result["race_in_process"]["reached_the_database_constraint"] = (
        _appointment_ids_used() - ids0 - result["race_in_process"]["outcomes"].get("booked", 0)
    )
    _log(f"race in-process: {json.dumps(result['race_in_process']['outcomes'])}")
    result["booking_one_at_a_time"] = measure_booking(race, target, service_id, booker.pk)

    if HTTP_REQUESTS > 0:
        token = Token.objects.get_or_create(user=booker)[0].key
        process, port = start_gunicorn(out_path)
        try:
            wait_ready(port, token, cases[0], process)
            _log(f"GET /api/v1/appointments/slots/ over HTTP ({RACE_WORKERS} sync workers)")
            result["http_slots_ms"] = measure_http(port, token, cases)
            _delete_appointments("location_id = %s AND starts_at = %s", [race.pk, target])
            assert _free_slots(race, service_id, now) == [target]
            from eenloket.catalogue.models import Service

            body = {
                "location": str(race.uuid),
                "service": str(Service.objects.get(pk=service_id).uuid),
                "starts_at": target.isoformat(),
                "given_name": "Race",
                "surname": "Bench",
                "phone": "0612345678",
            }
            _log(f"race over HTTP: {RACE_ATTEMPTS} POSTs at once")
            ids0 = _appointment_ids_used()
            http_race = race_http(port, token, body)
            http_race.update(_race_check(race, target))
            http_race["reached_the_database_constraint"] = (
                _appointment_ids_used() - ids0 - http_race["outcomes"].get("201", 0)
            )
            http_race["gunicorn_workers"] = RACE_WORKERS
            http_race["met"] = (
                http_race["outcomes"].get("201") == 1
                and http_race["outcomes"].get("409 slot_taken") == RACE_ATTEMPTS - 1
                and http_race["appointments_at_target"] == 1
            )
            result["race_http"] = http_race
        finally:
            stop_gunicorn(process)
        log = out_path.with_suffix(".gunicorn.log")
        if log.exists():
            text = log.read_text()
            result["gunicorn_log_tracebacks"] = text.count("Traceback")

    if max(result["machine"]["load_average_1min_around_search"]) > (os.cpu_count() or 1):
        result["warning"] = (
            "other processes were using the cores during the slot searches (load average above "
            "the number of CPUs): wall times are too high; compare the CPU times, or run again"
        )
    out_path.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    print(summary_lines(result))


def summary_lines(r: dict) -> str:
    """The summary (printed here, and by bench/tools.py summary for `make bench`)."""
    d, m = r["data"], r.get("machine", {})
    load = max(m.get("load_average_1min_around_search") or [0])
    s, cpu = r["search_4_weeks_ms"], r.get("search_cpu_ms", {})
    lines = [
        f"Appointments: {d['appointments_at_bench_locations']:,} bookings at {d['locations']} "
        f"locations ({d['days']}, density {d['density']}), {d['occupancy_rows_all']:,} "
        f"occupancy rows; data built/checked in {d['build_s']} s; speed check "
        f"{m.get('speed_check_ms', '?')} ms, load average {load:.2f} during the searches",
        f"- slots.search, 4 weeks ({s['n']} calls): p50 {s['p50']} ms, p95 {s['p95']} ms, "
        f"p99 {s['p99']} ms; CPU app p50 {cpu.get('app', {}).get('p50')} / p95 "
        f"{cpu.get('app', {}).get('p95')} ms, database {cpu.get('db_mean')} ms; "
        f"{r['search_queries']['mean']} queries; target p95 < {r['target_p95_ms']} ms: "
        + ("met" if s["p95"] < r["target_p95_ms"] else "MISSED"),
    ]
    for key, label in (
        ("api_slots_in_process_ms", "GET slots API in-process"),
        ("http_slots_ms", "GET /api/v1/appointments/slots/ over HTTP, one at a time"),
    ):
        if r.get(key):
            v = r[key]
            lines.append(f"- {label}: p50 {v['p50']} ms, p95 {v['p95']} ms, p99 {v['p99']} ms")
    for key, label in (("race_in_process", "race in-process"), ("race_http", "race over HTTP")):
        if r.get(key):
            v = r[key]
            extra = (
                f"{v['connections_in_flight']} connections in flight"
                if "connections_in_flight" in v
                else f"{v.get('gunicorn_workers')} gunicorn workers"
            )
            lines.append(
                f"- {label}: {v['attempts']} attempts, {extra}, "
                f"{v.get('reached_the_database_constraint', '?')} reached the unique constraint: "
                f"{json.dumps(v['outcomes'])}, {v['appointments_at_target']} booking in the "
                f"database, wall {v['wall_ms'] / 1000:.1f} s: " + ("met" if v["met"] else "NOT MET")
            )
    if r.get("manage_link_lookup_ms"):
        v = r["manage_link_lookup_ms"]
        lines.append(
            f"- manage link lookup (appointment_for_token): p50 {v['p50']} ms, p95 {v['p95']} ms"
        )
    if r.get("warning"):
        lines.append(f"WARNING appointments: {r['warning']}")
    return "\n".join(lines)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/results/appointments.json")
