"""The state machine of a task, declared once, as a table (core/states.py).

    open ──complete (with an outcome of its kind)──▶ afgerond
      └───cancel (with a reason)──────────────────▶ vervallen

Claiming, assigning, logging a call attempt and the escalation keep the state: they change who
holds the task or what is known about it. The services check every step with `TASK.check`; the
buttons on the task page and the API's `available_actions` come from the same table. The tests
keep their own table as the oracle (tests/worklist/test_states.py)."""

from django.utils.translation import gettext_lazy

from eenloket.core.states import SYSTEM, Machine, step

from .kinds import kinds
from .models import TaskState

S = TaskState

# ---- who takes a step -----------------------------------------------------------------------------
# A contact role in the task's organisation, and in its team when it has one; or a team lead of
# the organisation.
TEAM = "team"
ASSIGNEE = "assignee"  # the one the task is assigned to (with a contact role there)
PARTIES = (TEAM, ASSIGNEE, SYSTEM)


def _unassigned(task) -> bool:
    return task is None or task.assigned_to_id is None


def _is_call(task) -> bool:
    if task is None:
        return True
    kind = kinds().get(task.kind)
    return kind is not None and kind.is_call


# fmt: off
TASK_STEPS = [
    step("claim", {S.OPEN}, None, {TEAM}, gettext_lazy("Oppakken"), "oppakken",
         offer=_unassigned),
    step("assign", {S.OPEN}, None, {TEAM, ASSIGNEE}, gettext_lazy("Toewijzen"), "toewijzen"),
    step("attempts", {S.OPEN}, None, {TEAM, ASSIGNEE}, gettext_lazy("Belpoging vastleggen"),
         "belpoging", offer=_is_call),
    step("complete", {S.OPEN}, S.DONE, {TEAM, ASSIGNEE}, gettext_lazy("Afronden"), "afronden"),
    step("cancel", {S.OPEN}, S.CANCELLED, {TEAM, ASSIGNEE}, gettext_lazy("Laten vervallen"),
         "laten-vervallen"),
    step("escalate", {S.OPEN}, None, {SYSTEM}, gettext_lazy("Melden bij de teamleider")),
]
# fmt: on

TASK = Machine(
    name="task",
    states=S,
    steps=TASK_STEPS,
    forbidden={
        TEAM: gettext_lazy("Alleen het team van deze taak of wie de taak heeft, mag dit."),
        ASSIGNEE: gettext_lazy("Alleen wie de taak heeft, mag dit."),
        SYSTEM: gettext_lazy("Dit doet het systeem zelf."),
    },
    stale=gettext_lazy("“%(action)s” kan niet: de taak staat op “%(state)s”."),
    code="invalid_transition",
)

OPEN = TASK.open_states  # open
FINAL = TASK.final_states  # afgerond, vervallen


def is_overdue(task, now) -> bool:
    return task.state in OPEN and task.due_at < now
