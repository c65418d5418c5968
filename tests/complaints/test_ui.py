"""The complaint screens over the Django test client: each page for the right and the wrong
user, registering (also from a contact moment), the candidate list with the refusal and its
reason, a bad step with a Dutch error and nothing written, the employee's copy without the
notes, the public form with its receipt, the yearly overview as page, CSV and JSON."""

import datetime as dt
import json

import pytest
import time_machine

from eenloket.complaints import services
from eenloket.complaints.models import Complaint, PartState
from eenloket.core.calendar import AMSTERDAM

from ..factories import ContactMomentFactory
from .helpers import formal_part

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def text(response):
    return response.content.decode()


def test_register_on_the_screen(ui_as, coordinator, enschede, burgerzaken, employee, uwv):
    client = ui_as(coordinator)
    assert client.get("/klachten/nieuw/").status_code == 200
    bad = client.post("/klachten/nieuw/", {"channel": "balie", "received_on": "2026-03-02"})
    assert "Kies de organisatie waar de klacht over gaat." in text(bad)
    assert not Complaint.objects.exists()
    response = client.post(
        "/klachten/nieuw/",
        {
            "channel": "brief",
            "received_on": "2026-02-27",
            "name": "Johan Kuipers",
            "email": "johan@example.org",
            "description": "Ik ben aan de balie uitgelachen.",
            "organisation": str(enschede.uuid),
            "employee": str(employee.uuid),
            "also": [str(uwv.uuid)],
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response.url == f"/klachten/{complaint.uuid}/"
    assert {p.organisation for p in complaint.parts.all()} == {enschede, uwv}
    page = text(client.get(response.url))
    assert "Johan Kuipers" in page and "Burgerzaken" in page
    assert "Overleg tussen klachtcoördinatoren" in page
    assert "vrijdag 27 februari 2026" in page


def test_from_the_contact_screen(ui_as, counter_enschede, enschede, resident):
    contact = ContactMomentFactory(organisation=enschede, staff=counter_enschede, resident=resident)
    client = ui_as(counter_enschede)
    page = text(client.get(f"/contacten/{contact.uuid}/"))
    assert f"/klachten/nieuw/?contact={contact.uuid}" in page
    form = text(client.get(f"/klachten/nieuw/?contact={contact.uuid}"))
    assert "Fatima Yilmaz" in form
    client.post(
        "/klachten/nieuw/",
        {
            "contact": str(contact.uuid),
            "channel": "balie",
            "received_on": "2026-03-02",
            "description": "Klacht over de wachttijd.",
            "organisation": str(enschede.uuid),
        },
    )
    complaint = Complaint.objects.get()
    assert complaint.contact == contact and complaint.resident == resident


def test_assign_screen_refuses_the_team_lead_with_reason(
    ui_as, coordinator, enschede, employee, team_lead, handler, resident
):
    part = formal_part(coordinator, enschede, resident=resident, employee=employee)
    client = ui_as(coordinator)
    url = f"/klachten/{part.complaint.uuid}/behandelaar/{part.uuid}/"
    page = text(client.get(url))
    assert "Henk Nijhuis" in page
    assert "Is teamleider van het team waar de klacht over gaat (Burgerzaken)." in page
    assert "Was zelf betrokken bij wat er gebeurde (Awb 9:7 lid 1)." in page
    refused = client.post(url, {"handler": str(team_lead.uuid)})
    assert refused.status_code == 400
    assert "Schrijf dan op waarom" in text(refused)
    part.refresh_from_db()
    assert part.handler is None
    # The involved employee is not even a choice (no radio button).
    assert f'value="{employee.uuid}"' not in page
    ok = client.post(url, {"handler": str(handler.uuid)})
    assert ok.status_code == 302
    part.refresh_from_db()
    assert part.handler == handler


def test_handler_steps_and_the_copy(ui_as, coordinator, handler, enschede, employee, resident):
    part = formal_part(coordinator, enschede, resident=resident, employee=employee)
    services.assign_handler(user=coordinator, part=part, handler=handler)
    services.add_note(user=handler, part=part, text="Geheime notitie van de behandelaar")
    client = ui_as(handler)
    url = f"/klachten/{part.complaint.uuid}/"
    page = text(client.get(url))
    assert "Oordeel vastleggen" in page and "Geheime notitie" in page
    bad = client.post(f"{url}oordeel/{part.uuid}/", {"finding": "gegrond", "findings": ""})
    assert bad.status_code == 400
    assert "Schrijf op wat u heeft onderzocht en gevonden." in text(bad)
    part.refresh_from_db()
    assert part.state == PartState.HANDLING
    # The employee concerned: the copy, not the file nor the notes.
    employee_client = ui_as(employee)
    assert employee_client.get(url).status_code == 404
    copy = employee_client.get(f"/klachten/kopie/{part.uuid}/")
    assert copy.status_code == 200
    assert "De medewerker aan de balie" in text(copy)
    assert "Geheime notitie" not in text(copy)


def test_strangers_see_nothing(ui_as, coordinator, maastricht_coordinator, enschede, resident):
    part = formal_part(coordinator, enschede, resident=resident)
    client = ui_as(maastricht_coordinator)
    assert client.get(f"/klachten/{part.complaint.uuid}/").status_code == 404
    assert client.get(f"/klachten/kopie/{part.uuid}/").status_code == 404
    assert part.complaint.reference not in text(client.get("/klachten/"))


def test_public_form_and_receipt(client, enschede):
    page = client.get("/klacht-indienen/")
    assert page.status_code == 200
    bad = client.post("/klacht-indienen/", {"organisation": enschede.code})
    assert "Vul uw naam in." in text(bad) and "Schrijf op waar uw klacht over gaat." in text(bad)
    assert not Complaint.objects.exists()
    done = client.post(
        "/klacht-indienen/",
        {
            "organisation": enschede.code,
            "name": "Johan Kuipers",
            "email": "johan@example.org",
            "description": "Niemand belde mij terug.",
        },
        follow=True,
    )
    complaint = Complaint.objects.get()
    assert complaint.reference in text(done)
    assert "maandag 2 maart 2026" in text(done)


def test_year_overview(ui_as, coordinator, counter_enschede, enschede, resident, employee):
    formal_part(coordinator, enschede, resident=resident, employee=employee)
    other = services.register_complaint(
        user=coordinator,
        channel="telefoon",
        description="Lang in de wacht.",
        parts=[{"organisation": enschede}],
        name="Piet Pelle",
    )
    services.resolve_informally(
        user=coordinator,
        part=other.parts.get(),
        note="Teruggebeld, opgelost.",
        lesson_category="snelheid",
        lesson_improvement="Terugbelverzoek aanbieden na 5 minuten",
    )
    client = ui_as(coordinator)
    page = text(client.get("/klachten/jaaroverzicht/?jaar=2026"))
    assert "Klachten Gemeente Enschede in 2026" in page
    assert "Terugbelverzoek aanbieden na 5 minuten" in page
    data = json.loads(client.get("/klachten/jaaroverzicht/?jaar=2026&formaat=json").content)
    assert (data["received"], data["informal"], data["formal"]) == (2, 1, 1)
    assert data["subjects"]["Burgerzaken"] == 1
    csv = text(client.get("/klachten/jaaroverzicht/?jaar=2026&formaat=csv"))
    assert "totaal;ontvangen;2" in csv and "totaal;informeel opgelost;1" in csv
    lessons = text(client.get("/klachten/lessen/"))
    assert "Snelheid en bereikbaarheid" in lessons
    assert ui_as(counter_enschede).get("/klachten/jaaroverzicht/").status_code == 403


def test_a_complaint_page_takes_a_fixed_number_of_queries(
    ui_as, coordinator, handler, enschede, uwv, employee, resident, django_assert_max_num_queries
):
    from .helpers import register

    complaint = register(
        coordinator, enschede, resident=resident, employee=employee, also=[{"organisation": uwv}]
    )
    part = complaint.parts.get(organisation=enschede)
    services.make_formal(user=coordinator, part=part)
    services.assign_handler(user=coordinator, part=part, handler=handler)
    for n in range(5):
        services.post_message(user=coordinator, complaint=complaint, text=f"Bericht {n}")
        services.add_note(user=coordinator, part=part, text=f"Notitie {n}")
    client = ui_as(coordinator)
    client.get(f"/klachten/{complaint.uuid}/")  # sessions and scope warmed
    with django_assert_max_num_queries(12):
        response = client.get(f"/klachten/{complaint.uuid}/")
    assert response.status_code == 200 and "Bericht 4" in text(response)


def test_public_form_refuses_unreachable_numbers_and_too_many_posts(client, enschede, settings):
    from django.core.cache import cache

    cache.clear()
    settings.COMPLAINT_FORM_RATE_LIMIT = 3
    form = {"organisation": enschede.code, "name": "Johan Kuipers", "description": "Niet gebeld."}
    # Letters about the complaint go by e-mail or sms: a landline alone, or no number, is refused.
    landline = text(client.post("/klacht-indienen/", {**form, "phone": "053 481 1234"}))
    assert "Naar dit nummer kunnen wij geen sms sturen." in landline
    nonsense = text(client.post("/klacht-indienen/", {**form, "phone": "hallo daar"}))
    assert "Dit is geen geldig telefoonnummer." in nonsense
    assert not Complaint.objects.exists()
    assert client.post("/klacht-indienen/", {**form, "phone": "06 12345678"}).status_code == 302
    blocked = client.post("/klacht-indienen/", {**form, "phone": "06 12345678"})
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0
    assert "Probeer het over een uur opnieuw" in text(blocked)
    assert Complaint.objects.count() == 1
    assert "Kies een organisatie" in text(client.get("/klacht-indienen/"))


def test_the_person_complained_about_is_no_party_even_as_coordinator(
    ui_as, coordinator, handler, enschede, resident
):
    from eenloket.complaints import selectors
    from eenloket.core.errors import NotFound

    from .helpers import register

    about_her = register(coordinator, enschede, resident=resident, employee=coordinator)
    part = about_her.parts.get()
    # She is the coordinator of her organisation, but the complaint is about her: she does not
    # see it in her list, cannot open it, take its steps or read the notes; she reads the copy.
    assert about_her not in selectors.complaint_list(coordinator)
    with pytest.raises(NotFound):
        selectors.get_complaint(coordinator, about_her.uuid)
    assert ui_as(coordinator).get(f"/klachten/{about_her.uuid}/").status_code == 404
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.make_formal(user=coordinator, part=part)


def test_year_overview_with_a_year_nobody_means(ui_as, coordinator, enschede, resident):
    formal_part(coordinator, enschede, resident=resident)
    client = ui_as(coordinator)
    for year in ("0", "99999", "-3", "twee"):
        response = client.get(f"/klachten/jaaroverzicht/?jaar={year}")
        assert response.status_code == 200, year
        assert "Klachten Gemeente Enschede in 2026" in text(response)
