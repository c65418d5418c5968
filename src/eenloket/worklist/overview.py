"""Open tasks for the resident overview (residents/overview.py): callback requests, follow-ups
and every later kind, for the staff of the task's organisation who may see it (selectors)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from eenloket.residents.overview import OpenItem, open_items_provider

from . import selectors, states
from .kinds import kinds


def kind_label(code) -> str:
    kind = kinds().get(code)
    return str(kind.label) if kind is not None else code


def holder_text(task) -> str:
    """Who has it: "Bij Anna de Vries (Werk en inkomen)", "Team Werk en inkomen", …"""
    team = task.team.name if task.team_id else task.organisation.name
    if task.assigned_to_id:
        return _("Bij %(name)s (%(team)s)") % {
            "name": task.assigned_to.get_full_name(),
            "team": team,
        }
    return _("Nog niet opgepakt (%(team)s)") % {"team": team}


@open_items_provider
def open_tasks(user, resident, now):
    items = []
    for task in selectors.open_tasks_of_resident(user, resident)[:20]:
        items.append(
            OpenItem(
                kind=kind_label(task.kind),
                title=task.title,
                status=holder_text(task),
                since=task.created_at,
                due=task.due_at,
                overdue=states.is_overdue(task, now),
                link=reverse("worklist:detail", kwargs={"uuid": task.uuid}),
            )
        )
    return items
