"""The "Berichten" page in Chromium: a message that failed three times is in the dead-letter list
with its reason; "Opnieuw proberen" delivers it; the sent tab shows it with its link clickable;
the print tab. axe-core on every page, and reflow at phone width."""

import pytest
from django.core import mail

from eenloket.core.roles import Role
from eenloket.messaging.models import MessageState

from ..browser import assert_accessible, assert_reflows, login
from ..factories import ResidentFactory, staff
from .conftest import make_post_message
from .test_outbox_ui import make_dead

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True)
def test_dead_letter_retried_in_the_browser(page, live_server, enschede, settings):
    settings.MESSAGING_EMAIL_VIA = "smtp"
    staff(
        enschede,
        Role.FUNCTIONEEL_BEHEERDER,
        username="beheer",
        first_name="Joost",
        last_name="Mulder",
    )
    settings.MESSAGING_DELIVER_ON_COMMIT = False
    dead = make_dead(
        enschede,
        resident=ResidentFactory(given_names="Fatima", surname="Yilmaz"),
        recipient_name="Fatima Yilmaz",
        reason="SMTP 421: De mailserver is even niet beschikbaar",
        body="Uw terugbelverzoek is ontvangen. Meer: https://www.enschede.nl/terugbellen",
    )
    make_post_message(enschede)
    settings.MESSAGING_DELIVER_ON_COMMIT = True  # retry → delivered after commit (locmem mail)
    base = live_server.url

    login(page, base, "beheer")
    page.get_by_role("link", name="Berichten", exact=True).click()
    page.wait_for_url(f"{base}/beheer-berichten/")
    main = page.locator("main")
    assert "SMTP 421: De mailserver is even niet beschikbaar" in main.inner_text()
    assert "Fatima Yilmaz" in main.inner_text()
    assert_accessible(page)
    assert_reflows(page)
    page.locator("summary", has_text="Alle pogingen").click()
    assert main.locator("ol li").count() == 3
    assert_accessible(page)

    page.get_by_role("button", name="Opnieuw proberen").click()
    page.get_by_text("Het bericht aan Fatima Yilmaz wordt opnieuw verstuurd.").wait_for()
    assert "Er zijn geen mislukte berichten." in main.inner_text()
    assert_accessible(page)
    dead.refresh_from_db()
    assert dead.state == MessageState.SENT
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [f"<{dead.uuid}@eenloket.nl>"]

    page.get_by_role("link", name="Verzonden berichten").click()
    link = page.get_by_role("link", name="https://www.enschede.nl/terugbellen")
    assert link.get_attribute("href") == "https://www.enschede.nl/terugbellen"
    assert_accessible(page)
    assert_reflows(page)

    page.get_by_role("link", name="Drukwerk").click()
    assert "Er staat 1 brief klaar voor de drukker." in main.inner_text()
    page.get_by_role("button", name="Batch maken").click()
    page.get_by_text("De batch met 1 brief is klaar.").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Verstuurd naar drukker").click()
    page.get_by_text("De batch staat op verstuurd naar de drukker.").wait_for()
    assert_accessible(page)
    assert_reflows(page)
