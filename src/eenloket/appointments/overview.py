"""Coming appointments for the resident overview (residents/overview.py, "Wat nog open staat"),
for the staff who may see them (selectors)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from eenloket.core import formatting
from eenloket.residents.overview import OpenItem, open_items_provider

from . import selectors
from .models import AppointmentState


@open_items_provider
def open_appointments(user, resident, now):
    rows = (
        selectors.visible_appointments(user)
        .filter(
            resident=resident,
            state__in=[AppointmentState.BOOKED, AppointmentState.CHECKED_IN],
            ends_at__gte=now,
        )
        .order_by("starts_at")[:10]
    )
    return [
        OpenItem(
            kind=_("Afspraak"),
            title=f"{a.title} – {a.location.name}",
            status=_("%(state)s: %(when)s")
            % {"state": a.get_state_display(), "when": formatting.long_datetime(a.starts_at)},
            since=a.created_at,
            link=reverse("appointments:detail", kwargs={"uuid": a.uuid}),
        )
        for a in rows
    ]
