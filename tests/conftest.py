from pathlib import Path

import pytest
from rest_framework.test import APIClient

from eenloket.core.roles import Role

from .browser import CHROMIUM
from .factories import LocationFactory, OrganisationFactory, TeamFactory, staff


@pytest.fixture(autouse=True)
def _register_authorisations(request):
    """The register authorisations the migration seeds (who may search the resident register
    with which key). A transactional test (live server) flushes every table afterwards, so they
    are put back for each test that uses the database."""
    names = request.fixturenames
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    from eenloket.residents.authorisations import ensure_default_authorisations
    from eenloket.residents.models import RegisterAuthorisation

    ensure_default_authorisations(RegisterAuthorisation)

    # The shared letter templates (messaging migration 0003), for the same reason.
    from eenloket.messaging.models import LetterTemplate, LetterTemplateVersion
    from eenloket.messaging.seed import ensure_shared_templates

    ensure_shared_templates(LetterTemplate, LetterTemplateVersion)

    # The shared request types with their legal terms (deadlines migration 0002).
    from eenloket.deadlines.law import ensure_shared_types
    from eenloket.deadlines.models import RequestType

    ensure_shared_types(RequestType)


@pytest.fixture
def enschede(db):
    return OrganisationFactory(code="gemeente-enschede", type="gemeente", name="Gemeente Enschede")


@pytest.fixture
def maastricht(db):
    return OrganisationFactory(
        code="gemeente-maastricht", type="gemeente", name="Gemeente Maastricht"
    )


@pytest.fixture
def uwv(db):
    return OrganisationFactory(code="uwv", type="uwv", name="UWV")


@pytest.fixture
def enschede_location(enschede, uwv):
    location = LocationFactory(organisation=enschede, name="Stadhuis Enschede")
    location.guest_organisations.add(uwv)
    return location


@pytest.fixture
def counter_enschede(enschede):
    team = TeamFactory(organisation=enschede, name="Publiekszaken")
    return staff(enschede, Role.BALIEMEDEWERKER, team=team, username="balie.enschede")


@pytest.fixture
def counter_maastricht(maastricht):
    return staff(maastricht, Role.KCC_MEDEWERKER, username="kcc.maastricht")


@pytest.fixture
def uwv_staff(uwv):
    return staff(uwv, Role.MEDEWERKER_UITVOERING, username="medewerker.uwv")


@pytest.fixture
def privacy_officer(enschede):
    return staff(enschede, Role.PRIVACYFUNCTIONARIS, username="privacy.enschede")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as():
    """api_as(user) → an APIClient authenticated with the user's real token."""
    from rest_framework.authtoken.models import Token

    def make(user):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


# --- Added for the behaviour suites (test_residents/contacts/permissions/access_log/api/ui) ---


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 with a million rounds costs ~0.3 s per user; tests don't need that strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def uwv_location(uwv):
    return LocationFactory(organisation=uwv, name="UWV-kantoor Enschede")


@pytest.fixture
def management_enschede(enschede):
    return staff(enschede, Role.MANAGEMENT, username="management.enschede")


@pytest.fixture
def intermediair_enschede(enschede):
    return staff(enschede, Role.INTERMEDIAIR, username="intermediair.enschede")


@pytest.fixture
def no_membership_user(db):
    from .factories import UserFactory

    return UserFactory(username="zonder.organisatie")


@pytest.fixture
def ui_as():
    """ui_as(user) → a Django test Client with the user signed in (session auth)."""
    from django.test import Client

    def make(user):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


# --- Catalogue and routing ---


@pytest.fixture(autouse=True)
def _equated_days_fresh(request):
    """Days equated by royal decree are cached per process for five minutes; a rolled-back test
    sends no signal, so every test starts from the database (or, without one, from none)."""
    from eenloket.core import calendar

    names = request.fixturenames
    uses_db = bool({"db", "transactional_db", "live_server"} & set(names)) or bool(
        request.node.get_closest_marker("django_db")
    )
    calendar._EQUATED.update({"at": None if uses_db else float("inf"), "days": frozenset()})
    yield
    calendar.forget_equated_days()


@pytest.fixture(autouse=True)
def _routing_sees_changes_at_once(settings):
    """The engine normally checks for catalogue changes every few seconds; tests at once."""
    settings.ROUTING_REFRESH_SECONDS = 0


@pytest.fixture
def catalogue(db):
    """The full national catalogue (UPL + agencies), as `make demo` loads it."""
    from eenloket.catalogue.services import import_catalogue

    return import_catalogue()


@pytest.fixture
def catalogue_manager_enschede(enschede):
    return staff(enschede, Role.FUNCTIONEEL_BEHEERDER, username="beheer.enschede")


def problem(response, status):
    """An API error as RFC 7807 problem+json with the given status (Django test client or
    `requests` response); returns the body for further checks."""
    assert response.status_code == status, response.content[:500]
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["title"] and body["detail"]
    assert body["instance"].startswith("/api/v1/")
    return body


# ---- browser tests: one Chromium per module, a fresh context per test ----
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make test` (it installs it).")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    yield page
    context.close()
