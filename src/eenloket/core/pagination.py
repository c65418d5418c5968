"""Keyset pagination for the screens: newest first, a page at a time, with an opaque cursor
for the next page. No COUNT and no OFFSET, so a page is as fast on the millionth row as on the
first. (The API uses DRF's CursorPagination in core/api.py, which also gives `previous` links;
the screens only go forward.)"""

import base64
import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _


def encode_cursor(moment: dt.datetime, pk: int) -> str:
    raw = json.dumps([moment.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    """The (moment, id) a cursor points after; a ValidationError for anything else."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        moment, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        when = parse_datetime(moment)
        if when is None:
            raise ValueError
        return when, int(pk)
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        raise ValidationError(_("Deze pagina-aanwijzer klopt niet."), code="bad_cursor") from exc


def newest_first_page(
    qs: QuerySet, *, time_field: str, cursor: str = "", limit: int = 25
) -> tuple[list, str | None]:
    """One page of `qs` ordered by (`time_field`, id) descending, after `cursor`, and the
    cursor of the next page (None on the last page)."""
    if cursor:
        moment, pk = decode_cursor(cursor)
        qs = qs.filter(Q(**{f"{time_field}__lt": moment}) | Q(**{time_field: moment, "id__lt": pk}))
    rows = list(qs.order_by(f"-{time_field}", "-id")[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor(getattr(last, time_field), last.pk)
    return rows[:limit], next_cursor
