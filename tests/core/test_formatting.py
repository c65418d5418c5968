"""Dates and phone numbers one way on every screen (issue 8, "Language and form"): the Dutch
long form of a date ("vrijdag 4 december 2026", "… om 14:05"), in English in English mode;
phone numbers the Dutch way ("053 481 1111") with a tel: link. The template filters live in
core/templatetags/formatting.py and are built in (no {% load %} needed)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from eenloket.core import formatting

SRC = Path(settings.BASE_DIR) / "src" / "eenloket"
# 4 December 2026 13:05 UTC is 14:05 in Amsterdam (winter time), a Friday.
MOMENT = dt.datetime(2026, 12, 4, 13, 5, tzinfo=dt.UTC)


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "date", "moment"),
    [
        ("nl", "vrijdag 4 december 2026", "vrijdag 4 december 2026 om 14:05"),
        ("en", "Friday 4 December 2026", "Friday 4 December 2026"),
    ],
)
def test_long_date_in_the_readers_language_in_amsterdam_time(language, date, moment):
    with translation.override(language):
        assert formatting.long_date(MOMENT) == date
        assert formatting.long_datetime(MOMENT).startswith(moment)
        assert formatting.long_datetime(MOMENT).endswith("14:05")
        assert render("{{ d|long_date }}", d=MOMENT) == date
        assert render("{{ d|long_datetime }}", d=MOMENT) == formatting.long_datetime(MOMENT)
        assert render("{{ d|clock_time }}", d=MOMENT) == "14:05"


def test_summer_time_and_plain_dates():
    summer = dt.datetime(2026, 6, 8, 21, 59, tzinfo=dt.UTC)  # 23:59 in Amsterdam
    with translation.override("nl"):
        assert formatting.long_datetime(summer) == "maandag 8 juni 2026 om 23:59"
        assert formatting.long_datetime(dt.date(2026, 6, 8)) == "maandag 8 juni 2026"
        assert render("{{ d|birth_date }}", d=dt.date(1980, 3, 1)) == "1 maart 1980"
        assert render("{{ d|long_date }}|{{ d|long_datetime }}", d=None) == "|"


@pytest.mark.parametrize(
    ("stored", "shown", "href"),
    [
        ("+31534811111", "053 481 1111", "tel:+31534811111"),
        ("+31612345678", "06 12345678", "tel:+31612345678"),
        ("0800 2003", "0800 2003", "tel:+318002003"),
        ("088-898 20 01", "088 898 2001", "tel:+31888982001"),
        ("14 053", "14 053", "tel:14053"),
        ("+3214123456", "+32 14 12 34 56", "tel:+3214123456"),
    ],
)
def test_phone_numbers_shown_the_dutch_way_with_a_tel_link(stored, shown, href):
    assert formatting.phone_display(stored) == shown
    link = render("{{ p|phone_link }}", p=stored)
    assert f'href="{href}"' in link and f">{shown}</a>" in link


def test_text_that_is_no_phone_number_is_shown_as_it_is_and_escaped():
    assert render("{{ p|phone_link }}", p="<b>bel de balie</b>") == (
        "&lt;b&gt;bel de balie&lt;/b&gt;"
    )
    assert render("{{ p|phone }}", p="") == ""
    assert render("{{ p|phone_link }}", p="") == "–"
    assert render('{{ p|phone_link:"" }}', p=None) == ""


# Machine formats (ISO for <time datetime>, a bare year) are fine; any other date format in a
# template is a second style next to the long form.
MACHINE_FORMATS = {"c", "Y"}
# Templates the lead restructures in the same issue; their dates follow (remove when done).
PENDING: set[str] = set()


def test_templates_use_the_one_date_style():
    offenders = []
    for path in sorted(SRC.rglob("*.html")):
        if path.relative_to(SRC).as_posix() in PENDING:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for fmt in re.findall(r"""\|(?:date|time)(?::["']([^"']*)["'])?""", line):
                if fmt not in MACHINE_FORMATS and not (fmt == "H:i" and "|time" in line):
                    offenders.append(f"{path.relative_to(SRC)}:{n}: |date:{fmt!r}")
    assert offenders == []


def test_templates_show_phone_numbers_through_the_filter():
    """A raw {{ …phone }} shows "+31534811111"; every number goes through |phone(_link)."""
    raw = re.compile(r"\{\{\s*[\w.]*phone\s*(\|(?!phone)[^}]*)?\}\}")
    offenders = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()[:100]}"
        for path in sorted(SRC.rglob("*.html"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if raw.search(line)
    ]
    assert offenders == []
