"""The state machine of a tracked request, declared once, as a table (core/states.py).

    in behandeling ──suspend (Awb 4:15)──▶ opgeschort ──resume──▶ in behandeling
          │   extend (with a delay notice, before the due date; only where the law allows)
          │   delay-notice (Awb 4:14; moves no legal term, except the first timely one for a
          │   type without a statutory term: 4:14 lid 3)   default-notice (ingebrekestelling;
          │   not while suspended)   resume-unanswered (the sweep: the respond-by date passed)
          ├──decide──▶ besloten
          └──withdraw──▶ ingetrokken

The services check every step with `REQUEST.check`; the buttons and the API's
`available_actions` come from the same table."""

from django.utils.translation import gettext_lazy

from eenloket.core.states import SYSTEM, Machine, step

from .models import RequestState

S = RequestState
STAFF = "staff"  # a contact role in the request's organisation


def _extendable(request) -> bool:
    """The law allows another extension: the legal one not yet taken, or (after it) a further
    delay with the resident's consent (Awb 7:10 lid 4)."""
    if request is None:
        return True
    rtype = request.request_type
    legal_taken = any(e.kind == "wettelijk" for e in request.extensions.all())
    return bool(rtype.extension and not legal_taken) or rtype.further_with_consent


# fmt: off
REQUEST_STEPS = [
    step("suspend", {S.OPEN}, S.SUSPENDED, {STAFF}, gettext_lazy("Opschorten"), "opschorten"),
    step("resume", {S.SUSPENDED}, S.OPEN, {STAFF}, gettext_lazy("Hervatten"), "hervatten"),
    step("extend", {S.OPEN}, None, {STAFF}, gettext_lazy("Verlengen met bericht"), "verlengen",
         offer=_extendable),
    step("delay-notice", {S.OPEN, S.SUSPENDED}, None, {STAFF},
         gettext_lazy("Bericht: het besluit komt later"), "vertragingsbericht"),
    # While the clock stands still the term has not passed: no ingebrekestelling (Awb 4:17).
    step("default-notice", {S.OPEN}, None, {STAFF},
         gettext_lazy("Ingebrekestelling vastleggen"), "ingebrekestelling"),
    step("decide", {S.OPEN, S.SUSPENDED}, S.DECIDED, {STAFF}, gettext_lazy("Besluit vastleggen"),
         "besluit"),
    step("withdraw", {S.OPEN, S.SUSPENDED}, S.WITHDRAWN, {STAFF}, gettext_lazy("Ingetrokken"),
         "intrekken"),
    step("warn", {S.OPEN}, None, {SYSTEM}, gettext_lazy("Team waarschuwen")),
    # Awb 4:15 lid 1 sub a: the term given to complete the request passed unused.
    step("resume-unanswered", {S.SUSPENDED}, S.OPEN, {SYSTEM},
         gettext_lazy("Hervatten: niet op tijd aangevuld")),
]
# fmt: on

REQUEST = Machine(
    name="tracked_request",
    states=S,
    steps=REQUEST_STEPS,
    forbidden={
        STAFF: gettext_lazy("Alleen de organisatie van dit verzoek mag dit."),
        SYSTEM: gettext_lazy("Dit doet het systeem zelf."),
    },
    stale=gettext_lazy("“%(action)s” kan niet: het verzoek staat op “%(state)s”."),
    code="invalid_transition",
)

OPEN = frozenset({S.OPEN, S.SUSPENDED})
