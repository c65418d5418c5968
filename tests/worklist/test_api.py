"""/api/v1/tasks/: the work lists, one task with its available actions, a callback request from
a contact, every step; problem+json errors; 404 across organisations; few queries."""

import datetime as dt

import pytest
import time_machine

from eenloket.contacts.models import ContactMoment
from eenloket.core.calendar import AMSTERDAM
from eenloket.messaging.models import Message
from eenloket.worklist.models import Task

from ..conftest import problem
from ..factories import ContactMomentFactory, TeamFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def contact(enschede, member_a, resident):
    return ContactMomentFactory(
        organisation=enschede, staff=member_a, resident=resident, question="Kwijtschelding?"
    )


def test_create_a_callback_request_and_work_it_through(
    api_as, member_a, colleague_a, contact, team_a
):
    client = api_as(member_a)
    response = client.post(
        "/api/v1/tasks/",
        {
            "contact": str(contact.uuid),
            "team": str(team_a.uuid),
            "phone": "06-12345678",
            "note": "Liefst in de middag",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "terugbellen" and body["kind_label"] == "Terugbelverzoek"
    assert body["phone"] == "+31612345678" and body["state"] == "open"
    assert body["team"]["name"] == "Werk en inkomen" and body["assigned_to"] is None
    assert body["due_at"] == "2026-12-02T17:00:00+01:00"
    assert body["available_actions"] == ["claim", "assign", "attempts", "complete", "cancel"]
    assert [o["code"] for o in body["outcomes"]] == ["geholpen", "doorverwezen", "niet-bereikt"]
    assert Message.objects.get().cause_id == body["uuid"]
    uuid = body["uuid"]

    other = api_as(colleague_a)
    assert [t["uuid"] for t in other.get("/api/v1/tasks/").json()["results"]] == [uuid]
    claimed = other.post(f"/api/v1/tasks/{uuid}/claim/").json()
    assert claimed["assigned_to"]["name"] == colleague_a.get_full_name()
    assert "claim" not in claimed["available_actions"]
    assert [t["uuid"] for t in other.get("/api/v1/tasks/?worklist=mine").json()["results"]] == [
        uuid
    ]
    tried = other.post(f"/api/v1/tasks/{uuid}/attempts/", {"result": "niet-bereikt"}).json()
    assert [a["result"] for a in tried["attempts"]] == ["niet-bereikt"]
    done = other.post(
        f"/api/v1/tasks/{uuid}/complete/", {"outcome": "geholpen", "note": "Uitgelegd"}
    ).json()
    assert done["state"] == "afgerond" and done["available_actions"] == []
    assert ContactMoment.objects.filter(channel="telefoon", answer="Uitgelegd").exists()
    again = other.post(f"/api/v1/tasks/{uuid}/cancel/", {"reason": "Toch niet"})
    assert problem(again, 409)["code"] == "invalid_transition"


def test_assign_and_cancel(api_as, member_a, colleague_a, make_task):
    task = make_task()
    client = api_as(member_a)
    body = client.post(
        f"/api/v1/tasks/{task.uuid}/assign/", {"to_user": str(colleague_a.uuid)}
    ).json()
    assert body["assigned_to"]["uuid"] == str(colleague_a.uuid)
    assert (
        problem(client.post(f"/api/v1/tasks/{task.uuid}/cancel/", {}), 400)["invalid_params"][0][
            "name"
        ]
        == "reason"
    )
    body = client.post(f"/api/v1/tasks/{task.uuid}/cancel/", {"reason": "Dubbel"}).json()
    assert body["state"] == "vervallen" and body["outcome_note"] == "Dubbel"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"note": "x" * 5001}, "note"),
        ({"team": "00000000-0000-0000-0000-000000000000"}, "team"),
        ({"kind": "iets-anders"}, "kind"),
    ],
)
def test_bad_input_is_a_400_and_nothing_is_written(
    api_as, member_a, contact, team_a, changes, field
):
    data = {"contact": str(contact.uuid), "team": str(team_a.uuid), "phone": "0612345678"}
    data.update(changes)
    body = problem(api_as(member_a).post("/api/v1/tasks/", data, format="json"), 400)
    assert field in [p["name"] for p in body["invalid_params"]]
    assert not Task.objects.exists() and not Message.objects.exists()


def test_the_dutch_message_for_a_bad_number(api_as, member_a, contact, team_a):
    data = {"contact": str(contact.uuid), "team": str(team_a.uuid), "phone": "12345"}
    body = problem(api_as(member_a).post("/api/v1/tasks/", data, format="json"), 400)
    (param,) = body["invalid_params"]
    assert (param["name"], param["reason"]) == ("phone", "Dit telefoonnummer klopt niet.")


def test_a_team_of_another_organisation_is_refused(api_as, member_a, contact, maastricht):
    team = TeamFactory(organisation=maastricht, name="KCC")
    data = {"contact": str(contact.uuid), "team": str(team.uuid), "phone": "0612345678"}
    body = problem(api_as(member_a).post("/api/v1/tasks/", data, format="json"), 400)
    assert body["invalid_params"][0]["name"] == "team"
    assert not Task.objects.exists()


def test_the_assignee_error_has_the_api_name(api_as, member_a, member_b, contact, team_a):
    data = {
        "contact": str(contact.uuid),
        "team": str(team_a.uuid),
        "phone": "0612345678",
        "assignee": str(member_b.uuid),
    }
    body = problem(api_as(member_a).post("/api/v1/tasks/", data, format="json"), 400)
    assert body["invalid_params"][0]["name"] == "assignee"


def test_other_organisations_get_404(api_as, counter_maastricht, uwv_staff, make_task, contact):
    task = make_task()
    for user in (counter_maastricht, uwv_staff):
        client = api_as(user)
        problem(client.get(f"/api/v1/tasks/{task.uuid}/"), 404)
        problem(client.post(f"/api/v1/tasks/{task.uuid}/claim/"), 404)
        assert client.get("/api/v1/tasks/?worklist=team").json()["results"] == []
        assert client.get("/api/v1/tasks/?worklist=overdue").json()["results"] == []
        # Not even a callback for a contact of another organisation.
        body = {"contact": str(contact.uuid), "team": str(task.team.uuid), "phone": "0612345678"}
        problem(client.post("/api/v1/tasks/", body, format="json"), 404)
    assert Task.objects.count() == 1


def test_a_role_without_contacts_is_refused(api_as, management_enschede):
    problem(api_as(management_enschede).get("/api/v1/tasks/"), 403)


def test_an_unknown_worklist_is_a_400(api_as, member_a):
    problem(api_as(member_a).get("/api/v1/tasks/?worklist=alles"), 400)


def test_a_bad_outcome_is_a_400(api_as, member_a, make_task):
    task = make_task()
    body = problem(
        api_as(member_a).post(f"/api/v1/tasks/{task.uuid}/complete/", {"outcome": "geholpen"}),
        400,
    )
    (param,) = body["invalid_params"]
    assert (param["name"], param["reason"]) == ("outcome", "Kies een uitkomst uit de lijst.")


def test_the_list_pages_by_deadline_with_few_queries(
    api_as, member_a, make_task, django_assert_max_num_queries
):
    for hour in range(30):
        make_task(title=f"Taak {hour}", due_at=NOW + dt.timedelta(hours=hour))
    client = api_as(member_a)
    with django_assert_max_num_queries(12):
        first = client.get("/api/v1/tasks/?page_size=20").json()
    assert [t["title"] for t in first["results"]] == [f"Taak {h}" for h in range(20)]
    second = client.get(first["next"]).json()
    assert [t["title"] for t in second["results"]] == [f"Taak {h}" for h in range(20, 30)]


def test_the_schema_documents_the_errors(ui_as, member_a):
    schema = ui_as(member_a).get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    claim = paths["/api/v1/tasks/{uuid}/claim/"]["post"]["responses"]
    assert {"200", "403", "404", "409"} <= set(claim)
    assert {"201", "400", "404"} <= set(paths["/api/v1/tasks/"]["post"]["responses"])
