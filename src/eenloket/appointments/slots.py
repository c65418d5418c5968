"""Free slots: from the schedules, minus holidays (Atw, core/calendar) and closures, minus what
is taken (Occupancy), only where an employee and a desk meet every need (needs.py).

Times: a schedule is wall-clock time in Europe/Amsterdam ("Tuesday 9–12"); every slot is made
with `datetime.combine(day, time, AMSTERDAM)` per day, so 9:00 is 9:00 in winter and in summer,
also on the days the clocks change. Occupancy units are counted in UTC."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.db.models.functions import Extract
from django.utils import timezone

from eenloket.core.calendar import AMSTERDAM, is_holiday

from . import needs as need_rules
from .models import UNIT_MINUTES, BookableService, Closure, Occupancy, Schedule, StaffSkill

UNIT = dt.timedelta(minutes=UNIT_MINUTES)
DEFAULT_SLOT_MINUTES = 30


@dataclass(frozen=True)
class Slot:
    starts_at: dt.datetime  # UTC
    ends_at: dt.datetime
    organisation_id: int
    schedule_id: int
    employee_id: int
    desk_id: int
    service_id: int | None = None

    @property
    def local_start(self) -> dt.datetime:
        return self.starts_at.astimezone(AMSTERDAM)


def units(starts_at: dt.datetime, ends_at: dt.datetime) -> list[dt.datetime]:
    """The quarter-hour units from start to end, in UTC."""
    start = starts_at.astimezone(dt.UTC)
    count = int((ends_at - starts_at) / UNIT)
    return [start + i * UNIT for i in range(count)]


def min_notice() -> dt.timedelta:
    return dt.timedelta(minutes=settings.APPOINTMENT_MIN_NOTICE_MINUTES)


def horizon_days() -> int:
    return settings.APPOINTMENT_HORIZON_DAYS


def local_day_bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(date_from, dt.time(0), tzinfo=AMSTERDAM)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(0), tzinfo=AMSTERDAM)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def schedules_for(location, service, date_from, date_to):
    """The bookable schedules at `location` that offer `service` in the period."""
    return list(
        Schedule.objects.filter(location=location, services=service, walk_in=False)
        .filter(valid_from__lte=date_to)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=date_from))
        .select_related("organisation")
        .prefetch_related("staff", "desks")
        .order_by("starts", "id")
    )


def slot_lengths(organisation_ids, service) -> dict[int, int]:
    """Minutes per slot of `service` for each organisation (one query; default 30)."""
    found = dict(
        BookableService.objects.filter(
            organisation_id__in=organisation_ids, service=service
        ).values_list("organisation_id", "slot_minutes")
    )
    return {pk: found.get(pk, DEFAULT_SLOT_MINUTES) for pk in organisation_ids}


class Taken:
    """What is occupied in a period, for some desks and employees (one query). Units are kept
    as whole seconds since the epoch: comparing integers, not parsing thousands of timestamps
    into datetimes, is most of a search's speed."""

    def __init__(self, desk_ids, employee_ids, start, end, *, exclude_appointment=None):
        rows = Occupancy.objects.filter(
            Q(desk_id__in=desk_ids) | Q(employee_id__in=employee_ids),
            unit_start__gte=start,
            unit_start__lt=end,
        )
        if exclude_appointment is not None:
            rows = rows.exclude(appointment_id=exclude_appointment)
        self.desks = set()
        self.employees = set()
        if connection.vendor == "postgresql":
            found = rows.values_list(
                "desk_id", "employee_id", Extract("unit_start", "epoch", tzinfo=dt.UTC)
            )
        else:  # SQLite (the demo): no epoch extract there
            found = (
                (d, e, u.timestamp())
                for d, e, u in rows.values_list("desk_id", "employee_id", "unit_start")
            )
        for desk_id, employee_id, unit in found:
            if desk_id is not None:
                self.desks.add((desk_id, int(unit)))
            else:
                self.employees.add((employee_id, int(unit)))

    def desk_free(self, desk_id, wanted) -> bool:
        return not any((desk_id, u) in self.desks for u in wanted)

    def employee_free(self, employee_id, wanted) -> bool:
        return not any((employee_id, u) in self.employees for u in wanted)


def unit_keys(starts_at: dt.datetime, ends_at: dt.datetime) -> list[int]:
    """The units of a slot as epoch seconds (Taken's keys)."""
    first = int(starts_at.timestamp())
    step = UNIT_MINUTES * 60
    return list(range(first, int(ends_at.timestamp()), step))


def employee_order(user, skills) -> tuple:
    """Who is offered first: the colleague with the fewest of the skills residents may need, so
    a trained colleague stays free for the resident who needs them; then by name."""
    trained = len(skills.get(user.pk, set()) & need_rules.NEED_SKILLS)
    return (trained, user.last_name, user.first_name, user.pk)


def desk_order(desk) -> tuple:
    """The plainest fitting desk first: the hearing loop and the quiet room stay free longest."""
    return (len(desk.features or ()), desk.name, desk.pk)


def skills_of(user_ids) -> dict[int, set[str]]:
    result = defaultdict(set)
    for user_id, skill in StaffSkill.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "skill"
    ):
        result[user_id].add(skill)
    return result


def closed_days(location, date_from, date_to) -> dict[int | None, set[dt.date]]:
    """Closed days per organisation id (None: the whole location)."""
    result = defaultdict(set)
    for organisation_id, first, last in Closure.objects.filter(
        location=location, starts_on__lte=date_to, ends_on__gte=date_from
    ).values_list("organisation_id", "starts_on", "ends_on"):
        day = max(first, date_from)
        while day <= min(last, date_to):
            result[organisation_id].add(day)
            day += dt.timedelta(days=1)
    return result


@dataclass
class Search:
    slots: list[Slot]
    # True when there are times without the needs, but none that meet them: say so plainly.
    needs_unmet: bool = False
    offered: bool = True  # the service is offered at this location at all


def _days(date_from, date_to):
    day = date_from
    while day <= date_to:
        yield day
        day += dt.timedelta(days=1)


def find_slots(
    *,
    location,
    service,
    date_from: dt.date,
    date_to: dt.date,
    needs=(),
    now=None,
    organisation=None,
    exclude_appointment=None,
    limit: int | None = None,
    step_minutes: int | None = None,
    taken: Taken | None = None,
    ignore_taken: bool = False,
    schedules: list | None = None,
) -> list[Slot]:
    """Every free (start, employee, desk) option per start time: for each start the first
    employee and desk that fit (by name order), so one Slot per schedule and start. Sorted by
    start. `step_minutes` makes a finer grid (chaining parts of one visit)."""
    now = now or timezone.now()
    earliest = now + min_notice()
    latest = now + dt.timedelta(days=horizon_days())
    if schedules is None:
        schedules = schedules_for(location, service, date_from, date_to)
    if organisation is not None:
        schedules = [
            s for s in schedules if s.organisation_id == getattr(organisation, "pk", organisation)
        ]
    if not schedules:
        return []
    staff_ids = {u.pk for s in schedules for u in s.staff.all()}
    desk_ids = {d.pk for s in schedules for d in s.desks.all()}
    start, end = local_day_bounds(date_from, date_to)
    if taken is None and not ignore_taken:
        taken = Taken(desk_ids, staff_ids, start, end, exclude_appointment=exclude_appointment)
    skills = skills_of(staff_ids)
    closures = closed_days(location, date_from, date_to)
    factor = need_rules.slot_factor(needs)
    lengths = slot_lengths({s.organisation_id for s in schedules}, service)
    result: list[Slot] = []
    for day in _days(date_from, date_to):
        if is_holiday(day) or day in closures.get(None, ()):
            continue
        for schedule in schedules:
            if schedule.weekday != day.weekday() or not schedule.valid_on(day):
                continue
            if day in closures.get(schedule.organisation_id, ()):
                continue
            employees = sorted(
                (
                    u
                    for u in schedule.staff.all()
                    if u.is_active and need_rules.employee_fits(skills.get(u.pk, set()), needs)
                ),
                key=lambda u: employee_order(u, skills),
            )
            desks = sorted(
                (
                    d
                    for d in schedule.desks.all()
                    if d.is_active and need_rules.desk_fits(d.features, needs)
                ),
                key=desk_order,
            )
            if not employees or not desks:
                continue
            base = lengths[schedule.organisation_id]
            length = dt.timedelta(minutes=base * factor)
            step = dt.timedelta(minutes=step_minutes or base)
            block_start = dt.datetime.combine(day, schedule.starts, tzinfo=AMSTERDAM)
            block_end = dt.datetime.combine(day, schedule.ends, tzinfo=AMSTERDAM)
            offset = dt.timedelta(0)
            while True:
                local = block_start + offset  # wall clock: same-zone arithmetic
                if local + length > block_end:
                    break
                offset += step
                starts_at = local.astimezone(dt.UTC)
                ends_at = starts_at + length
                if starts_at < earliest:
                    continue
                if starts_at > latest:
                    break
                wanted = unit_keys(starts_at, ends_at)
                employee = next(
                    (u for u in employees if ignore_taken or taken.employee_free(u.pk, wanted)),
                    None,
                )
                desk = next(
                    (d for d in desks if ignore_taken or taken.desk_free(d.pk, wanted)), None
                )
                if employee is None or desk is None:
                    continue
                result.append(
                    Slot(
                        starts_at,
                        ends_at,
                        schedule.organisation_id,
                        schedule.pk,
                        employee.pk,
                        desk.pk,
                        getattr(service, "pk", service),
                    )
                )
        if limit is not None and len(result) >= limit:
            break
    result.sort(key=lambda s: (s.starts_at, s.schedule_id))
    return result[:limit] if limit is not None else result


def options_at(
    *, location, service, starts_at, needs=(), now=None, exclude_appointment=None, organisation=None
) -> list[Slot]:
    """Every fitting (employee, desk) pair free at exactly `starts_at` (to try in turn when a
    concurrent booking takes the first)."""
    day = starts_at.astimezone(AMSTERDAM).date()
    now = now or timezone.now()
    schedules = schedules_for(location, service, day, day)
    if organisation is not None:
        schedules = [
            s for s in schedules if s.organisation_id == getattr(organisation, "pk", organisation)
        ]
    staff_ids = {u.pk for s in schedules for u in s.staff.all()}
    desk_ids = {d.pk for s in schedules for d in s.desks.all()}
    start, end = local_day_bounds(day, day)
    taken = Taken(desk_ids, staff_ids, start, end, exclude_appointment=exclude_appointment)
    skills = skills_of(staff_ids)
    result = []
    for slot in find_slots(
        location=location,
        service=service,
        date_from=day,
        date_to=day,
        needs=needs,
        now=now,
        organisation=organisation,
        taken=taken,
        schedules=schedules,
    ):
        if slot.starts_at != starts_at:
            continue
        schedule = next(s for s in schedules if s.pk == slot.schedule_id)
        wanted = unit_keys(slot.starts_at, slot.ends_at)
        for employee in sorted(schedule.staff.all(), key=lambda u: employee_order(u, skills)):
            if not (
                employee.is_active
                and need_rules.employee_fits(skills.get(employee.pk, set()), needs)
            ):
                continue
            if not taken.employee_free(employee.pk, wanted):
                continue
            for desk in sorted(schedule.desks.all(), key=desk_order):
                if (
                    desk.is_active
                    and need_rules.desk_fits(desk.features, needs)
                    and taken.desk_free(desk.pk, wanted)
                ):
                    result.append(
                        Slot(
                            slot.starts_at,
                            slot.ends_at,
                            slot.organisation_id,
                            schedule.pk,
                            employee.pk,
                            desk.pk,
                            slot.service_id,
                        )
                    )
    return result


def search(
    *,
    location,
    service,
    date_from,
    date_to,
    needs=(),
    now=None,
    organisation=None,
    exclude_appointment=None,
) -> Search:
    """Free slots for the public page and the API, one per start time; when none meet the needs
    but there are times without them, `needs_unmet` says so (the resident is told plainly)."""
    now = now or timezone.now()
    schedules = schedules_for(location, service, date_from, date_to)
    if not schedules:
        return Search([], offered=False)
    slots = find_slots(
        location=location,
        service=service,
        date_from=date_from,
        date_to=date_to,
        needs=needs,
        now=now,
        organisation=organisation,
        exclude_appointment=exclude_appointment,
        schedules=schedules,
    )
    unique = list({s.starts_at: s for s in reversed(slots)}.values())
    unique.sort(key=lambda s: s.starts_at)
    unmet = False
    if not unique and needs:
        plain = [n for n in needs if not need_rules.RULES[n].desk and not need_rules.RULES[n].skill]
        unmet = bool(
            find_slots(
                location=location,
                service=service,
                date_from=date_from,
                date_to=date_to,
                needs=plain,
                now=now,
                organisation=organisation,
                exclude_appointment=exclude_appointment,
                limit=1,
                schedules=schedules,
            )
        )
    return Search(unique, needs_unmet=unmet)


def first_free(*, location, service, now=None, organisation=None) -> dt.datetime | None:
    """When the first free slot (without needs) is, from now, within the horizon."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    day = today
    last = today + dt.timedelta(days=horizon_days())
    while day <= last:  # week by week: usually the first week has one
        week_end = min(day + dt.timedelta(days=6), last)
        found = find_slots(
            location=location,
            service=service,
            date_from=day,
            date_to=week_end,
            now=now,
            organisation=organisation,
            limit=1,
        )
        if found:
            return found[0].starts_at
        day = week_end + dt.timedelta(days=1)
    return None
