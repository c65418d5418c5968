"""The task kind of legal terms (worklist/kinds.py): "termijn bewaken", made by the sweep a few
working days before a request's legal term ends without a decision (decision IX)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eenloket.worklist.kinds import Outcome, TaskKind, register_kind

WATCH = "termijn-bewaken"


def _link(task) -> str:
    if task.source_type != "tracked_request" or not task.source_id:
        return ""
    return reverse("deadlines:detail", kwargs={"uuid": task.source_id})


register_kind(
    TaskKind(
        code=WATCH,
        label=_("Termijn loopt af"),
        outcomes=(
            Outcome("besloten", _("Besluit genomen")),
            Outcome("bericht-gestuurd", _("Bericht gestuurd: het besluit komt later")),
            Outcome("verlengd", _("Termijn verlengd met bericht")),
            Outcome("opgeschort", _("Termijn opgeschort")),
        ),
        source_link=_link,
    )
)
