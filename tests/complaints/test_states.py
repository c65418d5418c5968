"""The complaint part's state machine against the tests' own oracle (written from Awb hoofdstuk
9 and the brief, not from complaints/states.py): the offered actions (buttons, the API's
available_actions) for every state and person, and every service refusing a step from a state
the oracle does not allow, with nothing changed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from eenloket.complaints import services, states
from eenloket.complaints.models import ComplaintPart, PartState

from .helpers import register

pytestmark = pytest.mark.django_db
S = PartState

# (action, who) → the states it may be taken from. "coordinator" coordinates complaints of the
# part's organisation (which is also the lead here); "handler" was assigned to the part.
ORACLE = {
    ("resolve", "coordinator"): {S.RECEIVED, S.FORMAL},
    ("make-formal", "coordinator"): {S.RECEIVED},
    ("assign", "coordinator"): {S.FORMAL, S.HANDLING},
    ("hear", "handler"): {S.HANDLING},
    ("waive-hearing", "handler"): {S.HANDLING},
    ("postpone", "handler"): {S.FORMAL, S.HANDLING},
    ("postpone", "coordinator"): {S.FORMAL, S.HANDLING},
    ("decide", "handler"): {S.HANDLING},
    ("send-answer", "coordinator"): {S.DECIDED},
    ("withdraw", "coordinator"): {S.RECEIVED, S.FORMAL, S.HANDLING},
}
ACTIONS = sorted({action for action, _who in ORACLE})


def expected(state, who) -> set:
    return {
        action for (action, party), sources in ORACLE.items() if party == who and state in sources
    }


@pytest.fixture
def part(coordinator, handler, enschede, resident):
    complaint = register(coordinator, enschede, resident=resident)
    part = complaint.parts.get()
    ComplaintPart.objects.filter(pk=part.pk).update(handler=handler)
    return ComplaintPart.objects.get(pk=part.pk)


def call(action, user, part, handler):
    now = timezone.now()
    run = {
        "resolve": lambda: services.resolve_informally(user=user, part=part, note="Opgelost."),
        "make-formal": lambda: services.make_formal(user=user, part=part),
        "assign": lambda: services.assign_handler(user=user, part=part, handler=handler),
        "hear": lambda: services.record_hearing(
            user=user, part=part, hearing_at=now, place="Stadhuis"
        ),
        "waive-hearing": lambda: services.waive_hearing(
            user=user, part=part, reason="klager-wil-niet"
        ),
        "postpone": lambda: services.postpone(user=user, part=part, reason="Drukte.", weeks=1),
        "decide": lambda: services.decide(
            user=user, part=part, finding="gegrond", findings="Klopt."
        ),
        "send-answer": lambda: services.send_answer(user=user, complaint=part.complaint),
        "withdraw": lambda: services.withdraw(user=user, part=part),
    }
    return run[action]()


@pytest.mark.parametrize("state", list(S))
def test_offered_actions_follow_the_oracle(state, part, coordinator, handler):
    ComplaintPart.objects.filter(pk=part.pk).update(state=state)
    part = ComplaintPart.objects.select_related("complaint").get(pk=part.pk)
    for who, user in (("coordinator", coordinator), ("handler", handler)):
        offered = set(states.PART.available_actions(state, services.parties(user, part), part))
        assert offered == expected(state, who), (state, who)


@pytest.mark.parametrize("state", list(S))
def test_services_refuse_what_the_oracle_forbids(state, part, coordinator, handler):
    ComplaintPart.objects.filter(pk=part.pk).update(state=state)
    part = ComplaintPart.objects.select_related("complaint").get(pk=part.pk)
    for who, user in (("coordinator", coordinator), ("handler", handler)):
        for action in ACTIONS:
            if action in expected(state, who):
                continue
            with pytest.raises((ValidationError, PermissionDenied)) as refused:
                call(action, user, part, handler)
            if isinstance(refused.value, ValidationError):
                assert refused.value.code == "invalid_transition", (state, who, action)
            assert ComplaintPart.objects.get(pk=part.pk).state == state


def test_nobody_else_is_a_party(part, uwv_coordinator, employee, team_lead):
    for user in (uwv_coordinator, employee, team_lead):
        assert services.parties(user, part) == frozenset()
