"""Open requests with a legal term for the resident overview (residents/overview.py, "Wat nog
open staat"), for the staff of the request's organisation: the due date and any notice sent."""

from django.urls import reverse
from django.utils.translation import gettext as _

from eenloket.core import formatting
from eenloket.core.calendar import AMSTERDAM
from eenloket.residents.overview import OpenItem, open_items_provider

from . import selectors


@open_items_provider
def open_requests(user, resident, now):
    rows = selectors.open_for_resident(user, resident)
    items = []
    today = now.astimezone(AMSTERDAM).date()
    for r in rows:
        if r.due_date is None:
            status = _("Opgeschort: de termijn staat stil")
        else:
            status = _("Uiterlijk besluiten op %(date)s") % {
                "date": formatting.long_date(r.due_date)
            }
        if r.last_notice_on:
            # One "uiterlijk": the legal due date. The date in the notice only when it differs.
            status += " · " + _("bericht gestuurd op %(date)s") % {
                "date": formatting.long_date(r.last_notice_on)
            }
            if r.expected_on and r.expected_on != r.due_date:
                status += " " + _("(nieuwe datum in het bericht: %(expected)s)") % {
                    "expected": formatting.long_date(r.expected_on)
                }
        items.append(
            OpenItem(
                kind=r.request_type.label,
                title=f"{r.subject} ({r.reference})",
                status=status,
                since=r.created_at,
                link=reverse("deadlines:detail", kwargs={"uuid": r.uuid}),
                overdue=r.due_date is not None and r.due_date < today,
            )
        )
    return items
