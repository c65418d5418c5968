"""Legal terms in Chromium, as the handler of Gemeente Enschede works: the dashboard shows the
term that ends within a week; she extends a bezwaar with a letter by post (the resident prefers
post) and opens that letter; she registers a new request from the resident's page and sees its
due date counted; the calculator explains a date. axe-core (WCAG 2.1 AA) on every page, and the
dashboard reflows at 320 px.

The live server runs in another thread, so no time travel: the dates are made relative to today
(Europe/Amsterdam) with the same term arithmetic the app uses."""

import datetime as dt
import re

import pytest
from django.utils import timezone, translation

from eenloket.core import formatting
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.roles import Role
from eenloket.core.terms import compute_due_date
from eenloket.deadlines import services
from eenloket.deadlines.models import DelayNotice, RequestType, TrackedRequest

from ..browser import PASSWORD, assert_accessible, assert_reflows, login
from ..factories import ResidentFactory, TeamFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def dutch(day) -> str:
    with translation.override("nl"):
        return formatting.long_date(day)


def received_for_due_within(code, today, days):
    """A receipt date (not in the future) whose legal due date falls within `days` of today."""
    rtype = RequestType.objects.get(organisation=None, code=code)
    day = today
    while True:
        due = compute_due_date(start=day, term=rtype.term, regime=rtype.regime).due_date
        if today <= due <= today + dt.timedelta(days=days):
            return day
        day -= dt.timedelta(days=1)


@pytest.fixture
def world(live_server, enschede):
    today = timezone.localdate(timezone.now(), AMSTERDAM)
    team = TeamFactory(organisation=enschede, name="Kwaliteit en klachten", phone="+31534819999")
    handler = staff(
        enschede,
        Role.KLACHTCOORDINATOR,
        team=team,
        username="mirjam",
        first_name="Mirjam",
        last_name="Haverkate",
        direct_phone="+31534800006",
    )
    handler.set_password(PASSWORD)
    handler.save()
    resident = ResidentFactory(
        municipality=enschede,
        given_names="Ricardo",
        surname="van der Linden",
        preferred_channel="post",
    )
    types = {t.code: t for t in RequestType.objects.filter(organisation=None)}
    soon = services.register(
        user=handler,
        organisation=enschede,
        request_type=types["wmo-aanvraag"],
        subject="Rolstoel voor buiten",
        team=team,
        handler=handler,
        received_on=received_for_due_within("wmo-aanvraag", today, 6),
        resident=resident,
    )
    bezwaar = services.register(
        user=handler,
        organisation=enschede,
        request_type=types["bezwaar"],
        subject="Bezwaar tegen terugvordering bijzondere bijstand",
        team=team,
        handler=handler,
        received_on=today,
        decision_published_on=today - dt.timedelta(days=10),
        resident=resident,
    )
    return {
        "base": live_server.url,
        "today": today,
        "resident": resident,
        "soon": soon,
        "bezwaar": bezwaar,
    }


def test_the_handler_extends_a_bezwaar_by_letter_and_registers_a_request(page, world):
    base = world["base"]
    login(page, base, "mirjam")

    page.get_by_role("link", name="Termijnen").click()
    soon = world["soon"]
    week = page.locator("#komende-week + .table-wrap")
    assert "Rolstoel voor buiten" in week.inner_text()
    assert dutch(soon.due_date) in week.inner_text()
    assert_accessible(page)
    assert_reflows(page)

    bezwaar = world["bezwaar"]
    page.goto(f"{base}/termijnen/{bezwaar.uuid}/")
    assert dutch(bezwaar.due_date) in page.locator(".data-list").inner_text()
    assert "Awb 7:10 lid 1" in page.content()
    assert_accessible(page)

    panel = page.locator("#paneel-verlengen")
    panel.locator("summary").click()
    panel.get_by_label("Waarom duurt het langer?").fill(
        "De bezwaarcommissie wil u eerst horen. Daarna beslissen wij."
    )
    panel.get_by_role("button", name=re.compile("Vastleggen en bericht sturen")).click()
    bezwaar.refresh_from_db()
    new_date = dutch(bezwaar.due_date)
    assert page.get_by_text(f"De termijn is verlengd tot {new_date}").is_visible()
    notice = DelayNotice.objects.get(request=bezwaar)
    assert notice.timely and notice.channel == "post"
    letter = page.get_by_role("link", name="Brief (pdf)")
    response = page.request.get(base + letter.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert_accessible(page)
    # The legal extension is taken; what remains is a further delay with consent.
    assert "Verder uitstel met instemming van de inwoner" in panel.locator("summary").inner_text()

    page.goto(f"{base}/inwoners/{world['resident'].uuid}/")
    page.get_by_role("link", name="Verzoek met termijn vastleggen").click()
    page.get_by_label("Soort verzoek").select_option(label="Woo-verzoek (Woo art. 4.4 lid 1)")
    page.get_by_label("Waar gaat het verzoek over?").fill("Stukken over de bouw van sporthal Zuid")
    page.get_by_role("button", name="Vastleggen").click()
    made = TrackedRequest.objects.get(subject="Stukken over de bouw van sporthal Zuid")
    assert made.resident == world["resident"] and made.received_on == world["today"]
    assert page.get_by_text(f"Uiterlijk besluiten op {dutch(made.due_date)}").is_visible()
    assert_accessible(page)


def test_the_calculator_explains_a_date(page, world):
    base = world["base"]
    login(page, base, "mirjam")
    page.goto(f"{base}/termijnen/rekenen/")
    assert_accessible(page)
    page.get_by_label("Dag van ontvangst of verzending").fill("2026-03-24")
    page.get_by_label("Hoe lang?").fill("6")
    page.get_by_label("Eenheid").select_option("W")
    page.get_by_role("button", name="Uitrekenen").click()
    result = page.locator("section.result")
    assert "Uiterlijk op woensdag 6 mei 2026" in result.inner_text()
    assert "een algemeen erkende feestdag" in result.inner_text()
    assert "(Atw art. 1)" in result.inner_text()
    assert_accessible(page)

    page.get_by_label("Hoe lang?").fill("")
    page.get_by_role("button", name="Uitrekenen").click()
    assert page.get_by_text("Vul in hoe lang de termijn is.").is_visible()
    assert_accessible(page)
