"""Reads of complaints, with the permission filter and the access log.

Who sees a complaint (with the resident's data):
- the klachtcoördinatoren of every organisation involved (a part of theirs): the shared part
  (the complaint, the resident, the thread) and each part's state and judgement;
- the handler of a part: the complaint and their part (with their notes);
- the employee concerned: only the copy given to them (Awb 9:9), through `get_copy`, without
  the handler's notes or the thread.
Anyone else: NotFound (a 404: they do not learn that it exists). Every read is logged."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from eenloket.core.audit import Action, Activity, log_access
from eenloket.core.errors import NotFound
from eenloket.core.roles import REPORT_ROLES
from eenloket.organisations.models import Organisation
from eenloket.organisations.selectors import get_scope

from . import services, states
from .models import Complaint, ComplaintPart, Finding, HandlerNote, LessonCategory, PartState

S = PartState


def _not_found():
    return NotFound(_("Deze klacht bestaat niet of u mag hem niet zien."))


def _coordinated(user) -> set[int]:
    return {
        org
        for org, role in get_scope(user).organisation_roles
        if role in services.COORDINATOR_ROLES
    }


def _log(user, complaint, organisation_code, channel, action=Action.READ, object_type="complaint"):
    if complaint.resident_id is None:
        return
    log_access(
        user=user,
        organisation_code=organisation_code,
        residents=[complaint.resident],
        activity=Activity.COMPLAINT,
        action=action,
        channel=channel,
        object_type=object_type,
        object_id=str(complaint.uuid),
    )


@dataclass
class PartView:
    part: ComplaintPart
    parties: frozenset
    actions: list  # the Step rows this user can take now (buttons, available_actions)
    notes: list = field(default_factory=list)  # only for its handler and coordinators
    may_see_notes: bool = False

    @property
    def slugs(self) -> set:
        return {s.slug for s in self.actions}


@dataclass
class ComplaintView:
    complaint: Complaint
    parts: list  # PartView, lead organisation first
    coordinator: bool  # a coordinator of an organisation involved (sees the thread)
    organisation_code: str

    @property
    def available_actions(self) -> list[str]:
        return list(dict.fromkeys(s.action for pv in self.parts for s in pv.actions))

    @property
    def mine(self) -> list:
        return [pv for pv in self.parts if pv.parties]


def _complaints():
    return Complaint.objects.select_related(
        "resident", "lead_organisation", "contact", "registered_by"
    ).prefetch_related(
        Prefetch(
            "parts",
            queryset=ComplaintPart.objects.select_related(
                "organisation",
                "team",
                "employee",
                "service",
                "handler",
                "tracked_request",
                "override_by",
                "hearing_appointment",
            ).order_by("id"),
        )
    )


def visible_filter(user) -> Q:
    coordinated = _coordinated(user)
    # The person complained about is no party to the complaint, whatever their role: they read
    # only the copy they were given (Awb 9:7 lid 1, 9:9).
    subject = Complaint.objects.filter(parts__employee_id=user.pk).values("pk")
    return (Q(parts__organisation_id__in=coordinated) | Q(parts__handler_id=user.pk)) & ~Q(
        pk__in=subject
    )


def get_complaint(user, uuid, *, channel: str = "ui") -> ComplaintView:
    """One complaint for a coordinator of an organisation involved or a handler; NotFound else."""
    if not getattr(user, "is_authenticated", False):
        raise _not_found()
    complaint = _complaints().filter(uuid=uuid).first()
    if complaint is None:
        raise _not_found()
    coordinated = _coordinated(user)
    parts = list(complaint.parts.all())
    complaint.subject_ids = {p.employee_id for p in parts if p.employee_id}
    if user.pk in complaint.subject_ids:
        raise _not_found()  # the person complained about reads the copy, not the file
    for part in parts:
        part.complaint = complaint
    involved = [p for p in parts if p.organisation_id in coordinated or p.handler_id == user.pk]
    if not involved:
        raise _not_found()
    lead_first = sorted(
        parts, key=lambda p: (p.organisation_id != complaint.lead_organisation_id, p.id)
    )
    views = []
    note_parts = set()
    for part in lead_first:
        who = services.parties(user, part)
        actions = states.PART.available(part.state, who, part)
        may_notes = bool(who & {states.HANDLER, states.COORDINATOR})
        if may_notes:
            note_parts.add(part.pk)
        views.append(PartView(part=part, parties=who, actions=actions, may_see_notes=may_notes))
    if note_parts:
        notes = defaultdict(list)
        for note in HandlerNote.objects.filter(part_id__in=note_parts).select_related("author"):
            notes[note.part_id].append(note)
        for pv in views:
            pv.notes = notes.get(pv.part.pk, [])
    org = involved[0].organisation
    view = ComplaintView(
        complaint=complaint,
        parts=views,
        coordinator=bool({p.organisation_id for p in parts} & coordinated),
        organisation_code=org.code,
    )
    _log(user, complaint, org.code, channel)
    return view


def thread(view: ComplaintView) -> list:
    if not view.coordinator:
        return []
    return list(view.complaint.messages.select_related("author", "organisation"))


def get_copy(user, part_uuid, *, channel: str = "ui") -> ComplaintPart:
    """The copy of the complaint for the employee it is about (Awb 9:9): the complaint and how
    far it is, never the notes or the thread."""
    part = (
        ComplaintPart.objects.select_related(
            "complaint", "complaint__resident", "organisation", "team", "handler"
        )
        .filter(uuid=part_uuid, employee_id=getattr(user, "pk", None), copy_sent_at__isnull=False)
        .first()
    )
    if part is None:
        raise _not_found()
    _log(user, part.complaint, part.organisation.code, channel, object_type="complaint-copy")
    return part


def complaint_list(user, *, state: str = "open", limit: int = 200) -> list:
    """The complaints this user coordinates or handles, newest first. Only reference, date,
    organisations and state: no personal data beyond that, not logged per row."""
    if not getattr(user, "is_authenticated", False):
        return []
    qs = Complaint.objects.filter(visible_filter(user)).distinct()
    if state == "open":
        qs = qs.filter(parts__state__in=list(states.OPEN))
    elif state == "gesloten":
        qs = qs.exclude(parts__state__in=list(states.OPEN))
    ids = list(qs.order_by("-received_on", "-id").values_list("id", flat=True)[:limit])
    rows = list(_complaints().filter(id__in=ids).order_by("-received_on", "-id"))
    return rows


def may_read_figures(user, organisation) -> bool:
    scope = get_scope(user)
    return any(
        org == organisation.pk and (role in services.COORDINATOR_ROLES or role in REPORT_ROLES)
        for org, role in scope.organisation_roles
    )


def figure_organisations(user) -> list:
    scope = get_scope(user)
    ids = {
        org
        for org, role in scope.organisation_roles
        if role in services.COORDINATOR_ROLES or role in REPORT_ROLES
    }
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def year_overview(organisation, year: int) -> dict:
    """The yearly overview of Awb 9:12a for one organisation: its parts of complaints received
    that year. Figures only (no personal data)."""
    parts = list(
        ComplaintPart.objects.filter(organisation=organisation, complaint__received_on__year=year)
        .select_related("complaint", "team", "service", "tracked_request")
        .order_by("id")
    )
    formal = [p for p in parts if p.formal_at is not None]
    informal = [p for p in parts if p.state == S.RESOLVED and p.formal_at is None]
    closed = [p for p in formal if p.state == S.CLOSED]
    days = [
        (p.closed_at.date() - p.complaint.received_on).days
        for p in closed + informal
        if p.closed_at is not None
    ]
    within = [
        p for p in closed if p.tracked_request_id and p.tracked_request.decided_in_time is True
    ]
    findings = Counter(p.finding for p in closed if p.finding)
    subjects = Counter(
        (p.team.name if p.team_id else "")
        or (p.service.name if p.service_id else "")
        or _("De organisatie als geheel")
        for p in parts
    )
    lessons = [
        {
            "reference": p.complaint.reference,
            "category": str(LessonCategory(p.lesson_category).label) if p.lesson_category else "",
            "cause": p.lesson_cause,
            "improvement": p.lesson_improvement,
            "team": p.team.name if p.team_id else "",
        }
        for p in parts
        if p.lesson_category or p.lesson_improvement
    ]
    return {
        "organisation": organisation.name,
        "organisation_code": organisation.code,
        "year": year,
        "received": len(parts),
        "informal": len(informal),
        "formal": len(formal),
        "withdrawn": sum(1 for p in parts if p.state == S.WITHDRAWN),
        "open": sum(1 for p in parts if p.state in states.OPEN),
        "findings": {f.value: findings.get(f.value, 0) for f in Finding},
        "finding_labels": {f.value: str(f.label) for f in Finding},
        "subjects": dict(subjects.most_common()),
        "average_days": round(sum(days) / len(days), 1) if days else None,
        "answered": len(closed),
        "within_term": len(within),
        "lessons": lessons,
    }


def lessons_rollup(organisations) -> list[dict]:
    """Lessons learned per organisation and team: per category the number, the causes and the
    improvements (figures and the staff's own words; no personal data)."""
    parts = (
        ComplaintPart.objects.filter(organisation__in=organisations)
        .exclude(lesson_category="")
        .select_related("organisation", "team", "complaint")
        .order_by("organisation__name", "team__name", "id")
    )
    groups: dict = {}
    for p in parts:
        key = (p.organisation.name, p.team.name if p.team_id else _("Hele organisatie"))
        group = groups.setdefault(key, {"organisation": key[0], "team": key[1], "categories": {}})
        cat = group["categories"].setdefault(
            p.lesson_category,
            {"label": str(LessonCategory(p.lesson_category).label), "count": 0, "items": []},
        )
        cat["count"] += 1
        cat["items"].append(
            {
                "reference": p.complaint.reference,
                "cause": p.lesson_cause,
                "improvement": p.lesson_improvement,
            }
        )
    return list(groups.values())


def years_with_data(organisation) -> list[int]:
    dates = ComplaintPart.objects.filter(organisation=organisation).dates(
        "complaint__received_on", "year", order="DESC"
    )
    years = [d.year for d in dates]
    return years or [dt.date.today().year]
