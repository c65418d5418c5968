"""Doorbraak requests: the state machine against an oracle written from the design (not from
cases/states.py), answering (grant, partly, refuse with a reason and the rule in the way), the
pause mandate within and beyond its limits, overturning within the agreed working days, the
escalation sweep at frozen moments, and the "belemmerende patronen" report.

    gevraagd     grant, partly, refuse      (the organisation asked)
                 withdraw                   (the case owner)
    gepauzeerd   confirm, overturn          (the organisation asked; overturn only within the
                                             agreed working days)
                 withdraw                   (the case owner)
    toegekend, deels, geweigerd, teruggedraaid, ingetrokken: nothing

Anyone else (another agency, the organisation's management without a contact role) takes no
step: PermissionDenied. A step in a state that does not allow it: ValidationError
"invalid_transition", nothing changed.

Wednesday 15 April 2026, 10:00. 2026: Koningsdag is Monday 27 April. Five working days after
Wednesday 15 April is Wednesday 22 April."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from eenloket.cases import selectors, services, states
from eenloket.cases.models import DoorbraakRequest, DoorbraakState, Mandate
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.models import Notification
from eenloket.core.roles import Role
from eenloket.core.sweeps import registry
from eenloket.worklist import services as worklist
from eenloket.worklist.models import Task, TaskState

from ..factories import staff

pytestmark = pytest.mark.django_db

D = dt.date
NOW = dt.datetime(2026, 4, 15, 10, 0, tzinfo=AMSTERDAM)  # Wednesday
S = DoorbraakState

# ---- the oracle ------------------------------------------------------------------------------------
ORACLE = {  # (action, party) → the states it may be taken from
    ("grant", "receiver"): {S.SENT},
    ("partly", "receiver"): {S.SENT},
    ("refuse", "receiver"): {S.SENT},
    ("confirm", "receiver"): {S.PAUSED},
    ("overturn", "receiver"): {S.PAUSED},
    ("withdraw", "owner"): {S.SENT, S.PAUSED},
}
TARGET = {
    "grant": S.GRANTED,
    "partly": S.PARTLY,
    "refuse": S.REFUSED,
    "confirm": S.GRANTED,
    "overturn": S.OVERTURNED,
    "withdraw": S.WITHDRAWN,
}
ACTIONS = list(TARGET)
STATES = list(S)
WHO = {  # fixture → who they are for a request of Enschede to Dienst Toeslagen
    "toeslagen_staff": {"receiver"},
    "toeslagen_coordinator": {"receiver"},
    "case_manager": {"owner"},
    "team_lead": {"owner"},
    "cjib_staff": set(),
    "toeslagen_management": set(),
}


def expected(action, who, state) -> str:
    allowed = [ORACLE[(action, p)] for p in WHO[who] if (action, p) in ORACLE]
    if not allowed:
        return "forbidden"
    return "ok" if any(state in s for s in allowed) else "stale"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def at(day, hour=10):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=AMSTERDAM)


@pytest.fixture
def involved(case, case_manager, grant, toeslagen, toeslagen_staff):
    """Toeslagen is involved (its contact person: toeslagen_staff) with the resident's consent."""
    services.add_party(
        user=case_manager, case=case, organisation=toeslagen, contact_person=toeslagen_staff
    )
    return grant(toeslagen)


@pytest.fixture
def mandate(enschede, toeslagen):
    return Mandate.objects.create(
        municipality=enschede,
        organisation=toeslagen,
        kinds=["invordering-pauzeren", "betalingsregeling"],
        max_amount=Decimal("2500"),
        max_days=90,
        overturn_days=5,
        valid_from=D(2026, 1, 1),
        agreement="Convenant schuldenaanpak Twente",
    )


def send(case, user, organisation, **changes):
    values = {
        "kind": "invordering-pauzeren",
        "motivation": "Het beslag maakt de huur onbetaalbaar; een regeling loopt",
        "answer_by": D(2026, 4, 24),
        "amount": "1800",
        "subject_reference": "TSL-2026-4471",
    }
    values.update(changes)
    return services.send_doorbraak(user=user, case=case, to_organisation=organisation, **values)


def pause(case, user, organisation, **changes):
    values = {
        "kind": "invordering-pauzeren",
        "motivation": "Beslag op de toeslag: de huur komt in gevaar",
        "pause_days": 60,
        "amount": "1500",
    }
    values.update(changes)
    return services.pause_with_mandate(user=user, case=case, to_organisation=organisation, **values)


def take(action, user, request):
    """`action` with input that is fine in the right state."""
    if action in ("grant", "partly", "refuse"):
        return services.answer_doorbraak(
            user=user,
            request=request,
            action=action,
            answer="Alleen de huurtoeslag, niet de zorgtoeslag",
            refusal_reason="informatie",
        )
    if action == "confirm":
        return services.confirm_pause(user=user, request=request)
    if action == "overturn":
        return services.overturn_pause(user=user, request=request, answer="Verrekening loopt al")
    if action == "withdraw":
        return services.withdraw_doorbraak(user=user, request=request)
    raise AssertionError(action)


@pytest.fixture
def bring_to(case, case_manager, toeslagen, toeslagen_staff, involved, mandate):
    def make(state) -> DoorbraakRequest:
        if state in (S.PAUSED, S.OVERTURNED):
            request = pause(case, case_manager, toeslagen)
        else:
            request = send(case, case_manager, toeslagen)
        if state in (S.GRANTED, S.PARTLY, S.REFUSED):
            take({S.GRANTED: "grant", S.PARTLY: "partly", S.REFUSED: "refuse"}[state],
                 toeslagen_staff, request)  # fmt: skip
        elif state == S.OVERTURNED:
            take("overturn", toeslagen_staff, request)
        elif state == S.WITHDRAWN:
            take("withdraw", case_manager, request)
        request = DoorbraakRequest.objects.get(pk=request.pk)
        assert request.state == state
        return request

    return make


def snapshot(request):
    row = DoorbraakRequest.objects.get(pk=request.pk)
    return (row.state, row.answer, row.answered_by_id, row.refusal_reason, row.answered_at)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", list(WHO))
def test_the_actions_offered_follow_the_oracle(request, bring_to, state, who):
    obj = bring_to(state)
    user = request.getfixturevalue(who)
    parties = services.doorbraak_parties(user, obj)
    offered = set(states.DOORBRAAK.available_actions(obj.state, parties, obj))
    assert offered == {a for a in ACTIONS if expected(a, who, state) == "ok"}


CASES = [
    (state, action, who)
    for state in STATES
    for action in ACTIONS
    for who in ("toeslagen_staff", "case_manager", "cjib_staff", "toeslagen_management")
]


@pytest.mark.parametrize(("state", "action", "who"), CASES)
def test_every_step_in_every_state_for_everyone(request, bring_to, state, action, who):
    obj = bring_to(state)
    user = request.getfixturevalue(who)
    before = snapshot(obj)
    outcome = expected(action, who, state)
    if outcome == "ok":
        take(action, user, obj)
        assert DoorbraakRequest.objects.get(pk=obj.pk).state == TARGET[action]
        return
    with pytest.raises(PermissionDenied if outcome == "forbidden" else ValidationError) as exc:
        take(action, user, obj)
    if outcome == "stale":
        assert exc.value.code == "invalid_transition"
    assert snapshot(obj) == before


# ---- sending and answering ------------------------------------------------------------------------
def doorbraak_task(request):
    return Task.objects.get(kind="doorbraak-beantwoorden", source_id=str(request.uuid))


def test_a_request_lands_with_the_contact_person_and_the_answer_reaches_the_case_manager(
    case, case_manager, involved, toeslagen, toeslagen_staff, toeslagen_coordinator
):
    obj = send(case, case_manager, toeslagen)
    task = doorbraak_task(obj)
    assert (task.organisation, task.assigned_to, task.state) == (
        toeslagen,
        toeslagen_staff,
        TaskState.OPEN,
    )
    assert task.due_at == dt.datetime(2026, 4, 24, 17, 0, tzinfo=AMSTERDAM)
    # With a named contact person the coordinator is not bothered.
    assert not Notification.objects.filter(user=toeslagen_coordinator).exists()
    assert obj.amount == Decimal("1800.00") and obj.state == S.SENT

    services.answer_doorbraak(user=toeslagen_staff, request=obj, action="grant")
    obj.refresh_from_db()
    assert (obj.state, obj.answered_by, obj.answered_at) == (S.GRANTED, toeslagen_staff, NOW)
    task.refresh_from_db()
    assert (task.state, task.outcome) == (TaskState.DONE, "beantwoord")
    assert Notification.objects.filter(
        user=case_manager, text="Dienst Toeslagen antwoordde op uw doorbraakverzoek: Toegekend"
    ).exists()


def test_without_a_contact_person_the_coordinators_hear_of_a_request(
    case, case_manager, grant, toeslagen, toeslagen_coordinator
):
    grant(toeslagen)  # involved by the consent, without a named contact person
    obj = send(case, case_manager, toeslagen)
    assert doorbraak_task(obj).assigned_to is None
    (note,) = Notification.objects.filter(user=toeslagen_coordinator)
    assert note.text.startswith("Nieuw doorbraakverzoek van Gemeente Enschede")


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"to_organisation": "cjib"}, "to_organisation", "Betrek deze organisatie eerst"),
        (
            {"to_organisation": "uninvolved-basis"},
            "to_organisation",
            "toestemming of een wettelijke",
        ),
        ({"answer_by": D(2026, 4, 15)}, "answer_by", "na vandaag"),
        ({"answer_by": D(2026, 7, 17)}, "answer_by", "binnen drie maanden"),
        ({"answer_by": None}, "answer_by", "antwoord nodig hebt"),
        ({"kind": "alles-kwijtschelden"}, "kind", "Kies wat u vraagt"),
        ({"motivation": ""}, "motivation", "waarom dit nodig is"),
        ({"amount": "-3"}, "amount", "groter dan 0"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_sent(
    request, case, case_manager, involved, toeslagen, changes, field, fragment
):
    organisation = toeslagen
    target = changes.pop("to_organisation", None)
    if target == "cjib":
        organisation = request.getfixturevalue("cjib")
    elif target == "uninvolved-basis":
        organisation = request.getfixturevalue("cjib")
        services.add_party(user=case_manager, case=case, organisation=organisation)
    with pytest.raises(ValidationError) as exc:
        send(case, case_manager, organisation, **changes)
    errors = exc.value.message_dict
    assert set(errors) == {field}
    assert fragment in errors[field][0]
    assert not DoorbraakRequest.objects.exists()
    assert not Task.objects.filter(kind="doorbraak-beantwoorden").exists()


@pytest.mark.parametrize(
    ("action", "values", "fields"),
    [
        ("refuse", {}, {"answer", "refusal_reason"}),
        ("refuse", {"answer": "Kan niet", "refusal_reason": "onzin"}, {"refusal_reason"}),
        ("refuse", {"answer": "Kan niet", "refusal_reason": "wet"}, {"obstructing_rule"}),
        ("refuse", {"answer": "Kan niet", "refusal_reason": "beleid"}, {"obstructing_rule"}),
        ("partly", {}, {"answer"}),
        ("kwijtschelden", {"answer": "Ja"}, {"action"}),
    ],
)
def test_a_refusal_needs_a_reason_and_law_or_policy_names_the_rule(
    case, case_manager, involved, toeslagen, toeslagen_staff, action, values, fields
):
    obj = send(case, case_manager, toeslagen)
    with pytest.raises(ValidationError) as exc:
        services.answer_doorbraak(user=toeslagen_staff, request=obj, action=action, **values)
    assert set(exc.value.message_dict) == fields
    assert snapshot(obj)[0] == S.SENT
    assert doorbraak_task(obj).state == TaskState.OPEN


def test_a_refusal_for_lack_of_information_needs_no_rule(
    case, case_manager, involved, toeslagen, toeslagen_staff
):
    obj = send(case, case_manager, toeslagen)
    services.answer_doorbraak(
        user=toeslagen_staff,
        request=obj,
        action="refuse",
        answer="Stuur de beschikking mee",
        refusal_reason="informatie",
    )
    obj.refresh_from_db()
    assert (obj.state, obj.refusal_reason, obj.obstructing_rule) == (S.REFUSED, "informatie", "")


def test_the_work_list_does_not_close_an_unanswered_request(
    case, case_manager, involved, toeslagen, toeslagen_staff
):
    obj = send(case, case_manager, toeslagen)
    task = doorbraak_task(obj)
    with pytest.raises(ValidationError):
        worklist.complete(user=toeslagen_staff, task=task, outcome="beantwoord")
    task.refresh_from_db()
    assert task.state == TaskState.OPEN


# ---- the pause mandate ---------------------------------------------------------------------------
def test_within_the_mandate_the_case_manager_pauses_at_once(
    case, case_manager, involved, mandate, toeslagen, toeslagen_staff, toeslagen_coordinator
):
    obj = pause(case, case_manager, toeslagen)
    assert (obj.state, obj.mandate, obj.paused_until, obj.overturn_until) == (
        S.PAUSED,
        mandate,
        D(2026, 6, 14),
        D(2026, 4, 22),
    )
    assert doorbraak_task(obj).assigned_to == toeslagen_staff
    for user in (toeslagen_staff, toeslagen_coordinator):
        (note,) = Notification.objects.filter(user=user, text__contains="pauzeerde met mandaat")
        assert "woensdag 22 april 2026" in note.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"pause_days": 91}, "pause_days", "Het mandaat gaat tot 90 dagen."),
        ({"amount": "2500,01"}, "amount", "Het mandaat gaat tot € 2.500,00."),
        ({"pause_days": None}, "pause_days", "Geef aan hoeveel dagen de pauze duurt."),
        ({"kind": "ontruiming-uitstellen"}, "kind", "Er is geen mandaat"),
    ],
)
def test_beyond_the_mandate_nothing_is_paused(
    case, case_manager, involved, mandate, toeslagen, changes, field, message
):
    with pytest.raises(ValidationError) as exc:
        pause(case, case_manager, toeslagen, **changes)
    errors = exc.value.message_dict
    assert set(errors) == {field}
    assert errors[field][0].startswith(message)
    assert not DoorbraakRequest.objects.exists()


def test_the_mandates_upper_limits_are_allowed(case, case_manager, involved, mandate, toeslagen):
    obj = pause(case, case_manager, toeslagen, pause_days=90, amount="2500")
    assert (obj.pause_days, obj.amount) == (90, Decimal("2500.00"))


def test_no_mandate_once_it_ended_or_with_another_organisation(
    case, case_manager, involved, mandate, grant, cjib, toeslagen
):
    grant(cjib)
    with pytest.raises(ValidationError) as exc:
        pause(case, case_manager, cjib)
    assert "Er is geen mandaat" in exc.value.message_dict["kind"][0]
    mandate.valid_until = D(2026, 4, 14)
    mandate.save()
    with pytest.raises(ValidationError):
        pause(case, case_manager, toeslagen)
    assert not DoorbraakRequest.objects.exists()


def test_overturning_within_the_agreed_working_days(
    case, case_manager, involved, mandate, toeslagen, toeslagen_staff, frozen
):
    obj = pause(case, case_manager, toeslagen)
    frozen.move_to(at(D(2026, 4, 22), 16))  # the fifth working day
    with pytest.raises(ValidationError) as exc:
        services.overturn_pause(user=toeslagen_staff, request=obj, answer="")
    assert "answer" in exc.value.message_dict
    services.overturn_pause(user=toeslagen_staff, request=obj, answer="Verrekening loopt al")
    obj.refresh_from_db()
    assert obj.state == S.OVERTURNED
    assert doorbraak_task(obj).state == TaskState.DONE
    assert Notification.objects.filter(
        user=case_manager, text__contains="draaide de pauze in casus"
    ).exists()


def test_after_the_agreed_working_days_the_pause_stands(
    case, case_manager, involved, mandate, toeslagen, toeslagen_staff, frozen
):
    obj = pause(case, case_manager, toeslagen)
    frozen.move_to(at(D(2026, 4, 23)))
    parties = services.doorbraak_parties(toeslagen_staff, obj)
    assert "overturn" not in states.DOORBRAAK.available_actions(obj.state, parties, obj)
    with pytest.raises(ValidationError) as exc:
        services.overturn_pause(user=toeslagen_staff, request=obj, answer="Te laat bedacht")
    assert exc.value.code == "overturn_expired"
    assert snapshot(obj)[0] == S.PAUSED
    # Confirming is still possible until the sweep settles it.
    assert "confirm" in states.DOORBRAAK.available_actions(obj.state, parties, obj)


# ---- the sweep -----------------------------------------------------------------------------------
@pytest.fixture
def management_days(settings):
    settings.DOORBRAAK_MANAGEMENT_WORKING_DAYS = 2


def sweep(frozen, day, hour=10) -> int:
    frozen.move_to(at(day, hour))
    return registry()["cases.escalate_doorbraak"].function(at(day, hour))


def escalations(user):
    return list(
        Notification.objects.filter(user=user, text__startswith="Doorbraakverzoek van").values_list(
            "text", flat=True
        )
    )


def test_a_late_answer_goes_to_the_coordinator_then_to_management(
    case,
    case_manager,
    involved,
    toeslagen,
    toeslagen_coordinator,
    toeslagen_management,
    frozen,
    management_days,
):
    obj = send(case, case_manager, toeslagen, answer_by=D(2026, 4, 17))  # Friday
    assert sweep(frozen, D(2026, 4, 17), 16) == 0  # the answer date itself is not late
    assert escalations(toeslagen_coordinator) == []

    assert sweep(frozen, D(2026, 4, 20)) == 1  # Monday
    assert escalations(toeslagen_coordinator) == [
        "Doorbraakverzoek van Gemeente Enschede niet op tijd beantwoord (Invordering of beslag "
        "tijdelijk stoppen, antwoord nodig op vrijdag 17 april 2026). Zorgt u voor een antwoord?"
    ]
    assert escalations(toeslagen_management) == []
    obj.refresh_from_db()
    assert (obj.escalation_level, obj.escalated_at) == (1, at(D(2026, 4, 20)))
    assert (
        Notification.objects.filter(
            user=case_manager, text__contains="aan Dienst Toeslagen is opgeschaald"
        ).count()
        == 1
    )

    # Idempotent: again the same day, and the two working days the coordinator has.
    assert sweep(frozen, D(2026, 4, 20), 11) == 0
    assert sweep(frozen, D(2026, 4, 21)) == 0
    assert sweep(frozen, D(2026, 4, 22), 23) == 0
    assert len(escalations(toeslagen_coordinator)) == 1
    assert escalations(toeslagen_management) == []

    assert sweep(frozen, D(2026, 4, 23)) == 1  # Thursday: two working days passed
    (text,) = escalations(toeslagen_management)
    assert "nog steeds zonder antwoord" in text
    assert len(escalations(toeslagen_coordinator)) == 1
    obj.refresh_from_db()
    assert obj.escalation_level == 2

    assert sweep(frozen, D(2026, 4, 23), 11) == 0
    assert sweep(frozen, D(2026, 4, 28)) == 0
    assert len(escalations(toeslagen_management)) == 1
    assert (
        Notification.objects.filter(user=case_manager, text__contains="is opgeschaald").count() == 2
    )


def test_the_working_days_for_management_skip_koningsdag(
    case,
    case_manager,
    involved,
    toeslagen,
    toeslagen_coordinator,
    toeslagen_management,
    frozen,
    management_days,
):
    send(case, case_manager, toeslagen, answer_by=D(2026, 4, 23))  # Thursday
    sweep(frozen, D(2026, 4, 24))  # Friday: coordinator
    assert len(escalations(toeslagen_coordinator)) == 1
    # Monday 27 April is Koningsdag: the two working days are Tuesday and Wednesday.
    for day in (D(2026, 4, 27), D(2026, 4, 28), D(2026, 4, 29)):
        sweep(frozen, day)
    assert escalations(toeslagen_management) == []
    sweep(frozen, D(2026, 4, 30))
    assert len(escalations(toeslagen_management)) == 1


def test_without_a_coordinator_management_hears_at_once(
    case, case_manager, grant, cjib, cjib_staff, cjib_management, frozen, management_days
):
    services.add_party(user=case_manager, case=case, organisation=cjib, contact_person=cjib_staff)
    grant(cjib, purpose="Boete in termijnen")
    obj = send(case, case_manager, cjib, kind="betalingsregeling", answer_by=D(2026, 4, 17))
    assert sweep(frozen, D(2026, 4, 20)) == 1
    (text,) = escalations(cjib_management)
    assert "niet op tijd beantwoord" in text
    obj.refresh_from_db()
    assert obj.escalation_level == 2
    for day in (D(2026, 4, 23), D(2026, 4, 24), D(2026, 5, 4)):
        assert sweep(frozen, day) == 0
    assert len(escalations(cjib_management)) == 1
    assert escalations(cjib_staff) == []


def test_an_answer_after_the_coordinator_stops_the_escalation(
    case,
    case_manager,
    involved,
    toeslagen,
    toeslagen_coordinator,
    toeslagen_management,
    frozen,
    management_days,
):
    obj = send(case, case_manager, toeslagen, answer_by=D(2026, 4, 17))
    sweep(frozen, D(2026, 4, 20))
    services.answer_doorbraak(user=toeslagen_coordinator, request=obj, action="grant")
    assert sweep(frozen, D(2026, 4, 23)) == 0
    assert escalations(toeslagen_management) == []


def test_a_pause_not_overturned_in_time_is_settled_as_granted(
    case, case_manager, involved, mandate, toeslagen, frozen
):
    obj = pause(case, case_manager, toeslagen)
    assert sweep(frozen, D(2026, 4, 22), 23) == 0  # the last day to overturn
    assert snapshot(obj)[0] == S.PAUSED
    assert sweep(frozen, D(2026, 4, 23)) == 1
    obj.refresh_from_db()
    assert (obj.state, obj.answered_by) == (S.GRANTED, None)
    task = doorbraak_task(obj)
    assert (task.state, task.outcome) == (TaskState.DONE, "termijn-verstreken")
    assert sweep(frozen, D(2026, 4, 24)) == 0  # once
    # A paused request is never escalated as unanswered.
    assert not Notification.objects.filter(text__contains="niet op tijd beantwoord").exists()


# ---- belemmerende patronen --------------------------------------------------------------------
def test_obstacle_patterns_count_refusals_and_the_rules_in_the_way(
    case,
    case_manager,
    involved,
    grant,
    toeslagen,
    toeslagen_staff,
    cjib,
    cjib_staff,
    frozen,
):
    grant(cjib, purpose="Boete in termijnen")
    rule = "Awb 4:93: verrekening met de toeslag"
    for _ in range(2):
        obj = send(case, case_manager, toeslagen)
        services.answer_doorbraak(
            user=toeslagen_staff,
            request=obj,
            action="refuse",
            answer="Verrekening is verplicht",
            refusal_reason="wet",
            obstructing_rule=rule,
        )
    frozen.move_to(NOW + dt.timedelta(days=1))
    granted = send(case, case_manager, toeslagen)
    services.answer_doorbraak(user=toeslagen_staff, request=granted, action="grant")
    send(case, case_manager, toeslagen)  # still open
    obj = send(case, case_manager, cjib, kind="betalingsregeling")
    services.answer_doorbraak(
        user=cjib_staff,
        request=obj,
        action="refuse",
        answer="Eerst de tweede aanmaning",
        refusal_reason="beleid",
        obstructing_rule="Invorderingsbeleid CJIB",
    )

    rows = selectors.obstacle_patterns(case_manager, since=D(2026, 4, 1), until=D(2026, 4, 30))
    by_org = {(r.organisation, r.kind): r for r in rows}
    tsl = by_org[("Dienst Toeslagen", "Invordering of beslag tijdelijk stoppen")]
    assert (tsl.total, tsl.granted, tsl.partly, tsl.refused, tsl.open) == (4, 1, 0, 2, 1)
    assert tsl.reasons == [("De wet laat het niet toe", 2)]
    assert tsl.rules == [(rule, 2)]
    assert tsl.median_days == 0  # answered the moment they were asked (frozen time)
    cj = by_org[("CJIB", "Betalingsregeling treffen")]
    assert (cj.total, cj.refused, cj.reasons, cj.rules) == (
        1,
        1,
        [("Ons beleid laat het niet toe", 1)],
        [("Invorderingsbeleid CJIB", 1)],
    )
    assert rows[0] is tsl  # most refusals first
    assert (
        selectors.obstacle_patterns(case_manager, since=D(2026, 5, 1), until=D(2026, 5, 31)) == []
    )


@pytest.mark.parametrize("who", ["privacy_officer", "counter_enschede"])
def test_obstacle_patterns_are_not_for_everyone(request, who):
    with pytest.raises(PermissionDenied):
        selectors.obstacle_patterns(
            request.getfixturevalue(who), since=D(2026, 4, 1), until=D(2026, 4, 30)
        )


def test_another_municipalitys_requests_are_not_in_the_report(
    case, case_manager, involved, toeslagen, maastricht
):
    send(case, case_manager, toeslagen)
    other = staff(maastricht, Role.CASEMANAGER)
    assert selectors.obstacle_patterns(other, since=D(2026, 4, 1), until=D(2026, 4, 30)) == []
