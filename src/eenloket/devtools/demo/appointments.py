"""Appointments in the demo (background 002, the pilot "Gezamenlijke dienstverlening op
locatie"): desks with features, SVB and UWV hours at the Maastricht town hall, UWV at the
Enschede town hall, a walk-in hour of Het Juridisch Loket, travel documents at a neighbourhood
office picked up at the town hall; skills and learning needs; two months of history for the
pilot figures; the coming weeks partly booked; a referral that led to an appointment (checked
in: "inwoner gesproken"), a visit with SVB and UWV in a row, an internal case meeting, and a
resident waiting for a call because nobody with sign language was free."""

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError

from eenloket.appointments import services as appointment_services
from eenloket.appointments.models import (
    Appointment,
    AppointmentPart,
    BookableService,
    Desk,
    LearningNeed,
    Occupancy,
    Schedule,
    StaffSkill,
)
from eenloket.appointments.slots import units
from eenloket.catalogue.models import Service
from eenloket.contacts.models import Channel, ContactMoment, Outcome
from eenloket.core.calendar import AMSTERDAM, add_working_days, is_working_day
from eenloket.core.roles import Role
from eenloket.organisations.models import Membership, Team, User
from eenloket.referrals import services as referral_services
from eenloket.referrals.models import Referral

from .clock import _at_local, _working_days_before
from .referrals import _at


def _service(organisation_type, name):
    return (
        Service.objects.filter(organisation_type=organisation_type, name=name, tenant=None).first()
        or Service.objects.filter(organisation_type=organisation_type).order_by("name").first()
    )


def _next(day, weekdays, *, include=True):
    day = day if include else day + dt.timedelta(days=1)
    while day.weekday() not in weekdays or not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _previous(day, weekdays):
    day -= dt.timedelta(days=1)
    while day.weekday() not in weekdays or not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _demo_appointments(
    rng, national, municipalities, municipal_locations, staff, users, adults, now
) -> dict:
    today = now.astimezone(AMSTERDAM).date()
    maastricht = municipalities["gemeente-maastricht"]
    forum, west = municipal_locations["gemeente-maastricht"][:2]
    stadhuis_enschede = municipal_locations["gemeente-enschede"][0]
    svb, uwv = national["svb"], national["uwv"]
    svb_team = Team.objects.filter(organisation=svb).first()
    uwv_team = Team.objects.filter(organisation=uwv).first()
    publiekszaken = Team.objects.get(organisation=maastricht, name="Publiekszaken")
    joke = users["svb.medewerker"]
    uwv_staff = users["uwv.medewerker"]
    lieke = staff["maastricht.balie"]

    logins = []

    def person(username, first, last, title, phone, org, role, team):
        logins.append((username, org.name, str(role.label)))
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "job_title": title,
                "direct_phone": phone,
                "email": f"{username}@demo.eenloket.nl",
                "password": joke.password,
            },
        )
        Membership.objects.get_or_create(
            user=user, organisation=org, team=team, role=role, defaults={"is_contact_person": True}
        )
        return user

    lotte = person(
        "svb.maastricht",
        "Lotte",
        "Wetzels",
        "Adviseur SVB (op locatie)",
        "+31887711150",
        svb,
        Role.MEDEWERKER_UITVOERING,
        svb_team,
    )
    person(
        "svb.beheer",
        "Hanneke",
        "Vos",
        "Functioneel beheerder SVB",
        "+31887711190",
        svb,
        Role.FUNCTIONEEL_BEHEERDER,
        None,
    )
    ramon = person(
        "uwv.maastricht",
        "Ramon",
        "Lardinois",
        "Adviseur UWV (op locatie)",
        "+31887700150",
        uwv,
        Role.MEDEWERKER_UITVOERING,
        uwv_team,
    )

    # Desks and rooms, with what they offer.
    desk = {}
    for location, name, features in (
        (forum, "Balie 1", ["ringleiding", "rolstoeltoegankelijk"]),
        (forum, "Balie 2", []),
        (forum, "Spreekkamer 3", ["stille-ruimte", "lage-balie", "rolstoeltoegankelijk"]),
        (forum, "Overlegruimte Maas", ["rolstoeltoegankelijk"]),
        (west, "Balie West", ["rolstoeltoegankelijk", "ringleiding"]),
        (stadhuis_enschede, "Balie 1", ["ringleiding"]),
        (stadhuis_enschede, "Spreekkamer A", ["stille-ruimte", "rolstoeltoegankelijk"]),
    ):
        desk[(location.pk, name)], _ = Desk.objects.get_or_create(
            location=location, name=name, defaults={"features": features}
        )

    # Skills and learning needs (decisions V and VIII).
    for user, skill, day, training in (
        (joke, "lvb", dt.date(2025, 10, 14), "Begrijpelijk communiceren met LVB"),
        (lotte, "gebarentaal", dt.date(2024, 6, 3), "NGT basis 1 en 2"),
        (lotte, "visuele-beperking", dt.date(2025, 2, 11), "Werken met schermlezers"),
        (lieke, "visuele-beperking", dt.date(2025, 5, 20), "Oogvereniging: gastvrij loket"),
        (ramon, "lvb", dt.date(2026, 3, 9), "Begrijpelijk communiceren met LVB"),
    ):
        StaffSkill.objects.get_or_create(
            user=user,
            skill=skill,
            language="",
            defaults={"obtained_on": day, "training": training, "recorded_by": user},
        )
    StaffSkill.objects.get_or_create(
        user=ramon,
        skill="taal",
        language="Arabisch",
        defaults={"obtained_on": dt.date(2019, 1, 1), "recorded_by": ramon},
    )
    LearningNeed.objects.get_or_create(
        user=joke,
        skill="gebarentaal",
        defaults={
            "description": "Basiscursus gebarentaal: op dinsdag is er nu niemand die het "
            "kan als Lotte vrij is.",
            "recorded_by": joke,
        },
    )
    LearningNeed.objects.get_or_create(
        user=lieke,
        skill="lvb",
        defaults={
            "description": "Training eenvoudige taal voor de paspoortbalie.",
            "recorded_by": staff["maastricht.teamleider"],
        },
    )

    # Bookable services and hours.
    aow = _service("svb", "AOW-pensioen")
    child = _service("svb", "Kinderbijslag")
    ww = _service("uwv", "WW-uitkering")
    passport = _service("gemeente", "Paspoort")
    legal = _service("juridisch-loket", "Gratis juridisch advies")
    for org, service, minutes, kind in (
        (svb, aow, 30, "bezoek"),
        (svb, child, 30, "bezoek"),
        (uwv, ww, 45, "bezoek"),
        (maastricht, passport, 15, "reisdocument"),
    ):
        BookableService.objects.get_or_create(
            organisation=org, service=service, defaults={"slot_minutes": minutes, "kind": kind}
        )
    since = today - dt.timedelta(days=120)

    def hours(location, org, team, weekday, start, end, services_, desks, people, walk_in=False):
        schedule = Schedule.objects.create(
            location=location,
            organisation=org,
            team=team,
            weekday=weekday,
            starts=dt.time(*start),
            ends=dt.time(*end),
            valid_from=since,
            walk_in=walk_in,
        )
        schedule.services.set(services_)
        schedule.desks.set([desk[(location.pk, d)] for d in desks])
        schedule.staff.set(people)
        return schedule

    svb_tue = hours(
        forum,
        svb,
        svb_team,
        1,
        (9, 0),
        (12, 0),
        [aow, child],
        ["Balie 1", "Balie 2"],
        [joke, lotte],
    )
    svb_thu = hours(forum, svb, svb_team, 3, (13, 0), (16, 0), [aow, child], ["Balie 2"], [joke])
    uwv_tue = hours(forum, uwv, uwv_team, 1, (9, 0), (12, 0), [ww], ["Spreekkamer 3"], [ramon])
    uwv_ens = [
        hours(
            stadhuis_enschede,
            uwv,
            uwv_team,
            day,
            (9, 0),
            (12, 0),
            [ww],
            ["Spreekkamer A"],
            [uwv_staff],
        )
        for day in (0, 2)
    ]
    pass_west = [
        hours(
            west,
            maastricht,
            publiekszaken,
            day,
            (9, 0),
            (12, 30),
            [passport],
            ["Balie West"],
            [lieke],
        )
        for day in range(5)
    ]
    if legal is not None:
        hours(
            forum,
            national["juridisch-loket"],
            None,
            4,
            (10, 0),
            (12, 0),
            [legal],
            [],
            [],
            walk_in=True,
        )

    maastrichters = [r for r in adults if r.city == "Maastricht"]
    enschedeers = [r for r in adults if r.city == "Enschede"]
    made = []
    taken = set()

    def place(
        schedule,
        service,
        start,
        resident,
        *,
        state,
        employee,
        desk_name,
        needs=(),
        created=None,
        location=None,
        **extra,
    ):
        """An appointment as it was booked (history and the coming weeks): the rows the booking
        service writes, without sending a confirmation for every one."""
        location = location or schedule.location
        minutes = BookableService.objects.get(
            organisation=schedule.organisation, service=service
        ).slot_minutes
        minutes *= 2 if "extra-tijd" in needs else 1
        end = start + dt.timedelta(minutes=minutes)
        chosen_desk = desk[(location.pk, desk_name)]
        wanted = {
            (kind, key, u)
            for u in units(start, end)
            for kind, key in (("d", chosen_desk.pk), ("e", employee.pk))
        }
        if state != "geannuleerd":
            if wanted & taken:
                return None
            taken.update(wanted)
        created = created or start - dt.timedelta(days=rng.randint(2, 14), hours=rng.randint(1, 6))
        row = Appointment.objects.create(
            reference=appointment_services.new_reference(),
            token_hash=hashlib.sha256(secrets.token_bytes(16)).hexdigest(),
            kind=extra.pop("kind", "bezoek"),
            state=state,
            location=location,
            starts_at=start,
            ends_at=end,
            title=service.name,
            resident=resident,
            phone=resident.phone,
            email=resident.email,
            language=resident.language,
            needs=sorted(needs),
            booked_via=rng.choice(["publiek", "publiek", "ui"]),
            created_at=created,
            first_free_at=created + dt.timedelta(hours=rng.randint(10, 120)),
            reminder_sent_at=start - dt.timedelta(days=1) if start < now else None,
            checked_in_at=start - dt.timedelta(minutes=3)
            if state in ("aangemeld", "afgerond")
            else None,
            closed_at=end if state in ("afgerond", "niet-gekomen") else None,
            **extra,
        )
        AppointmentPart.objects.create(
            appointment=row,
            organisation=schedule.organisation,
            service=service,
            schedule=schedule,
            employee=employee,
            desk=chosen_desk,
            starts_at=start,
            ends_at=end,
        )
        if state != "geannuleerd":
            Occupancy.objects.bulk_create(
                [
                    Occupancy(appointment=row, unit_start=u, desk=chosen_desk)
                    for u in units(start, end)
                ]
                + [
                    Occupancy(appointment=row, unit_start=u, employee=employee)
                    for u in units(start, end)
                ]
            )
        made.append(row)
        return row

    def fill(schedule, service, days, desks_people, share, residents, *, future):
        for day in days:
            start = dt.datetime.combine(day, schedule.starts, tzinfo=AMSTERDAM)
            end = dt.datetime.combine(day, schedule.ends, tzinfo=AMSTERDAM)
            length = dt.timedelta(
                minutes=BookableService.objects.get(
                    organisation=schedule.organisation, service=service
                ).slot_minutes
            )
            while start + length <= end:
                for desk_name, employee in desks_people:
                    if rng.random() > share:
                        continue
                    utc = start.astimezone(dt.UTC)
                    if future and utc < now + dt.timedelta(hours=2):
                        continue
                    if future:
                        state = "geannuleerd" if rng.random() < 0.04 else "gepland"
                    else:
                        roll = rng.random()
                        state = (
                            "niet-gekomen"
                            if roll < 0.09
                            else "geannuleerd"
                            if roll < 0.13
                            else "afgerond"
                        )
                    needs = []
                    if desk_name == "Balie 1" and rng.random() < 0.25:
                        needs = ["ringleiding"]
                    elif employee in (joke, ramon) and rng.random() < 0.12:
                        needs = ["eenvoudige-taal"]
                    place(
                        schedule,
                        service,
                        utc,
                        rng.choice(residents),
                        state=state,
                        employee=employee,
                        desk_name=desk_name,
                        needs=needs,
                    )
                start += length

    def days_between(first, last, weekday):
        day, result = first, []
        while day <= last:
            if day.weekday() == weekday and is_working_day(day):
                result.append(day)
            day += dt.timedelta(days=1)
        return result

    # A warm referral that led to an appointment: the counter referred a resident to SVB; SVB's
    # adviser at the town hall checked her in on the last Tuesday ("inwoner gesproken").
    last_tuesday = _previous(today + dt.timedelta(days=1), [1])
    asked = _working_days_before(last_tuesday, 4)
    mevrouw = next((r for r in maastrichters if r.needs_hearing), maastrichters[0])
    contact_start = _at_local(asked, 10 * 60 + 12)
    contact = ContactMoment.objects.create(
        organisation=maastricht,
        location=forum,
        staff=lieke,
        resident=mevrouw,
        service=aow,
        channel=Channel.DESK,
        question="Ik word volgend jaar 67. Wat moet ik regelen voor mijn "
        "AOW, nu mijn man is overleden?",
        answer="Doorverwezen naar de SVB; afspraak op het stadhuis gemaakt.",
        outcome=Outcome.REFERRED,
        started_at=contact_start,
        ended_at=contact_start + dt.timedelta(minutes=14),
    )
    referral = _at(
        contact.ended_at + dt.timedelta(minutes=3),
        referral_services.create_referral,
        user=lieke,
        contact=contact,
        to_organisation=svb,
        service=aow,
        reason="AOW en mogelijk Anw na overlijden partner; mevrouw is slechthorend.",
        discussed="Situatie samen doorgenomen aan de balie.",
        consent_given=True,
        shared=["naam-en-contactgegevens", "vraag", "besproken"],
        preferred_channel="balie",
    )
    referred = place(
        svb_tue,
        aow,
        _at_local(last_tuesday, 10 * 60 + 30),
        mevrouw,
        state="gepland",
        employee=joke,
        desk_name="Balie 1",
        needs=["ringleiding"],
        created=contact.ended_at + dt.timedelta(minutes=5),
        source_type="referral",
        source_id=str(referral.uuid),
        referral=referral,
    )
    checked = referred.starts_at - dt.timedelta(minutes=4)
    _at(checked, appointment_services.check_in, user=joke, appointment=referred, now=checked)
    Referral.objects.filter(pk=referral.pk).update(
        accepted_at=checked, contacted_at=checked, updated_at=checked
    )

    past_from, past_to = today - dt.timedelta(weeks=8), today - dt.timedelta(days=1)
    future_to = today + dt.timedelta(weeks=3)
    fill(
        svb_tue,
        aow,
        days_between(past_from, past_to, 1),
        [("Balie 1", joke), ("Balie 2", lotte)],
        0.75,
        maastrichters,
        future=False,
    )
    fill(
        svb_thu,
        child,
        days_between(past_from, past_to, 3),
        [("Balie 2", joke)],
        0.7,
        maastrichters,
        future=False,
    )
    fill(
        uwv_tue,
        ww,
        days_between(past_from, past_to, 1),
        [("Spreekkamer 3", ramon)],
        0.6,
        maastrichters,
        future=False,
    )
    for schedule in uwv_ens:
        fill(
            schedule,
            ww,
            days_between(past_from, past_to, schedule.weekday),
            [("Spreekkamer A", uwv_staff)],
            0.65,
            enschedeers,
            future=False,
        )
    # The coming weeks: the next Tuesday mostly full (one hearing-loop time left), later ones
    # emptier, so a resident finds times within a minute.
    fill(
        svb_tue,
        aow,
        days_between(today, future_to, 1),
        [("Balie 2", lotte)],
        0.45,
        maastrichters,
        future=True,
    )
    fill(
        svb_thu,
        child,
        days_between(today, future_to, 3),
        [("Balie 2", joke)],
        0.35,
        maastrichters,
        future=True,
    )
    for schedule in uwv_ens:
        fill(
            schedule,
            ww,
            days_between(today, future_to, schedule.weekday),
            [("Spreekkamer A", uwv_staff)],
            0.4,
            enschedeers,
            future=True,
        )

    # Travel documents applied for at the neighbourhood office, picked up at the town hall.
    applied = _working_days_before(today, 6)
    for i, (when, state, delivery) in enumerate(
        (
            (_at_local(applied, 9 * 60 + 45), "afgerond", "ophalen"),
            (_at_local(_working_days_before(today, 7), 11 * 60 + 15), "afgerond", "ophalen"),
            (_at_local(_working_days_before(today, 2), 10 * 60), "afgerond", "ophalen"),
            (_at_local(_working_days_before(today, 3), 9 * 60 + 30), "afgerond", "thuisbezorgen"),
        )
    ):
        resident = maastrichters[-(i + 1)]
        day = when.astimezone(AMSTERDAM).date()
        place(
            pass_west[day.weekday()],
            passport,
            when,
            resident,
            state=state,
            employee=lieke,
            desk_name="Balie West",
            kind="reisdocument",
            delivery=delivery,
            pickup_location=forum if delivery == "ophalen" else None,
            delivery_address=f"{resident.street} {resident.house_number}, {resident.city}"
            if delivery == "thuisbezorgen"
            else "",
            ready_on=add_working_days(when, 5).astimezone(AMSTERDAM).date(),
        )

    # Booked through the services (with their confirmation in the outbox): a resident with a
    # hearing loop on the public page, a visit with SVB and UWV in a row, an internal case
    # meeting, and a request to arrange sign language.
    next_tuesday = _next(today + dt.timedelta(days=1), [1])
    # Made on the last working day (the steps are shown when they happened, not at load time).
    yesterday = _working_days_before(today, 1)

    def moment(minute):
        return _at_local(yesterday, minute)

    public = _at(
        moment(11 * 60 + 7),
        appointment_services.book,
        location=forum,
        service=aow,
        starts_at=_at_local(next_tuesday, 9 * 60),
        given_name="Maria",
        surname="Lemmens",
        email="maria.lemmens@example.nl",
        phone="06 43 21 87 65",
        needs=["ringleiding"],
        now=moment(11 * 60 + 7),
    )
    visitor = next(r for r in maastrichters if r.email and r.pk != mevrouw.pk)
    visit = None
    for start in (10 * 60, 10 * 60 + 30, 11 * 60):
        try:
            visit = _at(
                moment(14 * 60 + 40),
                appointment_services.book_visit,
                user=lieke,
                location=forum,
                services=[aow, ww],
                starts_at=_at_local(next_tuesday, start),
                resident=visitor,
                note="Met pensioen en net werkloos geworden: AOW en WW in één bezoek.",
                now=moment(14 * 60 + 40),
            )
            break
        except ValidationError:  # that time was taken in the demo's random fill
            continue
    meeting_day = _next(today + dt.timedelta(days=1), [0, 1, 2, 3, 4])
    meeting = _at(
        moment(9 * 60 + 50),
        appointment_services.plan_meeting,
        user=staff["maastricht.casemanager"],
        organisation=maastricht,
        location=forum,
        title="Casusoverleg schulden en inkomen (familie Maenen)",
        starts_at=_at_local(meeting_day, 16 * 60 + 15),
        ends_at=_at_local(meeting_day, 17 * 60),
        desk=desk[(forum.pk, "Overlegruimte Maas")],
        participants=[staff["maastricht.schulden"], lotte],
        now=moment(9 * 60 + 50),
    )
    arranged = _at(
        moment(15 * 60 + 25),
        appointment_services.request_arrangement,
        location=forum,
        service=child,
        needs=["gebarentolk"],
        given_name="Sem",
        surname="Ubachs",
        phone="06 19 28 37 46",
        needs_note="Ik ben doof; graag met een tolk of iemand die gebarentaal kent.",
        now=moment(15 * 60 + 25),
    )
    return {
        "logins": logins,
        "appointments": len(made) + 3,
        "public_example": public.reference,
        "visit": visit.reference if visit else "",
        "meeting": meeting.reference,
        "arrange_task": str(arranged.uuid),
        "svb_day": next_tuesday,
        "last_tuesday": last_tuesday,
    }
