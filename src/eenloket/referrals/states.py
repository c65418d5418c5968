"""The state machines of warm referrals and live consults, each declared once, as a table.

A row (`Step`) says: the action, the states it may be taken from, the state it leads to, who may
take it, its Dutch label (the button text) and the slug of its button's URL on the screens.
Everything else is derived from these tables:

- the services' checks: `REFERRAL.check(action, state, parties)` refuses a step by someone who
  may not take it (PermissionDenied) and a step that does not fit the current state
  (ValidationError, code `invalid_transition` or `not_open`: 409 in the API);
- the buttons on the screens (`slugs`) and the API's `available_actions` (`available`);
- the work lists: `WORKING` (the receiver's open states), `OPEN` and `FINAL`, and the one
  definition of "overdue" (`NORMS`, `overdue_q`, `is_overdue`).

Several rows may share one action: they are one service and one API step (`close` is closing by
the receiver, closing a returned referral and withdrawing one by the sender). The first row, in
table order, whose party the user is and whose sources hold the current state is the one taken.
The tests keep their own table as the oracle (tests/state_oracle.py, tests/referrals/test_states.py)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy

from eenloket.core.states import SYSTEM, Machine, step

from .models import ConsultState, Escalation, ReferralEvent, ReferralState

S = ReferralState
C = ConsultState
E = ReferralEvent.Action

# ---- who takes a step -----------------------------------------------------------------------------
SENDER = "sender"  # a contact role in the organisation that referred
# The receiving team (or organisation), or a team lead there; never the person who sent it.
RECEIVER = "receiver"
REQUESTER = "requester"  # who asked for the live consult
# On duty now for the consult's organisation, at its place (or by phone or video); not the
# requester.
COLLEAGUE = "colleague"
PARTIES = (SENDER, RECEIVER, REQUESTER, COLLEAGUE, SYSTEM)


# ---- warm referrals ------------------------------------------------------------------------------
# The receiver's open states: the referral is being worked on at the receiving side.
WORKING = frozenset({S.SENT, S.ACCEPTED, S.CONTACTED})


def _unassigned(referral) -> bool:
    return referral is None or referral.assigned_to_id is None


# fmt: off
REFERRAL_STEPS = [
    step("claim", WORKING, None, {RECEIVER}, gettext_lazy("Oppakken"), "oppakken",
         event=E.CLAIMED, offer=_unassigned),
    step("assign", WORKING, None, {RECEIVER}, gettext_lazy("Overdragen"), "overdragen",
         event=E.ASSIGNED),
    step("accept", {S.SENT}, S.ACCEPTED, {RECEIVER}, gettext_lazy("Accepteren"),
         "accepteren", event=E.ACCEPTED),
    step("return", {S.SENT, S.ACCEPTED}, S.RETURNED, {RECEIVER},
         gettext_lazy("Terugsturen"), "terugsturen", event=E.RETURNED),
    step("contacted", {S.ACCEPTED}, S.CONTACTED, {RECEIVER},
         gettext_lazy("Inwoner gesproken"), "inwoner-gesproken", event=E.CONTACTED),
    step("helped", {S.ACCEPTED, S.CONTACTED}, S.HELPED, {RECEIVER},
         gettext_lazy("Inwoner geholpen"), "geholpen", event=E.HELPED),
    # Closing: by the receiver while working on it (whoever is on both sides closes as the
    # receiver then); by the sender once it came back; withdrawn by the sender before it is
    # accepted.
    step("close", WORKING, S.CLOSED, {RECEIVER}, gettext_lazy("Afsluiten"), "afsluiten",
         event=E.CLOSED),
    step("close", {S.RETURNED}, S.CLOSED, {SENDER}, gettext_lazy("Afsluiten"), "afsluiten",
         event=E.CLOSED),
    step("close", {S.SENT}, S.CLOSED, {SENDER}, gettext_lazy("Intrekken"), "intrekken",
         event=E.CLOSED),
    step("rerefer", {S.RETURNED}, S.REREFERRED, {SENDER},
         gettext_lazy("Opnieuw doorverwijzen"), "opnieuw-doorverwijzen",
         event=E.REREFERRED),
]
# fmt: on

REFERRAL = Machine(
    name="referral",
    states=S,
    steps=REFERRAL_STEPS,
    forbidden={
        RECEIVER: gettext_lazy(
            "Alleen het team of de organisatie die de doorverwijzing ontvangt, mag dit."
        ),
        SENDER: gettext_lazy("Alleen de organisatie die doorverwees, mag dit."),
    },
    stale=gettext_lazy("“%(action)s” kan niet: de doorverwijzing staat op “%(state)s”."),
    code="invalid_transition",
)

OPEN = REFERRAL.open_states  # sent, accepted, contacted, returned: nobody may forget it
FINAL = REFERRAL.final_states  # helped, closed, re-referred


# ---- the norms: one definition of "overdue" ------------------------------------------------------
@dataclass(frozen=True)
class Norm:
    """While a referral is in `states`, the deadline in `field` must be met; past it, the
    referral is overdue, and the escalation sweep reports it once at `stage`."""

    states: frozenset
    field: str
    stage: str


NORMS = (
    Norm(frozenset({S.SENT}), "accept_due_at", Escalation.Stage.ACCEPT),
    Norm(frozenset({S.SENT, S.ACCEPTED}), "contact_due_at", Escalation.Stage.CONTACT),
)


def overdue_q(now) -> Q:
    """Past a norm and not yet met (for querysets)."""
    q = Q(pk__in=[])
    for norm in NORMS:
        q |= Q(state__in=norm.states, **{f"{norm.field}__lt": now})
    return q


def missed_norms(referral, now) -> list[tuple[Norm, object]]:
    """The norms this referral missed, with their deadlines."""
    return [
        (norm, getattr(referral, norm.field))
        for norm in NORMS
        if referral.state in norm.states and getattr(referral, norm.field) < now
    ]


def is_overdue(referral, now) -> bool:
    return bool(missed_norms(referral, now))


def next_deadline(referral):
    """The first deadline still to meet in the referral's state (None when none applies)."""
    dates = [getattr(referral, n.field) for n in NORMS if referral.state in n.states]
    return min(dates) if dates else None


# ---- live consults -------------------------------------------------------------------------------
NOT_OPEN = gettext_lazy("Dit overleg is niet meer open.")
ALREADY_DONE = gettext_lazy("Dit overleg is al afgerond.")
ONLY_REQUESTER_CONVERTS = gettext_lazy("Alleen wie het overleg vroeg, kan het omzetten.")
CONVERTIBLE = frozenset({C.OPEN, C.EXPIRED, C.CANCELLED})

# fmt: off
CONSULT_STEPS = [
    step("accept", {C.OPEN}, C.ACCEPTED, {COLLEAGUE}, gettext_lazy("Aannemen"), "aannemen",
         forbidden=gettext_lazy("U bent niet in dienst voor dit overleg."), stale=NOT_OPEN),
    step("cancel", {C.OPEN}, C.CANCELLED, {REQUESTER}, gettext_lazy("Intrekken"),
         "intrekken",
         forbidden=gettext_lazy("Alleen wie het overleg vroeg, kan het intrekken."),
         stale=NOT_OPEN),
    step("to-referral", CONVERTIBLE, C.REFERRED, {REQUESTER},
         gettext_lazy("Doorverwijzing maken"), "doorverwijzen",
         forbidden=ONLY_REQUESTER_CONVERTS, stale=ALREADY_DONE),
    step("to-appointment", CONVERTIBLE, C.APPOINTMENT, {REQUESTER},
         gettext_lazy("Afspraak vastleggen"), "afspraak",
         forbidden=ONLY_REQUESTER_CONVERTS, stale=ALREADY_DONE),
    step("expire", {C.OPEN}, C.EXPIRED, {SYSTEM}, C.EXPIRED.label, stale=NOT_OPEN),
]
# fmt: on

CONSULT = Machine(
    name="live-consult",
    states=C,
    steps=CONSULT_STEPS,
    forbidden={},
    stale=NOT_OPEN,
    code="not_open",
)


def consult_state_q(wanted: Iterable[str], now) -> Q:
    """Consults whose state as it is now (`consult_state`) is one of `wanted`."""
    q = Q(pk__in=[])
    for state in set(wanted):
        if state == C.OPEN:
            q |= Q(state=C.OPEN, expires_at__gt=now)
        elif state == C.EXPIRED:
            q |= Q(state=C.EXPIRED) | Q(state=C.OPEN, expires_at__lte=now)
        else:
            q |= Q(state=state)
    return q


def consult_state(consult, now) -> str:
    """The state as it is now: an open consult past its time is expired, also before the sweep
    has marked it so."""
    if consult.state == C.OPEN and consult.expires_at <= now:
        return C.EXPIRED
    return consult.state
