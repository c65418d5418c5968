"""Registering contact moments and callback requests. The rules live here; UI and API both call
these functions."""

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
from eenloket.messaging.services import send_to_resident
from eenloket.organisations.models import Location, Organisation, Team, User
from eenloket.organisations.selectors import get_scope, municipality_of, works_at
from eenloket.residents.access import organisation_may_see
from eenloket.residents.models import Resident
from eenloket.residents.services import acting_organisation, normalise_phone
from eenloket.worklist.models import Task
from eenloket.worklist.services import create_task, is_member

from . import kinds
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
    callback: dict | None = None,
) -> ContactMoment:
    """Record one contact. The staff member registers on behalf of one of their own
    organisations, at a location of that organisation or one where it is a guest.

    With the outcome "terugbelverzoek" the callback request is part of the contact: `callback`
    holds `team`, `phone`, optional `note` and `assigned_to` (see request_callback). The
    contact, the task and the confirmation to the resident are written together, or nothing
    (errors on the callback's fields come back as `callback_team`, `callback_phone`, …)."""
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
    if outcome == Outcome.CALLBACK and callback is None:
        errors["outcome"] = [
            _("Bij een terugbelverzoek hoort wie terugbelt en op welk nummer. Vul die gegevens in.")
        ]
    elif callback is not None and outcome != Outcome.CALLBACK:
        errors["outcome"] = [
            _("Kies de uitkomst “Terugbelverzoek” als u een terugbelverzoek maakt.")
        ]
    if callback is not None:
        callback, callback_errors = _check_callback(organisation, **callback)
        errors.update({f"callback_{name}": e for name, e in callback_errors.items()})
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
        if callback is not None:
            _make_callback(user=user, contact=contact, via=via, now=now, **callback)
    return contact


# ---- callback requests (terugbelverzoek) --------------------------------------------------------
CALLBACK_FIELDS = ("team", "phone", "note", "assigned_to")


def _check_callback(organisation, *, team=None, phone="", note="", assigned_to=None):
    """The callback's own checks (before anything is written): the team of this organisation,
    a valid number to call, a note within the limit, the person (optional) in that team.
    (cleaned values, errors per field)"""
    errors = {}
    if not isinstance(team, Team):
        errors["team"] = [_("Kies het team dat terugbelt.")]
    elif team.organisation_id != organisation.pk:
        errors["team"] = [_("Dit team hoort niet bij uw organisatie.")]
    phone = str(phone or "").strip()
    if not phone:
        errors["phone"] = [_("Vul het nummer in waarop de inwoner gebeld wil worden.")]
    else:
        try:
            phone = normalise_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    texts, text_errors = clean_texts({"note": note})
    errors.update(text_errors)
    if assigned_to is not None:
        if not isinstance(assigned_to, User) or "team" in errors:
            errors.setdefault("assigned_to", [_("Kies een collega uit de lijst.")])
        elif not is_member(assigned_to, organisation, team):
            errors["assigned_to"] = [_("Deze collega hoort niet bij het gekozen team.")]
    values = {"team": team, "phone": phone, "note": texts["note"], "assigned_to": assigned_to}
    return values, errors


def _make_callback(*, user, contact, team, phone, note, assigned_to, via, now) -> Task:
    """The task and the resident's confirmation, in the caller's transaction."""
    task = create_task(
        kind=kinds.CALLBACK,
        organisation=contact.organisation,
        team=team,
        assigned_to=assigned_to,
        resident=contact.resident,
        title=_shorten(contact.question),
        note=note,
        phone=phone,
        source_type=kinds.SOURCE_TYPE,
        source_id=str(contact.uuid),
        created_by=user,
        now=now,
    )
    if contact.resident_id:
        send_to_resident(
            organisation=contact.organisation,
            resident=contact.resident,
            template_key="terugbelverzoek",
            context={
                "onderwerp": task.title,
                "terugbellen_voor": task.due_at,
                "terugbelnummer": task.phone,
            },
            sender=user,
            team=team,
            cause_type="task",
            cause_id=str(task.uuid),
            now=now,
            via=via,
        )
        log_access(
            user=user,
            organisation_code=contact.organisation.code,
            residents=[contact.resident],
            activity=Activity.TASK_WORK,
            action=Action.CREATE,
            channel=via,
            object_type="task",
            object_id=str(task.uuid),
        )
    return task


def request_callback(
    *,
    user,
    contact: ContactMoment,
    team,
    phone: str,
    note: str = "",
    assigned_to=None,
    via: str = "ui",
) -> Task:
    """A callback request for a contact already recorded ("Terugbelverzoek maken" on the
    contact): a task "terugbellen" for `team` (of the contact's organisation), optionally for one
    person of it, to call `phone` (stored E.164); the resident gets a confirmation. One
    transaction: the task and the confirmation, or nothing."""
    scope = get_scope(user)
    permissions.require(permissions.can_work_with_contacts, scope)
    permissions.require(permissions.can_work_with_contacts_of, scope, contact.organisation_id)
    values, errors = _check_callback(
        contact.organisation, team=team, phone=phone, note=note, assigned_to=assigned_to
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _make_callback(user=user, contact=contact, via=via, now=timezone.now(), **values)


def _shorten(text: str, length: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
