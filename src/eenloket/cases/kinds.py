"""The task kinds of cases (worklist/kinds.py): an action of a case's plan in the owner
organisation's work list, a doorbraak request to answer, and an early signal of debt."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eenloket.worklist.kinds import Outcome, TaskKind, register_kind

from .models import SignalOutcome


def _action_link(task) -> str:
    from .models import CaseAction

    action = CaseAction.objects.filter(uuid=task.source_id).select_related("case").first()
    return reverse("cases:detail", kwargs={"uuid": action.case.uuid}) if action else ""


def _doorbraak_link(task) -> str:
    if task.source_type != "doorbraak" or not task.source_id:
        return ""
    return reverse("cases:doorbraak", kwargs={"uuid": task.source_id})


def _signal_link(task) -> str:
    if task.source_type != "arrears_signal" or not task.source_id:
        return ""
    return reverse("cases:signal", kwargs={"uuid": task.source_id})


def _on_action(**kwargs):
    from .services import action_task_completed

    action_task_completed(**kwargs)


def _on_doorbraak(**kwargs):
    from .services import doorbraak_task_completed

    doorbraak_task_completed(**kwargs)


def _on_signal(**kwargs):
    from .services import signal_task_completed

    signal_task_completed(**kwargs)


register_kind(
    TaskKind(
        code="casus-actie",
        label=_("Actie uit een casus"),
        outcomes=(Outcome("klaar", _("Actie gedaan")), Outcome("vervallen", _("Actie vervalt"))),
        days_before_cutoff=5,
        days_after_cutoff=5,
        on_complete=_on_action,
        source_link=_action_link,
    )
)
register_kind(
    TaskKind(
        code="doorbraak-beantwoorden",
        label=_("Doorbraakverzoek beantwoorden"),
        outcomes=(
            Outcome("beantwoord", _("Beantwoord")),
            Outcome("ingetrokken", _("Ingetrokken door de gemeente")),
            Outcome("termijn-verstreken", _("Pauze bleef staan")),
        ),
        days_before_cutoff=3,
        days_after_cutoff=3,
        on_complete=_on_doorbraak,
        source_link=_doorbraak_link,
    )
)
register_kind(
    TaskKind(
        code="vroegsignaal",
        label=_("Hulp aanbieden bij betalingsachterstand"),
        outcomes=tuple(Outcome(code, label) for code, label in SignalOutcome.choices),
        is_call=True,
        days_before_cutoff=5,
        days_after_cutoff=5,
        on_complete=_on_signal,
        source_link=_signal_link,
    )
)
