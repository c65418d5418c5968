"""Fixtures for the letter tests (H2): an Enschede team with a named employee, a resident."""

import pytest

from eenloket.core.roles import Role
from eenloket.messaging.models import NamingExemption
from eenloket.organisations.models import Location
from tests.factories import ResidentFactory, TeamFactory, staff


@pytest.fixture
def income_team(enschede):
    return TeamFactory(organisation=enschede, name="Team Inkomen", phone="+31534817700")


@pytest.fixture
def town_hall(enschede):
    return Location.objects.create(
        organisation=enschede,
        name="Stadhuis Enschede",
        street="Langestraat",
        house_number="24",
        postcode="7511 HC",
        city="Enschede",
    )


@pytest.fixture
def consultant(enschede, income_team):
    return staff(
        enschede,
        Role.BALIEMEDEWERKER,
        team=income_team,
        username="sanne.bakker",
        first_name="Sanne",
        last_name="Bakker",
        direct_phone="+31534811234",
        job_title="consulent inkomen",
    )


@pytest.fixture
def letter_admin(enschede):
    return staff(enschede, Role.FUNCTIONEEL_BEHEERDER, username="beheer.brieven")


@pytest.fixture(name="resident")
def resident_fixture(enschede):
    return ResidentFactory(
        given_names="Fatima",
        surname="de Vries",
        street="Oude Markt",
        house_number=12,
        postcode="7511GB",
        city="Enschede",
        email="fatima@example.org",
        phone="+31612345678",
        municipality=enschede,
    )


def exempt(user, organisation, reason="Veiligheid"):
    return NamingExemption.objects.create(user=user, organisation=organisation, reason=reason)
