"""What is still open for a resident, from every domain, for the top of the resident overview:
open referrals, callback requests, live consults (later: appointments, requests with a legal
term, cases). Domain apps add theirs with `@open_items_provider` (in AppConfig.ready), so this
app does not import them. Each provider applies its own permission filter."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class OpenItem:
    kind: str  # "Doorverwijzing", "Terugbelverzoek", … (translated label)
    title: str  # what it is: "Naar UWV: WW-uitkering"
    status: str  # where it stands: "Geaccepteerd door UWV"
    since: dt.datetime
    link: str
    due: dt.datetime | None = None
    overdue: bool = False


_PROVIDERS: list[Callable] = []


def open_items_provider(func):
    if func not in _PROVIDERS:
        _PROVIDERS.append(func)
    return func


def open_items(user, resident, *, now=None) -> list[OpenItem]:
    """Overdue first, then by due date, then newest."""
    now = now or timezone.now()
    items = [item for provider in _PROVIDERS for item in provider(user, resident, now)]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda i: (not i.overdue, i.due or far, -i.since.timestamp()))
