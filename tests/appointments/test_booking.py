"""Booking on the public page and by staff: free slots, the booking, its confirmation through
the outbox (with the ICS file), needs matched to desk and employee, and bad input refused with
nothing written."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from eenloket.appointments import services, slots
from eenloket.appointments.models import Appointment, Occupancy
from eenloket.core.calendar import AMSTERDAM
from eenloket.messaging.models import Message

pytestmark = pytest.mark.django_db

# Monday 7 December 2026, 08:00 in Maastricht.
NOW = dt.datetime(2026, 12, 7, 8, 0, tzinfo=AMSTERDAM)
TUESDAY = dt.date(2026, 12, 8)


def at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)


def person(**extra):
    return {
        "given_name": "Joost",
        "surname": "Hermans",
        "email": "joost@example.nl",
        "phone": "06 12345678",
        **extra,
    }


@time_machine.travel(NOW, tick=False)
def test_tuesday_morning_has_six_slots_and_public_booking_takes_one(town_hall):
    found = slots.search(
        location=town_hall.location, service=town_hall.aow, date_from=TUESDAY, date_to=TUESDAY
    )
    assert [s.local_start.strftime("%H:%M") for s in found.slots] == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
        "11:30",
    ]

    appointment = services.book(
        location=town_hall.location, service=town_hall.aow, starts_at=at(TUESDAY, 10), **person()
    )

    assert appointment.reference and len(appointment.token) >= 20
    part = appointment.parts.get()
    assert part.organisation == town_hall.svb
    message = Message.objects.get(cause_id=str(appointment.uuid))
    assert message.channel == "email" and message.to == "joost@example.nl"
    assert appointment.reference in message.body
    assert "/afspraak/" in message.body
    assert message.attachments[0]["filename"].endswith(".ics")
    assert "BEGIN:VEVENT" in message.attachments[0]["content"]
    # Two employees and two desks: 10:00 is still free once more.
    assert Occupancy.objects.filter(appointment=appointment).count() == 4
    again = slots.search(
        location=town_hall.location, service=town_hall.aow, date_from=TUESDAY, date_to=TUESDAY
    )
    assert at(TUESDAY, 10) in [s.starts_at for s in again.slots]


@time_machine.travel(NOW, tick=False)
def test_hearing_loop_gets_the_loop_desk_and_easy_language_the_trained_employee(town_hall):
    loop = services.book(
        location=town_hall.location,
        service=town_hall.aow,
        starts_at=at(TUESDAY, 9),
        **person(needs=["ringleiding"]),
    )
    assert loop.parts.get().desk == town_hall.loop_desk
    easy = services.book(
        location=town_hall.location,
        service=town_hall.aow,
        starts_at=at(TUESDAY, 9, 30),
        **person(needs=["eenvoudige-taal"], email="b@example.nl"),
    )
    assert easy.parts.get().employee == town_hall.svb_anna
    # Thursday only Bram (untrained) works: nothing with easy language, said plainly.
    thursday = slots.search(
        location=town_hall.location,
        service=town_hall.aow,
        date_from=dt.date(2026, 12, 10),
        date_to=dt.date(2026, 12, 10),
        needs=["eenvoudige-taal"],
    )
    assert thursday.slots == [] and thursday.needs_unmet


@time_machine.travel(NOW, tick=False)
def test_taken_slot_is_refused_and_nothing_is_written(town_hall):
    for email in ("a@example.nl", "b@example.nl"):
        services.book(
            location=town_hall.location,
            service=town_hall.aow,
            starts_at=at(TUESDAY, 11),
            **person(email=email),
        )
    before = Appointment.objects.count(), Message.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.book(
            location=town_hall.location,
            service=town_hall.aow,
            starts_at=at(TUESDAY, 11),
            **person(email="c@example.nl"),
        )
    assert caught.value.code == "slot_taken"
    assert (Appointment.objects.count(), Message.objects.count()) == before


@time_machine.travel(NOW, tick=False)
def test_bad_input_all_errors_at_once(town_hall):
    with pytest.raises(ValidationError) as caught:
        services.book(
            location=town_hall.location,
            service=town_hall.aow,
            starts_at=at(dt.date(2026, 12, 1), 10),
            given_name="",
            surname="",
            phone="12",
            email="geen-adres",
            needs=["vliegen"],
        )
    errors = caught.value.message_dict
    assert {"starts_at", "given_name", "surname", "phone", "email", "needs"} <= set(errors)
    assert Appointment.objects.count() == 0
