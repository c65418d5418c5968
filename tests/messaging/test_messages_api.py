"""/api/v1/messages/: the functional admin sees their organisation's messages (filters, detail
with attempts), retries and cancels (409 problem on a wrong state); others 403 or 404."""

import pytest

from eenloket.core.models import AccessLog
from eenloket.messaging.models import MessageState

from ..conftest import problem
from ..factories import ResidentFactory
from .test_outbox_ui import make_dead, make_sent

S = MessageState
URL = "/api/v1/messages/"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("manual_delivery")]


def test_admin_lists_own_organisation_with_filters(
    enschede, maastricht, admin_enschede, api_as, django_assert_max_num_queries
):
    resident = ResidentFactory()
    dead = make_dead(enschede, 1, resident=resident)
    sent = make_sent(enschede, 2, channel="sms", to="+31612345678")
    make_dead(maastricht, 3)
    client = api_as(admin_enschede)
    with django_assert_max_num_queries(10):
        body = client.get(URL).json()
    assert [m["uuid"] for m in body["results"]] == [str(sent.uuid), str(dead.uuid)]
    first = body["results"][1]
    assert first["state"] == "mislukt" and first["last_error"] == "SMTP 421: Even niet"
    assert first["available_actions"] == ["retry", "cancel"]
    assert first["organisation"] == enschede.code and first["resident"] == str(resident.uuid)
    assert body["results"][0]["available_actions"] == []

    assert [m["uuid"] for m in client.get(URL, {"state": "mislukt"}).json()["results"]] == [
        str(dead.uuid)
    ]
    assert [m["uuid"] for m in client.get(URL, {"channel": "sms"}).json()["results"]] == [
        str(sent.uuid)
    ]
    by_resident = client.get(URL, {"resident": str(resident.uuid)}).json()["results"]
    assert [m["uuid"] for m in by_resident] == [str(dead.uuid)]
    assert AccessLog.objects.filter(object_type="message-list", channel="api").exists()
    problem(client.get(URL, {"state": "weg"}), 400)
    problem(client.get(URL, {"resident": "geen-uuid"}), 400)
    problem(client.get(URL, {"cursor": "%00"}), 400)


def test_detail_has_the_attempts(enschede, admin_enschede, api_as):
    dead = make_dead(enschede, attempts=3)
    body = api_as(admin_enschede).get(f"{URL}{dead.uuid}/").json()
    assert body["attempts"] == 3
    assert [a["result"] for a in body["delivery_attempts"]] == ["tijdelijk"] * 3


def test_retry_and_cancel_with_conflicts(enschede, admin_enschede, api_as):
    dead = make_dead(enschede)
    client = api_as(admin_enschede)
    response = client.post(f"{URL}{dead.uuid}/retry/")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "wachtrij"
    body = problem(client.post(f"{URL}{dead.uuid}/retry/"), 409)
    assert body["code"] == "invalid_transition"
    assert "Klaar om te verzenden" in body["detail"]
    assert client.post(f"{URL}{dead.uuid}/cancel/").json()["state"] == "geannuleerd"
    problem(client.post(f"{URL}{dead.uuid}/cancel/"), 409)


def test_other_organisation_and_roles(
    enschede, admin_maastricht, counter_enschede, api_as, api_client
):
    dead = make_dead(enschede)
    other = api_as(admin_maastricht)
    assert other.get(URL).json()["results"] == []
    problem(other.get(f"{URL}{dead.uuid}/"), 404)
    problem(other.post(f"{URL}{dead.uuid}/retry/"), 404)
    problem(other.post(f"{URL}{dead.uuid}/cancel/"), 404)
    counter = api_as(counter_enschede)
    problem(counter.get(URL), 403)
    problem(counter.post(f"{URL}{dead.uuid}/retry/"), 403)
    problem(api_client.get(URL), 401)
    dead.refresh_from_db()
    assert dead.state == S.DEAD


def test_schema_documents_the_endpoints(admin_enschede, api_as):
    schema = api_as(admin_enschede).get("/api/v1/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/messages/" in paths
    retry = paths["/api/v1/messages/{uuid}/retry/"]["post"]
    assert {"403", "404", "409"} <= set(retry["responses"])
    assert "/api/v1/messages/receipts/notify/" in paths
