"""Demo data: two pilot municipalities (Enschede, Maastricht), the national agencies, locations
where agencies work as guests, staff of every role, 240 residents with valid test BSNs in
households, and a year of contact moments. Deterministic (fixed seed), fake but valid."""

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from eenloket.catalogue import services as catalogue_services
from eenloket.catalogue.models import RoutingOutcome, Service
from eenloket.catalogue.routing_eval import catalogue_engine
from eenloket.contacts.models import Channel, ContactMoment, Outcome
from eenloket.contacts.services import CONFIRMING_OUTCOMES
from eenloket.core.calendar import add_working_days
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
    # username suffix, first, last, role, team, contact person, title
    ("balie", "Sanne", "Bakker", Role.BALIEMEDEWERKER, "Publiekszaken", True, "Baliemedewerker"),
    (
        "kcc",
        "Ahmed",
        "El Amrani",
        Role.KCC_MEDEWERKER,
        "Contactcentrum",
        True,
        "KCC-medewerker",
    ),
    ("casemanager", "Ingrid", "Hoekstra", Role.CASEMANAGER, "Werk en inkomen", True, "Casemanager"),
    ("teamleider", "Peter", "Jansen", Role.TEAMLEIDER, "Werk en inkomen", True, "Teamleider"),
    (
        "schulden",
        "Noor",
        "Vermeulen",
        Role.CASEMANAGER,
        "Schuldhulpverlening",
        True,
        "Schuldhulpverlener",
    ),
    ("wmo", "Kees", "Smit", Role.BALIEMEDEWERKER, "Wmo en jeugd", True, "Wmo-consulent"),
    (
        "klachten",
        "Mirjam",
        "de Boer",
        Role.KLACHTCOORDINATOR,
        "Kwaliteit en klachten",
        True,
        "Klachtcoördinator",
    ),
    (
        "klachtbehandelaar",
        "Youssef",
        "Ouali",
        Role.KLACHTBEHANDELAAR,
        "Kwaliteit en klachten",
        False,
        "Klachtbehandelaar",
    ),
    ("beheer", "Els", "Mulder", Role.FUNCTIONEEL_BEHEERDER, None, False, "Functioneel beheerder"),
    ("privacy", "Robert", "van Dijk", Role.PRIVACYFUNCTIONARIS, None, False, "Privacyfunctionaris"),
    ("management", "Marieke", "Visser", Role.MANAGEMENT, None, False, "Directeur Dienstverlening"),
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


# Colloquial questions the catalogue's words do not cover, and the service Enschede's counter
# staff chose for them: the routing engine learns these (see "eerder gekozen" in suggestions).
LEARNED_IN_ENSCHEDE = [
    ("Ik zit krap bij kas deze maand.", "upl-schuldhulpverlening"),
    ("Het lukt me niet meer rond te komen, alles is zo duur.", "upl-schuldhulpverlening"),
    ("Ik kom niet rond en zit krap.", "upl-schuldhulpverlening"),
]


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


def _demo_referrals(rng, contacts, national, municipal_locations, now):
    """Referrals in every state, an overdue one escalated, social counsellor referrals over the
    past year, colleagues on duty and two earlier live consults."""
    users = {u.username: u for u in User.objects.filter(username__contains=".")}
    balie = users["enschede.balie"]
    uwv_staff = users["uwv.medewerker"]
    enschede_contacts = [
        c for c in contacts if c.organisation.code == "gemeente-enschede" and c.resident_id
    ]
    maastricht_contacts = [
        c for c in contacts if c.organisation.code == "gemeente-maastricht" and c.resident_id
    ]
    fatima_contact = enschede_contacts[0]
    # Other residents for the other examples (the first contacts are all Fatima's).
    others = list({c.resident_id: c for c in enschede_contacts[12:]}.values())
    shared = ["naam-en-contactgegevens", "vraag", "besproken"]

    def refer(contact, to, reason, staff=balie, **extra):
        return referral_services.create_referral(
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

    # New for UWV: the walkthrough's referral of Fatima Yilmaz.
    refer(fatima_contact, "uwv", "Inwoner is haar baan kwijt en de WW-aanvraag online lukt niet.")
    # Helped, with feedback the referrer sees in her list.
    helped = refer(others[0], "uwv", "Vragen over de hoogte van de WIA-uitkering.")
    _backdate(helped, now - dt.timedelta(days=9))
    helped.refresh_from_db()
    referral_services.accept(user=uwv_staff, referral=helped)
    referral_services.mark_contacted(
        user=uwv_staff, referral=helped, note="Gebeld, afspraak gemaakt."
    )
    referral_services.mark_helped(
        user=uwv_staff,
        referral=helped,
        feedback="WIA-besluit samen doorgenomen; herberekening aangevraagd.",
    )
    # Returned: wrong place, waiting to be referred again.
    returned = refer(
        enschede_contacts[7], "cak", "Vraag over een rekening voor huishoudelijke hulp."
    )
    referral_services.return_referral(
        user=users["cak.medewerker"],
        referral=returned,
        reason="Deze rekening is van de gemeente (Wmo), niet van het CAK.",
    )
    # Overdue at SVB: sent a week ago, not yet accepted → escalated to SVB's team lead.
    late = refer(others[2], "svb", "AOW-aanvraag: inwoner heeft in Duitsland gewerkt.")
    _backdate(late, now - dt.timedelta(days=7))
    referral_services.escalate_overdue(now)
    # Social counsellor referrals over the past year (the yearly count per municipality).
    for contacts_of_town, staff, n in (
        (enschede_contacts, balie, 14),
        (maastricht_contacts, users["maastricht.balie"], 9),
    ):
        for i in range(n):
            referral = referral_services.create_referral(
                user=staff,
                contact=contacts_of_town[20 + i],
                to_organisation=national["sociaal-raadslieden"],
                kind="sociaal-raadslieden",
                reason="Brieven van meerdere instanties; inwoner wil hulp bij bezwaar maken.",
                consent_given=True,
                shared=shared,
                preferred_channel="telefoon",
            )
            intake = users["raadslieden.medewerker"]
            referral_services.accept(user=intake, referral=referral)
            referral_services.mark_helped(
                user=intake,
                referral=referral,
                feedback="Inwoner is langs geweest; bezwaar samen opgesteld.",
            )
            sent = now - dt.timedelta(days=rng.randint(3, 420))
            _backdate(referral, sent)  # history at sent, +2 h, +4 h
            Referral.objects.filter(pk=referral.pk).update(
                accepted_at=sent + dt.timedelta(hours=2),
                contacted_at=sent + dt.timedelta(hours=4),
                closed_at=sent + dt.timedelta(hours=4),
                updated_at=sent + dt.timedelta(hours=4),
            )
    # On duty today at the town hall: UWV present, Juridisch Loket by phone.
    stadhuis = municipal_locations["gemeente-enschede"][0]
    referral_services.start_duty(user=uwv_staff, location=stadhuis)
    referral_services.start_duty(
        user=users["juridisch-loket.medewerker"], location=stadhuis, reachable="telefoon"
    )
    earlier = LiveConsult.objects.create(
        contact=enschede_contacts[3],
        requester=balie,
        location=stadhuis,
        to_organisation=national["uwv"],
        question="Inwoner wil weten of WW en bijstand samen kan.",
        state="aangenomen",
        accepted_by=uwv_staff,
        accepted_at=now - dt.timedelta(days=2, minutes=58),
        expires_at=now - dt.timedelta(days=2, minutes=55),
        closed_at=now - dt.timedelta(days=2, minutes=30),
    )
    LiveConsult.objects.filter(pk=earlier.pk).update(created_at=now - dt.timedelta(days=2, hours=1))


def _hours(location, weekdays, opens, closes):
    for day in weekdays:
        OpeningHours.objects.create(location=location, weekday=day, opens=opens, closes=closes)


@transaction.atomic
def load(*, residents: int = 240, contacts: int = 2400, seed: int = 2026) -> dict:
    rng = random.Random(seed)
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
        if code in {"uwv", "svb", "cak", "duo", "juridisch-loket", "toeslagen", "cjib"}:
            n = len(national)
            user(
                f"{code}.medewerker",
                "Lisa",
                f"Hermans-{name.split()[0]}",
                f"Adviseur {name}",
                f"+3188{n:02d}{n:02d}100",
                org,
                Role.MEDEWERKER_UITVOERING,
                team,
                True,
            )
            user(
                f"{code}.teamleider",
                "Frank",
                f"Koster-{name.split()[0]}",
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
        for i, (suffix, first, last, role, team, contact, title) in enumerate(MUNICIPAL_STAFF):
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
        if r.needs_cognitive:
            r.needs_notes = "Rustig uitleggen, korte zinnen, brief samen doorlopen."
    Resident.objects.bulk_update([r for r in saved if r.needs_notes], ["needs_notes"])
    # A well-known demo resident for the walkthrough
    fatima = saved[0]
    Resident.objects.filter(pk=fatima.pk).update(
        given_names="Fatima",
        surname_prefix="",
        surname="Yilmaz",
        birth_date=dt.date(1979, 3, 14),
        street="Oude Markt",
        house_number=12,
        postcode="7511GB",
        city="Enschede",
        needs_cognitive=True,
        needs_notes="Leest liever niet zelf; brief samen doorlopen.",
    )

    # The service catalogue, with Enschede's own service and Maastricht's own text
    municipalities = {m["code"]: Organisation.objects.get(code=m["code"]) for m in MUNICIPALITIES}
    beheer = {
        code: next(u for u in lst if u.username.endswith(".beheer"))
        for code, lst in municipal_staff.items()
    }
    _demo_catalogue(municipalities, beheer)
    service_of = _service_per_question(QUESTIONS)

    # Contact moments over the past year
    uwv_staff = User.objects.get(username="uwv.medewerker")
    by_city = {"Enschede": "gemeente-enschede", "Maastricht": "gemeente-maastricht"}
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=list(by_city.values()))}
    channels = (
        [Channel.DESK] * 4
        + [Channel.PHONE] * 4
        + [Channel.DIGITAL] * 2
        + [Channel.LETTER, Channel.HOME_VISIT]
    )
    rows = []
    counters = {
        code: [
            s
            for s in lst
            if s.username.split(".")[1] in {"balie", "kcc", "casemanager", "schulden", "wmo"}
        ]
        for code, lst in municipal_staff.items()
    }
    for i in range(contacts):
        resident = saved[0] if i < 12 else rng.choice(saved)
        code = by_city[resident.city]
        kind, question, answer, outcome = rng.choice(QUESTIONS)
        started = now - dt.timedelta(days=rng.randint(0, 364), minutes=rng.randint(0, 600))
        started = started.replace(hour=rng.randint(8, 16))
        if started > now:
            started -= dt.timedelta(days=1)
        if kind == "uwv" and rng.random() < 0.4 and code == "gemeente-enschede":
            org, staff_member = national["uwv"], uwv_staff
            location = municipal_locations[code][0]
            answer, outcome = "Geholpen door UWV op locatie.", Outcome.ANSWERED
        else:
            org, staff_member = orgs[code], rng.choice(counters[code])
            location = rng.choice(municipal_locations[code])
        channel = rng.choice(channels)
        rows.append(
            ContactMoment(
                organisation=org,
                location=location if channel in (Channel.DESK, Channel.HOME_VISIT) else None,
                staff=staff_member,
                resident=resident if rng.random() > 0.05 else None,
                service=service_of.get(question),
                channel=channel,
                question=question,
                answer=answer,
                outcome=outcome,
                extra_help_needed=rng.random() < 0.12,
                started_at=started,
                ended_at=started + dt.timedelta(minutes=rng.randint(3, 40)),
            )
        )
    enschede = municipalities["gemeente-enschede"]
    learned = Service.objects.in_bulk([c for _, c in LEARNED_IN_ENSCHEDE], field_name="code")
    for i in range(30):
        question, code = LEARNED_IN_ENSCHEDE[i % len(LEARNED_IN_ENSCHEDE)]
        started = now - dt.timedelta(days=rng.randint(1, 200), hours=rng.randint(0, 6))
        rows.append(
            ContactMoment(
                organisation=enschede,
                location=None,
                staff=rng.choice(counters["gemeente-enschede"]),
                resident=rng.choice(saved[:120]),
                service=learned.get(code),
                channel=Channel.PHONE,
                question=question,
                answer="Aangemeld voor een gesprek over geldzaken.",
                outcome=Outcome.REFERRED,
                started_at=started,
                ended_at=started + dt.timedelta(minutes=rng.randint(5, 20)),
            )
        )
    ContactMoment.objects.bulk_create(rows, batch_size=500)
    # What the chosen services teach routing (what register_contact records one by one).
    RoutingOutcome.objects.bulk_create(
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
    _demo_referrals(rng, rows, national, municipal_locations, now)
    return {"logins": logins, "residents": len(saved), "contacts": len(rows), "example": fatima.bsn}
