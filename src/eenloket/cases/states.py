"""The state machine of a doorbraak request, declared once, as a table (core/states.py).

    gevraagd ──grant / partly / refuse (receiver)──▶ toegekend / deels / geweigerd
        │  escalate (system: no answer by the date → doorbraak coordinator, then management)
        └──withdraw (case manager)──▶ ingetrokken
    gepauzeerd (mandate: the case manager paused at once)
        ├──confirm (receiver)──▶ toegekend
        ├──overturn (receiver, within the agreed working days)──▶ teruggedraaid
        ├──settle (system: the days to overturn passed)──▶ toegekend
        └──withdraw (case manager)──▶ ingetrokken

Services check every step with `DOORBRAAK.check`; buttons and the API's `available_actions`
come from the same table."""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from eenloket.core.states import SYSTEM, Machine, step

from .models import DoorbraakState

S = DoorbraakState
RECEIVER = "receiver"  # staff with a contact role at the organisation asked
CASE_OWNER = "case-owner"  # the case manager (or a colleague case manager / team lead)


def _may_overturn(request) -> bool:
    return request is None or (
        request.overturn_until is not None and timezone.localdate() <= request.overturn_until
    )


# fmt: off
DOORBRAAK_STEPS = [
    step("grant", {S.SENT}, S.GRANTED, {RECEIVER}, gettext_lazy("Toekennen"), "toekennen"),
    step("partly", {S.SENT}, S.PARTLY, {RECEIVER}, gettext_lazy("Deels toekennen"), "deels"),
    step("refuse", {S.SENT}, S.REFUSED, {RECEIVER}, gettext_lazy("Weigeren met reden"),
         "weigeren"),
    step("confirm", {S.PAUSED}, S.GRANTED, {RECEIVER}, gettext_lazy("Pauze bevestigen"),
         "bevestigen"),
    step("overturn", {S.PAUSED}, S.OVERTURNED, {RECEIVER}, gettext_lazy("Pauze terugdraaien"),
         "terugdraaien", offer=_may_overturn,
         stale=gettext_lazy("Terugdraaien kan alleen bij een pauze met mandaat.")),
    step("withdraw", {S.SENT, S.PAUSED}, S.WITHDRAWN, {CASE_OWNER}, gettext_lazy("Intrekken"),
         "intrekken"),
    step("escalate", {S.SENT}, None, {SYSTEM}, gettext_lazy("Opschalen")),
    step("settle", {S.PAUSED}, S.GRANTED, {SYSTEM}, gettext_lazy("Pauze blijft staan")),
]
# fmt: on

DOORBRAAK = Machine(
    name="doorbraak_request",
    states=S,
    steps=DOORBRAAK_STEPS,
    forbidden={
        RECEIVER: gettext_lazy("Alleen de organisatie die het verzoek kreeg, mag dit."),
        CASE_OWNER: gettext_lazy("Alleen de casemanager van deze casus mag dit."),
        SYSTEM: gettext_lazy("Dit doet het systeem zelf."),
    },
    stale=gettext_lazy("“%(action)s” kan niet: het verzoek staat op “%(state)s”."),
    code="invalid_transition",
)

ANSWERS = ("grant", "partly", "refuse")
OPEN = frozenset({S.SENT, S.PAUSED})
