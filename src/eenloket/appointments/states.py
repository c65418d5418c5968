"""The state machine of an appointment, declared once, as a table (core/states.py).

    gepland ──check-in──▶ aangemeld ──complete (outcome: a contact moment)──▶ afgerond
                              (a visit with several organisations: each completes its own part;
                               the appointment is afgerond when the last one has)
       │  └──no-show (from its start time)──▶ niet-gekomen
       ├──cancel (staff, or the resident by their link)──▶ geannuleerd
       └──reschedule (same state, new time)

The services check every step with `APPOINTMENT.check`; the buttons on the day list and the
API's `available_actions` come from the same table."""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from eenloket.core.states import SYSTEM, Machine, step

from .models import AppointmentState

S = AppointmentState

# ---- who takes a step -----------------------------------------------------------------------------
STAFF = "staff"  # a contact role in an organisation of the appointment's parts
HOST = "host"  # a contact role in the organisation of the location (the town hall's counter)
RESIDENT = "resident"  # holds the appointment's link
PARTIES = (STAFF, HOST, RESIDENT, SYSTEM)


def _started(appointment) -> bool:
    return appointment is None or appointment.starts_at <= timezone.now()


def _not_internal(appointment) -> bool:
    return appointment is None or appointment.kind != "intern"


def _one_organisation(appointment) -> bool:
    """Moved as a whole only with one organisation; a visit with several is cancelled and made
    again (each organisation's hours differ)."""
    return appointment is None or appointment.kind not in ("intern", "meerdere")


# fmt: off
APPOINTMENT_STEPS = [
    step("check-in", {S.BOOKED}, S.CHECKED_IN, {STAFF, HOST}, gettext_lazy("Aanmelden"),
         "aanmelden", offer=_not_internal),
    step("complete", {S.CHECKED_IN}, None, {STAFF}, gettext_lazy("Afronden"), "afronden"),
    step("no-show", {S.BOOKED}, S.NO_SHOW, {STAFF, HOST}, gettext_lazy("Niet gekomen"),
         "niet-gekomen", offer=lambda a: _started(a) and _not_internal(a)),
    step("reschedule", {S.BOOKED}, None, {STAFF, HOST, RESIDENT}, gettext_lazy("Verzetten"),
         "verzetten", offer=_one_organisation),
    step("cancel", {S.BOOKED}, S.CANCELLED, {STAFF, HOST, RESIDENT}, gettext_lazy("Annuleren"),
         "annuleren"),
    step("remind", {S.BOOKED}, None, {SYSTEM}, gettext_lazy("Herinnering sturen")),
]
# fmt: on

APPOINTMENT = Machine(
    name="appointment",
    states=S,
    steps=APPOINTMENT_STEPS,
    forbidden={
        STAFF: gettext_lazy("Alleen de organisatie van deze afspraak mag dit."),
        HOST: gettext_lazy("Alleen de organisatie van deze afspraak of van de locatie mag dit."),
        RESIDENT: gettext_lazy("Dit kan alleen met de link uit de bevestiging."),
        SYSTEM: gettext_lazy("Dit doet het systeem zelf."),
    },
    stale=gettext_lazy("“%(action)s” kan niet: de afspraak staat op “%(state)s”."),
    code="invalid_transition",
)

OPEN = frozenset({S.BOOKED, S.CHECKED_IN})
