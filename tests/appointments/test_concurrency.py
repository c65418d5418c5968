"""The last free slot, taken by several residents at the same moment (real concurrent
PostgreSQL transactions, tests/concurrency.py): exactly one gets it, the others hear that the
time was just taken, and no desk or employee is booked twice."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError

from eenloket.appointments import services
from eenloket.appointments.models import Appointment, Occupancy
from eenloket.core.calendar import AMSTERDAM
from eenloket.messaging.models import Message
from tests.concurrency import race

from .helpers import at, person

pytestmark = [pytest.mark.xdist_group("transactional"), pytest.mark.django_db(transaction=True)]

NOW = dt.datetime(2026, 12, 7, 8, 0, tzinfo=AMSTERDAM)  # Monday
THURSDAY = dt.date(2026, 12, 10)  # one desk, one employee (Bram)
TUESDAY = dt.date(2026, 12, 8)  # two desks, two employees
THREADS = 8


def booking(th, when, i, **extra):
    def call():
        return services.book(
            location=th.location,
            service=th.aow,
            starts_at=when,
            **person(email=f"inwoner{i}@example.nl", **extra),
        )

    return call


def outcome(results):
    oks = [value for kind, value in results if kind == "ok"]
    errors = [value for kind, value in results if kind == "error"]
    return oks, errors


def assert_no_double_booking():
    units = list(Occupancy.objects.values_list("unit_start", "desk_id", "employee_id"))
    assert len(units) == len(set(units))


def test_eight_residents_take_the_last_slot_at_once_exactly_one_gets_it(town_hall):
    with time_machine.travel(NOW, tick=False):
        results = race([booking(town_hall, at(THURSDAY, 14), i) for i in range(THREADS)])
    oks, errors = outcome(results)
    assert len(oks) == 1, results
    assert len(errors) == THREADS - 1
    for error in errors:
        assert isinstance(error, ValidationError), repr(error)
        assert error.code == "slot_taken", error.messages
    winner = Appointment.objects.get()
    assert winner.pk == oks[0].pk
    part = winner.parts.get()
    assert (part.employee, part.desk) == (town_hall.svb_bram, town_hall.plain_desk)
    # Two quarters of one desk and one employee: nothing more.
    assert Occupancy.objects.count() == 4
    assert set(Occupancy.objects.values_list("appointment_id", flat=True)) == {winner.pk}
    assert Message.objects.filter(template_key="afspraak-bevestiging").count() == 1


def test_when_one_of_two_desks_is_left_eight_at_once_give_one_booking(town_hall):
    with time_machine.travel(NOW, tick=False):
        first = booking(town_hall, at(TUESDAY, 10), 99)()
        results = race([booking(town_hall, at(TUESDAY, 10), i) for i in range(THREADS)])
    oks, errors = outcome(results)
    assert len(oks) == 1, results
    assert all(getattr(e, "code", None) == "slot_taken" for e in errors), errors
    assert Appointment.objects.count() == 2
    taken = {(p.employee_id, p.desk_id) for a in (first, oks[0]) for p in a.parts.all()}
    assert taken == {
        (town_hall.svb_bram.pk, town_hall.plain_desk.pk),
        (town_hall.svb_anna.pk, town_hall.loop_desk.pk),
    }
    assert Occupancy.objects.count() == 8
    assert_no_double_booking()


def test_overlapping_bookings_of_different_lengths_at_once_never_share_the_employee(town_hall):
    # Half try 14:00 with extra time (14:00–15:00), half 14:30 (14:30–15:00): every one of them
    # needs Bram from 14:30, so exactly one of all eight gets a time.
    calls = [
        booking(town_hall, at(THURSDAY, 14), i, needs=["extra-tijd"])
        if i % 2
        else booking(town_hall, at(THURSDAY, 14, 30), i)
        for i in range(THREADS)
    ]
    with time_machine.travel(NOW, tick=False):
        results = race(calls)
    oks, errors = outcome(results)
    assert len(oks) == 1, results
    assert all(getattr(e, "code", None) == "slot_taken" for e in errors), errors
    winner = Appointment.objects.get()
    quarters = int((winner.ends_at - winner.starts_at) / dt.timedelta(minutes=15))
    assert Occupancy.objects.count() == 2 * quarters
    assert_no_double_booking()


def test_even_when_all_eight_saw_the_slot_free_the_database_gives_it_to_one(town_hall, monkeypatch):
    # Hold every thread just before it writes its occupancy, until all eight are there: each
    # one has checked the slot and found it free. The unique constraints decide.
    gate = threading.Barrier(THREADS)
    reached = []
    original = services._take

    def take_after_everyone_checked(appointment, options):
        reached.append(appointment.pk)
        gate.wait(timeout=10)
        return original(appointment, options)

    monkeypatch.setattr(services, "_take", take_after_everyone_checked)
    with time_machine.travel(NOW, tick=False):
        results = race([booking(town_hall, at(THURSDAY, 14), i) for i in range(THREADS)])
    assert len(reached) == THREADS
    oks, errors = outcome(results)
    assert len(oks) == 1, results
    assert all(getattr(e, "code", None) == "slot_taken" for e in errors), errors
    # The losers' appointments were rolled back with their occupancy.
    assert Appointment.objects.count() == 1
    assert Occupancy.objects.count() == 4
    assert Message.objects.count() == 1
