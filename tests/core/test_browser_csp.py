"""The pages keep to the Content-Security-Policy of production (conf/settings/base.py): in
Chromium, no `securitypolicyviolation` event and no CSP error on the console, on the staff
screens (htmx parts included), Swagger UI and the admin. Under the exact production policy,
without the test settings' allowances for the test tools (axe-core, wait_for_function)."""

import pytest

from eenloket.conf.settings.base import content_security_policy

from ..browser import PASSWORD, world
from ..factories import ServiceFactory, UserFactory

__all__ = ["world"]  # a fixture from browser.py
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
});
"""


@pytest.fixture
def strict(settings, page):
    """The production policy, and a page that records every violation it reports."""
    settings.CONTENT_SECURITY_POLICY = content_security_policy()
    console = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(COLLECT)

    def violations():
        return page.evaluate("window.__csp") + console

    return violations


def sign_in(page, base, username):
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_label("Wachtwoord").press("Enter")
    page.wait_for_url(f"{base}/")


def test_the_collector_sees_a_violation(strict, page, live_server):
    page.goto(f"{live_server.url}/inloggen/")
    page.evaluate(
        """() => new Promise((reported) => {
            document.addEventListener("securitypolicyviolation", reported, {once: true});
            document.body.setAttribute("style", "color: red");
        })"""
    )
    assert any(v.startswith("style-src") for v in strict()), strict()


def test_staff_screens_keep_to_the_policy(strict, page, live_server, world, uwv):
    base = live_server.url
    contact = world["older"]
    sign_in(page, base, "balie")
    problems = {}
    for path in [
        "/",
        "/inwoners/",
        f"/inwoners/{world['resident'].uuid}/",
        f"/contacten/nieuw/?inwoner={world['resident'].uuid}",
        f"/contacten/{contact.uuid}/",
        "/doorverwijzingen/",
        "/overleg/",
        "/catalogus/",
        "/medewerkersgids/",
        "/meldingen/",
    ]:
        page.goto(base + path)
        problems[path] = strict()

    # htmx: the contact persons load with the page, and follow the chosen organisation
    with page.expect_response(lambda r: "/aanspreekpunten/" in r.url):
        page.goto(f"{base}/contacten/{contact.uuid}/doorverwijzen/")
    with page.expect_response(lambda r: "/aanspreekpunten/" in r.url):
        page.get_by_label("Naar organisatie").select_option(str(uwv.uuid))
    page.locator("#aanspreekpunten").get_by_text("Lisa Hermans").wait_for()
    # and the staff directory searches while typing
    page.goto(f"{base}/medewerkersgids/")
    with page.expect_response(lambda r: "/medewerkersgids/" in r.url):
        page.get_by_label("Zoek op naam, team of onderwerp").fill("werkloosheid")
    problems["htmx"] = strict()
    assert {path: found for path, found in problems.items() if found} == {}


def test_privacy_log_swagger_and_admin_keep_to_the_policy(
    strict, page, live_server, world, enschede_location
):
    base = live_server.url
    admin = UserFactory(username="beheerder", is_staff=True, is_superuser=True)
    service = ServiceFactory()
    sign_in(page, base, "privacy")  # the privacy officer of the world
    page.goto(f"{base}/privacy/logboek/")
    problems = {"logboek": strict()}

    page.goto(f"{base}/api/v1/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    problems["swagger"] = strict()

    page.context.clear_cookies()
    sign_in(page, base, admin.username)
    for path in [
        "/beheer/",
        "/beheer/organisations/organisation/",
        f"/beheer/organisations/location/{enschede_location.pk}/change/",
        f"/beheer/catalogue/service/{service.pk}/change/",
        f"/beheer/catalogue/service/{service.pk}/auditlog/",
        "/beheer/auditlog/logentry/",
    ]:
        response = page.goto(base + path)
        assert response.status == 200, path
        problems[path] = strict()
    assert {path: found for path, found in problems.items() if found} == {}
