"""Fill PostgreSQL fast with load-test data: residents and contact moments (for ``make bench``).

    python manage.py generate_load_data --residents 1000000 --contacts 10000000 [--seed 42]

What it makes
  * reference data (ORM, small, reused when present): the organisations gemeente-enschede,
    gemeente-maastricht, uwv, svb, cak, duo, toeslagen, cjib and juridisch-loket; a town hall
    location per municipality; ``--staff`` staff users per organisation (``loadgen-<code>-<n>``,
    role baliemedewerker at a municipality, medewerker-uitvoering at an agency) and one broad
    user ``loadgen-loket`` (a member of all nine organisations, for the load test);
  * residents with valid test BSNs (11-proef) in the range 700000000-799999999 (the demo data
    uses 99999xxxx), Dutch-looking names, birth dates, addresses in Enschede or Maastricht,
    about one in five in a two-person household;
  * contact moments over the past year, spread at random over the generated residents (about
    ``contacts / residents`` each, 5 % anonymous), organisations, staff, channels and outcomes.

How: every row is computed inside PostgreSQL with ``INSERT ... SELECT FROM generate_series``
(pseudo-random values from ``hashint8extended(row number, seed)``: the same seed and numbers
give the same people and contacts, apart from uuids and dates relative to today), in batches of
``--batch-size`` rows run over ``--jobs`` connections in parallel, each batch its own
transaction. Contacts are inserted in time order (as they arrive in real life; the time-ordered
indexes are appended to) and sorted by resident within a batch. As a superuser, and only when
the tables have no triggers of their own, foreign-key checks are skipped while loading (the
references are valid by construction) and WAL full-page images are compressed (session
settings). 1 M residents + 10 M contacts take about 5 minutes on 2 cores. Afterwards
``VACUUM (ANALYZE)`` of the big tables (sets hint bits and the visibility map, so the benchmark
does not pay for that; ``--no-vacuum`` runs only ``ANALYZE``).

Idempotent: ``--residents`` and ``--contacts`` are the *totals* of generated rows wanted. What is
already there (residents in the BSN range above, contacts registered by the ``loadgen-<code>-<n>``
staff) is counted and only the difference is added; running the command twice with the same
numbers adds nothing the second time, a bigger number tops up. Nothing is ever deleted or updated.
New BSNs continue after the highest BSN already in the range; a BSN that already exists is
skipped (``ON CONFLICT DO NOTHING``) and made up for with the next free number.

PostgreSQL only: on another database (the SQLite demo) the command refuses with a message.
"""

import os
import threading
import time

import psycopg
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from eenloket.contacts.models import Outcome
from eenloket.core.roles import Role
from eenloket.devtools import demo
from eenloket.organisations.models import Location, Membership, Organisation, User

BSN_FIRST_PREFIX = 70_000_000  # 8-digit prefix; the 9th digit is the 11-proef check digit
BSN_LAST_PREFIX = 79_999_999
BSN_RANGE = (f"{BSN_FIRST_PREFIX}0", f"{BSN_LAST_PREFIX}9")
STAFF_PREFIX = "loadgen-"
BROAD_USER = "loadgen-loket"

LOAD_AGENCIES = ("uwv", "svb", "cak", "duo", "toeslagen", "cjib", "juridisch-loket")
# code, type, name, CBS code, phone, town hall (name, street, number, postcode, city): taken from
# the demo data, so both describe the same organisations the same way.
ORGANISATIONS = [
    (
        m["code"],
        "gemeente",
        m["name"],
        m["cbs"],
        m["phone"],
        next(
            (name, street, number, postcode, m["city"])
            for name, street, number, postcode, pilot in m["locations"]
            if pilot
        ),
    )
    for m in demo.MUNICIPALITIES
] + [
    (code, code, name, "", phone, None)
    for code, name, phone, _team, _desc in demo.NATIONAL
    if code in LOAD_AGENCIES
]
# Share (out of 100) of contacts per organisation; None = the resident's own municipality.
ORGANISATION_WEIGHTS = {
    None: 40,
    "uwv": 12,
    "svb": 8,
    "cak": 5,
    "duo": 6,
    "toeslagen": 12,
    "cjib": 8,
    "juridisch-loket": 9,
}
CHANNEL_WEIGHTS = {"balie": 7, "telefoon": 8, "digitaal": 3, "brief": 1, "huisbezoek": 1}
ANONYMOUS_SHARE = 0.05
ENSCHEDE_SHARE = 0.58

# organisation type -> (question, answer, outcome)
QUESTIONS = {
    "gemeente": [
        (
            "Ik wil een nieuw paspoort aanvragen, wat moet ik meenemen?",
            "Uitgelegd: pasfoto en oude paspoort meenemen. Afspraak gemaakt.",
            Outcome.APPOINTMENT,
        ),
        (
            "Mijn bijstandsuitkering is niet op tijd betaald.",
            "Betaling nagekeken: gaat morgen de deur uit.",
            Outcome.ANSWERED,
        ),
        (
            "Ik heb schulden en kan de huur niet meer betalen.",
            "Aanmelding schuldhulpverlening gedaan, casemanager belt terug.",
            Outcome.CALLBACK,
        ),
        (
            "Kan ik bijzondere bijstand krijgen voor een nieuwe wasmachine?",
            "Aanvraag bijzondere bijstand ingenomen.",
            Outcome.REQUEST_TAKEN,
        ),
        (
            "Ik heb hulp in het huishouden nodig na mijn operatie.",
            "Wmo-melding gedaan, de consulent neemt contact op.",
            Outcome.REQUEST_TAKEN,
        ),
        (
            "Ik ben verhuisd en wil mijn nieuwe adres doorgeven.",
            "Verhuizing verwerkt.",
            Outcome.ANSWERED,
        ),
        (
            "Ik begrijp de aanslag gemeentelijke belastingen niet.",
            "Aanslag samen doorgenomen; kwijtschelding uitgelegd.",
            Outcome.ANSWERED,
        ),
        (
            "Mijn zoon heeft jeugdhulp nodig.",
            "Wordt uitgezocht door het team Wmo en jeugd.",
            Outcome.FOLLOW_UP,
        ),
        ("Ik heb een uittreksel uit de BRP nodig.", "Uittreksel meegegeven.", Outcome.ANSWERED),
        (
            "Ik wil een klacht indienen over hoe ik aan de telefoon ben behandeld.",
            "Klacht doorgezet naar de klachtcoördinator.",
            Outcome.REFERRED,
        ),
    ],
    "uwv": [
        (
            "Ik ben mijn baan kwijt, hoe vraag ik WW aan?",
            "WW-aanvraag samen gestart.",
            Outcome.REQUEST_TAKEN,
        ),
        (
            "Mijn WIA-uitkering is lager dan verwacht.",
            "Uitgelegd hoe de hoogte wordt berekend.",
            Outcome.ANSWERED,
        ),
        (
            "Ik ben ziek uit dienst gegaan, wat nu?",
            "Ziektewet uitgelegd; ziekmelding gedaan.",
            Outcome.REQUEST_TAKEN,
        ),
        (
            "Mijn uitkering is stopgezet.",
            "Wordt uitgezocht door de afdeling uitkeringen.",
            Outcome.FOLLOW_UP,
        ),
        (
            "Terugbelverzoek over de hoogte van de WW.",
            "Twee keer gebeld, geen gehoor.",
            Outcome.NOT_REACHED,
        ),
    ],
    "svb": [
        ("Wanneer krijg ik AOW en hoeveel?", "AOW-datum opgezocht en uitgelegd.", Outcome.ANSWERED),
        ("De kinderbijslag is gestopt.", "Terugbelverzoek voor SVB-collega.", Outcome.CALLBACK),
        (
            "Ik ga samenwonen, wat betekent dat voor mijn AOW?",
            "AOW voor samenwonenden uitgelegd.",
            Outcome.ANSWERED,
        ),
    ],
    "cak": [
        (
            "Ik snap de rekening van het CAK niet.",
            "Eigen bijdrage Wmo uitgelegd.",
            Outcome.ANSWERED,
        ),
        (
            "Ik kan de eigen bijdrage niet betalen.",
            "Betalingsregeling besproken, collega belt terug.",
            Outcome.CALLBACK,
        ),
    ],
    "duo": [
        (
            "Ik kan mijn studieschuld niet terugbetalen.",
            "Draagkrachtmeting uitgelegd, aanvraag samen gedaan.",
            Outcome.REQUEST_TAKEN,
        ),
        (
            "Hoe vraag ik studiefinanciering aan voor mijn dochter?",
            "Uitgelegd hoe dat via Mijn DUO gaat.",
            Outcome.ANSWERED,
        ),
    ],
    "toeslagen": [
        (
            "Mijn huurtoeslag is gestopt en ik weet niet waarom.",
            "Doorverwezen naar een collega van Dienst Toeslagen.",
            Outcome.REFERRED,
        ),
        (
            "Ik moet zorgtoeslag terugbetalen.",
            "Betalingsregeling uitgelegd.",
            Outcome.ANSWERED,
        ),
        (
            "Ik ben gedupeerd door de kinderopvangtoeslagaffaire.",
            "Afspraak gemaakt met een persoonlijk zaakbehandelaar.",
            Outcome.APPOINTMENT,
        ),
    ],
    "cjib": [
        (
            "Ik heb een boete en kan die niet in één keer betalen.",
            "Betalingsregeling aangevraagd.",
            Outcome.REQUEST_TAKEN,
        ),
        ("Mijn boete is verhoogd, klopt dat?", "Verhoging uitgelegd.", Outcome.ANSWERED),
    ],
    "juridisch-loket": [
        (
            "Ik wil bezwaar maken tegen een besluit maar weet niet hoe.",
            "Afspraak bij het Juridisch Loket op locatie.",
            Outcome.APPOINTMENT,
        ),
        (
            "Mijn huisbaas wil de huur flink verhogen.",
            "Huurrecht uitgelegd; verwezen naar de Huurcommissie.",
            Outcome.REFERRED,
        ),
    ],
}

GIVEN_NAMES = (  # noqa: SIM905 - a word list reads better as text
    "Jan Piet Kees Henk Johan Gerrit Willem Bram Daan Sem Lucas Noah Thijs Tom Ruben "
    "Jesse Niels Bart Erik Martijn Sander Mark Jeroen Stefan Wouter Anna Emma Julia "
    "Sophie Mila Lotte Iris Anouk Sanne Femke Eva Lisa Fleur Noor Roos Marieke Ingrid "
    "Wilma Greet Marja Els Tineke Mohamed Ahmed Youssef Mehmet Ali Mustafa Fatima "
    "Aisha Zeynep Yasmina Khadija Samira Piotr Tomasz Agnieszka Katarzyna Ricardo "
    "Kofi Yara Priya Dewi Hanneke Gert-Jan Jan-Willem"
).split()
SECOND_NAMES = "Johannes Maria Petrus Hendrika Cornelis Wilhelmina Jacobus Theodora".split()  # noqa: SIM905
SURNAMES = [
    *[
        ("", s)
        for s in (  # noqa: SIM905
            "Jansen Bakker Visser Smit Meijer Mulder Bos Vos Peters Hendriks Dekker Brouwer "
            "Dijkstra Smits Janssen Willems Hermans Kok Scholten Nijenhuis Wolters Kuipers "
            "Gerritsen Lemmens Houben Vermeulen Hoekstra Koster Prins Huisman Postma Kramer "
            "Yilmaz Kaya Demir Ouali Bouzid Kowalski Nowak Pinas Tjon Wijnaldum Sedney "
            "Mahabier"
        ).split()
    ],
    ("", "El Idrissi"),
    ("", "El Amrani"),
    ("", "Oude Geerdink"),
    ("", "Ten Hove"),
    ("de", "Vries"),
    ("de", "Boer"),
    ("de", "Groot"),
    ("de", "Jong"),
    ("de", "Wit"),
    ("de", "Bruijn"),
    ("van", "Leeuwen"),
    ("van", "Dijk"),
    ("van", "Vliet"),
    ("van", "Beek"),
    ("van den", "Berg"),
    ("van den", "Heuvel"),
    ("van der", "Linden"),
    ("van der", "Meer"),
    ("van der", "Heijden"),
    ("ter", "Horst"),
    ("te", "Riele"),
    ("op de", "Kamp"),
]
CITIES = {
    "Enschede": (  # noqa: SIM905
        "Langestraat Oude-Markt Hengelosestraat Haaksbergerstraat Lasondersingel "
        "Gronausestraat Boulevard-1945 Pathmossingel Deurningerstraat Kuipersdijk "
        "Oldenzaalsestraat Wesselerbrinklaan Brinkstraat Javastraat Kottenpark "
        "Lipperkerkstraat Roomweg Twekkelerweg"
    ).split(),
    "Maastricht": (  # noqa: SIM905
        "Markt Boschstraat Wycker-Brugstraat Tongerseweg Akersteenweg Scharnerweg "
        "Via-Regia Brusselseweg Meerssenerweg Sint-Pieterstraat Heugemerweg Oranjeplein "
        "Cabergerweg Ambyerstraat-Noord Koningin-Emmaplein Vijverdalseweg Statensingel "
        "Brabantstraat"
    ).split(),
}
POSTCODE_PREFIXES = {
    "Enschede": [str(n) for n in (*range(7511, 7515), *range(7521, 7525), *range(7531, 7549))],
    "Maastricht": [str(n) for n in (*range(6211, 6230),)],
}
POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"  # letters used in Dutch postcodes
PREFERRED_CHANNELS = ["post"] * 6 + ["telefoon"] * 5 + ["email"] * 4 + ["portaal"] * 3
PREFERRED_CHANNELS += ["sms", "balie"]


def _rnd(key: str, salt: int) -> str:
    """SQL for a pseudo-random float in [0, 1) from a row key and a salt (seeded)."""
    return f"((hashint8extended({key}, %(salt)s::bigint + {salt}) & 2147483647)::float8 / 2147483648.0)"


def _pick(array_param: str, key: str, salt: int, size: int) -> str:
    return f"(%({array_param})s::text[])[1 + floor({_rnd(key, salt)} * {size})::int]"


def _bsn_checksum(p: str) -> str:
    """SQL: weighted digit sum (9..2) of an 8-digit prefix; check digit = sum mod 11 (if < 10)."""
    weights = range(9, 1, -1)
    return " + ".join(
        f"mod({p} / {10 ** (w - 2)}, 10) * {w}" if w > 2 else f"mod({p}, 10) * 2" for w in weights
    )


def bsn_check_digit(prefix: int) -> int | None:
    digits = f"{prefix:08d}"
    total = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
    check = total % 11
    return check if check < 10 else None


RESIDENT_SQL = f"""
WITH g AS (
    SELECT p, {_bsn_checksum("p")} AS s
    FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS p
), v AS (
    SELECT p, s,
        mod(p / 2, 4) = 0 AND mod(s + CASE WHEN mod(p, 2) = 0 THEN 2 ELSE -2 END, 11) < 10 AS in_hh
    FROM g WHERE mod(s, 11) < 10
), w AS (
    SELECT p, in_hh,
        (p * 10 + mod(s, 11))::text AS bsn,
        CASE WHEN in_hh THEN -(p / 2) ELSE p END AS hk,
        1 + floor({_rnd("CASE WHEN in_hh THEN -(p / 2) ELSE p END", 1)} * %(n_surnames)s)::int AS si,
        {_rnd("CASE WHEN in_hh THEN -(p / 2) ELSE p END", 2)} < {ENSCHEDE_SHARE} AS enschede,
        CASE WHEN in_hh THEN overlay(overlay(md5(%(hh_ns)s || (p / 2)::text)
            PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid END AS hh_uuid
    FROM v
), x AS (
    SELECT w.*,
        CASE WHEN {_rnd("p", 3)} < 0.15
            THEN {_pick("given", "p", 4, len(GIVEN_NAMES))} || ' ' || {_pick("second", "p", 5, len(SECOND_NAMES))}
            ELSE {_pick("given", "p", 4, len(GIVEN_NAMES))} END AS given_names,
        (%(surname_prefixes)s::text[])[si] AS surname_prefix,
        (%(surnames)s::text[])[si] AS surname
    FROM w
), hh AS (
    INSERT INTO residents_household (uuid, name, created_at)
    SELECT hh_uuid, 'Huishouden ' || concat_ws(' ', nullif(surname_prefix, ''), surname), now()
    FROM x WHERE in_hh AND mod(p, 2) = 0
    ON CONFLICT DO NOTHING
    RETURNING id, uuid
)
INSERT INTO residents_resident (
    uuid, bsn, given_names, surname_prefix, surname, birth_date, street, house_number,
    house_number_addition, postcode, city, phone, email, preferred_channel, language,
    household_id, needs_mobility, needs_visual, needs_hearing, needs_cognitive, needs_other,
    needs_notes, created_at, updated_at, municipality_id
)
SELECT
    gen_random_uuid(), bsn, given_names, surname_prefix, surname,
    date '1930-01-01' + floor({_rnd("p", 6)} * 28000)::int,
    CASE WHEN enschede THEN {_pick("streets_e", "hk", 7, len(CITIES["Enschede"]))}
        ELSE {_pick("streets_m", "hk", 7, len(CITIES["Maastricht"]))} END,
    1 + floor({_rnd("hk", 8)} * 180)::int,
    CASE WHEN {_rnd("hk", 9)} < 0.07 THEN (ARRAY['A', 'B', 'C', '1', '2', 'bis'])[1 + floor({_rnd("hk", 10)} * 6)::int]
        ELSE '' END,
    CASE WHEN enschede THEN {_pick("postcodes_e", "hk", 11, len(POSTCODE_PREFIXES["Enschede"]))}
        ELSE {_pick("postcodes_m", "hk", 11, len(POSTCODE_PREFIXES["Maastricht"]))} END
        || substr('{POSTCODE_LETTERS}', 1 + floor({_rnd("hk", 12)} * {len(POSTCODE_LETTERS)})::int, 1)
        || substr('{POSTCODE_LETTERS}', 1 + floor({_rnd("hk", 13)} * {len(POSTCODE_LETTERS)})::int, 1),
    CASE WHEN enschede THEN 'Enschede' ELSE 'Maastricht' END,
    CASE WHEN {_rnd("p", 14)} < 0.8
        THEN '06' || lpad(floor({_rnd("p", 15)} * 100000000)::bigint::text, 8, '0') ELSE '' END,
    CASE WHEN {_rnd("p", 16)} < 0.55
        THEN lower(replace(split_part(given_names, ' ', 1) || '.' || surname, ' ', ''))
            || floor({_rnd("p", 17)} * 100)::int || '@example.com'
        ELSE '' END,
    {_pick("preferred", "p", 18, len(PREFERRED_CHANNELS))},
    CASE WHEN {_rnd("p", 19)} < 0.92 THEN 'nl'
        ELSE (ARRAY['en', 'tr', 'ar', 'pl', 'de', 'pap'])[1 + floor({_rnd("p", 20)} * 6)::int] END,
    hh.id,
    {_rnd("p", 21)} < 0.05,
    {_rnd("p", 22)} < 0.02,
    {_rnd("p", 23)} < 0.03,
    {_rnd("p", 24)} < 0.04,
    {_rnd("p", 25)} < 0.02,
    CASE
        WHEN {_rnd("p", 24)} < 0.04 THEN 'Graag uitleg in eenvoudige taal en de afspraak op papier meegeven.'
        WHEN {_rnd("p", 22)} < 0.02 THEN 'Brieven graag digitaal, met voorleessoftware.'
        WHEN {_rnd("p", 23)} < 0.03 THEN 'Slechthorend: liever chat of e-mail dan bellen.'
        WHEN {_rnd("p", 21)} < 0.05 THEN 'Rolstoel; een balie op zithoogte nodig.'
        WHEN {_rnd("p", 25)} < 0.02 THEN 'Neemt graag een mantelzorger mee.'
        ELSE '' END,
    now() - {_rnd("p", 26)} * interval '1095 days',
    now() - {_rnd("p", 26)} * interval '1095 days',
    CASE WHEN enschede THEN %(enschede_id)s::bigint ELSE %(maastricht_id)s::bigint END
FROM x LEFT JOIN hh ON x.hh_uuid = hh.uuid
ON CONFLICT DO NOTHING
"""  # noqa: S608 - only constants and ints are formatted in; values are bound parameters

CONTACT_SQL = f"""
WITH b AS (
    SELECT c,
        CASE WHEN {_rnd("c", 1)} >= %(anonymous)s THEN 1 + floor({_rnd("c", 2)} * %(n_res)s)::int END AS ri,
        (%(org_slots)s::int[])[1 + floor({_rnd("c", 3)} * 100)::int] AS slot0,
        {_pick("channels", "c", 4, sum(CHANNEL_WEIGHTS.values()))} AS channel,
        current_date - 365
            + floor((c - %(c_start)s + {_rnd("c", 5)}) * 365.0 / %(c_total)s)::int AS d
    FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS c
), o AS (
    SELECT c, channel,
        (%(res_ids)b::bigint[])[ri] AS resident_id,
        CASE WHEN slot0 >= 0 THEN slot0
            WHEN ri IS NOT NULL THEN (%(res_slots)b::int[])[ri]
            WHEN {_rnd("c", 6)} < {ENSCHEDE_SHARE} THEN 0 ELSE 1 END AS slot,
        CASE WHEN channel = 'digitaal'
            THEN d + {_rnd("c", 7)} * interval '24 hours'
            -- office hours on a working day: a weekend day becomes a weekday of that week
            ELSE CASE WHEN extract(isodow FROM d) > 5
                    THEN d - extract(isodow FROM d)::int + 1 + floor({_rnd("c", 12)} * 5)::int
                    ELSE d END
                + interval '8 hours' + {_rnd("c", 7)} * interval '9 hours'
        END AT TIME ZONE 'Europe/Amsterdam' AS started_at,
        (2 + {_rnd("c", 8)} * 28) * interval '1 minute' AS duration
    FROM b
), q AS (
    SELECT o.*,
        (%(q_first)s::int[])[slot + 1] + floor({_rnd("c", 9)} * (%(q_count)s::int[])[slot + 1])::int AS qi
    FROM o
)
INSERT INTO contacts_contactmoment (
    uuid, organisation_id, location_id, staff_id, resident_id, channel, question, answer,
    outcome, extra_help_needed, started_at, ended_at, created_at
)
SELECT
    gen_random_uuid(),
    (%(org_ids)s::bigint[])[slot + 1],
    CASE WHEN channel = 'balie' THEN (%(location_ids)s::bigint[])[slot + 1] END,
    (%(staff_ids)s::bigint[])[slot * %(staff_per_org)s + 1 + floor({_rnd("c", 10)} * %(staff_per_org)s)::int],
    resident_id,
    channel,
    (%(questions)s::text[])[qi],
    (%(answers)s::text[])[qi],
    (%(outcomes)s::text[])[qi],
    {_rnd("c", 11)} < 0.08,
    started_at,
    started_at + duration,
    started_at + duration
FROM q
ORDER BY resident_id
"""  # noqa: S608 - only constants and ints are formatted in; values are bound parameters


def _duration(seconds: float) -> str:
    minutes, sec = divmod(int(seconds), 60)
    return f"{minutes}m{sec:02d}s" if minutes else f"{seconds:.1f}s"


class Command(BaseCommand):
    help = (
        "Fill PostgreSQL with load-test data (residents with valid test BSNs, contact moments) "
        "via INSERT ... SELECT generate_series. The numbers are totals: only what is missing is "
        "added. PostgreSQL only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--residents", type=int, default=1_000_000, help="total wanted")
        parser.add_argument("--contacts", type=int, default=10_000_000, help="total wanted")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--staff", type=int, default=4, help="staff users per organisation")
        parser.add_argument("--batch-size", type=int, default=250_000)
        parser.add_argument(
            "--jobs", type=int, default=min(2, os.cpu_count() or 1), help="parallel connections"
        )
        parser.add_argument(
            "--no-vacuum", action="store_true", help="only ANALYZE instead of VACUUM (ANALYZE)"
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "generate_load_data only works on PostgreSQL (it uses generate_series and runs "
                "for minutes with millions of rows). Set DATABASE_URL, for example "
                "DATABASE_URL=postgres://postgres@127.0.0.1:5432/eenloket_bench."
            )
        for name in ("residents", "contacts", "seed"):
            if options[name] < 0:
                raise CommandError(f"--{name} cannot be negative.")
        if options["seed"] >= 2**40:
            raise CommandError("--seed must be below 2**40.")
        if not 1 <= options["staff"] <= 50 or options["batch_size"] < 1 or options["jobs"] < 1:
            raise CommandError("--staff must be 1..50, --batch-size and --jobs at least 1.")
        if options["residents"] > 9_000_000:
            raise CommandError("At most 9,000,000 generated residents (the BSN range 7xxxxxxxx).")
        self.seed = options["seed"]
        self.jobs = options["jobs"]
        self.batch_size = options["batch_size"]
        self.verbose = options["verbosity"] >= 1
        started = time.monotonic()
        self.started = started
        self.skip_fk_checks = self._can_skip_fk_checks()

        ref = self._reference_data(options["staff"])
        self._log(
            f"Reference data: {len(ref['orgs'])} organisations, "
            f"{len(ref['staff_ids'])} generated staff users (+ {BROAD_USER}); "
            + ("foreign-key checks skipped while loading." if self.skip_fk_checks else "")
        )
        added_residents = self._residents(options["residents"])
        added_contacts = self._contacts(options["contacts"], ref, options["staff"])
        if added_residents or added_contacts:
            self._vacuum(analyze_only=options["no_vacuum"])
        self._log(
            f"Done in {_duration(time.monotonic() - started)}: added {added_residents:,} "
            f"residents and {added_contacts:,} contact moments."
        )

    # -- helpers -------------------------------------------------------------------------------

    def _log(self, message: str) -> None:
        if self.verbose:
            elapsed = _duration(time.monotonic() - self.started)
            self.stdout.write(f"[{elapsed:>7}] {message}")
            self.stdout.flush()

    def _connect(self) -> psycopg.Connection:
        params = connection.get_connection_params()
        for key in ("cursor_factory", "context"):
            params.pop(key, None)
        conn = psycopg.connect(**params, autocommit=True)
        # The app's settings prepare statements server-side (prepare_threshold): after a few
        # batches PostgreSQL would switch this parameterised bulk INSERT to a generic plan that
        # cannot see the batch bounds and runs for many minutes per batch. Plan every batch.
        conn.prepare_threshold = None
        conn.execute("SET plan_cache_mode = force_custom_plan")
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET work_mem = '256MB'")
        conn.execute("SET maintenance_work_mem = '512MB'")
        if self.skip_fk_checks:
            conn.execute("SET session_replication_role = replica")
            # Most WAL is full-page images of index pages after each checkpoint; compress them.
            for method in ("lz4", "pglz"):
                try:
                    conn.execute(f"SET wal_compression = {method}")
                    break
                except psycopg.Error:
                    continue
        return conn

    def _can_skip_fk_checks(self) -> bool:
        """Foreign-key checks cost ~40 % of the load time. The generated references are valid
        by construction, so skip them (session_replication_role = replica) when we may: as a
        superuser, and only if the tables have no triggers besides the internal FK ones."""
        with connection.cursor() as cur:
            cur.execute(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
            )
            row = cur.fetchone()
            cur.execute(
                "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = ANY("
                "ARRAY['contacts_contactmoment', 'residents_resident', 'residents_household']"
                "::regclass[])"
            )
            return bool(row and row[0]) and cur.fetchone()[0] == 0

    def _run_parallel(self, label: str, sql: str, batches, params: dict, total: int) -> int:
        """Run ``sql`` once per (first, last) batch over self.jobs connections; rows inserted."""
        pending = list(reversed(batches))
        lock = threading.Lock()
        state = {"done": 0, "error": None}
        t0 = time.monotonic()

        def worker():
            try:
                with self._connect() as conn:
                    while True:
                        with lock:
                            if not pending or state["error"]:
                                return
                            first, last = pending.pop()
                        cur = conn.execute(sql, {**params, "first": first, "last": last})
                        with lock:
                            state["done"] += cur.rowcount
                            done = state["done"]
                        rate = done / max(time.monotonic() - t0, 1e-6)
                        self._log(
                            f"  {label}: {done:,}/{total:,} ({100 * done / max(total, 1):.0f} %), "
                            f"{rate:,.0f} rows/s"
                        )
            except Exception as exc:  # reported by the main thread
                with lock:
                    state["error"] = exc

        threads = [threading.Thread(target=worker, daemon=True) for _ in range(self.jobs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(0.5)
        if state["error"]:
            raise CommandError(f"Loading {label} failed: {state['error']}") from state["error"]
        return state["done"]

    # -- reference data ------------------------------------------------------------------------

    @transaction.atomic
    def _reference_data(self, staff_per_org: int) -> dict:
        password = make_password(None)  # unusable: these accounts are for data and tokens only
        orgs, locations, staff_ids = [], [], []
        broad, _ = User.objects.get_or_create(
            username=BROAD_USER,
            defaults={
                "first_name": "Loket",
                "last_name": "Loadtest",
                "job_title": "Baliemedewerker (load test, alle organisaties)",
                "password": password,
            },
        )
        for code, org_type, name, cbs, phone, town_hall in ORGANISATIONS:
            org, _ = Organisation.objects.get_or_create(
                code=code,
                defaults={
                    "type": org_type,
                    "name": name,
                    "municipality_code": cbs,
                    "phone": phone,
                },
            )
            orgs.append(org)
            location = None
            if town_hall:
                loc_name, street, number, postcode, city = town_hall
                location, _ = Location.objects.get_or_create(
                    organisation=org,
                    name=loc_name,
                    defaults={
                        "street": street,
                        "house_number": number,
                        "postcode": postcode,
                        "city": city,
                        "phone": phone,
                    },
                )
            locations.append(location.pk if location else None)
            role = Role.BALIEMEDEWERKER if org_type == "gemeente" else Role.MEDEWERKER_UITVOERING
            for n in range(1, staff_per_org + 1):
                index = len(staff_ids)
                user, _ = User.objects.get_or_create(
                    username=f"{STAFF_PREFIX}{code}-{n}",
                    defaults={
                        "first_name": GIVEN_NAMES[(index * 7) % len(GIVEN_NAMES)],
                        "last_name": SURNAMES[(index * 11) % len(SURNAMES)][1],
                        "job_title": role.label,
                        "password": password,
                    },
                )
                Membership.objects.get_or_create(user=user, organisation=org, team=None, role=role)
                staff_ids.append(user.pk)
            Membership.objects.get_or_create(user=broad, organisation=org, team=None, role=role)
        return {"orgs": orgs, "location_ids": locations, "staff_ids": staff_ids}

    # -- residents -----------------------------------------------------------------------------

    def _generated_residents(self, cur) -> tuple[int, int | None]:
        cur.execute(
            "SELECT count(*), max(bsn) FROM residents_resident WHERE bsn BETWEEN %s AND %s",
            BSN_RANGE,
        )
        count, max_bsn = cur.fetchone()
        return count, (int(max_bsn[:8]) if max_bsn else None)

    def _residents(self, wanted: int) -> int:
        if wanted == 0:
            return 0
        with connection.cursor() as cur:
            existing, max_prefix = self._generated_residents(cur)
            self._backfill_municipality(cur)
        if existing >= wanted:
            self._log(f"Residents: {existing:,} generated residents present, nothing to add.")
            return 0
        self._log(f"Residents: {existing:,} present, adding {wanted - existing:,}.")
        params = {
            "salt": self.seed * 1000,
            "hh_ns": f"loadgen:{self.seed}:household:",
            "given": GIVEN_NAMES,
            "second": SECOND_NAMES,
            "surname_prefixes": [p for p, _ in SURNAMES],
            "surnames": [s for _, s in SURNAMES],
            "n_surnames": len(SURNAMES),
            "streets_e": [s.replace("-", " ") for s in CITIES["Enschede"]],
            "streets_m": [s.replace("-", " ") for s in CITIES["Maastricht"]],
            "postcodes_e": POSTCODE_PREFIXES["Enschede"],
            "postcodes_m": POSTCODE_PREFIXES["Maastricht"],
            "preferred": PREFERRED_CHANNELS,
            # The woongemeente: the basis on which the municipality sees its residents.
            "enschede_id": Organisation.objects.get(code="gemeente-enschede").pk,
            "maastricht_id": Organisation.objects.get(code="gemeente-maastricht").pk,
        }
        added = 0
        for _round in range(5):  # BSNs taken by others are skipped; make up for them
            need = wanted - existing - added
            start = BSN_FIRST_PREFIX if max_prefix is None else max_prefix + 1
            batches = self._bsn_batches(start, need)
            added += self._run_parallel("residents", RESIDENT_SQL, batches, params, need)
            with connection.cursor() as cur:
                count, max_prefix = self._generated_residents(cur)
            if count >= wanted:
                break
        return added

    def _backfill_municipality(self, cur) -> None:
        """Residents generated before the woongemeente existed get theirs (idempotent)."""
        cur.execute(
            "UPDATE residents_resident r SET municipality_id = o.id FROM organisations_organisation o"
            " WHERE r.bsn BETWEEN %s AND %s AND r.municipality_id IS NULL"
            " AND o.code = 'gemeente-' || lower(r.city)",
            BSN_RANGE,
        )
        if cur.rowcount:
            self._log(f"Residents: woongemeente set for {cur.rowcount:,} residents.")

    def _bsn_batches(self, start: int, need: int) -> list[tuple[int, int]]:
        """Prefix ranges [first, last] that hold ``need`` valid BSNs, cut at even prefixes so
        that household pairs (2k, 2k+1) stay in one batch."""
        batches, first, count, in_batch, p = [], start, 0, 0, start
        while count < need:
            if p > BSN_LAST_PREFIX:
                raise CommandError("The BSN range 7xxxxxxxx is full.")
            if bsn_check_digit(p) is not None:
                count += 1
                in_batch += 1
            if (in_batch >= self.batch_size and p % 2 == 1) or count == need:
                batches.append((first, p))
                first, in_batch = p + 1, 0
            p += 1
        return batches

    # -- contact moments -----------------------------------------------------------------------

    def _contacts(self, wanted: int, ref: dict, staff_per_org: int) -> int:
        if wanted == 0:
            return 0
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM contacts_contactmoment WHERE staff_id = ANY(%s)",
                [ref["staff_ids"]],
            )
            existing = cur.fetchone()[0]
            if existing >= wanted:
                self._log(f"Contacts: {existing:,} generated contacts present, nothing to add.")
                return 0
            cur.execute(
                "SELECT id, city FROM residents_resident WHERE bsn BETWEEN %s AND %s ORDER BY id",
                BSN_RANGE,
            )
            residents = cur.fetchall()
        if not residents:
            raise CommandError("No generated residents to link contacts to: use --residents.")
        need = wanted - existing
        self._log(
            f"Contacts: {existing:,} present, adding {need:,} over {len(residents):,} residents."
        )
        org_codes = [o.code for o in ref["orgs"]]
        slots = []
        for code, weight in ORGANISATION_WEIGHTS.items():
            slots += [-1 if code is None else org_codes.index(code)] * weight
        questions, answers, outcomes, q_first, q_count = [], [], [], [], []
        for org in ref["orgs"]:
            catalogue = QUESTIONS[org.type if org.type == "gemeente" else org.code]
            q_first.append(len(questions) + 1)
            q_count.append(len(catalogue))
            for question, answer, outcome in catalogue:
                questions.append(question)
                answers.append(answer)
                outcomes.append(str(outcome))
        channels = [c for c, weight in CHANNEL_WEIGHTS.items() for _ in range(weight)]
        params = {
            "salt": self.seed * 1000 + 500,
            "anonymous": ANONYMOUS_SHARE,
            "n_res": len(residents),
            "res_ids": [r[0] for r in residents],
            "res_slots": [0 if r[1] == "Enschede" else 1 for r in residents],
            "org_slots": slots,
            "channels": channels,
            "q_first": q_first,
            "q_count": q_count,
            "questions": questions,
            "answers": answers,
            "outcomes": outcomes,
            "org_ids": [o.pk for o in ref["orgs"]],
            "location_ids": ref["location_ids"],
            "staff_ids": ref["staff_ids"],
            "staff_per_org": staff_per_org,
        }
        params["c_start"], params["c_total"] = existing, need
        batches = [
            (c, min(c + self.batch_size, wanted) - 1)
            for c in range(existing, wanted, self.batch_size)
        ]
        return self._run_parallel("contacts", CONTACT_SQL, batches, params, need)

    # -- statistics ----------------------------------------------------------------------------

    def _vacuum(self, *, analyze_only: bool) -> None:
        verb = "ANALYZE" if analyze_only else "VACUUM (ANALYZE)"
        self._log(f"{verb} of the loaded tables ...")
        big = ["contacts_contactmoment", "residents_resident", "residents_household"]
        small = [
            "organisations_organisation",
            "organisations_location",
            "organisations_user",
            "organisations_membership",
        ]
        pending = list(big)
        lock = threading.Lock()
        errors = []

        def worker():
            try:
                with self._connect() as conn:
                    while True:
                        with lock:
                            if not pending:
                                return
                            table = pending.pop(0)
                        conn.execute(f"{verb} {table}")
            except Exception as exc:
                errors.append(exc)

        threads = [threading.Thread(target=worker, daemon=True) for _ in range(self.jobs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(0.5)
        with connection.cursor() as cur:
            for table in small:
                cur.execute(f"ANALYZE {table}")
        if errors:
            raise CommandError(f"{verb} failed: {errors[0]}")
        self._log(f"{verb} done.")
