"""Complaints in Chromium, the "done when" of the feature: the coordinator of Gemeente Enschede
registers a complaint about an employee of Burgerzaken, handles it formally, sees the team lead
refused as handler with the reason, assigns an independent handler; the handler records the
hearing and the judgement; the coordinator sends the one answer letter. The resident files
another complaint on the public form and gets a receipt. axe-core (WCAG 2.1 AA) on every page.

The live server runs in another thread, so no time travel: dates come from today."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from eenloket.complaints.models import Complaint, PartState
from eenloket.core.calendar import AMSTERDAM
from eenloket.messaging.models import Message

from ..browser import Axe, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def world(live_server, browser, coordinator, handler, employee, colleague, team_lead, enschede):
    contexts = []

    def as_user(username):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
        contexts.append(context)
        page = context.new_page()
        login(page, live_server.url, username)
        return page

    def anonymous():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
        contexts.append(context)
        return context.new_page()

    yield {"base": live_server.url, "as_user": as_user, "anonymous": anonymous}
    for context in contexts:
        context.close()


def open_step(page, label):
    step = page.locator("details.step", has=page.locator("summary", has_text=label))
    step.locator("summary").first.click()
    return step


def test_formal_complaint_from_registration_to_the_answer_letter(world):
    base = world["base"]
    axe = Axe()
    today = timezone.now().astimezone(AMSTERDAM).date()

    # ---- the coordinator registers the complaint ------------------------------------------------
    co = world["as_user"]("mirjam.haverkate")
    co.goto(f"{base}/")
    co.get_by_role("link", name="Klachten", exact=True).click()
    axe(co, "complaint list")
    co.get_by_role("link", name="Klacht vastleggen").click()
    axe(co, "new complaint")
    co.get_by_label("Hoe kwam de klacht binnen?").select_option(label="Brief")
    co.get_by_label("Naam van de inwoner").fill("Johan Kuipers")
    co.get_by_label("E-mailadres").fill("johan@example.org")
    co.get_by_label("Waar gaat de klacht over?").fill(
        "De medewerker aan de balie lachte mij uit toen ik mijn paspoort aanvroeg."
    )
    co.get_by_label("Over welke organisatie?", exact=True).select_option(label="Gemeente Enschede")
    co.get_by_label("Over welke medewerker? (als bekend)").select_option(label="Daan Wolters")
    co.get_by_role("button", name="Klacht vastleggen").click()
    expect(co.get_by_text(re.compile(r"Klacht KL-\d{4}-\w+ is vastgelegd\."))).to_be_visible()
    complaint = Complaint.objects.get()
    part = complaint.parts.get()
    assert part.team.name == "Burgerzaken" and part.employee.username == "daan.wolters"
    axe(co, "complaint detail, received")

    # ---- formal: acknowledgement and the term ---------------------------------------------------
    step = open_step(co, "Formeel behandelen")
    step.get_by_role("button", name="Formeel behandelen").click()
    expect(co.get_by_text("De klacht wordt formeel behandeld.")).to_be_visible()
    assert Message.objects.filter(template_key="klacht-ontvangst", to="johan@example.org").exists()
    axe(co, "complaint detail, formal")

    # ---- the candidate list: the team lead refused with the reason ------------------------------
    co.get_by_role("link", name="Behandelaar kiezen").click()
    expect(
        co.get_by_text(
            "Henk Nijhuis — Is teamleider van het team waar de klacht over gaat (Burgerzaken)."
        )
    ).to_be_visible()
    expect(co.get_by_text("Daan Wolters — Was zelf betrokken")).to_be_visible()
    axe(co, "assign handler")
    co.get_by_label(re.compile("^Henk Nijhuis")).check()
    co.get_by_role("button", name="Behandelaar kiezen").click()
    expect(co.locator("#id_override_reason_fout")).to_contain_text(
        "Is teamleider van het team waar de klacht over gaat (Burgerzaken). Wilt u deze "
        "behandelaar toch kiezen? Schrijf dan op waarom."
    )
    part.refresh_from_db()
    assert part.handler is None
    axe(co, "assign handler, refused")
    # Each candidate with their role and team, so the coordinator knows who they choose.
    expect(co.get_by_label("Youssef Ouali (Klachtbehandelaar, Kwaliteit")).to_be_visible()
    co.get_by_label(re.compile("^Youssef Ouali")).check()
    co.get_by_role("button", name="Behandelaar kiezen").click()
    expect(co.get_by_text("Youssef Ouali behandelt de klacht.")).to_be_visible()

    # ---- the handler hears and decides ----------------------------------------------------------
    ha = world["as_user"]("youssef.ouali")
    ha.goto(f"{base}/klachten/{complaint.uuid}/")
    axe(ha, "complaint detail, handler")
    step = open_step(ha, "Horen vastleggen")
    step.get_by_label("Datum en tijd van het horen").fill(f"{today:%Y-%m-%d}T10:00")
    step.get_by_label("Plaats").fill("Stadhuis Enschede, kamer 2.14")
    step.get_by_role("button", name="Horen vastleggen").click()
    expect(ha.get_by_text("Het horen is vastgelegd.")).to_be_visible()
    step = open_step(ha, "Oordeel vastleggen")
    step.get_by_label("Deels gegrond").check()
    step.get_by_label("Bevindingen: wat heeft u onderzocht en gevonden?").fill(
        "De uitleg klopte, de toon niet."
    )
    step.get_by_label("Conclusies: wat doen wij nu?").fill("De medewerker biedt excuses aan.")
    axe(ha, "complaint detail, deciding")
    step.get_by_role("button", name="Oordeel vastleggen").click()
    expect(ha.get_by_text("Het oordeel is vastgelegd.")).to_be_visible()

    # ---- the coordinator sends the one answer ---------------------------------------------------
    co.goto(f"{base}/klachten/{complaint.uuid}/")
    axe(co, "complaint detail, judged")
    co.get_by_role("button", name="Antwoordbrief versturen").click()
    expect(co.get_by_text("De antwoordbrief is verstuurd.")).to_be_visible()
    part.refresh_from_db()
    assert part.state == PartState.CLOSED
    letter = Message.objects.get(template_key="klacht-uitkomst")
    assert "deels gegrond" in letter.body and "Nationale ombudsman" in letter.body
    axe(co, "complaint detail, answered")

    # ---- the employee's copy and the yearly overview -------------------------------------------
    em = world["as_user"]("daan.wolters")
    em.goto(f"{base}/klachten/kopie/{part.uuid}/")
    expect(
        em.get_by_role("heading", name=f"Kopie van klacht {complaint.reference}")
    ).to_be_visible()
    axe(em, "copy for the employee")
    co.goto(f"{base}/klachten/jaaroverzicht/")
    axe(co, "yearly overview")
    co.goto(f"{base}/klachten/lessen/")
    axe(co, "lessons")

    # ---- a resident on the public form ---------------------------------------------------------
    pub = world["anonymous"]()
    pub.goto(f"{base}/klacht-indienen/")
    axe(pub, "public form")
    pub.get_by_role("button", name="Klacht versturen").click()
    expect(pub.get_by_text("Vul uw naam in.").first).to_be_visible()
    axe(pub, "public form with errors")
    pub.get_by_label("Over welke organisatie gaat uw klacht?").select_option(
        label="Gemeente Enschede"
    )
    pub.get_by_label("Wat is er gebeurd?").fill("Niemand belde mij terug.")
    pub.get_by_label("Uw naam").fill("Petra Smit")
    pub.get_by_label("Uw e-mailadres").fill("petra@example.org")
    pub.get_by_role("button", name="Klacht versturen").click()
    expect(pub.get_by_role("heading", name="Uw klacht is ontvangen")).to_be_visible()
    newest = Complaint.objects.get(name="Petra Smit")
    expect(pub.get_by_text(newest.reference)).to_be_visible()
    axe(pub, "receipt")

    assert axe.violations == {}
