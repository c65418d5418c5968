"""The letter-template editor (live preview with the B1 indication) and the resident overview
with letters and a representative, in Chromium with axe-core (WCAG 2.1 AA)."""

import datetime as dt

import pytest

from eenloket.core.roles import Role
from eenloket.messaging.services import send_to_resident
from eenloket.residents.models import Representative

from ..browser import assert_accessible, assert_reflows, login
from ..factories import ResidentFactory, TeamFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def letters_world(transactional_db, enschede, enschede_location):
    team = TeamFactory(organisation=enschede, name="Team Inkomen", phone="+31534817700")
    admin = staff(enschede, Role.FUNCTIONEEL_BEHEERDER, username="beheer", first_name="Bram")
    counter = staff(
        enschede,
        Role.BALIEMEDEWERKER,
        team=team,
        username="balie",
        first_name="Sanne",
        last_name="Bakker",
        direct_phone="+31534811234",
        job_title="consulent",
    )
    resident = ResidentFactory(
        given_names="Piet", surname="Schuld", municipality=enschede, email="", phone=""
    )
    Representative.objects.create(
        resident=resident,
        kind="bewindvoerder",
        name="Mr. P. Smit",
        organisation_name="Smit Bewindvoering",
        street="Boulevard 1945",
        house_number="10",
        postcode="7511AE",
        city="Enschede",
        scope="beide",
        valid_from=dt.date(2026, 1, 1),
    )
    send_to_resident(
        organisation=enschede,
        resident=resident,
        sender=counter,
        template_key="terugbelverzoek",
        context={
            "onderwerp": "schulden",
            "terugbellen_voor": dt.datetime(2026, 12, 7, 16, tzinfo=dt.UTC),
            "terugbelnummer": "+31612345678",
        },
    )
    return {"admin": admin, "counter": counter, "resident": resident}


def test_template_editor_live_preview_shows_b1(page, live_server, letters_world):
    base = live_server.url
    login(page, base, "beheer")
    page.get_by_role("link", name="Brieven", exact=True).click()
    assert_accessible(page)
    row = page.locator("tbody tr").filter(has_text="Bevestiging terugbelverzoek")
    row.filter(has_text="Nederlands").get_by_role("button").click()
    page.wait_for_url("**/brieven/sjablonen/**")
    assert_accessible(page)
    preview = page.locator("#voorbeeld")
    assert "Makkelijk te lezen (B1)" in preview.inner_text()
    body = page.get_by_label("Tekst van de brief")
    body.fill("{{ aanhef }},\n\nWij bellen u op {{ terugbellen_voor }} terug. Tot dan.")
    page.wait_for_function(
        "document.querySelector('#voorbeeld').innerText.includes('Wij bellen u op')"
    )
    text = preview.inner_text()
    assert "Beste Fatima de Vries" in text and "Makkelijk te lezen (B1)" in text
    body.fill(
        "{{ aanhef }},\n\nOnder verwijzing naar de desbetreffende wetsbepalingen informeren wij "
        "u hierbij dat de aanvraag tot verstrekking van bijzondere bijstand ingevolge de "
        "Participatiewet administratief ontvankelijk is verklaard."
    )
    page.wait_for_function(
        "document.querySelector('#voorbeeld').innerText.includes('lang (meer dan 15 woorden)')"
    )
    assert "Makkelijk te lezen (B1)" not in preview.inner_text()
    body.fill("Beste {{ bsn }}")
    page.wait_for_function(
        "document.querySelector('#voorbeeld').innerText.includes('Onbekende variabele: bsn')"
    )
    assert_accessible(page)
    body.fill("{{ aanhef }},\n\nWij bellen u snel terug.")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    page.wait_for_selector("text=Opgeslagen als nieuwe versie.")
    assert page.locator("table").filter(has_text="Versie").inner_text().count("\n") >= 2
    assert_accessible(page)
    page.goto(f"{base}/brieven/uitzonderingen/")
    assert_accessible(page)


def test_resident_overview_shows_letters_and_representative(page, live_server, letters_world):
    base = live_server.url
    resident = letters_world["resident"]
    login(page, base, "balie")
    page.goto(f"{base}/inwoners/{resident.uuid}/")
    section = page.locator("section", has=page.get_by_role("heading", name="Brieven en berichten"))
    rows = section.locator("tbody tr")
    assert rows.count() == 2  # to the resident and to the bewindvoerder (scope: both)
    assert "Mr. P. Smit" in section.inner_text() and "Brief per post" in section.inner_text()
    reps = page.locator("section", has=page.get_by_role("heading", name="Vertegenwoordiger"))
    assert "Beschermingsbewindvoerder" in reps.inner_text()
    assert "Naar de inwoner én de vertegenwoordiger" in reps.inner_text()
    assert_accessible(page)
    assert_reflows(page, 320)
    with page.expect_response(lambda r: "/pdf/" in r.url) as info:
        page.evaluate(
            "url => fetch(url)",
            section.get_by_role("link").first.get_attribute("href"),
        )
    assert info.value.status == 200
    assert info.value.headers["content-type"] == "application/pdf"
    page.get_by_role("link", name="Vertegenwoordiger vastleggen").click()
    assert_accessible(page)
    page.get_by_role("button", name="Vastleggen").click()
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)
