"""Helpers for the browser tests (Playwright in Debian's Chromium): axe-core, reflow, login, and
the counter's world used by several browser suites. The `browser` and `page` fixtures are in
conftest.py."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from eenloket.core.roles import Role

from .factories import ContactMomentFactory, ResidentFactory, TeamFactory, staff

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "Loket-test-2026!"


WCAG_TAGS = """async () => await axe.run(document, {runOnly: {type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
# What Chromium says when the page is swapped for the next one while axe is being added or run
# (a click that navigates returns before the new document is there).
_NAVIGATING = ("Execution context was destroyed", "reading 'appendChild'", "navigation")


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 AA violations on the current page, as 'rule: [targets]'. When a click
    has just started a navigation, waits for the new page to load and runs on that one."""
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            page.add_script_tag(content=AXE.read_text())
            result = page.evaluate(WCAG_TAGS)
            break
        except PlaywrightError as error:
            if attempt == 2 or not any(mark in str(error) for mark in _NAVIGATING):
                raise
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


def assert_accessible(page):
    """Run axe-core on the current page; fail with the rule ids and targets of any violation."""
    problems = axe_violations(page)
    assert problems == [], f"axe-core violations on {page.url}: {problems}"


class Axe:
    """axe-core on every page of a flow; the violations are collected per page and asserted at
    the end (so one page's problem does not hide the next page's)."""

    def __init__(self):
        self.violations = {}

    def __call__(self, page, name):
        found = axe_violations(page)
        if found:
            self.violations[f"{name} ({page.url})"] = found


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
