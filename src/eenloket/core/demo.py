"""Demo data: two pilot municipalities (Enschede, Maastricht), the national agencies, locations
where agencies work as guests, staff of every role, 240 residents with valid test BSNs in
households, and a year of contact moments. Deterministic (fixed seed), fake but valid."""

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from eenloket.catalogue import services as catalogue_services
from eenloket.catalogue.models import RoutingOutcome, Service
from eenloket.catalogue.routing_eval import catalogue_engine
from eenloket.contacts.models import Channel, ContactMoment, Outcome
from eenloket.contacts.services import CONFIRMING_OUTCOMES
from eenloket.core.audit import recorded_at
from eenloket.core.calendar import AMSTERDAM, add_working_days, is_working_day
from eenloket.core.models import Notification
from eenloket.core.roles import Role
from eenloket.core.validators import valid_bsns
from eenloket.organisations.models import (
    Location,
    Membership,
    OpeningHours,
    Organisation,
    Team,
    User,
)
from eenloket.organisations.selectors import municipality_of
from eenloket.referrals import services as referral_services
from eenloket.referrals.models import LiveConsult, Referral, ReferralEvent, ResponseNorm
from eenloket.residents.models import Household, PreferredChannel, Resident

DEMO_PASSWORD = "demo-loket-2026"  # noqa: S105 - printed on purpose for the local demo

NATIONAL = [
    ("uwv", "UWV", "0800 2003", "Werk en uitkering", "WW, WIA, Ziektewet en werk zoeken"),
    ("svb", "SVB", "030 264 9000", "AOW en kinderbijslag", "AOW, Anw, kinderbijslag, pgb"),
    (
        "cak",
        "CAK",
        "0800 0087",
        "Eigen bijdrage",
        "eigen bijdrage Wmo en Wlz, wanbetalers zorgverzekering",
    ),
    (
        "duo",
        "DUO",
        "050 599 7755",
        "Studiefinanciering",
        "studiefinanciering, studieschuld, lerarenbeurs",
    ),
    (
        "belastingdienst",
        "Belastingdienst",
        "0800 0543",
        "Particulieren",
        "aangifte inkomstenbelasting, betalingsregeling",
    ),
    (
        "toeslagen",
        "Dienst Toeslagen",
        "0800 0543",
        "Toeslagen",
        "huurtoeslag, zorgtoeslag, kinderopvangtoeslag, herstel",
    ),
    (
        "cjib",
        "CJIB",
        "058 233 8888",
        "Boetes en betalingsregelingen",
        "verkeersboetes, betalingsregeling, maatwerk",
    ),
    (
        "juridisch-loket",
        "Het Juridisch Loket",
        "0900 8020",
        "Juridisch advies",
        "gratis juridisch advies, bezwaar, huur, werk",
    ),
    (
        "waterschap",
        "Waterschap Vechtstromen",
        "088 220 3333",
        "Belastingen",
        "waterschapsbelasting, kwijtschelding",
    ),
    ("rdw", "RDW", "0900 0739", "Kentekens", "kenteken, APK, voertuig"),
    ("cbr", "CBR", "088 227 7700", "Rijbewijs", "rijexamen, gezondheidsverklaring"),
    ("ind", "IND", "088 043 0430", "Verblijf", "verblijfsvergunning, naturalisatie"),
    ("justis", "Justis", "070 370 7080", "VOG", "verklaring omtrent het gedrag"),
    (
        "huurcommissie",
        "Huurcommissie",
        "070 375 1700",
        "Huurgeschillen",
        "huurverhoging, servicekosten, gebreken",
    ),
    ("politie", "Politie", "0900 8844", "Aangifte", "aangifte, verlies van documenten"),
    (
        "kvk",
        "KVK",
        "0800 2117",
        "Ondernemers",
        "inschrijving, uitschrijving, ondernemen met uitkering",
    ),
    ("ciz", "CIZ", "088 789 1000", "Indicaties", "Wlz-indicatie"),
    (
        "sociaal-raadslieden",
        "Sociaal raadslieden",
        "053 480 4800",
        "Sociaal raadslieden",
        "gratis hulp bij brieven, bezwaar en regelingen",
    ),
]

MUNICIPALITIES = [
    {
        "code": "gemeente-enschede",
        "name": "Gemeente Enschede",
        "cbs": "0153",
        "phone": "14 053",
        "city": "Enschede",
        "postcodes": [
            "7511",
            "7512",
            "7513",
            "7521",
            "7522",
            "7523",
            "7531",
            "7541",
            "7544",
            "7545",
        ],
        "streets": [
            "Oude Markt",
            "Langestraat",
            "Hengelosestraat",
            "Haaksbergerstraat",
            "Lasondersingel",
            "Gronausestraat",
            "Boulevard 1945",
            "Pathmossingel",
        ],
        "locations": [
            ("Stadhuis Enschede", "Langestraat", "24", "7511HC", True),
            ("Wijkcentrum Enschede-Zuid", "Wesselerbrinklaan", "40", "7544GR", False),
        ],
    },
    {
        "code": "gemeente-maastricht",
        "name": "Gemeente Maastricht",
        "cbs": "0935",
        "phone": "14 043",
        "city": "Maastricht",
        "postcodes": [
            "6211",
            "6212",
            "6213",
            "6214",
            "6215",
            "6216",
            "6217",
            "6221",
            "6222",
            "6224",
        ],
        "streets": [
            "Markt",
            "Boschstraat",
            "Wycker Brugstraat",
            "Tongerseweg",
            "Akersteenweg",
            "Scharnerweg",
            "Via Regia",
            "Brusselseweg",
        ],
        "locations": [
            ("Stadhuis Maastricht (Mosae Forum)", "Mosae Forum", "10", "6211DW", True),
            ("Servicepunt Maastricht-West", "Brusselseweg", "150", "6217HB", False),
        ],
    },
]

MUNICIPAL_TEAMS = [
    ("Publiekszaken", "paspoort, id-kaart, rijbewijs, verhuizing, uittreksel"),
    ("Contactcentrum", "14 0xx telefoon, algemene vragen"),
    ("Werk en inkomen", "bijstand, bijzondere bijstand, re-integratie"),
    ("Schuldhulpverlening", "schulden, budgetbeheer, beslag"),
    ("Wmo en jeugd", "huishoudelijke hulp, hulpmiddelen, jeugdhulp"),
    ("Kwaliteit en klachten", "klachten, bezwaar"),
]

MUNICIPAL_STAFF = [
    # username suffix, role, team, contact person, title (names per town: STAFF_NAMES)
    ("balie", Role.BALIEMEDEWERKER, "Publiekszaken", True, "Baliemedewerker"),
    ("kcc", Role.KCC_MEDEWERKER, "Contactcentrum", True, "Medewerker contactcentrum"),
    ("casemanager", Role.CASEMANAGER, "Werk en inkomen", True, "Casemanager"),
    ("teamleider", Role.TEAMLEIDER, "Werk en inkomen", True, "Teamleider"),
    ("schulden", Role.CASEMANAGER, "Schuldhulpverlening", True, "Schuldhulpverlener"),
    ("wmo", Role.BALIEMEDEWERKER, "Wmo en jeugd", True, "Wmo-consulent"),
    ("klachten", Role.KLACHTCOORDINATOR, "Kwaliteit en klachten", True, "Klachtcoördinator"),
    (
        "klachtbehandelaar",
        Role.KLACHTBEHANDELAAR,
        "Kwaliteit en klachten",
        False,
        "Klachtbehandelaar",
    ),
    ("beheer", Role.FUNCTIONEEL_BEHEERDER, None, False, "Functioneel beheerder"),
    ("privacy", Role.PRIVACYFUNCTIONARIS, None, False, "Privacyfunctionaris"),
    ("management", Role.MANAGEMENT, None, False, "Directeur Dienstverlening"),
]

# Invented names, one set per town (Twente, Zuid-Limburg): no two demo staff share a name.
STAFF_NAMES = {
    "gemeente-enschede": {
        "balie": ("Sanne", "Bakker"),
        "kcc": ("Ahmed", "El Amrani"),
        "casemanager": ("Ingrid", "Kamphuis"),
        "teamleider": ("Peter", "ter Horst"),
        "schulden": ("Noor", "Vermeulen"),
        "wmo": ("Kees", "Lansink"),
        "klachten": ("Mirjam", "Haverkate"),
        "klachtbehandelaar": ("Youssef", "Ouali"),
        "beheer": ("Els", "Brinkhuis"),
        "privacy": ("Robert", "Pierik"),
        "management": ("Marieke", "Olthof"),
    },
    "gemeente-maastricht": {
        "balie": ("Lieke", "Houben"),
        "kcc": ("Karim", "Bouzid"),
        "casemanager": ("Anja", "Crombach"),
        "teamleider": ("Jos", "Vroemen"),
        "schulden": ("Chantal", "Bemelmans"),
        "wmo": ("Ruud", "Ramakers"),
        "klachten": ("Ellen", "Dassen"),
        "klachtbehandelaar": ("Bart", "Frissen"),
        "beheer": ("Yvonne", "Smeets"),
        "privacy": ("Guido", "Notermans"),
        "management": ("Monique", "Lardinois"),
    },
}

# The agencies' staff in the demo: (adviser, team lead), invented names.
AGENCY_STAFF = {
    "uwv": (("Lisa", "Hermans"), ("Frank", "Koster")),
    "svb": (("Joke", "Postma"), ("Marcel", "van Dam")),
    "cak": (("Priya", "Ramdin"), ("Erik", "Hofman")),
    "duo": (("Tim", "Bosma"), ("Annelies", "Hoogeveen")),
    "toeslagen": (("Samira", "Benali"), ("Gert-Jan", "Vos")),
    "cjib": (("Wietske", "Dijkstra"), ("Sjoerd", "Hoekstra")),
    "juridisch-loket": (("Maarten", "Verhoef"), ("Esther", "Kok")),
}

# The walkthrough's resident (README: BSN 999990007) and her household in Enschede: given name,
# birth date, what the counter should know. Nobody else in the demo is called Fatima Yilmaz.
WALKTHROUGH_HOUSEHOLD = [
    ("Fatima", dt.date(1979, 3, 14), "Leest liever niet zelf; brief samen doorlopen."),
    ("Emre", dt.date(2005, 9, 2), ""),
    ("Elif", dt.date(2011, 5, 21), ""),
]

GIVEN = [
    "Fatima",
    "Jan",
    "Anna",
    "Mohamed",
    "Sophie",
    "Daan",
    "Emma",
    "Lucas",
    "Julia",
    "Sem",
    "Mila",
    "Noah",
    "Zeynep",
    "Piotr",
    "Lotte",
    "Bram",
    "Aisha",
    "Thijs",
    "Iris",
    "Mehmet",
    "Wilma",
    "Henk",
    "Greet",
    "Ricardo",
    "Anouk",
    "Kofi",
    "Yara",
    "Tom",
    "Marja",
    "Johan",
]
SURNAMES = [
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("", "Bakker"),
    ("", "Yilmaz"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("", "El Idrissi"),
    ("", "Kowalski"),
    ("", "Nijenhuis"),
    ("", "Oude Geerdink"),
    ("", "Scholten"),
    ("", "Willems"),
    ("", "Janssen"),
    ("", "Houben"),
    ("", "Lemmens"),
    ("", "Pinas"),
    ("", "Gerritsen"),
    ("van der", "Linden"),
]

QUESTIONS = [
    (
        "gemeente",
        "Ik wil een nieuw paspoort aanvragen, wat moet ik meenemen?",
        "Uitgelegd: pasfoto, oud paspoort. Afspraak gemaakt.",
        Outcome.APPOINTMENT,
    ),
    (
        "gemeente",
        "Mijn bijstandsuitkering is niet op tijd betaald.",
        "Betaling nagekeken: gaat morgen de deur uit.",
        Outcome.ANSWERED,
    ),
    (
        "gemeente",
        "Ik heb schulden en kan de huur niet meer betalen.",
        "Aanmelding schuldhulpverlening gedaan, casemanager belt terug.",
        Outcome.CALLBACK,
    ),
    (
        "gemeente",
        "Kan ik bijzondere bijstand krijgen voor een nieuwe wasmachine?",
        "Aanvraag ingenomen.",
        Outcome.REQUEST_TAKEN,
    ),
    (
        "gemeente",
        "Ik heb hulp nodig in het huishouden na mijn operatie.",
        "Wmo-melding gedaan.",
        Outcome.REQUEST_TAKEN,
    ),
    (
        "gemeente",
        "Ik ben verhuisd en wil mijn adres doorgeven.",
        "Verhuizing verwerkt.",
        Outcome.ANSWERED,
    ),
    (
        "uwv",
        "Ik ben mijn baan kwijt, hoe vraag ik WW aan?",
        "Doorverwezen naar UWV-collega op locatie.",
        Outcome.REFERRED,
    ),
    (
        "uwv",
        "Mijn WIA-uitkering is lager dan verwacht.",
        "Uitgelegd hoe de hoogte wordt berekend.",
        Outcome.ANSWERED,
    ),
    (
        "svb",
        "Wanneer krijg ik AOW en hoeveel?",
        "AOW-datum opgezocht en uitgelegd.",
        Outcome.ANSWERED,
    ),
    ("svb", "De kinderbijslag is gestopt.", "Terugbelverzoek voor SVB-collega.", Outcome.CALLBACK),
    (
        "cak",
        "Ik snap de rekening van het CAK niet.",
        "Eigen bijdrage Wmo uitgelegd.",
        Outcome.ANSWERED,
    ),
    (
        "duo",
        "Ik kan mijn studieschuld niet terugbetalen.",
        "Draagkrachtmeting uitgelegd, aanvraag samen gedaan.",
        Outcome.REQUEST_TAKEN,
    ),
    (
        "toeslagen",
        "Mijn huurtoeslag is gestopt en ik weet niet waarom.",
        "Doorverwezen naar Dienst Toeslagen.",
        Outcome.REFERRED,
    ),
    (
        "cjib",
        "Ik heb een boete en kan die niet in één keer betalen.",
        "Betalingsregeling aangevraagd.",
        Outcome.REQUEST_TAKEN,
    ),
    (
        "juridisch-loket",
        "Ik wil bezwaar maken tegen een besluit maar weet niet hoe.",
        "Afspraak bij het Juridisch Loket op locatie.",
        Outcome.APPOINTMENT,
    ),
    (
        "gemeente",
        "Ik begrijp de brief over de gemeentelijke belastingen niet.",
        "Brief samen doorgelezen; sociaal raadsman genoemd.",
        Outcome.ANSWERED,
    ),
    (
        "gemeente",
        "Mijn zoon heeft jeugdhulp nodig.",
        "Wordt uitgezocht door team jeugd.",
        Outcome.FOLLOW_UP,
    ),
    (
        "gemeente",
        "Ik heb mijn rijbewijs verloren.",
        "Uitgelegd: eerst aangifte van vermissing, dan afspraak.",
        Outcome.APPOINTMENT,
    ),
]


# Questions where the free sociaal raadsman can help (decision VI): staff mention them often.
COUNSELLOR_TOPICS = {  # question → why the counter referred the resident to the counsellor
    "Ik begrijp de brief over de gemeentelijke belastingen niet.": (
        "Brieven van meerdere instanties; inwoner wil hulp bij bezwaar maken."
    ),
    "Ik heb schulden en kan de huur niet meer betalen.": (
        "Betalingsachterstanden bij meerdere instanties; inwoner wil hulp bij een betalingsregeling."
    ),
    "Ik wil bezwaar maken tegen een besluit maar weet niet hoe.": (
        "Inwoner wil bezwaar maken tegen een besluit en hulp bij de brief."
    ),
}

# The walkthrough resident's history with her municipality: days ago, channel, staff, question.
FATIMA_HISTORY = [
    (
        290,
        Channel.DESK,
        "enschede.balie",
        "Ik wil een nieuw paspoort aanvragen, wat moet ik meenemen?",
    ),
    (
        205,
        Channel.HOME_VISIT,
        "enschede.wmo",
        "Ik heb hulp nodig in het huishouden na mijn operatie.",
    ),
    (
        150,
        Channel.DESK,
        "enschede.balie",
        "Ik begrijp de brief over de gemeentelijke belastingen niet.",
    ),
    (
        95,
        Channel.PHONE,
        "enschede.kcc",
        "Kan ik bijzondere bijstand krijgen voor een nieuwe wasmachine?",
    ),
    (60, Channel.PHONE, "enschede.kcc", "Mijn zoon heeft jeugdhulp nodig."),
]
# … and with UWV's adviser at the town hall (UWV's own contacts: UWV sees her on that basis).
FATIMA_AT_UWV = [
    (
        36,
        "Ik ben mijn baan kwijt, hoe vraag ik WW aan?",
        "WW-aanvraag uitgelegd; inwoner vraagt thuis online aan met DigiD.",
    ),
    (
        15,
        "Ik heb een brief gekregen dat mijn WW-aanvraag niet compleet is.",
        "Samen gekeken welke gegevens ontbreken; inwoner stuurt de jaaropgave na.",
    ),
]


# Colloquial questions the catalogue's words do not cover, and the service Enschede's counter
# staff chose for them: the routing engine learns these (see "eerder gekozen" in suggestions).
LEARNED_IN_ENSCHEDE = [
    ("Ik zit krap bij kas deze maand.", "upl-schuldhulpverlening"),
    ("Het lukt me niet meer rond te komen, alles is zo duur.", "upl-schuldhulpverlening"),
    ("Ik kom niet rond en zit krap.", "upl-schuldhulpverlening"),
]


# ---- plausible moments ---------------------------------------------------------------------------
# Desk contacts fall in the locations' opening hours (see `_hours`: weekdays 9:00-17:00, Thursday
# evening 18:00-20:00), phone calls in the phone hours (8:30-17:00), letters are registered and
# home visits made in office hours, on working days; digital questions come in at any day, mostly
# by day and in the evening. Minutes after midnight, local time.
DESK_THURSDAY_EVENING = (18 * 60, 20 * 60)
OFFICE_HOURS = {
    Channel.DESK: (9 * 60, 17 * 60),
    Channel.PHONE: (8 * 60 + 30, 17 * 60),
    Channel.LETTER: (8 * 60 + 30, 17 * 60),
    Channel.HOME_VISIT: (9 * 60, 16 * 60 + 30),
}
DIGITAL_HOURS = list(range(7, 24))
DIGITAL_WEIGHTS = [1, 3, 5, 6, 6, 5, 5, 6, 6, 5, 4, 3, 4, 5, 4, 2, 1]
MINUTES = {  # how long a contact takes, per channel
    Channel.DESK: (4, 25),
    Channel.PHONE: (3, 15),
    Channel.DIGITAL: (2, 12),
    Channel.LETTER: (5, 20),
    Channel.HOME_VISIT: (30, 75),
}


# Who of the municipality handles a contact on each channel (username suffixes, weighted):
# the counter at the desk, the contact centre on the phone, consultants on home visits.
WHO = {
    Channel.DESK: ["balie", "balie", "balie", "wmo", "schulden", "casemanager"],
    Channel.PHONE: ["kcc", "kcc", "kcc", "kcc", "casemanager", "schulden", "wmo"],
    Channel.DIGITAL: ["kcc", "kcc", "kcc", "casemanager", "schulden"],
    Channel.LETTER: ["kcc", "casemanager", "schulden", "wmo"],
    Channel.HOME_VISIT: ["wmo", "wmo", "casemanager", "schulden"],
}


def _at_local(day: dt.date, minute: int, second: int = 0) -> dt.datetime:
    """A local moment (minutes after midnight in Amsterdam) as UTC."""
    local = dt.datetime.combine(day, dt.time(minute // 60, minute % 60, second), tzinfo=AMSTERDAM)
    return local.astimezone(dt.UTC)


def _working_day(day: dt.date, step: int = -1) -> dt.date:
    """`day` itself when it is a working day, else the nearest one in the direction of `step`."""
    while not is_working_day(day):
        day += dt.timedelta(days=step)
    return day


def _working_days_before(day: dt.date, n: int) -> dt.date:
    for _ in range(n):
        day = _working_day(day - dt.timedelta(days=1))
    return day


def _working_days_after(day: dt.date, n: int) -> dt.date:
    for _ in range(n):
        day = _working_day(day + dt.timedelta(days=1), step=1)
    return day


def _start_on(rng, channel, day: dt.date, minutes: int) -> dt.datetime:
    """When a contact of `minutes` on `channel` starts on `day` (a working day unless digital)."""
    if channel == Channel.DIGITAL:
        hour = rng.choices(DIGITAL_HOURS, weights=DIGITAL_WEIGHTS)[0]
        start = min(hour * 60 + rng.randint(0, 59), 24 * 60 - 1 - minutes)
    else:
        opens, closes = OFFICE_HOURS[channel]
        if channel == Channel.DESK and day.weekday() == 3 and rng.random() < 0.15:
            opens, closes = DESK_THURSDAY_EVENING
        start = rng.randint(opens, closes - minutes - 1)
    return _at_local(day, start, rng.randint(0, 59))


def _contact_times(rng, channel, now, *, days=(0, 364)) -> tuple[dt.datetime, dt.datetime]:
    """A plausible (start, end) for a contact on `channel` between `days` days ago and now."""
    today = now.astimezone(AMSTERDAM).date()
    minutes = rng.randint(*MINUTES[channel])
    low, high = days
    while True:
        day = today - dt.timedelta(days=rng.randint(low, high))
        if channel != Channel.DIGITAL and not is_working_day(day):
            continue
        start = _start_on(rng, channel, day, minutes)
        end = start + dt.timedelta(minutes=minutes)
        if end <= now:
            return start, end
        high = max(high, low + 7)  # today is not over yet: an earlier day will do


def _morning(rng, day: dt.date) -> dt.datetime:
    """Early in the working day: when the sweeps of the demo (run on the first requests) notice
    what became overdue overnight."""
    return _at_local(day, 8 * 60 + 30 + rng.randint(0, 25), rng.randint(0, 59))


def _demo_catalogue(municipalities, beheer):
    """The national catalogue, a local service and an override for the pilots."""
    catalogue_services.import_catalogue()
    enschede = municipalities["gemeente-enschede"]
    maastricht = municipalities["gemeente-maastricht"]
    catalogue_services.create_local_service(
        user=beheer["gemeente-enschede"],
        tenant=enschede,
        name="Meedoenpas Enschede",
        description=(
            "Met de Meedoenpas krijgen inwoners met een laag inkomen korting op sport, "
            "cultuur en zwemles voor de kinderen."
        ),
        how_to_apply="Aanvragen bij de balie van het stadhuis of online met DigiD.",
        channels=["online", "balie"],
        keywords=["meedoen", "sportclub betalen", "zwemles", "korting", "laag inkomen", "pas"],
    )
    waste = Service.objects.filter(code="upl-afvalinzameling-grofvuil").first()
    if waste is not None:
        catalogue_services.save_override(
            user=beheer["gemeente-maastricht"],
            tenant=maastricht,
            service=waste,
            description=(
                "In Maastricht haalt de gemeente het afval op. Grofvuil: maak online een "
                "afspraak, het ophalen is gratis tot 2 kuub per keer."
            ),
            keywords=["grofvuil afspraak", "ophaaldag"],
        )


def _service_per_question(questions):
    """The service counter staff picked for each demo question: the best suggestion of the
    organisation that helped."""
    engine = catalogue_engine()
    picked = {}
    for kind, question, _answer, _outcome in questions:
        for s in engine.suggest(question, limit=8):
            if s.organisation == kind:
                picked[question] = s.service["code"]
                break
    codes = Service.objects.in_bulk(list(picked.values()), field_name="code")
    return {q: codes[c] for q, c in picked.items() if c in codes}


COUNSELLOR_OFFICES = [
    ("Sociaal raadslieden Enschede", "Hengelosestraat", "61", "7514AE", "Enschede", "053 480 4800"),
    (
        "Sociaal raadslieden Maastricht",
        "Statensingel",
        "40",
        "6217KG",
        "Maastricht",
        "043 350 6200",
    ),
]


def _backdate(referral, when):
    """Move a demo referral (and its history) back in time, with its norms recomputed."""
    accept_days, contact_days = referral_services.norm_for(referral.to_organisation)
    Referral.objects.filter(pk=referral.pk).update(
        created_at=when,
        updated_at=when,
        accept_due_at=add_working_days(when, accept_days),
        contact_due_at=add_working_days(when, contact_days),
    )
    for n, event in enumerate(referral.events.order_by("at", "id")):
        ReferralEvent.objects.filter(pk=event.pk).update(at=when + dt.timedelta(hours=2 * n))


STAMPS = ("accepted_at", "contacted_at", "closed_at")


def _last_id(model) -> int:
    return model.objects.aggregate(last=Max("id"))["last"] or 0


def _at(when, step, /, **kwargs):
    """Take a step through its service as if at `when`: the services stamp the present moment,
    so the referral's times, its history, the notifications, the access-log rows and the routing
    lessons the step wrote are set to `when` afterwards (the demo shows a plausible past, not
    load time)."""
    marks = {model: _last_id(model) for model in (ReferralEvent, Notification, RoutingOutcome)}
    referral = kwargs.get("referral")
    before = Referral.objects.values(*STAMPS).get(pk=referral.pk) if referral else {}
    with recorded_at(when):
        result = step(**kwargs)
    ReferralEvent.objects.filter(id__gt=marks[ReferralEvent]).update(at=when)
    Notification.objects.filter(id__gt=marks[Notification]).update(created_at=when)
    RoutingOutcome.objects.filter(id__gt=marks[RoutingOutcome]).update(created_at=when)
    if referral is not None:
        after = Referral.objects.values(*STAMPS).get(pk=referral.pk)
        changed = {name: when for name in STAMPS if after[name] != before[name]}
        Referral.objects.filter(pk=referral.pk).update(updated_at=when, **changed)
    elif isinstance(result, Referral):
        _backdate(result, when)
        result.refresh_from_db()
    return result


def _demo_referrals(rng, story, national, municipal_locations, now):
    """Referrals in every state, an overdue one escalated, social counsellor referrals over the
    past year, colleagues on duty and an earlier live consult. Every step goes through the
    referral services, at the moment it plausibly happened (`_at`)."""
    users = {u.username: u for u in User.objects.filter(username__contains=".")}
    balie = users["enschede.balie"]
    uwv_staff = users["uwv.medewerker"]
    shared = ["naam-en-contactgegevens", "vraag", "besproken"]

    def refer(contact, to, reason, staff=balie, **extra):
        return _at(
            contact.ended_at + dt.timedelta(minutes=rng.randint(2, 6)),
            referral_services.create_referral,
            user=staff,
            contact=contact,
            to_organisation=national[to],
            reason=reason,
            discussed=extra.pop("discussed", "Situatie samen doorgenomen aan de balie."),
            consent_given=True,
            shared=shared,
            preferred_channel=extra.pop("channel", "telefoon"),
            **extra,
        )

    def office(day, first, last):
        """A moment on `day` between `first` and `last` o'clock (local)."""
        return _at_local(day, rng.randint(first * 60, last * 60 - 1), rng.randint(0, 59))

    def day_of(moment):
        return moment.astimezone(AMSTERDAM).date()

    # New for UWV: the walkthrough's referral of Fatima Yilmaz (the working day before the last).
    refer(
        story["fatima"],
        "uwv",
        "Inwoner is haar baan kwijt en de WW-aanvraag online lukt niet.",
        service=story["ww_service"],
    )
    # Helped, with feedback the referrer sees in her list.
    helped = refer(story["wia"], "uwv", "Vragen over de hoogte van de WIA-uitkering.")
    accepted = office(_working_days_after(day_of(helped.created_at), 1), 9, 11)
    _at(accepted, referral_services.accept, user=uwv_staff, referral=helped)
    _at(
        accepted + dt.timedelta(minutes=rng.randint(40, 120)),
        referral_services.mark_contacted,
        user=uwv_staff,
        referral=helped,
        note="Gebeld, afspraak gemaakt.",
    )
    _at(
        office(_working_days_after(day_of(accepted), 3), 10, 16),
        referral_services.mark_helped,
        user=uwv_staff,
        referral=helped,
        feedback="WIA-besluit samen doorgenomen; herberekening aangevraagd.",
    )
    # Returned: wrong place, waiting to be referred again.
    returned = refer(story["cak"], "cak", "Vraag over een rekening voor huishoudelijke hulp.")
    _at(
        office(_working_days_after(day_of(returned.created_at), 1), 9, 12),
        referral_services.return_referral,
        user=users["cak.medewerker"],
        referral=returned,
        reason="Deze rekening is van de gemeente (Wmo), niet van het CAK.",
    )
    # Overdue at SVB: sent a week ago, not yet accepted → escalated to SVB's team lead (below).
    refer(story["svb"], "svb", "AOW-aanvraag: inwoner heeft in Duitsland gewerkt.")
    # Social counsellor referrals over the past year (the yearly count per municipality): the
    # intake accepts them the next working day and reports back a few days later.
    intake = users["raadslieden.medewerker"]
    for contact, staff in story["counsellor"]:
        referral = _at(
            contact.ended_at + dt.timedelta(minutes=rng.randint(2, 6)),
            referral_services.create_referral,
            user=staff,
            contact=contact,
            to_organisation=national["sociaal-raadslieden"],
            kind="sociaal-raadslieden",
            reason=COUNSELLOR_TOPICS[contact.question],
            consent_given=True,
            shared=shared,
            preferred_channel="telefoon",
        )
        accepted = office(_working_days_after(day_of(contact.started_at), 1), 9, 12)
        if accepted > now:
            continue
        _at(accepted, referral_services.accept, user=intake, referral=referral)
        helped_at = office(_working_days_after(day_of(accepted), rng.randint(2, 6)), 10, 16)
        if helped_at <= now:
            _at(
                helped_at,
                referral_services.mark_helped,
                user=intake,
                referral=referral,
                feedback="Inwoner is langs geweest; bezwaar samen opgesteld.",
            )
        elif accepted + dt.timedelta(hours=2) <= now:
            _at(
                accepted + dt.timedelta(minutes=rng.randint(30, 120)),
                referral_services.mark_contacted,
                user=intake,
                referral=referral,
                note="Gebeld; afspraak op het spreekuur gemaakt.",
            )
    # What became overdue was noticed by the sweeps on the first requests of the next working
    # morning (in production Celery beat runs them every few minutes).
    today = now.astimezone(AMSTERDAM).date()
    day = today - dt.timedelta(days=21)
    while day <= today:
        moment = _morning(rng, day)
        if is_working_day(day) and moment <= now:
            _at(moment, referral_services.escalate_overdue, now=moment)
        day += dt.timedelta(days=1)

    # On duty at the town hall: UWV present, Juridisch Loket by phone. Until the end of the day,
    # or at least 12 hours from now so that a demo started in the evening still has them.
    stadhuis = municipal_locations["gemeente-enschede"][0]
    end_of_day = dt.datetime.combine(today, dt.time(23, 59, 59), tzinfo=AMSTERDAM)
    until = min(max(end_of_day, now + dt.timedelta(hours=12)), now + dt.timedelta(hours=23))
    referral_services.start_duty(user=uwv_staff, location=stadhuis, until=until)
    referral_services.start_duty(
        user=users["juridisch-loket.medewerker"],
        location=stadhuis,
        reachable="telefoon",
        until=until,
    )
    # An earlier live consult: a UWV colleague came over to the desk two working days ago.
    contact = story["consult"]
    asked = contact.started_at + dt.timedelta(minutes=rng.randint(3, 6))
    earlier = LiveConsult.objects.create(
        contact=contact,
        requester=balie,
        location=stadhuis,
        to_organisation=national["uwv"],
        question="Inwoner wil weten of WW en bijstand samen kan.",
        state="aangenomen",
        accepted_by=uwv_staff,
        accepted_at=asked + dt.timedelta(minutes=2),
        expires_at=asked + dt.timedelta(minutes=5),
        closed_at=asked + dt.timedelta(minutes=25),
    )
    LiveConsult.objects.filter(pk=earlier.pk).update(created_at=asked)


def _hours(location, weekdays, opens, closes):
    for day in weekdays:
        OpeningHours.objects.create(location=location, weekday=day, opens=opens, closes=closes)


@transaction.atomic
def load(*, residents: int = 240, contacts: int = 2400, seed: int = 2026) -> dict:
    rng = random.Random(seed)
    first_notification = _last_id(Notification)
    password = make_password(DEMO_PASSWORD)
    logins: list[tuple[str, str, str]] = []

    def user(username, first, last, title, phone, org, role, team=None, contact=False):
        u, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.eenloket.nl",
                "job_title": title,
                "direct_phone": phone,
                "password": password,
            },
        )
        Membership.objects.get_or_create(
            user=u, organisation=org, team=team, role=role, defaults={"is_contact_person": contact}
        )
        logins.append((username, org.name, str(role.label)))
        return u

    national = {}
    for code, name, phone, team_name, team_desc in NATIONAL:
        org, _ = Organisation.objects.get_or_create(
            code=code, defaults={"type": code, "name": name, "phone": phone}
        )
        national[code] = org
        team, _ = Team.objects.get_or_create(
            organisation=org, name=team_name, defaults={"description": team_desc, "phone": phone}
        )
        if code in AGENCY_STAFF:
            n = len(national)
            (first, last), (lead_first, lead_last) = AGENCY_STAFF[code]
            user(
                f"{code}.medewerker",
                first,
                last,
                f"Adviseur {name}",
                f"+3188{n:02d}{n:02d}100",
                org,
                Role.MEDEWERKER_UITVOERING,
                team,
                True,
            )
            user(
                f"{code}.teamleider",
                lead_first,
                lead_last,
                f"Teamleider {name}",
                f"+3188{n:02d}{n:02d}200",
                org,
                Role.TEAMLEIDER,
                team,
                True,
            )
    user(
        "raadsman",
        "Gerda",
        "Wolters",
        "Sociaal raadsvrouw",
        "+31534804801",
        national["sociaal-raadslieden"],
        Role.INTERMEDIAIR,
        Team.objects.get(organisation=national["sociaal-raadslieden"]),
        True,
    )
    user(
        "raadslieden.medewerker",
        "Anne",
        "de Vos",
        "Sociaal raadsvrouw (intake)",
        "+31534804802",
        national["sociaal-raadslieden"],
        Role.MEDEWERKER_UITVOERING,
        Team.objects.get(organisation=national["sociaal-raadslieden"]),
        True,
    )
    for name, street, number, postcode, city, phone in COUNSELLOR_OFFICES:
        office, created = Location.objects.get_or_create(
            organisation=national["sociaal-raadslieden"],
            name=name,
            defaults={
                "street": street,
                "house_number": number,
                "postcode": postcode,
                "city": city,
                "phone": phone,
            },
        )
        if created:
            _hours(office, range(4), dt.time(9, 0), dt.time(12, 30))
    # SVB answers a little slower than the default norm (accept 1, contact 2 working days).
    ResponseNorm.objects.get_or_create(
        organisation=national["svb"],
        defaults={"accept_working_days": 2, "contact_working_days": 3},
    )
    klachten = Team.objects.get(organisation=national["uwv"])
    user(
        "uwv.klachten",
        "Hans",
        "Brink",
        "Klachtbehandelaar UWV",
        "+31887700300",
        national["uwv"],
        Role.KLACHTBEHANDELAAR,
        klachten,
        False,
    )

    municipal_staff: dict[str, list[User]] = {}
    municipal_locations: dict[str, list[Location]] = {}
    bsns = valid_bsns(999_990_000)
    now = timezone.now()
    all_residents: list[Resident] = []
    for m_index, m in enumerate(MUNICIPALITIES):
        org, _ = Organisation.objects.get_or_create(
            code=m["code"],
            defaults={
                "type": "gemeente",
                "name": m["name"],
                "municipality_code": m["cbs"],
                "phone": m["phone"],
            },
        )
        teams = {}
        for t_name, t_desc in MUNICIPAL_TEAMS:
            teams[t_name], _ = Team.objects.get_or_create(
                organisation=org, name=t_name, defaults={"description": t_desc, "phone": m["phone"]}
            )
        prefix = m["code"].removeprefix("gemeente-")
        staff_list = []
        for i, (suffix, role, team, contact, title) in enumerate(MUNICIPAL_STAFF):
            first, last = STAFF_NAMES[m["code"]][suffix]
            staff_list.append(
                user(
                    f"{prefix}.{suffix}",
                    first,
                    last,
                    title,
                    f"+31{'53' if m_index == 0 else '43'}48{i:05d}",
                    org,
                    role,
                    teams.get(team) if team else None,
                    contact,
                )
            )
        municipal_staff[m["code"]] = staff_list
        locs = []
        for name, street, number, postcode, pilot in m["locations"]:
            loc, created = Location.objects.get_or_create(
                organisation=org,
                name=name,
                defaults={
                    "street": street,
                    "house_number": number,
                    "postcode": postcode,
                    "city": m["city"],
                    "phone": m["phone"],
                },
            )
            if created:
                _hours(loc, range(5), dt.time(9, 0), dt.time(17, 0))
                _hours(loc, [3], dt.time(18, 0), dt.time(20, 0))
            if pilot:  # Gezamenlijke dienstverlening op locatie (background 002)
                loc.guest_organisations.add(
                    *(national[c] for c in ["uwv", "svb", "cak", "duo", "juridisch-loket"])
                )
            locs.append(loc)
        municipal_locations[m["code"]] = locs

        # Residents in households
        per_municipality = residents // len(MUNICIPALITIES)
        created = 0
        if m_index == 0:  # the walkthrough's resident and her children come first
            household = Household.objects.create(name="Huishouden Yilmaz Oude Markt 12")
            for given, birth_date, needs_notes in WALKTHROUGH_HOUSEHOLD:
                all_residents.append(
                    Resident(
                        bsn=next(bsns),
                        given_names=given,
                        surname="Yilmaz",
                        birth_date=birth_date,
                        street="Oude Markt",
                        house_number=12,
                        postcode="7511GB",
                        city=m["city"],
                        municipality=org,
                        phone=f"+316{rng.randint(10000000, 99999999)}",
                        email="",
                        preferred_channel=PreferredChannel.PHONE,
                        household=household,
                        needs_cognitive=bool(needs_notes),
                        needs_notes=needs_notes,
                    )
                )
                created += 1
        while created < per_municipality:
            size = rng.choice([1, 1, 1, 2, 2, 3, 4])
            prefix_, surname = rng.choice(SURNAMES)
            street = rng.choice(m["streets"])
            number = rng.randint(1, 220)
            postcode = rng.choice(m["postcodes"]) + rng.choice(
                ["AA", "AB", "BC", "CD", "GH", "JK", "LM"]
            )
            household = (
                Household.objects.create(name=f"Huishouden {surname} {street} {number}")
                if size > 1
                else None
            )
            for member in range(size):
                if created >= per_municipality:
                    break
                age = rng.randint(30, 80) if member == 0 else rng.randint(1, 60)
                first = rng.choice(GIVEN)
                while (first, surname) == ("Fatima", "Yilmaz"):  # one Fatima Yilmaz only
                    first = rng.choice(GIVEN)
                all_residents.append(
                    Resident(
                        bsn=next(bsns),
                        given_names=first,
                        surname_prefix=prefix_,
                        surname=surname,
                        birth_date=(
                            now - dt.timedelta(days=age * 365 + rng.randint(0, 364))
                        ).date(),
                        street=street,
                        house_number=number,
                        postcode=postcode,
                        city=m["city"],
                        municipality=org,
                        phone=f"+316{rng.randint(10000000, 99999999)}",
                        email=f"{first.lower()}.{surname.lower().replace(' ', '')}{created}@example.nl"
                        if rng.random() < 0.6
                        else "",
                        preferred_channel=rng.choice(
                            PreferredChannel.values + [PreferredChannel.POST] * 2
                        ),
                        household=household,
                        needs_mobility=rng.random() < 0.08,
                        needs_visual=rng.random() < 0.04,
                        needs_hearing=rng.random() < 0.05,
                        needs_cognitive=rng.random() < 0.07,
                        needs_notes="",
                    )
                )
                created += 1
    Resident.objects.bulk_create(all_residents)
    saved = list(Resident.objects.filter(bsn__in=[r.bsn for r in all_residents]).order_by("bsn"))
    for r in saved:
        if r.needs_cognitive and not r.needs_notes:
            r.needs_notes = "Rustig uitleggen, korte zinnen, brief samen doorlopen."
    Resident.objects.bulk_update([r for r in saved if r.needs_notes], ["needs_notes"])
    fatima = saved[0]  # the first BSN: 999990007, the walkthrough's resident

    # The service catalogue, with Enschede's own service and Maastricht's own text
    municipalities = {m["code"]: Organisation.objects.get(code=m["code"]) for m in MUNICIPALITIES}
    beheer = {
        code: next(u for u in lst if u.username.endswith(".beheer"))
        for code, lst in municipal_staff.items()
    }
    _demo_catalogue(municipalities, beheer)
    service_of = _service_per_question(QUESTIONS)

    # Contact moments over the past year, at plausible moments (see `_contact_times`)
    users = {u.username: u for u in User.objects.filter(username__contains=".")}
    uwv_staff = users["uwv.medewerker"]
    by_city = {"Enschede": "gemeente-enschede", "Maastricht": "gemeente-maastricht"}
    orgs = municipalities
    channels = (
        [Channel.DESK] * 4
        + [Channel.PHONE] * 4
        + [Channel.DIGITAL] * 2
        + [Channel.LETTER, Channel.HOME_VISIT]
    )
    staff = {u.username: u for lst in municipal_staff.values() for u in lst}
    today = now.astimezone(AMSTERDAM).date()
    yilmaz = {r.pk for r in saved if r.household_id == fatima.household_id}
    adults = [r for r in saved if r.pk not in yilmaz and (today - r.birth_date).days >= 18 * 366]
    rows: list[ContactMoment] = []

    def contact(
        org, member, resident, channel, times, question, answer, outcome, location=None, **extra
    ):
        start, end = times
        mentioned = ("sociaal raadsman" in answer) or (
            question in COUNSELLOR_TOPICS and rng.random() < 0.4
        )
        row = ContactMoment(
            organisation=org,
            location=location if channel in (Channel.DESK, Channel.HOME_VISIT) else None,
            staff=member,
            resident=resident,
            service=extra.pop("service", service_of.get(question)),
            channel=channel,
            question=question,
            answer=answer,
            outcome=outcome,
            extra_help_needed=rng.random() < 0.12,
            counsellor_mentioned=extra.pop("mentioned", mentioned),
            started_at=start,
            ended_at=end,
        )
        rows.append(row)
        return row

    def on(day, channel):
        minutes = rng.randint(*MINUTES[channel])
        start = _start_on(rng, channel, day, minutes)
        return start, start + dt.timedelta(minutes=minutes)

    for _ in range(contacts):
        resident = rng.choice(adults)
        code = by_city[resident.city]
        kind, question, answer, outcome = rng.choice(QUESTIONS)
        channel = rng.choice(channels)
        if kind == "uwv" and rng.random() < 0.4 and code == "gemeente-enschede":
            # UWV's adviser at the town hall (gezamenlijke dienstverlening op locatie)
            org, staff_member, channel = national["uwv"], uwv_staff, Channel.DESK
            location = municipal_locations[code][0]
            answer, outcome = "Geholpen door UWV op locatie.", Outcome.ANSWERED
        else:
            org = orgs[code]
            staff_member = staff[f"{code.removeprefix('gemeente-')}.{rng.choice(WHO[channel])}"]
            # The counter staff work at the town hall, the others also at the district office.
            location = rng.choice(municipal_locations[code])
            if staff_member.username.endswith(".balie"):
                location = municipal_locations[code][0]
        contact(
            org,
            staff_member,
            resident if rng.random() > 0.05 else None,
            channel,
            _contact_times(rng, channel, now),
            question,
            answer,
            outcome,
            location,
        )
    enschede = municipalities["gemeente-enschede"]
    learned = Service.objects.in_bulk([c for _, c in LEARNED_IN_ENSCHEDE], field_name="code")
    for i in range(30):
        question, code = LEARNED_IN_ENSCHEDE[i % len(LEARNED_IN_ENSCHEDE)]
        contact(
            enschede,
            staff[f"enschede.{rng.choice(WHO[Channel.PHONE])}"],
            rng.choice(adults[:120]),
            Channel.PHONE,
            _contact_times(rng, Channel.PHONE, now, days=(1, 200)),
            question,
            "Aangemeld voor een gesprek over geldzaken.",
            Outcome.REFERRED,
            service=learned.get(code),
        )

    # The walkthrough's resident: a year of contacts with Enschede, two with UWV's adviser at the
    # town hall about her WW; on the last working day but one the counter referred her to UWV,
    # and on the last working day (or earlier today) she called about her tax bill: a callback.
    balie = staff["enschede.balie"]
    stadhuis = municipal_locations["gemeente-enschede"][0]
    local_now = now.astimezone(AMSTERDAM)
    last = (
        today
        if is_working_day(today) and local_now.time() >= dt.time(9, 30)
        else _working_days_before(today, 1)
    )
    ww = "Ik ben mijn baan kwijt, hoe vraag ik WW aan?"
    known = {question: (answer, outcome) for _kind, question, answer, outcome in QUESTIONS}
    for days_ago, channel, who, question in FATIMA_HISTORY:
        day = _working_day(today - dt.timedelta(days=days_ago))
        contact(
            enschede,
            staff[who],
            fatima,
            channel,
            on(day, channel),
            question,
            *known[question],
            stadhuis,
        )
    for days_ago, question, answer in FATIMA_AT_UWV:
        day = _working_day(today - dt.timedelta(days=days_ago))
        contact(
            national["uwv"],
            uwv_staff,
            fatima,
            Channel.DESK,
            on(day, Channel.DESK),
            question,
            answer,
            Outcome.ANSWERED,
            stadhuis,
            service=service_of.get(ww),
        )
    referred_at = _at_local(_working_days_before(last, 1), rng.randint(14 * 60, 15 * 60 + 30))
    story = {
        "ww_service": service_of.get(ww),
        "fatima": contact(
            enschede,
            balie,
            fatima,
            Channel.DESK,
            (referred_at, referred_at + dt.timedelta(minutes=12)),
            "Ik ben mijn baan kwijt en de WW-aanvraag online lukt niet.",
            "Doorverwezen naar UWV: UWV belt haar terug over de aanvraag.",
            Outcome.REFERRED,
            stadhuis,
            service=service_of.get(ww),
        ),
    }
    if last == today:
        called = min(
            now - dt.timedelta(minutes=35), _at_local(today, rng.randint(15 * 60, 16 * 60 + 30))
        )
    else:
        called = _at_local(last, 11 * 60 + 20)
    contact(
        enschede,
        staff["enschede.kcc"],
        fatima,
        Channel.PHONE,
        (called, called + dt.timedelta(minutes=6)),
        "Kan ik de aanslag gemeentelijke belastingen in termijnen betalen?",
        "Terugbelverzoek: een collega van belastingen belt haar over een betalingsregeling.",
        Outcome.CALLBACK,
    )
    # The other referral examples start at the counter of the town hall as well.
    wia, cak, svb, consult = rng.sample([r for r in adults if r.city == "Enschede"], 4)
    for key, resident, working_days, question, answer, outcome in (
        (
            "wia",
            wia,
            9,
            "Mijn WIA-uitkering is lager dan verwacht.",
            "Doorverwezen naar UWV.",
            None,
        ),
        (
            "cak",
            cak,
            3,
            "Ik snap de rekening van het CAK niet.",
            "Doorverwezen naar het CAK.",
            None,
        ),
        ("svb", svb, 5, "Wanneer krijg ik AOW en hoeveel?", "Doorverwezen naar de SVB.", None),
        (
            "consult",
            consult,
            2,
            ww,
            "UWV-collega kwam erbij aan de balie; WW en bijstand uitgelegd.",
            Outcome.ANSWERED,
        ),
    ):
        day = _working_days_before(last, working_days)
        story[key] = contact(
            enschede,
            balie,
            resident,
            Channel.DESK,
            on(day, Channel.DESK),
            question,
            answer,
            outcome or Outcome.REFERRED,
            stadhuis,
        )
    # Social counsellor referrals at the counters: a few in the last days, the rest over the
    # past year and the year before (the report counts them per year).
    story["counsellor"] = []
    for code, username, n, recent in (
        ("gemeente-enschede", "enschede.balie", 14, [1, 2, 4, 6]),
        ("gemeente-maastricht", "maastricht.balie", 9, [1, 3]),
    ):
        town = [r for r in adults if by_city[r.city] == code]
        for i in range(n):
            if i < len(recent):
                day = _working_days_before(last, recent[i])
            else:
                day = _working_day(today - dt.timedelta(days=rng.randint(10, 420)))
            row = contact(
                orgs[code],
                staff[username],
                rng.choice(town),
                Channel.DESK,
                on(day, Channel.DESK),
                rng.choice(sorted(COUNSELLOR_TOPICS)),
                "Gegevens van de sociaal raadsman meegegeven; hij helpt gratis.",
                Outcome.REFERRED,
                municipal_locations[code][0],
                mentioned=True,
            )
            story["counsellor"].append((row, staff[username]))

    ContactMoment.objects.bulk_create(rows, batch_size=500)
    # Registered when the contact ended (the field is stamped with the present on insert).
    ContactMoment.objects.filter(pk__gte=rows[0].pk, pk__lte=rows[-1].pk).update(
        created_at=F("ended_at")
    )
    # What the chosen services teach routing (what register_contact records one by one).
    lessons = RoutingOutcome.objects.bulk_create(
        [
            RoutingOutcome(
                service=c.service,
                tenant=municipality_of(c.organisation, c.location),
                terms=catalogue_services.learning_terms(c.question),
                source=RoutingOutcome.Source.CONTACT,
                source_id=c.uuid,
            )
            for c in rows
            if c.service is not None and c.outcome in CONFIRMING_OUTCOMES
        ],
        batch_size=500,
    )
    ended = {c.uuid: c.ended_at for c in rows}
    for lesson in lessons:
        lesson.created_at = ended[lesson.source_id]
    RoutingOutcome.objects.bulk_update(lessons, ["created_at"], batch_size=500)
    _demo_referrals(rng, story, national, municipal_locations, now)
    # Notifications older than a week were read soon after they came in; the last week's are
    # unread (the start page groups them).
    for note in Notification.objects.filter(
        id__gt=first_notification, created_at__lt=now - dt.timedelta(days=7)
    ).order_by("id"):
        read = note.created_at + dt.timedelta(minutes=rng.randint(5, 90))
        Notification.objects.filter(pk=note.pk).update(read_at=min(read, now))
    return {"logins": logins, "residents": len(saved), "contacts": len(rows), "example": fatima.bsn}
