"""The state machine of one organisation's part of a complaint, declared once, as a table
(core/states.py).

    ontvangen ──resolve (coordinator; Awb 9:5)──▶ informeel opgelost
        │  make-formal (coordinator; acknowledgement 9:6, copy to the employee 9:9, the term)
        ▼
    formeel ──assign (coordinator; independent handler, 9:7)──▶ in behandeling
        │  hear / waive-hearing (handler; 9:10)   postpone (handler or coordinator; 9:11 lid 2)
        ▼
    in behandeling ──decide (handler: findings)──▶ beoordeeld
    beoordeeld ──send-answer (lead coordinator, all parts judged; 9:12)──▶ afgehandeld
    ontvangen / formeel / in behandeling ──withdraw (coordinator)──▶ ingetrokken

Services check every step with `PART.check`; the buttons and the API's `available_actions`
come from the same table."""

from django.utils.translation import gettext_lazy

from eenloket.core.states import Machine, step

from .models import PartState

S = PartState
COORDINATOR = "coordinator"  # klachtcoördinator of the part's organisation
HANDLER = "handler"  # the part's handler
LEAD = "lead"  # klachtcoördinator of the complaint's lead organisation


def _all_judged(part) -> bool:
    if part is None:
        return True
    return all(
        p.state in (S.DECIDED, S.RESOLVED, S.WITHDRAWN, S.CLOSED)
        for p in part.complaint.parts.all()
    )


# fmt: off
PART_STEPS = [
    step("resolve", {S.RECEIVED, S.FORMAL}, S.RESOLVED, {COORDINATOR},
         gettext_lazy("Informeel opgelost"), "informeel"),
    step("make-formal", {S.RECEIVED}, S.FORMAL, {COORDINATOR},
         gettext_lazy("Formeel behandelen"), "formeel"),
    step("assign", {S.FORMAL, S.HANDLING}, S.HANDLING, {COORDINATOR},
         gettext_lazy("Behandelaar kiezen"), "behandelaar"),
    step("hear", {S.HANDLING}, None, {HANDLER}, gettext_lazy("Horen vastleggen"), "horen"),
    step("waive-hearing", {S.HANDLING}, None, {HANDLER},
         gettext_lazy("Afzien van horen"), "niet-horen"),
    step("postpone", {S.FORMAL, S.HANDLING}, None, {HANDLER, COORDINATOR},
         gettext_lazy("Verdagen met bericht"), "verdagen"),
    step("decide", {S.HANDLING}, S.DECIDED, {HANDLER}, gettext_lazy("Oordeel vastleggen"),
         "oordeel"),
    step("send-answer", {S.DECIDED}, S.CLOSED, {LEAD}, gettext_lazy("Antwoordbrief versturen"),
         "antwoord", offer=_all_judged),
    step("withdraw", {S.RECEIVED, S.FORMAL, S.HANDLING}, S.WITHDRAWN, {COORDINATOR},
         gettext_lazy("Klacht intrekken"), "intrekken"),
]
# fmt: on

PART = Machine(
    name="complaint_part",
    states=S,
    steps=PART_STEPS,
    forbidden={
        COORDINATOR: gettext_lazy("Alleen de klachtcoördinator van deze organisatie mag dit."),
        HANDLER: gettext_lazy("Alleen de behandelaar van deze klacht mag dit."),
        LEAD: gettext_lazy("Alleen de klachtcoördinator van de organisatie die antwoordt mag dit."),
    },
    stale=gettext_lazy("“%(action)s” kan niet: de klacht staat op “%(state)s”."),
    code="invalid_transition",
)

OPEN = PART.open_states
