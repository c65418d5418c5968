"""Basis for seeing a resident: a warm referral to the organisation that shares the resident's
details (residents/access.py). Only what the resident agreed to share: name and contact details
(and address), and the BSN only when that was shared too. It lasts while the referral is open
and a short while after it ended (to finish the work and answer questions)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from eenloket.core.formatting import long_date
from eenloket.residents.access import Basis, basis_provider, days_setting
from eenloket.residents.models import ResidentData

from .models import Referral, SharedItem


@basis_provider
def shared_by_referral(organisation_ids, resident, now):
    after = days_setting("RESIDENT_BASIS_AFTER_REFERRAL_DAYS")
    rows = (
        Referral.objects.filter(
            Q(closed_at__isnull=True) | Q(closed_at__gt=now - after),
            resident=resident,
            to_organisation_id__in=organisation_ids,
        )
        .select_related("from_organisation")
        .order_by("-created_at")
    )
    bases = []
    for referral in rows:
        data = set()
        if SharedItem.IDENTITY in (referral.shared or ()):
            data |= {ResidentData.IDENTITY, ResidentData.ADDRESS, ResidentData.CONTACT}
        if SharedItem.BSN in (referral.shared or ()):
            data.add(ResidentData.BSN)
        if not data:
            continue
        bases.append(
            Basis(
                kind="doorverwijzing",
                organisation_id=referral.to_organisation_id,
                label=_("Doorverwijzing van %(org)s op %(date)s, met toestemming van de inwoner")
                % {
                    "org": referral.from_organisation.name,
                    "date": long_date(referral.created_at),
                },
                legal_ground=_("Toestemming van de inwoner om gegevens te delen"),
                data=frozenset(data),
                until=referral.closed_at + after if referral.closed_at else None,
                until_text=_("zolang de doorverwijzing loopt, en %(days)d dagen daarna")
                % {"days": after.days},
                link=reverse("referrals:detail", kwargs={"uuid": referral.uuid}),
            )
        )
    return bases
