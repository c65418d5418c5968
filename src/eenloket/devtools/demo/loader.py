"""Demo data: two pilot municipalities (Enschede, Maastricht), the national agencies, locations
where agencies work as guests, staff of every role, 240 residents with valid test BSNs in
households, and a year of contact moments. Deterministic (fixed seed), fake but valid.
The parts per domain live beside this module; `load` puts them together."""

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from eenloket.catalogue import services as catalogue_services
from eenloket.catalogue.models import RoutingOutcome, Service
from eenloket.contacts.models import Channel, ContactMoment, Outcome
from eenloket.contacts.services import CONFIRMING_OUTCOMES
from eenloket.core.calendar import AMSTERDAM, is_working_day
from eenloket.core.models import Notification
from eenloket.core.roles import Role
from eenloket.core.validators import valid_bsns
from eenloket.organisations.models import (
    Location,
    Membership,
    Organisation,
    Team,
    User,
)
from eenloket.organisations.selectors import municipality_of
from eenloket.referrals.models import ResponseNorm
from eenloket.residents.models import Household, PreferredChannel, Resident

from .appointments import _demo_appointments
from .cases import _demo_cases
from .catalogue import _demo_catalogue, _service_per_question
from .clock import (
    MINUTES,
    WHO,
    _at_local,
    _contact_times,
    _hours,
    _start_on,
    _working_day,
    _working_days_before,
)
from .complaints import _demo_complaints
from .data import (
    AGENCY_STAFF,
    COUNSELLOR_OFFICES,
    COUNSELLOR_TOPICS,
    DEMO_PASSWORD,
    FATIMA_AT_UWV,
    FATIMA_HISTORY,
    GIVEN,
    LEARNED_IN_ENSCHEDE,
    MUNICIPAL_STAFF,
    MUNICIPAL_TEAMS,
    MUNICIPALITIES,
    NATIONAL,
    QUESTIONS,
    STAFF_NAMES,
    SURNAMES,
    WALKTHROUGH_HOUSEHOLD,
)
from .deadlines import _demo_deadlines
from .followup import _demo_followup
from .intermediaries import _demo_intermediaries
from .referrals import _demo_referrals, _last_id


def _mobile(n: int) -> str:
    """A valid Dutch mobile number (06-1… to 06-5…; 06-6 to 06-9 are pagers or unissued)."""
    return f"+316{10_000_000 + n % 50_000_000}"


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
        area = "53" if m_index == 0 else "43"
        for t_index, (t_name, t_desc) in enumerate(MUNICIPAL_TEAMS):
            # Each team has its own direct line (on letters when an employee may not be named).
            teams[t_name], _ = Team.objects.get_or_create(
                organisation=org,
                name=t_name,
                defaults={"description": t_desc, "phone": f"+31{area}4817{t_index}00"},
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
                        phone=_mobile(rng.randint(10000000, 99999999)),
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
                        phone=_mobile(rng.randint(10000000, 99999999)),
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
    else:  # in the afternoon: the callback is due the next working day
        called = _at_local(last, 15 * 60 + 20)
    story["callback"] = contact(
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
    _demo_referrals(rng, story, national, municipal_locations, now, users)
    followup = _demo_followup(rng, story, municipalities, staff, adults, now)
    appointments = _demo_appointments(
        rng, national, municipalities, municipal_locations, staff, users, adults, now
    )
    logins += appointments.pop("logins")
    deadlines = _demo_deadlines(rng, municipalities, staff, adults, now)
    cases = _demo_cases(rng, national, municipalities, users, now, bsns)
    logins += cases.pop("logins")
    logins += _demo_complaints(rng, national, municipalities, users, adults, now)["logins"]
    logins += _demo_intermediaries(municipalities, users, now)["logins"]
    # Notifications older than a week were read soon after they came in; the last week's are
    # unread (the start page groups them).
    notes = list(
        Notification.objects.filter(
            id__gt=first_notification, created_at__lt=now - dt.timedelta(days=7)
        ).order_by("id")
    )
    for note in notes:
        note.read_at = min(note.created_at + dt.timedelta(minutes=rng.randint(5, 90)), now)
    Notification.objects.bulk_update(notes, ["read_at"], batch_size=500)
    return {
        "logins": logins,
        "residents": len(saved),
        "contacts": len(rows),
        "example": fatima.bsn,
        **followup,
        "appointments": appointments,
        "deadlines": deadlines,
        "cases": cases,
    }
