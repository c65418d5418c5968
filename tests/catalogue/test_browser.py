"""Routing in the browser: suggestions appear while typing the question, are picked with the
keyboard and saved with the contact; the catalogue pages. axe-core on every page state."""

import pytest

from eenloket.contacts.models import ContactMoment
from eenloket.core.roles import Role

from ..browser import assert_accessible, assert_reflows_at_200_percent, login
from ..factories import ResidentFactory, ServiceFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def world(transactional_db, enschede):
    staff(enschede, Role.BALIEMEDEWERKER, username="balie", first_name="Sanne")
    staff(enschede, Role.FUNCTIONEEL_BEHEERDER, username="beheer", first_name="Els")
    services = {
        "huurtoeslag": ServiceFactory(
            organisation_type="toeslagen",
            name="Huurtoeslag aanvragen of wijzigen",
            description="Een bijdrage in de huur als uw inkomen laag is.",
            keywords=["huurtoeslag", "huur", "toeslag gestopt"],
            english=["rent benefit"],
        ),
        "ww": ServiceFactory(
            organisation_type="uwv",
            name="WW-uitkering aanvragen",
            description="Geld als u uw baan kwijt bent.",
            keywords=["werkloos", "baan kwijt", "ontslagen"],
        ),
        "bijstand": ServiceFactory(
            organisation_type="gemeente",
            name="Bijstandsuitkering",
            description="Geld om van te leven als u geen ander inkomen heeft.",
            keywords=["bijstand", "uitkering gemeente", "geen inkomen"],
        ),
    }
    resident = ResidentFactory(given_names="Fatima", surname="Yilmaz")
    return {"services": services, "resident": resident}


def test_suggestions_appear_while_typing_and_alt_1_picks_one(page, live_server, world):
    base = live_server.url
    login(page, base, "balie")
    page.goto(f"{base}/contacten/nieuw/?inwoner={world['resident'].uuid}")
    question = page.get_by_label("Vraag van de inwoner")
    question.type("Ik ben mijn baan kwijt en mijn huurtoeslag is gestopt", delay=10)
    suggestions = page.locator("#routing-suggestions")
    page.wait_for_function(
        "document.querySelectorAll('#routing-suggestions input[data-shortcut]').length >= 2"
    )
    text = suggestions.inner_text()
    assert "WW-uitkering aanvragen" in text and "Huurtoeslag aanvragen of wijzigen" in text
    assert "UWV" in text and "Dienst Toeslagen" in text
    assert "Past bij" in text
    assert_accessible(page)

    # Alt + the number of the Huurtoeslag suggestion, without leaving the question.
    labels = suggestions.locator("input[data-shortcut]")
    names = [
        suggestions.locator(f"label[for='dienst-{i + 1}']").inner_text()
        for i in range(labels.count())
    ]
    wanted = next(i for i, n in enumerate(names, 1) if n.startswith("Huurtoeslag"))
    question.press(f"Alt+{wanted}")
    assert page.locator(f"#dienst-{wanted}").is_checked()
    assert question.evaluate("el => el === document.activeElement")
    # Typing on keeps the pick. Mark the suggestions on the page now, then wait until the ones
    # asked after the last key (debounced) have replaced them, and look.
    page.locator("#routing-suggestions fieldset").evaluate("el => el.dataset.old = 'ja'")
    question.type(" sinds mei", delay=10)
    page.wait_for_selector("#routing-suggestions fieldset:not([data-old])")
    checked = page.locator("#routing-suggestions input[name=service]:checked")
    assert checked.get_attribute("value") == str(world["services"]["huurtoeslag"].uuid)

    page.get_by_label("Uitkomst").select_option("doorverwezen")
    question.press("Control+Enter")
    page.wait_for_url(f"{base}/inwoners/{world['resident'].uuid}/")
    saved = ContactMoment.objects.get()
    assert saved.service == world["services"]["huurtoeslag"]
    assert saved.question.endswith("sinds mei")


def test_the_radio_buttons_work_with_tab_and_arrow_keys(page, live_server, world):
    base = live_server.url
    login(page, base, "balie")
    page.goto(f"{base}/contacten/nieuw/")
    question = page.get_by_label("Vraag van de inwoner")
    question.type("bijstand aanvragen", delay=10)
    page.wait_for_function(
        "document.querySelectorAll('#routing-suggestions input[data-shortcut]').length >= 1"
    )
    question.press("Tab")  # into the group: focus goes to the checked radio ("Geen van deze")
    assert page.evaluate("document.activeElement.id") == "dienst-geen"
    page.keyboard.press("ArrowDown")  # wraps to the first suggestion
    assert page.locator("#dienst-1").is_checked()
    assert "Bijstandsuitkering" in page.locator("label[for='dienst-1']").inner_text()


def test_catalogue_pages_search_browse_detail_and_municipal_texts(page, live_server, world):
    base = live_server.url
    login(page, base, "beheer")
    page.get_by_role("link", name="Dienstencatalogus").click()
    assert_accessible(page)
    page.get_by_label("Vraag of zoekwoord").fill("huur toeslag gestopt")
    page.wait_for_function(
        "document.querySelector('#catalogus-resultaten').innerText.includes('Huurtoeslag')"
    )
    assert_accessible(page)
    assert_reflows_at_200_percent(page)
    page.get_by_role("link", name="Huurtoeslag aanvragen of wijzigen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Huurtoeslag aanvragen of wijzigen"
    assert_accessible(page)

    page.get_by_role("link", name="Tekst voor onze gemeente aanpassen").click()
    assert_accessible(page)
    page.get_by_label("Uitleg in eenvoudige taal").fill("In onze gemeente helpt de balie u.")
    page.get_by_role("button", name="Opslaan").click()
    assert "In onze gemeente helpt de balie u." in page.locator("main").inner_text()
    assert_accessible(page)

    page.goto(f"{base}/catalogus/nieuw/")
    page.get_by_role("button", name="Dienst opslaan").click()  # empty: errors, nothing saved
    assert "Kies minstens één kanaal." in page.get_by_role("alert").inner_text()
    assert_accessible(page)

    page.goto(f"{base}/catalogus/?organisatie=uwv")
    assert "WW-uitkering aanvragen" in page.locator("#catalogus-resultaten").inner_text()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Service catalogue"
    assert_accessible(page)
    page.get_by_role("button", name="Nederlands").click()
