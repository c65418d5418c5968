"""Bad input to the API gets a clear Dutch problem+json answer, never a 500 or an HTML page:
JSON nested too deep, a body that is too large, dates and times outside a sensible range.
Where the transport is the point (body size, nesting) over real HTTP (live_server)."""

import datetime as dt

import pytest
import requests
from django.utils import timezone
from rest_framework.authtoken.models import Token

from eenloket.contacts.models import ContactMoment
from eenloket.residents.models import Resident

from ..conftest import problem
from ..factories import ContactMomentFactory

CONTACTS = "/api/v1/contact-moments/"
CONTACT = {"channel": "balie", "question": "Vraag over de bijstand", "outcome": "beantwoord"}


@pytest.fixture
def http(live_server, counter_enschede):
    """A requests session against the live server, with the counter employee's token."""
    token, _ = Token.objects.get_or_create(user=counter_enschede)
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token.key}"
    session.base = live_server.url
    yield session
    session.close()


def post_raw(http, body: bytes, path=CONTACTS):
    return http.post(
        http.base + path, data=body, headers={"Content-Type": "application/json"}, timeout=30
    )


# --- JSON nesting -------------------------------------------------------------------------------


def test_json_nested_a_thousand_deep_is_a_400_problem_not_a_500(http):
    body = problem(post_raw(http, b"[" * 1000 + b"]" * 1000), 400)
    assert "te diep in elkaar genest" in body["detail"]
    body = problem(post_raw(http, b'{"a":' * 100_000 + b"1" + b"}" * 100_000), 400)
    assert "te diep in elkaar genest" in body["detail"]
    assert ContactMoment.objects.count() == 0


def test_json_nesting_limit_is_a_setting(http, settings):
    settings.API_MAX_JSON_DEPTH = 3
    nested = b'{"channel": "balie", "question": "Vraag", "outcome": "beantwoord", "x": [[[1]]]}'
    body = problem(post_raw(http, nested), 400)
    assert "ten hoogste 3 lagen" in body["detail"]
    allowed = b'{"channel": "balie", "question": "Vraag", "outcome": "beantwoord", "x": [[1]]}'
    assert post_raw(http, allowed).status_code == 201


def test_broken_json_is_a_dutch_problem(http):
    body = problem(post_raw(http, b'{"channel": "balie",'), 400)
    assert body["detail"].startswith("Dit is geen geldige JSON (regel 1")
    body = problem(post_raw(http, b'{"channel": NaN}'), 400)
    assert body["detail"] == "Dit is geen geldige JSON."


# --- body size -----------------------------------------------------------------------------------


def test_ten_megabyte_body_is_a_413_problem_not_an_html_page(http):
    big = b'{"question": "' + b"a" * (10 * 1024 * 1024) + b'"}'
    body = problem(post_raw(http, big), 413)
    assert body["detail"] == "Het verzoek is te groot. Stuur ten hoogste 1 MB."
    assert ContactMoment.objects.count() == 0
    # The server still answers on the next request.
    assert http.get(http.base + CONTACTS, timeout=10).status_code == 200


def test_body_limit_is_a_setting_and_a_body_under_it_passes(http, settings):
    settings.API_MAX_BODY_BYTES = 2048
    body = problem(post_raw(http, b'{"question": "' + b"a" * 3000 + b'"}'), 413)
    assert body["detail"] == "Het verzoek is te groot. Stuur ten hoogste 2 kB."
    response = http.post(http.base + CONTACTS, json=CONTACT, timeout=10)
    assert response.status_code == 201, response.content


def test_body_over_djangos_own_limit_read_inside_drf_is_a_413_problem(
    api_as, counter_enschede, settings
):
    """If DATA_UPLOAD_MAX_MEMORY_SIZE is the smaller limit, Django refuses while DRF reads the
    body: also a problem, not Django's HTML 400."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = api_as(counter_enschede)
    response = client.post(CONTACTS, {**CONTACT, "question": "a" * 2000}, format="json")
    problem(response, 413)


# --- errors Django makes itself ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/referrals/a.b/", "/api/v1/bestaat-niet/", "/api/v1/contact-moments/x/y/"]
)
def test_an_api_path_without_a_route_is_a_404_problem_not_an_html_page(http, path):
    body = problem(http.get(http.base + path, timeout=10), 404)
    assert body["title"] == "Niet gevonden."


# --- dates and times -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "started_at",
    [
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:00:00+14:00",
        "1999-12-31T23:59:59Z",
        "9999-12-31T23:59:59-14:00",
        "2999-01-01T00:00:00Z",
    ],
)
def test_contact_time_outside_2000_until_now_is_refused(api_as, counter_enschede, started_at):
    client = api_as(counter_enschede)
    response = client.post(CONTACTS, {**CONTACT, "started_at": started_at}, format="json")
    body = problem(response, 400)
    assert {p["name"] for p in body["invalid_params"]} == {"started_at"}
    assert "tussen 1 januari 2000 en nu" in body["invalid_params"][0]["reason"]
    response = client.post(CONTACTS, {**CONTACT, "ended_at": started_at}, format="json")
    assert {p["name"] for p in problem(response, 400)["invalid_params"]} == {"ended_at"}
    assert ContactMoment.objects.count() == 0


def test_contact_time_in_range_is_stored_and_rendered_as_rfc3339(api_as, counter_enschede):
    client = api_as(counter_enschede)
    started = (timezone.now() - dt.timedelta(hours=1)).replace(microsecond=0)
    response = client.post(CONTACTS, {**CONTACT, "started_at": started.isoformat()}, format="json")
    assert response.status_code == 201, response.content
    rendered = response.json()["started_at"]
    assert dt.datetime.fromisoformat(rendered) == started
    assert rendered[-6:] in ("+01:00", "+02:00")  # Europe/Amsterdam, whole-hour offset


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("started_after=0001-01-01T00:00:00%2B14:00", True),
        ("started_before=0001-01-01T00:00:00%2B14:00", False),
        ("started_after=9999-12-31T23:59:59-14:00", False),
        ("started_before=9999-12-31T23:59:59-14:00", True),
        ("started_after=1900-01-01T00:00:00Z&started_before=2100-01-01T00:00:00%2B14:00", True),
    ],
)
def test_contact_filter_far_in_the_past_or_future_is_answered(
    api_as, counter_enschede, enschede, query, found
):
    """A filter is a question: year 1 or 9999 gets an answer (as 1900 or 2100), not a 500."""
    ContactMomentFactory(organisation=enschede, staff=counter_enschede)
    response = api_as(counter_enschede).get(f"{CONTACTS}?{query}")
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == (1 if found else 0)


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_contact_filter_value_always_fits_in_utc(value):
    """SQLite's backend converts a filter's date-time to UTC: year 1 at +14:00 is year 0 there,
    which Python cannot represent (the 500 on the demo). The filter clamps to 1900–2100."""
    from eenloket.contacts.api import ContactMomentFilter

    for name in ("started_after", "started_before"):
        filterset = ContactMomentFilter(data={name: value}, queryset=ContactMoment.objects.none())
        assert filterset.is_valid(), filterset.errors
        moment = filterset.form.cleaned_data[name]
        assert 1900 <= moment.astimezone(dt.UTC).year <= 2100


@pytest.mark.parametrize("birth_date", ["0001-01-01", "1899-12-31", "2999-01-01"])
def test_resident_birth_date_outside_1900_until_today_is_refused(
    api_as, counter_enschede, birth_date
):
    response = api_as(counter_enschede).post(
        "/api/v1/residents/",
        {"given_names": "Ada", "surname": "Jansen", "birth_date": birth_date},
        format="json",
    )
    body = problem(response, 400)
    assert "birth_date" in {p["name"] for p in body["invalid_params"]}
    assert Resident.objects.count() == 0


def test_birth_date_field_bounds():
    from rest_framework import serializers

    from eenloket.core.api import BirthDateField

    class Form(serializers.Serializer):
        birth_date = BirthDateField()

    assert Form(data={"birth_date": "1900-01-01"}).is_valid()
    assert Form(data={"birth_date": timezone.localdate().isoformat()}).is_valid()
    for wrong in ["0001-01-01", "1899-12-31", (timezone.localdate() + dt.timedelta(days=1))]:
        form = Form(data={"birth_date": str(wrong)})
        assert not form.is_valid()
        assert "tussen 1 januari 1900 en vandaag" in str(form.errors["birth_date"][0])
