"""Basis for seeing a resident: the organisation's own contact with them (residents/access.py)."""

from django.db.models import Max
from django.utils.translation import gettext as _

from eenloket.core.formatting import long_date
from eenloket.residents.access import WORKING_DATA, Basis, basis_provider, days_setting

from .models import ContactMoment


@basis_provider
def own_contacts(organisation_ids, resident, now):
    keep = days_setting("RESIDENT_BASIS_OWN_CONTACT_DAYS")
    rows = (
        ContactMoment.objects.filter(resident=resident, organisation_id__in=organisation_ids)
        .values("organisation_id")
        .annotate(last=Max("started_at"))
    )
    return [
        Basis(
            kind="eigen-contact",
            organisation_id=row["organisation_id"],
            label=_("Uw organisatie had contact met de inwoner (laatste keer: %(date)s)")
            % {"date": long_date(row["last"])},
            legal_ground=_("De inwoner vroeg uw organisatie om hulp"),
            data=WORKING_DATA,
            until=row["last"] + keep,
        )
        for row in rows
        if row["last"] + keep > now
    ]
