"""Reads of cases, with the consent check (cases/access.py) and the access log written with the
purpose: the case manager's reads as casusregie, a partner's with the purposes of its consents."""

import datetime as dt
import uuid as uuidlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from eenloket.appointments.models import Appointment
from eenloket.contacts.models import ContactMoment
from eenloket.core import formatting, permissions
from eenloket.core.audit import Action, Activity, log_access
from eenloket.core.errors import NotFound
from eenloket.core.roles import CASE_ROLES, REPORT_ROLES
from eenloket.deadlines.models import TrackedRequest
from eenloket.messaging.models import Message
from eenloket.organisations.models import Organisation
from eenloket.organisations.selectors import get_scope
from eenloket.referrals.models import Referral

from . import access, services, states
from .access import CaseView
from .models import (
    ArrearsSignal,
    Case,
    CaseAction,
    CasePart,
    CaseParty,
    CaseStatus,
    Conference,
    Consent,
    DoorbraakRequest,
    DoorbraakState,
    Mandate,
    Problem,
    RefusalReason,
)

TIMELINE_LIMIT = 60


def _not_found():
    return NotFound(_("Deze casus bestaat niet of uw organisatie mag hem niet zien."))


def _cases():
    return Case.objects.select_related(
        "municipality", "case_manager", "resident", "household"
    ).prefetch_related(
        Prefetch("consents", queryset=Consent.objects.select_related("organisation")),
        Prefetch(
            "parties",
            queryset=CaseParty.objects.select_related("organisation", "contact_person"),
        ),
    )


def _log(user, view: CaseView, *, action=Action.READ, channel="ui"):
    log_access(
        user=user,
        organisation_code=view.organisation_code,
        residents=[view.case.resident],
        activity=Activity.CASE_WORK if view.owner else Activity.CASE_SHARE,
        action=action,
        channel=channel,
        object_type="case",
        object_id=str(view.case.uuid),
        purpose=view.purpose,
    )


def case_list(user, *, status: str = CaseStatus.OPEN, mine: bool = False, now=None) -> list:
    """The cases this user may see: their municipality's (case managers, team leads) and those
    another organisation shared with theirs (active consent), newest first, at most 200. A list
    shows no personal data beyond the case's title and reference: not logged per row.

    The newest 200 ids are picked first from each source (an index walk each, no DISTINCT over
    the joins), the counts are made for those 200 only: the list stays fast with tens of
    thousands of cases in a municipality."""
    scope = get_scope(user)
    if not permissions.can_work_with_contacts(scope):
        raise PermissionDenied(_("U werkt niet met inwoners."))
    owned = {org for org, role in scope.organisation_roles if role in access.OWNER_ROLES}
    today = access.today_local(now)
    limit = 200
    base = Case.objects.all()
    if status:
        base = base.filter(status=status)
    if mine:
        base = base.filter(case_manager=user)
    newest = ("-opened_at", "-id")
    picked = list(
        base.filter(municipality_id__in=owned)
        .order_by(*newest)
        .values_list("opened_at", "id")[:limit]
    )
    if status in ("", CaseStatus.OPEN) and not mine and scope.contact_organisation_ids:
        active = Consent.objects.filter(
            case=OuterRef("pk"),
            organisation_id__in=scope.contact_organisation_ids,
            revoked_at__isnull=True,
            valid_from__lte=today,
            valid_until__gte=today,
        )
        picked += list(
            base.filter(Exists(active), status=CaseStatus.OPEN)
            .exclude(municipality_id__in=owned)
            .order_by(*newest)
            .values_list("opened_at", "id")[:limit]
        )
    ids = [pk for _at, pk in sorted(set(picked), reverse=True)[:limit]]
    open_actions = (
        CaseAction.objects.filter(case=OuterRef("pk"), status="open")
        .order_by()
        .values("case")
        .annotate(n=Count("id"))
        .values("n")
    )
    open_doorbraak = (
        DoorbraakRequest.objects.filter(case=OuterRef("pk"), state__in=states.OPEN)
        .order_by()
        .values("case")
        .annotate(n=Count("id"))
        .values("n")
    )
    rows = (
        _cases()
        .filter(pk__in=ids)
        .annotate(
            open_actions=Coalesce(Subquery(open_actions), 0),
            open_doorbraak=Coalesce(Subquery(open_doorbraak), 0),
        )
    )
    views = [access.view_for(scope, c, now) for c in rows.order_by(*newest)]
    return [v for v in views if v]


def get_case(user, case_uuid, *, channel: str = "ui", now=None) -> CaseView:
    """One case as far as this user's organisation may see it; logged with the purpose."""
    scope = get_scope(user)
    try:
        case = _cases().get(uuid=case_uuid)
    except (Case.DoesNotExist, ValidationError, ValueError) as exc:
        raise _not_found() from exc
    view = access.view_for(scope, case, now)
    if not view:
        raise _not_found()
    _log(user, view, channel=channel)
    return view


def open_cases_for_resident(user, resident, now=None) -> list[CaseView]:
    scope = get_scope(user)
    resident = getattr(resident, "resident", resident)
    rows = _cases().filter(resident=resident, status=CaseStatus.OPEN)
    return [v for v in (access.view_for(scope, c, now) for c in rows) if v]


@dataclass
class CaseDetail:
    view: CaseView
    parties: list
    consents: list
    problems: list
    actions: list
    updates: list
    doorbraak: list
    conferences: list
    spending: list


def detail(view: CaseView) -> CaseDetail:
    """The parts of the case the view allows (the selector already logged the read)."""
    case = view.case
    problems = actions = updates = []
    if view.shows(CasePart.PROBLEMS):
        problems = [
            p
            for p in Problem.objects.filter(case=case).select_related("recorded_by")
            if view.shows_domain(p.domain)
        ]
    if view.shows(CasePart.PLAN):
        actions = [
            a
            for a in CaseAction.objects.filter(case=case).select_related("owner")
            if view.shows_domain(a.domain)
        ]
    updates = [
        u
        for u in case.updates.select_related("organisation", "author")
        if view.owner
        or u.organisation_id == view.organisation_id
        or (view.shows(CasePart.TIMELINE) and view.shows_domain(u.domain))
    ][:50]
    doorbraak = DoorbraakRequest.objects.filter(case=case).select_related("to_organisation")
    conferences = Conference.objects.filter(case=case, cancelled_at__isnull=True)
    if not view.owner:
        doorbraak = doorbraak.filter(to_organisation_id=view.organisation_id)
        conferences = conferences.filter(organisations=view.organisation_id)
    consents = list(case.consents.all())
    if not view.owner:
        consents = [c for c in consents if c.organisation_id == view.organisation_id]
    return CaseDetail(
        view=view,
        parties=list(case.parties.all()),
        consents=consents,
        problems=problems,
        actions=actions,
        updates=updates,
        doorbraak=list(doorbraak),
        conferences=list(conferences.prefetch_related("organisations")),
        spending=list(case.spending.all()) if view.owner else [],
    )


# ---- the timeline ------------------------------------------------------------------------------
@dataclass
class TimelineItem:
    at: dt.datetime
    kind: str
    organisation: str
    title: str
    detail: str = ""


def _sharing_organisations(case, today) -> set[int]:
    """Organisations whose own records flow into the case: the owner and every party with an
    active basis (information flows both ways only where that is allowed)."""
    ids = {case.municipality_id}
    ids |= {c.organisation_id for c in case.consents.all() if c.is_active(today)}
    return ids


def timeline(view: CaseView, now=None, limit: int = TIMELINE_LIMIT) -> list[TimelineItem]:
    """Everything related to the case, newest first: contacts, referrals, appointments,
    letters and messages, requests with a legal term (of the sharing organisations, since the
    case opened, for the resident), and the case's own events."""
    if not view.shows(CasePart.TIMELINE):
        return []
    case = view.case
    today = access.today_local(now)
    orgs = _sharing_organisations(case, today)
    since = case.opened_at - dt.timedelta(days=90)
    names = dict(Organisation.objects.filter(pk__in=orgs).values_list("pk", "name"))
    items: list[TimelineItem] = []
    for c in ContactMoment.objects.filter(
        resident=case.resident, organisation_id__in=orgs, created_at__gte=since
    ).order_by("-created_at")[:limit]:
        items.append(
            TimelineItem(
                c.created_at,
                _("Contact"),
                names.get(c.organisation_id, ""),
                c.question[:140],
                c.get_channel_display(),
            )
        )
    for r in (
        Referral.objects.filter(
            Q(from_organisation_id__in=orgs) | Q(to_organisation_id__in=orgs),
            resident=case.resident,
            created_at__gte=since,
        )
        .select_related("from_organisation", "to_organisation")
        .order_by("-created_at")[:limit]
    ):
        items.append(
            TimelineItem(
                r.created_at,
                _("Doorverwijzing"),
                r.from_organisation.name,
                _("Naar %(org)s") % {"org": r.to_organisation.name},
                r.get_state_display(),
            )
        )
    for a in (
        Appointment.objects.filter(
            resident=case.resident, parts__organisation_id__in=orgs, starts_at__gte=since
        )
        .select_related("location")
        .distinct()
        .order_by("-starts_at")[:limit]
    ):
        items.append(
            TimelineItem(
                a.starts_at,
                _("Afspraak"),
                a.location.name,
                a.title or a.reference,
                a.get_state_display(),
            )
        )
    for m in Message.objects.filter(
        resident=case.resident, organisation_id__in=orgs, created_at__gte=since
    ).order_by("-created_at")[:limit]:
        items.append(
            TimelineItem(
                m.created_at,
                _("Bericht"),
                names.get(m.organisation_id, ""),
                m.subject or m.template_key,
                m.get_channel_display(),
            )
        )
    for t in TrackedRequest.objects.filter(
        resident=case.resident, organisation_id__in=orgs, created_at__gte=since
    ).order_by("-created_at")[:limit]:
        detail = (
            _("Uiterlijk besluiten op %(date)s") % {"date": formatting.long_date(t.due_date)}
            if t.due_date
            else t.get_state_display()
        )
        items.append(
            TimelineItem(
                t.created_at,
                _("Verzoek met termijn"),
                names.get(t.organisation_id, ""),
                t.subject,
                detail,
            )
        )
    for d in DoorbraakRequest.objects.filter(case=case).select_related("to_organisation"):
        if view.owner or d.to_organisation_id == view.organisation_id:
            items.append(
                TimelineItem(
                    d.requested_at,
                    _("Doorbraakverzoek"),
                    d.to_organisation.name,
                    d.get_kind_display(),
                    d.get_state_display(),
                )
            )
    items.sort(key=lambda i: i.at, reverse=True)
    return items[:limit]


# ---- doorbraak -----------------------------------------------------------------------------------
def doorbraak_inbox(user, *, open_only: bool = True) -> list[DoorbraakRequest]:
    """Doorbraak requests to the user's organisation(s): the oldest answer date first."""
    scope = get_scope(user)
    if not scope.contact_organisation_ids:
        raise PermissionDenied(_("U werkt niet met inwoners."))
    qs = DoorbraakRequest.objects.filter(
        to_organisation_id__in=scope.contact_organisation_ids
    ).select_related("case__municipality", "to_organisation", "requested_by")
    if open_only:
        qs = qs.filter(state__in=states.OPEN)
    return list(qs.order_by("answer_by", "id")[:200])


def get_doorbraak(user, request_uuid, *, channel="ui") -> tuple[DoorbraakRequest, frozenset]:
    """One doorbraak request for the organisation asked or the case's owner; logged."""
    try:
        request = DoorbraakRequest.objects.select_related(
            "case__municipality",
            "case__resident",
            "case__case_manager",
            "to_organisation",
            "requested_by",
            "answered_by",
            "mandate",
        ).get(uuid=request_uuid)
    except (DoorbraakRequest.DoesNotExist, ValidationError, ValueError) as exc:
        raise NotFound(_("Dit doorbraakverzoek bestaat niet of u mag het niet zien.")) from exc
    parties = services.doorbraak_parties(user, request)
    if not parties:
        raise NotFound(_("Dit doorbraakverzoek bestaat niet of u mag het niet zien."))
    scope = get_scope(user)
    org_id = (
        request.case.municipality_id
        if states.CASE_OWNER in parties
        else (request.to_organisation_id)
    )
    code = next((c for pk, c, _t in scope.organisations if pk == org_id), "")
    log_access(
        user=user,
        organisation_code=code,
        residents=[request.case.resident],
        activity=Activity.DOORBRAAK,
        action=Action.READ,
        channel=channel,
        object_type="doorbraak",
        object_id=str(request.uuid),
    )
    return request, parties


def mandates_for_case(case, today=None) -> list[Mandate]:
    today = today or timezone.localdate()
    return [
        m
        for m in Mandate.objects.filter(municipality_id=case.municipality_id).select_related(
            "organisation"
        )
        if m.is_active(today)
    ]


@dataclass
class PatternRow:
    organisation: str
    kind: str
    total: int
    granted: int
    partly: int
    refused: int
    open: int
    median_days: float | None
    reasons: list
    rules: list


def obstacle_patterns(user, *, since: dt.date, until: dt.date) -> list[PatternRow]:
    """The "belemmerende patronen" report for a municipality's management: per organisation
    asked and kind, how often granted, partly, refused, still open; the median days to an
    answer; the refusal reasons and the rules named as standing in the way."""
    scope = get_scope(user)
    municipalities = {
        org for org, role in scope.organisation_roles if role in REPORT_ROLES | CASE_ROLES
    }
    if not municipalities:
        raise PermissionDenied(_("Dit overzicht is voor management, teamleiders en casemanagers."))
    rows = DoorbraakRequest.objects.filter(
        case__municipality_id__in=municipalities,
        requested_at__date__gte=since,
        requested_at__date__lte=until,
    ).select_related("to_organisation")
    groups: dict[tuple, list] = {}
    for r in rows:
        groups.setdefault((r.to_organisation.name, r.get_kind_display()), []).append(r)
    result = []
    for (org, kind), items in sorted(groups.items()):
        days = sorted(
            (r.answered_at - r.requested_at).total_seconds() / 86400
            for r in items
            if r.answered_at and r.answered_by_id
        )
        median = None
        if days:
            mid = len(days) // 2
            median = days[mid] if len(days) % 2 else (days[mid - 1] + days[mid]) / 2
        reasons: dict[str, int] = {}
        rules: dict[str, int] = {}
        for r in items:
            if r.refusal_reason:
                label = str(RefusalReason(r.refusal_reason).label)
                reasons[label] = reasons.get(label, 0) + 1
            if r.obstructing_rule:
                rules[r.obstructing_rule] = rules.get(r.obstructing_rule, 0) + 1
        result.append(
            PatternRow(
                organisation=org,
                kind=kind,
                total=len(items),
                granted=sum(r.state == DoorbraakState.GRANTED for r in items),
                partly=sum(r.state == DoorbraakState.PARTLY for r in items),
                refused=sum(r.state == DoorbraakState.REFUSED for r in items),
                open=sum(r.state in states.OPEN for r in items),
                median_days=median,
                reasons=sorted(reasons.items(), key=lambda kv: -kv[1]),
                rules=sorted(rules.items(), key=lambda kv: -kv[1])[:5],
            )
        )
    result.sort(key=lambda r: (-r.refused, -r.total))
    return result


# ---- early signals --------------------------------------------------------------------------------
def signal_list(user, *, open_only: bool = True) -> list[ArrearsSignal]:
    scope = get_scope(user)
    municipalities = [
        pk
        for pk, _c, t in scope.organisations
        if t == "gemeente" and pk in scope.contact_organisation_ids
    ]
    if not municipalities:
        raise PermissionDenied(_("Signalen van betalingsachterstanden zijn voor de gemeente."))
    qs = (
        ArrearsSignal.objects.filter(municipality_id__in=municipalities, joined_to__isnull=True)
        .select_related("reporter", "resident", "handled_by")
        .annotate(joined_count=Count("joined"))
    )
    if open_only:
        qs = qs.filter(outcome="")
    rows = list(qs.order_by("offer_due_on", "received_at")[:200])
    code = next((c for pk, c, _t in scope.organisations if pk in municipalities), "")
    log_access(
        user=user,
        organisation_code=code,
        residents=[s.resident for s in rows if s.resident_id],
        activity=Activity.EARLY_SIGNAL,
        action=Action.READ,
        channel="ui",
        object_type="arrears-signal",
    )
    return rows


def get_signal(user, signal_uuid, *, channel="ui") -> ArrearsSignal:
    try:
        signal = ArrearsSignal.objects.select_related(
            "reporter", "resident", "municipality", "joined_to", "handled_by"
        ).get(uuid=signal_uuid)
    except (ArrearsSignal.DoesNotExist, ValidationError, ValueError) as exc:
        raise NotFound(_("Dit signaal bestaat niet of u mag het niet zien.")) from exc
    if not services.may_handle_signal(user, signal):
        raise NotFound(_("Dit signaal bestaat niet of u mag het niet zien."))
    scope = get_scope(user)
    code = next((c for pk, c, _t in scope.organisations if pk == signal.municipality_id), "")
    if signal.resident_id:
        log_access(
            user=user,
            organisation_code=code,
            residents=[signal.resident],
            activity=Activity.EARLY_SIGNAL,
            action=Action.READ,
            channel=channel,
            object_type="arrears-signal",
            object_id=str(signal.uuid),
        )
    return signal


def is_uuid(value) -> bool:
    try:
        uuidlib.UUID(str(value))
    except ValueError:
        return False
    return True
