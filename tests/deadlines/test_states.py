"""Which step is allowed from which state, and for whom, against an oracle written from the
design (not from states.py):

    open        suspend, extend (only while the law allows one more: the legal extension not
                yet taken, or a further delay with consent), delay-notice (Awb 4:14),
                default-notice (the ingebrekestelling), decide, withdraw
    suspended   resume, delay-notice, decide, withdraw (no ingebrekestelling: the term stands still)
    decided     nothing
    withdrawn   nothing

Staff with a contact role in the request's organisation take the steps; anyone else gets no
actions and PermissionDenied from every service. A step in a state that does not allow it is a
ValidationError with code "invalid_transition", and changes nothing. Who sees the requests:
the organisation's contact roles; not another municipality, not UWV, not a user with only the
management role (who does read the figures)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from eenloket.core.calendar import AMSTERDAM
from eenloket.core.roles import Role
from eenloket.deadlines import selectors, services
from eenloket.deadlines.models import (
    DelayNotice,
    Extension,
    RequestType,
    Suspension,
    TrackedRequest,
)
from eenloket.organisations.models import Membership

from ..factories import staff

pytestmark = pytest.mark.django_db

D = dt.date
NOW = dt.datetime(2026, 4, 15, 10, 0, tzinfo=AMSTERDAM)  # Wednesday

OPEN, SUSPENDED, DECIDED, WITHDRAWN = "open", "opgeschort", "besloten", "ingetrokken"
STATES = (OPEN, SUSPENDED, DECIDED, WITHDRAWN)
PERSON_ACTIONS = (
    "suspend",
    "resume",
    "extend",
    "delay-notice",
    "default-notice",
    "decide",
    "withdraw",
)
# Types where the law allows an extension (or a further delay with consent).
EXTENDABLE = {"bezwaar", "klacht", "woo-verzoek", "avg-inzage"}
ALL_TYPES = ("aanvraag", "wmo-melding", "wmo-aanvraag", *sorted(EXTENDABLE))
BY_STATE = {
    OPEN: {"suspend", "extend", "delay-notice", "default-notice", "decide", "withdraw"},
    # No ingebrekestelling while the clock stands still.
    SUSPENDED: {"resume", "delay-notice", "decide", "withdraw"},
    DECIDED: set(),
    WITHDRAWN: set(),
}


def oracle(state: str, code: str) -> set[str]:
    allowed = set(BY_STATE[state])
    if code not in EXTENDABLE:
        allowed.discard("extend")
    return allowed


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def registered(register, code):
    extra = {"decision_published_on": D(2026, 2, 10)} if code == "bezwaar" else {}
    # A Wmo-aanvraag (2 weeks) received on 24 March would be late by now, and a late request
    # cannot be suspended with a date in the past: received on 1 April, it ends today.
    received_on = D(2026, 4, 1) if code == "wmo-aanvraag" else D(2026, 3, 24)
    return register(code, received_on=received_on, **extra)


def bring_to(obj, state, user):
    if state == SUSPENDED:
        services.suspend(user=user, request=obj, starts_on=D(2026, 4, 1), reason="Stukken")
    elif state == DECIDED:
        services.decide(user=user, request=obj, decided_on=D(2026, 4, 15))
    elif state == WITHDRAWN:
        services.withdraw(user=user, request=obj)
    obj = TrackedRequest.objects.select_related("request_type").get(pk=obj.pk)
    assert obj.state == state
    return obj


def take(action, user, obj):
    """Take `action` with input that would be fine in the right state."""
    if action == "suspend":
        return services.suspend(user=user, request=obj, starts_on=D(2026, 4, 2), reason="Stukken")
    if action == "resume":
        return services.resume(user=user, request=obj, ends_on=D(2026, 4, 10))
    if action == "extend":
        return services.extend(user=user, request=obj, reason="Er zijn veel stukken.")
    if action == "delay-notice":
        return services.send_delay_notice(
            user=user, request=obj, reason="Advies komt later", expected_on=D(2026, 9, 1)
        )
    if action == "default-notice":
        return services.record_default_notice(user=user, request=obj, received_on=D(2026, 4, 15))
    if action == "decide":
        return services.decide(user=user, request=obj, decided_on=D(2026, 4, 15))
    if action == "withdraw":
        return services.withdraw(user=user, request=obj)
    raise AssertionError(action)


def snapshot(obj):
    row = TrackedRequest.objects.get(pk=obj.pk)
    return (
        row.state,
        row.due_date,
        row.days_left,
        row.decided_on,
        row.default_notice_on,
        row.expected_on,
        Suspension.objects.filter(request=row).count(),
        Extension.objects.filter(request=row).count(),
        DelayNotice.objects.filter(request=row).count(),
    )


# ---- the actions offered -----------------------------------------------------------------------
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("code", ALL_TYPES)
def test_the_actions_offered_to_staff_follow_the_oracle(register, handler, lead, code, state):
    obj = bring_to(registered(register, code), state, handler)
    assert set(selectors.available_actions(handler, obj)) == oracle(state, code)
    # The team lead has a contact role too: the same steps.
    assert set(selectors.available_actions(lead, obj)) == oracle(state, code)


def test_a_bezwaar_offers_a_further_delay_after_its_extension(register, handler):
    obj = registered(register, "bezwaar")
    services.extend(user=handler, request=obj, reason="Advies komt later")
    obj = TrackedRequest.objects.get(pk=obj.pk)
    assert set(selectors.available_actions(handler, obj)) == oracle(OPEN, "bezwaar")


@pytest.mark.parametrize("code", ["klacht", "woo-verzoek", "avg-inzage"])
def test_after_the_only_extension_the_law_gives_extend_is_no_longer_offered(
    register, handler, code
):
    obj = registered(register, code)
    services.extend(user=handler, request=obj, reason="Er zijn veel stukken.")
    obj = TrackedRequest.objects.get(pk=obj.pk)
    assert set(selectors.available_actions(handler, obj)) == oracle(OPEN, code) - {"extend"}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(
    "who", ["counter_maastricht", "uwv_staff", "management_enschede", "privacy_officer"]
)
def test_others_get_no_actions(register, handler, request, state, who):
    obj = bring_to(registered(register, "bezwaar"), state, handler)
    assert selectors.available_actions(request.getfixturevalue(who), obj) == []


# ---- the services refuse --------------------------------------------------------------------------
WRONG = [
    (state, action)
    for state in STATES
    for action in PERSON_ACTIONS
    if action not in BY_STATE[state]
]


@pytest.mark.parametrize(("state", "action"), WRONG)
def test_a_step_in_a_wrong_state_is_an_invalid_transition(register, handler, state, action):
    obj = bring_to(registered(register, "woo-verzoek"), state, handler)
    before = snapshot(obj)
    with pytest.raises(ValidationError) as exc:
        take(action, handler, obj)
    assert exc.value.code == "invalid_transition"
    assert snapshot(obj) == before


@pytest.mark.parametrize("action", PERSON_ACTIONS)
@pytest.mark.parametrize("who", ["counter_maastricht", "uwv_staff", "management_enschede"])
@pytest.mark.parametrize("state", [OPEN, SUSPENDED])
def test_others_are_refused_by_every_service(register, handler, request, who, state, action):
    obj = bring_to(registered(register, "woo-verzoek"), state, handler)
    before = snapshot(obj)
    with pytest.raises(PermissionDenied):
        take(action, request.getfixturevalue(who), obj)
    assert snapshot(obj) == before


def test_a_deactivated_colleague_is_refused(register, enschede, team, handler):
    gone = staff(enschede, Role.BALIEMEDEWERKER, team=team, is_active=False)
    obj = registered(register, "woo-verzoek")
    assert selectors.available_actions(gone, obj) == []
    with pytest.raises(PermissionDenied):
        take("decide", gone, obj)


def test_every_step_of_the_oracle_can_be_taken(register, handler):
    """The other side of the table: what is offered works (with fitting input)."""
    woo = registered(register, "woo-verzoek")  # due 21 April
    for action in ("delay-notice", "suspend"):
        take(action, handler, woo)
    take("resume", handler, woo)
    take("extend", handler, woo)
    take("decide", handler, woo)
    assert TrackedRequest.objects.get(pk=woo.pk).state == DECIDED
    other = registered(register, "woo-verzoek")
    take("withdraw", handler, other)
    assert TrackedRequest.objects.get(pk=other.pk).state == WITHDRAWN


# ---- who sees the requests ------------------------------------------------------------------------
CONTACT_ROLES = [
    Role.BALIEMEDEWERKER,
    Role.KCC_MEDEWERKER,
    Role.MEDEWERKER_UITVOERING,
    Role.CASEMANAGER,
    Role.TEAMLEIDER,
    Role.KLACHTCOORDINATOR,
    Role.KLACHTBEHANDELAAR,
]
NOT_CONTACT_ROLES = [
    Role.MANAGEMENT,
    Role.FUNCTIONEEL_BEHEERDER,
    Role.PRIVACYFUNCTIONARIS,
    Role.INTERMEDIAIR,
]


@pytest.mark.parametrize("role", CONTACT_ROLES)
def test_contact_roles_of_the_organisation_see_its_requests(register, enschede, role):
    obj = registered(register, "aanvraag")
    user = staff(enschede, role)
    assert list(selectors.visible_requests(user)) == [obj]


@pytest.mark.parametrize("role", NOT_CONTACT_ROLES)
def test_other_roles_of_the_organisation_do_not(register, enschede, role):
    registered(register, "aanvraag")
    assert not selectors.visible_requests(staff(enschede, role)).exists()


@pytest.mark.parametrize("who", ["counter_maastricht", "uwv_staff", "no_membership_user"])
def test_other_organisations_do_not(register, request, who):
    registered(register, "aanvraag")
    assert not selectors.visible_requests(request.getfixturevalue(who)).exists()


def test_a_role_counts_only_in_its_own_organisation(register, enschede, maastricht, team):
    """Management in Enschede and a contact role in Maastricht: none of Enschede's requests."""
    registered(register, "aanvraag")
    user = staff(maastricht, Role.KCC_MEDEWERKER)
    Membership.objects.create(user=user, organisation=enschede, role=Role.MANAGEMENT)
    assert not selectors.visible_requests(user).exists()
    with pytest.raises(PermissionDenied):
        services.register(
            user=user,
            organisation=enschede,
            request_type=RequestType.objects.get(organisation=None, code="aanvraag"),
            subject="Aanvraag",
            team=team,
            received_on=D(2026, 4, 1),
        )


@pytest.mark.parametrize(
    ("who", "sees_enschede"),
    [
        ("management_enschede", True),
        ("lead", True),
        ("catalogue_manager_enschede", True),
        ("handler", True),
        ("privacy_officer", False),
        ("counter_maastricht", False),
        ("uwv_staff", False),
    ],
)
def test_who_reads_the_figures(request, enschede, who, sees_enschede):
    user = request.getfixturevalue(who)
    assert (enschede in selectors.report_organisations(user)) is sees_enschede
