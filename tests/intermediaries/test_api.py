"""The API over HTTP (DRF's test client, PostgreSQL): an intermediary reports and lists their own
reports with a verified session (never with a bare token); staff list, read and answer the
reports of their team, each read in the access log; errors are problem+json in Dutch, and bad
input writes nothing."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from eenloket.core.models import AccessLog
from eenloket.intermediaries.models import ConcernReport
from eenloket.worklist.models import Task

from ..conftest import problem
from .conftest import DEBT_CONCERN

pytestmark = pytest.mark.django_db

NEW = {
    "concern": DEBT_CONCERN,
    "urgency": "acuut",
    "resident_name": "mevrouw Wessels",
    "resident_address": "Kuipersdijk 112, Enschede",
    "resident_phone": "06 1234 5670",
    "consent": "ja",
}


@pytest.fixture
def api_icp(icp_client):
    def make(intermediary):
        return icp_client(intermediary, client_class=APIClient)

    return make


def test_an_intermediary_reports_and_lists_their_own(
    api_icp, volunteer, semi, services_, debt_team
):
    client = api_icp(volunteer)
    response = client.post("/api/v1/my-concern-reports/", NEW, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "ontvangen" and body["urgency"] == "acuut"
    assert body["handler_name"] is None and body["handler_phone"] is None
    report = ConcernReport.objects.get(uuid=body["id"])
    assert report.team == debt_team and report.intermediary == volunteer
    api_icp(semi).post("/api/v1/my-concern-reports/", NEW, format="json")
    listed = client.get("/api/v1/my-concern-reports/").json()
    assert [r["id"] for r in listed] == [body["id"]]
    assert "resident" not in listed[0] and "team" not in listed[0]


def test_bad_input_is_a_dutch_problem_and_writes_nothing(api_icp, volunteer, services_):
    client = api_icp(volunteer)
    response = client.post(
        "/api/v1/my-concern-reports/",
        {**NEW, "urgency": "morgen", "consent": "niet-gevraagd", "concern": ""},
        format="json",
    )
    body = problem(response, 400)
    fields = {p["name"]: p["reason"] for p in body["invalid_params"]}
    assert fields == {
        "concern": "Schrijf op wat er aan de hand is.",
        "urgency": "Kies hoe dringend het is.",
        "no_consent_reason": "Schrijf op waarom u het de inwoner niet kon vragen.",
    }
    missing = client.post("/api/v1/my-concern-reports/", {}, format="json")
    assert {p["name"] for p in problem(missing, 400)["invalid_params"]} >= {"concern", "urgency"}
    assert not ConcernReport.objects.exists() and not Task.objects.exists()


def test_an_intermediary_with_a_token_or_without_the_code_is_refused(
    password_client, volunteer, services_
):
    token, _created = Token.objects.get_or_create(user=volunteer.user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    problem(client.get("/api/v1/my-concern-reports/"), 403)
    problem(client.post("/api/v1/my-concern-reports/", NEW, format="json"), 403)
    unverified = password_client(volunteer, client_class=APIClient)
    problem(unverified.post("/api/v1/my-concern-reports/", NEW, format="json"), 403)
    assert not ConcernReport.objects.exists()


def test_staff_cannot_use_the_intermediary_endpoint(api_as, debt_worker):
    problem(api_as(debt_worker).get("/api/v1/my-concern-reports/"), 403)


def test_an_intermediary_cannot_use_the_staff_endpoint(api_icp, volunteer, report_of):
    report = report_of(volunteer)
    client = api_icp(volunteer)
    problem(client.get("/api/v1/concern-reports/"), 403)
    problem(client.get(f"/api/v1/concern-reports/{report.uuid}/"), 403)
    problem(
        client.post(
            f"/api/v1/concern-reports/{report.uuid}/answer/",
            {"state": "afgerond", "answer": "Ik ben klaar"},
            format="json",
        ),
        403,
    )
    report.refresh_from_db()
    assert report.state == "ontvangen"


def test_staff_list_read_and_answer_with_every_read_logged(
    api_as, volunteer, report_of, debt_worker, wmo_worker, api_icp
):
    report = report_of(volunteer)
    client = api_as(debt_worker)
    listed = client.get("/api/v1/concern-reports/").json()
    assert [r["id"] for r in listed] == [str(report.uuid)]
    assert listed[0]["resident_name"] == "mevrouw Wessels"
    assert listed[0]["intermediary_name"] == volunteer.user.get_full_name()
    detail = client.get(f"/api/v1/concern-reports/{report.uuid}/").json()
    assert detail["partner_organisation"] == "buurtkracht-enschede"
    rows = AccessLog.objects.filter(actor_id=str(debt_worker.uuid))
    assert rows.count() == 2
    assert set(rows.values_list("processing_activity_id", "channel", "object_id")) == {
        ("zorgmelding-intermediair", "api", str(report.uuid))
    }
    # Another team does not see it (404, as for one that does not exist).
    problem(api_as(wmo_worker).get(f"/api/v1/concern-reports/{report.uuid}/"), 404)
    assert api_as(wmo_worker).get("/api/v1/concern-reports/").json() == []

    answer = client.post(
        f"/api/v1/concern-reports/{report.uuid}/answer/",
        {"state": "afgerond", "answer": "We zijn langs geweest."},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "afgerond"
    again = client.post(
        f"/api/v1/concern-reports/{report.uuid}/answer/",
        {"state": "doorgezet", "answer": "Toch doorgezet."},
        format="json",
    )
    problem(again, 409)
    empty = client.post(
        f"/api/v1/concern-reports/{report.uuid}/answer/",
        {"state": "afgerond", "answer": ""},
        format="json",
    )
    assert problem(empty, 400)
    # The intermediary reads the answer.
    mine = api_icp(volunteer).get(f"/api/v1/my-concern-reports/{report.uuid}/").json()
    assert (mine["state"], mine["answer"]) == ("afgerond", "We zijn langs geweest.")
    assert closed_list(client) == [str(report.uuid)]


def closed_list(client):
    return [r["id"] for r in client.get("/api/v1/concern-reports/?status=closed").json()]


def test_the_schema_describes_both_endpoints(api_as, debt_worker):
    schema = api_as(debt_worker).get("/api/v1/schema/?format=json").json()
    assert "/api/v1/my-concern-reports/" in schema["paths"]
    assert "/api/v1/concern-reports/{uuid}/answer/" in schema["paths"]


def test_the_staff_list_takes_the_same_queries_for_two_or_ten_reports(
    api_as, volunteer, report_of, debt_worker
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(debt_worker)
    counts = []
    for total in (2, 10):
        while ConcernReport.objects.count() < total:
            report_of(volunteer)
        with CaptureQueriesContext(connection) as queries:
            assert len(client.get("/api/v1/concern-reports/").json()) == total
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[1] <= 12, counts
