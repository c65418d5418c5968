"""The independence rule (Awb 9:7; decision XI) as a matrix of handler candidates against an
oracle table written here, independently of services.handler_verdict: the verdict, the assign
service without and with a stated reason, and the candidate list on the screen."""

import pytest
from django.core.exceptions import ValidationError

from eenloket.complaints import services
from eenloket.complaints.models import ComplaintPart, PartState

from .helpers import formal_part

pytestmark = pytest.mark.django_db

# candidate → (about the bestuursorgaan itself?) → (allowed, may be chosen with a reason)
ORACLE = {
    ("employee", False): (False, False),  # involved in the conduct: Awb 9:7 lid 1, never
    ("employee", True): (True, True),  # Awb 9:7 lid 2: the body handles its own conduct
    ("colleague", False): (False, True),  # same team: decision XI, only with a reason
    ("colleague", True): (False, True),
    ("team_lead", False): (False, True),  # team lead of the team concerned: decision XI
    ("team_lead", True): (False, True),
    ("other_team_member", False): (True, True),
    ("other_team_member", True): (True, True),
    ("handler", False): (True, True),
    ("handler", True): (True, True),
    ("uwv_handler", False): (False, False),  # another organisation: never
    ("uwv_handler", True): (False, False),
}
REASON_WORDS = {
    "employee": "betrokken",
    "colleague": "Werkt in het team",
    "team_lead": "teamleider",
    "uwv_handler": "Werkt niet bij",
}


@pytest.fixture
def people(employee, colleague, team_lead, other_team_member, handler, uwv_handler):
    return {
        "employee": employee,
        "colleague": colleague,
        "team_lead": team_lead,
        "other_team_member": other_team_member,
        "handler": handler,
        "uwv_handler": uwv_handler,
    }


@pytest.mark.parametrize(("who", "about_body"), sorted(ORACLE))
def test_verdict_and_assign_follow_the_oracle(
    who, about_body, people, coordinator, enschede, employee, resident
):
    part = formal_part(
        coordinator, enschede, resident=resident, employee=employee, about_body=about_body
    )
    assert part.team.name == "Burgerzaken"  # the employee's team is the team concerned
    allowed, with_reason = ORACLE[(who, about_body)]
    candidate = people[who]

    verdict = services.handler_verdict(part, candidate)
    assert verdict.allowed is allowed
    assert verdict.overridable is (with_reason and not allowed)
    if not allowed:
        assert REASON_WORDS[who] in verdict.reason

    # Without a reason: only the allowed ones; nothing written otherwise.
    if allowed:
        services.assign_handler(user=coordinator, part=part, handler=candidate)
        part.refresh_from_db()
        assert (part.handler, part.state, part.override_reason) == (
            candidate,
            PartState.HANDLING,
            "",
        )
        return
    with pytest.raises(ValidationError) as refused:
        services.assign_handler(user=coordinator, part=part, handler=candidate)
    assert verdict.reason in " ".join(refused.value.messages)
    assert ComplaintPart.objects.get(pk=part.pk).handler is None

    # With a stated reason: the team rule gives way (recorded), the law does not.
    reason = "Alleen zij kent de regels voor reisdocumenten; de teamleider is op vakantie."
    if with_reason:
        services.assign_handler(
            user=coordinator, part=part, handler=candidate, override_reason=reason
        )
        part.refresh_from_db()
        assert (part.handler, part.override_reason, part.override_by) == (
            candidate,
            reason,
            coordinator,
        )
    else:
        with pytest.raises(ValidationError):
            services.assign_handler(
                user=coordinator, part=part, handler=candidate, override_reason=reason
            )
        part.refresh_from_db()
        assert part.handler is None and part.override_reason == ""


def test_candidate_list_names_the_refusal(
    people, coordinator, enschede, employee, team_lead, handler, resident
):
    part = formal_part(coordinator, enschede, resident=resident, employee=employee)
    listed = dict(services.handler_candidates(part))
    assert people["uwv_handler"] not in listed  # only the organisation's own staff
    assert listed[team_lead].allowed is False
    assert "teamleider" in listed[team_lead].reason
    assert "Burgerzaken" in listed[team_lead].reason
    assert listed[employee].allowed is False and listed[employee].overridable is False
    assert listed[handler].allowed is True
    # The complaint handlers come first.
    assert services.handler_candidates(part)[0][0] == handler


def test_only_the_coordinator_assigns(coordinator, handler, enschede, employee, resident):
    from django.core.exceptions import PermissionDenied

    part = formal_part(coordinator, enschede, resident=resident, employee=employee)
    with pytest.raises(PermissionDenied):
        services.assign_handler(user=handler, part=part, handler=handler)
