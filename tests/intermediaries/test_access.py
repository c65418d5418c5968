"""Who sees what: an intermediary never reaches a staff page or the register (every URL of the
site is walked), sees only their own reports (a guessed id is 404), and sees of the answer only
what their trust level allows (the matrix below is the oracle, written from the brief). The
login: after the password an intermediary must pass the second factor (django-otp TOTP)."""

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.plugins.otp_totp.models import TOTPDevice

from eenloket.core import permissions
from eenloket.core.models import AccessLog
from eenloket.intermediaries import selectors, services
from eenloket.intermediaries.totp import current_code
from eenloket.organisations.selectors import get_scope

from ..factories import ResidentFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Loket-test-2026!"


# ---- every URL of the site ------------------------------------------------------------------------
def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


CONVERTERS = {"uuid": str(uuid.uuid4()), "int": "1", "slug": "x", "str": "x", "path": "x"}


def _concrete(route):
    """A path for a route: converters filled with a value; regex routes (the API router's)
    with a plain value for each group."""
    route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: CONVERTERS.get(m.group(1) or "str", "x"), route)
    route = route.replace("^", "").replace("$", "").replace("\\.", ".")
    route = re.sub(r"\(\?P<format>[^)]*\)", "", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", CONVERTERS["uuid"], route)
    route = route.replace("\\Z", "").replace("/?", "/")
    return "/" + route


OWN = ("icp/", "api/v1/my-concern-reports", "uitloggen/", "i18n/", "inloggen/")


def staff_paths():
    paths = sorted({_concrete(r) for r in _walk(get_resolver().url_patterns)})
    return [p for p in paths if not p.lstrip("/").startswith(OWN) and "(" not in p and p != "/"]


def test_the_walk_finds_the_staff_pages():
    paths = staff_paths()
    for expected in ["/inwoners/", "/zorgmeldingen/", "/medewerkersgids/", "/api/v1/residents/"]:
        assert expected in paths
    assert len(paths) > 100


def test_every_staff_url_refuses_a_verified_intermediary(icp_client, volunteer, services_):
    resident = ResidentFactory(given_names="Fatima", surname="Yilmaz")
    client = icp_client(volunteer)
    allowed = []
    for path in staff_paths():
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            if response.status_code not in (403, 405) or resident.surname.encode() in (
                response.content
            ):
                allowed.append((method, path, response.status_code))
    assert allowed == []
    assert not AccessLog.objects.exists()  # no resident data was read on their behalf
    # The start page and the login page send them to their own page.
    for path in ("/", "/inloggen/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/icp/")


def test_an_intermediary_has_no_staff_rights_at_all(volunteer):
    scope = get_scope(volunteer.user)
    assert not permissions.is_staff_member(scope)
    assert not any(
        test(scope)
        for test in (
            permissions.can_work_with_contacts,
            permissions.can_read_reports,
            permissions.is_functional_admin,
        )
    )


# ---- the second factor ---------------------------------------------------------------------------
def test_after_the_password_the_intermediary_is_sent_to_the_verification(volunteer, services_):
    client = Client()
    response = client.post("/inloggen/", {"username": "riek.nijhuis", "password": PASSWORD})
    assert response.status_code == 302
    # Without the code nothing opens: their own pages, the API, staff pages.
    for path in ("/", "/icp/", "/icp/melden/", "/inwoners/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(
            "/icp/verificatie/"
        ), path
    api = client.get("/api/v1/my-concern-reports/")
    assert api.status_code == 403 and api["Content-Type"] == "application/problem+json"
    assert "code uit uw app" in api.json()["detail"]
    page = client.get("/icp/verificatie/")
    assert page.status_code == 200 and "Code uit uw app" in page.content.decode()


def test_a_wrong_code_is_refused_with_a_clear_dutch_message(volunteer, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wait after a wrong code: the next test
    client = Client()
    client.post("/inloggen/", {"username": "riek.nijhuis", "password": PASSWORD})
    device = TOTPDevice.objects.get(user=volunteer.user)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    for code in (wrong, "abc", "", "12345"):
        response = client.post("/icp/verificatie/", {"code": code})
        assert response.status_code == 400
        assert "Deze code klopt niet." in response.content.decode()
    assert client.get("/icp/").status_code == 302


def test_right_after_a_wrong_code_one_waits_a_moment(volunteer):
    moment = dt.datetime(2026, 4, 14, 10, 0, 10, tzinfo=dt.UTC)
    client = Client()
    client.post("/inloggen/", {"username": "riek.nijhuis", "password": PASSWORD})
    device = TOTPDevice.objects.get(user=volunteer.user)
    with time_machine.travel(moment, tick=False):
        wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
        assert (
            "Deze code klopt niet."
            in client.post("/icp/verificatie/", {"code": wrong}).content.decode()
        )
        # Even the right code waits (django-otp's throttle: 1 s after one wrong code).
        right = client.post("/icp/verificatie/", {"code": current_code(device)})
        assert right.status_code == 400 and "Wacht even" in right.content.decode()
    with time_machine.travel(moment + dt.timedelta(seconds=2), tick=False):
        response = client.post("/icp/verificatie/", {"code": current_code(device)})
        assert (response.status_code, response["Location"]) == (302, "/icp/")


def test_the_right_code_lets_them_in(volunteer):
    client = Client()
    client.post("/inloggen/", {"username": "riek.nijhuis", "password": PASSWORD})
    device = TOTPDevice.objects.get(user=volunteer.user)
    response = client.post(
        "/icp/verificatie/?next=/icp/melden/",
        {"code": current_code(device), "next": "/icp/melden/"},
    )
    assert (response.status_code, response["Location"]) == (302, "/icp/melden/")
    assert client.get("/icp/").status_code == 200
    # A used code cannot be used again (django-otp remembers the last one).
    other = Client()
    other.post("/inloggen/", {"username": "riek.nijhuis", "password": PASSWORD})
    assert other.post("/icp/verificatie/", {"code": current_code(device)}).status_code == 400


def test_the_next_page_after_verification_stays_on_the_contact_point(volunteer):
    client = Client()
    client.post("/inloggen/", {"username": "riek.nijhuis", "password": PASSWORD})
    device = TOTPDevice.objects.get(user=volunteer.user)
    response = client.post(
        "/icp/verificatie/", {"code": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/icp/"


def test_staff_sign_in_without_a_second_step(debt_worker):
    client = Client()
    client.post("/inloggen/", {"username": debt_worker.username, "password": PASSWORD})
    assert client.get("/").status_code == 200
    assert client.get("/zorgmeldingen/").status_code == 200


def test_a_staff_member_gets_no_intermediary_pages(ui_as, debt_worker):
    client = ui_as(debt_worker)
    assert client.get("/icp/").status_code == 403
    assert client.get("/icp/melden/").status_code == 403


# ---- own reports only ----------------------------------------------------------------------------
def test_a_guessed_or_anothers_report_is_not_found(icp_client, volunteer, semi, report_of):
    mine = report_of(volunteer)
    theirs = report_of(semi)
    client = icp_client(volunteer)
    assert client.get(f"/icp/meldingen/{mine.uuid}/").status_code == 200
    for guess in (theirs.uuid, uuid.uuid4()):
        response = client.get(f"/icp/meldingen/{guess}/")
        assert response.status_code == 404
        assert theirs.resident_name.encode() not in response.content
        api = client.get(f"/api/v1/my-concern-reports/{guess}/")
        assert api.status_code == 404 and api["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/my-concern-reports/not-a-uuid/").status_code == 404
    # The staff page of one's own report is closed as well.
    assert client.get(f"/zorgmeldingen/{mine.uuid}/").status_code == 403
    listed = [r.uuid for r in selectors.my_reports(volunteer.user)]
    assert listed == [mine.uuid]


def test_the_intermediary_never_sees_the_register_link(
    icp_client, volunteer, report_of, debt_worker
):
    resident = ResidentFactory(given_names="Truus", surname="Registerman", bsn="999990019")
    report = report_of(volunteer)
    services.link_resident(user=debt_worker, report=report, resident_uuid=resident.uuid)
    client = icp_client(volunteer)
    page = client.get(f"/icp/meldingen/{report.uuid}/").content.decode()
    api = client.get(f"/api/v1/my-concern-reports/{report.uuid}/").content.decode()
    for text in (page, api):
        assert "Registerman" not in text and str(resident.uuid) not in text
        assert "999990019" not in text and "gekoppeld" not in text


# ---- the visibility matrix -----------------------------------------------------------------------
# trust level → (sees handler's name and team, sees direct phone, may attach documents)
MATRIX = {
    "vrijwilliger": (False, False, False),
    "semi-professional": (True, False, False),
    "professional": (True, True, True),
}


@pytest.mark.parametrize("level", list(MATRIX))
def test_what_each_trust_level_sees_of_the_answer(
    level, make_intermediary, report_of, debt_worker, icp_client, debt_team
):
    person = make_intermediary(level, f"icp.{level}")
    report = report_of(person)
    services.answer_report(
        user=debt_worker, report=report, state="in-behandeling", answer="We gaan erheen."
    )
    view = selectors.my_report(person.user, report.uuid)
    name_and_team, phone, attach = MATRIX[level]
    assert view.state_label == "In behandeling" and view.answer == "We gaan erheen."
    assert (view.handler_name == "Noor Vermeulen") is name_and_team
    assert (view.team_name == "Schuldhulpverlening") is name_and_team
    assert (view.handler_phone == "+31534815566") is phone
    assert person.may_attach is attach
    page = icp_client(person).get(f"/icp/meldingen/{report.uuid}/").content.decode()
    assert "We gaan erheen." in page
    assert ("Noor Vermeulen" in page) is name_and_team
    assert ("Schuldhulpverlening" in page) is name_and_team
    assert ("053 481 5566" in page) is phone  # shown formatted
    form = icp_client(person).get("/icp/melden/").content.decode()
    assert ('type="file"' in form) is attach
