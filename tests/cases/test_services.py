"""Cases through the services: recording consent (the four conditions for free consent each with
their own Dutch error, a legal ground with its law and article, partners only by consent, the
dates) with nothing written on bad input; problems and the action plan (an action is a task in
the owner organisation's work list; finishing it closes the task); notes within what is shared;
closing; the doorbraak budget; and early signals of payment arrears (matched by address, the
same reference once, a second reporter joins the household's first signal, the debt team's
task closed by the offer).

Wednesday 15 April 2026, 10:00 in Enschede. Five working days later is Wednesday 22 April."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from eenloket.cases import selectors, services
from eenloket.cases.models import (
    ActionStatus,
    ArrearsSignal,
    BudgetSpending,
    CasePart,
    CaseParty,
    CaseStatus,
    CaseUpdate,
    Consent,
    ConsentBasis,
    DoorbraakBudget,
    LifeDomain,
    Problem,
)
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.models import Notification
from eenloket.core.roles import Role
from eenloket.worklist import services as worklist
from eenloket.worklist.models import Task, TaskState

from ..factories import OrganisationFactory, ResidentFactory, staff

pytestmark = pytest.mark.django_db

D = dt.date
NOW = dt.datetime(2026, 4, 15, 10, 0, tzinfo=AMSTERDAM)  # Wednesday
TODAY = NOW.date()
MONEY, HOUSING = LifeDomain.FINANCES, LifeDomain.HOUSING


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def errors_of(exc) -> dict:
    return {k: [str(m) for m in v] for k, v in exc.value.message_dict.items()}


# ---- recording consent ------------------------------------------------------------------------------
def consent_input(case, case_manager, org, **changes):
    values = {
        "user": case_manager,
        "case": case,
        "organisation": org,
        "parts": [CasePart.PROBLEMS, CasePart.PLAN],
        "domains": [MONEY],
        "purpose": "Terugvordering toeslagen afstemmen",
        "basis": ConsentBasis.CONSENT,
        "valid_until": TODAY + dt.timedelta(days=180),
        "given_on": TODAY,
        "given_how": "schriftelijk",
        "given_by": "Anna de Boer",
        "in_interest": True,
        "own_request": True,
        "no_disadvantage": True,
        "informed": True,
    }
    values.update(changes)
    return values


def nothing_written(case):
    return (
        not Consent.objects.filter(case=case).exists()
        and not CaseParty.objects.filter(case=case).exists()
    )


CONDITIONS = {
    "in_interest": "belang",
    "own_request": "zelf om hulp",
    "no_disadvantage": "nee kunnen zeggen zonder nadeel",
    "informed": "uit wat u deelt, waarom en met wie",
}


@pytest.mark.parametrize("condition", list(CONDITIONS))
def test_each_condition_of_free_consent_missing_gives_its_own_error(
    case, case_manager, toeslagen, condition
):
    with pytest.raises(ValidationError) as exc:
        services.record_consent(
            **consent_input(case, case_manager, toeslagen, **{condition: False})
        )
    errors = errors_of(exc)
    assert set(errors) == {condition}
    assert CONDITIONS[condition] in errors[condition][0]
    assert nothing_written(case)


def test_the_four_conditions_have_four_different_messages(case, case_manager, toeslagen):
    with pytest.raises(ValidationError) as exc:
        services.record_consent(
            **consent_input(case, case_manager, toeslagen, **dict.fromkeys(CONDITIONS, False))
        )
    errors = errors_of(exc)
    assert set(errors) == set(CONDITIONS)
    assert len({errors[c][0] for c in CONDITIONS}) == 4


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"given_how": ""}, "given_how", "hoe de inwoner toestemming gaf"),
        ({"given_by": "  "}, "given_by", "wie toestemming gaf"),
        ({"given_on": None}, "given_on", "datum van de toestemming"),
        ({"given_on": TODAY + dt.timedelta(days=1)}, "given_on", "niet in de toekomst"),
        ({"given_on": TODAY - dt.timedelta(days=32)}, "given_on", "te oud"),
        ({"purpose": ""}, "purpose", "waarvoor"),
        ({"parts": []}, "parts", "Kies wat de organisatie mag zien"),
        ({"parts": ["medisch-dossier"]}, "parts", "Onbekend onderdeel"),
        ({"domains": ["vakantie"]}, "domains", "Onbekend leefgebied"),
        ({"organisation": None}, "organisation", "Kies een organisatie"),
        ({"basis": "mondelinge-afspraak"}, "basis", "toestemming van de inwoner of een wettelijke"),
        ({"valid_from": TODAY - dt.timedelta(days=1)}, "valid_from", "terugwerkende kracht"),
        (
            {"valid_from": TODAY + dt.timedelta(days=10), "valid_until": TODAY},
            "valid_until",
            "voor de begindatum",
        ),
        ({"valid_until": TODAY + dt.timedelta(days=733)}, "valid_until", "twee jaar"),
        ({"valid_until": "2026-10-01"}, "valid_until", "tot wanneer"),
    ],
)
def test_bad_consent_input_is_refused_per_field(
    case, case_manager, toeslagen, changes, field, fragment
):
    with pytest.raises(ValidationError) as exc:
        services.record_consent(**consent_input(case, case_manager, toeslagen, **changes))
    errors = errors_of(exc)
    assert set(errors) == {field}
    assert fragment in errors[field][0]
    assert nothing_written(case)


def test_the_own_municipality_needs_no_consent(case, case_manager, enschede):
    with pytest.raises(ValidationError) as exc:
        services.record_consent(**consent_input(case, case_manager, enschede))
    assert "ziet de hele casus al" in errors_of(exc)["organisation"][0]


def test_two_years_is_the_longest_a_consent_lasts(case, case_manager, toeslagen):
    consent = services.record_consent(
        **consent_input(case, case_manager, toeslagen, valid_until=TODAY + dt.timedelta(days=732))
    )
    assert consent.valid_until == D(2028, 4, 16)


def test_a_valid_consent_is_recorded_with_the_conditions_and_the_contact_person_hears_of_it(
    case, case_manager, toeslagen, toeslagen_staff
):
    services.add_party(
        user=case_manager, case=case, organisation=toeslagen, contact_person=toeslagen_staff
    )
    consent = services.record_consent(**consent_input(case, case_manager, toeslagen))
    assert consent.valid_from == TODAY
    assert (consent.in_interest, consent.own_request, consent.no_disadvantage) == (True,) * 3
    assert consent.informed and consent.given_by == "Anna de Boer"
    assert consent.basis_text == "Toestemming van de inwoner"
    assert consent.recorded_by == case_manager
    (note,) = Notification.objects.filter(user=toeslagen_staff)
    assert note.text == f"U kunt nu meewerken in casus {case.reference} van Gemeente Enschede."


def test_a_consent_involves_the_organisation_in_the_case(case, case_manager, cjib):
    services.record_consent(**consent_input(case, case_manager, cjib))
    assert list(case.parties.values_list("organisation__name", flat=True)) == ["CJIB"]


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"legal_ground": ""}, "legal_ground", "Kies de wet"),
        ({"legal_ground": "wet-op-alles"}, "legal_ground", "Kies de wet"),
        ({"legal_article": ""}, "legal_article", "Noem het artikel"),
    ],
)
def test_a_legal_ground_needs_the_law_and_the_article(
    case, case_manager, toeslagen, changes, field, fragment
):
    values = consent_input(
        case,
        case_manager,
        toeslagen,
        basis=ConsentBasis.LEGAL,
        legal_ground="suwi",
        legal_article="artikel 64",
    )
    values.update(changes)
    with pytest.raises(ValidationError) as exc:
        services.record_consent(**values)
    errors = errors_of(exc)
    assert set(errors) == {field}
    assert fragment in errors[field][0]
    assert nothing_written(case)


def test_a_legal_ground_needs_none_of_the_consent_conditions(case, case_manager, toeslagen):
    consent = services.record_consent(
        **consent_input(
            case,
            case_manager,
            toeslagen,
            basis=ConsentBasis.LEGAL,
            legal_ground="suwi",
            legal_article="artikel 64",
            given_on=None,
            given_how="",
            given_by="",
            **dict.fromkeys(CONDITIONS, False),
        )
    )
    assert consent.basis_text == (
        "Wet structuur uitvoeringsorganisatie werk en inkomen, artikel 64"
    )
    assert consent.given_on is None and not consent.in_interest


def test_a_partner_outside_government_only_with_consent(case, case_manager, housing):
    with pytest.raises(ValidationError) as exc:
        services.record_consent(
            **consent_input(
                case,
                case_manager,
                housing,
                basis=ConsentBasis.LEGAL,
                legal_ground="wgs",
                legal_article="artikel 3",
            )
        )
    assert "alleen met toestemming van de inwoner" in errors_of(exc)["basis"][0]
    assert nothing_written(case)
    consent = services.record_consent(**consent_input(case, case_manager, housing))
    assert consent.basis == ConsentBasis.CONSENT


@pytest.mark.parametrize("who", ["toeslagen_staff", "counter_enschede", "privacy_officer"])
def test_only_the_case_owner_records_consent(request, case, case_manager, toeslagen, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.record_consent(**consent_input(case, user, toeslagen))
    assert nothing_written(case)


def test_revoking_needs_a_reason_and_happens_once(case, case_manager, toeslagen, grant):
    consent = grant(toeslagen)
    with pytest.raises(ValidationError) as exc:
        services.revoke_consent(user=case_manager, consent=consent, reason="")
    assert "waarom het delen stopt" in errors_of(exc)["reason"][0]
    services.revoke_consent(user=case_manager, consent=consent, reason="Inwoner wil het niet")
    consent.refresh_from_db()
    assert consent.revoked_at == NOW and consent.revoked_by == case_manager
    with pytest.raises(ValidationError) as again:
        services.revoke_consent(user=case_manager, consent=consent, reason="Nog eens")
    assert again.value.code == "already_revoked"
    assert Consent.objects.filter(pk=consent.pk).exists()  # kept as proof


# ---- opening a case --------------------------------------------------------------------------------
def test_a_counter_employee_opens_no_case(counter_enschede, resident):
    with pytest.raises(PermissionDenied):
        services.open_case(user=counter_enschede, resident=resident, title="Schulden")


def test_a_case_manager_elsewhere_opens_no_case_for_someone_they_may_not_see(maastricht, resident):
    other = staff(maastricht, Role.CASEMANAGER)
    with pytest.raises(PermissionDenied):
        services.open_case(user=other, resident=resident, title="Schulden")


def test_a_case_is_opened_for_the_residents_household(case, case_manager, resident, household):
    assert (case.municipality.code, case.case_manager, case.household) == (
        "gemeente-enschede",
        case_manager,
        household,
    )
    assert case.status == CaseStatus.OPEN and case.opened_at == NOW
    assert case.reference.startswith("C2026-")


# ---- problems and the action plan ------------------------------------------------------------------
def test_problems_are_recorded_per_life_domain(case, case_manager):
    problem = services.add_problem(
        user=case_manager, case=case, domain=MONEY, description="Schuld bij Toeslagen", urgent=True
    )
    assert (problem.domain, problem.urgent, problem.recorded_by) == (MONEY, True, case_manager)
    with pytest.raises(ValidationError) as exc:
        services.add_problem(user=case_manager, case=case, domain="hobby", description="")
    assert set(errors_of(exc)) == {"domain", "description"}
    assert Problem.objects.filter(case=case).count() == 1


def action_tasks(action):
    return Task.objects.filter(
        kind="casus-actie", source_type="case_action", source_id=str(action.uuid)
    )


def test_an_action_becomes_a_task_in_the_owner_organisations_work_list(
    case, case_manager, toeslagen, toeslagen_staff, grant
):
    services.add_party(
        user=case_manager, case=case, organisation=toeslagen, contact_person=toeslagen_staff
    )
    before = Task.objects.count()
    # Involved but without consent: its work list may not name the case.
    with pytest.raises(ValidationError) as refused:
        services.add_action(
            user=case_manager,
            case=case,
            domain=MONEY,
            description="Terugvordering huurtoeslag pauzeren",
            owner=toeslagen,
            due_on=D(2026, 4, 29),
        )
    assert "grondslag" in refused.value.message_dict["owner"][0]
    assert Task.objects.count() == before
    grant(toeslagen)
    action = services.add_action(
        user=case_manager,
        case=case,
        domain=MONEY,
        description="Terugvordering huurtoeslag pauzeren",
        owner=toeslagen,
        due_on=D(2026, 4, 29),
    )
    task = action_tasks(action).get()
    assert task.organisation == toeslagen and task.assigned_to == toeslagen_staff
    assert task.state == TaskState.OPEN
    assert case.reference in task.title
    assert task.due_at == dt.datetime(2026, 4, 29, 17, 0, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"owner": None}, "owner"),
        ({"owner": "cjib"}, "owner"),  # not involved in the case
        ({"due_on": D(2026, 4, 14)}, "due_on"),
        ({"due_on": "morgen"}, "due_on"),
        ({"domain": "hobby"}, "domain"),
        ({"description": " "}, "description"),
    ],
)
def test_bad_action_input_is_refused(request, case, case_manager, enschede, changes, field):
    values = {
        "domain": MONEY,
        "description": "Budgetplan maken",
        "owner": enschede,
        "due_on": D(2026, 4, 29),
    }
    values.update(changes)
    if values["owner"] == "cjib":
        values["owner"] = request.getfixturevalue("cjib")
    with pytest.raises(ValidationError) as exc:
        services.add_action(user=case_manager, case=case, **values)
    assert set(errors_of(exc)) == {field}
    assert not case.actions.exists() and not Task.objects.exists()


def test_only_the_case_owner_plans_actions(case, toeslagen_staff, enschede):
    with pytest.raises(PermissionDenied):
        services.add_action(
            user=toeslagen_staff,
            case=case,
            domain=MONEY,
            description="Budgetplan maken",
            owner=enschede,
            due_on=D(2026, 4, 29),
        )


@pytest.fixture
def toeslagen_action(case, case_manager, toeslagen, toeslagen_staff, plan_action, grant):
    """An action of Toeslagen's (which has consent) with its task, as add_action makes them."""
    services.add_party(
        user=case_manager, case=case, organisation=toeslagen, contact_person=toeslagen_staff
    )
    grant(toeslagen)
    action = plan_action(case, MONEY, "Terugvordering huurtoeslag pauzeren", toeslagen)
    action.task = worklist.create_task(
        kind="casus-actie",
        organisation=toeslagen,
        assigned_to=toeslagen_staff,
        title=f"Casus {case.reference}: {action.description}",
        source_type="case_action",
        source_id=str(action.uuid),
        created_by=case_manager,
    )
    action.save(update_fields=["task"])
    return action


def test_finishing_an_action_closes_its_task_and_tells_the_case_manager(
    toeslagen_action, toeslagen_staff, case_manager, case
):
    services.finish_action(user=toeslagen_staff, action=toeslagen_action, result="Gepauzeerd")
    toeslagen_action.refresh_from_db()
    assert toeslagen_action.status == ActionStatus.DONE
    assert toeslagen_action.finished_by == toeslagen_staff
    task = action_tasks(toeslagen_action).get()
    assert (task.state, task.outcome) == (TaskState.DONE, "klaar")
    assert Notification.objects.filter(
        user=case_manager, text__startswith=f"Actie in casus {case.reference} afgerond"
    ).exists()
    with pytest.raises(ValidationError) as again:
        services.finish_action(user=toeslagen_staff, action=toeslagen_action)
    assert again.value.code == "action_finished"


def test_after_revoking_the_consent_the_organisation_cannot_finish_its_action(
    toeslagen_action, toeslagen_staff, case_manager
):
    consent = toeslagen_action.case.consents.get()
    services.revoke_consent(user=case_manager, consent=consent, reason="Inwoner trekt in")
    with pytest.raises(PermissionDenied):
        services.finish_action(user=toeslagen_staff, action=toeslagen_action, result="Klaar")
    toeslagen_action.refresh_from_db()
    assert toeslagen_action.status == ActionStatus.OPEN


def test_an_action_that_lapses_needs_a_reason(toeslagen_action, case_manager):
    with pytest.raises(ValidationError) as exc:
        services.finish_action(user=case_manager, action=toeslagen_action, done=False)
    assert "waarom de actie vervalt" in errors_of(exc)["result"][0]
    assert action_tasks(toeslagen_action).get().state == TaskState.OPEN
    services.finish_action(
        user=case_manager, action=toeslagen_action, done=False, result="Niet meer nodig"
    )
    toeslagen_action.refresh_from_db()
    assert toeslagen_action.status == ActionStatus.CANCELLED
    assert action_tasks(toeslagen_action).get().outcome == "vervallen"


def test_another_organisation_does_not_finish_the_action(toeslagen_action, cjib_staff):
    with pytest.raises(PermissionDenied):
        services.finish_action(user=cjib_staff, action=toeslagen_action)
    toeslagen_action.refresh_from_db()
    assert toeslagen_action.status == ActionStatus.OPEN


def test_completing_the_task_in_the_work_list_finishes_the_action(
    toeslagen_action, toeslagen_staff
):
    worklist.complete(
        user=toeslagen_staff, task=toeslagen_action.task, outcome="klaar", note="Geregeld"
    )
    toeslagen_action.refresh_from_db()
    assert (toeslagen_action.status, toeslagen_action.result) == (ActionStatus.DONE, "Geregeld")


# ---- notes, within what is shared -------------------------------------------------------------------
def test_an_organisation_writes_notes_within_its_domains(
    case, case_manager, grant, toeslagen, toeslagen_staff
):
    grant(toeslagen, parts={CasePart.PROBLEMS}, domains=[MONEY])
    update = services.add_update(
        user=toeslagen_staff, case=case, text="Terugvordering staat stil", domain=MONEY
    )
    assert update.organisation == toeslagen
    assert Notification.objects.filter(
        user=case_manager, text=f"Nieuw bericht in casus {case.reference} van Dienst Toeslagen"
    ).exists()
    with pytest.raises(ValidationError) as exc:
        services.add_update(user=toeslagen_staff, case=case, text="Huur", domain=HOUSING)
    assert "buiten wat met uw organisatie gedeeld is" in errors_of(exc)["domain"][0]
    with pytest.raises(ValidationError) as empty:
        services.add_update(user=toeslagen_staff, case=case, text="")
    assert "text" in errors_of(empty)
    assert CaseUpdate.objects.filter(case=case).count() == 1


def test_no_notes_without_a_basis(
    case, case_manager, grant, toeslagen, toeslagen_staff, cjib_staff
):
    with pytest.raises(PermissionDenied):
        services.add_update(user=cjib_staff, case=case, text="Boete")
    consent = grant(toeslagen)
    services.revoke_consent(user=case_manager, consent=consent, reason="Ingetrokken")
    with pytest.raises(PermissionDenied):
        services.add_update(user=toeslagen_staff, case=case, text="Nog iets")
    assert not CaseUpdate.objects.exists()


# ---- closing -------------------------------------------------------------------------------------------
def close(case, user, **changes):
    values = {"reason": "doel-bereikt", "evaluation": "De regeling loopt, de huur is betaald"}
    values.update(changes)
    return services.close_case(user=user, case=case, **values)


def test_a_case_with_an_open_action_does_not_close(toeslagen_action, case, case_manager):
    with pytest.raises(ValidationError) as exc:
        close(case, case_manager)
    assert errors_of(exc)["__all__"] == [
        "Er staan nog 1 acties open. Rond ze af of laat ze vervallen."
    ]
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_a_case_with_an_open_doorbraak_request_does_not_close(case, case_manager, grant, toeslagen):
    grant(toeslagen)
    services.send_doorbraak(
        user=case_manager,
        case=case,
        to_organisation=toeslagen,
        kind="invordering-pauzeren",
        motivation="Beslag maakt de huur onbetaalbaar",
        answer_by=D(2026, 4, 24),
    )
    with pytest.raises(ValidationError) as exc:
        close(case, case_manager)
    assert "doorbraakverzoek open" in errors_of(exc)["__all__"][0]


def test_closing_needs_a_reason_and_what_helped(case, case_manager):
    with pytest.raises(ValidationError) as exc:
        close(case, case_manager, reason="zomaar", evaluation="")
    assert set(errors_of(exc)) == {"reason", "evaluation"}


def test_closing_tells_the_involved_organisations_and_ends_the_case(
    toeslagen_action, case, case_manager, toeslagen_staff
):
    services.finish_action(user=case_manager, action=toeslagen_action, result="Gedaan")
    close(case, case_manager, obstacles="Lange wachttijd bij de terugvordering")
    case.refresh_from_db()
    assert (case.status, case.closure_reason, case.closed_at) == (
        CaseStatus.CLOSED,
        "doel-bereikt",
        NOW,
    )
    assert Notification.objects.filter(
        user=toeslagen_staff, text=f"Casus {case.reference} is gesloten."
    ).exists()
    with pytest.raises(ValidationError) as again:
        close(case, case_manager)
    assert again.value.code == "case_closed"
    with pytest.raises(ValidationError):
        services.add_problem(user=case_manager, case=case, domain=MONEY, description="Nieuw")


def test_only_the_case_owner_closes(case, toeslagen_staff, counter_enschede):
    for user in (toeslagen_staff, counter_enschede):
        with pytest.raises(PermissionDenied):
            close(case, user)


# ---- the doorbraak budget ------------------------------------------------------------------------------
@pytest.fixture
def budget(enschede):
    return DoorbraakBudget.objects.create(municipality=enschede, year=2026, amount=Decimal("1000"))


def spend(case, user, amount, **changes):
    values = {
        "paid_to": "Woonstede Twente",
        "justification": "Huurachterstand: ontruiming voorkomen",
    }
    values.update(changes)
    return services.spend_budget(user=user, case=case, amount=amount, **values)


def test_the_budget_is_spent_up_to_what_is_left_and_no_further(budget, case, case_manager):
    spend(case, case_manager, "600")
    with pytest.raises(ValidationError) as exc:
        spend(case, case_manager, "400,01")
    assert errors_of(exc)["amount"] == ["Er is nog € 400,00 over in het budget van 2026."]
    spending = spend(case, case_manager, "400,00")
    assert spending.amount == Decimal("400.00") and spending.spent_on == TODAY
    assert services.budget_left(budget) == Decimal("0")
    with pytest.raises(ValidationError) as empty:
        spend(case, case_manager, "0,01")
    assert errors_of(empty)["amount"] == ["Er is nog € 0,00 over in het budget van 2026."]
    assert BudgetSpending.objects.count() == 2


@pytest.mark.parametrize(
    ("amount", "changes", "field"),
    [
        ("", {}, "amount"),
        ("veel", {}, "amount"),
        ("-5", {}, "amount"),
        ("0", {}, "amount"),
        ("NaN", {}, "amount"),
        ("100", {"paid_to": ""}, "paid_to"),
        ("100", {"justification": ""}, "justification"),
        ("100", {"spent_on": D(2026, 4, 16)}, "spent_on"),
        ("100", {"spent_on": D(2025, 12, 31)}, "amount"),  # no budget for 2025
    ],
)
def test_bad_spending_is_refused_and_nothing_is_spent(
    budget, case, case_manager, amount, changes, field
):
    with pytest.raises(ValidationError) as exc:
        spend(case, case_manager, amount, **changes)
    assert set(errors_of(exc)) == {field}
    assert not BudgetSpending.objects.exists()


def test_only_the_case_owner_spends_the_budget(budget, case, toeslagen_staff):
    with pytest.raises(PermissionDenied):
        spend(case, toeslagen_staff, "100")
    assert not BudgetSpending.objects.exists()


# ---- early signals of payment arrears ----------------------------------------------------------------
@pytest.fixture
def energy(db):
    return OrganisationFactory(
        code="twentse-energie", type="energieleverancier", name="Twentse Energie"
    )


@pytest.fixture
def energy_staff(energy):
    return staff(energy, Role.MEDEWERKER_UITVOERING, username="incasso.energie")


def report(user, **changes):
    values = {
        "kind": "huur",
        "amount": "1.250,50".replace(".", ""),
        "months": 3,
        "surname": "de Boer",
        "postcode": "7511 gb",
        "house_number": "12",
        "reference": "WST-2026-0042",
    }
    values.update(changes)
    return services.receive_signal(user=user, **values)


def signal_tasks():
    return Task.objects.filter(kind="vroegsignaal")


def test_a_signal_is_matched_by_address_and_becomes_a_task_for_the_debt_team(
    housing_staff, resident, household, debt_team, enschede
):
    signal, created = report(housing_staff)
    assert created
    assert (signal.resident, signal.household, signal.municipality) == (
        resident,
        household,
        enschede,
    )
    assert signal.amount == Decimal("1250.50") and signal.postcode == "7511GB"
    assert signal.offer_due_on == D(2026, 4, 22)  # five working days
    task = signal_tasks().get()
    assert task == signal.task
    assert (task.organisation, task.team, task.resident) == (enschede, debt_team, resident)
    assert task.due_at == dt.datetime(2026, 4, 22, 23, 59, 59, tzinfo=AMSTERDAM)
    assert "Woonstede Twente" in task.title and "€ 1.250,50" in task.note


def test_the_same_reference_twice_is_the_same_signal(housing_staff, resident, debt_team):
    first, _ = report(housing_staff)
    again, created = report(housing_staff, amount="1400")
    assert (again.pk, created) == (first.pk, False)
    assert ArrearsSignal.objects.count() == 1 and signal_tasks().count() == 1


def test_a_second_reporter_for_the_same_household_joins_the_first_signal(
    housing_staff, energy_staff, resident, housemate, debt_team, debt_worker
):
    first, _ = report(housing_staff)
    second, created = report(
        energy_staff,
        kind="energie",
        amount="310",
        months=2,
        surname="El Idrissi",
        reference="TE-88812",
    )
    assert created
    assert second.resident == housemate
    assert second.joined_to == first
    assert second.offer_due_on == first.offer_due_on
    task = signal_tasks().get()  # no second task
    assert "Twentse Energie" in task.note and "€ 310,00" in task.note
    (listed,) = selectors.signal_list(debt_worker)
    assert (listed.pk, listed.joined_count) == (first.pk, 1)


def test_a_signal_after_the_first_was_handled_starts_anew(
    housing_staff, energy_staff, resident, debt_team, debt_worker
):
    first, _ = report(housing_staff)
    services.record_offer(user=debt_worker, signal=first, how="telefoon", outcome="opgelost")
    second, _ = report(energy_staff, kind="energie", amount="310", reference="TE-88812")
    assert second.joined_to is None
    assert signal_tasks().filter(state=TaskState.OPEN).get() == second.task


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "telefoon"}, "kind"),
        ({"amount": "0"}, "amount"),
        ({"amount": "veel"}, "amount"),
        ({"months": 0}, "months"),
        ({"months": "drie"}, "months"),
        ({"months": 121}, "months"),
        ({"house_number": ""}, "house_number"),
        ({"house_number": "12a"}, "house_number"),
        ({"postcode": "7511"}, "postcode"),
        ({"surname": ""}, "surname"),
        ({"reference": ""}, "reference"),
    ],
)
def test_bad_signal_input_is_refused_with_a_dutch_error_and_nothing_written(
    housing_staff, resident, changes, field
):
    with pytest.raises(ValidationError) as exc:
        report(housing_staff, **changes)
    errors = errors_of(exc)
    assert set(errors) == {field}
    assert not ArrearsSignal.objects.exists() and not signal_tasks().exists()


@pytest.mark.parametrize("who", ["toeslagen_staff", "case_manager", "debt_worker", "raadslieden"])
def test_only_landlords_utilities_and_insurers_report(request, resident, who):
    if who == "raadslieden":
        org = OrganisationFactory(code="srv-enschede", type="sociaal-raadslieden", name="SRV")
        user = staff(org, Role.MEDEWERKER_UITVOERING)
    else:
        user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        report(user)
    assert not ArrearsSignal.objects.exists()


def test_an_address_outside_the_register_needs_the_municipality(housing_staff, enschede):
    with pytest.raises(ValidationError) as exc:
        report(housing_staff, postcode="7522 NB", house_number=5)
    assert "Geef de gemeente mee" in errors_of(exc)["municipality"][0]
    with pytest.raises(ValidationError):
        report(housing_staff, postcode="7522 NB", house_number=5, municipality_code="nergens")
    signal, _ = report(
        housing_staff, postcode="7522 NB", house_number=5, municipality_code="gemeente-enschede"
    )
    assert signal.resident is None and signal.municipality == enschede
    assert signal_tasks().get().organisation == enschede


def test_a_signal_for_another_dwelling_at_the_same_number_is_not_matched(
    housing_staff, enschede, debt_team
):
    ResidentFactory(
        municipality=enschede,
        surname="Smit",
        postcode="7511GB",
        house_number=40,
        house_number_addition="A",
    )
    signal, _ = report(housing_staff, surname="Mulder", house_number=40, house_number_addition="C")
    assert signal.resident is None


def test_the_offer_closes_the_task_and_the_joined_signals(
    housing_staff, energy_staff, resident, housemate, debt_team, debt_worker
):
    first, _ = report(housing_staff)
    second, _ = report(
        energy_staff, kind="energie", amount="310", surname="El Idrissi", reference="TE-1"
    )
    with pytest.raises(ValidationError):
        services.record_offer(
            user=debt_worker, signal=second, how="telefoon", outcome="hulp-aangenomen"
        )
    services.record_offer(
        user=debt_worker, signal=first, how="huisbezoek", outcome="hulp-aangenomen", note="Intake"
    )
    task = signal_tasks().get()
    assert (task.state, task.outcome) == (TaskState.DONE, "hulp-aangenomen")
    for signal in (first, second):
        signal.refresh_from_db()
        assert (signal.outcome, signal.offered_how, signal.handled_by) == (
            "hulp-aangenomen",
            "huisbezoek",
            debt_worker,
        )
    assert selectors.signal_list(debt_worker) == []
    with pytest.raises(ValidationError) as again:
        services.record_offer(user=debt_worker, signal=first, how="brief", outcome="opgelost")
    assert again.value.code == "signal_done"


def test_bad_offer_input_and_strangers_are_refused(
    housing_staff, resident, debt_team, debt_worker, maastricht
):
    signal, _ = report(housing_staff)
    with pytest.raises(ValidationError) as exc:
        services.record_offer(user=debt_worker, signal=signal, how="duif", outcome="misschien")
    assert set(errors_of(exc)) == {"how", "outcome"}
    for user in (housing_staff, staff(maastricht, Role.KCC_MEDEWERKER)):
        with pytest.raises(PermissionDenied):
            services.record_offer(user=user, signal=signal, how="brief", outcome="opgelost")
    signal.refresh_from_db()
    assert signal.outcome == "" and signal_tasks().get().state == TaskState.OPEN


def test_an_offer_by_letter_sends_a_letter_by_post_with_the_named_employee(
    housing_staff, energy_staff, resident, housemate, debt_team, debt_worker
):
    from eenloket.messaging.models import Letter, Message

    debt_worker.direct_phone = "+31534812345"
    debt_worker.save()
    first, _ = report(housing_staff)
    report(energy_staff, kind="energie", amount="310", surname="El Idrissi", reference="TE-1")
    services.record_offer(user=debt_worker, signal=first, how="brief", outcome="niet-bereikt")
    message = Message.objects.get(template_key="hulpaanbod-schulden")
    assert message.channel == "post" and message.resident == resident
    letter = Letter.objects.get(pk=message.letter_id)
    assert "huur en energie" in letter.body
    assert (letter.contact_name, letter.contact_phone) == ("Noor Hendriks", "+31534812345")
    assert letter.address_lines and letter.pdf[:4] == b"%PDF"


def test_a_letter_needs_an_address_in_the_register(housing_staff, enschede, debt_team, debt_worker):
    signal, _ = report(
        housing_staff, postcode="7522 NB", house_number=5, municipality_code="gemeente-enschede"
    )
    with pytest.raises(ValidationError) as exc:
        services.record_offer(user=debt_worker, signal=signal, how="brief", outcome="opgelost")
    assert "huisbezoek" in errors_of(exc)["how"][0]
    signal.refresh_from_db()
    assert signal.outcome == ""
