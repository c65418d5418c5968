"""The task state machine (worklist/states.py) against the tests' own oracle, written from the
design, for every state × action × role: what the services allow and refuse, the API's
`available_actions` and status codes, and the buttons on the task page. Each attempt runs in a
savepoint that is rolled back, so every attempt starts from the same task."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from eenloket.core.roles import Role
from eenloket.worklist import selectors, services
from eenloket.worklist.models import Task, TaskState

from ..factories import staff
from .conftest import TEST_KIND

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)  # a Wednesday

# ---- the oracle -----------------------------------------------------------------------------------
# Who may take which step, from the design: the task's team (a contact role in its organisation
# and team, or a team lead of the organisation) and whoever has the task; only while it is open.
# Claiming is for the team: a task someone else holds is refused as a conflict, not offered.
ACTIONS = ["claim", "assign", "attempts", "complete", "cancel"]
ORACLE = {
    "team": {"claim", "assign", "attempts", "complete", "cancel"},
    "assignee": {"assign", "attempts", "complete", "cancel"},
}
ROLES = {  # who each test user is, for a task of team A in Enschede held by someone of team B
    "member": {"team"},  # team A
    "lead": {"team"},  # team lead of team B: still the organisation's lead
    "holder": {"assignee"},  # team B, the task was given to them
    "other_team": set(),  # team B, not the holder: may read it (a colleague), not act
    "maastricht": set(),
    "uwv": set(),  # UWV, working at the Enschede town hall
}
# Colleagues of the task's organisation who are no party: they read the task (what was promised
# to the resident), every step is refused (403).
READERS = {"other_team"}
STATES = [TaskState.OPEN, TaskState.DONE, TaskState.CANCELLED]
BUTTON = {
    "claim": "oppakken",
    "assign": "toewijzen",
    "attempts": "belpoging",
    "complete": "afronden",
    "cancel": "laten-vervallen",
}


def expected(action, role, state) -> str:
    """ok, forbidden (403), stale (409: not in this state), conflict (409: someone else holds
    it), hidden (not visible at all: 404 in the API and on the screens)."""
    parties = ROLES[role]
    if not parties:
        return "forbidden" if role in READERS else "hidden"
    if not any(action in ORACLE[p] for p in parties):
        return "forbidden"
    if state != TaskState.OPEN:
        return "stale"
    if action == "claim":
        return "conflict"  # the task is held by the holder
    return "ok"


def expected_actions(role, state) -> set:
    return {a for a in ACTIONS if expected(a, role, state) == "ok"}


# ---- the world ------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def w(
    enschede,
    maastricht,
    uwv,
    enschede_location,
    team_a,
    team_b,
    member_a,
    colleague_a,
    member_b,
    lead_b,
    counter_maastricht,
    uwv_staff,
    make_task,
):
    holder = member_b
    other = staff(enschede, Role.KCC_MEDEWERKER, team=team_b, username="kcc.b2")
    task = make_task(assigned_to=holder)
    users = {
        "member": member_a,
        "lead": lead_b,
        "holder": holder,
        "other_team": other,
        "maastricht": counter_maastricht,
        "uwv": uwv_staff,
    }
    return SimpleNamespace(task=task, users=users, colleague=colleague_a)


def _put_in(task, state):
    if state != TaskState.OPEN:
        Task.objects.filter(pk=task.pk).update(state=state, completed_at=NOW)
    task.refresh_from_db()
    return task


def _call(action, user, task, colleague):
    kwargs = {
        "claim": {},
        "assign": {"to_user": colleague},
        "attempts": {"result": "niet-bereikt", "note": "Geen gehoor"},
        "complete": {"outcome": "gedaan", "note": "Klaar"},
        "cancel": {"reason": "Dubbel"},
    }[action]
    step = {
        "claim": services.claim,
        "assign": services.assign,
        "attempts": services.log_attempt,
        "complete": services.complete,
        "cancel": services.cancel,
    }[action]
    return step(user=user, task=task, **kwargs)


def _attempt(action, user, task, colleague) -> str:
    try:
        with transaction.atomic():
            try:
                _call(action, user, task, colleague)
                return "ok"
            finally:
                transaction.set_rollback(True)
    except PermissionDenied:
        return "forbidden"
    except ValidationError as exc:
        codes = {e.code for e in exc.error_list} if not hasattr(exc, "error_dict") else set()
        if codes == {"already_claimed"}:
            return "conflict"
        assert codes == {"invalid_transition"}, exc
        return "stale"


@pytest.mark.parametrize("state", STATES)
def test_services_follow_the_oracle(w, state):
    task = _put_in(w.task, state)
    for role, user in w.users.items():
        for action in ACTIONS:
            want = expected(action, role, state)
            got = _attempt(action, user, task, w.colleague)
            # A user who cannot see the task is refused by the service (the screens and the
            # API do not even find it).
            assert got == ("forbidden" if want == "hidden" else want), (role, action, state)


@pytest.mark.parametrize("state", STATES)
def test_available_actions_and_buttons_follow_the_oracle(w, state, ui_as):
    task = _put_in(w.task, state)
    for role, user in w.users.items():
        client = ui_as(user)
        response = client.get(f"/taken/{task.uuid}/")
        if expected("assign", role, state) == "hidden":
            assert response.status_code == 404, role
            continue
        assert set(selectors.available_actions(user, task)) == expected_actions(role, state)
        page = response.content.decode()
        shown = set(re.findall(rf"/taken/{task.uuid}/([a-z-]+)/", page))
        want = {BUTTON[a] for a in expected_actions(role, state)}
        assert shown == want, (role, state)


STATUS = {"ok": 200, "forbidden": 403, "stale": 409, "conflict": 409, "hidden": 404}
API_BODY = {
    "claim": {},
    "assign": None,  # filled in with the colleague
    "attempts": {"result": "voicemail"},
    "complete": {"outcome": "gedaan"},
    "cancel": {"reason": "Dubbel aangemaakt"},
}


@pytest.mark.parametrize("state", STATES)
def test_the_api_follows_the_oracle(w, state, api_as):
    task = _put_in(w.task, state)
    for role, user in w.users.items():
        client = api_as(user)
        for action in ACTIONS:
            body = API_BODY[action] or {"to_user": str(w.colleague.uuid)}
            with transaction.atomic():
                response = client.post(f"/api/v1/tasks/{task.uuid}/{action}/", body, format="json")
                transaction.set_rollback(True)
            want = expected(action, role, state)
            assert response.status_code == STATUS[want], (role, action, state, response.content)
            if want in ("stale", "conflict"):
                assert response.json()["code"] in ("invalid_transition", "already_claimed")
        detail = client.get(f"/api/v1/tasks/{task.uuid}/")
        if not ROLES[role] and role not in READERS:
            assert detail.status_code == 404
        else:
            assert set(detail.json()["available_actions"]) == expected_actions(role, state)


def test_an_unassigned_task_offers_claim_to_the_team(w, make_task, ui_as):
    task = make_task()
    member = w.users["member"]
    assert "claim" in selectors.available_actions(member, task)
    assert "claim" not in selectors.available_actions(w.users["holder"], task)  # not their team
    services.claim(user=member, task=task)
    services.claim(user=member, task=task)  # again: the same answer
    task.refresh_from_db()
    assert task.assigned_to == member


def test_the_kind_without_calls_offers_no_attempt(w, make_task):
    from .conftest import TEST_NOTE_KIND

    task = make_task(kind=TEST_NOTE_KIND.code)
    member = w.users["member"]
    assert "attempts" not in selectors.available_actions(member, task)
    with pytest.raises(ValidationError):
        services.log_attempt(user=member, task=task, result="bereikt")
    assert TEST_KIND.is_call and not TEST_NOTE_KIND.is_call
