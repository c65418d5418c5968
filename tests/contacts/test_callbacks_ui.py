"""The callback request on the screens: in the contact form (outcome Terugbelverzoek with its
own fields) and from a contact afterwards; errors in the form, nothing written."""

import datetime as dt

import pytest
import time_machine

from eenloket.contacts.models import ContactMoment
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.roles import Role
from eenloket.messaging.models import Message
from eenloket.worklist.models import Task

from ..factories import ContactMomentFactory, ResidentFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 2, 13, 0, tzinfo=AMSTERDAM)  # Wednesday afternoon


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def team(counter_enschede):
    return counter_enschede.memberships.get().team


@pytest.fixture
def fatima(enschede):
    return ResidentFactory(
        given_names="Fatima", surname="Yilmaz", municipality=enschede, phone="+31612345678"
    )


def form_data(team, **changes):
    data = {
        "question": "Kan ik de aanslag in termijnen betalen?",
        "answer": "",
        "channel": "telefoon",
        "outcome": "terugbelverzoek",
        "location": "",
        "organisation": str(team.organisation_id),
        "callback_team": str(team.uuid),
        "callback_assigned_to": "",
        "callback_phone": "06 12345678",
        "callback_note": "Na 14 uur",
    }
    data.update(changes)
    return data


def test_the_form_offers_the_callback_fields_prefilled(ui_as, counter_enschede, team, fatima):
    page = ui_as(counter_enschede).get(f"/contacten/nieuw/?inwoner={fatima.uuid}").content.decode()
    assert 'data-show-when="id_outcome=terugbelverzoek"' in page
    assert 'value="06 12345678"' in page  # the resident's number
    assert (
        f'<option value="{team.uuid}" selected>Publiekszaken (Gemeente Enschede)</option>' in page
    )


def test_registering_a_callback_request(ui_as, counter_enschede, team, fatima):
    client = ui_as(counter_enschede)
    response = client.post(
        f"/contacten/nieuw/?inwoner={fatima.uuid}",
        {**form_data(team), "inwoner": str(fatima.uuid)},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    task = Task.objects.get()
    assert (task.team, task.phone, task.note) == (team, "+31612345678", "Na 14 uur")
    assert task.due_at == dt.datetime(2026, 12, 3, 17, 0, tzinfo=AMSTERDAM)  # after 12: tomorrow
    assert Message.objects.filter(cause_id=str(task.uuid)).exists()
    page = client.get(response.url).content.decode()
    assert "Het terugbelverzoek staat bij de taken." in page
    assert "Terugbelverzoek" in page and "Kan ik de aanslag in termijnen betalen?" in page


def test_another_outcome_ignores_the_callback_fields(ui_as, counter_enschede, team, fatima):
    # Even when they hold nonsense: without the outcome Terugbelverzoek they do not count.
    response = ui_as(counter_enschede).post(
        "/contacten/nieuw/",
        {
            **form_data(team, outcome="beantwoord", callback_team="onzin", callback_phone="x"),
            "inwoner": str(fatima.uuid),
        },
    )
    assert response.status_code == 302
    assert ContactMoment.objects.count() == 1 and not Task.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"callback_phone": "12345"}, "Dit telefoonnummer klopt niet."),
        ({"callback_phone": ""}, "Vul het nummer in waarop de inwoner gebeld wil worden."),
        ({"callback_team": ""}, "Kies het team dat terugbelt."),
        ({"callback_note": "x" * 5001}, "Deze tekst is te lang: hoogstens 5000 tekens."),
    ],
)
def test_bad_callback_data_is_shown_in_the_form_and_nothing_is_written(
    ui_as, counter_enschede, team, fatima, changes, message
):
    response = ui_as(counter_enschede).post(
        "/contacten/nieuw/", {**form_data(team, **changes), "inwoner": str(fatima.uuid)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'id="form-fouten"' in page
    assert not ContactMoment.objects.exists() and not Task.objects.exists()
    assert not Message.objects.exists()


def test_a_team_of_another_organisation_cannot_be_chosen(
    ui_as, counter_enschede, maastricht, team, fatima
):
    other = TeamFactory(organisation=maastricht, name="KCC Maastricht")
    response = ui_as(counter_enschede).post(
        "/contacten/nieuw/",
        {**form_data(team, callback_team=str(other.uuid)), "inwoner": str(fatima.uuid)},
    )
    assert "Kies het team dat terugbelt." in response.content.decode()
    assert not ContactMoment.objects.exists() and not Task.objects.exists()


def test_from_a_contact_afterwards(ui_as, counter_enschede, enschede, team, fatima):
    contact = ContactMomentFactory(organisation=enschede, staff=counter_enschede, resident=fatima)
    client = ui_as(counter_enschede)
    detail = client.get(f"/contacten/{contact.uuid}/").content.decode()
    assert f'href="/contacten/{contact.uuid}/terugbelverzoek/"' in detail
    assert "Terugbelverzoek maken" in detail
    page = client.get(f"/contacten/{contact.uuid}/terugbelverzoek/").content.decode()
    assert 'value="06 12345678"' in page
    bad = client.post(
        f"/contacten/{contact.uuid}/terugbelverzoek/",
        {"callback_team": str(team.uuid), "callback_phone": "nul"},
    )
    assert "Dit telefoonnummer klopt niet." in bad.content.decode()
    assert not Task.objects.exists()
    response = client.post(
        f"/contacten/{contact.uuid}/terugbelverzoek/",
        {"callback_team": str(team.uuid), "callback_phone": "0534811111"},
    )
    assert response.status_code == 302
    assert Task.objects.get().phone == "+31534811111"


def test_another_organisation_cannot_open_it(ui_as, counter_maastricht, counter_enschede, enschede):
    contact = ContactMomentFactory(organisation=enschede, staff=counter_enschede)
    client = ui_as(counter_maastricht)
    assert client.get(f"/contacten/{contact.uuid}/terugbelverzoek/").status_code == 404
    assert client.post(f"/contacten/{contact.uuid}/terugbelverzoek/", {}).status_code == 404


def test_a_person_of_the_team_can_be_chosen(ui_as, counter_enschede, enschede, team, fatima):
    colleague = staff(enschede, Role.KCC_MEDEWERKER, team=team, username="kcc.publiek")
    response = ui_as(counter_enschede).post(
        "/contacten/nieuw/",
        {
            **form_data(team, callback_assigned_to=str(colleague.uuid)),
            "inwoner": str(fatima.uuid),
        },
    )
    assert response.status_code == 302
    assert Task.objects.get().assigned_to == colleague
