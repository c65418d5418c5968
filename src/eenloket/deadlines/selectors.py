"""Reads of tracked requests, with the permission filter: the staff with a contact role in the
request's organisation see its requests (and the resident in them; every read logged); team
leads, managers and functioneel beheerders read the figures, which hold no personal data."""

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils.translation import gettext

from eenloket.core.audit import Action, Activity, log_access, log_subjects, subject_of
from eenloket.core.roles import REPORT_ROLES
from eenloket.organisations.models import Organisation
from eenloket.organisations.selectors import get_scope

from . import services, states
from .models import (
    DelayNotice,
    Extension,
    RequestState,
    Suspension,
    TrackedRequest,
    told_for_due_date,
)

RELATED = ("request_type", "organisation", "team", "handler", "resident")


def visible_requests(user):
    organisations = get_scope(user).contact_organisation_ids
    if not organisations:
        return TrackedRequest.objects.none()
    return TrackedRequest.objects.filter(organisation_id__in=organisations).select_related(*RELATED)


def with_notices(qs):
    """The day of the last notice, per row (a subquery: no GROUP BY over the whole list, so a
    limited list reads only its own rows)."""
    last = DelayNotice.objects.filter(request=OuterRef("pk")).order_by("-sent_on")
    return qs.annotate(last_notice_on=Subquery(last.values("sent_on")[:1]))


def log_read(user, request, via="ui"):
    if request.resident_id is None:
        return
    scope = get_scope(user)
    log_access(
        user=user,
        organisation_code=scope.primary_organisation_code,
        residents=[request.resident],
        activity=Activity.TERM_REQUEST,
        action=Action.READ,
        channel=via,
        object_type="tracked_request",
        object_id=str(request.uuid),
    )


def log_list(user, requests, via="ui"):
    """A list that shows residents (names, subjects) is a read of their data: one row per
    request with a resident, all in one INSERT."""
    subjects = [(*subject_of(r.resident), str(r.uuid)) for r in requests if r.resident_id]
    if subjects:
        log_subjects(
            user=user,
            organisation_code=get_scope(user).primary_organisation_code,
            subjects=subjects,
            activity=Activity.TERM_REQUEST,
            action=Action.READ,
            channel=via,
            object_type="tracked_request",
        )


def get_request(user, uuid, *, via="ui", log=True) -> TrackedRequest:
    try:
        request = (
            visible_requests(user)
            .prefetch_related(
                Prefetch("suspensions", Suspension.objects.order_by("starts_on", "id")),
                Prefetch(
                    "notices",
                    DelayNotice.objects.select_related(
                        "sent_by", "message", "message__letter", "extension"
                    ).order_by("sent_at"),
                ),
                Prefetch("extensions", Extension.objects.order_by("created_at", "id")),
            )
            .get(uuid=uuid)
        )
    except (TrackedRequest.DoesNotExist, ValueError):
        raise Http404 from None
    if log:
        log_read(user, request, via)
    return request


def available_actions(user, request) -> list[str]:
    return states.REQUEST.available_actions(request.state, services.parties(user, request), request)


def buttons(user, request) -> set[str]:
    return states.REQUEST.slugs(request.state, services.parties(user, request), request)


def open_for_resident(user, resident):
    return with_notices(
        visible_requests(user).filter(resident=resident, state__in=states.OPEN)
    ).order_by("due_date", "id")[:10]


# ---- the dashboard --------------------------------------------------------------------------------------
def report_organisations(user):
    """Organisations whose figures the user reads: a report role there, or a contact role."""
    scope = get_scope(user)
    ids = {org for org, role in scope.organisation_roles if role in REPORT_ROLES}
    ids |= set(scope.contact_organisation_ids)
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def _timely_notice():
    """Told in time about the current due date: the predicate the sweep uses too."""
    return told_for_due_date()


def watch_lists(user, organisation, *, team=None, on: dt.date):
    """Open requests of the organisation (or team) that the staff must act on: the term ends
    in the coming 7 days, or has passed. Only for staff of the organisation."""
    qs = with_notices(
        visible_requests(user).filter(organisation=organisation, state=RequestState.OPEN)
    )
    if team is not None:
        qs = qs.filter(team=team)
    week_end = on + dt.timedelta(days=7)
    qs = qs.annotate(told=_timely_notice()).order_by("due_date", "id")
    return {
        "this_week": list(qs.filter(due_date__gte=on, due_date__lte=week_end)[:50]),
        "passed": list(qs.filter(due_date__lt=on)[:50]),
        "suspended": visible_requests(user)
        .filter(organisation=organisation, state=RequestState.SUSPENDED)
        .filter(Q(team=team) if team is not None else Q())
        .count(),
    }


@dataclass
class TypeFigure:
    name: str
    decided: int
    median_days: float | None


@dataclass
class Figures:
    decided: int
    in_time: int
    late: int
    needed_more_time: int  # decided late, extended, or told the decision comes later
    timely_notice: int
    late_without_notice: int
    open_passed: int
    penalties_euros: int
    penalties_requests: int
    per_type: list

    @staticmethod
    def pct(part, whole):
        return round(100 * part / whole) if whole else None

    @property
    def pct_in_time(self):
        return self.pct(self.in_time, self.decided)

    @property
    def pct_timely_notice(self):
        return self.pct(self.timely_notice, self.needed_more_time)

    @property
    def pct_late_without_notice(self):
        return self.pct(self.late_without_notice, self.decided + self.open_passed)


def figures(organisation, *, start: dt.date, end: dt.date, team=None, on: dt.date) -> Figures:
    """Figures of requests decided in [start, end] (and open ones whose term passed in it):
    decided in time, a timely notice where more time was needed, late without notice, penalties
    owed (Awb 4:17) and the median lead time per request type. No personal data. Counted in the
    database; only the lead times (two dates a row) and the few requests with an
    ingebrekestelling are loaded."""
    base = TrackedRequest.objects.filter(organisation=organisation)
    if team is not None:
        base = base.filter(team=team)
    base = base.annotate(
        told=_timely_notice(), extended=Exists(Extension.objects.filter(request=OuterRef("pk")))
    )
    decided = base.filter(state=RequestState.DECIDED, decided_on__range=(start, end))
    passed = base.filter(
        state__in=states.OPEN, due_date__lt=min(on, end + dt.timedelta(days=1)), due_date__gte=start
    )
    late = Q(decided_in_time=False)
    d = decided.aggregate(
        decided=Count("id"),
        in_time=Count("id", filter=Q(decided_in_time=True)),
        late=Count("id", filter=late),
        more=Count("id", filter=late | Q(extended=True) | Q(told=True)),
        more_told=Count("id", filter=(late | Q(extended=True) | Q(told=True)) & Q(told=True)),
        late_silent=Count("id", filter=late & Q(told=False)),
    )
    p = passed.aggregate(
        passed=Count("id"),
        passed_told=Count("id", filter=Q(told=True)),
        passed_silent=Count("id", filter=Q(told=False)),
    )
    penalties = [
        services.penalty(r, on)[1]
        for r in (decided | passed)
        .filter(default_notice_on__isnull=False, request_type__penalty_applies=True)
        .select_related("request_type")
    ]
    per_type, names = {}, {}
    for type_id, name, shared, received, closed in decided.values_list(
        "request_type_id",
        "request_type__name",
        "request_type__organisation_id",
        "received_on",
        "decided_on",
    ):
        names[type_id] = gettext(name) if shared is None else name
        per_type.setdefault(type_id, []).append((closed - received).days)
    return Figures(
        decided=d["decided"],
        in_time=d["in_time"],
        late=d["late"],
        needed_more_time=d["more"] + p["passed"],
        timely_notice=d["more_told"] + p["passed_told"],
        late_without_notice=d["late_silent"] + p["passed_silent"],
        open_passed=p["passed"],
        penalties_euros=sum(penalties),
        penalties_requests=sum(1 for euros in penalties if euros),
        per_type=sorted(
            (
                TypeFigure(names[type_id], len(days), statistics.median(days))
                for type_id, days in per_type.items()
            ),
            key=lambda t: t.name,
        ),
    )
