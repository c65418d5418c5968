"""The resident's inzage (AVG art. 15; Logius standard Logboek Dataverwerkingen): which
organisation used which of their data, when, in which role and for which purpose, across all
organisations. Employees' names are left out (CJEU C-579/21: the data subject is entitled to the
dates and purposes, not to the names of the employees who acted under the controller's
authority).

Produced by a privacy officer on request, as a PDF letter (B1, grouped per day, organisation,
role, data and purpose) and as JSON (every row, streamed in chunks so a long history never sits
in memory). A case's own overview works the same way. The export itself is logged."""

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eenloket.core import formatting
from eenloket.core.audit import Action, Activity, log_access, pseudonymise
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.errors import NotFound
from eenloket.core.models import AccessLog
from eenloket.core.permissions import is_privacy_officer
from eenloket.core.roles import AUDIT_ROLES, Role
from eenloket.core.validators import normalise_bsn, validate_bsn
from eenloket.organisations.models import Organisation
from eenloket.organisations.selectors import get_scope
from eenloket.residents.models import Resident

from . import access

# What the row was about, in words a resident understands.
OBJECT_LABELS = {
    "resident": gettext_lazy("Uw naam, adres en andere persoonsgegevens"),
    "household-member": gettext_lazy("Gegevens van uw huishouden"),
    "contact-moment": gettext_lazy("Een contact met u (vraag en antwoord)"),
    "contact-history": gettext_lazy("Uw eerdere contacten"),
    "contact-list": gettext_lazy("Uw eerdere contacten"),
    "referral": gettext_lazy("Een doorverwijzing"),
    "referral-list": gettext_lazy("Uw doorverwijzingen"),
    "live-consult": gettext_lazy("Overleg tussen medewerkers over uw vraag"),
    "letter": gettext_lazy("Een brief aan u"),
    "message": gettext_lazy("Een bericht aan u"),
    "message-list": gettext_lazy("Berichten aan u"),
    "print-batch": gettext_lazy("Een brief die per post ging"),
    "representative": gettext_lazy("Wie u vertegenwoordigt"),
    "task": gettext_lazy("Een taak om u te helpen (bijvoorbeeld terugbellen)"),
    "task-list": gettext_lazy("Taken om u te helpen"),
    "work-list": gettext_lazy("Taken om u te helpen"),
    "helped-check": gettext_lazy("De vraag of u geholpen bent"),
    "appointment": gettext_lazy("Een afspraak"),
    "tracked_request": gettext_lazy("Een verzoek met een wettelijke termijn"),
    "case": gettext_lazy("Uw casus (plan en afspraken bij meerdere problemen)"),
    "doorbraak": gettext_lazy("Een verzoek om een besluit te pauzeren of aan te passen"),
    "arrears-signal": gettext_lazy("Een melding van een betalingsachterstand"),
    "access-log": gettext_lazy("Dit logboek zelf"),
    "inzage": gettext_lazy("Dit overzicht"),
}
ACTION_LABELS = {
    "read": gettext_lazy("bekeken"),
    "search": gettext_lazy("gezocht"),
    "create": gettext_lazy("vastgelegd"),
    "update": gettext_lazy("gewijzigd"),
}
# Rows in the PDF (each a group, newest first): a letter a person reads, made within a request
# (WeasyPrint lays out ~300 rows in a few seconds); the JSON holds every row.
GROUP_LIMIT = 300


def object_label(object_type: str) -> str:
    label = OBJECT_LABELS.get(object_type)
    return str(label) if label is not None else object_type


def role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role or _("medewerker")


def purpose_label(purpose: str) -> str:
    return _(purpose) if purpose else ""


@dataclass
class Inzage:
    """What the export is about and who asked for it."""

    title: str
    subjects: list  # pseudonymised ids
    organisation: Organisation  # the privacy officer's organisation (letterhead)
    resident: Resident | None = None
    case: object = None
    filter: Q | None = None

    def rows(self):
        qs = AccessLog.objects.filter(data_subject_id__in=self.subjects)
        if self.filter is not None:
            qs = qs.filter(self.filter)
        return qs


def _officer_organisation(user, organisation_id=None) -> Organisation:
    scope = get_scope(user)
    if not is_privacy_officer(scope):
        raise PermissionDenied(_("Alleen de privacyfunctionaris maakt dit overzicht."))
    ids = [org for org, role in scope.organisation_roles if role in AUDIT_ROLES]
    if organisation_id is not None:
        ids = [i for i in ids if i == organisation_id]
        if not ids:
            raise PermissionDenied(_("U bent geen privacyfunctionaris van deze organisatie."))
    return Organisation.objects.get(pk=sorted(ids)[0])


def for_resident(user, bsn: str) -> Inzage:
    """A privacy officer's overview for one resident, across every organisation (the resident's
    right of access covers the whole platform). The resident need not be in the register."""
    organisation = _officer_organisation(user)
    bsn = normalise_bsn(bsn)
    validate_bsn(bsn)
    resident = Resident.objects.filter(bsn=bsn).select_related("municipality").first()
    subjects = [pseudonymise(bsn)]
    if resident is not None:
        subjects.append(pseudonymise(str(resident.uuid)))
    return Inzage(
        title=_("Wie heeft uw gegevens gebruikt?"),
        subjects=subjects,
        organisation=organisation,
        resident=resident,
    )


def for_case(user, case_uuid) -> Inzage:
    """The same overview for one case: every read and change of the case and its doorbraak
    requests, by any organisation. For the privacy officer of the case's municipality, and the
    case manager (who explains it to the resident)."""
    from .models import Case

    case = Case.objects.select_related("resident", "municipality").filter(uuid=case_uuid).first()
    if case is None:
        raise NotFound(_("Deze casus bestaat niet of uw organisatie mag hem niet zien."))
    scope = get_scope(user)
    if not access.is_owner(scope, case):
        _officer_organisation(user, case.municipality_id)
    doorbraak = [str(u) for u in case.doorbraak_requests.values_list("uuid", flat=True)]
    resident = case.resident
    from eenloket.core.audit import subject_of

    return Inzage(
        title=_("Wie heeft casus %(reference)s gebruikt?") % {"reference": case.reference},
        subjects=[subject_of(resident)[1]],
        organisation=case.municipality,
        resident=resident,
        case=case,
        filter=Q(object_type="case", object_id=str(case.uuid))
        | Q(object_type="doorbraak", object_id__in=doorbraak),
    )


def log_export(user, inzage: Inzage, *, fmt: str, channel="ui") -> None:
    """The export is itself a processing of the resident's data: logged."""
    scope = get_scope(user)
    code = next(
        (c for pk, c, _t in scope.organisations if pk == inzage.organisation.pk),
        scope.primary_organisation_code,
    )
    if inzage.resident is not None:
        log_access(
            user=user,
            organisation_code=code,
            residents=[inzage.resident],
            activity=Activity.INZAGE,
            action=Action.READ,
            channel=channel,
            object_type="inzage",
            object_id=f"{fmt}:{inzage.case.uuid}" if inzage.case else fmt,
        )
    else:
        from eenloket.core.audit import log_subjects

        log_subjects(
            user=user,
            organisation_code=code,
            subjects=[("BSN", inzage.subjects[0], fmt)],
            activity=Activity.INZAGE,
            action=Action.READ,
            channel=channel,
            object_type="inzage",
        )


def _names() -> dict[str, str]:
    return dict(Organisation.objects.values_list("code", "name"))


def stream_json(inzage: Inzage, *, language: str = "nl") -> Iterator[str]:
    """Every row, oldest first, as one JSON document written in chunks."""
    names = _names()
    head = {
        "titel": inzage.title,
        "gemaakt_op": timezone.now().isoformat(),
        "gemaakt_door_organisatie": inzage.organisation.name,
        "casus": inzage.case.reference if inzage.case else None,
        "uitleg": _(
            "Elke regel is één keer dat een organisatie uw gegevens gebruikte: wanneer, welke "
            "organisatie, in welke rol, welke gegevens en waarvoor. Namen van medewerkers staan "
            "er niet in."
        ),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "regels": ['
    first = True
    with translation.override(language):
        rows = (
            inzage.rows()
            .order_by("start_time", "id")
            .values_list(
                "start_time",
                "actor_organisation",
                "actor_role",
                "object_type",
                "purpose",
                "action",
                "channel",
                "processing_activity_id",
            )
        )
        for at, org, role, obj, purpose, action, channel, activity in rows.iterator(
            chunk_size=2000
        ):
            item = {
                "tijdstip": at.astimezone(AMSTERDAM).isoformat(),
                "organisatie": names.get(org, org),
                "rol": role_label(role),
                "gegevens": object_label(obj),
                "doel": purpose_label(purpose),
                "handeling": str(ACTION_LABELS.get(action, action)),
                "kanaal": channel,
                "verwerkingsactiviteit": activity,
            }
            yield ("" if first else ",") + json.dumps(item, ensure_ascii=False)
            first = False
    yield "]}"


@dataclass
class Group:
    day: dt.date
    organisation: str
    role: str
    what: str
    purpose: str
    times: int


def groups(inzage: Inzage, limit: int = GROUP_LIMIT) -> tuple[list[Group], int]:
    """Rows grouped per day, organisation, role, data and purpose (newest first), counted in
    the database; and the total number of rows."""
    names = _names()
    qs = inzage.rows()
    total = qs.count()
    grouped = (
        qs.annotate(day=TruncDate("start_time", tzinfo=AMSTERDAM))
        .values("day", "actor_organisation", "actor_role", "object_type", "purpose")
        .annotate(times=Count("id"), first=Min("start_time"), last=Max("start_time"))
        .order_by("-day", "actor_organisation", "actor_role", "object_type")[:limit]
    )
    return [
        Group(
            day=g["day"],
            organisation=names.get(g["actor_organisation"], g["actor_organisation"]),
            role=role_label(g["actor_role"]),
            what=object_label(g["object_type"]),
            purpose=purpose_label(g["purpose"]),
            times=g["times"],
        )
        for g in grouped
    ], total


def render_pdf(inzage: Inzage, *, language: str = "nl") -> bytes:
    """The overview as an accessible letter (PDF/UA-1) in B1 language."""
    from weasyprint import HTML

    from eenloket.messaging.services import letterhead_lines, resident_address_lines

    with translation.override(language):
        rows, total = groups(inzage)
        by_org: dict[str, int] = {}
        for g in rows:
            by_org[g.organisation] = by_org.get(g.organisation, 0) + g.times
        html = render_to_string(
            "cases/inzage_pdf.html",
            {
                "language": language,
                "inzage": inzage,
                "letterhead_lines": letterhead_lines(inzage.organisation),
                "address_lines": resident_address_lines(inzage.resident) if inzage.resident else [],
                "date": formatting.long_date(timezone.now()),
                "groups": [{**g.__dict__, "day_text": formatting.long_date(g.day)} for g in rows],
                "total": total,
                "shown": sum(g.times for g in rows),
                "organisations": sorted(by_org.items(), key=lambda kv: -kv[1]),
            },
        )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
