"""Open cases on the resident overview ("Wat nog open staat"), for those who may see them."""

from django.urls import reverse
from django.utils.translation import gettext as _

from eenloket.residents.overview import OpenItem, open_items_provider

from . import selectors


@open_items_provider
def open_cases(user, resident, now):
    items = []
    for view in selectors.open_cases_for_resident(user, resident, now):
        case = view.case
        items.append(
            OpenItem(
                kind=_("Casus"),
                title=f"{case.title} ({case.reference})",
                status=_("Casemanager: %(name)s") % {"name": case.case_manager.get_full_name()},
                since=case.opened_at,
                link=reverse("cases:detail", kwargs={"uuid": case.uuid}),
                overdue=False,
            )
        )
    return items
