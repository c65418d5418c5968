"""The resident overview puts what is open first — open referrals, callback requests, live
consults — then the data and the history (issue 8); and the contact form records that the
resident was told about the sociaal raadsman (decision VI), counted per municipality."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from eenloket.contacts.models import ContactMoment
from eenloket.contacts.selectors import counsellor_mentions
from eenloket.core.calendar import AMSTERDAM
from eenloket.referrals import services as referral_services
from eenloket.referrals.models import OnDuty, SharedItem

from ..factories import ContactMomentFactory, ResidentFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 17, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def fatima(enschede):
    return ResidentFactory(given_names="Fatima", surname="Yilmaz", municipality=enschede)


def section(html: str, heading: str, next_heading: str) -> str:
    return html[html.index(heading) : html.index(next_heading)]


def callback_request(user, **contact_fields):
    """A contact with the outcome terugbelverzoek and its task (the open item), through the
    service; the task goes to the user's own team."""
    from eenloket.contacts.services import request_callback

    contact = ContactMomentFactory(staff=user, outcome="terugbelverzoek", **contact_fields)
    team = user.memberships.get().team
    return request_callback(user=user, contact=contact, team=team, phone="0612345678")


def test_open_items_come_before_the_history(
    ui_as, enschede, uwv, enschede_location, counter_enschede, uwv_staff, fatima
):
    contact = ContactMomentFactory(
        organisation=enschede,
        staff=counter_enschede,
        resident=fatima,
        location=enschede_location,
        question="Ik ben mijn baan kwijt",
        started_at=timezone.now() - dt.timedelta(days=2),
    )
    referral_services.create_referral(
        user=counter_enschede,
        contact=contact,
        to_organisation=uwv,
        reason="WW aanvragen",
        preferred_channel="telefoon",
        consent_given=True,
        shared=[SharedItem.IDENTITY],
    )
    callback_request(
        counter_enschede,
        organisation=enschede,
        resident=fatima,
        question="Belt u mij terug over de huurtoeslag?",
        started_at=timezone.now() - dt.timedelta(hours=1),
    )
    html = ui_as(counter_enschede).get(f"/inwoners/{fatima.uuid}/").content.decode()
    assert html.index("Wat nog open staat") < html.index("Gegevens") < html.index("Contacten")
    open_part = section(html, "Wat nog open staat", "Gegevens")
    assert "Naar UWV" in open_part and "Verstuurd" in open_part
    assert "Belt u mij terug over de huurtoeslag?" in open_part
    assert "uiterlijk" in open_part  # the referral's due date


def test_a_callback_is_no_longer_open_once_it_is_done(ui_as, enschede, counter_enschede, fatima):
    from eenloket.worklist.services import complete

    task = callback_request(
        counter_enschede,
        organisation=enschede,
        resident=fatima,
        question="Belt u mij terug over de huurtoeslag?",
        started_at=timezone.now() - dt.timedelta(days=1),
    )
    html = ui_as(counter_enschede).get(f"/inwoners/{fatima.uuid}/").content.decode()
    assert "Belt u mij terug" in section(html, "Wat nog open staat", "Gegevens")
    # A later contact alone does not close it (it may be about something else) ...
    ContactMomentFactory(
        organisation=enschede,
        staff=counter_enschede,
        resident=fatima,
        outcome="beantwoord",
        question="Iets anders",
        started_at=timezone.now() - dt.timedelta(hours=2),
    )
    html = ui_as(counter_enschede).get(f"/inwoners/{fatima.uuid}/").content.decode()
    assert "Belt u mij terug" in section(html, "Wat nog open staat", "Gegevens")
    # ... completing the task does, and writes the call back as a contact.
    complete(user=counter_enschede, task=task, outcome="geholpen", note="Teruggebeld.")
    html = ui_as(counter_enschede).get(f"/inwoners/{fatima.uuid}/").content.decode()
    open_part = section(html, "Wat nog open staat", "Gegevens")
    assert "Belt u mij terug" not in open_part
    assert "Niets open bij uw organisatie" in open_part


def test_an_overdue_referral_is_first_and_marked(
    frozen, ui_as, enschede, uwv, counter_enschede, fatima
):
    contact = ContactMomentFactory(organisation=enschede, staff=counter_enschede, resident=fatima)
    referral_services.create_referral(
        user=counter_enschede,
        contact=contact,
        to_organisation=uwv,
        reason="WW aanvragen",
        preferred_channel="telefoon",
    )
    frozen.shift(dt.timedelta(days=5))
    callback_request(
        counter_enschede,
        organisation=enschede,
        resident=fatima,
        question="Belt u mij terug?",
        started_at=timezone.now() - dt.timedelta(minutes=5),
    )
    html = ui_as(counter_enschede).get(f"/inwoners/{fatima.uuid}/").content.decode()
    open_part = section(html, "Wat nog open staat", "Gegevens")
    assert open_part.index("Naar UWV") < open_part.index("Belt u mij terug?")
    assert "Te laat" in open_part


def test_a_receiver_sees_no_referral_that_did_not_share_who_it_is_about(
    ui_as, enschede, uwv, counter_enschede, uwv_staff, fatima
):
    contact = ContactMomentFactory(organisation=enschede, staff=counter_enschede, resident=fatima)
    referral_services.create_referral(
        user=counter_enschede,
        contact=contact,
        to_organisation=uwv,
        reason="Vraag over WW",
        preferred_channel="telefoon",
        shared=[SharedItem.QUESTION],
    )
    ContactMomentFactory(organisation=uwv, staff=uwv_staff, resident=fatima)  # UWV's own basis
    html = ui_as(uwv_staff).get(f"/inwoners/{fatima.uuid}/").content.decode()
    open_part = section(html, "Wat nog open staat", "Gegevens")
    assert "Gemeente Enschede" not in open_part
    assert "Niets open bij uw organisatie" in open_part


def test_an_open_live_consult_shows_on_the_overview(
    ui_as, enschede, uwv, enschede_location, counter_enschede, uwv_staff, fatima
):
    OnDuty.objects.create(
        staff=uwv_staff,
        organisation=uwv,
        location=enschede_location,
        since=timezone.now() - dt.timedelta(hours=1),
        until=timezone.now() + dt.timedelta(hours=4),
    )
    contact = ContactMomentFactory(
        organisation=enschede, staff=counter_enschede, resident=fatima, location=enschede_location
    )
    referral_services.request_consult(
        user=counter_enschede, contact=contact, to_organisation=uwv, question="WW vraag"
    )
    html = ui_as(counter_enschede).get(f"/inwoners/{fatima.uuid}/").content.decode()
    assert "Collega van UWV gevraagd" in section(html, "Wat nog open staat", "Gegevens")


# --- the sociaal raadsman as a standard step -------------------------------------------------


def test_the_contact_form_records_that_the_counsellor_was_mentioned(
    ui_as, enschede, counter_enschede, fatima
):
    client = ui_as(counter_enschede)
    form = client.get(f"/contacten/nieuw/?inwoner={fatima.uuid}").content.decode()
    assert 'name="counsellor_mentioned"' in form
    response = client.post(
        "/contacten/nieuw/",
        {
            "inwoner": str(fatima.uuid),
            "organisation": enschede.pk,
            "channel": "balie",
            "question": "Ik snap de brief van de Belastingdienst niet",
            "outcome": "beantwoord",
            "counsellor_mentioned": "on",
        },
    )
    assert response.status_code == 302
    assert ContactMoment.objects.get().counsellor_mentioned is True


def test_counsellor_mentions_are_counted_per_municipality(
    enschede, uwv, enschede_location, counter_enschede, uwv_staff
):
    ContactMomentFactory(organisation=enschede, staff=counter_enschede, counsellor_mentioned=True)
    ContactMomentFactory(
        organisation=uwv, staff=uwv_staff, location=enschede_location, counsellor_mentioned=True
    )
    ContactMomentFactory(organisation=enschede, staff=counter_enschede)
    ContactMomentFactory(
        organisation=enschede,
        staff=counter_enschede,
        counsellor_mentioned=True,
        started_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
    )
    assert counsellor_mentions(2026) == {(2026, "gemeente-enschede"): 2}
    assert counsellor_mentions(2025) == {(2025, "gemeente-enschede"): 1}


def test_the_api_records_and_returns_counsellor_mentioned(api_as, counter_enschede, fatima):
    response = api_as(counter_enschede).post(
        "/api/v1/contact-moments/",
        {
            "resident": str(fatima.uuid),
            "channel": "telefoon",
            "question": "Ik snap de brief niet",
            "outcome": "beantwoord",
            "counsellor_mentioned": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["counsellor_mentioned"] is True


def test_the_counsellor_report_shows_mentions_next_to_referrals(
    ui_as, enschede, counter_enschede, management_enschede
):
    ContactMomentFactory(organisation=enschede, staff=counter_enschede, counsellor_mentioned=True)
    ContactMomentFactory(organisation=enschede, staff=counter_enschede, counsellor_mentioned=True)
    response = ui_as(management_enschede).get("/doorverwijzingen/sociaal-raadslieden/?jaar=2026")
    (row,) = response.context["rows"]
    assert (row["municipality"], row["count"], row["mentioned"]) == ("gemeente-enschede", 0, 2)
    assert "Genoemd in een gesprek" in response.content.decode()


def test_the_start_page_and_the_overview_agree_on_open_callbacks(
    ui_as, enschede, counter_enschede, fatima
):
    from eenloket.worklist.services import complete

    task = callback_request(
        counter_enschede,
        organisation=enschede,
        resident=fatima,
        question="Belt u mij terug over de huurtoeslag?",
        started_at=timezone.now() - dt.timedelta(days=1),
    )
    client = ui_as(counter_enschede)
    team_tasks = ("Taken van mijn team", "Mijn laatste contacten")
    assert "Belt u mij terug" in section(client.get("/").content.decode(), *team_tasks)
    overview = client.get(f"/inwoners/{fatima.uuid}/").content.decode()
    assert "Belt u mij terug" in section(overview, "Wat nog open staat", "Gegevens")
    complete(user=counter_enschede, task=task, outcome="geholpen", note="Teruggebeld")
    start = client.get("/").content.decode()
    overview = client.get(f"/inwoners/{fatima.uuid}/").content.decode()
    assert "Belt u mij terug" not in section(start, *team_tasks)
    assert "Belt u mij terug" not in section(overview, "Wat nog open staat", "Gegevens")
