"""Reads of appointments, with permissions: the staff of an appointment's organisations and the
counter of its location see it (the town hall prepares for its guests too); nobody else. Reads
of a resident's appointment are written to the access log."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from eenloket.core import permissions
from eenloket.core.audit import Action, Activity, log_access
from eenloket.core.calendar import AMSTERDAM
from eenloket.organisations.models import Location
from eenloket.organisations.selectors import get_scope

from . import needs as need_rules
from . import states
from .models import (
    Appointment,
    AppointmentKind,
    AppointmentPart,
    AppointmentState,
    Desk,
    Schedule,
    Skill,
    StaffSkill,
)
from .slots import local_day_bounds

S = AppointmentState
RELATED = ("location", "location__organisation", "resident", "referral", "pickup_location")


def _parts_prefetch():
    from django.db.models import Prefetch

    return Prefetch(
        "parts",
        queryset=AppointmentPart.objects.select_related(
            "organisation", "service", "employee", "desk"
        ),
    )


def visible_appointments(user):
    scope = get_scope(user)
    organisations = scope.contact_organisation_ids
    if not organisations:
        return Appointment.objects.none()
    return (
        Appointment.objects.filter(
            Q(parts__organisation_id__in=organisations)
            | Q(location__organisation_id__in=organisations)
            | Q(pickup_location__organisation_id__in=organisations)
        )
        .distinct()
        .select_related(*RELATED)
        .prefetch_related(_parts_prefetch())
    )


def log_read(user, appointment, via="ui"):
    if appointment.resident_id is None:
        return
    scope = get_scope(user)
    log_access(
        user=user,
        organisation_code=scope.primary_organisation_code,
        residents=[appointment.resident],
        activity=Activity.APPOINTMENT,
        action=Action.READ,
        channel=via,
        object_type="appointment",
        object_id=str(appointment.uuid),
    )


def get_appointment(user, uuid, *, via="ui", log=True) -> Appointment:
    appointment = visible_appointments(user).filter(uuid=uuid).first()
    if appointment is None:
        raise Http404
    if log:
        log_read(user, appointment, via)
    return appointment


def available_actions(user, appointment) -> list[str]:
    from .services import parties

    return states.APPOINTMENT.available_actions(
        appointment.state, parties(user, appointment), appointment
    )


def buttons(user, appointment) -> set[str]:
    from .services import parties

    return states.APPOINTMENT.slugs(appointment.state, parties(user, appointment), appointment)


# ---- the day list -----------------------------------------------------------------------------------
def locations_for(user):
    """Locations where the user's organisations work (own or as a guest)."""
    scope = get_scope(user)
    organisations = scope.contact_organisation_ids
    return (
        Location.objects.filter(
            Q(organisation_id__in=organisations) | Q(guest_organisations__in=organisations)
        )
        .distinct()
        .select_related("organisation")
        .order_by("city", "name")
    )


def booking_locations(user) -> list:
    """Locations with bookable hours where the user may book: first those where the user's
    own organisations hold hours (the SVB adviser's town hall), then the others."""
    scope = get_scope(user)
    rows = list(locations_for(user).filter(schedules__walk_in=False).distinct())
    own = set(
        Schedule.objects.filter(
            organisation_id__in=scope.contact_organisation_ids, walk_in=False
        ).values_list("location_id", flat=True)
    )
    return sorted(rows, key=lambda loc: (loc.pk not in own, loc.city, loc.name))


def day_list(user, day: dt.date, *, location=None, mine=False, desk=None):
    """The appointments of one day: mine (my parts), or at a location (every organisation's,
    for the counter that checks residents in), optionally at one desk."""
    start, end = local_day_bounds(day, day)
    qs = visible_appointments(user).filter(starts_at__gte=start, starts_at__lt=end)
    if mine:
        qs = qs.filter(parts__employee=user)
    if location is not None:
        qs = qs.filter(location=location)
    if desk is not None:
        qs = qs.filter(parts__desk=desk)
    return qs.order_by("starts_at", "id")


def next_day_with(user, after: dt.date, *, location=None, mine=False) -> dt.date | None:
    """The first day after `after` with an open appointment in the same list (for an empty
    day: "eerstvolgende dag met afspraken")."""
    start, _end = local_day_bounds(after, after)
    qs = visible_appointments(user).filter(
        starts_at__gte=start + dt.timedelta(days=1), state__in=[S.BOOKED, S.CHECKED_IN]
    )
    if mine:
        qs = qs.filter(parts__employee=user)
    if location is not None:
        qs = qs.filter(location=location)
    first = qs.order_by("starts_at").values_list("starts_at", flat=True).first()
    return first.astimezone(AMSTERDAM).date() if first else None


def pickups(user, location, day: dt.date):
    """Travel documents to be picked up at this location: ready by `day` and not yet picked up
    (the application was made, at this or another location)."""
    scope = get_scope(user)
    if location.organisation_id not in scope.contact_organisation_ids:
        return Appointment.objects.none()
    return (
        Appointment.objects.filter(
            kind=AppointmentKind.TRAVEL_DOCUMENT,
            pickup_location=location,
            handed_over_at__isnull=True,
            state__in=[S.BOOKED, S.CHECKED_IN, S.DONE],
            ready_on__isnull=False,
        )
        .filter(Q(ready_on__lte=day + dt.timedelta(days=7)))
        .select_related(*RELATED)
        .prefetch_related(_parts_prefetch())
        .order_by("ready_on", "id")
    )


# ---- coverage: is a trained colleague on duty in every opening hour? --------------------------------
NEED_SKILLS = [Skill.SIGN_LANGUAGE, Skill.EASY_LANGUAGE, Skill.VISUAL]


@dataclass
class CoverageRow:
    schedule: Schedule
    trained: dict  # skill → [names]
    desk_features: set

    @property
    def gaps(self) -> list[str]:
        return [str(Skill(s).label) for s, names in self.trained.items() if not names]


def coverage(organisation, *, location=None, team=None, today=None) -> list[CoverageRow]:
    """Per opening hour (schedule) of the organisation: who on duty has each skill, and the
    desk features there. An empty list of names is a gap."""
    today = today or timezone.localdate()
    schedules = (
        Schedule.objects.filter(organisation=organisation, walk_in=False)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("location", "team")
        .prefetch_related("staff", "desks")
        .order_by("location__name", "weekday", "starts")
    )
    if location is not None:
        schedules = schedules.filter(location=location)
    if team is not None:
        schedules = schedules.filter(team=team)
    staff_ids = {u.pk for s in schedules for u in s.staff.all()}
    skills = defaultdict(set)
    for user_id, skill in StaffSkill.objects.filter(user_id__in=staff_ids).values_list(
        "user_id", "skill"
    ):
        skills[user_id].add(skill)
    rows = []
    for schedule in schedules:
        trained = {
            skill: [str(u) for u in schedule.staff.all() if skill in skills[u.pk]]
            for skill in NEED_SKILLS
        }
        features = {f for d in schedule.desks.all() for f in d.features}
        rows.append(CoverageRow(schedule, trained, features))
    return rows


# ---- pilot monitoring (background 002) -----------------------------------------------------------
@dataclass
class WeekFigures:
    organisation: str
    location: str
    week: str  # ISO year-week, e.g. 2026-W49
    week_start: dt.date
    appointments: int
    no_shows: int
    lead_days: float | None  # average days from booking to the first free slot then
    with_needs: int
    needs_met: int

    @property
    def no_show_rate(self) -> float | None:
        finished = self.appointments
        return round(100 * self.no_shows / finished, 1) if finished else None

    @property
    def needs_met_share(self) -> float | None:
        return round(100 * self.needs_met / self.with_needs, 1) if self.with_needs else None


def pilot_figures(user, *, date_from: dt.date, date_to: dt.date, location=None) -> list:
    """Appointments per organisation per location per ISO week: count (not cancelled), no-shows,
    the average lead time to the first free slot at booking, and the share of appointments with
    needs that a trained employee and a fitting desk met. For the reports (report roles)."""
    scope = get_scope(user)
    permissions.require(permissions.can_read_reports, scope)
    start, end = local_day_bounds(date_from, date_to)
    parts = (
        AppointmentPart.objects.filter(
            appointment__starts_at__gte=start,
            appointment__starts_at__lt=end,
        )
        # Its own organisation's parts anywhere, and every part at its own locations (the
        # municipality monitors the pilot at its town hall: counts only, no personal data).
        .filter(
            Q(organisation_id__in=scope.organisation_ids)
            | Q(appointment__location__organisation_id__in=scope.organisation_ids)
        )
        .exclude(appointment__state=S.CANCELLED)
        .exclude(appointment__kind=AppointmentKind.INTERNAL)
        .values_list(
            "organisation__name",
            "appointment__location__name",
            "appointment__starts_at",
            "appointment__state",
            "appointment__created_at",
            "appointment__first_free_at",
            "appointment__needs",
            "needs_met",
        )
    )
    if location is not None:
        parts = parts.filter(appointment__location=location)
    groups: dict[tuple, dict] = {}
    for org, loc, starts_at, state, created_at, first_free, needs, met in parts.iterator():
        year, week, _day = starts_at.astimezone(AMSTERDAM).isocalendar()
        key = (org, loc, f"{year}-W{week:02d}")
        g = groups.setdefault(key, {"n": 0, "noshow": 0, "lead": [], "needs": 0, "met": 0})
        g["n"] += 1
        g["noshow"] += state == S.NO_SHOW
        if first_free is not None:
            g["lead"].append(max(0.0, (first_free - created_at).total_seconds() / 86400))
        if [n for n in needs if n != need_rules.Need.OTHER]:
            g["needs"] += 1
            g["met"] += bool(met)
    return [
        WeekFigures(
            org,
            loc,
            week,
            dt.date.fromisocalendar(int(week[:4]), int(week[6:]), 1),
            g["n"],
            g["noshow"],
            round(sum(g["lead"]) / len(g["lead"]), 1) if g["lead"] else None,
            g["needs"],
            g["met"],
        )
        for (org, loc, week), g in sorted(groups.items(), key=lambda i: (i[0][2], i[0][0], i[0][1]))
    ]


def desks_of(location):
    return Desk.objects.filter(location=location).order_by("name")
