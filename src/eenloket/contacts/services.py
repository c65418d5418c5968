"""Registering contact moments. The rules live here; UI and API both call these functions."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eenloket.catalogue.models import RoutingOutcome, Service
from eenloket.catalogue.services import record_outcome
from eenloket.core import permissions
from eenloket.core.audit import Action, Activity, log_access
from eenloket.core.validators import clean_texts
from eenloket.organisations.models import Location, Organisation
from eenloket.organisations.selectors import get_scope, municipality_of, works_at
from eenloket.residents.access import organisation_may_see
from eenloket.residents.models import Resident
from eenloket.residents.services import acting_organisation

from .models import Channel, ContactMoment, Outcome

CLOCK_SKEW = dt.timedelta(minutes=5)
# Outcomes that confirm the chosen service was the right one: routing learns from these.
CONFIRMING_OUTCOMES = frozenset(
    {Outcome.ANSWERED, Outcome.REFERRED, Outcome.APPOINTMENT, Outcome.REQUEST_TAKEN}
)


def register_contact(
    *,
    user,
    organisation: Organisation | None = None,
    channel: str,
    question: str,
    outcome: str,
    answer: str = "",
    resident: Resident | None = None,
    location: Location | None = None,
    service: Service | None = None,
    extra_help_needed: bool = False,
    counsellor_mentioned: bool = False,
    started_at: dt.datetime | None = None,
    ended_at: dt.datetime | None = None,
    via: str = "ui",
) -> ContactMoment:
    """Record one contact. The staff member registers on behalf of one of their own
    organisations, at a location of that organisation or one where it is a guest."""
    scope = get_scope(user)
    permissions.require(permissions.can_work_with_contacts, scope)
    if organisation is None:
        organisation = acting_organisation(user)
    if organisation is None or organisation.pk not in scope.organisation_ids:
        raise ValidationError(
            {"organisation": [_("U werkt niet voor deze organisatie.")]}, code="not_member"
        )
    if not permissions.can_work_with_contacts_of(scope, organisation):
        # A management role there does not make contacts of that organisation yours to record
        # (you could not even see them afterwards).
        raise ValidationError(
            {"organisation": [permissions.refusal(permissions.can_work_with_contacts_of)]},
            code="no_contact_role",
        )

    texts, errors = clean_texts(
        {"question": question, "answer": answer},
        required={"question": _("Schrijf de vraag van de inwoner op.")},
    )
    question, answer = texts["question"], texts["answer"]
    if channel not in Channel.values:
        errors["channel"] = [_("Kies een kanaal: balie, telefoon, digitaal, brief of huisbezoek.")]
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Kies een uitkomst uit de lijst.")]
    if resident is not None and not organisation_may_see(organisation.pk, resident):
        errors["resident"] = [
            _("U mag de gegevens van deze inwoner niet zien. Zoek de inwoner eerst op.")
        ]
    resident = getattr(resident, "resident", resident)  # the model, also from a VisibleResident
    if location is not None and not works_at(organisation, location):
        errors["location"] = [_("Uw organisatie werkt niet op deze locatie.")]
    tenant = municipality_of(organisation, location)
    if service is not None and (
        not service.is_active or service.tenant_id not in (None, tenant and tenant.pk)
    ):
        errors["service"] = [_("Deze dienst kunt u hier niet kiezen.")]
    now = timezone.now()
    started_at = started_at or now
    if started_at > now + CLOCK_SKEW:
        errors["started_at"] = [_("Het begin van het contact kan niet in de toekomst liggen.")]
    if ended_at is not None and ended_at < started_at:
        errors["ended_at"] = [_("Het einde ligt voor het begin.")]
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        contact = ContactMoment.objects.create(
            organisation=organisation,
            location=location,
            staff=user,
            resident=resident,
            service=service,
            channel=channel,
            question=question,
            answer=answer,
            outcome=outcome,
            extra_help_needed=bool(extra_help_needed),
            counsellor_mentioned=bool(counsellor_mentioned),
            started_at=started_at,
            ended_at=ended_at or (now if started_at <= now else None),
        )
        if service is not None and outcome in CONFIRMING_OUTCOMES:
            record_outcome(
                service=service,
                tenant=tenant,
                question=question,
                source=RoutingOutcome.Source.CONTACT,
                source_id=contact.uuid,
            )
        if resident is not None:
            log_access(
                user=user,
                organisation_code=organisation.code,
                residents=[resident],
                activity=Activity.CONTACT_REGISTER,
                action=Action.CREATE,
                channel=via,
                object_type="contact-moment",
                object_id=str(contact.uuid),
            )
    return contact
