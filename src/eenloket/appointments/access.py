"""Basis for seeing a resident: an appointment with the organisation (residents/access.py). The
resident asked for it (booked it, or agreed to it at the counter); the organisation sees the
working data it needs to prepare and help, while the appointment is open and a short while after
it (to record the outcome and answer questions)."""

from django.db.models import Max, Q
from django.utils.translation import gettext as _

from eenloket.core.formatting import long_date
from eenloket.residents.access import WORKING_DATA, Basis, basis_provider, days_setting

from .models import AppointmentPart, AppointmentState


@basis_provider
def own_appointment(organisation_ids, resident, now):
    keep = days_setting("RESIDENT_BASIS_AFTER_APPOINTMENT_DAYS")
    rows = (
        AppointmentPart.objects.filter(
            appointment__resident=resident, organisation_id__in=organisation_ids
        )
        .exclude(appointment__state=AppointmentState.CANCELLED)
        .filter(Q(appointment__ends_at__gt=now - keep))
        .values("organisation_id")
        .annotate(last=Max("appointment__ends_at"))
    )
    return [
        Basis(
            kind="afspraak",
            organisation_id=row["organisation_id"],
            label=_("De inwoner heeft een afspraak met uw organisatie (%(date)s)")
            % {"date": long_date(row["last"])},
            legal_ground=_("De inwoner vroeg uw organisatie om hulp"),
            data=WORKING_DATA,
            until=row["last"] + keep,
            until_text=_("tot %(days)d dagen na de afspraak") % {"days": keep.days},
        )
        for row in rows
    ]
