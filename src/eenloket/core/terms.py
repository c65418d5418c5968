"""Legal terms, counted as the law counts them: one function for the whole code base.

- The term begins the day after the event (receipt or dispatch; Awb practice, and Regulation
  1182/71 art. 3(1)). A term in days ends `n` days later; in weeks on the same weekday; in months
  (or years) on the same day of the month, or on the last day of a month that has no such day
  (31 January + 1 month is 28 or 29 February).
- Regime `atw`, the Algemene termijnenwet, for terms set by Dutch law: art. 1 (a term that ends
  on a Saturday, Sunday or algemeen erkende feestdag runs on to the next day that is none of
  these), art. 2 (a term of at least three days is extended so that it includes at least two
  such days), art. 3 (the holidays, Goede Vrijdag and days equated by royal decree included:
  `core.calendar.is_holiday`), art. 4 (not for terms longer than 90 days, 12 weeks or 3
  months).
- Regime `eu`, Regulation (EEC, Euratom) No 1182/71, for terms set by EU law (the AVG's month):
  art. 3(4) (a last day that is a public holiday, Saturday or Sunday moves to the next working
  day) and art. 3(5) (a period of two days or more includes at least two working days). Public
  holidays are the Dutch ones of Atw art. 3; days equated by royal decree are for the Atw only.
- Regime `kalender`: the plain calendar, for terms the organisation sets itself.

Every result carries an explanation a person can check, in the active language."""

import calendar as _cal
import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .calendar import equated_days, is_statutory_holiday
from .formatting import birth_date, long_date


class Regime(models.TextChoices):
    ATW = "atw", gettext_lazy("Algemene termijnenwet (wettelijke termijn)")
    EU = "eu", gettext_lazy("Europese termijnenverordening 1182/71")
    PLAIN = "kalender", gettext_lazy("Kalenderdagen (geen wettelijke termijn)")


class TermError(ValueError):
    """Bad input for a term: the message is Dutch (translated) and fit for the user."""


# Each part at least 1, with a bounded number of digits (no legal term is centuries long, and
# the date arithmetic stays within the calendar).
ISO_PATTERN = (
    r"^P(?!$)(?:([1-9]\d?)Y)?(?:([1-9]\d{0,2})M)?(?:([1-9]\d{0,3})W)?(?:([1-9]\d{0,4})D)?$"
)
_ISO = re.compile(ISO_PATTERN)


@dataclass(frozen=True)
class Term:
    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0

    @property
    def iso(self) -> str:
        parts = [(self.years, "Y"), (self.months, "M"), (self.weeks, "W"), (self.days, "D")]
        return "P" + "".join(f"{n}{unit}" for n, unit in parts if n)

    @property
    def label(self) -> str:
        """ "6 weken", "1 maand en 2 weken"."""
        parts = []
        if self.years:
            parts.append(ngettext("%(n)d jaar", "%(n)d jaar", self.years) % {"n": self.years})
        if self.months:
            parts.append(ngettext("%(n)d maand", "%(n)d maanden", self.months) % {"n": self.months})
        if self.weeks:
            parts.append(ngettext("%(n)d week", "%(n)d weken", self.weeks) % {"n": self.weeks})
        if self.days:
            parts.append(ngettext("%(n)d dag", "%(n)d dagen", self.days) % {"n": self.days})
        if len(parts) == 1:
            return parts[0]
        return _("%(first)s en %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}

    def beyond_atw(self, start: dt.date) -> bool:
        """Atw art. 4: the act does not apply to terms longer than 90 days, 12 weeks or 3
        months (so never to a year). A term with months is measured against 3 months from the
        same start, so a mixed one (2 months and 6 weeks) counts as the length it is; a term in
        weeks and days against 90 days (13 weeks is 91)."""
        if self.years:
            return True
        if self.months:
            return self.after(start) > Term(months=3).after(start)
        return self.weeks * 7 + self.days > 90

    def after(self, start: dt.date) -> dt.date:
        """The plain end: `start` plus this term, months clamped to the month's last day."""
        months = self.years * 12 + self.months
        day = start
        if months:
            index = start.month - 1 + months
            year, month = start.year + index // 12, index % 12 + 1
            day = dt.date(year, month, min(start.day, _cal.monthrange(year, month)[1]))
        return day + dt.timedelta(weeks=self.weeks, days=self.days)

    def __str__(self):
        return self.label


def parse_term(value) -> Term:
    """An ISO 8601 duration in years, months, weeks and days ("P6W", "P1M", "P1M2W", "P10D")."""
    if isinstance(value, Term):
        return value
    text = str(value or "").strip()
    match = _ISO.match(text)
    if not text or not match:
        raise TermError(
            _(
                "Geef de termijn als ISO 8601-duur in dagen, weken, maanden of jaren, elk deel "
                "minstens 1, bijvoorbeeld P6W (6 weken), P1M (1 maand) of P10D (10 dagen)."
            )
        )
    return Term(*(int(g or 0) for g in match.groups()))


@dataclass(frozen=True)
class DueDate:
    due_date: dt.date
    explanation: str
    rules: tuple[str, ...]  # codes of the rules that moved the date: atw-1, atw-2, eu-3-4, eu-3-5
    plain_end: dt.date  # before any rule


def _is_holiday(day: dt.date, regime: str) -> bool:
    if is_statutory_holiday(day):
        return True
    return regime == Regime.ATW and day in equated_days()


def _is_working(day: dt.date, regime: str) -> bool:
    return day.weekday() < 5 and not _is_holiday(day, regime)


def _kind_of_day(day: dt.date, regime: str) -> str:
    """What kind of day off `day` is; "" for a Saturday or Sunday (the weekday says it)."""
    if day.weekday() >= 5:
        return ""
    if is_statutory_holiday(day):
        return _("een algemeen erkende feestdag")
    return _("een dag die bij koninklijk besluit gelijkgesteld is met een feestdag")


def compute_due_date(
    *, start: dt.date, term, regime: str = Regime.ATW, extra_days: int = 0, extra_label: str = ""
) -> DueDate:
    """The last day of `term` counted from the day after `start`, under `regime`.

    `extra_days` are added to the plain end before the rules apply (the days a suspension
    stopped the clock); `extra_label` says so in the explanation ("plus 12 dagen opschorting")."""
    term = parse_term(term)
    if extra_days < 0:
        raise TermError(_("Het aantal extra dagen kan niet negatief zijn."))
    regime = Regime(regime)
    plain = term.after(start) + dt.timedelta(days=extra_days)
    length = (plain - start).days
    what = term.label if not extra_label else f"{term.label} {extra_label}"
    text = _("%(term)s na %(start)s is %(end)s") % {
        "term": what,
        "start": birth_date(start),
        "end": long_date(plain),
    }
    if regime == Regime.PLAIN:
        return DueDate(plain, text + ".", (), plain)

    if regime == Regime.ATW and term.beyond_atw(start):
        text += " " + _(
            "(Atw art. 4: de Algemene termijnenwet geldt niet voor termijnen langer dan "
            "90 dagen, 12 weken of 3 maanden)"
        )
        return DueDate(plain, text + ".", (), plain)

    end, rules = plain, []
    atw = regime == Regime.ATW
    # Atw art. 1 / Regulation art. 3(4): not on a Saturday, Sunday or holiday.
    if not _is_working(end, regime):
        kind = _kind_of_day(end, regime)
        while not _is_working(end, regime):
            end += dt.timedelta(days=1)
        rules.append("atw-1" if atw else "eu-3-4")
        if kind:
            text += ", " + kind
        text += _("; de termijn loopt door tot %(end)s (%(article)s)") % {
            "end": long_date(end),
            "article": _("Atw art. 1") if atw else _("Verordening 1182/71 art. 3 lid 4"),
        }
    # Atw art. 2 / Regulation art. 3(5): at least two working days in the period.
    if length >= (3 if atw else 2):
        working, day = 0, start  # two working days are enough: stop counting there
        while working < 2 and day < end:
            day += dt.timedelta(days=1)
            working += _is_working(day, regime)
        before = end
        while working < 2:
            end += dt.timedelta(days=1)
            if _is_working(end, regime):
                working += 1
        if end != before:
            rules.append("atw-2" if atw else "eu-3-5")
            text += _(
                "; er moeten minstens twee werkdagen in de termijn zitten, dus hij loopt door tot "
                "%(end)s (%(article)s)"
            ) % {
                "end": long_date(end),
                "article": _("Atw art. 2") if atw else _("Verordening 1182/71 art. 3 lid 5"),
            }
    return DueDate(end, text + ".", tuple(rules), plain)


def add_term(start: dt.date, term, regime: str = Regime.ATW) -> dt.date:
    """Only the date of `compute_due_date`."""
    return compute_due_date(start=start, term=term, regime=regime).due_date
