"""Open callback requests for the resident overview (residents/overview.py)."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from eenloket.core import permissions
from eenloket.organisations.selectors import get_scope
from eenloket.residents.overview import OpenItem, open_items_provider

from .selectors import unanswered_callbacks, visible_contacts

CALLBACK_WINDOW = dt.timedelta(days=30)


@open_items_provider
def open_callbacks(user, resident, now):
    """A callback request stays open until the same organisation has a later contact with the
    resident (the call back). Only the user's own organisations' requests."""
    if not permissions.can_work_with_contacts(get_scope(user)):
        return []
    requests = list(
        unanswered_callbacks(
            visible_contacts(user).filter(
                resident_id=resident.pk, started_at__gte=now - CALLBACK_WINDOW
            )
        )
        .select_related("organisation", "staff")
        .order_by("-started_at")[:10]
    )
    items = []
    for contact in requests:
        items.append(
            OpenItem(
                kind=_("Terugbelverzoek"),
                title=_shorten(contact.question),
                status=_("Gevraagd bij %(org)s door %(name)s")
                % {"org": contact.organisation.name, "name": contact.staff.get_full_name()},
                since=contact.started_at,
                link=reverse("contact-detail", kwargs={"uuid": contact.uuid}),
            )
        )
    return items


def _shorten(text: str, length: int = 90) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
