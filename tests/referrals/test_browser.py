"""Warm referral and live consult in two browser sessions (Chromium): an Enschede counter
employee and a UWV colleague, each in their own session. axe-core on every page visited."""

import re

import pytest

from eenloket.contacts.models import ContactMoment
from eenloket.core.roles import Role
from eenloket.referrals.models import LiveConsult, Referral

from ..browser import assert_accessible, login
from ..factories import (
    ContactMomentFactory,
    OrganisationFactory,
    ResidentFactory,
    ServiceFactory,
    TeamFactory,
    staff,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def sessions(browser):
    """Two independent sessions (separate cookies), like two people at two desks."""
    contexts = [
        browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
        for _ in range(2)
    ]
    yield [c.new_page() for c in contexts]
    for c in contexts:
        c.close()


@pytest.fixture
def world(transactional_db, enschede, uwv, enschede_location):
    staff(enschede, Role.BALIEMEDEWERKER, username="balie", first_name="Sanne", last_name="Bakker")
    team = TeamFactory(organisation=uwv, name="WW op locatie")
    uwv_staff = staff(
        uwv,
        Role.MEDEWERKER_UITVOERING,
        team=team,
        contact_person=True,
        username="uwv",
        first_name="Lisa",
        last_name="Hermans",
        direct_phone="+31881234567",
    )
    resident = ResidentFactory(given_names="Fatima", surname="Yilmaz", city="Enschede")
    contact = ContactMomentFactory(
        organisation=enschede,
        staff=staff(enschede, Role.KCC_MEDEWERKER, username="kcc"),
        resident=resident,
        location=enschede_location,
        question="Ik ben mijn baan kwijt en de WW-aanvraag lukt niet.",
    )
    return {"contact": contact, "uwv_staff": uwv_staff, "team": team}


def test_counter_refers_to_uwv_who_accepts_and_helps_and_the_referrer_sees_it(
    sessions, live_server, world
):
    base = live_server.url
    counter, colleague = sessions
    contact = world["contact"]

    # Enschede: from the contact, refer warmly to UWV with consent.
    login(counter, base, "balie")
    counter.goto(f"{base}/contacten/{contact.uuid}/")
    assert_accessible(counter)
    counter.get_by_role("link", name="Doorverwijzen", exact=True).click()
    assert_accessible(counter)
    counter.get_by_label("Naar organisatie").select_option(label="UWV")
    # Directory in context: UWV's named contact person appears next to the choice.
    counter.locator("#aanspreekpunten").get_by_text("Lisa Hermans").wait_for(timeout=5000)
    assert_accessible(counter)
    counter.get_by_label("Reden van de doorverwijzing").fill("WW aanvragen lukt online niet.")
    counter.get_by_label("De inwoner geeft toestemming om gegevens te delen").check()
    counter.get_by_label("Naam en contactgegevens").check()
    counter.get_by_label("De vraag van de inwoner").check()
    counter.get_by_role("button", name="Doorverwijzing versturen").click()
    counter.wait_for_url(re.compile(r".*/doorverwijzingen/[0-9a-f-]+/$"))
    assert "Verstuurd" in counter.locator(".referral-state").inner_text()
    assert "Lisa Hermans" in counter.locator("main").inner_text()  # directory in context
    assert "088 123 4567" in counter.locator("main").inner_text()
    assert_accessible(counter)
    referral = Referral.objects.get()

    # UWV, in its own session: the new referral in the work list; accept, contacted, helped.
    login(colleague, base, "uwv")
    colleague.get_by_role("link", name=re.compile("^Doorverwijzingen")).first.click()
    assert_accessible(colleague)
    assert "Fatima Yilmaz" in colleague.locator("main").inner_text()
    colleague.goto(f"{base}/doorverwijzingen/{referral.uuid}/")
    text = colleague.locator("main").inner_text()
    assert "Fatima Yilmaz" in text and "Ik ben mijn baan kwijt" in text
    assert "niet gedeeld" in text  # what was discussed and the BSN were not shared
    assert_accessible(colleague)
    colleague.get_by_role("button", name="Accepteren").click()
    assert "Geaccepteerd" in colleague.locator(".referral-state").inner_text()
    colleague.locator("summary", has_text="Inwoner gesproken").click()  # keyboard: Enter
    colleague.get_by_label("Wat is er besproken?").fill("Gebeld; samen WW aangevraagd.")
    colleague.get_by_role("button", name="Vastleggen: inwoner gesproken").click()
    assert "Inwoner gesproken" in colleague.locator(".referral-state").inner_text()
    colleague.locator("summary", has_text="Inwoner geholpen").click()
    colleague.get_by_label("Terugkoppeling voor de doorverwijzer").fill(
        "WW samen aangevraagd; eerste betaling over vier weken."
    )
    colleague.get_by_role("button", name="Vastleggen: inwoner geholpen").click()
    assert "Inwoner geholpen" in colleague.locator(".referral-state").inner_text()
    assert_accessible(colleague)

    # Back in Enschede: the referrer sees the outcome in her own list and a notification.
    counter.goto(f"{base}/doorverwijzingen/?lijst=verstuurd")
    listing = counter.locator("main").inner_text()
    assert "Inwoner geholpen" in listing and "eerste betaling over vier weken" in listing
    assert_accessible(counter)
    counter.goto(f"{base}/")
    assert "UWV heeft de inwoner geholpen" in counter.locator("main").inner_text()
    assert_accessible(counter)
    referral.refresh_from_db()
    assert referral.state == "geholpen"
    assert [e.action for e in referral.events.all()] == [
        "verstuurd",
        "geaccepteerd",
        "inwoner-gesproken",
        "geholpen",
    ]


def test_live_consult_requested_and_accepted_in_two_sessions(sessions, live_server, world):
    base = live_server.url
    counter, colleague = sessions
    contact = world["contact"]

    # UWV goes on duty at the town hall and waits for requests (the list polls every 3 s).
    login(colleague, base, "uwv")
    colleague.goto(f"{base}/overleg/")
    assert_accessible(colleague)
    colleague.get_by_label("Locatie").select_option(label="Stadhuis Enschede")
    colleague.get_by_role("button", name="In dienst gaan").click()
    assert "Stoppen met dienst" in colleague.locator("main").inner_text()
    assert_accessible(colleague)

    # Enschede asks for a UWV colleague from the open contact.
    login(counter, base, "balie")
    counter.goto(f"{base}/contacten/{contact.uuid}/")
    counter.get_by_role("link", name="Collega erbij halen").click()
    assert_accessible(counter)
    assert counter.get_by_label("Waar bent u nu").input_value() == str(contact.location.uuid)
    organisation = counter.get_by_label("Collega van organisatie")
    uwv_option = organisation.locator("option", has_text="UWV").get_attribute("value")
    organisation.select_option(value=uwv_option)
    counter.get_by_label("Waar gaat het over").fill("Kan zij WW en bijstand tegelijk krijgen?")
    counter.get_by_role("button", name="Collega vragen").click()
    counter.wait_for_url(re.compile(r".*/overleg/[0-9a-f-]+/$"))
    assert_accessible(counter)

    # Within 5 seconds the request shows up on the UWV screen, without reloading.
    colleague.get_by_text("Kan zij WW en bijstand tegelijk krijgen?").wait_for(timeout=5000)
    assert_accessible(colleague)
    colleague.get_by_role("button", name=re.compile("^Aannemen")).click()

    # And within 5 seconds the requester sees who is coming, without reloading; the text
    # about waiting goes with the state it described.
    counter.get_by_text("Lisa Hermans").wait_for(timeout=5000)
    assert "wie hem aanneemt" not in counter.locator("main").inner_text()
    assert "088 123 4567" in counter.locator("main").inner_text()
    assert_accessible(counter)
    consult = LiveConsult.objects.get()
    assert consult.state == "aangenomen" and consult.accepted_by == world["uwv_staff"]
    assert ContactMoment.objects.get(pk=contact.pk).live_consults.count() == 1


def _option_texts(select) -> list[str]:
    return [t.strip() for t in select.locator("option").all_inner_texts()]


def test_referral_form_prefills_the_organisation_and_lists_only_its_teams_and_services(
    page, live_server, world, enschede, uwv
):
    """Issue 8: the service comes from the contact, so does the organisation; choosing another
    organisation swaps its teams and services in (htmx), and no empty panel shows."""
    base = live_server.url
    svb = OrganisationFactory(code="svb", type="svb", name="SVB")
    TeamFactory(organisation=svb, name="Kinderbijslag")
    TeamFactory(organisation=enschede, name="Schuldhulp")
    ww = ServiceFactory(organisation_type="uwv", name="WW-uitkering aanvragen")
    ServiceFactory(organisation_type="uwv", name="Ziektewet")
    ServiceFactory(organisation_type="svb", name="Kinderbijslag aanvragen")
    ServiceFactory(organisation_type="gemeente", name="Bijzondere bijstand")
    contact = world["contact"]
    login(page, base, "balie")

    # Without a prefilled service no organisation is chosen yet: no empty bordered panel.
    page.goto(f"{base}/contacten/{contact.uuid}/doorverwijzen/")
    assert page.get_by_label("Naar organisatie").input_value() == ""
    assert page.locator("#aanspreekpunten").is_hidden()

    ContactMoment.objects.filter(pk=contact.pk).update(service=ww)
    page.goto(f"{base}/contacten/{contact.uuid}/doorverwijzen/")
    organisation = page.get_by_label("Naar organisatie")
    team = page.get_by_label("Naar team")
    service = page.get_by_label("Dienst")
    assert organisation.input_value() == str(uwv.uuid)
    assert service.input_value() == str(ww.uuid)
    assert _option_texts(team) == [
        "Geen team: de organisatie verdeelt het zelf",
        "UWV: WW op locatie",
    ]
    assert _option_texts(service) == [
        "Geen dienst gekozen",
        "WW-uitkering aanvragen (UWV)",
        "Ziektewet (UWV)",
    ]
    page.locator("#aanspreekpunten").get_by_text("Lisa Hermans").wait_for()
    assert_accessible(page)

    # Another organisation: its teams and services replace UWV's without a reload.
    with page.expect_response(lambda r: "/doorverwijzen/keuzes/" in r.url):
        organisation.select_option(label="SVB")
    page.get_by_label("Naar team").locator("option", has_text="SVB: Kinderbijslag").wait_for(
        state="attached"
    )
    assert _option_texts(page.get_by_label("Naar team")) == [
        "Geen team: de organisatie verdeelt het zelf",
        "SVB: Kinderbijslag",
    ]
    assert _option_texts(page.get_by_label("Dienst")) == [
        "Geen dienst gekozen",
        "Kinderbijslag aanvragen (SVB)",
    ]
    page.locator("#aanspreekpunten").get_by_text("Aanspreekpunten bij SVB").wait_for()
    assert_accessible(page)

    # And it sends: the team of SVB, to SVB.
    page.get_by_label("Naar team").select_option(label="SVB: Kinderbijslag")
    page.get_by_label("Reden van de doorverwijzing").fill("Vraag over kinderbijslag.")
    page.get_by_role("button", name="Doorverwijzing versturen").click()
    page.wait_for_url(re.compile(r".*/doorverwijzingen/[0-9a-f-]+/$"))
    referral = Referral.objects.get()
    assert referral.to_organisation == svb and referral.to_team.name == "Kinderbijslag"
