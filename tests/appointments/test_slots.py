"""Free slots (slots.py) as the resident and the counter see them: the clock changes, the Atw
holidays, closures of the location or of one organisation, the validity of hours, the minimum
notice and the horizon, capacity (two desks, two employees), needs and extra time."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from eenloket.appointments import services, slots
from eenloket.appointments.models import Occupancy, Schedule
from eenloket.core.calendar import AMSTERDAM

from .helpers import at, book_aow, book_passport, local_times, messages

pytestmark = pytest.mark.django_db

SIX_MORNING = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
SIX_AFTERNOON = ["13:00", "13:30", "14:00", "14:30", "15:00", "15:30"]


def aow_on(th, day, **kw):
    return slots.search(location=th.location, service=th.aow, date_from=day, date_to=day, **kw)


def passport_on(th, day, **kw):
    return slots.search(location=th.office, service=th.passport, date_from=day, date_to=day, **kw)


def utc(year, month, day, hour, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


# ---- the clock changes ------------------------------------------------------------------------
@time_machine.travel(dt.datetime(2026, 10, 19, 8, 0, tzinfo=AMSTERDAM), tick=False)
def test_october_clock_change_nine_stays_nine_local_and_the_offset_goes_from_two_to_one(
    town_hall,
):
    before = aow_on(town_hall, dt.date(2026, 10, 20)).slots  # Tuesday before 25 October
    after = aow_on(town_hall, dt.date(2026, 10, 27)).slots  # Tuesday after
    assert local_times(before) == local_times(after) == SIX_MORNING
    assert before[0].starts_at == utc(2026, 10, 20, 7)
    assert before[0].local_start.utcoffset() == dt.timedelta(hours=2)
    assert after[0].starts_at == utc(2026, 10, 27, 8)
    assert after[0].local_start.utcoffset() == dt.timedelta(hours=1)
    assert after[-1].ends_at == utc(2026, 10, 27, 11)  # 12:00 local, the end of the hours

    # The neighbourhood office, Friday before and the Monday right after the change.
    friday = passport_on(town_hall, dt.date(2026, 10, 23)).slots
    monday = passport_on(town_hall, dt.date(2026, 10, 26)).slots
    assert len(friday) == len(monday) == 14  # 9:00–12:30 in quarters
    assert (friday[0].starts_at, monday[0].starts_at) == (
        utc(2026, 10, 23, 7),
        utc(2026, 10, 26, 8),
    )
    assert local_times(monday)[-1] == "12:15"

    # A booking after the change takes the quarters of 9:00 local, that is 8:00 UTC.
    appointment = book_aow(town_hall, at(dt.date(2026, 10, 27), 9))
    assert appointment.starts_at == utc(2026, 10, 27, 8)
    units = sorted(set(Occupancy.objects.values_list("unit_start", flat=True)))
    assert units == [utc(2026, 10, 27, 8), utc(2026, 10, 27, 8, 15)]


@time_machine.travel(dt.datetime(2027, 3, 22, 8, 0, tzinfo=AMSTERDAM), tick=False)
def test_march_clock_change_nine_stays_nine_local_and_the_offset_goes_from_one_to_two(town_hall):
    before = aow_on(town_hall, dt.date(2027, 3, 23)).slots  # Tuesday before 28 March
    after = aow_on(town_hall, dt.date(2027, 3, 30)).slots  # Tuesday after
    assert local_times(before) == local_times(after) == SIX_MORNING
    assert before[0].starts_at == utc(2027, 3, 23, 8)
    assert after[0].starts_at == utc(2027, 3, 30, 7)
    assert after[0].local_start.utcoffset() == dt.timedelta(hours=2)

    # Thursday before is a normal working day; Good Friday and Easter Monday around the change
    # are holidays; Tuesday after opens at 9:00 summer time.
    assert passport_on(town_hall, dt.date(2027, 3, 25)).slots[0].starts_at == utc(2027, 3, 25, 8)
    assert passport_on(town_hall, dt.date(2027, 3, 26)).slots == []
    assert passport_on(town_hall, dt.date(2027, 3, 29)).slots == []
    assert passport_on(town_hall, dt.date(2027, 3, 30)).slots[0].starts_at == utc(2027, 3, 30, 7)

    # Booked in winter time for a day in summer time: the resident is told 9:00, the agenda
    # file says 7:00 UTC.
    appointment = book_aow(town_hall, at(dt.date(2027, 3, 30), 9))
    assert appointment.starts_at == utc(2027, 3, 30, 7)
    message = messages(appointment, "afspraak-bevestiging").get()
    assert "30 maart 2027" in message.body
    assert "09:00" in message.body or " 9:00" in message.body
    assert "07:00" not in message.body
    assert "DTSTART:20270330T070000Z" in message.attachments[0]["content"]


# ---- public holidays (Atw) ---------------------------------------------------------------------
@time_machine.travel(dt.datetime(2027, 4, 19, 8, 0, tzinfo=AMSTERDAM), tick=False)
def test_kings_day_liberation_day_and_ascension_have_no_slots_and_booking_says_why(town_hall):
    assert local_times(aow_on(town_hall, dt.date(2027, 4, 20)).slots) == SIX_MORNING
    assert aow_on(town_hall, dt.date(2027, 4, 27)).slots == []  # Koningsdag, a Tuesday
    assert local_times(aow_on(town_hall, dt.date(2027, 4, 29)).slots) == SIX_AFTERNOON
    assert aow_on(town_hall, dt.date(2027, 5, 6)).slots == []  # Hemelvaartsdag, a Thursday
    assert passport_on(town_hall, dt.date(2027, 5, 4)).slots
    assert passport_on(town_hall, dt.date(2027, 5, 5)).slots == []  # 5 mei, every year
    assert passport_on(town_hall, dt.date(2027, 5, 7)).slots  # the Friday after is open

    with pytest.raises(ValidationError) as caught:
        book_aow(town_hall, at(dt.date(2027, 4, 27), 10))
    assert "feestdag" in caught.value.message_dict["starts_at"][0]
    assert Occupancy.objects.count() == 0


@time_machine.travel(dt.datetime(2027, 4, 26, 16, 0, tzinfo=AMSTERDAM), tick=False)
def test_first_free_slot_skips_kings_day(town_hall):
    first = slots.first_free(location=town_hall.location, service=town_hall.aow)
    assert first == at(dt.date(2027, 4, 29), 13)


@time_machine.travel(dt.datetime(2026, 12, 21, 8, 0, tzinfo=AMSTERDAM), tick=False)
def test_christmas_closes_the_office_and_the_days_around_it_stay_open(town_hall):
    assert passport_on(town_hall, dt.date(2026, 12, 24)).slots
    assert passport_on(town_hall, dt.date(2026, 12, 25)).slots == []
    assert passport_on(town_hall, dt.date(2026, 12, 28)).slots
    assert local_times(aow_on(town_hall, dt.date(2026, 12, 29)).slots) == SIX_MORNING


# ---- closures ---------------------------------------------------------------------------------
NOW = dt.datetime(2026, 12, 7, 8, 0, tzinfo=AMSTERDAM)  # Monday
TUESDAY = dt.date(2026, 12, 8)


@time_machine.travel(NOW, tick=False)
def test_closure_of_the_whole_town_hall_closes_the_guests_hours_and_lists_what_to_move(
    town_hall,
):
    booked = book_aow(town_hall, at(dt.date(2026, 12, 15), 10))
    closure, affected = services.add_closure(
        user=town_hall.admin,
        location=town_hall.location,
        starts_on=dt.date(2026, 12, 15),
        ends_on=dt.date(2026, 12, 17),
        reason="Verbouwing van de hal",
    )
    assert affected == [booked]
    assert aow_on(town_hall, dt.date(2026, 12, 15)).slots == []
    assert aow_on(town_hall, dt.date(2026, 12, 17)).slots == []
    assert local_times(aow_on(town_hall, TUESDAY).slots) == SIX_MORNING
    # The neighbourhood office is another location: open.
    assert passport_on(town_hall, dt.date(2026, 12, 15)).slots

    with pytest.raises(ValidationError) as caught:
        book_aow(town_hall, at(dt.date(2026, 12, 15), 11), email="ander@example.nl")
    assert "dicht" in caught.value.message_dict["starts_at"][0]


@time_machine.travel(NOW, tick=False)
def test_closure_for_one_organisation_closes_only_its_hours(town_hall):
    svb_booking = book_aow(town_hall, at(dt.date(2026, 12, 22), 10))
    # The SVB is away on 22 December: its hours are closed, its booking is to be moved.
    _closure, affected = services.add_closure(
        user=town_hall.svb_admin,
        location=town_hall.location,
        organisation=town_hall.svb,
        starts_on=dt.date(2026, 12, 22),
        ends_on=dt.date(2026, 12, 22),
        reason="Teamdag SVB",
    )
    assert affected == [svb_booking]
    assert aow_on(town_hall, dt.date(2026, 12, 22)).slots == []
    # The municipality closes its own counter at the town hall on 29 December: the SVB's hours
    # there go on, and no SVB booking is listed as affected.
    book_aow(town_hall, at(dt.date(2026, 12, 29), 10), email="b@example.nl")
    _closure, affected = services.add_closure(
        user=town_hall.admin,
        location=town_hall.location,
        organisation=town_hall.municipality,
        starts_on=dt.date(2026, 12, 29),
        ends_on=dt.date(2026, 12, 29),
        reason="Balie gemeente dicht",
    )
    assert affected == []
    assert local_times(aow_on(town_hall, dt.date(2026, 12, 29)).slots) == SIX_MORNING


@time_machine.travel(NOW, tick=False)
def test_a_guest_may_not_close_the_whole_location(town_hall):
    with pytest.raises(PermissionDenied):
        services.add_closure(
            user=town_hall.svb_admin,
            location=town_hall.location,
            starts_on=dt.date(2026, 12, 15),
            ends_on=dt.date(2026, 12, 15),
            reason="Dicht",
        )
    assert local_times(aow_on(town_hall, dt.date(2026, 12, 15)).slots) == SIX_MORNING


# ---- validity of hours, walk-in hours ----------------------------------------------------------
@time_machine.travel(NOW, tick=False)
def test_hours_apply_only_between_valid_from_and_valid_until(town_hall):
    town_hall.tuesday.valid_until = dt.date(2026, 12, 15)
    town_hall.tuesday.save()
    afternoon = Schedule.objects.create(
        location=town_hall.location,
        organisation=town_hall.svb,
        weekday=1,
        starts=dt.time(13),
        ends=dt.time(15),
        valid_from=dt.date(2027, 1, 5),
    )
    afternoon.services.add(town_hall.aow)
    afternoon.desks.add(town_hall.plain_desk)
    afternoon.staff.add(town_hall.svb_bram)

    assert local_times(aow_on(town_hall, dt.date(2026, 12, 15)).slots) == SIX_MORNING  # last day
    assert aow_on(town_hall, dt.date(2026, 12, 22)).slots == []
    assert local_times(aow_on(town_hall, dt.date(2027, 1, 5)).slots) == [
        "13:00",
        "13:30",
        "14:00",
        "14:30",
    ]
    with pytest.raises(ValidationError) as caught:
        book_aow(town_hall, at(dt.date(2026, 12, 22), 10))
    assert "starts_at" in caught.value.message_dict


@time_machine.travel(NOW, tick=False)
def test_walk_in_hours_take_no_bookings(town_hall):
    town_hall.thursday.walk_in = True
    town_hall.thursday.save()
    assert aow_on(town_hall, dt.date(2026, 12, 10)).slots == []
    with pytest.raises(ValidationError):
        book_aow(town_hall, at(dt.date(2026, 12, 10), 13))


# ---- minimum notice and horizon ---------------------------------------------------------------
@time_machine.travel(dt.datetime(2026, 12, 8, 9, 30, tzinfo=AMSTERDAM), tick=False)
def test_minimum_notice_hides_slots_within_the_hour_and_booking_one_is_refused(town_hall, settings):
    assert settings.APPOINTMENT_MIN_NOTICE_MINUTES == 60
    # 9:30 now: 10:30 is exactly an hour ahead and offered; 10:00 is too soon.
    assert local_times(aow_on(town_hall, TUESDAY).slots) == ["10:30", "11:00", "11:30"]
    with pytest.raises(ValidationError) as caught:
        book_aow(town_hall, at(TUESDAY, 10))
    assert "te snel" in caught.value.message_dict["starts_at"][0]
    with pytest.raises(ValidationError) as caught:
        book_aow(town_hall, at(TUESDAY, 9))
    assert "voorbij" in caught.value.message_dict["starts_at"][0]
    assert Occupancy.objects.count() == 0

    settings.APPOINTMENT_MIN_NOTICE_MINUTES = 120
    assert local_times(aow_on(town_hall, TUESDAY).slots) == ["11:30"]


@time_machine.travel(NOW, tick=False)
def test_slots_offered_up_to_the_horizon_can_be_booked_and_beyond_it_none_are_offered(
    town_hall, settings
):
    assert settings.APPOINTMENT_HORIZON_DAYS == 91
    horizon = NOW + dt.timedelta(days=91)  # Monday 8 March 2027, 08:00
    # Within the horizon: bookable.
    book_passport(town_hall, at(dt.date(2027, 3, 5), 9))
    # Beyond it: refused, saying how far ahead one may book.
    with pytest.raises(ValidationError) as caught:
        book_passport(town_hall, at(dt.date(2027, 3, 9), 9), email="b@example.nl")
    assert "91 dagen" in caught.value.message_dict["starts_at"][0]

    # What the search offers around the horizon must be what booking accepts: no time that
    # the resident picks only to hear it is too far ahead.
    offered = slots.search(
        location=town_hall.office,
        service=town_hall.passport,
        date_from=dt.date(2027, 3, 8),
        date_to=dt.date(2027, 3, 9),
    ).slots
    assert all(s.starts_at <= horizon for s in offered), local_times(offered)


# ---- capacity: two desks, two employees --------------------------------------------------------
@time_machine.travel(NOW, tick=False)
def test_a_time_disappears_only_when_both_desks_and_employees_are_taken(town_hall):
    first = book_aow(town_hall, at(TUESDAY, 10))
    # The plain booking gets the untrained colleague at the plain desk: the trained colleague
    # and the hearing loop stay free for the residents who need them.
    part = first.parts.get()
    assert (part.employee, part.desk) == (town_hall.svb_bram, town_hall.plain_desk)
    assert at(TUESDAY, 10) in [s.starts_at for s in aow_on(town_hall, TUESDAY).slots]
    for need in ("ringleiding", "eenvoudige-taal"):
        assert at(TUESDAY, 10) in [
            s.starts_at for s in aow_on(town_hall, TUESDAY, needs=[need]).slots
        ], need

    second = book_aow(town_hall, at(TUESDAY, 10), email="tweede@example.nl")
    part = second.parts.get()
    assert (part.employee, part.desk) == (town_hall.svb_anna, town_hall.loop_desk)
    assert local_times(aow_on(town_hall, TUESDAY).slots) == [
        "09:00",
        "09:30",
        "10:30",
        "11:00",
        "11:30",
    ]
    with pytest.raises(ValidationError) as caught:
        book_aow(town_hall, at(TUESDAY, 10), email="derde@example.nl")
    assert caught.value.code == "slot_taken"

    # Thursday: one desk, one employee: one booking takes the time.
    book_aow(town_hall, at(dt.date(2026, 12, 10), 14), email="do@example.nl")
    assert "14:00" not in local_times(aow_on(town_hall, dt.date(2026, 12, 10)).slots)


@time_machine.travel(NOW, tick=False)
def test_when_the_trained_colleague_is_taken_easy_language_is_not_offered_at_that_time(
    town_hall,
):
    book_aow(town_hall, at(TUESDAY, 9), needs=["eenvoudige-taal"])  # Anna
    plain = aow_on(town_hall, TUESDAY)
    easy = aow_on(town_hall, TUESDAY, needs=["eenvoudige-taal"])
    assert "09:00" in local_times(plain.slots)  # Bram and the plain desk are free
    assert local_times(easy.slots) == SIX_MORNING[1:]
    assert not easy.needs_unmet


# ---- needs ------------------------------------------------------------------------------------
@time_machine.travel(NOW, tick=False)
def test_needs_unmet_says_there_are_times_but_none_with_the_support(town_hall):
    thursday = dt.date(2026, 12, 10)  # only Bram (untrained) at the plain desk
    loop = aow_on(town_hall, thursday, needs=["ringleiding"])
    assert loop.slots == [] and loop.needs_unmet and loop.offered
    # Extra time needs no skill or desk: offered, and not "unmet".
    extra = aow_on(town_hall, thursday, needs=["extra-tijd"])
    assert extra.slots and not extra.needs_unmet
    # Booking a loop-desk time on Thursday anyway is refused with the reason on the needs.
    with pytest.raises(ValidationError) as caught:
        book_aow(town_hall, at(thursday, 13), needs=["ringleiding"])
    assert "needs" in caught.value.message_dict

    # A fully booked Thursday: nothing at all, so it is not a matter of the needs.
    for i, start in enumerate(SIX_AFTERNOON):
        hour, minute = map(int, start.split(":"))
        book_aow(town_hall, at(thursday, hour, minute), email=f"vol{i}@example.nl")
    full = aow_on(town_hall, thursday, needs=["ringleiding"])
    assert full.slots == [] and not full.needs_unmet

    # A service that is not offered at the location at all.
    assert passport_on(town_hall, TUESDAY).offered is True
    elsewhere = slots.search(
        location=town_hall.location,
        service=town_hall.passport,
        date_from=TUESDAY,
        date_to=TUESDAY,
    )
    assert elsewhere.offered is False and elsewhere.slots == []


@time_machine.travel(NOW, tick=False)
def test_two_needs_together_get_the_trained_colleague_at_the_loop_desk(town_hall):
    appointment = book_aow(town_hall, at(TUESDAY, 11), needs=["ringleiding", "eenvoudige-taal"])
    part = appointment.parts.get()
    assert (part.employee, part.desk) == (town_hall.svb_anna, town_hall.loop_desk)
    assert part.needs_met
    # Bram at the plain desk is still free at 11:00 for someone without needs.
    assert "11:00" in local_times(aow_on(town_hall, TUESDAY).slots)
    assert "11:00" not in local_times(aow_on(town_hall, TUESDAY, needs=["ringleiding"]).slots)


@time_machine.travel(NOW, tick=False)
def test_extra_time_doubles_the_length_and_takes_both_halves(town_hall):
    extra = aow_on(town_hall, TUESDAY, needs=["extra-tijd"]).slots
    assert local_times(extra) == ["09:00", "09:30", "10:00", "10:30", "11:00"]
    assert {s.ends_at - s.starts_at for s in extra} == {dt.timedelta(minutes=60)}
    quarter = passport_on(town_hall, TUESDAY, needs=["extra-tijd"]).slots
    assert {s.ends_at - s.starts_at for s in quarter} == {dt.timedelta(minutes=30)}
    assert local_times(quarter)[-1] == "12:00"  # 12:00–12:30 is the last that fits

    appointment = book_aow(town_hall, at(TUESDAY, 11), needs=["extra-tijd"])
    assert appointment.ends_at - appointment.starts_at == dt.timedelta(minutes=60)
    part = appointment.parts.get()
    taken = Occupancy.objects.filter(appointment=appointment)
    assert taken.count() == 8  # four quarters, a desk and an employee
    assert sorted(taken.filter(employee=part.employee).values_list("unit_start", flat=True)) == [
        at(TUESDAY, 11, m).astimezone(dt.UTC) for m in (0, 15, 30, 45)
    ]
    # The other colleague and desk still take a 30-minute booking at 11:30.
    book_aow(town_hall, at(TUESDAY, 11, 30), email="b@example.nl")
    assert "11:30" not in local_times(aow_on(town_hall, TUESDAY).slots)
