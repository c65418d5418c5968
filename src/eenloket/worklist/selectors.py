"""Reads of tasks, with the permission filter, and the work lists.

Who sees a task: its team (a contact role in the task's organisation, and in its team when it
has one), a team lead of the organisation, and whoever it is assigned to (still with a contact
role there). Anyone else sees nothing, not even that it exists."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from eenloket.core.audit import Action, Activity, log_access
from eenloket.core.errors import NotFound
from eenloket.core.pagination import decode_cursor, encode_cursor
from eenloket.core.roles import CONTACT_ROLES
from eenloket.organisations.models import Membership, User
from eenloket.organisations.selectors import get_scope

from . import states
from .models import Task

RELATED = ("organisation", "team", "assigned_to", "resident")
WORKLISTS = ("mine", "team", "overdue")
DEFAULT_WORKLIST = "team"


def _team_q(scope) -> Q:
    """Tasks for which the user is the task's team (states.TEAM)."""
    contact = scope.contact_organisation_ids
    return (
        Q(organisation_id__in=contact, team__isnull=True)
        | Q(organisation_id__in=contact, team_id__in=scope.contact_team_ids)
        | Q(organisation_id__in=scope.lead_organisation_ids)
    )


def visible_tasks(user) -> QuerySet[Task]:
    scope = get_scope(user)
    if not scope.contact_organisation_ids:
        return Task.objects.none()
    mine = Q(assigned_to_id=user.pk, organisation_id__in=scope.contact_organisation_ids)
    return Task.objects.filter(_team_q(scope) | mine)


def readable_tasks(user) -> QuerySet[Task]:
    """Tasks the user may read: every task of an organisation where they have a contact role
    (or lead). What was promised to a resident is visible to each colleague who may meet them at
    the counter or on the phone, also when another team holds it; the steps stay with the team
    and the assignee (task_parties)."""
    scope = get_scope(user)
    organisations = set(scope.contact_organisation_ids) | set(scope.lead_organisation_ids)
    return Task.objects.filter(organisation_id__in=organisations)


def task_parties(user, task) -> frozenset:
    """Who the user is for this task: the team (states.TEAM), the assignee, or nobody."""
    scope = get_scope(user)
    parties = set()
    organisation_id, team_id = task.organisation_id, task.team_id
    if organisation_id in scope.lead_organisation_ids or (
        organisation_id in scope.contact_organisation_ids
        and (team_id is None or team_id in scope.contact_team_ids)
    ):
        parties.add(states.TEAM)
    if task.assigned_to_id == user.pk and organisation_id in scope.contact_organisation_ids:
        parties.add(states.ASSIGNEE)
    return frozenset(parties)


def available_actions(user, task) -> list[str]:
    return states.TASK.available_actions(task.state, task_parties(user, task), task)


def worklist_queryset(user, name: str, now=None) -> QuerySet[Task]:
    """mine: open and assigned to me; team: open tasks of my teams, and those of my
    organisations without a team (a team lead: all of the organisation's); overdue: the open
    ones of these past their deadline. Soonest deadline first."""
    now = now or timezone.now()
    scope = get_scope(user)
    qs = visible_tasks(user).filter(state__in=states.OPEN)
    if name == "mine":
        qs = qs.filter(assigned_to_id=user.pk)
    elif name == "team":
        qs = qs.filter(_team_q(scope))
    elif name == "overdue":
        qs = qs.filter(due_at__lt=now)
    else:
        raise NotFound(_("Deze werklijst bestaat niet."))
    return qs.order_by("due_at", "id")


def worklist_page(
    user, name: str, *, cursor: str = "", limit: int = 25, now=None
) -> tuple[list[Task], str | None]:
    """One page of a work list, soonest deadline first (keyset on (due_at, id): no OFFSET),
    and the cursor of the next page (None on the last). One query."""
    qs = worklist_queryset(user, name, now).select_related(*RELATED)
    if cursor:
        moment, pk = decode_cursor(cursor)
        qs = qs.filter(Q(due_at__gt=moment) | Q(due_at=moment, id__gt=pk))
    rows = list(qs[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor(last.due_at, last.pk)
    return rows[:limit], next_cursor


def worklist_counts(user, names=WORKLISTS, now=None) -> dict[str, int]:
    """One COUNT per list, no rows loaded (tabs and the start page)."""
    now = now or timezone.now()
    return {name: worklist_queryset(user, name, now).count() for name in names}


def log_list_shown(user, tasks, *, channel: str) -> None:
    """A list that shows residents' names is a read of their personal data."""
    residents = [t.resident for t in tasks if t.resident_id]
    if residents:
        log_access(
            user=user,
            organisation_code=get_scope(user).primary_organisation_code,
            residents=residents,
            activity=Activity.TASK_WORK,
            action=Action.READ,
            channel=channel,
            object_type="task-list",
        )


def task_for_step(user, task_uuid) -> Task:
    """The task a step works on, if the user may read it (the step itself is then checked
    against the state table: PermissionDenied for a colleague who is no party), without logging
    a read. NotFound for anyone else (also for a task of another organisation)."""
    try:
        return readable_tasks(user).select_related(*RELATED).get(uuid=task_uuid)
    except (Task.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound(_("Deze taak bestaat niet of u mag haar niet zien.")) from exc


def log_task_work(user, task, *, channel: str, action=Action.READ) -> None:
    """Reading or working on a task about a resident is in the access log (TASK_WORK)."""
    if task.resident_id is None:
        return
    log_access(
        user=user,
        organisation_code=task.organisation.code,
        residents=[task.resident],
        activity=Activity.TASK_WORK,
        action=action,
        channel=channel,
        object_type="task",
        object_id=str(task.uuid),
    )


def get_task(user, task_uuid, *, channel: str = "ui") -> Task:
    """A task to read (readable_tasks), with the read logged; NotFound for anyone else."""
    try:
        task = readable_tasks(user).select_related(*RELATED).get(uuid=task_uuid)
    except (Task.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound(_("Deze taak bestaat niet of u mag haar niet zien.")) from exc
    log_task_work(user, task, channel=channel)
    return task


def attempts_of(task) -> list:
    return list(task.attempts.select_related("by").order_by("at", "id"))


def assignable_colleagues(task) -> QuerySet:
    """Active colleagues with a contact role in the task's team (without a team: its
    organisation): whom the task can be given to."""
    members = Membership.objects.filter(
        organisation_id=task.organisation_id, role__in=CONTACT_ROLES
    )
    if task.team_id:
        members = members.filter(team_id=task.team_id)
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by(
        "last_name", "first_name"
    )


def open_tasks_of_resident(user, resident) -> list[Task]:
    """The resident's open tasks of the user's organisations (the overview's open items): what
    was promised to the resident is visible to every colleague who may meet them at the counter or
    on the phone, also when another team of the organisation holds the task (decision X)."""
    return list(
        readable_tasks(user)
        .filter(resident=resident, state__in=states.OPEN)
        .select_related(*RELATED)
        .order_by("due_at", "id")
    )


def start_page_lists(user, *, limit: int = 5, now=None) -> dict:
    """For the start page: per list ("mine", "team") its count and the first `limit` tasks
    (soonest deadline first, so overdue ones on top), each as (task, overdue). The names shown
    are logged as a read."""
    now = now or timezone.now()
    lists, shown = {}, []
    for name in ("mine", "team"):
        qs = worklist_queryset(user, name, now)
        rows = list(qs.select_related(*RELATED)[:limit])
        count = len(rows) if len(rows) < limit else qs.count()
        lists[name] = {
            "count": count,
            "rows": [(task, states.is_overdue(task, now)) for task in rows],
        }
        shown.extend(rows)
    log_list_shown(user, shown, channel="ui")
    return lists
