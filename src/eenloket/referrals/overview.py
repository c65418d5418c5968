"""Open referrals and live consults for the resident overview (residents/overview.py).

The receiving side sees a referral here only when it shares the resident's name or BSN: a
referral that did not share who it is about must not be linked to the resident."""

from django.urls import reverse
from django.utils.translation import gettext as _

from eenloket.organisations.selectors import get_scope
from eenloket.residents.overview import OpenItem, open_items_provider

from . import selectors, states
from .models import ConsultState, LiveConsult


@open_items_provider
def open_referrals(user, resident, now):
    rows = (
        selectors.visible_referrals(user)
        .filter(resident_id=resident.pk, state__in=states.OPEN)
        .select_related("from_organisation", "to_organisation", "service")
        .order_by("-created_at")[:20]
    )
    items = []
    for referral in rows:
        view = selectors.view_of(user, referral)
        if not (view.shows_identity or view.shows_bsn):
            continue  # the receiving side, and the resident was not shared: no link to them
        if view.is_sender:
            title = _("Naar %(org)s") % {"org": referral.to_organisation.name}
        else:
            title = _("Van %(org)s") % {"org": referral.from_organisation.name}
        if referral.service_id:
            title = f"{title}: {referral.service.name}"
        due = states.next_deadline(referral)
        items.append(
            OpenItem(
                kind=_("Doorverwijzing"),
                title=title,
                status=referral.get_state_display(),
                since=referral.created_at,
                due=due,
                overdue=states.is_overdue(referral, now),
                link=reverse("referrals:detail", kwargs={"uuid": referral.uuid}),
            )
        )
    return items


@open_items_provider
def open_consults(user, resident, now):
    """Live consults asked for this resident by the user's organisations, still waiting."""
    ids = get_scope(user).contact_organisation_ids
    if not ids:
        return []
    rows = (
        LiveConsult.objects.filter(
            states.consult_state_q({ConsultState.OPEN}, now),
            contact__resident_id=resident.pk,
            contact__organisation_id__in=ids,
        )
        .select_related("to_organisation")
        .order_by("-created_at")[:5]
    )
    return [
        OpenItem(
            kind=_("Overleg"),
            title=_("Collega van %(org)s gevraagd") % {"org": c.to_organisation.name},
            status=c.get_state_display(),
            since=c.created_at,
            due=c.expires_at,
            link=reverse("referrals:consult", kwargs={"uuid": c.uuid}),
        )
        for c in rows
    ]
