"""Every staff page at 320 CSS px wide (WCAG 2.1 1.4.10 Reflow: 1280 px at 400 % zoom), in
Chromium: the page never scrolls sideways (a wide table scrolls inside its own region, which a
keyboard can reach and a screen reader can name), axe-core finds no WCAG 2.1 AA violation, and
no page says "klant" or "KCC". One browser session per role. Also the form controls show their
state: a picked routing suggestion looks picked (computed style, not only the DOM property),
checkboxes are checkbox-sized, selects have an arrow."""

import datetime as dt
import re

import pytest

from eenloket.core.notifications import notify
from eenloket.core.roles import Role
from eenloket.referrals import services

from ..browser import PASSWORD, assert_accessible, sideways_scroll
from ..factories import (
    ContactMomentFactory,
    ResidentFactory,
    ServiceFactory,
    TeamFactory,
    staff,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

NARROW = {"width": 320, "height": 640}
FORBIDDEN = re.compile(r"(?i:klant(?!interacties))|\bKCC\b")

# Elements that scroll sideways inside the page: each must be reachable by keyboard (tabindex 0)
# and named for a screen reader (role region + a label).
SCROLLERS = """() => [...document.querySelectorAll('main *')].filter(el => {
    const style = getComputedStyle(el);
    return ['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
}).map(el => ({
    id: el.id || el.className, tabindex: el.getAttribute('tabindex'), role: el.getAttribute('role'),
    named: Boolean(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')),
}))"""


# For the message: the innermost elements that stick out on the right.
CULPRITS = """() => { const width = document.documentElement.clientWidth;
  const out = el => el.getBoundingClientRect().right > width + 1;
  const scrolled = el => el.parentElement && el.parentElement.closest('.table-wrap');
  return [...document.querySelectorAll('body *')]
    .filter(el => out(el) && !scrolled(el) && ![...el.children].some(out))
    .slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + el.className + ': '
      + el.textContent.trim().slice(0, 40)); }"""


def page_problems(page) -> list[str]:
    """What is wrong with the page at the current (narrow) width."""
    problems = []
    overflow = sideways_scroll(page)
    if overflow > 1:
        culprits = page.evaluate(CULPRITS)
        problems.append(f"{page.url}: the page scrolls sideways by {overflow} px: {culprits}")
    for region in page.evaluate(SCROLLERS):
        if region["tabindex"] != "0" or region["role"] != "region" or not region["named"]:
            problems.append(f"{page.url}: scrolling {region} is not a named, focusable region")
    words = FORBIDDEN.findall(page.locator("body").inner_text())
    if words:
        problems.append(f"{page.url}: says {words}")
    try:
        assert_accessible(page)
    except AssertionError as exc:
        problems.append(str(exc))
    return problems


def narrow_session(browser, base, username):
    """A new session (own cookies) at 320 px; the login page is checked on the way in."""
    context = browser.new_context(viewport=NARROW, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{base}/inloggen/")
    problems = page_problems(page)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_label("Wachtwoord").press("Enter")
    page.wait_for_url(f"{base}/")
    return context, page, problems


def visit_all(page, base, paths) -> list[str]:
    problems = []
    for path in paths:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, f"{path}: {response.status}"
        problems += page_problems(page)
    return problems


@pytest.fixture
def world(transactional_db, enschede, uwv, enschede_location):
    team = TeamFactory(organisation=enschede, name="Publiekszaken en burgerzaken")
    counter = staff(
        enschede,
        Role.BALIEMEDEWERKER,
        team=team,
        contact_person=True,
        username="balie",
        first_name="Sanne",
        last_name="Bakker",
        job_title="Baliemedewerker publiekszaken",
        direct_phone="+31534811111",
        email="sanne.bakker.publiekszaken@gemeente-enschede.example.nl",
    )
    staff(
        enschede,
        Role.KCC_MEDEWERKER,
        team=TeamFactory(organisation=enschede, name="Contactcentrum"),
        contact_person=True,
        username="contactcentrum",
        first_name="Ahmed",
        last_name="El Amrani",
        job_title="Medewerker contactcentrum",
        direct_phone="+31534812222",
        email="ahmed.el-amrani.contactcentrum@gemeente-enschede.example.nl",
    )
    uwv_team = TeamFactory(
        organisation=uwv, name="WW op locatie", description="werkloosheid, WW-uitkering, ontslag"
    )
    uwv_staff = staff(
        uwv,
        Role.MEDEWERKER_UITVOERING,
        team=uwv_team,
        contact_person=True,
        username="uwv",
        first_name="Lisa",
        last_name="Hermans",
        direct_phone="+31881234567",
        email="lisa.hermans.werkloosheidswet@uwv.example.nl",
    )
    staff(enschede, Role.FUNCTIONEEL_BEHEERDER, username="beheer", first_name="Els")
    staff(enschede, Role.PRIVACYFUNCTIONARIS, username="privacy", first_name="Pim")
    services.start_duty(user=uwv_staff, location=enschede_location)
    service = ServiceFactory(
        organisation_type="uwv",
        name="WW-uitkering aanvragen",
        description="Geld als u uw baan kwijt bent.",
        keywords=["werkloos", "baan kwijt", "ontslagen"],
    )
    ServiceFactory(
        organisation_type="toeslagen",
        name="Huurtoeslag aanvragen of wijzigen",
        keywords=["huurtoeslag", "toeslag gestopt"],
    )
    resident = ResidentFactory(
        given_names="Fatima Zahra",
        surname="Yilmaz-Hoogeveenstraatbewoner",
        postcode="7511GB",
        house_number=12,
    )
    ResidentFactory(given_names="Mehmet", surname="Yilmaz", postcode="7511GB", house_number=12)
    contacts = [
        ContactMomentFactory(
            organisation=enschede,
            location=enschede_location,
            staff=counter,
            resident=resident,
            service=service,
            outcome=outcome,
            question="Ik ben mijn baan kwijt en mijn huurtoeslag is gestopt; wat moet ik nu "
            "eerst doen en bij welke organisatie moet ik zijn?",
            started_at=dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC) + dt.timedelta(hours=i),
        )
        for i, outcome in enumerate(["terugbelverzoek", "beantwoord", "doorverwezen"])
    ]
    referral = services.create_referral(
        user=counter,
        contact=contacts[-1],
        to_organisation=uwv,
        to_team=uwv_team,
        service=service,
        reason="De inwoner is zijn baan kwijt en weet niet hoe de WW-aanvraag werkt.",
        preferred_channel="telefoon",
        consent_given=True,
        shared=["naam-en-contactgegevens", "vraag"],
    )
    services.accept(user=uwv_staff, referral=referral)
    services.escalate_overdue(now=referral.contact_due_at + dt.timedelta(days=3))
    for i in range(25):
        notify(
            [counter],
            "%(org)s heeft de inwoner geholpen.",
            f"/doorverwijzingen/{referral.uuid}/",
            params={"org": f"Een organisatie met een heel lange naam nummer {i % 7}"},
        )
    return {"resident": resident, "contact": contacts[-1], "referral": referral, "service": service}


def test_every_staff_page_reflows_at_320_px_and_passes_axe(browser, live_server, world):
    base = live_server.url
    resident, contact = world["resident"], world["contact"]
    referral, service = world["referral"], world["service"]

    context, page, problems = narrow_session(browser, base, "balie")
    problems += visit_all(
        page,
        base,
        [
            "/",
            "/meldingen/",
            "/inwoners/",
            "/inwoners/?postcode=7511GB&house_number=12",  # a list of results
            f"/inwoners/{resident.uuid}/",
            f"/contacten/nieuw/?inwoner={resident.uuid}",
            f"/contacten/{contact.uuid}/",
            "/doorverwijzingen/?lijst=verstuurd",
            f"/doorverwijzingen/{referral.uuid}/",
            f"/contacten/{contact.uuid}/doorverwijzen/",
            f"/contacten/{contact.uuid}/overleg/",
            "/overleg/",
            "/catalogus/",
            "/catalogus/?organisatie=uwv",
            f"/catalogus/{service.uuid}/",
            "/medewerkersgids/",
        ],
    )
    # The routing suggestions under the question, at 320 px too.
    page.goto(f"{base}/contacten/nieuw/?inwoner={resident.uuid}")
    page.get_by_label("Vraag van de inwoner").type("ik ben mijn baan kwijt", delay=5)
    page.locator("#routing-suggestions input[data-shortcut]").first.wait_for()
    problems += page_problems(page)
    context.close()

    context, page, more = narrow_session(browser, base, "uwv")
    problems += more + visit_all(
        page, base, ["/", "/doorverwijzingen/?lijst=mijn", f"/doorverwijzingen/{referral.uuid}/"]
    )
    context.close()

    context, page, more = narrow_session(browser, base, "beheer")
    problems += more + visit_all(
        page, base, ["/", "/catalogus/nieuw/", f"/catalogus/{service.uuid}/aanpassen/"]
    )
    context.close()

    context, page, more = narrow_session(browser, base, "privacy")
    problems += more + visit_all(page, base, ["/privacy/logboek/", "/medewerkersgids/"])
    page.goto(f"{base}/privacy/logboek/?bsn={resident.bsn}")
    page.locator("table").wait_for()
    problems += page_problems(page)
    context.close()

    assert problems == []


def control_style(page, selector) -> dict:
    return page.eval_on_selector(
        selector,
        """el => { const s = getComputedStyle(el); return {background: s.backgroundColor,
            image: s.backgroundImage, border: s.borderColor}; }""",
    )


def test_a_picked_suggestion_looks_picked(page, live_server, world):
    """Alt+1 and the arrow keys check a radio; the check must be visible: its computed style
    differs from an unchecked one (the radio was drawn with appearance: none and no :checked
    style, so picked and not picked looked the same)."""
    base = live_server.url
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("balie")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_label("Wachtwoord").press("Enter")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/contacten/nieuw/?inwoner={world['resident'].uuid}")
    question = page.get_by_label("Vraag van de inwoner")
    question.type("ik ben mijn baan kwijt en mijn huurtoeslag is gestopt", delay=5)
    page.wait_for_function(
        "document.querySelectorAll('#routing-suggestions input[data-shortcut]').length >= 2"
    )
    unpicked = control_style(page, "#dienst-1")
    picked = control_style(page, "#dienst-geen")  # checked by default
    assert page.locator("#dienst-geen").is_checked()
    assert picked != unpicked, "a checked radio looks like an unchecked one"

    question.press("Alt+1")
    assert page.locator("#dienst-1").is_checked()
    assert control_style(page, "#dienst-1") == picked
    assert control_style(page, "#dienst-geen") == unpicked

    page.locator("#dienst-1").focus()
    page.keyboard.press("ArrowDown")
    assert page.locator("#dienst-2").is_checked()
    assert control_style(page, "#dienst-2")["background"] == picked["background"]
    assert control_style(page, "#dienst-1") == unpicked


def test_checkboxes_are_checkbox_sized_and_selects_have_an_arrow(page, live_server, world):
    base = live_server.url
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("beheer")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_label("Wachtwoord").press("Enter")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/catalogus/nieuw/")
    boxes = page.locator("input[type=checkbox][name=channels]")
    assert boxes.count() >= 2
    for i in range(boxes.count()):
        box = boxes.nth(i).bounding_box()
        assert box["width"] <= 32 and box["height"] <= 32, box  # was the full width, 44 px high
    boxes.first.check()
    assert boxes.first.is_checked()

    for path in ("/catalogus/", "/medewerkersgids/"):
        page.goto(f"{base}{path}")
        select = page.get_by_label("Organisatie")
        arrow = select.evaluate(
            """el => { const s = getComputedStyle(el);
                return {appearance: s.appearance, image: s.backgroundImage}; }"""
        )
        # Either the browser draws its own arrow, or the design system draws one.
        assert arrow["appearance"] != "none" or arrow["image"].startswith("url("), (path, arrow)
