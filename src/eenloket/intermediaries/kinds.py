"""The task kind of the contact point (worklist/kinds.py): a concern report to answer, in the
routed team's work list."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eenloket.worklist.kinds import Outcome, TaskKind, register_kind

from .models import ReportState


def _report_link(task) -> str:
    if task.source_type != "concern_report" or not task.source_id:
        return ""
    return reverse("intermediaries:staff-detail", kwargs={"uuid": task.source_id})


def _on_complete(**kwargs):
    from .services import task_completed

    task_completed(**kwargs)


register_kind(
    TaskKind(
        code="zorgmelding",
        label=_("Zorgmelding van een intermediair"),
        outcomes=(
            Outcome(ReportState.DONE.value, ReportState.DONE.label),
            Outcome(ReportState.FORWARDED.value, ReportState.FORWARDED.label),
        ),
        days_before_cutoff=5,
        days_after_cutoff=5,
        on_complete=_on_complete,
        source_link=_report_link,
    )
)
