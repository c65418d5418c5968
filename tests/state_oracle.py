"""The tests' own oracle of the state machines: who may take which step from which state,
written from the design (DESIGN.md, the referral and consult flows), not from
referrals/states.py. tests/referrals/test_states.py compares the services, the API's `available_actions`
and the buttons against it for every state × action × role; tests/referrals/test_services.py takes the
allowed states of its transition tests from it."""

from eenloket.referrals.models import ReferralState

S = ReferralState

# ---- the oracle: referrals ------------------------------------------------------------------------
WORKING = {S.SENT, S.ACCEPTED, S.CONTACTED}
ORACLE = {  # (action, party) → the states it may be taken from
    ("claim", "receiver"): WORKING,
    ("assign", "receiver"): WORKING,
    ("accept", "receiver"): {S.SENT},
    ("return", "receiver"): {S.SENT, S.ACCEPTED},
    ("contacted", "receiver"): {S.ACCEPTED},
    ("helped", "receiver"): {S.ACCEPTED, S.CONTACTED},
    ("close", "receiver"): WORKING,
    ("close", "sender"): {S.SENT, S.RETURNED},
    ("rerefer", "sender"): {S.RETURNED},
}
ACTIONS = ["claim", "assign", "accept", "return", "contacted", "helped", "close", "rerefer"]
TARGET = {
    "accept": S.ACCEPTED,
    "return": S.RETURNED,
    "contacted": S.CONTACTED,
    "helped": S.HELPED,
    "close": S.CLOSED,
    "rerefer": S.REREFERRED,
}  # claim and assign leave the state as it is
# Who each test user is. "both": a colleague in the receiving team of a referral within their own
# organisation (sender's side and receiver's side at once); "lead": team lead of the receiving
# organisation, outside the addressed team.
PARTIES = {
    "sender": {"sender"},
    "receiver": {"receiver"},
    "lead": {"receiver"},
    "both": {"sender", "receiver"},
    "other_team": set(),
    "no_role": set(),
}
BUTTON = {
    "claim": "oppakken",
    "assign": "overdragen",
    "accept": "accepteren",
    "return": "terugsturen",
    "contacted": "inwoner-gesproken",
    "helped": "geholpen",
    "close": "afsluiten",
    "rerefer": "opnieuw-doorverwijzen",
}
BUTTON_TEXT = {  # the texts users have always seen
    "oppakken": "Oppakken",
    "overdragen": "Overdragen",
    "accepteren": "Accepteren",
    "terugsturen": "Terugsturen",
    "inwoner-gesproken": "Inwoner gesproken",
    "geholpen": "Inwoner geholpen",
    "afsluiten": "Afsluiten",
    "intrekken": "Intrekken",
    "opnieuw-doorverwijzen": "Opnieuw doorverwijzen",
}


def expected(action, role, state) -> str:
    """ "ok", "forbidden" (PermissionDenied, 403) or "stale" (not in this state, 409)."""
    allowed = [ORACLE[(action, p)] for p in PARTIES[role] if (action, p) in ORACLE]
    if not allowed:
        return "forbidden"
    return "ok" if any(state in states_ for states_ in allowed) else "stale"


def expected_actions(role, state) -> set[str]:
    return {a for a in ACTIONS if expected(a, role, state) == "ok"}


def expected_buttons(role, state) -> set[str]:
    buttons = {BUTTON[a] for a in expected_actions(role, state)}
    # Withdrawing: the sender alone, before it is accepted. Whoever is the receiver too closes
    # as the receiver.
    if "afsluiten" in buttons and PARTIES[role] == {"sender"} and state == S.SENT:
        buttons = buttons - {"afsluiten"} | {"intrekken"}
    return buttons


# ---- the oracle: live consults --------------------------------------------------------------------
# "timed-out": open, past its time, before the sweep marked it; created after "expired" (whose
# sweep would otherwise mark it too).
CONSULT_STATES = ["open", "expired", "timed-out", "cancelled", "accepted", "referral", "appt"]
CONVERTIBLE = {"open", "timed-out", "expired", "cancelled"}
CONSULT_ORACLE = {
    ("accept", "colleague"): {"open"},
    ("cancel", "requester"): {"open"},
    ("to-referral", "requester"): CONVERTIBLE,
    ("to-appointment", "requester"): CONVERTIBLE,
}
CONSULT_ACTIONS = ["accept", "cancel", "to-referral", "to-appointment"]
CONSULT_ROLES = {  # user → who they are for the consult
    "requester": {"requester"},
    "requester_colleague": set(),
    "colleague": {"colleague"},  # on duty for UWV at the town hall
    "off_duty": set(),  # UWV, not on duty
    "no_role": set(),  # UWV management, with a duty row
}
CONSULT_BUTTON = {
    "accept": "aannemen",
    "cancel": "intrekken",
    "to-referral": "doorverwijzen",
    "to-appointment": "afspraak",
}


def consult_expected(action, role, state) -> str:
    allowed = [
        CONSULT_ORACLE[(action, p)] for p in CONSULT_ROLES[role] if (action, p) in CONSULT_ORACLE
    ]
    if not allowed:
        return "forbidden"
    return "ok" if any(state in s for s in allowed) else "stale"
