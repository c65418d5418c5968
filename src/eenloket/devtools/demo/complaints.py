"""Complaints in the demo (Awb hoofdstuk 9; decisions XI, V; proposal 15), at Gemeente Enschede
and UWV, all at plausible past moments:

- a new formal complaint about Sanne Bakker of Publiekszaken (the municipality's burgerzaken
  team): no handler yet, so the coordinator's candidate list shows the team lead and her
  colleagues refused, each with the reason;
- a formal complaint about the same team, heard, judged "deels gegrond" and answered with the
  outcome letter within the six weeks;
- a complaint about the municipality and UWV together: both coordinators see it, each has its
  own handler, and they keep one thread;
- one resolved informally on the phone (Awb 9:5);
- a year of earlier complaints with findings and lessons for the yearly overview (9:12a).

Logins added: the Publiekszaken team lead and a colleague, and UWV's complaint coordinator."""

import datetime as dt

from django.contrib.auth.hashers import make_password

from eenloket.complaints import services as cs
from eenloket.complaints.letters import ensure_templates
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.roles import Role
from eenloket.messaging.models import LetterTemplate, LetterTemplateVersion
from eenloket.organisations.models import Location, Membership, Team, User

from .cases import happened
from .clock import _at_local, _working_days_after, _working_days_before
from .data import DEMO_PASSWORD

EXTRA = [
    # username, first, last, title, phone, organisation code, role, team name
    (
        "enschede.teamleider.publiekszaken",
        "Gerda",
        "Velthuis",
        "Teamleider Publiekszaken",
        "+31534817010",
        "gemeente-enschede",
        Role.TEAMLEIDER,
        "Publiekszaken",
    ),
    (
        "enschede.balie2",
        "Iris",
        "Kleinjan",
        "Baliemedewerker",
        "+31534817011",
        "gemeente-enschede",
        Role.BALIEMEDEWERKER,
        "Publiekszaken",
    ),
    (
        "uwv.klachtcoordinator",
        "Karin",
        "Oosterhof",
        "Klachtcoördinator UWV",
        "+31887700320",
        "uwv",
        Role.KLACHTCOORDINATOR,
        None,
    ),
]

HISTORY = [
    # months ago, team, informal?, finding, lesson category, cause, improvement
    (
        11,
        "Publiekszaken",
        True,
        "",
        "snelheid",
        "Lange wachtrij op maandag",
        "Extra balie open op maandagochtend",
    ),
    (
        10,
        "Werk en inkomen",
        False,
        "gegrond",
        "informatie",
        "Brief over terugvordering onduidelijk",
        "Brief herschreven op B1-niveau",
    ),
    (
        9,
        "Contactcentrum",
        True,
        "",
        "snelheid",
        "Terugbelverzoek niet doorgezet",
        "Terugbelverzoeken elke ochtend nalopen",
    ),
    (8, "Wmo en jeugd", False, "ongegrond", "", "", ""),
    (
        7,
        "Publiekszaken",
        False,
        "deels-gegrond",
        "bejegening",
        "Toon aan de balie bij drukte",
        "Training omgaan met boze inwoners",
    ),
    (
        6,
        "Schuldhulpverlening",
        False,
        "gegrond",
        "werkwijze",
        "Aanvraag twee keer kwijt",
        "Digitaal dossier in plaats van papier",
    ),
    (
        5,
        "Contactcentrum",
        True,
        "",
        "informatie",
        "Verkeerde openingstijden op de website",
        "Website en telefoonmenu gelijkgetrokken",
    ),
    (4, "Werk en inkomen", False, "ongegrond", "", "", ""),
    (
        3,
        "Publiekszaken",
        True,
        "",
        "bejegening",
        "Inwoner voelde zich niet gehoord",
        "Eerst laten uitpraten, dan uitleggen",
    ),
    (
        2,
        "Wmo en jeugd",
        False,
        "deels-gegrond",
        "samenwerking",
        "Zorgaanbieder niet op de hoogte",
        "Vast overleg met zorgaanbieders",
    ),
]
DESCRIPTIONS = {
    "Publiekszaken": "Ik moest drie keer terugkomen voor mijn paspoort.",
    "Werk en inkomen": "Ik kreeg een brief over terugbetalen die ik niet begrijp.",
    "Contactcentrum": "Ik zou teruggebeld worden, maar er belde niemand.",
    "Wmo en jeugd": "Mijn aanvraag voor huishoudelijke hulp duurt te lang.",
    "Schuldhulpverlening": "Mijn papieren zijn kwijtgeraakt.",
}


def _users(national, municipalities):
    password = make_password(DEMO_PASSWORD)
    made, logins = {}, []
    orgs = {**national, **municipalities}
    for username, first, last, title, phone, code, role, team_name in EXTRA:
        org = orgs[code]
        team = Team.objects.get(organisation=org, name=team_name) if team_name else None
        user, _created = User.objects.get_or_create(
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
        Membership.objects.get_or_create(user=user, organisation=org, team=team, role=role)
        made[username] = user
        logins.append((username, org.name, str(role.label)))
    return made, logins


def _day(today, n):
    return _working_days_before(today, n)


def _decided(coordinator, handler, part, when, finding, findings, conclusions="", lesson=()):
    with happened(when):
        part = cs.make_formal(user=coordinator, part=part, now=when)
    at = when + dt.timedelta(hours=1)
    with happened(at):
        cs.assign_handler(user=coordinator, part=part, handler=handler, now=at)
    at = _at_local(_working_days_after(when.astimezone(AMSTERDAM).date(), 8), 10 * 60)
    with happened(at):
        cs.record_hearing(
            user=handler,
            part=part,
            hearing_at=at,
            place="Stadhuis Enschede, spreekkamer 1.12",
            note="De inwoner en de medewerker vertelden elk hun kant.",
            now=at,
        )
    at = _at_local(_working_days_after(when.astimezone(AMSTERDAM).date(), 14), 14 * 60)
    category, cause, improvement = lesson or ("", "", "")
    with happened(at):
        cs.decide(
            user=handler,
            part=part,
            finding=finding,
            findings=findings,
            conclusions=conclusions,
            lesson_category=category,
            lesson_cause=cause,
            lesson_improvement=improvement,
            now=at,
        )
    return part, at


def _demo_complaints(rng, national, municipalities, users, adults, now) -> dict:
    enschede = municipalities["gemeente-enschede"]
    uwv = national["uwv"]
    today = now.astimezone(AMSTERDAM).date()
    made, logins = _users(national, municipalities)
    coordinator = users.get("enschede.klachten") or User.objects.get(username="enschede.klachten")
    handler = User.objects.get(username="enschede.klachtbehandelaar")
    sanne = User.objects.get(username="enschede.balie")
    uwv_coordinator = made["uwv.klachtcoordinator"]
    uwv_handler = User.objects.get(username="uwv.klachten")
    # The complaint letters (complaints migration 0002), also after a test flushed the tables.
    ensure_templates(LetterTemplate, LetterTemplateVersion)
    chosen = rng.sample(adults, min(14, len(adults)))
    people = [chosen[i % len(chosen)] for i in range(14)]

    # A year of complaints for the overview (each on a working day, in office hours).
    for i, (months, team_name, informal, finding, category, cause, improvement) in enumerate(
        HISTORY
    ):
        received = _day(today, months * 21 + 3)
        when = _at_local(received, 9 * 60 + 15 + i * 7)
        team = Team.objects.get(organisation=enschede, name=team_name)
        with happened(when):
            complaint = cs.register_complaint(
                user=coordinator,
                channel=rng.choice(["telefoon", "e-mail", "balie", "brief", "website"]),
                description=DESCRIPTIONS[team_name],
                parts=[{"organisation": enschede, "team": team}],
                received_on=received,
                resident=people[i],
                now=when,
            )
        part = complaint.parts.get()
        if informal:
            at = _at_local(_working_days_after(received, 2), 11 * 60)
            with happened(at):
                cs.resolve_informally(
                    user=coordinator,
                    part=part,
                    note="Gebeld met de inwoner. Excuses gemaakt en het opgelost. De inwoner is "
                    "tevreden.",
                    lesson_category=category,
                    lesson_cause=cause,
                    lesson_improvement=improvement,
                    now=at,
                )
            continue
        _part, at = _decided(
            coordinator,
            handler,
            part,
            when + dt.timedelta(hours=2),
            finding,
            "Wij spraken met de inwoner en het team en lazen het dossier na.",
            "Het team bespreekt wat er beter kan.",
            (category, cause, improvement) if category else (),
        )
        answer = _at_local(_working_days_after(at.astimezone(AMSTERDAM).date(), 2), 10 * 60)
        with happened(answer):
            cs.send_answer(user=coordinator, complaint=complaint, now=answer)

    publiekszaken = Team.objects.get(organisation=enschede, name="Publiekszaken")

    # Answered within the term: about Sanne Bakker at the counter.
    received = _day(today, 25)
    when = _at_local(received, 10 * 60 + 5)
    with happened(when):
        answered = cs.register_complaint(
            user=coordinator,
            channel="brief",
            description="Bij het aanvragen van mijn rijbewijs zei de medewerker dat ik maar "
            "beter Nederlands moest leren. Ik voelde mij niet serieus genomen.",
            desired_outcome="Excuses, en dat dit niet nog eens gebeurt.",
            parts=[{"organisation": enschede, "team": publiekszaken, "employee": sanne}],
            received_on=received,
            resident=people[10],
            now=when,
        )
    _part, at = _decided(
        coordinator,
        handler,
        answered.parts.get(),
        when + dt.timedelta(hours=1),
        "deels-gegrond",
        "De medewerker legde de regels voor het rijbewijs juist uit. De opmerking over de taal "
        "was niet nodig en klonk kwetsend.",
        "De medewerker heeft haar excuses aangeboden. Het team oefent met uitleg in eenvoudige "
        "taal.",
        ("bejegening", "Drukte aan de balie", "Training uitleg in eenvoudige taal"),
    )
    answer = _at_local(_working_days_after(at.astimezone(AMSTERDAM).date(), 1), 11 * 60)
    with happened(answer):
        cs.send_answer(user=coordinator, complaint=answered, now=answer)

    # New, formal, no handler yet: the candidate list refuses the team lead and the team.
    received = _day(today, 2)
    when = _at_local(received, 14 * 60 + 20)
    with happened(when):
        waiting = cs.register_complaint(
            user=coordinator,
            channel="telefoon",
            description="Ik had een afspraak voor een uittreksel, maar de medewerker stuurde mij "
            "weg omdat ik vijf minuten te laat was. De bus had vertraging.",
            parts=[{"organisation": enschede, "employee": sanne}],
            received_on=received,
            resident=people[11],
            now=when,
        )
    at = when + dt.timedelta(minutes=40)
    with happened(at):
        cs.make_formal(user=coordinator, part=waiting.parts.get(), now=at)

    # Enschede and UWV together (proposal 15).
    received = _day(today, 6)
    when = _at_local(received, 9 * 60 + 40)
    with happened(when):
        linked = cs.register_complaint(
            user=coordinator,
            channel="balie",
            description="De gemeente stuurde mij voor mijn uitkering naar UWV, en UWV stuurde "
            "mij terug naar de gemeente. Drie weken lang wist niemand wie mij moest helpen.",
            desired_outcome="Dat één iemand mij helpt.",
            parts=[{"organisation": enschede}, {"organisation": uwv}],
            received_on=received,
            resident=people[12],
            now=when,
        )
    ens_part = linked.parts.get(organisation=enschede)
    uwv_part = linked.parts.get(organisation=uwv)
    at = when + dt.timedelta(hours=1)
    with happened(at):
        cs.make_formal(user=coordinator, part=ens_part, now=at)
        cs.post_message(
            user=coordinator,
            complaint=linked,
            text="Deze klacht gaat over ons allebei. Wij sturen de inwoner straks één brief. "
            "Kunnen jullie jullie deel oppakken?",
            now=at,
        )
    at = _at_local(_working_days_after(received, 1), 10 * 60)
    with happened(at):
        cs.make_formal(user=uwv_coordinator, part=uwv_part, now=at)
        cs.assign_handler(user=uwv_coordinator, part=uwv_part, handler=uwv_handler, now=at)
        cs.post_message(
            user=uwv_coordinator,
            complaint=linked,
            text="Ja. Hans Brink behandelt ons deel. Hij belt de inwoner deze week.",
            now=at,
        )
    at = _at_local(_working_days_after(received, 1), 15 * 60)
    with happened(at):
        cs.assign_handler(user=coordinator, part=ens_part, handler=handler, now=at)
        cs.post_message(
            user=coordinator,
            complaint=linked,
            text="Youssef Ouali doet ons deel. Zullen we de inwoner samen horen?",
            now=at,
        )
    # Youssef plans the hearing as an appointment at the town hall (appointments).
    town_hall = Location.objects.filter(organisation=enschede).order_by("id").first()
    at = _at_local(_working_days_before(today, 1), 11 * 60)
    with happened(at):
        cs.record_hearing(
            user=handler,
            part=ens_part,
            hearing_at=_at_local(_working_days_after(today, 3), 10 * 60),
            location=town_hall,
            now=at,
        )

    # Resolved informally on the phone (Awb 9:5).
    received = _day(today, 4)
    when = _at_local(received, 11 * 60 + 10)
    contact_centre = Team.objects.get(organisation=enschede, name="Contactcentrum")
    with happened(when):
        informal = cs.register_complaint(
            user=coordinator,
            channel="telefoon",
            description="Ik heb drie keer gebeld over mijn parkeervergunning en werd steeds "
            "doorverbonden.",
            parts=[{"organisation": enschede, "team": contact_centre}],
            received_on=received,
            resident=people[13],
            now=when,
        )
    at = when + dt.timedelta(hours=2)
    with happened(at):
        cs.resolve_informally(
            user=coordinator,
            part=informal.parts.get(),
            note="Teruggebeld. De vergunning is meteen geregeld en excuses gemaakt. De inwoner "
            "is tevreden.",
            lesson_category="snelheid",
            lesson_cause="Vragen over parkeren gaan naar het verkeerde team",
            lesson_improvement="Parkeervragen in het keuzemenu bij Publiekszaken",
            now=at,
        )
    return {
        "logins": logins,
        "waiting": waiting.reference,
        "answered": answered.reference,
        "linked": linked.reference,
        "informal": informal.reference,
    }
