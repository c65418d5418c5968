"""The API v1 contract: endpoints, filters, pagination, problem+json errors, OpenAPI, tokens."""

import datetime as dt
import io
import json
import re

import pytest
import time_machine
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from eenloket.contacts.models import ContactMoment
from eenloket.core.models import AccessLog
from eenloket.core.roles import Role
from eenloket.organisations.models import OpeningHours, Team
from eenloket.residents.models import Resident

from ..conftest import problem
from ..factories import (
    INVALID_BSN,
    ContactMomentFactory,
    LocationFactory,
    ResidentFactory,
    TeamFactory,
    UserFactory,
    new_bsn,
    staff,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 20, 12, 0, tzinfo=dt.UTC)
UNKNOWN_UUID = "5b0c5e0e-8f7a-4d8e-9c1e-3f2a6b7c8d90"  # fixed: xdist workers must collect alike

ENDPOINTS = [
    "/api/v1/organisations/",
    "/api/v1/teams/",
    "/api/v1/locations/",
    "/api/v1/staff-directory/",
    "/api/v1/residents/",
    "/api/v1/contact-moments/",
]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def client(api_as, counter_enschede):
    return api_as(counter_enschede)


def invalid_names(body) -> set[str]:
    return {p["name"] for p in body["invalid_params"]}


def assert_nothing_written(contacts=0, residents=0):
    assert ContactMoment.objects.count() == contacts
    assert Resident.objects.count() == residents
    assert AccessLog.objects.count() == 0


# --- authentication ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ENDPOINTS)
def test_anonymous_gets_401_problem(api_client, path):
    body = problem(api_client.get(path), 401)
    assert body["title"] == "U bent niet ingelogd."


def test_anonymous_post_gets_401_and_writes_nothing(api_client):
    response = api_client.post(
        "/api/v1/contact-moments/",
        {"channel": "balie", "question": "Vraag", "outcome": "beantwoord"},
        format="json",
    )
    problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Token")
    assert_nothing_written()


def test_wrong_token_gets_401(api_client, counter_enschede):
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    problem(api_client.get("/api/v1/organisations/"), 401)


def test_inactive_users_token_no_longer_works(api_as, counter_enschede):
    client = api_as(counter_enschede)
    counter_enschede.is_active = False
    counter_enschede.save()
    problem(client.get("/api/v1/organisations/"), 401)


def test_session_auth_works(counter_enschede, enschede):
    client = APIClient()
    client.force_login(counter_enschede, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/api/v1/organisations/")
    assert response.status_code == 200
    assert [o["code"] for o in response.json()["results"]] == ["gemeente-enschede"]


def test_session_auth_post_needs_csrf(counter_enschede):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(counter_enschede, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        "/api/v1/contact-moments/",
        {"channel": "balie", "question": "Vraag", "outcome": "beantwoord"},
        format="json",
    )
    problem(response, 403)
    assert_nothing_written()


# --- create_api_token --------------------------------------------------------------------------


def run_token_command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_api_token_prints_a_working_token(counter_enschede, enschede):
    out, _ = run_token_command(counter_enschede.username)
    token = out.strip().splitlines()[-1]
    assert re.fullmatch(r"[0-9a-f]{40}", token)
    assert Token.objects.get(user=counter_enschede).key == token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/organisations/").status_code == 200


def test_create_api_token_is_stable_unless_reset(counter_enschede):
    first = run_token_command(counter_enschede.username)[0].strip().splitlines()[-1]
    again = run_token_command(counter_enschede.username)[0].strip().splitlines()[-1]
    reset = run_token_command(counter_enschede.username, "--reset")[0].strip().splitlines()[-1]
    assert first == again
    assert reset != first
    assert Token.objects.get(user=counter_enschede).key == reset


def test_create_api_token_for_unknown_user_fails(db):
    with pytest.raises(CommandError, match="Geen actieve medewerker"):
        run_token_command("bestaat.niet")
    assert Token.objects.count() == 0


def test_create_api_token_for_inactive_user_fails(counter_enschede):
    counter_enschede.is_active = False
    counter_enschede.save()
    with pytest.raises(CommandError):
        run_token_command(counter_enschede.username)
    assert Token.objects.count() == 0


# --- OpenAPI and docs --------------------------------------------------------------------------


def test_openapi_schema_lists_every_resource(api_client):
    response = api_client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Eén Loket API"
    paths = schema["paths"]
    for path in ENDPOINTS:
        assert path in paths, path
    assert "post" in paths["/api/v1/contact-moments/"]
    assert "post" in paths["/api/v1/residents/"]
    assert "/api/v1/contact-moments/{uuid}/" in paths
    assert "/api/v1/residents/{uuid}/" in paths
    list_params = {p["name"] for p in paths["/api/v1/contact-moments/"]["get"]["parameters"]}
    assert {"channel", "outcome", "started_after", "resident", "cursor"} <= list_params
    # Resident search: a POST with one key in the body (no BSN in URLs and server logs).
    assert "get" not in paths["/api/v1/residents/"]
    search_body = paths["/api/v1/residents/search/"]["post"]["requestBody"]["content"]
    keys = [set(o["required"]) for o in search_body["application/json"]["schema"]["oneOf"]]
    assert keys == [{"bsn"}, {"surname", "birth_date"}, {"postcode", "house_number"}]
    assert "ContactMoment" in schema["components"]["schemas"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_openapi_schema_default_is_yaml(api_client):
    response = api_client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")


def test_api_docs_are_served_without_a_cdn(api_client):
    response = api_client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "swagger-ui" in html
    for forbidden in ("cdn", "jsdelivr", "unpkg", "googleapis", "cloudflare"):
        assert forbidden not in html.lower(), forbidden
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith("/"), f"external asset: {url}"


def test_api_docs_assets_are_served_locally(api_client):
    html = api_client.get("/api/v1/docs/").content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts
    for url in scripts:
        response = api_client.get(url)
        assert response.status_code == 200, url


# --- organisations, teams, locations, staff directory ------------------------------------------


@pytest.fixture
def directory(enschede, uwv, enschede_location):
    publiekszaken, _ = Team.objects.update_or_create(
        organisation=enschede,
        name="Publiekszaken",
        defaults={"description": "paspoort, verhuizing"},
    )
    werk = TeamFactory(organisation=uwv, name="Werk en uitkering", description="WW en WIA")
    OpeningHours.objects.create(
        location=enschede_location, weekday=0, opens=dt.time(9), closes=dt.time(17)
    )
    return {
        "sanne": staff(
            enschede,
            Role.BALIEMEDEWERKER,
            team=publiekszaken,
            contact_person=True,
            first_name="Sanne",
            last_name="Bakker",
            direct_phone="+31534811234",
        ),
        "hidden": staff(enschede, Role.BALIEMEDEWERKER, team=publiekszaken, first_name="Verborgen"),
        "gone": staff(
            enschede,
            Role.BALIEMEDEWERKER,
            team=publiekszaken,
            contact_person=True,
            first_name="Vertrokken",
            is_active=False,
        ),
        "ahmed": staff(
            uwv,
            Role.MEDEWERKER_UITVOERING,
            team=werk,
            contact_person=True,
            first_name="Ahmed",
            last_name="El Amrani",
        ),
    }


def test_organisations_list_filter_and_retrieve(client, enschede, uwv, maastricht):
    response = client.get("/api/v1/organisations/")
    assert response.status_code == 200
    codes = [o["code"] for o in response.json()["results"]]
    assert codes == ["gemeente-enschede", "gemeente-maastricht", "uwv"]  # by name
    by_type = client.get("/api/v1/organisations/?type=gemeente").json()["results"]
    assert {o["code"] for o in by_type} == {"gemeente-enschede", "gemeente-maastricht"}
    by_code = client.get("/api/v1/organisations/?code=uwv").json()["results"]
    assert [o["uuid"] for o in by_code] == [str(uwv.uuid)]
    detail = client.get(f"/api/v1/organisations/{uwv.uuid}/")
    assert detail.json()["name"] == "UWV"
    problem(client.get("/api/v1/organisations/?type=bakker"), 400)


def test_teams_list_and_filter(client, directory):
    teams = client.get("/api/v1/teams/").json()["results"]
    assert {(t["organisation"], t["name"]) for t in teams} >= {
        ("gemeente-enschede", "Publiekszaken"),
        ("uwv", "Werk en uitkering"),
    }
    uwv_teams = client.get("/api/v1/teams/?organisation__code=uwv").json()["results"]
    assert [t["name"] for t in uwv_teams] == ["Werk en uitkering"]


def test_locations_show_opening_hours_and_guests(client, directory, enschede_location):
    (location,) = client.get("/api/v1/locations/").json()["results"]
    assert location["uuid"] == str(enschede_location.uuid)
    assert location["organisation"] == "gemeente-enschede"
    assert location["guest_organisations"] == ["uwv"]
    assert location["opening_hours"] == [{"weekday": 0, "opens": "09:00:00", "closes": "17:00:00"}]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Sanne", "Ahmed"}),
        ("Publiekszaken", {"Sanne"}),
        ("publiekszaken", {"Sanne"}),
        ("uwv", {"Ahmed"}),
        ("Gemeente Enschede", {"Sanne"}),
        ("paspoort", {"Sanne"}),
        ("el amrani", {"Ahmed"}),
        ("Verborgen", set()),
        ("Vertrokken", set()),
        ("nergens", set()),
    ],
)
def test_staff_directory_search(client, directory, query, expected):
    response = client.get("/api/v1/staff-directory/", {"q": query})
    assert response.status_code == 200
    assert {e["name"].split()[0] for e in response.json()["results"]} == expected


def test_staff_directory_search_with_nul_byte_is_a_400(client, directory):
    body = problem(client.get("/api/v1/staff-directory/", {"q": "Publiek\x00szaken"}), 400)
    assert invalid_names(body) == {"q"}


def test_resident_search_with_out_of_range_house_number_is_refused(client, resident):
    response = search(client, {"postcode": "7511GB", "house_number": 99999999999999})
    body = problem(response, 400)
    assert [p["name"] for p in body["invalid_params"]] == ["house_number"]


def test_staff_directory_entry_has_direct_phone_and_team(client, directory):
    (entry,) = client.get("/api/v1/staff-directory/?q=Publiekszaken").json()["results"]
    assert entry["direct_phone"] == "+31534811234"
    assert entry["team"] == "Publiekszaken"
    assert entry["organisation"] == "gemeente-enschede"
    assert entry["organisation_name"] == "Gemeente Enschede"


def test_staff_directory_filter_by_organisation(client, directory):
    results = client.get("/api/v1/staff-directory/?organisation=uwv").json()["results"]
    assert [e["name"] for e in results] == [directory["ahmed"].get_full_name()]


# --- residents ---------------------------------------------------------------------------------


@pytest.fixture
def resident():
    return ResidentFactory(
        bsn="111222333",
        given_names="Anouk",
        surname="Scholten",
        birth_date=dt.date(1990, 2, 3),
        postcode="7511GB",
        house_number=7,
    )


SEARCH = "/api/v1/residents/search/"


def search(client, body):
    return client.post(SEARCH, body, format="json")


@pytest.mark.parametrize(
    "query",
    [
        {"bsn": "111222333"},
        {"bsn": "111 222 333"},
        {"surname": "scholten", "birth_date": "1990-02-03"},
        {"postcode": "7511gb", "house_number": 7},
    ],
)
def test_resident_search(client, resident, query):
    response = search(client, query)
    assert response.status_code == 200
    assert [r["uuid"] for r in response.json()["results"]] == [str(resident.uuid)]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ({}, "nonFieldErrors"),
        ({"surname": "Scholten"}, "birth_date"),
        ({"bsn": "111222333", "surname": "Scholten"}, "nonFieldErrors"),
        ({"bsn": INVALID_BSN}, "bsn"),
        ({"birth_date": "3-2-1990", "surname": "Scholten"}, "birth_date"),
        ({"birth_date": "0001-02-03", "surname": "Scholten"}, "birth_date"),
        ({"postcode": "7511GB", "house_number": "zeven"}, "house_number"),
        ({"postcode": "7511GB", "house_number": 0}, "house_number"),
        ({"bsn": "1" * 50}, "bsn"),
        (["bsn"], "nonFieldErrors"),
    ],
)
def test_resident_search_bad_input(client, resident, query, name):
    body = problem(search(client, query), 400)
    assert name in invalid_names(body)
    assert AccessLog.objects.count() == 0


def test_resident_search_invalid_bsn_keeps_its_error_code(client, resident):
    body = problem(search(client, {"bsn": INVALID_BSN}), 400)
    assert [(p["name"], p["code"]) for p in body["invalid_params"]] == [("bsn", "invalid_bsn")]


def test_resident_retrieve(client, resident):
    response = client.get(f"/api/v1/residents/{resident.uuid}/")
    assert response.status_code == 200
    body = response.json()
    assert body["bsn"] == "111222333"
    assert body["surname"] == "Scholten"
    assert body["postcode"] == "7511GB"


@pytest.mark.parametrize("bad_id", [UNKNOWN_UUID, "geen-uuid", "123"])
def test_resident_retrieve_unknown_is_404(client, bad_id):
    body = problem(client.get(f"/api/v1/residents/{bad_id}/"), 404)
    assert body["detail"] == "Deze inwoner bestaat niet of u mag de gegevens niet zien."


def test_resident_create(client):
    bsn = new_bsn()
    response = client.post(
        "/api/v1/residents/",
        {
            "bsn": bsn,
            "given_names": "Kofi",
            "surname": "Mensah",
            "birth_date": "1968-11-30",
            "phone": "06 12345678",
            "preferred_channel": "post",
            "needs_hearing": True,
            "needs_notes": "Liever schriftelijk",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["bsn"] == bsn
    assert body["phone"] == "+31612345678"
    stored = Resident.objects.get(uuid=body["uuid"])
    assert stored.needs_hearing is True
    assert stored.preferred_channel == "post"


def test_resident_create_normalises_a_written_postcode(client):
    response = client.post(
        "/api/v1/residents/",
        {"given_names": "Kofi", "surname": "Mensah", "postcode": "7511 gb", "house_number": 3},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["postcode"] == "7511GB"


@pytest.mark.parametrize(
    ("payload", "names"),
    [
        ({"bsn": INVALID_BSN}, {"bsn"}),
        ({"given_names": ""}, {"given_names"}),
        ({"given_names": None}, {"given_names"}),
        ({"surname": "   "}, {"surname"}),
        ({"postcode": "ABCD12"}, {"postcode"}),
        ({"phone": "12345"}, {"phone"}),
        ({"email": "geen-adres"}, {"email"}),
        ({"preferred_channel": "duif"}, {"preferred_channel"}),
        ({"birth_date": "gisteren"}, {"birth_date"}),
        ({"house_number": "twaalf"}, {"house_number"}),
        ({"house_number": -3}, {"house_number"}),
        ({"needs_visual": "misschien"}, {"needs_visual"}),
        ({"household": UNKNOWN_UUID}, {"household"}),
        ({"surname": "x" * 100_000}, {"surname"}),
        ({"bsn": "1" * 10_000}, {"bsn"}),
        ({"given_names": ["Anna", "Maria"]}, {"given_names"}),
        ({"given_names": "An\x00na"}, {"given_names"}),
        ({"house_number": 10**12}, {"house_number"}),
    ],
)
def test_resident_create_bad_input(client, payload, names):
    data = {"given_names": "Kofi", "surname": "Mensah"} | payload
    body = problem(client.post("/api/v1/residents/", data, format="json"), 400)
    assert invalid_names(body) == names
    assert all(p["reason"] for p in body["invalid_params"])
    assert_nothing_written()


def test_resident_create_without_names(client):
    body = problem(client.post("/api/v1/residents/", {}, format="json"), 400)
    assert invalid_names(body) == {"given_names", "surname"}
    assert_nothing_written()


def test_resident_create_duplicate_bsn(client, resident):
    body = problem(
        client.post(
            "/api/v1/residents/",
            {"bsn": resident.bsn, "given_names": "Kofi", "surname": "Mensah"},
            format="json",
        ),
        400,
    )
    assert body["invalid_params"] == [
        {
            "name": "bsn",
            "code": "invalid",
            "reason": "Er is al een inwoner met dit BSN. Zoek de inwoner op BSN.",
        }
    ]
    assert_nothing_written(residents=1)


def test_resident_create_invalid_bsn_message_is_dutch(client):
    body = problem(
        client.post(
            "/api/v1/residents/",
            {"bsn": INVALID_BSN, "given_names": "Kofi", "surname": "Mensah"},
            format="json",
        ),
        400,
    )
    (param,) = body["invalid_params"]
    assert param["reason"].startswith("Dit is geen geldig BSN")


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{niet json", "application/json", 400),
        ('{"given_names": "Kofi",', "application/json", 400),
        ("[1, 2, 3]", "application/json", 400),
        ('"alleen tekst"', "application/json", 400),
        ("given_names=Kofi", "text/plain", 415),
    ],
)
def test_resident_create_unparseable_body(client, body, content_type, status):
    response = client.post("/api/v1/residents/", data=body, content_type=content_type)
    problem(response, status)
    assert_nothing_written()


# --- contact moments ---------------------------------------------------------------------------


def contact_payload(**overrides):
    data = {
        "channel": "balie",
        "question": "Hoe verleng ik mijn paspoort?",
        "outcome": "beantwoord",
    }
    data.update(overrides)
    return data


def test_contact_create_returns_the_contact(frozen, client, resident, enschede_location):
    response = client.post(
        "/api/v1/contact-moments/",
        contact_payload(
            resident=str(resident.uuid),
            location=str(enschede_location.uuid),
            answer="Afspraak ingepland",
            outcome="afspraak-gemaakt",
            extra_help_needed=True,
            started_at="2026-05-20T13:45:00+02:00",
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation"] == "gemeente-enschede"
    assert body["resident"] == str(resident.uuid)
    assert body["location"] == str(enschede_location.uuid)
    assert body["extra_help_needed"] is True
    stored = ContactMoment.objects.get(uuid=body["uuid"])
    assert stored.started_at == dt.datetime(2026, 5, 20, 11, 45, tzinfo=dt.UTC)
    assert stored.ended_at == NOW


def test_anonymous_contact_over_the_api(frozen, client):
    response = client.post(
        "/api/v1/contact-moments/", contact_payload(resident=None), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["resident"] is None
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "names"),
    [
        ({"question": ""}, {"question"}),
        ({"question": "   "}, {"question"}),
        ({"question": None}, {"question"}),
        ({"channel": "fax"}, {"channel"}),
        ({"channel": None}, {"channel"}),
        ({"outcome": "opgelost"}, {"outcome"}),
        ({"question": "x" * 5001}, {"question"}),
        ({"question": "x" * 1_000_000}, {"question"}),
        ({"answer": "x" * 5001}, {"answer"}),
        ({"question": ["Twee", "vragen"]}, {"question"}),
        ({"question": {"tekst": "Vraag"}}, {"question"}),
        ({"question": "Vraag met \x00 erin"}, {"question"}),
        ({"extra_help_needed": "misschien"}, {"extra_help_needed"}),
        ({"started_at": 12345}, {"started_at"}),
        ({"started_at": "gisteren"}, {"started_at"}),
        ({"started_at": "2026-05-21T12:00:00Z"}, {"started_at"}),
        ({"ended_at": "2026-05-20T11:00:00Z", "started_at": "2026-05-20T11:30:00Z"}, {"ended_at"}),
        ({"resident": UNKNOWN_UUID}, {"resident"}),
        ({"resident": "geen-uuid"}, {"resident"}),
        ({"resident": 42}, {"resident"}),
        ({"location": UNKNOWN_UUID}, {"location"}),
        ({"organisation": "bestaat-niet"}, {"organisation"}),
        ({"organisation": "uwv"}, {"organisation"}),
    ],
)
def test_contact_create_bad_input(frozen, client, uwv, overrides, names):
    response = client.post("/api/v1/contact-moments/", contact_payload(**overrides), format="json")
    body = problem(response, 400)
    assert invalid_names(body) == names
    assert body["detail"] == "Een of meer velden kloppen niet."
    assert_nothing_written()


def test_contact_create_missing_fields(client):
    body = problem(client.post("/api/v1/contact-moments/", {}, format="json"), 400)
    assert invalid_names(body) == {"channel", "question", "outcome"}
    assert_nothing_written()


def test_contact_create_at_another_organisations_location(frozen, client, maastricht):
    elsewhere = LocationFactory(organisation=maastricht)
    body = problem(
        client.post(
            "/api/v1/contact-moments/",
            contact_payload(location=str(elsewhere.uuid)),
            format="json",
        ),
        400,
    )
    assert body["invalid_params"] == [
        {
            "name": "location",
            "code": "invalid",
            "reason": "Uw organisatie werkt niet op deze locatie.",
        }
    ]
    assert_nothing_written()


@pytest.mark.parametrize("body", ["{niet json", "null", "[]"])
def test_contact_create_non_json_body(client, body):
    response = client.post("/api/v1/contact-moments/", data=body, content_type="application/json")
    problem(response, 400)
    assert_nothing_written()


@pytest.mark.parametrize("bad_id", [UNKNOWN_UUID, "geen-uuid"])
def test_contact_retrieve_unknown_is_404(client, bad_id):
    problem(client.get(f"/api/v1/contact-moments/{bad_id}/"), 404)


def test_contact_retrieve(client, counter_enschede, enschede, resident):
    contact = ContactMomentFactory(organisation=enschede, staff=counter_enschede, resident=resident)
    body = client.get(f"/api/v1/contact-moments/{contact.uuid}/").json()
    assert body["uuid"] == str(contact.uuid)
    assert body["staff"] == str(counter_enschede.uuid)
    assert body["staff_name"] == counter_enschede.get_full_name()
    assert body["resident"] == str(resident.uuid)


def test_contact_moments_are_read_only_after_registration(client, enschede):
    contact = ContactMomentFactory(organisation=enschede)
    for method in (client.put, client.patch):
        problem(method(f"/api/v1/contact-moments/{contact.uuid}/", {}, format="json"), 405)
    problem(client.delete(f"/api/v1/contact-moments/{contact.uuid}/"), 405)
    assert ContactMoment.objects.filter(pk=contact.pk).exists()


@pytest.fixture
def many_contacts(enschede, counter_enschede, resident, enschede_location):
    """30 contacts over 30 days, alternating channel and outcome; a few with equal start times."""
    contacts = []
    for i in range(30):
        contacts.append(
            ContactMomentFactory(
                organisation=enschede,
                staff=counter_enschede,
                resident=resident if i % 2 == 0 else ResidentFactory(),
                location=enschede_location,
                channel=["balie", "telefoon", "digitaal"][i % 3],
                outcome=["beantwoord", "terugbelverzoek"][i % 2],
                extra_help_needed=i % 5 == 0,
                started_at=NOW - dt.timedelta(days=30 - (i // 3) * 3),
                question=f"Vraag {i}",
            )
        )
    return sorted(contacts, key=lambda c: (c.started_at, c.pk), reverse=True)


def test_contact_list_is_newest_first_with_working_next_links(client, many_contacts):
    seen, url, pages = [], "/api/v1/contact-moments/?page_size=7", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.json()
        assert "count" not in body  # no COUNT(*) over a big table
        seen.extend(c["uuid"] for c in body["results"])
        url = body["next"]
        pages += 1
        assert pages <= 5
    assert seen == [str(c.uuid) for c in many_contacts]
    assert len(set(seen)) == 30


def test_contact_list_previous_link_goes_back(client, many_contacts):
    first = client.get("/api/v1/contact-moments/?page_size=10").json()
    second = client.get(first["next"]).json()
    back = client.get(second["previous"]).json()
    assert [c["uuid"] for c in back["results"]] == [c["uuid"] for c in first["results"]]


def test_contact_list_page_size_is_capped(client, enschede):
    for _ in range(3):
        ContactMomentFactory(organisation=enschede)
    body = client.get("/api/v1/contact-moments/?page_size=100000").json()
    assert len(body["results"]) == 3


def test_contact_list_bad_cursor(client, many_contacts):
    body = problem(client.get("/api/v1/contact-moments/?cursor=rommel"), 400)
    assert body["invalid_params"] == [
        {"name": "cursor", "code": "bad_cursor", "reason": "Deze pagina-aanwijzer klopt niet."}
    ]
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize(
    ("query", "predicate"),
    [
        ("channel=telefoon", lambda c: c.channel == "telefoon"),
        ("outcome=terugbelverzoek", lambda c: c.outcome == "terugbelverzoek"),
        ("extra_help_needed=true", lambda c: c.extra_help_needed),
        (
            "started_after=2026-05-08T12:00:00Z",
            lambda c: c.started_at >= dt.datetime(2026, 5, 8, 12, tzinfo=dt.UTC),
        ),
        (
            "started_before=2026-05-08T12:00:00Z",
            lambda c: c.started_at < dt.datetime(2026, 5, 8, 12, tzinfo=dt.UTC),
        ),
        (
            "channel=balie&outcome=beantwoord",
            lambda c: c.channel == "balie" and c.outcome == "beantwoord",
        ),
    ],
)
def test_contact_list_filters(client, many_contacts, query, predicate):
    response = client.get(f"/api/v1/contact-moments/?{query}&page_size=100")
    assert response.status_code == 200
    expected = [str(c.uuid) for c in many_contacts if predicate(c)]
    assert expected, "the filter must select something"
    assert len(expected) < 30, "the filter must leave something out"
    assert [c["uuid"] for c in response.json()["results"]] == expected


def test_contact_list_filter_by_resident(client, many_contacts, resident):
    response = client.get(f"/api/v1/contact-moments/?resident={resident.uuid}&page_size=100")
    expected = [str(c.uuid) for c in many_contacts if c.resident_id == resident.pk]
    assert len(expected) == 15
    assert [c["uuid"] for c in response.json()["results"]] == expected


def test_contact_list_filter_paging_keeps_the_filter(client, many_contacts):
    seen, url = [], "/api/v1/contact-moments/?channel=balie&page_size=3"
    while url:
        body = client.get(url).json()
        seen.extend(body["results"])
        url = body["next"]
    assert {c["channel"] for c in seen} == {"balie"}
    assert len(seen) == sum(c.channel == "balie" for c in many_contacts)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("channel=fax", "channel"),
        ("outcome=misschien", "outcome"),
        ("started_after=gisteren", "started_after"),
        ("resident=geen-uuid", "resident"),
    ],
)
def test_contact_list_bad_filter(client, many_contacts, query, name):
    body = problem(client.get(f"/api/v1/contact-moments/?{query}"), 400)
    assert name in invalid_names(body)


# --- a small, fixed number of queries per request ----------------------------------------------


@pytest.fixture
def busy_day(enschede, uwv, enschede_location):
    """25+ contacts, each by another staff member for another resident: N+1 would show."""
    for i in range(30):
        ContactMomentFactory(
            organisation=enschede,
            staff=UserFactory(),
            resident=ResidentFactory(),
            location=enschede_location if i % 2 else None,
        )


def test_contact_list_query_count(client, busy_day, django_assert_max_num_queries):
    # token+user, memberships, page, one INSERT for the access log
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/contact-moments/")
    assert len(response.json()["results"]) == 25


def test_contact_list_filtered_by_resident_query_count(
    client, busy_day, resident, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        response = client.get(f"/api/v1/contact-moments/?resident={resident.uuid}")
    assert response.status_code == 200


def test_contact_create_query_count(
    frozen, client, busy_day, resident, enschede_location, django_assert_max_num_queries
):
    # token+user, memberships, location, resident, organisation, the basis to see the resident
    # (its woongemeente), INSERT contact, INSERT log (+ a savepoint pair inside the test
    # transaction)
    with django_assert_max_num_queries(11):
        response = client.post(
            "/api/v1/contact-moments/",
            contact_payload(resident=str(resident.uuid), location=str(enschede_location.uuid)),
            format="json",
        )
    assert response.status_code == 201


def test_contact_create_as_guest_query_count(
    frozen, api_as, uwv_staff, busy_day, resident, enschede_location, django_assert_max_num_queries
):
    client = api_as(uwv_staff)
    # UWV's basis to see the resident: it looked the resident up by BSN (a recorded lookup).
    assert search(client, {"bsn": resident.bsn}).json()["results"]
    # as above, plus the check that UWV is a guest at this location, and the basis is a lookup
    # (no woongemeente): lookups
    with django_assert_max_num_queries(12):
        response = client.post(
            "/api/v1/contact-moments/",
            contact_payload(resident=str(resident.uuid), location=str(enschede_location.uuid)),
            format="json",
        )
    assert response.status_code == 201


def test_resident_retrieve_query_count(client, busy_day, resident, django_assert_max_num_queries):
    # token+user, memberships, resident (with its woongemeente), the bases (lookups, own
    # contacts, referrals, appointments, case consents: one query per kind), INSERT log: a
    # fixed number, whatever the resident's history. The register authorisations are kept in
    # memory (read once a minute): loaded here first, so the count does not depend on test order.
    from eenloket.residents.access import current_authorisations

    current_authorisations()
    with django_assert_max_num_queries(9):
        response = client.get(f"/api/v1/residents/{resident.uuid}/")
    assert response.status_code == 200


def test_resident_search_query_count(client, busy_day, resident, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = search(client, {"postcode": "7511GB", "house_number": 7})
    assert response.status_code == 200


def test_fast_contact_output_matches_the_declared_serializer_fields(enschede, enschede_location):
    """The hand-built output of ContactMomentSerializer must equal what DRF's declared fields
    would produce, for contacts with and without resident, location and end time."""

    from rest_framework import serializers

    from eenloket.contacts.api import ContactMomentSerializer

    contacts = [
        ContactMomentFactory(organisation=enschede, location=enschede_location),
        ContactMomentFactory(organisation=enschede, resident=None, ended_at=None),
    ]
    for contact in ContactMoment.objects.select_related(
        "organisation", "location", "staff", "resident"
    ).filter(pk__in=[c.pk for c in contacts]):
        fast = ContactMomentSerializer(contact).data
        generic = serializers.ModelSerializer.to_representation(ContactMomentSerializer(), contact)
        assert json.loads(json.dumps(fast, default=str)) == json.loads(
            json.dumps(generic, default=str)
        )
