"""Browser flows in Debian's Chromium (Playwright), each page checked with axe-core for WCAG 2.1 AA."""

import os
from pathlib import Path

import pytest

from eenloket.contacts.models import ContactMoment
from eenloket.core.roles import Role

from .factories import ContactMomentFactory, ResidentFactory, TeamFactory, staff

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "Loket-test-2026!"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make test` (it installs it).")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page):
    """Run axe-core on the current page; fail with the rule ids and targets of any violation."""
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    problems = [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]
    assert problems == [], f"axe-core violations on {page.url}: {problems}"


def sideways_scroll(page) -> int:
    """How many CSS px the page itself scrolls sideways (0 when it reflows)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def assert_reflows(page, width=320):
    """WCAG 2.1 1.4.10: at `width` CSS px (320 = a 1280 px screen at 400 % zoom) the page does
    not scroll sideways; a wide table may scroll inside its own region."""
    before = page.viewport_size
    page.set_viewport_size({"width": width, "height": 900})
    overflow = sideways_scroll(page)
    page.set_viewport_size(before)
    assert overflow <= 1, f"page scrolls sideways by {overflow} px at {width} px on {page.url}"


def assert_reflows_at_200_percent(page):
    """At 200 % zoom a 1280 px screen is 640 CSS px wide: no horizontal scrolling of the page."""
    assert_reflows(page, 640)


def login(page, base, username):
    page.goto(f"{base}/inloggen/")
    assert_accessible(page)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_label("Wachtwoord").press("Enter")
    page.wait_for_url(f"{base}/")


@pytest.fixture
def world(transactional_db, enschede, uwv, enschede_location):
    team = TeamFactory(organisation=enschede, name="Publiekszaken")
    counter = staff(
        enschede,
        Role.BALIEMEDEWERKER,
        team=team,
        contact_person=True,
        username="balie",
        first_name="Sanne",
        last_name="Bakker",
    )
    uwv_team = TeamFactory(organisation=uwv, name="WW op locatie", description="werkloosheid")
    staff(
        uwv,
        Role.MEDEWERKER_UITVOERING,
        team=uwv_team,
        contact_person=True,
        username="uwv",
        first_name="Lisa",
        last_name="Hermans",
        direct_phone="+31881234567",
    )
    staff(enschede, Role.PRIVACYFUNCTIONARIS, username="privacy")
    resident = ResidentFactory(given_names="Fatima", surname="Yilmaz", needs_cognitive=True)
    older = ContactMomentFactory(
        organisation=enschede, staff=counter, resident=resident, question="Vraag over paspoort"
    )
    return {"resident": resident, "counter": counter, "older": older}


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
