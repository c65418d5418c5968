"""Writing and reading the access log (Logboek Dataverwerkingen)."""

import contextlib
import hashlib
import hmac
from collections.abc import Iterable
from contextvars import ContextVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop

from .models import AccessLog, new_span_id
from .tracing import current_trace_id


class Activity(models.TextChoices):
    """The processing activities (verwerkingsactiviteiten) of Eén Loket, each with its purpose.
    The purpose is stored in Dutch as written (gettext_noop) and translated when shown. A row
    for an activity that is not declared here is refused: it would have no purpose."""

    RESIDENT_SEARCH = "inwoner-zoeken", gettext_noop("Inwoner vinden om te helpen aan het loket")
    RESIDENT_VIEW = (
        "inwoner-inzien",
        gettext_noop("Inwoner helpen aan het loket: overzicht van gegevens en contacten"),
    )
    CONTACT_VIEW = "contactmoment-inzien", gettext_noop("Contact met de inwoner terugzien")
    CONTACT_REGISTER = (
        "contactmoment-registreren",
        gettext_noop("Contact met de inwoner vastleggen"),
    )
    LOG_VIEW = "logboek-inzien", gettext_noop("Toezicht op gebruik van persoonsgegevens")
    REFERRAL_SEND = (
        "doorverwijzing-versturen",
        gettext_noop("Inwoner warm doorverwijzen naar een andere organisatie"),
    )
    REFERRAL_VIEW = (
        "doorverwijzing-inzien",
        gettext_noop("Doorverwijzing van een inwoner behandelen of volgen"),
    )
    CONSULT_REQUEST = (
        "overleg-aanvragen",
        gettext_noop("Collega van een andere organisatie erbij halen voor de inwoner"),
    )
    CONSULT_VIEW = (
        "overleg-inzien",
        gettext_noop("Overleg met een collega over de vraag van de inwoner aannemen of volgen"),
    )
    ADMIN_VIEW = "beheer-inzien", gettext_noop("Inwonergegevens controleren in het beheerscherm")
    LETTER_SEND = "brief-versturen", gettext_noop("Inwoner een brief of bericht sturen")
    LETTER_VIEW = (
        "brief-inzien",
        gettext_noop("Verstuurde brief of bericht aan de inwoner terugzien"),
    )
    MESSAGE_MANAGE = (
        "bericht-beheren",
        gettext_noop("Zorgen dat berichten aan inwoners aankomen (beheer)"),
    )
    REPRESENTATIVE_RECORD = (
        "vertegenwoordiger-vastleggen",
        gettext_noop("Vastleggen wie de inwoner vertegenwoordigt"),
    )
    TASK_WORK = "taak-behandelen", gettext_noop("Inwoner terugbellen of opvolgen (taak)")
    HELPED_CHECK = (
        "geholpen-vraag",
        gettext_noop("Inwoner vragen of hij of zij geholpen is, en opvolgen"),
    )
    APPOINTMENT = (
        "afspraak",
        gettext_noop("Afspraak met de inwoner maken, voorbereiden en afhandelen"),
    )
    TERM_REQUEST = (
        "verzoek-termijn",
        gettext_noop("Verzoek van de inwoner op tijd afhandelen (wettelijke termijn)"),
    )
    CASE_WORK = (
        "casus-regie",
        gettext_noop("Inwoner met meerdere problemen helpen vanuit één plan (casusregie)"),
    )
    CASE_SHARE = (
        "casus-delen",
        gettext_noop(
            "Samenwerken in de casus van de inwoner, met toestemming of wettelijke grondslag"
        ),
    )
    DOORBRAAK = (
        "doorbraak",
        gettext_noop("Een besluit laten pauzeren of aanpassen zodat de inwoner geholpen wordt"),
    )
    EARLY_SIGNAL = (
        "vroegsignalering",
        gettext_noop("Inwoner met betalingsachterstanden vroeg hulp aanbieden (schuldhulp)"),
    )
    INZAGE = (
        "inzage-inwoner",
        gettext_noop("Inwoner laten zien wie zijn of haar gegevens heeft gebruikt (AVG art. 15)"),
    )
    COMPLAINT = (
        "klacht-behandelen",
        gettext_noop("Klacht van de inwoner behandelen (Algemene wet bestuursrecht, hoofdstuk 9)"),
    )
    CONCERN_REPORT = (
        "zorgmelding-intermediair",
        gettext_noop("Zorgmelding van een intermediair over een inwoner oppakken"),
    )


Action = AccessLog.Action
Channel = AccessLog.Channel

# (user, organisation code) → the role they worked in there. Set by the organisations app
# (this module imports no domain app); without it the role stays empty.
_role_resolver = None


def set_role_resolver(func) -> None:
    global _role_resolver
    _role_resolver = func


# The log is append-only (no UPDATE, also in the database), so data loaded as history (the demo)
# cannot be moved back in time afterwards: it is written with its historical time instead.
_recorded_at: ContextVar = ContextVar("access_log_recorded_at", default=None)


@contextlib.contextmanager
def recorded_at(when):
    """Rows appended inside this block carry `when` as their time (loading history only)."""
    token = _recorded_at.set(when)
    try:
        yield
    finally:
        _recorded_at.reset(token)


def pseudonymise(bsn_or_id: str) -> str:
    """Keyed hash of a data subject id: the log never stores a BSN in the clear."""
    key = settings.PSEUDONYM_KEY.encode()
    return hmac.new(key, str(bsn_or_id).encode(), hashlib.sha256).hexdigest()


def subject_of(resident) -> tuple[str, str]:
    if resident.bsn:
        return "BSN", pseudonymise(resident.bsn)
    return "inwoner-uuid", pseudonymise(str(resident.uuid))


def log_access(
    *,
    user,
    organisation_code: str,
    residents: Iterable,
    activity: str,
    action: str,
    channel: str,
    object_type: str = "resident",
    object_id: str = "",
    purpose: str = "",
) -> list[AccessLog]:
    """Append one row per resident whose personal data was processed. One INSERT in all.
    `purpose` overrides the activity's purpose (a case read states the consent's purpose)."""
    subjects, seen = [], set()
    for resident in residents:
        if resident is None or resident.pk in seen:
            continue
        seen.add(resident.pk)
        subjects.append((*subject_of(resident), object_id or str(resident.uuid)))
    return log_subjects(
        user=user,
        organisation_code=organisation_code,
        subjects=subjects,
        activity=activity,
        action=action,
        channel=channel,
        object_type=object_type,
        purpose=purpose,
    )


def log_subjects(
    *,
    user,
    organisation_code: str,
    subjects: Iterable[tuple[str, str, str]],
    activity: str,
    action: str,
    channel: str,
    object_type: str,
    purpose: str = "",
) -> list[AccessLog]:
    """Append rows for (id type, pseudonymised id, object id) triples. An unknown activity,
    action or channel is a programming error: ValueError, nothing written."""
    activity, action, channel = Activity(activity), Action(action), Channel(channel)
    now = _recorded_at.get() or timezone.now()
    trace_id = current_trace_id()
    role = ""
    if user is not None and _role_resolver is not None:
        role = _role_resolver(user, organisation_code) or ""
    rows = [
        AccessLog(
            trace_id=trace_id,
            span_id=new_span_id(),
            name=activity,
            start_time=now,
            end_time=now,
            processing_activity_id=activity,
            purpose=(purpose or activity.label)[:200],
            data_subject_id_type=id_type,
            data_subject_id=subject_id,
            actor_id=str(user.uuid) if user is not None else "system",
            actor_name=(user.get_full_name() or user.username) if user else "systeem",
            actor_organisation=organisation_code or "",
            actor_role=role,
            action=action,
            channel=channel,
            object_type=object_type,
            object_id=object_id,
        )
        for id_type, subject_id, object_id in subjects
    ]
    if rows:
        AccessLog.objects.bulk_create(rows)
    return rows
