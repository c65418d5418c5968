"""Working days after the Algemene termijnenwet (Atw): not a Saturday, Sunday or "algemeen erkende
feestdag" (art. 3: Nieuwjaarsdag, tweede Paas- en Pinksterdag, beide Kerstdagen, Hemelvaartsdag,
Koningsdag, 5 mei; Goede Vrijdag is gelijkgesteld), plus days set equal by royal decree: the
`EquatedDay` rows a functioneel beheerder keeps per year (admin), and the settings list
`ATW_EXTRA_HOLIDAYS` (ISO dates) for an installation without them.

Legal terms (days, weeks, months, with Atw art. 1 and 2) are counted in `core.terms`.

One calendar for every deadline in the product: referral response norms, legal terms, reminders.
Times are stored in UTC; days are counted in Europe/Amsterdam."""

import datetime as dt
import time
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


_EQUATED: dict = {"at": None, "days": frozenset()}
EQUATED_CACHE_SECONDS = 300  # another process's change is seen within five minutes


def forget_equated_days(**_kwargs) -> None:
    """Drop this process's copy (on every save or delete of an EquatedDay)."""
    _EQUATED["at"] = None


def equated_days() -> frozenset[dt.date]:
    """Days equated with a holiday by royal decree (Atw art. 3 lid 3)."""
    now = time.monotonic()
    if _EQUATED["at"] is None or now - _EQUATED["at"] > EQUATED_CACHE_SECONDS:
        from .models import EquatedDay

        _EQUATED["days"] = frozenset(EquatedDay.objects.values_list("day", flat=True))
        _EQUATED["at"] = now
    extra = getattr(settings, "ATW_EXTRA_HOLIDAYS", ())
    if extra:
        return _EQUATED["days"] | frozenset(dt.date.fromisoformat(d) for d in extra)
    return _EQUATED["days"]


def is_statutory_holiday(day: dt.date) -> bool:
    """One of the days Atw art. 3 names, Goede Vrijdag included (not the equated days)."""
    return day in _holidays(day.year)


def statutory_holidays(year: int) -> list[tuple[dt.date, str]]:
    """The days Atw art. 3 names in `year`, with their names in the active language."""
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    language = "nl" if (get_language() or "nl").startswith("nl") else "en_US"
    names = dict(holidays.country_holidays("NL", years=year, language=language))
    days = [(day, names.get(day, "")) for day in sorted(_holidays(year))]
    return [(day, name or _("Bevrijdingsdag")) for day, name in days]


def is_holiday(day: dt.date) -> bool:
    return day in _holidays(day.year) or day in equated_days()


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


def next_working_day_or_today(day: dt.date) -> dt.date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def working_day_end(
    start: dt.datetime, days: int = 0, *, end: dt.time = dt.time(23, 59, 59)
) -> dt.datetime:
    """The end (`end`, Amsterdam time) of the `days`-th working day counted from the day of
    `start`: 0 is the same working day (when that day is no working day: the next one), 1 the
    working day after that day, and so on. In UTC."""
    if days < 0:
        raise ValueError("days may not be negative")
    day = start.astimezone(AMSTERDAM).date()
    if days == 0:
        day = next_working_day_or_today(day)
    else:
        counted = 0
        while counted < days:
            day += dt.timedelta(days=1)
            if is_working_day(day):
                counted += 1
    return dt.datetime.combine(day, end, tzinfo=AMSTERDAM).astimezone(dt.UTC)


def norm_deadline(
    start: dt.datetime,
    *,
    cutoff: dt.time,
    days_before_cutoff: int = 0,
    days_after_cutoff: int = 1,
    end: dt.time = dt.time(23, 59, 59),
) -> dt.datetime:
    """A "made before the cutoff" norm (a callback request: before 12:00 the same working day,
    else the next), counted with `working_day_end`: made before `cutoff` (Amsterdam time) → the
    end of working day `days_before_cutoff` (0: the same working day, or the next one when made
    on a day off), else of working day `days_after_cutoff`. Friday 14:00 → Monday; Saturday →
    Monday either way. In UTC."""
    local = start.astimezone(AMSTERDAM)
    days = days_before_cutoff if local.time() < cutoff else days_after_cutoff
    return working_day_end(start, days, end=end)
