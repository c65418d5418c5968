"""Cases in Chromium, the "done when" of the cases feature: the case manager of Gemeente Enschede
opens a case from the resident overview, involves Dienst Toeslagen and CJIB, records their
consents (Toeslagen only "Leefgebieden en problemen" of "Geld en schulden"), adds problems and
sends CJIB a doorbraak request; CJIB grants it in its inbox; Toeslagen sees only what its consent
allows; a housing corporation's arrears signal lands as a task of the debt team and on the
signals page; the privacy officer's inzage names CJIB and Dienst Toeslagen. axe-core (WCAG 2.1
AA) on every page visited.

The live server runs in another thread, so no time travel: dates come from today."""

import re

import pytest
from playwright.sync_api import expect

from eenloket.cases import services
from eenloket.cases.models import Case, CaseParty, Consent, DoorbraakRequest, Problem
from eenloket.organisations.models import Membership

from ..browser import Axe, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MONEY = "Schuld bij de energieleverancier van 2.400 euro"
HOUSING = "Huurachterstand van drie maanden, dreigende ontruiming"
TOESLAGEN_PURPOSE = "Terugvordering huurtoeslag afstemmen"
CJIB_PURPOSE = "Betalingsregeling voor de verkeersboetes treffen"


@pytest.fixture
def world(
    live_server,
    browser,
    case_manager,
    resident,
    housemate,
    toeslagen_staff,
    cjib_staff,
    housing_staff,
    debt_worker,
    privacy_officer,
):
    # The agencies' employees are their organisations' contact persons.
    Membership.objects.filter(user__in=[toeslagen_staff, cjib_staff]).update(is_contact_person=True)
    contexts = []

    def as_user(username):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
        contexts.append(context)
        page = context.new_page()
        login(page, live_server.url, username)
        return page

    yield {"base": live_server.url, "as_user": as_user, "resident": resident}
    for context in contexts:
        context.close()


def open_panel(page, summary):
    panel = page.locator("details.action-panel", has=page.locator("summary", has_text=summary))
    panel.locator("summary").first.click()
    return panel


def tick(box):
    box.check()
    expect(box).to_be_checked()


def test_the_case_from_opening_to_inzage(world, housing_staff):
    base, resident = world["base"], world["resident"]
    axe = Axe()

    # ---- the case manager opens the case from the resident overview --------------------------
    cm = world["as_user"]("casemanager.enschede")
    cm.goto(f"{base}/inwoners/{resident.uuid}/")
    axe(cm, "resident overview")
    cm.get_by_role("link", name="Casus openen").click()
    expect(cm.get_by_role("heading", name="Casus openen voor Anna de Boer")).to_be_visible()
    axe(cm, "new case")
    cm.get_by_label("Waar heeft de inwoner hulp bij nodig?").fill("Schulden en een boete")
    cm.get_by_label("Wat wil de inwoner bereiken?").fill("Rust in de financiën")
    cm.get_by_role("button", name="Casus openen").click()
    expect(cm.get_by_text(re.compile(r"Casus C\d{4}-\w+ is geopend\."))).to_be_visible()
    case = Case.objects.get(resident=resident)
    assert case.title == "Schulden en een boete" and case.case_manager.username == (
        "casemanager.enschede"
    )
    axe(cm, "case detail, just opened")

    # ---- involve Dienst Toeslagen and CJIB ------------------------------------------------------
    for choice, role in (
        ("Dienst Toeslagen: Bram Visser", "Terugvordering huurtoeslag"),
        ("CJIB: Lotte Smits", "Verkeersboetes"),
    ):
        panel = open_panel(cm, "Organisatie betrekken")
        panel.get_by_label("Organisatie en contactpersoon").select_option(label=choice)
        panel.get_by_label("Wat doet deze organisatie in de casus?").fill(role)
        axe(cm, "case detail, panel betrekken open")
        panel.get_by_role("button", name="Vastleggen").click()
        org = choice.split(":")[0]
        expect(cm.get_by_text(f"{org} is betrokken.")).to_be_visible()
    assert sorted(p.organisation.name for p in CaseParty.objects.filter(case=case)) == [
        "CJIB",
        "Dienst Toeslagen",
    ]
    axe(cm, "case detail, two organisations involved")

    # ---- consent: Toeslagen only problems of Geld en schulden; CJIB name, problems, plan -------
    for org, parts, domains, purpose in (
        (
            "Dienst Toeslagen",
            ["Leefgebieden en problemen"],
            ["Geld en schulden"],
            TOESLAGEN_PURPOSE,
        ),
        (
            "CJIB",
            [
                "Naam, adres en contactgegevens van de inwoner",
                "Leefgebieden en problemen",
                "Plan van aanpak (acties)",
            ],
            [],
            CJIB_PURPOSE,
        ),
    ):
        panel = open_panel(cm, "Toestemming of grondslag vastleggen")
        panel.get_by_label("Met welke organisatie?").select_option(label=org)
        # The choices' labels overlap the fields below them, so a mouse click lands on another
        # field (test_the_consent_choices_can_be_clicked): click them by event.
        tick(panel.get_by_label("Toestemming van de inwoner", exact=True))
        for part in parts:
            tick(panel.get_by_label(part, exact=True))
        for domain in domains:
            tick(panel.get_by_label(domain, exact=True))
        panel.get_by_label("Waarvoor gebruikt de organisatie het?").fill(purpose)
        panel.get_by_label("Hoe gaf de inwoner toestemming?").select_option(
            label="Mondeling, in een gesprek"
        )
        for condition in (
            "Delen is in het belang van de inwoner",
            "De inwoner vroeg zelf om hulp",
            "Ik heb gezegd: nee zeggen mag en heeft geen nadeel",
            "Ik heb uitgelegd wat wij delen, waarom en met wie",
        ):
            panel.get_by_label(condition).check()
        axe(cm, "case detail, panel toestemming filled")
        panel.get_by_role("button", name="Vastleggen").click()
        expect(cm.get_by_text(f"Vastgelegd: {org} mag dit zien tot en met")).to_be_visible()
    toeslagen_consent = Consent.objects.get(case=case, organisation__name="Dienst Toeslagen")
    assert toeslagen_consent.parts == ["problemen"]
    assert toeslagen_consent.domains == ["financien"]
    assert Consent.objects.get(case=case, organisation__name="CJIB").domains == []
    axe(cm, "case detail, consents recorded")

    # ---- problems ---------------------------------------------------------------------------------
    for domain, text in (("Geld en schulden", MONEY), ("Wonen", HOUSING)):
        panel = open_panel(cm, "Probleem toevoegen")
        panel.get_by_label("Leefgebied").select_option(label=domain)
        panel.get_by_label("Wat is het probleem?").fill(text)
        panel.get_by_role("button", name="Vastleggen").click()
        expect(cm.get_by_text("Het probleem is toegevoegd.")).to_be_visible()
        expect(cm.locator("main li", has_text=text).first).to_be_visible()
    assert Problem.objects.filter(case=case).count() == 2
    axe(cm, "case detail, problems added")

    # ---- a doorbraak request to CJIB ----------------------------------------------------------------
    panel = open_panel(cm, "Doorbraak: een organisatie vragen")
    panel.get_by_label("Aan welke organisatie?").select_option(label="CJIB")
    panel.get_by_label("Wat vraagt u?").select_option(
        label="Invordering of beslag tijdelijk stoppen"
    )
    panel.get_by_label("Waarom is dit nodig?").fill(
        "Anna kan de boetes niet betalen zolang de schuldhulp nog niet loopt."
    )
    panel.get_by_label("Hoeveel dagen pauze?").fill("90")
    axe(cm, "case detail, panel doorbraak filled")
    panel.get_by_role("button", name="Versturen").click()
    expect(cm.get_by_text("Het doorbraakverzoek is verstuurd naar CJIB.")).to_be_visible()
    request = DoorbraakRequest.objects.get(case=case)
    assert request.state == "gevraagd" and request.to_organisation.name == "CJIB"
    axe(cm, "case detail, doorbraak sent")

    # ---- CJIB grants it in its inbox ------------------------------------------------------------
    cjib = world["as_user"]("medewerker.cjib")
    cjib.goto(f"{base}/doorbraak/")
    expect(
        cjib.get_by_role("heading", name="Doorbraakverzoeken aan uw organisatie")
    ).to_be_visible()
    axe(cjib, "doorbraak inbox")
    cjib.get_by_role("link", name="Invordering of beslag tijdelijk stoppen").click()
    expect(cjib.get_by_role("heading", name=re.compile("^Doorbraakverzoek"))).to_be_visible()
    axe(cjib, "doorbraak detail")
    cjib.get_by_label("Toekennen", exact=True).check()
    cjib.get_by_label("Toelichting").fill("De invordering staat 90 dagen stil.")
    cjib.get_by_role("button", name="Antwoord versturen").click()
    expect(cjib.get_by_text("Uw antwoord is verstuurd.")).to_be_visible()
    request.refresh_from_db()
    assert request.state == "toegekend" and request.answered_by.username == "medewerker.cjib"
    axe(cjib, "doorbraak detail, answered")

    # ---- Toeslagen sees only what the consent allows ----------------------------------------------
    tsl = world["as_user"]("medewerker.toeslagen")
    tsl.goto(f"{base}/casussen/")
    axe(tsl, "case list (partner)")
    tsl.get_by_role("link", name="Schulden en een boete").click()
    main = tsl.locator("main")
    expect(main.get_by_text(MONEY)).to_be_visible()
    expect(main).not_to_contain_text(HOUSING)
    expect(main).not_to_contain_text(CJIB_PURPOSE)
    expect(main).not_to_contain_text("CJIB")
    expect(main).to_contain_text("alleen Geld en schulden")
    expect(tsl.get_by_role("heading", name="Tijdlijn")).to_have_count(0)
    expect(tsl.get_by_role("heading", name="Plan van aanpak")).to_have_count(0)
    for summary in (
        "Organisatie betrekken",
        "Toestemming of grondslag vastleggen",
        "Casus sluiten",
    ):
        expect(tsl.locator("summary", has_text=summary)).to_have_count(0)
    expect(tsl.locator("summary", has_text="Bericht toevoegen")).to_have_count(1)
    axe(tsl, "case detail (partner)")

    # ---- a housing corporation's signal: a task for the debt team, and on the signals page ----
    signal, created = services.receive_signal(
        user=housing_staff,
        kind="huur",
        amount="1350.00",
        months=3,
        surname="de Boer",
        postcode="7511GB",
        house_number=12,
        reference="WT-2026-0415",
    )
    assert created and signal.resident == resident
    debt = world["as_user"]("schuldhulp.enschede")
    debt.get_by_role("link", name="Taken", exact=True).click()
    expect(
        debt.get_by_role("link", name=re.compile("Hulp aanbieden: huur achterstand bij Woonstede"))
    ).to_be_visible()
    axe(debt, "task list (debt team)")
    debt.goto(f"{base}/signalen/")
    expect(debt.get_by_role("link", name="Huur: € 1.350,00")).to_be_visible()
    expect(debt.locator("main")).to_contain_text("Anna de Boer")
    axe(debt, "signals")
    debt.get_by_role("link", name="Huur: € 1.350,00").click()
    expect(debt.get_by_role("heading", name="Achterstand huur: € 1.350,00")).to_be_visible()
    axe(debt, "signal detail")

    # ---- the privacy officer's inzage names CJIB and Dienst Toeslagen -----------------------------
    po = world["as_user"]("privacy.enschede")
    po.get_by_role("link", name="Inzage", exact=True).click()
    expect(po.get_by_role("heading", name=re.compile("^Inzage"))).to_be_visible()
    axe(po, "inzage")
    po.get_by_label("BSN van de inwoner").fill(resident.bsn)
    po.get_by_role("button", name="Overzicht maken").click()
    table = po.get_by_role("region", name="Gebruik van gegevens")
    expect(table).to_contain_text("CJIB")
    expect(table).to_contain_text("Dienst Toeslagen")
    expect(table).to_contain_text(TOESLAGEN_PURPOSE)
    expect(po.get_by_role("link", name="Brief (pdf)")).to_be_visible()
    axe(po, "inzage for Anna de Boer")

    assert axe.violations == {}, axe.violations


def test_the_consent_choices_can_be_clicked(world, case, case_manager, toeslagen):
    services.add_party(user=case_manager, case=case, organisation=toeslagen)
    cm = world["as_user"]("casemanager.enschede")
    cm.goto(f"{world['base']}/casussen/{case.uuid}/")
    panel = open_panel(cm, "Toestemming of grondslag vastleggen")
    for label in ("Wettelijke grondslag", "Leefgebieden en problemen", "Geld en schulden"):
        box = panel.get_by_label(label, exact=True)
        box.check(timeout=3000)
        expect(box).to_be_checked()
