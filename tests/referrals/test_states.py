"""The state machines (referrals/states.py) against an independent oracle, for every state ×
action × role: what the services allow and refuse, what the API's `available_actions` says (and
that every step it offers is accepted and every other one refused), and which buttons the screens
show, with their texts.

The oracle (tests/state_oracle.py) is the tests' own: written from the design (who does what
when), not from states.py. Each attempt runs in a savepoint that is rolled back, so every attempt starts
from the same referral or consult."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from eenloket.core.roles import Role
from eenloket.referrals import services, states
from eenloket.referrals.models import (
    ConsultState,
    LiveConsult,
    OnDuty,
    Referral,
    ReferralState,
)

from ..factories import ContactMomentFactory, ResidentFactory, TeamFactory, staff
from ..state_oracle import (
    ACTIONS,
    BUTTON_TEXT,
    CONSULT_ACTIONS,
    CONSULT_BUTTON,
    CONSULT_ORACLE,
    CONSULT_ROLES,
    CONSULT_STATES,
    ORACLE,
    PARTIES,
    TARGET,
    WORKING,
    consult_expected,
    expected,
    expected_actions,
    expected_buttons,
)

pytestmark = pytest.mark.django_db
S = ReferralState
C = ConsultState
NOW = dt.datetime(2026, 5, 20, 10, 0, tzinfo=dt.UTC)  # a Wednesday, no public holiday


# ---- the world ------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def w(enschede, uwv, maastricht, enschede_location, counter_enschede):
    team = TeamFactory(organisation=uwv, name="Werk en inkomen")
    wmo = TeamFactory(organisation=enschede, name="Wmo-loket")
    contact = ContactMomentFactory(
        organisation=enschede,
        staff=counter_enschede,
        resident=ResidentFactory(),
        location=enschede_location,
        question="Ik ben mijn baan kwijt.",
    )
    worker = staff(uwv, Role.MEDEWERKER_UITVOERING, team=team, username="uwv.werker")
    wmo_worker = staff(enschede, Role.BALIEMEDEWERKER, team=wmo, username="wmo.werker")
    return SimpleNamespace(
        uwv=uwv,
        enschede=enschede,
        maastricht=maastricht,
        location=enschede_location,
        team=team,
        wmo=wmo,
        contact=contact,
        worker=worker,
        wmo_worker=wmo_worker,
        users={
            "sender": counter_enschede,
            "receiver": staff(uwv, Role.MEDEWERKER_UITVOERING, team=team, username="uwv.1"),
            "lead": staff(uwv, Role.TEAMLEIDER, username="uwv.lead"),
            "both": staff(enschede, Role.BALIEMEDEWERKER, team=wmo, username="wmo.1"),
            "other_team": staff(
                uwv,
                Role.MEDEWERKER_UITVOERING,
                team=TeamFactory(organisation=uwv, name="Uitkeringen"),
                username="uwv.ander-team",
            ),
            "no_role": staff(uwv, Role.MANAGEMENT, team=team, username="uwv.management"),
        },
    )


def referral_in(w, state, role) -> Referral:
    """A referral in `state`, brought there through the services by others than `role`'s user;
    unassigned where the receiver is working on it (so that taking it is a real step)."""
    internal = role == "both"
    sender = w.users["sender"]
    worker = w.wmo_worker if internal else w.worker
    r = services.create_referral(
        user=sender,
        contact=w.contact,
        to_organisation=w.enschede if internal else w.uwv,
        to_team=w.wmo if internal else w.team,
        reason="Hulp bij de WW.",
        preferred_channel="telefoon",
    )
    if state in (S.RETURNED, S.REREFERRED):
        services.return_referral(user=worker, referral=r, reason="Hoort elders.")
        if state == S.REREFERRED:
            services.rerefer(user=sender, referral=r, to_organisation=w.maastricht, reason="Nu.")
    elif state == S.CLOSED:
        services.close(user=worker, referral=r, reason="Wil geen hulp.")
    elif state != S.SENT:
        services.accept(user=worker, referral=r)
        if state in (S.CONTACTED, S.HELPED):
            services.mark_contacted(user=worker, referral=r)
        if state == S.HELPED:
            services.mark_helped(user=worker, referral=r)
    Referral.objects.filter(pk=r.pk).update(assigned_to=None)
    r = Referral.objects.get(pk=r.pk)
    assert r.state == state
    return r


def call_service(w, action, user, referral, internal):
    colleague = w.wmo_worker if internal else w.worker
    calls = {
        "claim": lambda: services.claim(user=user, referral=referral),
        "assign": lambda: services.assign(user=user, referral=referral, to_user=colleague),
        "accept": lambda: services.accept(user=user, referral=referral),
        "return": lambda: services.return_referral(user=user, referral=referral, reason="Nee."),
        "contacted": lambda: services.mark_contacted(user=user, referral=referral),
        "helped": lambda: services.mark_helped(user=user, referral=referral),
        "close": lambda: services.close(user=user, referral=referral, reason="Klaar."),
        "rerefer": lambda: services.rerefer(
            user=user, referral=referral, to_organisation=w.maastricht, reason="Elders."
        ),
    }
    return calls[action]()


class Undo(Exception):
    pass


def attempt(call, row_state) -> tuple[str, object]:
    """Run `call` in a savepoint that is always rolled back: ("ok", state after),
    ("forbidden", message) or ("stale", code)."""
    try:
        with transaction.atomic():
            call()
            raise Undo(row_state())
    except Undo as done:
        return "ok", done.args[0]
    except PermissionDenied as exc:
        return "forbidden", str(exc)
    except ValidationError as exc:
        return "stale", exc.code


ROLES = list(PARTIES)


def test_the_oracle_covers_every_state_and_role():
    assert set(S.values) == WORKING | {S.RETURNED, S.HELPED, S.CLOSED, S.REREFERRED}
    assert {a for a, _p in ORACLE} == set(ACTIONS) == set(states.REFERRAL.actions)


@pytest.mark.parametrize("role", ROLES)
def test_the_services_follow_the_oracle_for_every_state_and_action(w, role):
    user = w.users[role]
    wrong = []
    for state in S.values:
        referral = referral_in(w, state, role)
        for action in ACTIONS:
            outcome, detail = attempt(
                lambda a=action, r=referral: call_service(w, a, user, r, role == "both"),
                lambda r=referral: Referral.objects.get(pk=r.pk).state,
            )
            want = expected(action, role, state)
            if outcome != want:
                wrong.append((state, action, outcome, detail, want))
            elif outcome == "ok" and detail != TARGET.get(action, state):
                wrong.append((state, action, "ended in", detail, TARGET.get(action, state)))
            elif outcome == "stale" and detail != "invalid_transition":
                wrong.append((state, action, "code", detail))
        assert Referral.objects.get(pk=referral.pk).state == state  # every attempt undone
    assert wrong == []


@pytest.mark.parametrize("role", ["sender", "receiver", "lead", "both", "other_team"])
def test_available_actions_in_the_api_follow_the_oracle_and_are_accepted(w, api_as, role):
    client = api_as(w.users[role])
    internal = role == "both"
    bodies = {
        "assign": {"to_user": str((w.wmo_worker if internal else w.worker).uuid)},
        "return": {"reason": "Hoort elders."},
        "close": {"reason": "Klaar."},
        "rerefer": {"to_organisation": "gemeente-maastricht", "reason": "Daar."},
    }
    status_of = {"ok": {200, 201}, "forbidden": {403}, "stale": {409}}
    wrong = []
    for state in S.values:
        referral = referral_in(w, state, role)
        url = f"/api/v1/referrals/{referral.uuid}/"
        offered = client.get(url).json()["available_actions"]
        if set(offered) != expected_actions(role, state) or len(offered) != len(set(offered)):
            wrong.append((state, "available_actions", offered, expected_actions(role, state)))
        for action in ACTIONS:
            with transaction.atomic():
                response = client.post(f"{url}{action}/", bodies.get(action, {}), format="json")
                transaction.set_rollback(True)
            if response.status_code not in status_of[expected(action, role, state)]:
                wrong.append((state, action, response.status_code, expected(action, role, state)))
            if (action in offered) != (response.status_code in status_of["ok"]):
                wrong.append((state, action, "offered", action in offered, response.status_code))
    assert wrong == []


def test_without_a_contact_role_the_api_refuses_everything(w, api_as):
    client = api_as(w.users["no_role"])
    referral = referral_in(w, S.SENT, "receiver")
    assert client.get(f"/api/v1/referrals/{referral.uuid}/").status_code == 403
    for action in ACTIONS:
        response = client.post(f"/api/v1/referrals/{referral.uuid}/{action}/", {}, format="json")
        assert response.status_code == 403, action


def buttons_on(page: str, referral) -> set[str]:
    return set(re.findall(rf"/doorverwijzingen/{referral.uuid}/([a-z-]+)/", page))


@pytest.mark.parametrize("role", ["sender", "receiver", "lead", "both", "other_team"])
def test_the_buttons_follow_the_oracle_with_the_same_texts(w, ui_as, role):
    client = ui_as(w.users[role])
    wrong = []
    for state in S.values:
        referral = referral_in(w, state, role)
        page = client.get(f"/doorverwijzingen/{referral.uuid}/").content.decode()
        shown = buttons_on(page, referral)
        if shown != expected_buttons(role, state):
            wrong.append((state, shown, expected_buttons(role, state)))
        for slug in shown:
            if f">{BUTTON_TEXT[slug]}<" not in page:
                wrong.append((state, slug, "text missing"))
    assert wrong == []


def test_taking_is_offered_only_while_nobody_holds_the_referral(w, api_as):
    referral = referral_in(w, S.ACCEPTED, "receiver")
    receiver, worker = w.users["receiver"], w.worker
    services.claim(user=worker, referral=referral)
    for user in (receiver, worker):
        offered = api_as(user).get(f"/api/v1/referrals/{referral.uuid}/").json()
        assert "claim" not in offered["available_actions"]
        assert "assign" in offered["available_actions"]
    # The service says why: someone else holds it; the holder's own claim changes nothing.
    with pytest.raises(ValidationError) as info:
        services.claim(user=receiver, referral=referral)
    assert info.value.code == "already_claimed"
    assert services.claim(user=worker, referral=referral).assigned_to == worker


def test_the_tables_labels_and_slugs_are_the_buttons_users_know():
    rows = {row.slug: str(row.label) for row in states.REFERRAL.steps}
    assert rows == BUTTON_TEXT
    consult = {row.slug: str(row.label) for row in states.CONSULT.steps if row.slug}
    assert consult == {
        "aannemen": "Aannemen",
        "intrekken": "Intrekken",
        "doorverwijzen": "Doorverwijzing maken",
        "afspraak": "Afspraak vastleggen",
    }


def test_open_and_final_states_and_overdue_follow_from_the_table():
    assert {S.SENT, S.ACCEPTED, S.CONTACTED, S.RETURNED} == states.OPEN
    assert {S.HELPED, S.CLOSED, S.REREFERRED} == states.FINAL
    assert states.WORKING == WORKING
    late = NOW - dt.timedelta(hours=1)
    soon = NOW + dt.timedelta(hours=1)
    for state in S.values:
        # Not accepted in time counts only while waiting for acceptance; not contacted in time
        # while waiting for acceptance or for the contact.
        accept_late = SimpleNamespace(state=state, accept_due_at=late, contact_due_at=soon)
        contact_late = SimpleNamespace(state=state, accept_due_at=soon, contact_due_at=late)
        assert states.is_overdue(accept_late, NOW) is (state == S.SENT)
        assert states.is_overdue(contact_late, NOW) is (state in (S.SENT, S.ACCEPTED))


def test_the_overdue_list_and_flag_agree(w):
    """One definition: the queryset filter and the flag on one referral say the same."""
    referrals = {state: referral_in(w, state, "receiver") for state in S.values}
    later = NOW + dt.timedelta(days=10)
    in_list = set(Referral.objects.filter(states.overdue_q(later)).values_list("state", flat=True))
    flagged = {s for s, r in referrals.items() if states.is_overdue(r, later)}
    assert in_list == flagged == {S.SENT, S.ACCEPTED}


@pytest.fixture
def cw(w, uwv):
    requester = w.users["sender"]
    colleague = staff(uwv, Role.MEDEWERKER_UITVOERING, username="uwv.dienst")
    services.start_duty(user=colleague, location=w.location)
    return SimpleNamespace(
        w=w,
        users={
            "requester": requester,
            "requester_colleague": staff(w.enschede, Role.KCC_MEDEWERKER, username="kcc.1"),
            "colleague": colleague,
            "off_duty": staff(uwv, Role.MEDEWERKER_UITVOERING, username="uwv.vrij"),
            "no_role": staff(uwv, Role.MANAGEMENT, username="uwv.baas"),
        },
    )


def consult_in(cw, state) -> LiveConsult:
    requester, colleague = cw.users["requester"], cw.users["colleague"]
    consult = services.request_consult(
        user=requester, contact=cw.w.contact, to_organisation=cw.w.uwv, question="Vraag."
    )
    if state in ("timed-out", "expired"):
        LiveConsult.objects.filter(pk=consult.pk).update(expires_at=NOW - dt.timedelta(seconds=1))
        if state == "expired":
            assert services.expire_consults() == 1
    elif state == "cancelled":
        services.cancel_consult(user=requester, consult=consult)
    elif state == "accepted":
        services.accept_consult(user=colleague, consult=consult)
    elif state == "referral":
        services.consult_to_referral(
            user=requester, consult=consult, reason="Toch doorverwijzen.", preferred_channel="post"
        )
    elif state == "appt":
        services.consult_to_appointment(user=requester, consult=consult, note="Morgen om 9.")
    return LiveConsult.objects.get(pk=consult.pk)


def consult_call(action, user, consult):
    calls = {
        "accept": lambda: services.accept_consult(user=user, consult=consult),
        "cancel": lambda: services.cancel_consult(user=user, consult=consult),
        "to-referral": lambda: services.consult_to_referral(
            user=user, consult=consult, reason="Doorverwijzen.", preferred_channel="telefoon"
        ),
        "to-appointment": lambda: services.consult_to_appointment(
            user=user, consult=consult, note="Afspraak gemaakt."
        ),
    }
    return calls[action]()


CONSULT_TARGET = {
    "accept": C.ACCEPTED,
    "cancel": C.CANCELLED,
    "to-referral": C.REFERRED,
    "to-appointment": C.APPOINTMENT,
}


def test_the_consult_oracle_covers_the_table():
    assert {a for a, _p in CONSULT_ORACLE} == set(CONSULT_ACTIONS)
    assert [a for a in states.CONSULT.actions if a != "expire"] == CONSULT_ACTIONS


@pytest.mark.parametrize("role", list(CONSULT_ROLES))
def test_the_consult_services_follow_the_oracle(cw, role):
    user = cw.users[role]
    if role == "no_role":  # a duty row without a contact role does not make them on duty
        OnDuty.objects.create(
            staff=user,
            organisation=cw.w.uwv,
            location=cw.w.location,
            since=NOW,
            until=NOW + dt.timedelta(hours=2),
        )
    wrong = []
    for state in CONSULT_STATES:
        consult = consult_in(cw, state)
        for action in CONSULT_ACTIONS:
            outcome, detail = attempt(
                lambda a=action, c=consult: consult_call(a, user, c),
                lambda c=consult: LiveConsult.objects.get(pk=c.pk).state,
            )
            want = consult_expected(action, role, state)
            if outcome != want:
                wrong.append((state, action, outcome, detail, want))
            elif outcome == "ok" and detail != CONSULT_TARGET[action]:
                wrong.append((state, action, "ended in", detail))
            elif outcome == "stale" and detail not in ("not_open", "already_taken"):
                wrong.append((state, action, "code", detail))
    assert wrong == []


@pytest.mark.parametrize("role", ["requester", "requester_colleague", "colleague", "off_duty"])
def test_consult_available_actions_in_the_api_follow_the_oracle(cw, api_as, role):
    client = api_as(cw.users[role])
    bodies = {
        "to-referral": {"reason": "Doorverwijzen.", "preferred_channel": "telefoon"},
        "to-appointment": {"note": "Afspraak gemaakt."},
    }
    status_of = {"ok": {200, 201}, "forbidden": {403}, "stale": {409}}
    wrong = []
    for state in CONSULT_STATES:
        consult = consult_in(cw, state)
        url = f"/api/v1/live-consults/{consult.uuid}/"
        offered = client.get(url).json()["available_actions"]
        want = {a for a in CONSULT_ACTIONS if consult_expected(a, role, state) == "ok"}
        if set(offered) != want:
            wrong.append((state, offered, want))
        for action in CONSULT_ACTIONS:
            with transaction.atomic():
                response = client.post(f"{url}{action}/", bodies.get(action, {}), format="json")
                transaction.set_rollback(True)
            if response.status_code not in status_of[consult_expected(action, role, state)]:
                wrong.append((state, action, response.status_code))
    assert wrong == []


def consult_buttons(page: str, consult) -> set[str]:
    return set(re.findall(rf"/overleg/{consult.uuid}/([a-z-]+)/", page)) - {"stand"}


def test_the_requesters_consult_buttons_follow_the_oracle(cw, ui_as):
    client = ui_as(cw.users["requester"])
    for state in CONSULT_STATES:
        consult = consult_in(cw, state)
        page = client.get(f"/overleg/{consult.uuid}/").content.decode()
        want = {
            CONSULT_BUTTON[a]
            for a in CONSULT_ACTIONS
            if consult_expected(a, "requester", state) == "ok"
        }
        if state == "open":  # while waiting, the page offers only to withdraw
            want -= {"doorverwijzen", "afspraak"}
        assert consult_buttons(page, consult) == want, state


def test_the_on_duty_colleague_gets_the_accept_button_only_while_open(cw, ui_as):
    client = ui_as(cw.users["colleague"])
    consults = {state: consult_in(cw, state) for state in CONSULT_STATES}
    page = client.get("/overleg/").content.decode()
    for state, consult in consults.items():
        want = {"aannemen"} if consult_expected("accept", "colleague", state) == "ok" else set()
        assert consult_buttons(page, consult) == want, state
    assert client.get("/overleg/").content.decode().count(">Aannemen<") == 1


def test_the_schema_documents_available_actions_with_their_values(api_client):
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    for name, actions in (("Referral", ACTIONS), ("LiveConsult", CONSULT_ACTIONS)):
        field = components[name]["properties"]["available_actions"]
        assert field["readOnly"] is True and field["type"] == "array"
        enum = components[field["items"]["$ref"].rsplit("/", 1)[1]]["enum"]
        assert enum == actions, name
        assert "available_actions" in components[name]["required"]
