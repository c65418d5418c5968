"""A town hall with a guest agency: Stadhuis Maastricht, where the SVB holds hours on Tuesday
morning and Thursday afternoon at two desks (one with a hearing loop), with two employees (one
trained in easy language). The municipality's own counter books travel documents there and at a
neighbourhood office."""

import datetime as dt
from dataclasses import dataclass

import pytest

from eenloket.appointments.models import BookableService, Desk, Schedule, StaffSkill
from eenloket.core.roles import Role
from tests.factories import (
    LocationFactory,
    OrganisationFactory,
    ServiceFactory,
    TeamFactory,
    staff,
)


@dataclass
class TownHall:
    municipality: object
    svb: object
    location: object
    office: object  # wijkkantoor
    loop_desk: object
    plain_desk: object
    counter_desk: object
    svb_team: object
    svb_anna: object  # trained: easy language (LVB)
    svb_bram: object
    counter: object  # municipal counter employee (books, checks in)
    admin: object  # functioneel beheerder of the municipality
    svb_admin: object
    aow: object  # SVB service
    passport: object  # municipal service: travel document
    tuesday: object
    thursday: object


@pytest.fixture
def town_hall(db):
    maastricht = OrganisationFactory(
        code="gemeente-maastricht",
        type="gemeente",
        name="Gemeente Maastricht",
        phone="+31433505050",
    )
    svb = OrganisationFactory(code="svb", type="svb", name="SVB", phone="+31302647000")
    location = LocationFactory(
        organisation=maastricht,
        name="Stadhuis Maastricht",
        street="Markt",
        house_number="78",
        postcode="6211CL",
        city="Maastricht",
    )
    location.guest_organisations.add(svb)
    office = LocationFactory(
        organisation=maastricht,
        name="Wijkkantoor Malberg",
        street="Malbergsingel",
        house_number="2",
        postcode="6218XA",
        city="Maastricht",
    )
    loop = Desk.objects.create(location=location, name="Balie 1", features=["ringleiding"])
    plain = Desk.objects.create(location=location, name="Balie 2", features=[])
    counter_desk = Desk.objects.create(
        location=office, name="Balie A", features=["rolstoeltoegankelijk"]
    )
    svb_team = TeamFactory(organisation=svb, name="SVB Zuid", phone="+31433800100")
    anna = staff(
        svb,
        Role.MEDEWERKER_UITVOERING,
        team=svb_team,
        username="anna.svb",
        first_name="Anna",
        last_name="Aerts",
        direct_phone="+31433800111",
    )
    bram = staff(
        svb,
        Role.MEDEWERKER_UITVOERING,
        team=svb_team,
        username="bram.svb",
        first_name="Bram",
        last_name="Bosch",
        direct_phone="+31433800112",
    )
    StaffSkill.objects.create(user=anna, skill="lvb", obtained_on=dt.date(2025, 3, 1))
    town_team = TeamFactory(organisation=maastricht, name="Publiekszaken", phone="+31433505051")
    counter = staff(
        maastricht,
        Role.BALIEMEDEWERKER,
        team=town_team,
        username="balie.maastricht",
        first_name="Carla",
        last_name="Claessens",
        direct_phone="+31433505060",
    )
    admin = staff(maastricht, Role.FUNCTIONEEL_BEHEERDER, username="beheer.maastricht")
    svb_admin = staff(svb, Role.FUNCTIONEEL_BEHEERDER, username="beheer.svb")
    aow = ServiceFactory(code="svb-aow", organisation_type="svb", name="AOW-pensioen")
    passport = ServiceFactory(code="paspoort", organisation_type="gemeente", name="Paspoort")
    BookableService.objects.create(organisation=svb, service=aow, slot_minutes=30)
    BookableService.objects.create(
        organisation=maastricht, service=passport, slot_minutes=15, kind="reisdocument"
    )
    tuesday = Schedule.objects.create(
        location=location,
        organisation=svb,
        team=svb_team,
        weekday=1,
        starts=dt.time(9),
        ends=dt.time(12),
        valid_from=dt.date(2026, 1, 1),
    )
    tuesday.services.add(aow)
    tuesday.desks.add(loop, plain)
    tuesday.staff.add(anna, bram)
    thursday = Schedule.objects.create(
        location=location,
        organisation=svb,
        team=svb_team,
        weekday=3,
        starts=dt.time(13),
        ends=dt.time(16),
        valid_from=dt.date(2026, 1, 1),
    )
    thursday.services.add(aow)
    thursday.desks.add(plain)
    thursday.staff.add(bram)
    for weekday in range(5):
        hours = Schedule.objects.create(
            location=office,
            organisation=maastricht,
            team=town_team,
            weekday=weekday,
            starts=dt.time(9),
            ends=dt.time(12, 30),
            valid_from=dt.date(2026, 1, 1),
        )
        hours.services.add(passport)
        hours.desks.add(counter_desk)
        hours.staff.add(counter)
    return TownHall(
        maastricht,
        svb,
        location,
        office,
        loop,
        plain,
        counter_desk,
        svb_team,
        anna,
        bram,
        counter,
        admin,
        svb_admin,
        aow,
        passport,
        tuesday,
        thursday,
    )
