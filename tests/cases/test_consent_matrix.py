"""The consent enforcement matrix (DESIGN.md: "permissions by organisation and purpose ... test it
with a matrix"), over the selectors: get_case, detail, timeline, case_list and the resident's
basis (residents.selectors.get_resident).

Anna de Boer's case in Enschede has problems and actions in two life domains (money, housing),
a note of the case manager in each, and contacts of Enschede and CJIB with Anna (none of
Toeslagen's own: that would be a basis to see Anna of its own). Per row, what a Dienst Toeslagen employee sees:

    row          basis for Toeslagen                            sees
    full         consent, every part, every domain              everything; the timeline has
                                                                Enschede's contact (not CJIB's:
                                                                CJIB has no basis)
    partial      consent, problems + plan, money only           money problems and actions; no
                                                                notes, no timeline, no personal data
    revoked      consent, revoked                               nothing
    expired      consent until day 10, now day 11               nothing
    not-yet      consent from day 5, now day 0                  nothing
    legal        Wet SUWI art. 64, every part                   everything
    none         nothing                                        nothing
    closed       consent, every part; case closed               nothing

Each read that shows something writes one access-log row with the consent's purpose and the
reader's role; a refused read writes none."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from eenloket.cases import selectors, services
from eenloket.cases.models import Case, CasePart, ConsentBasis, LifeDomain
from eenloket.core.audit import Activity, pseudonymise
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.errors import NotFound
from eenloket.core.models import AccessLog
from eenloket.core.roles import Role
from eenloket.residents import selectors as resident_selectors
from eenloket.residents.models import ResidentData

from ..factories import ContactMomentFactory, staff

pytestmark = pytest.mark.django_db

D = dt.date
NOW = dt.datetime(2026, 4, 15, 10, 0, tzinfo=AMSTERDAM)  # Wednesday
TODAY = NOW.date()
PURPOSE = "Toeslag herberekenen en terugvordering afstemmen"
MONEY, HOUSING = LifeDomain.FINANCES, LifeDomain.HOUSING
ALL = set(CasePart.values)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def filled(case, case_manager, counter_enschede, enschede, toeslagen, cjib, resident, plan_action):
    """The case with a problem, an action and a note per domain, and contacts with Anna."""
    for domain, text in [(MONEY, "Schuld bij Toeslagen"), (HOUSING, "Huurachterstand")]:
        services.add_problem(user=case_manager, case=case, domain=domain, description=text)
        plan_action(case, domain, f"Regelen: {text}", enschede)
        services.add_update(
            user=case_manager, case=case, text=f"Gesproken over {text}", domain=domain
        )
    for organisation, question in [
        (enschede, "Hulp bij schulden"),
        (cjib, "Boete in termijnen betalen"),
    ]:
        ContactMomentFactory(
            organisation=organisation,
            resident=resident,
            staff=counter_enschede,
            question=question,
            started_at=NOW - dt.timedelta(hours=1),
        )
    return Case.objects.get(pk=case.pk)


def bring(row, *, grant, case, case_manager, toeslagen, frozen):
    """Set up the row's basis for Toeslagen (and move time where the row says so)."""
    if row == "full":
        return grant(toeslagen)
    if row == "partial":
        return grant(toeslagen, parts={CasePart.PROBLEMS, CasePart.PLAN}, domains=[MONEY])
    if row == "revoked":
        consent = grant(toeslagen)
        services.revoke_consent(user=case_manager, consent=consent, reason="Inwoner trekt in")
        return consent
    if row == "expired":
        consent = grant(toeslagen, valid_until=TODAY + dt.timedelta(days=10))
        frozen.move_to(NOW + dt.timedelta(days=11))
        return consent
    if row == "not-yet":
        return grant(toeslagen, valid_from=TODAY + dt.timedelta(days=5))
    if row == "legal":
        return grant(toeslagen, basis=ConsentBasis.LEGAL, purpose="Invordering afstemmen (SUWI)")
    if row == "none":
        return None
    if row == "closed":
        consent = grant(toeslagen)
        for action in case.actions.all():
            services.finish_action(user=case_manager, action=action, result="Gedaan")
        services.close_case(
            user=case_manager, case=case, reason="doel-bereikt", evaluation="Regeling loopt"
        )
        return consent
    raise AssertionError(row)


# row → (parts, problem domains, action domains, note domains, timeline organisations, resident)
FULL = (
    ALL,
    {MONEY, HOUSING},
    {MONEY, HOUSING},
    {MONEY, HOUSING},
    {"Gemeente Enschede"},
    True,
)
MATRIX = {
    "full": FULL,
    "partial": ({CasePart.PROBLEMS, CasePart.PLAN}, {MONEY}, {MONEY}, set(), set(), False),
    "legal": FULL,
    "revoked": None,
    "expired": None,
    "not-yet": None,
    "none": None,
    "closed": None,
}


def case_rows(case):
    """The reads of the case in the access log (changes may be logged too: not counted here)."""
    return AccessLog.objects.filter(object_type="case", object_id=str(case.uuid), action="read")


@pytest.mark.parametrize("row", list(MATRIX))
def test_what_toeslagen_sees_of_the_case(
    row, filled, grant, case_manager, toeslagen, toeslagen_staff, frozen, resident
):
    consent = bring(
        row,
        grant=grant,
        case=filled,
        case_manager=case_manager,
        toeslagen=toeslagen,
        frozen=frozen,
    )
    expected = MATRIX[row]
    listed = {v.case.pk for v in selectors.case_list(toeslagen_staff)}
    before = AccessLog.objects.count()

    if expected is None:
        with pytest.raises(NotFound):
            selectors.get_case(toeslagen_staff, filled.uuid)
        assert filled.pk not in listed
        assert not selectors.open_cases_for_resident(toeslagen_staff, resident)
        with pytest.raises(NotFound):
            resident_selectors.get_resident(toeslagen_staff, resident.uuid)
        assert AccessLog.objects.count() == before  # nothing shown, nothing logged
        return

    parts, problems, actions, notes, timeline_orgs, sees_resident = expected
    view = selectors.get_case(toeslagen_staff, filled.uuid)
    assert not view.owner
    assert set(view.parts) == parts
    detail = selectors.detail(view)
    assert {p.domain for p in detail.problems} == problems
    assert {a.domain for a in detail.actions} == actions
    assert {u.domain for u in detail.updates} == notes
    assert detail.spending == []  # the budget is the municipality's business
    assert [c.pk for c in detail.consents] == [consent.pk]  # its own consent only
    items = selectors.timeline(view)
    assert {i.organisation for i in items} == timeline_orgs
    assert "Boete in termijnen betalen" not in {i.title for i in items}  # CJIB: no basis
    assert filled.pk in listed

    # The read is logged once: Toeslagen, in its role, for the consent's purpose.
    (log,) = case_rows(filled)
    assert log.actor_organisation == "toeslagen"
    assert log.actor_role == Role.MEDEWERKER_UITVOERING
    assert log.purpose == consent.purpose
    assert log.processing_activity_id == Activity.CASE_SHARE
    assert log.data_subject_id == pseudonymise(resident.bsn)
    assert log.action == "read"
    # detail, timeline and the list write nothing more
    assert AccessLog.objects.count() == before + 1

    if sees_resident:
        visible = resident_selectors.get_resident(toeslagen_staff, resident.uuid)
        assert visible.full_name == "Anna de Boer"
        assert visible.postcode == "7511GB"
        assert any(b.kind == "casus" for b in visible.access.bases)
        assert not visible.shows(ResidentData.HOUSEHOLD)
        resident_log = AccessLog.objects.filter(object_type="resident").get()
        assert resident_log.actor_organisation == "toeslagen"
        assert resident_log.actor_role == Role.MEDEWERKER_UITVOERING
    else:
        with pytest.raises(NotFound):
            resident_selectors.get_resident(toeslagen_staff, resident.uuid)


def test_a_consent_counts_through_its_last_day(grant, case, toeslagen, toeslagen_staff, frozen):
    grant(toeslagen, valid_until=TODAY + dt.timedelta(days=10))
    frozen.move_to(dt.datetime(2026, 4, 25, 23, 30, tzinfo=AMSTERDAM))
    assert selectors.get_case(toeslagen_staff, case.uuid)
    frozen.move_to(dt.datetime(2026, 4, 26, 0, 30, tzinfo=AMSTERDAM))
    with pytest.raises(NotFound):
        selectors.get_case(toeslagen_staff, case.uuid)


def test_a_consent_starting_later_opens_the_case_from_that_day(
    grant, case, toeslagen, toeslagen_staff, frozen
):
    grant(toeslagen, valid_from=TODAY + dt.timedelta(days=5))
    with pytest.raises(NotFound):
        selectors.get_case(toeslagen_staff, case.uuid)
    frozen.move_to(NOW + dt.timedelta(days=5))
    assert set(selectors.get_case(toeslagen_staff, case.uuid).parts) == ALL


def test_the_timeline_takes_in_an_organisation_once_it_shares_too(
    grant, filled, toeslagen, cjib, toeslagen_staff
):
    grant(toeslagen)
    view = selectors.get_case(toeslagen_staff, filled.uuid)
    assert {i.organisation for i in selectors.timeline(view)} == {"Gemeente Enschede"}
    grant(cjib, parts={CasePart.TIMELINE}, purpose="Boete in termijnen")
    view = selectors.get_case(toeslagen_staff, filled.uuid)
    titles = {(i.organisation, i.title) for i in selectors.timeline(view)}
    assert titles == {
        ("Gemeente Enschede", "Hulp bij schulden"),
        ("CJIB", "Boete in termijnen betalen"),
    }


def test_two_consents_add_up_and_the_log_names_both_purposes(
    grant, filled, toeslagen, toeslagen_staff
):
    grant(toeslagen, parts={CasePart.PROBLEMS}, domains=[MONEY], purpose="Schuld afstemmen")
    grant(toeslagen, parts={CasePart.PLAN}, domains=[HOUSING], purpose="Huurtoeslag regelen")
    view = selectors.get_case(toeslagen_staff, filled.uuid)
    assert set(view.parts) == {CasePart.PROBLEMS, CasePart.PLAN}
    detail = selectors.detail(view)
    # The domains add up over the consents: both consents together open money and housing.
    assert {p.domain for p in detail.problems} == {MONEY, HOUSING}
    assert {a.domain for a in detail.actions} == {MONEY, HOUSING}
    (log,) = case_rows(filled)
    assert set(log.purpose.split("; ")) == {"Schuld afstemmen", "Huurtoeslag regelen"}


# ---- the owner: the municipality's case manager and team lead ------------------------------------
@pytest.mark.parametrize(
    ("who", "role"), [("case_manager", Role.CASEMANAGER), ("team_lead", Role.TEAMLEIDER)]
)
def test_the_municipality_sees_the_whole_case_for_casusregie(request, filled, who, role):
    user = request.getfixturevalue(who)
    view = selectors.get_case(user, filled.uuid)
    assert view.owner
    detail = selectors.detail(view)
    assert {p.domain for p in detail.problems} == {MONEY, HOUSING}
    assert {a.domain for a in detail.actions} == {MONEY, HOUSING}
    # No other organisation has a basis: only Enschede's own contact is on the timeline.
    assert {i.organisation for i in selectors.timeline(view)} == {"Gemeente Enschede"}
    assert filled.pk in {v.case.pk for v in selectors.case_list(user)}
    (log,) = case_rows(filled)
    assert log.actor_organisation == "gemeente-enschede"
    assert log.actor_role == role
    assert log.processing_activity_id == Activity.CASE_WORK
    assert log.purpose == Activity.CASE_WORK.label


def test_the_owner_still_sees_a_closed_case(filled, case_manager):
    for action in filled.actions.all():
        services.finish_action(user=case_manager, action=action, result="Gedaan")
    services.close_case(
        user=case_manager, case=filled, reason="doel-bereikt", evaluation="Regeling loopt"
    )
    assert selectors.get_case(case_manager, filled.uuid).owner
    assert filled.pk not in {v.case.pk for v in selectors.case_list(case_manager)}
    closed = selectors.case_list(case_manager, status="gesloten")
    assert [v.case.pk for v in closed] == [filled.pk]


# ---- others see nothing, even where Toeslagen has a consent --------------------------------------
@pytest.mark.parametrize(
    "who", ["cjib_staff", "counter_enschede", "debt_worker", "case_manager_maastricht"]
)
def test_staff_without_a_basis_of_their_own_see_nothing(
    request, grant, case, toeslagen, who, maastricht
):
    grant(toeslagen)
    if who == "case_manager_maastricht":
        user = staff(maastricht, Role.CASEMANAGER)
    else:
        user = request.getfixturevalue(who)
    with pytest.raises(NotFound):
        selectors.get_case(user, case.uuid)
    assert case.pk not in {v.case.pk for v in selectors.case_list(user)}
    assert not case_rows(case).exists()


def test_toeslagen_management_works_with_no_residents(grant, case, toeslagen, toeslagen_management):
    grant(toeslagen)
    with pytest.raises(NotFound):
        selectors.get_case(toeslagen_management, case.uuid)
    with pytest.raises(PermissionDenied):
        selectors.case_list(toeslagen_management)


def test_a_case_that_does_not_exist_reads_like_one_that_may_not_be_seen(toeslagen_staff):
    with pytest.raises(NotFound) as missing:
        selectors.get_case(toeslagen_staff, "b3c1a0de-0000-4000-8000-000000000000")
    with pytest.raises(NotFound) as garbage:
        selectors.get_case(toeslagen_staff, "geen-uuid")
    assert str(missing.value) == str(garbage.value)


# ---- the resident's basis through a consent ---------------------------------------------------------
def test_a_partner_with_personal_data_sees_name_and_address_but_never_the_bsn(
    grant, case, housing, housing_staff, resident
):
    grant(housing, parts={CasePart.PERSONAL}, purpose="Huurachterstand oplossen")
    visible = resident_selectors.get_resident(housing_staff, resident.uuid)
    assert visible.full_name == "Anna de Boer"
    assert visible.postcode == "7511GB"
    assert visible.bsn is None
    assert not visible.shows(ResidentData.BSN)


def test_a_consent_without_personal_data_is_no_basis_for_the_resident(
    grant, case, toeslagen, toeslagen_staff, resident
):
    grant(toeslagen, parts={CasePart.PROBLEMS, CasePart.PLAN, CasePart.TIMELINE})
    assert selectors.get_case(toeslagen_staff, case.uuid)
    with pytest.raises(NotFound):
        resident_selectors.get_resident(toeslagen_staff, resident.uuid)


def test_reading_the_resident_on_a_case_consent_is_logged_with_the_consents_purpose(
    grant, case, toeslagen, toeslagen_staff, resident
):
    grant(toeslagen, purpose=PURPOSE)
    resident_selectors.get_resident(toeslagen_staff, resident.uuid)
    log = AccessLog.objects.filter(object_type="resident").get()
    assert log.purpose == PURPOSE


def test_revoking_ends_the_basis_for_the_resident_at_once(
    grant, case, case_manager, toeslagen, toeslagen_staff, resident
):
    consent = grant(toeslagen)
    assert resident_selectors.get_resident(toeslagen_staff, resident.uuid)
    services.revoke_consent(user=case_manager, consent=consent, reason="Inwoner wil het niet meer")
    with pytest.raises(NotFound):
        resident_selectors.get_resident(toeslagen_staff, resident.uuid)
    with pytest.raises(NotFound):
        selectors.get_case(toeslagen_staff, case.uuid)
