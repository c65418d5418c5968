"""Legal terms against a table worked out by hand from the law texts (not from the code).

Sources, and the rule each row relies on:

- Counting (Awb practice, e.g. art. 6:7/6:8 Awb: a term of six weeks for bezwaar begins on the
  day after the day of bekendmaking): the day of the event is not counted. A term of N days ends
  on start + N; N weeks on the same weekday N weeks later; N months on the same day-number N
  months later, or on the last day of that month when it has no such day (31 Jan + 1 month is
  28 Feb, 29 Feb in a leap year). Years as twelve months.
- Algemene termijnenwet (Atw, Stb. 1964, 314):
  art. 1 lid 1: "Een in een wet gestelde termijn die op een zaterdag, zondag of algemeen erkende
  feestdag eindigt, wordt verlengd tot en met de eerstvolgende dag die niet een zaterdag, zondag
  of algemeen erkende feestdag is."
  art. 2: a term of at least three days is extended, so far as needed, until it contains at
  least two days that are not a Saturday, Sunday or algemeen erkende feestdag. Not for terms of
  one or two days (the rows "2d-...-no-art2" check that).
  art. 3 lid 1: Nieuwjaarsdag, tweede Paas- en Pinksterdag, beide Kerstdagen, Hemelvaartsdag,
  "de dag waarop de verjaardag van de Koning wordt gevierd" and "de vijfde mei" (every year, not
  only lustrum years); lid 2: Goede Vrijdag is equated; lid 3: other days may be equated by royal
  decree (rows of `EquatedDay`).
  Koningsdag: KB 30 januari 2013 (Stcrt. 2013, 4075): 27 April, "behoudens uitzonderingen in
  verband met zondagen": when 27 April is a Sunday the King's birthday is celebrated on Saturday
  26 April (2025). It is not moved to Monday 28 April.
  Art. 1 then art. 2 or art. 2 then art. 1 give the same last day (the later of the next
  non-holiday day and the second working day of the term); which article "moved" the date then
  depends on the order, so those rows accept either attribution.
- Verordening (EEG, Euratom) nr. 1182/71, art. 3: lid 1: the day of the event is not counted;
  lid 2 sub c: weeks/months/years end at the end of the day with the same weekday / date, or
  the last day of the month when there is no such date; lid 4: "where the last day of a period
  expressed otherwise than in hours is a public holiday, Sunday or Saturday, the period shall end
  with the expiry of the last hour of the following working day"; lid 5: "any period of two days
  or more shall include at least two working days". Public holidays (art. 2 lid 1: those of the
  Member State) are the Atw art. 3 list, Goede Vrijdag included. Days equated by royal decree
  (Atw art. 3 lid 3) equate "voor de toepassing van deze wet" only: they do NOT count for the EU
  regime (the lead's choice, tested once in `test_equated_day_is_atw_only`).
- Plain calendar (Regime.PLAIN): no shifting at all, also not over a Sunday or a holiday.

Not covered on purpose: Atw art. 4 (secondary sources say the Atw does not apply to terms longer
than three months, e.g. a year); the long rows (P1Y, P12M) end on a working day, so that question
does not decide them.

Calendar facts (weekdays, Easter: 2025-04-20, 2026-04-05, 2027-03-28, 2028-04-16) were looked up;
every expected date was worked out by hand, never taken from the implementation.
"""

import datetime as dt

import pytest

from eenloket.core.terms import Regime, TermError, compute_due_date, parse_term

D = dt.date
ATW, EU, PLAIN = Regime.ATW, Regime.EU, Regime.PLAIN

# The accepted values of `rules`, as alternatives (see the note on art. 1 and art. 2 above).
NONE = ((),)
A1 = (("atw-1",),)
A2 = (("atw-2",),)
A1_OR_A2 = (("atw-1",), ("atw-2",), ("atw-1", "atw-2"))
A2_AND_MAYBE_A1 = (("atw-2",), ("atw-1", "atw-2"))
E4 = (("eu-3-4",),)
E5 = (("eu-3-5",),)
E4_OR_E5 = (("eu-3-4",), ("eu-3-5",), ("eu-3-4", "eu-3-5"))
E5_AND_MAYBE_E4 = (("eu-3-5",), ("eu-3-4", "eu-3-5"))

# What the explanation cites when a rule moved the date.
CITATION = {
    "atw-1": "Atw art. 1",
    "atw-2": "Atw art. 2",
    "eu-3-4": "1182/71",
    "eu-3-5": "1182/71",
}

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def nl(day: dt.date) -> str:
    """'5 mei 2026', as a person reads a date in the explanation."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def case(id_, start, term, regime, plain_end, due, rules):
    return pytest.param(start, term, regime, plain_end, due, rules, id=id_)


CASES = [
    # --- Atw art. 1: 5 mei, every year ---
    # 24-3-2026 + 6 weeks = Tue 5-5-2026: 5 mei (2026 is no lustrum year) -> Wed 6-5.
    case("issue-6w-5-mei-2026", D(2026, 3, 24), "P6W", ATW, D(2026, 5, 5), D(2026, 5, 6), A1),
    # 24-3-2027 + 6 weeks = Wed 5-5-2027 (5 mei) -> Thu 6-5 is Hemelvaartsdag -> Fri 7-5.
    case(
        "5-mei-2027-then-hemelvaart", D(2027, 3, 24), "P6W", ATW, D(2027, 5, 5), D(2027, 5, 7), A1
    ),
    # --- Goede Vrijdag and Easter ---
    # 20-2-2026 + 6 weeks = Fri 3-4-2026 Goede Vrijdag -> Sat, Sun (Easter), Mon 6-4 tweede
    # Paasdag -> Tue 7-4.
    case(
        "goede-vrijdag-2026-to-tuesday",
        D(2026, 2, 20),
        "P6W",
        ATW,
        D(2026, 4, 3),
        D(2026, 4, 7),
        A1,
    ),
    # 4-4-2025 + 2 weeks = Fri 18-4-2025 Goede Vrijdag -> Mon 21-4 tweede Paasdag -> Tue 22-4.
    case(
        "goede-vrijdag-2025-to-tuesday",
        D(2025, 4, 4),
        "P2W",
        ATW,
        D(2025, 4, 18),
        D(2025, 4, 22),
        A1,
    ),
    # 27-3-2026 + 10 days = Mon 6-4-2026 tweede Paasdag -> Tue 7-4.
    case("paasmaandag-2026", D(2026, 3, 27), "P10D", ATW, D(2026, 4, 6), D(2026, 4, 7), A1),
    # 27-2-2027 + 4 weeks = Sat 27-3-2027 (Easter Saturday) -> Sun 28-3, Mon 29-3 tweede Paasdag
    # -> Tue 30-3.
    case(
        "paaszaterdag-2027-to-tuesday",
        D(2027, 2, 27),
        "P4W",
        ATW,
        D(2027, 3, 27),
        D(2027, 3, 30),
        A1,
    ),
    # --- Koningsdag ---
    # 15-3-2025 + 6 weeks = Sat 26-4-2025, Koningsdag (27 April was a Sunday) -> Sun 27-4 ->
    # Mon 28-4 (Koningsdag is not moved to the Monday).
    case(
        "koningsdag-2025-saturday",
        D(2025, 3, 15),
        "P6W",
        ATW,
        D(2025, 4, 26),
        D(2025, 4, 28),
        A1,
    ),
    # 20-4-2025 + 1 week = Sun 27-4-2025: an ordinary Sunday -> Mon 28-4, a working day.
    case(
        "27-april-2025-sunday-next-monday-works",
        D(2025, 4, 20),
        "P1W",
        ATW,
        D(2025, 4, 27),
        D(2025, 4, 28),
        A1,
    ),
    # 13-4-2026 + 2 weeks = Mon 27-4-2026 Koningsdag -> Tue 28-4.
    case("koningsdag-2026-monday", D(2026, 4, 13), "P2W", ATW, D(2026, 4, 27), D(2026, 4, 28), A1),
    # 27-3-2027 + 1 month = Tue 27-4-2027 Koningsdag -> Wed 28-4.
    case("koningsdag-2027-tuesday", D(2027, 3, 27), "P1M", ATW, D(2027, 4, 27), D(2027, 4, 28), A1),
    # --- Hemelvaartsdag, tweede Pinksterdag ---
    # 2-4-2026 + 6 weeks = Thu 14-5-2026 Hemelvaartsdag -> Fri 15-5 (no equated day here).
    case("hemelvaart-2026", D(2026, 4, 2), "P6W", ATW, D(2026, 5, 14), D(2026, 5, 15), A1),
    # 11-4-2026 + 6 weeks = Sat 23-5-2026 -> Sun 24-5 (Pinksteren) -> Mon 25-5 tweede
    # Pinksterdag -> Tue 26-5.
    case(
        "pinksteren-2026-to-tuesday",
        D(2026, 4, 11),
        "P6W",
        ATW,
        D(2026, 5, 23),
        D(2026, 5, 26),
        A1,
    ),
    # 9-5-2025 + 1 month = Mon 9-6-2025 tweede Pinksterdag -> Tue 10-6.
    case("pinkstermaandag-2025", D(2025, 5, 9), "P1M", ATW, D(2025, 6, 9), D(2025, 6, 10), A1),
    # --- Christmas ---
    # 13-11-2026 + 6 weeks = Fri 25-12-2026 -> Sat 26-12 (tweede Kerstdag), Sun 27-12 -> Mon 28-12.
    case(
        "kerst-2026-friday-to-monday",
        D(2026, 11, 13),
        "P6W",
        ATW,
        D(2026, 12, 25),
        D(2026, 12, 28),
        A1,
    ),
    # 11-12-2025 + 2 weeks = Thu 25-12-2025 -> Fri 26-12 -> Sat, Sun -> Mon 29-12.
    case(
        "kerst-2025-thursday-to-monday",
        D(2025, 12, 11),
        "P2W",
        ATW,
        D(2025, 12, 25),
        D(2025, 12, 29),
        A1,
    ),
    # 25-11-2027 + 1 month = Sat 25-12-2027 -> Sun 26-12 -> Mon 27-12 (no substitute holiday).
    case(
        "kerst-2027-weekend-to-monday",
        D(2027, 11, 25),
        "P1M",
        ATW,
        D(2027, 12, 25),
        D(2027, 12, 27),
        A1,
    ),
    # 4-12-2028 + 3 weeks = Mon 25-12-2028 -> Tue 26-12 -> Wed 27-12.
    case(
        "kerst-2028-monday-to-wednesday",
        D(2028, 12, 4),
        "P3W",
        ATW,
        D(2028, 12, 25),
        D(2028, 12, 27),
        A1,
    ),
    # --- Year boundaries ---
    # 19-11-2026 + 6 weeks = Thu 31-12-2026: a working day, nothing moves.
    case(
        "ends-31-dec-2026-thursday",
        D(2026, 11, 19),
        "P6W",
        ATW,
        D(2026, 12, 31),
        D(2026, 12, 31),
        NONE,
    ),
    # 17-12-2028 + 2 weeks = Sun 31-12-2028 -> Mon 1-1-2029 Nieuwjaarsdag -> Tue 2-1-2029.
    case(
        "ends-31-dec-2028-sunday-over-nieuwjaar",
        D(2028, 12, 17),
        "P2W",
        ATW,
        D(2028, 12, 31),
        D(2029, 1, 2),
        A1,
    ),
    # 18-12-2025 + 2 weeks = Thu 1-1-2026 Nieuwjaarsdag -> Fri 2-1-2026.
    case("nieuwjaar-2026-thursday", D(2025, 12, 18), "P2W", ATW, D(2026, 1, 1), D(2026, 1, 2), A1),
    # 20-11-2026 + 6 weeks = Fri 1-1-2027 Nieuwjaarsdag -> Sat, Sun -> Mon 4-1-2027.
    case(
        "nieuwjaar-2027-friday-to-monday",
        D(2026, 11, 20),
        "P6W",
        ATW,
        D(2027, 1, 1),
        D(2027, 1, 4),
        A1,
    ),
    # 22-12-2027 + 10 days = Sat 1-1-2028 -> Sun 2-1 -> Mon 3-1-2028.
    case(
        "nieuwjaar-2028-saturday-to-monday",
        D(2027, 12, 22),
        "P10D",
        ATW,
        D(2028, 1, 1),
        D(2028, 1, 3),
        A1,
    ),
    # 31-12-2025 + 1 month = Sat 31-1-2026 -> Mon 2-2-2026.
    case("start-31-dec-2025-1m", D(2025, 12, 31), "P1M", ATW, D(2026, 1, 31), D(2026, 2, 2), A1),
    # --- Atw art. 2 (terms of at least three days) ---
    # Fri 6-3-2026 + 3 days = Mon 9-3, a working day, but Sat 7, Sun 8, Mon 9 hold only one
    # working day -> extended to Tue 10-3 (art. 2; art. 1 does not apply).
    case("3d-over-weekend-art2", D(2026, 3, 6), "P3D", ATW, D(2026, 3, 9), D(2026, 3, 10), A2),
    # Thu 2-4-2026 + 3 days = Sun 5-4 (Easter) -> art. 1: Mon 6-4 tweede Paasdag -> Tue 7-4; the
    # term Fri 3 (Goede Vrijdag) .. Tue 7 holds one working day -> art. 2: Wed 8-4.
    case(
        "3d-thursday-before-easter-art1-and-art2",
        D(2026, 4, 2),
        "P3D",
        ATW,
        D(2026, 4, 5),
        D(2026, 4, 8),
        A2_AND_MAYBE_A1,
    ),
    # Wed 1-4-2026 + 3 days = Sat 4-4 -> Tue 7-4 (art. 1). Thu 2 and Tue 7 are two working days,
    # so art. 2 adds nothing (read art. 2 first and it gives Tue 7 as well).
    case(
        "3d-wednesday-before-easter",
        D(2026, 4, 1),
        "P3D",
        ATW,
        D(2026, 4, 4),
        D(2026, 4, 7),
        A1_OR_A2,
    ),
    # Thu 5-3-2026 + 4 days = Mon 9-3; Fri 6 and Mon 9 are two working days: nothing moves.
    case(
        "4d-over-weekend-two-working-days",
        D(2026, 3, 5),
        "P4D",
        ATW,
        D(2026, 3, 9),
        D(2026, 3, 9),
        NONE,
    ),
    # Thu 5-3-2026 + 3 days = Sun 8-3 -> Mon 9-3 (art. 1); Fri 6 and Mon 9: art. 2 satisfied.
    case(
        "3d-thursday-ends-sunday",
        D(2026, 3, 5),
        "P3D",
        ATW,
        D(2026, 3, 8),
        D(2026, 3, 9),
        A1_OR_A2,
    ),
    # --- Terms shorter than three days: art. 1 yes, art. 2 no ---
    # Thu 2-4-2026 + 2 days = Sat 4-4 -> Tue 7-4 (art. 1). Only Tue 7 is a working day in the
    # term, but art. 2 is for terms of at least three days: no Wed 8-4.
    case(
        "2d-over-easter-art1-no-art2",
        D(2026, 4, 2),
        "P2D",
        ATW,
        D(2026, 4, 4),
        D(2026, 4, 7),
        A1,
    ),
    # Fri 6-3-2026 + 2 days = Sun 8-3 -> Mon 9-3 (art. 1), one working day: still Mon 9-3.
    case(
        "2d-over-weekend-art1-no-art2", D(2026, 3, 6), "P2D", ATW, D(2026, 3, 8), D(2026, 3, 9), A1
    ),
    # Sat 7-3-2026 + 2 days = Mon 9-3, a working day; one working day in the term, no art. 2.
    case("2d-from-saturday-no-art2", D(2026, 3, 7), "P2D", ATW, D(2026, 3, 9), D(2026, 3, 9), NONE),
    # Fri 6-3-2026 + 1 day = Sat 7-3 -> Mon 9-3.
    case("1d-saturday-to-monday", D(2026, 3, 6), "P1D", ATW, D(2026, 3, 7), D(2026, 3, 9), A1),
    # --- Ordinary terms, no rule ---
    # Tue 10-3-2026 + 6 weeks = Tue 21-4-2026.
    case("6w-ordinary", D(2026, 3, 10), "P6W", ATW, D(2026, 4, 21), D(2026, 4, 21), NONE),
    # Tue 10-3-2026 + 10 days = Fri 20-3-2026.
    case("10d-ordinary", D(2026, 3, 10), "P10D", ATW, D(2026, 3, 20), D(2026, 3, 20), NONE),
    # Sun 1-3-2026 + 2 weeks = Sun 15-3 -> Mon 16-3.
    case("2w-ends-sunday", D(2026, 3, 1), "P2W", ATW, D(2026, 3, 15), D(2026, 3, 16), A1),
    # 10-3-2026 + 1 month 2 weeks = 10-4 + 14 days = Fri 24-4-2026 (weeks first gives the same).
    case("1m2w-combination", D(2026, 3, 10), "P1M2W", ATW, D(2026, 4, 24), D(2026, 4, 24), NONE),
    # --- Months ending on the 29th-31st ---
    # 31-1-2026 + 1 month: February 2026 has no 31st -> Sat 28-2 -> Mon 2-3-2026.
    case("31-jan-2026-1m-to-28-feb", D(2026, 1, 31), "P1M", ATW, D(2026, 2, 28), D(2026, 3, 2), A1),
    # 31-1-2027 + 1 month -> Sun 28-2-2027 -> Mon 1-3-2027.
    case("31-jan-2027-1m-to-28-feb", D(2027, 1, 31), "P1M", ATW, D(2027, 2, 28), D(2027, 3, 1), A1),
    # 30-1-2026 + 1 month -> Sat 28-2-2026 -> Mon 2-3-2026.
    case("30-jan-2026-1m-to-28-feb", D(2026, 1, 30), "P1M", ATW, D(2026, 2, 28), D(2026, 3, 2), A1),
    # 31-1-2028 + 1 month (leap year) -> Tue 29-2-2028.
    case("31-jan-2028-leap-1m", D(2028, 1, 31), "P1M", ATW, D(2028, 2, 29), D(2028, 2, 29), NONE),
    # 30-1-2028 + 1 month (leap year) -> Tue 29-2-2028.
    case("30-jan-2028-leap-1m", D(2028, 1, 30), "P1M", ATW, D(2028, 2, 29), D(2028, 2, 29), NONE),
    # 31-3-2026 + 1 month: April has no 31st -> Thu 30-4-2026.
    case(
        "31-mar-2026-1m-to-30-apr", D(2026, 3, 31), "P1M", ATW, D(2026, 4, 30), D(2026, 4, 30), NONE
    ),
    # 31-3-2026 + 2 months = Sun 31-5-2026 -> Mon 1-6-2026.
    case("31-mar-2026-2m-sunday", D(2026, 3, 31), "P2M", ATW, D(2026, 5, 31), D(2026, 6, 1), A1),
    # 31-3-2027 + 2 months = Mon 31-5-2027.
    case("31-mar-2027-2m", D(2027, 3, 31), "P2M", ATW, D(2027, 5, 31), D(2027, 5, 31), NONE),
    # 29-2-2028 + 1 year: 2029 has no 29 February -> Wed 28-2-2029.
    case("29-feb-2028-1y", D(2028, 2, 29), "P1Y", ATW, D(2029, 2, 28), D(2029, 2, 28), NONE),
    case("29-feb-2028-12m", D(2028, 2, 29), "P12M", ATW, D(2029, 2, 28), D(2029, 2, 28), NONE),
    # --- EU regime, Verordening 1182/71 ---
    # 31-1-2027 + 1 month -> Sun 28-2-2027 (art. 3(2)(c)) -> art. 3(4): Mon 1-3-2027.
    case("eu-31-jan-2027-1m", D(2027, 1, 31), "P1M", EU, D(2027, 2, 28), D(2027, 3, 1), E4),
    # AVG art. 12(3): 28-2-2026 + 1 month = Sat 28-3-2026 -> Mon 30-3-2026.
    case("eu-avg-1m-ends-saturday", D(2026, 2, 28), "P1M", EU, D(2026, 3, 28), D(2026, 3, 30), E4),
    # 10-3-2026 + 1 month = Fri 10-4-2026: nothing moves.
    case("eu-1m-ordinary", D(2026, 3, 10), "P1M", EU, D(2026, 4, 10), D(2026, 4, 10), NONE),
    # 20-2-2026 + 6 weeks = Fri 3-4-2026 Goede Vrijdag (a public holiday in NL) -> Tue 7-4.
    case("eu-goede-vrijdag-2026", D(2026, 2, 20), "P6W", EU, D(2026, 4, 3), D(2026, 4, 7), E4),
    # 24-3-2026 + 6 weeks = Tue 5-5-2026 (5 mei) -> Wed 6-5.
    case("eu-5-mei-2026", D(2026, 3, 24), "P6W", EU, D(2026, 5, 5), D(2026, 5, 6), E4),
    # 25-11-2026 + 1 month = Fri 25-12-2026 -> Mon 28-12.
    case("eu-kerst-2026", D(2026, 11, 25), "P1M", EU, D(2026, 12, 25), D(2026, 12, 28), E4),
    # Sat 7-3-2026 + 2 days = Mon 9-3, a working day, but only one working day in the period:
    # art. 3(5) (two days or more) -> Tue 10-3. Contrast: under the Atw no art. 2 (Mon 9-3).
    case("eu-2d-from-saturday-art3-5", D(2026, 3, 7), "P2D", EU, D(2026, 3, 9), D(2026, 3, 10), E5),
    # Fri 6-3-2026 + 2 days = Sun 8-3 -> art. 3(4): Mon 9-3; one working day -> art. 3(5): Tue 10-3.
    case(
        "eu-2d-over-weekend-art3-4-and-3-5",
        D(2026, 3, 6),
        "P2D",
        EU,
        D(2026, 3, 8),
        D(2026, 3, 10),
        E5_AND_MAYBE_E4,
    ),
    # Fri 6-3-2026 + 3 days = Mon 9-3; one working day -> Tue 10-3.
    case("eu-3d-over-weekend-art3-5", D(2026, 3, 6), "P3D", EU, D(2026, 3, 9), D(2026, 3, 10), E5),
    # Thu 2-4-2026 + 2 days = Sat 4-4 -> Tue 7-4 (3(4)); Fri 3 .. Tue 7 holds one working day ->
    # 3(5): Wed 8-4. Contrast: Atw gives Tue 7-4 for a two-day term.
    case(
        "eu-2d-over-easter-art3-5",
        D(2026, 4, 2),
        "P2D",
        EU,
        D(2026, 4, 4),
        D(2026, 4, 8),
        E5_AND_MAYBE_E4,
    ),
    # Fri 6-3-2026 + 1 day = Sat 7-3 -> Mon 9-3; art. 3(5) is for two days or more.
    case("eu-1d-saturday-to-monday", D(2026, 3, 6), "P1D", EU, D(2026, 3, 7), D(2026, 3, 9), E4),
    # Wed 1-4-2026 + 3 days = Sat 4-4 -> Tue 7-4; Thu 2 and Tue 7 are two working days.
    case(
        "eu-3d-wednesday-before-easter",
        D(2026, 4, 1),
        "P3D",
        EU,
        D(2026, 4, 4),
        D(2026, 4, 7),
        E4_OR_E5,
    ),
    # --- Plain calendar: nothing moves ---
    case(
        "plain-31-jan-2027-sunday",
        D(2027, 1, 31),
        "P1M",
        PLAIN,
        D(2027, 2, 28),
        D(2027, 2, 28),
        NONE,
    ),
    case("plain-5-mei-2026", D(2026, 3, 24), "P6W", PLAIN, D(2026, 5, 5), D(2026, 5, 5), NONE),
    case("plain-2d-sunday", D(2026, 3, 6), "P2D", PLAIN, D(2026, 3, 8), D(2026, 3, 8), NONE),
    case("plain-3d-easter-sunday", D(2026, 4, 2), "P3D", PLAIN, D(2026, 4, 5), D(2026, 4, 5), NONE),
    case("plain-3d-over-weekend", D(2026, 3, 6), "P3D", PLAIN, D(2026, 3, 9), D(2026, 3, 9), NONE),
]


def check(result, plain_end, due, rules):
    assert result.due_date == due
    assert tuple(sorted(result.rules)) in {tuple(sorted(alt)) for alt in rules}, result.rules
    text = result.explanation
    assert text.strip()
    # A person can check it: the plain end of the count and the last day are both named.
    assert nl(plain_end) in text, text
    assert nl(due) in text, text
    cited = {CITATION[code] for code in result.rules}
    for citation in set(CITATION.values()):
        if citation in cited:
            assert citation in text, text
        else:
            assert citation not in text, text


@pytest.mark.parametrize(("start", "term", "regime", "plain_end", "due", "rules"), CASES)
def test_due_date_by_law(start, term, regime, plain_end, due, rules):
    check(compute_due_date(start=start, term=term, regime=regime), plain_end, due, rules)


def test_table_is_consistent():
    """The table itself: every plain end is start plus the term counted as the law says, and no
    due date comes before its plain end (a check on the hand work, not on the code)."""
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(CASES) >= 40
    for c in CASES:
        start, _term, regime, plain_end, due, _rules = c.values
        assert start < plain_end <= due, c.id
        if regime == PLAIN:
            assert due == plain_end, c.id


@pytest.mark.django_db
def test_equated_day_moves_an_atw_term():
    """Atw art. 3 lid 3: a day equated by royal decree counts as a feestdag for art. 1 and 2."""
    from eenloket.core.models import EquatedDay

    # The Friday after Hemelvaartsdag 2027, as royal decrees have equated it.
    EquatedDay.objects.create(day=D(2027, 5, 7), reason="vrijdag na Hemelvaartsdag")
    # 24-3-2027 + 6 weeks = Wed 5-5 (5 mei) -> Thu 6-5 Hemelvaartsdag -> Fri 7-5 equated ->
    # Sat, Sun -> Mon 10-5-2027 (without the row: Fri 7-5, see "5-mei-2027-then-hemelvaart").
    check(
        compute_due_date(start=D(2027, 3, 24), term="P6W", regime=ATW),
        D(2027, 5, 5),
        D(2027, 5, 10),
        A1,
    )


@pytest.mark.django_db
def test_equated_day_counts_for_atw_art_2():
    """An equated day is no working day for art. 2 either."""
    from eenloket.core.models import EquatedDay

    EquatedDay.objects.create(day=D(2026, 5, 15), reason="vrijdag na Hemelvaartsdag")
    # Wed 13-5-2026 + 3 days = Sat 16-5 -> Mon 18-5 (art. 1); Thu 14 Hemelvaartsdag, Fri 15
    # equated: Mon 18 is the only working day -> art. 2: Tue 19-5. Without the row Fri 15 and
    # Mon 18 are two working days and the term would end on Mon 18-5.
    check(
        compute_due_date(start=D(2026, 5, 13), term="P3D", regime=ATW),
        D(2026, 5, 16),
        D(2026, 5, 19),
        A2_AND_MAYBE_A1,
    )


@pytest.mark.django_db
def test_equated_day_is_atw_only():
    """The choice made for this product: a day equated by royal decree is equated "voor de
    toepassing van deze wet" (Atw art. 3 lid 3), so it is a working day for a 1182/71 period."""
    from eenloket.core.models import EquatedDay

    EquatedDay.objects.create(day=D(2026, 5, 15), reason="vrijdag na Hemelvaartsdag")
    # 2-4-2026 + 6 weeks = Thu 14-5-2026 Hemelvaartsdag.
    # Atw: Fri 15-5 equated -> Sat, Sun -> Mon 18-5.
    check(
        compute_due_date(start=D(2026, 4, 2), term="P6W", regime=ATW),
        D(2026, 5, 14),
        D(2026, 5, 18),
        A1,
    )
    # EU art. 3(4): the following working day is Fri 15-5 (the decree does not reach it).
    check(
        compute_due_date(start=D(2026, 4, 2), term="P6W", regime=EU),
        D(2026, 5, 14),
        D(2026, 5, 15),
        E4,
    )


@pytest.mark.parametrize("value", ["P10D", "P6W", "P2M", "P1Y", "P1M2W", "P1Y2M3W4D"])
def test_parse_term_accepts(value):
    parse_term(value)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("", id="empty"),
        pytest.param("6W", id="no-P"),
        pytest.param("PT6H", id="hours"),
        pytest.param("P1DT2H", id="days-and-hours"),
        pytest.param("P0D", id="zero-days"),
        pytest.param("P0M", id="zero-months"),
        pytest.param("P-1D", id="negative"),
        pytest.param("P1.5W", id="fraction-dot"),
        pytest.param("P1,5W", id="fraction-comma"),
        pytest.param("P", id="P-only"),
        pytest.param("xyz", id="garbage"),
    ],
)
def test_parse_term_rejects(value):
    with pytest.raises(TermError) as excinfo:
        parse_term(value)
    assert isinstance(excinfo.value, ValueError)
    assert str(excinfo.value).strip()


def test_compute_due_date_rejects_a_bad_term():
    with pytest.raises(TermError):
        compute_due_date(start=D(2026, 3, 24), term="6 weken", regime=ATW)
