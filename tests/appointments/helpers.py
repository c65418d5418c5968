"""Shared helpers for the appointment service tests (the `town_hall` fixture is in conftest.py).

Plain functions rather than fixtures, so a test module only imports what it uses."""

import datetime as dt
import re
from dataclasses import dataclass

from eenloket.appointments import services
from eenloket.appointments.models import BookableService, Desk, Occupancy, Schedule
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.roles import Role
from eenloket.messaging.models import Message
from tests.factories import OrganisationFactory, ServiceFactory, TeamFactory, staff


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A wall-clock time in Maastricht."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)


def person(**extra) -> dict:
    return {
        "given_name": "Joost",
        "surname": "Hermans",
        "email": "joost@example.nl",
        "phone": "06 12345678",
        **extra,
    }


def book_aow(th, when, **extra):
    """A public booking of the SVB's AOW hours at the town hall."""
    return services.book(location=th.location, service=th.aow, starts_at=when, **person(**extra))


def book_passport(th, when, **extra):
    """A public booking of a travel document at the neighbourhood office."""
    data = {"delivery": "zelfde-locatie", **extra}
    return services.book(location=th.office, service=th.passport, starts_at=when, **person(**data))


def local_times(found) -> list[str]:
    """The local start times ("09:30") of a list of slots."""
    return [s.local_start.strftime("%H:%M") for s in found]


def messages(appointment, template_key=None):
    qs = Message.objects.filter(cause_type="appointment", cause_id=str(appointment.uuid))
    if template_key:
        qs = qs.filter(template_key=template_key)
    return qs


def occupancy(appointment) -> set:
    return set(
        Occupancy.objects.filter(appointment=appointment).values_list(
            "unit_start", "desk_id", "employee_id"
        )
    )


TOKEN_IN_LINK = re.compile(r"/afspraak/beheren/([A-Za-z0-9_\-]{20,64})/")


def token_in(message) -> str:
    """The secret of the manage link in a message's text."""
    found = TOKEN_IN_LINK.search(message.body or "")
    assert found, message.body
    return found.group(1)


@dataclass
class UwvHours:
    uwv: object
    ww: object
    room: object
    employee: object
    employee2: object
    schedule: object


def add_uwv_hours(th) -> UwvHours:
    """UWV as a second guest at the town hall: Tuesday 9–12 in its own room, two employees,
    the WW (30 minutes)."""
    uwv = OrganisationFactory(code="uwv", type="uwv", name="UWV", phone="+31889898989")
    th.location.guest_organisations.add(uwv)
    team = TeamFactory(organisation=uwv, name="UWV Werkbedrijf Maastricht", phone="+31433800200")
    dirk = staff(
        uwv,
        Role.MEDEWERKER_UITVOERING,
        team=team,
        username="dirk.uwv",
        first_name="Dirk",
        last_name="Dassen",
        direct_phone="+31433800211",
    )
    eva = staff(
        uwv,
        Role.MEDEWERKER_UITVOERING,
        team=team,
        username="eva.uwv",
        first_name="Eva",
        last_name="Essers",
        direct_phone="+31433800212",
    )
    ww = ServiceFactory(code="uwv-ww", organisation_type="uwv", name="WW-uitkering")
    BookableService.objects.create(organisation=uwv, service=ww, slot_minutes=30)
    room = Desk.objects.create(location=th.location, name="Spreekkamer 3", features=[])
    schedule = Schedule.objects.create(
        location=th.location,
        organisation=uwv,
        team=team,
        weekday=1,
        starts=dt.time(9),
        ends=dt.time(12),
        valid_from=dt.date(2026, 1, 1),
    )
    schedule.services.add(ww)
    schedule.desks.add(room)
    schedule.staff.add(dirk, eva)
    return UwvHours(uwv, ww, room, dirk, eva, schedule)
