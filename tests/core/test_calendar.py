"""The one Atw calendar (Algemene termijnenwet) behind every deadline: referral norms, legal
terms, reminders. No database needed."""

import datetime as dt

import pytest

from eenloket.core.calendar import AMSTERDAM, add_working_days, is_holiday, is_working_day

D = dt.date


def local(y, m, d, hh=12, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=AMSTERDAM)


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=AMSTERDAM).astimezone(dt.UTC)


def holidays_in(year: int) -> set[dt.date]:
    day, found = D(year, 1, 1), set()
    while day.year == year:
        if is_holiday(day):
            found.add(day)
        day += dt.timedelta(days=1)
    return found


# ---- holidays ---------------------------------------------------------------------------------
ATW_2026 = {
    D(2026, 1, 1),  # Nieuwjaarsdag
    D(2026, 4, 3),  # Goede Vrijdag
    D(2026, 4, 6),  # Tweede Paasdag
    D(2026, 4, 27),  # Koningsdag
    D(2026, 5, 5),  # Bevrijdingsdag (not a lustrum year)
    D(2026, 5, 14),  # Hemelvaartsdag
    D(2026, 5, 25),  # Tweede Pinksterdag
    D(2026, 12, 25),  # Eerste Kerstdag
    D(2026, 12, 26),  # Tweede Kerstdag
}
ATW_2025 = {
    D(2025, 1, 1),
    D(2025, 4, 18),
    D(2025, 4, 21),
    D(2025, 4, 26),  # 27 April 2025 is a Sunday: Koningsdag moves to Saturday the 26th
    D(2025, 5, 5),  # lustrum year
    D(2025, 5, 29),
    D(2025, 6, 9),
    D(2025, 12, 25),
    D(2025, 12, 26),
}


@pytest.mark.parametrize(("year", "expected"), [(2025, ATW_2025), (2026, ATW_2026)])
def test_exactly_the_atw_holidays_of_a_year(year, expected):
    # Easter Sunday and Whit Sunday are Sundays anyway; nothing else may sneak in or drop out.
    assert holidays_in(year) == expected


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 4, 3), "Goede Vrijdag"),
        (D(2026, 4, 6), "Tweede Paasdag"),
        (D(2026, 4, 27), "Koningsdag"),
        (D(2026, 5, 14), "Hemelvaartsdag"),
        (D(2026, 5, 25), "Tweede Pinksterdag"),
        (D(2026, 12, 25), "Eerste Kerstdag"),
        (D(2027, 12, 27), "no holiday: Monday after a Christmas weekend"),
        (D(2026, 1, 1), "Nieuwjaarsdag"),
    ],
)
def test_weekday_holidays_are_not_working_days(day, name):
    if name.startswith("no holiday"):
        assert not is_holiday(day) and is_working_day(day)
    else:
        assert day.weekday() < 5, name
        assert is_holiday(day), name
        assert not is_working_day(day), name


def test_kings_day_moves_to_the_26th_when_the_27th_is_a_sunday():
    assert D(2025, 4, 27).weekday() == 6
    assert is_holiday(D(2025, 4, 26))
    assert not is_holiday(D(2025, 4, 27))
    # In other years the 26th is an ordinary day.
    assert is_holiday(D(2026, 4, 27)) and not is_holiday(D(2026, 4, 26))
    assert is_holiday(D(2027, 4, 27)) and not is_holiday(D(2027, 4, 26))


def test_before_2014_the_queens_birthday_counted():
    # Koninginnedag, 30 April 2013 (a Tuesday), is "de verjaardag van de Koning" in the Atw sense.
    assert is_holiday(D(2013, 4, 30))
    assert not is_working_day(D(2013, 4, 30))


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031])
def test_fifth_of_may_every_year_not_only_lustrum_years(year):
    assert is_holiday(D(year, 5, 5))
    assert not is_working_day(D(year, 5, 5))


def test_weekends_are_not_working_days():
    week = [D(2026, 3, 9) + dt.timedelta(days=i) for i in range(7)]  # Monday 9 .. Sunday 15 March
    assert [is_working_day(d) for d in week] == [True] * 5 + [False, False]
    # a weekend is not a holiday, just not a working day
    assert not any(is_holiday(d) for d in week)


def test_extra_holidays_from_settings(settings):
    friday_after_ascension = D(2026, 5, 15)
    settings.ATW_EXTRA_HOLIDAYS = []
    assert is_working_day(friday_after_ascension)
    settings.ATW_EXTRA_HOLIDAYS = ["2026-05-15"]
    assert is_holiday(friday_after_ascension)
    assert not is_working_day(friday_after_ascension)
    # Ascension Thursday 13 May → 1 working day → skips Thursday, the extra Friday and the weekend.
    assert add_working_days(local(2026, 5, 13), 1) == end_of(D(2026, 5, 18))
    settings.ATW_EXTRA_HOLIDAYS = []
    assert add_working_days(local(2026, 5, 13), 1) == end_of(D(2026, 5, 15))


# ---- add_working_days ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # ordinary week
        (local(2026, 3, 10, 9), 1, D(2026, 3, 11)),
        (local(2026, 3, 10, 9), 2, D(2026, 3, 12)),
        # across a weekend: Friday afternoon → Monday, Tuesday
        (local(2026, 3, 13, 16), 1, D(2026, 3, 16)),
        (local(2026, 3, 13, 16), 2, D(2026, 3, 17)),
        # starting on Saturday or Sunday counts from the next working day as well
        (local(2026, 3, 14, 10), 1, D(2026, 3, 16)),
        (local(2026, 3, 15, 10), 1, D(2026, 3, 16)),
        (local(2026, 3, 14, 10), 2, D(2026, 3, 17)),
        # Thursday before Easter: Good Friday, weekend, Easter Monday are skipped
        (local(2026, 4, 2, 15), 1, D(2026, 4, 7)),
        (local(2026, 4, 2, 15), 2, D(2026, 4, 8)),
        # Friday before Koningsdag (Monday 27 April 2026)
        (local(2026, 4, 24, 15), 1, D(2026, 4, 28)),
        # Monday 4 May 2026: 5 May is skipped
        (local(2026, 5, 4, 15), 1, D(2026, 5, 6)),
        # Christmas 2025 (Thursday, Friday) and New Year
        (local(2025, 12, 24, 15), 1, D(2025, 12, 29)),
        (local(2025, 12, 31, 15), 1, D(2026, 1, 2)),
        # Whit Monday
        (local(2026, 5, 22, 15), 1, D(2026, 5, 26)),
        # a longer term
        (local(2026, 3, 13, 16), 10, D(2026, 3, 27)),
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == end_of(expected)


def test_the_day_of_start_is_counted_in_amsterdam_not_utc():
    # Thursday 12 March 2026 23:30 UTC is already Friday 00:30 in Amsterdam.
    start = dt.datetime(2026, 3, 12, 23, 30, tzinfo=dt.UTC)
    assert add_working_days(start, 1) == end_of(D(2026, 3, 16))
    # One hour earlier it is still Thursday in Amsterdam.
    assert add_working_days(start - dt.timedelta(hours=1), 1) == end_of(D(2026, 3, 13))


def test_result_is_23_59_59_amsterdam_expressed_in_utc():
    result = add_working_days(local(2026, 3, 10, 9), 1)
    assert result.utcoffset() == dt.timedelta(0)
    assert result == dt.datetime(2026, 3, 11, 22, 59, 59, tzinfo=dt.UTC)  # CET = UTC+1
    assert result.astimezone(AMSTERDAM).time() == dt.time(23, 59, 59)


def test_dst_boundaries():
    # Summer time starts Sunday 29 March 2026: Friday 27 → Monday 30, end of day CEST = UTC+2.
    spring = add_working_days(local(2026, 3, 27, 16), 1)
    assert spring == dt.datetime(2026, 3, 30, 21, 59, 59, tzinfo=dt.UTC)
    assert spring.astimezone(AMSTERDAM).time() == dt.time(23, 59, 59)
    # Started in the night of the change itself (Sunday 01:30 CET)
    night = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)
    assert add_working_days(night, 1) == dt.datetime(2026, 3, 30, 21, 59, 59, tzinfo=dt.UTC)
    # Winter time starts Sunday 25 October 2026: Friday 23 → Monday 26, end of day CET = UTC+1.
    autumn = add_working_days(local(2026, 10, 23, 16), 1)
    assert autumn == dt.datetime(2026, 10, 26, 22, 59, 59, tzinfo=dt.UTC)
    assert autumn.astimezone(AMSTERDAM).time() == dt.time(23, 59, 59)


@pytest.mark.parametrize("days", [0, -1, -5])
def test_fewer_than_one_day_is_refused(days):
    with pytest.raises(ValueError):
        add_working_days(local(2026, 3, 10), days)


# ---- "before the cutoff the same working day, else the next" (task norms) ---------------------
def test_working_day_end_zero_is_the_same_working_day_or_the_next():
    from eenloket.core.calendar import working_day_end

    assert working_day_end(local(2026, 12, 2, 9)) == end_of(D(2026, 12, 2))  # Wednesday
    assert working_day_end(local(2026, 12, 5, 9)) == end_of(D(2026, 12, 7))  # Saturday → Monday
    assert working_day_end(local(2026, 12, 25, 9)) == end_of(D(2026, 12, 28))  # Christmas
    assert working_day_end(local(2026, 12, 4, 9), 1) == end_of(D(2026, 12, 7))
    assert working_day_end(local(2026, 12, 2, 9), 2) == end_of(D(2026, 12, 4))
    five = dt.datetime(2026, 12, 2, 17, 0, tzinfo=AMSTERDAM)
    assert working_day_end(local(2026, 12, 2, 9), end=dt.time(17, 0)) == five
    with pytest.raises(ValueError):
        working_day_end(local(2026, 12, 2, 9), -1)


@pytest.mark.parametrize(
    ("made", "due"),
    [
        (local(2026, 12, 2, 11, 59), D(2026, 12, 2)),  # before noon: the same day
        (local(2026, 12, 2, 12, 0), D(2026, 12, 3)),  # at noon: the next
        (local(2026, 12, 4, 10), D(2026, 12, 4)),  # Friday morning: Friday
        (local(2026, 12, 4, 15), D(2026, 12, 7)),  # Friday afternoon: Monday
        (local(2026, 12, 5, 10), D(2026, 12, 7)),  # Saturday morning: Monday
        (local(2026, 12, 6, 15), D(2026, 12, 7)),  # Sunday afternoon: Monday
        (local(2026, 12, 24, 14), D(2026, 12, 28)),  # before Christmas: after it
        (local(2026, 4, 2, 14), D(2026, 4, 7)),  # Thursday before Easter: Good Friday, Monday
        (local(2026, 5, 14, 9), D(2026, 5, 15)),  # Ascension Day morning: the next working day
    ],
)
def test_norm_deadline_callback_norm(made, due):
    from eenloket.core.calendar import norm_deadline

    assert norm_deadline(made, cutoff=dt.time(12, 0)) == end_of(due)


def test_norm_deadline_counts_working_days_after_the_cutoff_too():
    from eenloket.core.calendar import norm_deadline

    kwargs = {"cutoff": dt.time(12, 0), "days_before_cutoff": 1, "days_after_cutoff": 2}
    assert norm_deadline(local(2026, 12, 3, 9), **kwargs) == end_of(D(2026, 12, 4))
    assert norm_deadline(local(2026, 12, 3, 13), **kwargs) == end_of(D(2026, 12, 7))
