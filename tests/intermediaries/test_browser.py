"""The contact point in Chromium, its "done when": a volunteer of Buurtkracht Enschede logs in
with the password and the code from the app (a wrong code first), reports an acute concern (an
empty form first), a colleague of the routed debt team picks it up from the team's work list and
answers it, and the volunteer reads the answer (without the handler's name: a volunteer). The
beheerder's pages, the overview, the invitation page and the refusal of a staff page are visited
too. axe-core (WCAG 2.1 AA) on every page of the contact point.

The live server runs in another thread, so no time travel: dates come from today."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from eenloket.intermediaries import services
from eenloket.intermediaries.models import ConcernReport
from eenloket.intermediaries.totp import current_code

from ..browser import PASSWORD, Axe, assert_reflows, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CONCERN = (
    "Mevrouw heeft sinds gisteren geen stroom meer. De energieleverancier heeft haar "
    "afgesloten. Ze heeft grote schulden en geen eten in huis."
)


@pytest.fixture
def world(
    live_server, browser, transactional_db, services_, debt_worker, beheerder, debt_lead, volunteer
):
    contexts = []

    def new_page():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
        contexts.append(context)
        return context.new_page()

    def as_staff(username):
        page = new_page()
        login(page, live_server.url, username)
        return page

    yield {"base": live_server.url, "new_page": new_page, "as_staff": as_staff}
    for context in contexts:
        context.close()


def test_a_volunteer_reports_an_acute_concern_and_reads_the_answer(world, volunteer, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait after the wrong code (tested in test_access)
    base, axe = world["base"], Axe()
    device = TOTPDevice.objects.get(user=volunteer.user)

    # ---- the volunteer: password, then the code from the app ----------------------------------
    icp = world["new_page"]()
    icp.goto(f"{base}/inloggen/")
    axe(icp, "login")
    icp.get_by_label("Gebruikersnaam").fill(volunteer.user.username)
    icp.get_by_label("Wachtwoord").fill(PASSWORD)
    icp.get_by_label("Wachtwoord").press("Enter")
    icp.wait_for_url(re.compile(r"/icp/verificatie/"))
    expect(icp.get_by_role("heading", name="Inloggen: code uit uw app")).to_be_visible()
    axe(icp, "verification")
    wrong = f"{(int(current_code(device)) + 5) % 1_000_000:06d}"
    icp.get_by_label("Code uit uw app").fill(wrong)
    icp.get_by_role("button", name="Verder").click()
    expect(icp.get_by_role("alert")).to_contain_text("Deze code klopt niet.")
    axe(icp, "verification, wrong code")
    icp.get_by_label("Code uit uw app").fill(current_code(device))
    icp.get_by_role("button", name="Verder").click()
    icp.wait_for_url(f"{base}/icp/")
    expect(icp.get_by_role("heading", name="Mijn meldingen")).to_be_visible()
    axe(icp, "my reports, empty")

    # ---- an acute concern (an empty form first) -------------------------------------------------
    icp.get_by_role("link", name="Zorg melden").first.click()
    expect(icp.get_by_role("heading", name="Zorg melden over een inwoner")).to_be_visible()
    axe(icp, "new report")
    assert_reflows(icp)  # a volunteer on a phone: no sideways scrolling at 320 px
    icp.get_by_role("button", name="Melding versturen").click()
    expect(icp.get_by_role("alert")).to_contain_text("Schrijf op wat er aan de hand is.")
    axe(icp, "new report, errors")
    assert not ConcernReport.objects.exists()
    icp.get_by_label("Wat is er aan de hand?").fill(CONCERN)
    icp.get_by_label("Acuut: vandaag nog").check()
    icp.get_by_label("Naam van de inwoner").fill("mevrouw Wessels")
    icp.get_by_label("Adres").fill("Kuipersdijk 112, Enschede")
    icp.get_by_label("Ja, de inwoner vindt het goed").check()
    icp.get_by_role("button", name="Melding versturen").click()
    expect(icp.get_by_text("Dank u wel. Uw melding is verstuurd.")).to_be_visible()
    expect(icp.get_by_role("heading", name="Melding over mevrouw Wessels")).to_be_visible()
    axe(icp, "my report, received")
    report = ConcernReport.objects.get()
    assert (report.urgency, report.team.name) == ("acuut", "Schuldhulpverlening")

    # ---- the debt team picks it up from its work list and answers ------------------------------
    staff = world["as_staff"]("schulden.enschede")
    staff.get_by_role("link", name="Taken", exact=True).click()
    staff.get_by_role("link", name=re.compile("Zorgmelding \\(Acuut")).click()
    staff.get_by_role("link", name="Het contact bekijken").click()
    expect(staff.get_by_role("heading", name=re.compile("^Zorgmelding"))).to_be_visible()
    expect(staff.locator("main")).to_contain_text("Kuipersdijk 112")
    axe(staff, "staff: the report")
    staff.get_by_label("Opgepakt en afgerond").check()
    staff.get_by_label("Kort antwoord voor de intermediair").fill(
        "We zijn vanochtend langs geweest. De stroom is weer aan."
    )
    staff.get_by_role("button", name="Antwoord opslaan").click()
    expect(staff.get_by_text("Uw antwoord is opgeslagen.")).to_be_visible()
    axe(staff, "staff: the report, answered")
    staff.get_by_role("link", name="Zorgmeldingen", exact=True).click()
    axe(staff, "staff: the list")

    # ---- the volunteer reads the answer ------------------------------------------------------------
    icp.reload()
    main = icp.locator("main")
    expect(main).to_contain_text("Opgepakt en afgerond")
    expect(main).to_contain_text("De stroom is weer aan.")
    expect(main).not_to_contain_text("Vermeulen")  # a volunteer does not see who handled it
    axe(icp, "my report, answered")
    icp.get_by_role("link", name="Mijn meldingen").first.click()
    axe(icp, "my reports")
    assert_reflows(icp)
    # A staff page is refused, in the contact point's own layout.
    icp.goto(f"{base}/inwoners/")
    expect(icp.get_by_role("heading", name="Geen toegang")).to_be_visible()
    axe(icp, "refused")

    assert axe.violations == {}, axe.violations


def test_the_beheerder_and_team_lead_pages_and_the_invitation(world, beheerder, partner):
    base, axe = world["base"], Axe()
    admin = world["as_staff"]("beheer.enschede")
    admin.get_by_role("link", name="Zorgmeldingen", exact=True).click()
    expect(admin.get_by_role("heading", name=re.compile("^Intermediairen van"))).to_be_visible()
    axe(admin, "beheer")
    admin.get_by_role("button", name="Uitnodiging versturen").click()
    expect(admin.get_by_role("alert")).to_contain_text("Vul de voornaam in.")
    axe(admin, "beheer, errors")
    admin.get_by_label("Voornaam").fill("Sevda")
    admin.get_by_label("Achternaam").fill("Yıldız")
    admin.get_by_label("E-mailadres").fill("sevda@buurtkracht.example")
    admin.get_by_label("Partnerorganisatie").select_option(label="Buurtkracht Enschede")
    admin.get_by_label("Vrijwilliger").check()
    admin.get_by_role("button", name="Uitnodiging versturen").click()
    expect(admin.get_by_text("Sevda Yıldız krijgt een e-mail met een link.")).to_be_visible()
    axe(admin, "beheer, invited")
    admin.get_by_role("link", name="Overzicht van de meldingen").click()
    axe(admin, "overview")

    lead = world["as_staff"]("teamleider.enschede")
    lead.goto(f"{base}/zorgmeldingen/overzicht/")
    expect(lead.get_by_role("heading", name=re.compile("^Zorgmeldingen bij"))).to_be_visible()

    intermediary = partner.partner_intermediaries.get(user__email="sevda@buurtkracht.example")
    token = services.reinvite(user=beheerder, intermediary=intermediary)
    person = world["new_page"]()
    person.goto(f"{base}/icp/uitnodiging/{token}/")
    expect(person.get_by_role("heading", name=re.compile("Uw account"))).to_be_visible()
    axe(person, "invitation")
    person.get_by_role("button", name="Account klaarzetten").click()
    expect(person.get_by_role("alert")).to_contain_text("Kies een wachtwoord.")
    axe(person, "invitation, errors")
    device = services.enrolment_device(intermediary)
    person.get_by_label("Kies een wachtwoord").fill("Lang-genoeg-2026!")
    person.get_by_label("Typ het wachtwoord nog een keer").fill("Lang-genoeg-2026!")
    person.get_by_label("Code uit uw app").fill(current_code(device))
    person.get_by_role("button", name="Account klaarzetten").click()
    person.wait_for_url(f"{base}/icp/")
    expect(person.get_by_text("Welkom. Uw account is klaar.")).to_be_visible()
    person.goto(f"{base}/icp/uitnodiging/{token}/")
    expect(person.get_by_role("alert")).to_contain_text("al gebruikt")
    axe(person, "invitation, used")

    assert axe.violations == {}, axe.violations
