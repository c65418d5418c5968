"""Plausible times for demo data: office hours, opening hours of the desks, working days."""

import datetime as dt

from eenloket.contacts.models import Channel
from eenloket.core.calendar import AMSTERDAM, is_working_day
from eenloket.organisations.models import (
    OpeningHours,
)

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


def _hours(location, weekdays, opens, closes):
    for day in weekdays:
        OpeningHours.objects.create(location=location, weekday=day, opens=opens, closes=closes)
