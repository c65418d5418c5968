"""Reads of the contact point, with the permission filter applied.

An intermediary reads only their own reports, and of those only what their trust level allows
(`IntermediaryView`): never the register, never who linked what. Another report, guessed or
not, is NotFound. Staff read the reports routed to their team (or, as team lead, to their
organisation); every read of one report by staff is in the access log (CONCERN_REPORT)."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from eenloket.core import permissions
from eenloket.core.audit import Action, Activity, log_subjects, pseudonymise, subject_of
from eenloket.core.errors import NotFound
from eenloket.organisations.models import Organisation
from eenloket.organisations.selectors import get_scope

from .models import ConcernReport, Intermediary, Urgency
from .services import intermediary_of

LIST_LIMIT = 200
NOT_FOUND = "Deze melding bestaat niet of is niet van u."


# ---- the intermediary's side --------------------------------------------------------------------
@dataclass(frozen=True)
class IntermediaryView:
    """A report as an intermediary may see it."""

    uuid: object
    created_at: dt.datetime
    urgency: str
    urgency_label: str
    resident_name: str
    concern: str
    state: str
    state_label: str
    answer: str
    answered_at: dt.datetime | None
    handler_name: str | None  # semi-professional and professional
    team_name: str | None  # semi-professional and professional
    handler_phone: str | None  # professional only
    attachment_names: tuple[str, ...]


def view_for(report: ConcernReport, intermediary: Intermediary) -> IntermediaryView:
    handler = report.handler
    sees_handler = intermediary.sees_handler and handler is not None
    team = report.team
    return IntermediaryView(
        uuid=report.uuid,
        created_at=report.created_at,
        urgency=report.urgency,
        urgency_label=str(report.get_urgency_display()),
        resident_name=report.resident_name,
        concern=report.concern,
        state=report.state,
        state_label=str(report.get_state_display()),
        answer=report.answer,
        answered_at=report.updated_at,
        handler_name=handler.get_full_name() if sees_handler else None,
        team_name=(team.name if team else report.organisation.name)
        if intermediary.sees_handler and handler is not None
        else None,
        handler_phone=(handler.direct_phone or None)
        if intermediary.sees_direct_phone and handler is not None
        else None,
        attachment_names=tuple(a.name for a in report.attachments.all()),
    )


def _require_intermediary(user) -> Intermediary:
    profile = intermediary_of(user)
    if profile is None:
        raise PermissionDenied(_("Alleen een intermediair van het contactpunt mag dit."))
    return profile


def _own(user):
    profile = _require_intermediary(user)
    qs = (
        ConcernReport.objects.filter(intermediary=profile)
        .select_related("handler", "team", "organisation")
        .prefetch_related("attachments")
        .defer("attachments__content")
    )
    return profile, qs


def my_reports(user) -> list[IntermediaryView]:
    """The intermediary's own reports, newest first (at most LIST_LIMIT)."""
    profile, qs = _own(user)
    return [view_for(r, profile) for r in qs.order_by("-created_at", "-id")[:LIST_LIMIT]]


def my_report(user, report_uuid) -> IntermediaryView:
    profile, qs = _own(user)
    try:
        report = qs.get(uuid=report_uuid)
    except (ConcernReport.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_(NOT_FOUND)) from exc
    except Exception as exc:  # a malformed uuid (ValidationError)
        raise NotFound(_(NOT_FOUND)) from exc
    return view_for(report, profile)


# ---- the staff side -----------------------------------------------------------------------------
def _handled_q(scope) -> Q:
    """Reports routed to the user's teams (contact role), or, without a team, to an organisation
    where they have a contact role; a team lead: all of the organisation's."""
    return (
        Q(organisation_id__in=scope.lead_organisation_ids)
        | Q(organisation_id__in=scope.contact_organisation_ids, team_id__in=scope.contact_team_ids)
        | Q(organisation_id__in=scope.contact_organisation_ids, team__isnull=True)
    )


def staff_reports(user, *, state: str = "open") -> QuerySet[ConcernReport]:
    """The reports this staff member handles (no intermediary ever: no membership)."""
    scope = get_scope(user)
    permissions.require(permissions.can_work_with_contacts, scope)
    qs = ConcernReport.objects.filter(_handled_q(scope)).select_related(
        "partner_organisation", "team", "organisation", "handler", "intermediary__user"
    )
    if state == "open":
        qs = qs.filter(state__in=["ontvangen", "in-behandeling"])
    elif state == "closed":
        qs = qs.filter(state__in=["afgerond", "doorgezet"])
    return qs.order_by("due_at", "id")


def log_report_reads(user, reports, *, channel: str = "ui") -> None:
    """One access-log row per report whose resident data a staff member saw (one INSERT): for
    the resident in the register when it is linked, else for the report (the resident as the
    intermediary described them)."""
    reports = list(reports)
    if not reports:
        return
    scope = get_scope(user)
    subjects = [
        (*subject_of(r.resident), str(r.uuid))
        if r.resident_id
        else ("zorgmelding-uuid", pseudonymise(str(r.uuid)), str(r.uuid))
        for r in reports
    ]
    log_subjects(
        user=user,
        organisation_code=scope.primary_organisation_code,
        subjects=subjects,
        activity=Activity.CONCERN_REPORT,
        action=Action.READ,
        channel=channel,
        object_type="zorgmelding",
    )


def get_staff_report(user, report_uuid, *, channel: str = "ui") -> ConcernReport:
    """One report for its handlers (NotFound for anyone else, as for one that does not exist);
    the read is logged."""
    scope = get_scope(user)
    permissions.require(permissions.can_work_with_contacts, scope)
    try:
        report = (
            ConcernReport.objects.filter(_handled_q(scope))
            .select_related(
                "partner_organisation",
                "team",
                "organisation",
                "handler",
                "intermediary__user",
                "resident",
                "linked_by",
                "task",
            )
            .get(uuid=report_uuid)
        )
    except Exception as exc:  # DoesNotExist, or not a uuid at all
        raise NotFound(_("Deze melding bestaat niet of is niet voor uw team.")) from exc
    log_report_reads(user, [report], channel=channel)
    return report


# ---- beheer -----------------------------------------------------------------------------------
def managed_municipality(user, wanted_code: str = "") -> Organisation:
    """The municipality whose contact point this user manages (functioneel beheerder)."""
    scope = get_scope(user)
    codes = [
        (pk, code)
        for pk, code, kind in scope.organisations
        if kind == "gemeente" and permissions.is_functional_admin(scope, pk)
    ]
    if not codes:
        raise PermissionDenied(str(permissions.refusal(permissions.is_functional_admin)))
    pk = next((pk for pk, code in codes if code == wanted_code), codes[0][0])
    return Organisation.objects.get(pk=pk)


def overview_municipality(user) -> Organisation:
    """The municipality of the overview: where the user is functioneel beheerder or team lead."""
    scope = get_scope(user)
    for pk, _code, kind in scope.organisations:
        if kind == "gemeente" and (
            permissions.is_functional_admin(scope, pk) or pk in scope.lead_organisation_ids
        ):
            return Organisation.objects.get(pk=pk)
    raise PermissionDenied(
        _("Alleen een functioneel beheerder of teamleider van de gemeente ziet dit overzicht.")
    )


def intermediaries_of(municipality) -> QuerySet[Intermediary]:
    return (
        Intermediary.objects.filter(municipality=municipality)
        .select_related("user", "organisation")
        .prefetch_related("invitations")
        .order_by("-is_active", "organisation__name", "user__last_name", "id")
    )


@dataclass
class OverviewRow:
    organisation: str
    urgency: str
    urgency_label: str
    total: int = 0
    answered: int = 0
    within_norm: int = 0
    open_overdue: int = 0

    @property
    def within_norm_percent(self) -> int | None:
        return round(100 * self.within_norm / self.total) if self.total else None


def overview(municipality, *, start: dt.datetime, end: dt.datetime, now) -> list[OverviewRow]:
    """Reports per partner organisation and urgency made in [start, end): how many, how many
    answered, how many within the norm, how many still unanswered past it."""
    rows: dict[tuple[str, str], OverviewRow] = {}
    order = list(Urgency.values)
    labels = dict(Urgency.choices)
    qs = ConcernReport.objects.filter(
        municipality=municipality, created_at__gte=start, created_at__lt=end
    ).values_list("partner_organisation__name", "urgency", "first_answered_at", "due_at")
    for name, urgency, answered, due in qs:
        key = (name, urgency)
        row = rows.get(key)
        if row is None:
            row = rows[key] = OverviewRow(name, urgency, str(labels[urgency]))
        row.total += 1
        if answered is not None:
            row.answered += 1
            if answered <= due:
                row.within_norm += 1
        elif due < now:
            row.open_overdue += 1
    return sorted(rows.values(), key=lambda r: (r.organisation, order.index(r.urgency)))
