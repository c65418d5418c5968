"""Working days after the Algemene termijnenwet (Atw): not a Saturday, Sunday or "algemeen erkende
feestdag" (art. 3: Nieuwjaarsdag, tweede Paas- en Pinksterdag, beide Kerstdagen, Hemelvaartsdag,
Koningsdag, 5 mei; Goede Vrijdag is gelijkgesteld), plus days set equal by royal decree (the
settings list `ATW_EXTRA_HOLIDAYS`, ISO dates, e.g. the Friday after Ascension Day).

One calendar for every deadline in the product: referral response norms, legal terms, reminders.
Times are stored in UTC; days are counted in Europe/Amsterdam."""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The `holidays` package's Dutch calendar also lists Easter and Whit Sunday (Sundays anyway);
# it has 5 May only in lustrum years, while the Atw counts it every year.
_ATW_NAMES_FROM_PACKAGE = {
    "New Year's Day",
    "Good Friday",
    "Easter Monday",
    "King's Day",
    "Queen's Day",  # before 2014: "de verjaardag van de Koning" was the Queen's (30 April)
    "Ascension Day",
    "Pentecost Monday",
    "Christmas Day",
    "Second Day of Christmas",
}


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[dt.date]:
    days = {
        day
        for day, name in holidays.country_holidays("NL", years=year, language="en_US").items()
        if name in _ATW_NAMES_FROM_PACKAGE
    }
    days.add(dt.date(year, 5, 5))
    return frozenset(days)


def _extra() -> frozenset[dt.date]:
    return frozenset(dt.date.fromisoformat(d) for d in getattr(settings, "ATW_EXTRA_HOLIDAYS", ()))


def is_holiday(day: dt.date) -> bool:
    return day in _holidays(day.year) or day in _extra()


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The end (23:59:59 in Amsterdam) of the `days`-th working day after the day of `start`.
    Sent on Friday with 1 working day → Monday night; on Saturday → Monday night as well."""
    if days < 1:
        raise ValueError("days must be at least 1")
    day = start.astimezone(AMSTERDAM).date()
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    end = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=AMSTERDAM)
    return end.astimezone(dt.UTC)
