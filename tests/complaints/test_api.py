"""The complaints API over HTTP (DRF client, token auth): register, the candidate list with the
verdicts, assign (refused with the reason, then with an override), the steps with
available_actions from the state table, the one answer, errors as problem+json."""

import datetime as dt

import pytest
import time_machine

from eenloket.complaints.models import Complaint
from eenloket.core.calendar import AMSTERDAM
from eenloket.messaging.models import Message

from ..conftest import problem

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM)
BASE = "/api/v1/complaints/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def created(api_as, coordinator, employee, resident, enschede):
    client = api_as(coordinator)
    response = client.post(
        BASE,
        {
            "channel": "telefoon",
            "description": "De medewerker aan de balie was onbeleefd.",
            "resident": str(resident.uuid),
            "parts": [{"organisation": enschede.code, "employee": str(employee.uuid)}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return client, response.json()


def test_register_and_read(created, resident):
    client, body = created
    assert body["reference"].startswith("KL-2026-")
    assert body["resident"] == str(resident.uuid)
    assert body["parts"][0]["team"] == "Burgerzaken"
    assert body["parts"][0]["state"] == "ontvangen"
    assert set(body["available_actions"]) == {"resolve", "make-formal", "withdraw"}
    again = client.get(f"{BASE}{body['uuid']}/").json()
    assert again["reference"] == body["reference"]
    listed = client.get(BASE).json()
    assert [row["reference"] for row in listed] == [body["reference"]]
    assert client.get(f"{BASE}?state=").json() == listed  # empty: the default, open
    assert client.get(f"{BASE}?state=gesloten").json() == []
    problem(client.get(f"{BASE}?state=misschien"), 400)


def test_flow_over_http(created, coordinator, handler, team_lead, api_as):
    client, body = created
    url = f"{BASE}{body['uuid']}/"
    formal = client.post(f"{url}make-formal/", {}, format="json").json()
    assert formal["parts"][0]["due_date"] == "2026-04-13"
    assert "assign" in formal["available_actions"]

    candidates = client.get(f"{url}handler-candidates/").json()
    by_name = {c["name"]: c for c in candidates}
    assert by_name["Henk Nijhuis"]["allowed"] is False
    assert "teamleider" in by_name["Henk Nijhuis"]["reason"]
    assert by_name["Youssef Ouali"]["allowed"] is True

    refused = client.post(f"{url}assign/", {"handler": str(team_lead.uuid)}, format="json")
    body400 = problem(refused, 400)
    assert any("teamleider" in p["reason"] for p in body400["invalid_params"])

    ok = client.post(f"{url}assign/", {"handler": str(handler.uuid)}, format="json").json()
    assert ok["parts"][0]["handler"]["name"] == "Youssef Ouali"
    assert "decide" not in ok["available_actions"]  # the coordinator does not decide

    as_handler = api_as(handler)
    mine = as_handler.get(url).json()
    assert {"hear", "waive-hearing", "postpone", "decide"} <= set(mine["available_actions"])
    early = as_handler.post(f"{url}send-answer/", {}, format="json")
    problem(early, 403)
    as_handler.post(
        f"{url}hear/",
        {"hearing_at": "2026-03-09T14:00:00+01:00", "place": "Stadhuis, kamer 2.14"},
        format="json",
    )
    decided = as_handler.post(
        f"{url}decide/",
        {"finding": "gegrond", "findings": "De medewerker was inderdaad onbeleefd."},
        format="json",
    ).json()
    assert decided["parts"][0]["state"] == "beoordeeld"
    again = as_handler.post(
        f"{url}decide/", {"finding": "gegrond", "findings": "Nog eens."}, format="json"
    )
    assert problem(again, 409)["code"] == "invalid_transition"
    answered = client.post(f"{url}send-answer/", {}, format="json").json()
    assert answered["parts"][0]["state"] == "afgehandeld"
    assert Message.objects.filter(template_key="klacht-uitkomst").count() == 1


def test_bad_input_is_problem_json(api_as, coordinator, enschede):
    client = api_as(coordinator)
    response = client.post(
        BASE,
        {
            "channel": "telefoon",
            "description": " ",
            "name": "",
            "parts": [{"organisation": enschede.code}],
        },
        format="json",
    )
    body = problem(response, 400)
    names = {p["name"] for p in body["invalid_params"]}
    assert {"description", "name"} <= names
    assert not Complaint.objects.exists()
    problem(client.post(BASE, {"channel": "fax", "parts": []}, format="json"), 400)


def test_strangers_get_404(created, api_as, maastricht_coordinator, employee, api_client):
    _client, body = created
    url = f"{BASE}{body['uuid']}/"
    problem(api_as(maastricht_coordinator).get(url), 404)
    problem(api_as(employee).get(url), 404)  # the copy is on the screen, not the file
    problem(api_client.get(url), 401)
    problem(api_as(maastricht_coordinator).post(f"{url}make-formal/", {}, format="json"), 404)
