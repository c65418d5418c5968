"""The state machine of a concern report, as one table (core/states.py). Staff of the routed
team (or a team lead of its organisation) answer; the intermediary only reads."""

from django.utils.translation import gettext_lazy as _

from eenloket.core.states import Machine, step

from .models import ReportState as S

HANDLER = "handler"  # a contact role in the routed team, or a lead of its organisation

REPORT = Machine(
    name="concern-report",
    states=S,
    steps=[
        step(
            "start", {S.RECEIVED}, S.IN_PROGRESS, {HANDLER}, _("In behandeling"), "in-behandeling"
        ),
        step(
            "finish",
            {S.RECEIVED, S.IN_PROGRESS},
            S.DONE,
            {HANDLER},
            _("Opgepakt en afgerond"),
            "afgerond",
        ),
        step(
            "forward",
            {S.RECEIVED, S.IN_PROGRESS},
            S.FORWARDED,
            {HANDLER},
            _("Doorgezet"),
            "doorgezet",
        ),
    ],
    forbidden={HANDLER: _("Alleen het team dat de melding kreeg, mag haar beantwoorden.")},
    stale=_("U kunt “%(action)s” niet kiezen: de melding is al “%(state)s”."),
    code="invalid_transition",
)

# The status a step leads to, by the state the staff member picks on the screen.
ACTION_FOR_STATE = {S.IN_PROGRESS: "start", S.DONE: "finish", S.FORWARDED: "forward"}
