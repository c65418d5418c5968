"""Fixtures for cases (households with stacked problems): Gemeente Enschede with a case
manager, a team lead, a privacy officer (tests/conftest.py), a counter employee
(tests/conftest.py) and a member of its debt team "Schuldhulpverlening"; Dienst Toeslagen and
CJIB, each with a staff member, a doorbraakcoördinator and management; a housing corporation
(woningcorporatie) with a staff member; Anna de Boer in Enschede with her household (she lives
with Karim El Idrissi at Oude Markt 12); and an open case of Anna's.

No time is frozen here: each test module freezes its own moment, and `case` is opened at
whatever moment is current (the test module's frozen one)."""

import datetime as dt

import pytest
from django.utils import timezone

from eenloket.cases import services
from eenloket.cases.access import ALL_PARTS
from eenloket.cases.models import CaseAction, ConsentBasis
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.roles import Role
from eenloket.residents.models import Household

from ..factories import OrganisationFactory, ResidentFactory, TeamFactory, staff


# ---- Gemeente Enschede (`enschede`, `privacy_officer`, `counter_enschede` in tests/conftest.py)
@pytest.fixture
def case_manager(enschede):
    return staff(
        enschede,
        Role.CASEMANAGER,
        username="casemanager.enschede",
        first_name="Mila",
        last_name="Kok",
    )


@pytest.fixture
def team_lead(enschede):
    return staff(
        enschede,
        Role.TEAMLEIDER,
        username="teamleider.enschede",
        first_name="Kees",
        last_name="Mulder",
    )


@pytest.fixture
def debt_team(enschede):
    return TeamFactory(organisation=enschede, name="Schuldhulpverlening", phone="+31534812000")


@pytest.fixture
def debt_worker(enschede, debt_team):
    return staff(
        enschede,
        Role.MEDEWERKER_UITVOERING,
        team=debt_team,
        username="schuldhulp.enschede",
        first_name="Noor",
        last_name="Hendriks",
    )


# ---- Dienst Toeslagen ------------------------------------------------------------------------------
@pytest.fixture
def toeslagen(db):
    return OrganisationFactory(code="toeslagen", type="toeslagen", name="Dienst Toeslagen")


@pytest.fixture
def toeslagen_staff(toeslagen):
    return staff(
        toeslagen,
        Role.MEDEWERKER_UITVOERING,
        username="medewerker.toeslagen",
        first_name="Bram",
        last_name="Visser",
    )


@pytest.fixture
def toeslagen_coordinator(toeslagen):
    return staff(
        toeslagen,
        Role.DOORBRAAKCOORDINATOR,
        username="doorbraak.toeslagen",
        first_name="Esra",
        last_name="Yilmaz",
    )


@pytest.fixture
def toeslagen_management(toeslagen):
    return staff(
        toeslagen,
        Role.MANAGEMENT,
        username="management.toeslagen",
        first_name="Joost",
        last_name="Bosman",
    )


# ---- CJIB ------------------------------------------------------------------------------------------
@pytest.fixture
def cjib(db):
    return OrganisationFactory(code="cjib", type="cjib", name="CJIB")


@pytest.fixture
def cjib_staff(cjib):
    return staff(
        cjib,
        Role.MEDEWERKER_UITVOERING,
        username="medewerker.cjib",
        first_name="Lotte",
        last_name="Smits",
    )


@pytest.fixture
def cjib_coordinator(cjib):
    return staff(
        cjib,
        Role.DOORBRAAKCOORDINATOR,
        username="doorbraak.cjib",
        first_name="Ruben",
        last_name="Postma",
    )


@pytest.fixture
def cjib_management(cjib):
    return staff(
        cjib,
        Role.MANAGEMENT,
        username="management.cjib",
        first_name="Ingrid",
        last_name="Veenstra",
    )


# ---- a housing corporation -------------------------------------------------------------------------
@pytest.fixture
def housing(db):
    return OrganisationFactory(
        code="woonstede-twente", type="woningcorporatie", name="Woonstede Twente"
    )


@pytest.fixture
def housing_staff(housing):
    return staff(
        housing,
        Role.MEDEWERKER_UITVOERING,
        username="huurincasso.woonstede",
        first_name="Daan",
        last_name="Brouwer",
    )


# ---- the household and the case ------------------------------------------------------------------
@pytest.fixture
def household(db):
    return Household.objects.create(name="Huishouden De Boer / El Idrissi")


@pytest.fixture
def resident(enschede, household):
    return ResidentFactory(
        municipality=enschede,
        household=household,
        given_names="Anna",
        surname="de Boer",
        street="Oude Markt",
        house_number=12,
        postcode="7511GB",
        city="Enschede",
    )


@pytest.fixture
def housemate(enschede, household):
    return ResidentFactory(
        municipality=enschede,
        household=household,
        given_names="Karim",
        surname="El Idrissi",
        street="Oude Markt",
        house_number=12,
        postcode="7511GB",
        city="Enschede",
    )


@pytest.fixture
def case(case_manager, resident):
    return services.open_case(
        user=case_manager,
        resident=resident,
        title="Schulden, huurachterstand en een boete",
        goal="Rust in de financiën en blijven wonen",
    )


@pytest.fixture
def plan_action(case_manager):
    """plan_action(case, domain, description, owner) → a CaseAction written straight to the
    database, without its task (set-up data; services.add_action itself is tested in
    test_services.py: at commit 010bfdf it raised TypeError for every action)."""

    def make(case, domain, description, owner, due_on=None):
        return CaseAction.objects.create(
            case=case,
            domain=domain,
            description=description,
            owner=owner,
            due_on=due_on or today() + dt.timedelta(days=14),
            created_at=timezone.now(),
            created_by=case_manager,
        )

    return make


def today() -> dt.date:
    return timezone.now().astimezone(AMSTERDAM).date()


@pytest.fixture
def grant(case, case_manager):
    """grant(organisation, parts=…, domains=…, basis=…, valid_until=…) → a Consent recorded by the
    case manager: the resident's consent with every condition met, or a legal ground."""

    def make(
        organisation,
        parts=ALL_PARTS,
        domains=(),
        *,
        basis=ConsentBasis.CONSENT,
        purpose="Toeslag herberekenen en terugvordering afstemmen",
        valid_until=None,
        valid_from=None,
        on_case=None,
        user=None,
        **extra,
    ):
        now_day = today()
        fields = {}
        if basis == ConsentBasis.CONSENT:
            fields = {
                "given_on": now_day,
                "given_how": "schriftelijk",
                "given_by": "Anna de Boer",
                "in_interest": True,
                "own_request": True,
                "no_disadvantage": True,
                "informed": True,
            }
        else:
            fields = {"legal_ground": "suwi", "legal_article": "artikel 64"}
        fields.update(extra)
        return services.record_consent(
            user=user or case_manager,
            case=on_case or case,
            organisation=organisation,
            parts=sorted(parts),
            domains=list(domains),
            purpose=purpose,
            basis=basis,
            valid_from=valid_from,
            valid_until=valid_until or now_day + dt.timedelta(days=180),
            **fields,
        )

    return make
