"""The state machine of a "bent u geholpen?" check, declared once as a table (core/states.py).

    gepland   → verstuurd      (the question went out by e-mail, sms or post: the system)
              → bellen         (a call task for the counter: the system)
              → overgeslagen   (opt-out, asked recently, not reachable: the system)
    verstuurd → geholpen | niet-geholpen   (the resident, through the link)
              → geen-antwoord              (no answer in time: the system)
    bellen    → geholpen | niet-geholpen | geen-antwoord   (the caller completes the call task)

Services check every step with `CHECK.check(action, state, parties)`; the tests keep their own
table as the oracle (tests/helped/test_states.py)."""

from django.utils.translation import gettext_lazy

from eenloket.core.states import SYSTEM, Machine, step

from .models import CheckState

S = CheckState

RESIDENT = "resident"  # through the signed link
CALLER = "caller"  # a staff member completing the call task
PARTIES = (RESIDENT, CALLER, SYSTEM)

# fmt: off
CHECK_STEPS = [
    step("send", {S.SCHEDULED}, S.SENT, {SYSTEM}, gettext_lazy("Vraag versturen")),
    step("call", {S.SCHEDULED}, S.CALLING, {SYSTEM}, gettext_lazy("Belopdracht maken")),
    step("skip", {S.SCHEDULED}, S.SKIPPED, {SYSTEM}, gettext_lazy("Niet vragen")),
    step("helped", {S.SENT}, S.HELPED, {RESIDENT}, gettext_lazy("Ja, geholpen")),
    step("helped", {S.CALLING}, S.HELPED, {CALLER}, gettext_lazy("Geholpen")),
    step("not-helped", {S.SENT}, S.NOT_HELPED, {RESIDENT}, gettext_lazy("Nee, niet geholpen")),
    step("not-helped", {S.CALLING}, S.NOT_HELPED, {CALLER}, gettext_lazy("Niet geholpen")),
    step("no-answer", {S.SENT}, S.NO_ANSWER, {SYSTEM}, gettext_lazy("Geen antwoord")),
    step("no-answer", {S.CALLING}, S.NO_ANSWER, {CALLER}, gettext_lazy("Niet bereikt")),
]
# fmt: on

CHECK = Machine(
    name="helped-check",
    states=S,
    steps=CHECK_STEPS,
    forbidden={
        RESIDENT: gettext_lazy("Alleen de inwoner kan deze vraag beantwoorden."),
        CALLER: gettext_lazy("Alleen het team dat de inwoner belt, kan dit vastleggen."),
        SYSTEM: gettext_lazy("Dit doet Eén Loket zelf."),
    },
    stale=gettext_lazy("“%(action)s” kan niet: de vraag staat op “%(state)s”."),
    code="invalid_transition",
)

# Still waiting for something: planned, asked, or being called. Shown as an open promise on the
# resident overview. (The machine's own open_states leave out the system-only "gepland".)
OPEN = frozenset({S.SCHEDULED, S.SENT, S.CALLING})
ANSWERED = frozenset({S.HELPED, S.NOT_HELPED})
# Asked (the resident got the question or a call): counted in the reports.
ASKED = frozenset({S.SENT, S.CALLING, S.HELPED, S.NOT_HELPED, S.NO_ANSWER})
FINAL = frozenset(S.values) - OPEN
