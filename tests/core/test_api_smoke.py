import pytest

from eenloket.contacts.models import ContactMoment
from eenloket.core.models import AccessLog

from ..factories import ResidentFactory

pytestmark = pytest.mark.django_db


def test_register_contact_over_api_and_read_history(api_as, counter_enschede, enschede_location):
    resident = ResidentFactory()
    client = api_as(counter_enschede)
    response = client.post(
        "/api/v1/contact-moments/",
        {
            "resident": str(resident.uuid),
            "channel": "balie",
            "question": "Mijn uitkering is gestopt",
            "outcome": "beantwoord",
            "location": str(enschede_location.uuid),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["organisation"] == "gemeente-enschede"
    history = client.get(f"/api/v1/contact-moments/?resident={resident.uuid}")
    assert history.status_code == 200
    assert [c["question"] for c in history.json()["results"]] == ["Mijn uitkering is gestopt"]
    assert AccessLog.objects.filter(processing_activity_id="contactmoment-registreren").count() == 1


def test_anonymous_gets_401_problem(api_client):
    response = api_client.get("/api/v1/contact-moments/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert ContactMoment.objects.count() == 0
