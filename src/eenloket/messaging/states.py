"""The state machine of an outgoing message (the outbox), declared once, as a table.

    wachtrij ──claim──▶ verzenden ──sent──▶ verzonden ──delivered──▶ afgeleverd
        ▲                  │  │                  └──────bounced─────▶ niet-afgeleverd
        └──── postpone ────┘  └── give_up ──▶ mislukt (dead letter) ──retry──▶ wachtrij
    wachtrij (post) ──export──▶ drukwerk ──mark_sent──▶ verzonden
    wachtrij / mislukt / niet-afgeleverd ──cancel──▶ geannuleerd

The system (the delivery sweep, the Celery task, the channel's receipts) takes the delivery
steps; the functional admin of the message's organisation retries or cancels a dead letter and
handles the print batches. A SENDING message whose claim (lease, `claimed_until`) has run out is
claimed again: its worker stopped while sending. The services (outbox.py) check every step with
`MESSAGE.check`; the buttons and the API's `available_actions` come from the same table; the tests
keep their own table as the oracle."""

from django.utils.translation import gettext_lazy

from eenloket.core.states import SYSTEM, Machine, step

from .models import MessageState

S = MessageState

ADMIN = "functional-admin"  # functioneel beheerder of the message's organisation
PARTIES = (ADMIN, SYSTEM)

# fmt: off
MESSAGE_STEPS = [
    # delivery (the sweep and the task)
    step("claim", {S.QUEUED, S.SENDING}, S.SENDING, {SYSTEM}, S.SENDING.label),
    step("sent", {S.SENDING}, S.SENT, {SYSTEM}, S.SENT.label),
    step("postpone", {S.SENDING}, S.QUEUED, {SYSTEM}, S.QUEUED.label),
    step("give_up", {S.SENDING}, S.DEAD, {SYSTEM}, S.DEAD.label),
    # receipts of the channel (a receipt may overtake the worker that is still recording "sent")
    step("delivered", {S.SENDING, S.SENT, S.BOUNCED}, S.DELIVERED, {SYSTEM}, S.DELIVERED.label),
    step("bounced", {S.SENDING, S.SENT, S.DELIVERED}, S.BOUNCED, {SYSTEM}, S.BOUNCED.label),
    # the functional admin
    step("retry", {S.DEAD, S.BOUNCED}, S.QUEUED, {ADMIN}, gettext_lazy("Opnieuw proberen"),
         "opnieuw"),
    step("cancel", {S.QUEUED, S.DEAD, S.BOUNCED}, S.CANCELLED, {ADMIN},
         gettext_lazy("Annuleren"), "annuleren"),
    # post: the print queue
    step("export", {S.QUEUED}, S.PRINTING, {ADMIN}, gettext_lazy("Batch maken")),
    step("mark_sent", {S.PRINTING}, S.SENT, {ADMIN}, gettext_lazy("Verstuurd naar drukker")),
]
# fmt: on

MESSAGE = Machine(
    name="message",
    states=S,
    steps=MESSAGE_STEPS,
    forbidden={ADMIN: gettext_lazy("Alleen een functioneel beheerder van de organisatie mag dit.")},
    stale=gettext_lazy("“%(action)s” kan niet: het bericht staat op “%(state)s”."),
    code="invalid_transition",
)

# What the delivery sweep takes (post waits for a print batch instead).
DUE_STATES = frozenset({S.QUEUED, S.SENDING})
# The dead-letter list: waits for the functional admin.
DEAD_STATES = frozenset({S.DEAD, S.BOUNCED})
# Handed to the channel (what residents would have received).
SENT_STATES = frozenset({S.SENT, S.DELIVERED, S.BOUNCED, S.PRINTING})
