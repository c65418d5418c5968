"""Fixtures for the Intermediairen Contact Punt: Gemeente Enschede (tests/conftest.py) with a
debt team and a Wmo team (each with a member), a team lead of the debt team and a functioneel
beheerder; two municipal services the routing engine finds (debts, help at home); the partner
organisation Buurtkracht Enschede with a volunteer, a semi-professional and a professional
intermediary, each with a confirmed TOTP device (the demo's fixed key).

`icp_client(intermediary)` is a Django test client signed in as the intermediary with the second
factor verified (as after the verification step); `password_client` only after the password."""

import pytest
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from eenloket.core.roles import Role
from eenloket.intermediaries.models import Intermediary, TrustLevel
from eenloket.intermediaries.totp import DEMO_KEY

from ..factories import OrganisationFactory, ServiceFactory, TeamFactory, UserFactory, staff

DEBT_CONCERN = (
    "Mevrouw heeft grote schulden. De energieleverancier heeft haar afgesloten en er komt "
    "beslag op haar loon."
)
HOME_CONCERN = "Meneer valt vaak en krijgt geen huishoudelijke hulp. Hij heeft een rollator nodig."


@pytest.fixture
def debt_team(enschede):
    return TeamFactory(
        organisation=enschede,
        name="Schuldhulpverlening",
        description="schulden, budgetbeheer, beslag",
    )


@pytest.fixture
def wmo_team(enschede):
    return TeamFactory(
        organisation=enschede,
        name="Wmo en jeugd",
        description="huishoudelijke hulp, hulpmiddelen, jeugdhulp",
    )


@pytest.fixture
def services_(enschede):
    return [
        ServiceFactory(
            code="schuldhulpverlening",
            name="Schuldhulpverlening",
            description="Hulp bij schulden en betalingsachterstanden, budgetbeheer.",
            keywords=["schulden", "afgesloten", "energieleverancier", "beslag", "achterstand"],
        ),
        ServiceFactory(
            code="wmo-hulp-thuis",
            name="Huishoudelijke hulp en hulpmiddelen (Wmo)",
            description="Hulp in het huishouden, een rollator of andere hulpmiddelen.",
            keywords=["huishoudelijke hulp", "rollator", "vallen", "hulpmiddelen"],
        ),
    ]


@pytest.fixture
def debt_worker(enschede, debt_team):
    return staff(
        enschede,
        Role.CASEMANAGER,
        team=debt_team,
        username="schulden.enschede",
        first_name="Noor",
        last_name="Vermeulen",
        direct_phone="+31534815566",
    )


@pytest.fixture
def wmo_worker(enschede, wmo_team):
    return staff(
        enschede,
        Role.BALIEMEDEWERKER,
        team=wmo_team,
        username="wmo.enschede",
        first_name="Kees",
        last_name="Lansink",
    )


@pytest.fixture
def debt_lead(enschede, debt_team):
    return staff(
        enschede,
        Role.TEAMLEIDER,
        team=debt_team,
        username="teamleider.enschede",
        first_name="Peter",
        last_name="ter Horst",
    )


@pytest.fixture
def beheerder(enschede):
    return staff(enschede, Role.FUNCTIONEEL_BEHEERDER, username="beheer.enschede")


@pytest.fixture
def partner(db):
    return OrganisationFactory(
        code="buurtkracht-enschede", type="sociaal-raadslieden", name="Buurtkracht Enschede"
    )


@pytest.fixture
def make_intermediary(enschede, partner, beheerder):
    def make(level, username, **kwargs):
        user = UserFactory(username=username, **kwargs)
        TOTPDevice.objects.create(user=user, name="app", key=DEMO_KEY, confirmed=True)
        return Intermediary.objects.create(
            user=user,
            municipality=enschede,
            organisation=partner,
            trust_level=level,
            invited_by=beheerder,
            created_at=timezone.now(),
        )

    return make


@pytest.fixture
def volunteer(make_intermediary):
    return make_intermediary(
        TrustLevel.VOLUNTEER, "riek.nijhuis", first_name="Riek", last_name="Nijhuis"
    )


@pytest.fixture
def semi(make_intermediary):
    return make_intermediary(
        TrustLevel.SEMI_PROFESSIONAL, "fenna.hofstede", first_name="Fenna", last_name="Hofstede"
    )


@pytest.fixture
def professional(make_intermediary):
    return make_intermediary(
        TrustLevel.PROFESSIONAL, "jeroen.brinkhuis", first_name="Jeroen", last_name="Brinkhuis"
    )


def verify_session(client, user):
    """Mark the client's session as having passed the second factor (django-otp's login)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def password_client():
    def make(intermediary, client_class=Client):
        client = client_class()
        client.force_login(intermediary.user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def icp_client(password_client):
    def make(intermediary, client_class=Client):
        return verify_session(password_client(intermediary, client_class), intermediary.user)

    return make


@pytest.fixture
def report_of(services_, debt_team, wmo_team):
    """report_of(intermediary, **changes): a report made through the service."""
    from eenloket.intermediaries import services

    def make(intermediary, **changes):
        values = {
            "concern": DEBT_CONCERN,
            "urgency": "spoed",
            "resident_name": "mevrouw Wessels",
            "resident_address": "Kuipersdijk 112, Enschede",
            "resident_phone": "06 1234 5670",
            "consent": "ja",
        }
        values.update(changes)
        return services.create_report(user=intermediary.user, **values)

    return make
