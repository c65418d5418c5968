"""Browser flows in Debian's Chromium (Playwright), each page checked with axe-core for WCAG 2.1 AA."""

import pytest

from eenloket.contacts.models import ContactMoment

from ..browser import assert_accessible, assert_reflows_at_200_percent, login, world

__all__ = ["world"]  # a fixture from browser.py
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_counter_finds_resident_and_registers_contact_by_keyboard(page, live_server, world):
    base = live_server.url
    resident = world["resident"]
    login(page, base, "balie")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Goedendag")
    assert_accessible(page)

    page.get_by_role("link", name="Inwoner zoeken").first.click()
    assert_accessible(page)
    page.get_by_label("BSN").fill(resident.bsn)
    page.get_by_label("BSN").press("Enter")  # keyboard only
    page.wait_for_url(f"{base}/inwoners/{resident.uuid}/")
    assert page.get_by_role("heading", level=1).inner_text() == resident.full_name
    assert "Vraag over paspoort" in page.locator("#contacten").inner_text()
    assert_accessible(page)
    assert_reflows_at_200_percent(page)

    page.get_by_role("link", name="Contact vastleggen").last.click()
    assert_accessible(page)
    question = page.get_by_label("Vraag van de inwoner")
    assert question.evaluate("el => el === document.activeElement"), "question has focus"
    question.type("Mijn huurtoeslag is gestopt")
    page.get_by_label("Kanaal").select_option("balie")
    page.get_by_label("Uitkomst").select_option("doorverwezen")
    page.get_by_label("Extra hulpvraag").check()
    question.press("Control+Enter")
    page.wait_for_url(f"{base}/inwoners/{resident.uuid}/")
    assert "Het contact is vastgelegd" in page.get_by_role("status").inner_text()
    rows = page.locator("#contacten tbody tr")
    assert "Mijn huurtoeslag is gestopt" in rows.first.inner_text(), "newest first"
    assert "extra hulpvraag" in rows.first.inner_text()
    assert_accessible(page)

    saved = ContactMoment.objects.get(question="Mijn huurtoeslag is gestopt")
    assert (saved.resident_id, saved.staff_id, saved.outcome) == (
        resident.pk,
        world["counter"].pk,
        "doorverwezen",
    )
    rows.first.get_by_role("link").click()
    assert page.get_by_role("heading", level=1).is_visible()
    assert_accessible(page)


def test_register_form_errors_are_announced_and_nothing_is_saved(page, live_server, world):
    base = live_server.url
    login(page, base, "balie")
    page.goto(f"{base}/contacten/nieuw/?inwoner={world['resident'].uuid}")
    before = ContactMoment.objects.count()
    page.get_by_role("button", name="Contact opslaan").click()
    alert = page.get_by_role("alert")
    assert "Schrijf de vraag van de inwoner op" in alert.inner_text()
    assert page.get_by_label("Vraag van de inwoner").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    assert ContactMoment.objects.count() == before


def test_directory_and_privacy_log_pages(page, live_server, world):
    base = live_server.url
    login(page, base, "balie")
    page.goto(f"{base}/medewerkersgids/")
    assert_accessible(page)
    page.get_by_label("Zoek op naam, team of onderwerp").fill("werkloosheid")
    page.wait_for_function(
        "(() => { const t = document.querySelector('#gids-resultaten').innerText;"
        " return t.includes('Lisa Hermans') && !t.includes('Sanne Bakker'); })()"
    )
    assert "088 123 4567" in page.locator("#gids-resultaten").inner_text()  # shown the Dutch way
    assert "Sanne Bakker" not in page.locator("#gids-resultaten").inner_text()
    assert_accessible(page)
    assert_reflows_at_200_percent(page)

    # English through i18n
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    page.get_by_role("button", name="Nederlands").click()
    page.get_by_role("button", name="Uitloggen").click()

    login(page, base, "privacy")
    page.goto(f"{base}/privacy/logboek/?bsn={world['resident'].bsn}")
    table = page.locator("table")
    assert "Sanne Bakker" in table.inner_text()
    assert_accessible(page)
    page.goto(f"{base}/privacy/logboek/?bsn=123456789")
    assert "geen geldig BSN" in page.locator(".utrecht-form-field-error-message").inner_text()
    assert_accessible(page)
