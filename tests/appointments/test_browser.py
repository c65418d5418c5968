"""Appointments in Chromium: a resident books on the public page on a small phone (360 × 740)
without logging in, in Dutch and in English, with a hearing loop; when nobody trained is free
the page says so and offers a call back; the SVB employee checks the resident in on the day list
and completes the appointment. axe-core (WCAG 2.1 AA) on every page visited.

The live server runs in another thread, so no time travel: the data is made relative to today
(the next working Tuesday in Europe/Amsterdam, where the SVB holds its hours)."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone, translation

from eenloket.appointments import services
from eenloket.appointments.models import Appointment
from eenloket.core import formatting
from eenloket.core.calendar import AMSTERDAM, is_holiday
from eenloket.core.roles import Role
from eenloket.worklist.models import Task

from ..browser import assert_accessible, login, sideways_scroll
from ..factories import staff

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TUESDAY = 1
SHOTS = os.environ.get("SHOTS", "")  # a folder: full-page screenshots of the steps go there


def next_working(weekday: int) -> dt.date:
    """The first day with this weekday after today (Amsterdam) that is no public holiday."""
    day = timezone.localdate(timezone.now(), AMSTERDAM) + dt.timedelta(days=1)
    while day.weekday() != weekday or is_holiday(day):
        day += dt.timedelta(days=1)
    return day


def dutch_long_date(day) -> str:
    with translation.override("nl"):
        return formatting.long_date(day)


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="nl-NL", is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.csp_errors = []
    page.on(
        "console",
        lambda msg: (
            page.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    yield page
    context.close()
    assert page.csp_errors == [], page.csp_errors


@pytest.fixture
def sessions(browser):
    """sessions() → a page in a fresh session (own cookies) on a desk-sized screen, one per
    employee."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def check(page):
    """axe-core (WCAG 2.1 AA), and no sideways scrolling at the page's viewport."""
    assert_accessible(page)
    assert sideways_scroll(page) <= 1, f"page scrolls sideways on {page.url}"


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def primary(page):
    """The primary button of the step (whatever its language)."""
    return page.locator("main button[type=submit].utrecht-button--primary-action")


def walk_to_the_times(phone, base, town_hall, *, needs=(), until_support=False):
    """Steps 1-3 (location, service, support, whatever the language); ends on step 4, the
    times, or on step 3 with `until_support`."""
    phone.goto(f"{base}/afspraak/")
    check(phone)
    phone.locator(f"#loc-{town_hall.location.uuid}").check()
    primary(phone).click()
    phone.wait_for_url(re.compile(r"locatie="))
    check(phone)
    phone.locator(f"#svc-{town_hall.aow.uuid}").check()
    primary(phone).click()
    phone.wait_for_url(re.compile(r"dienst="))
    check(phone)
    for need in needs:
        phone.locator(f"#hulp-{need}").check()
    if until_support:
        return
    primary(phone).click()
    phone.wait_for_url(re.compile(r"stap=tijden"))
    check(phone)


# ---- 1. booking in Dutch on a phone ---------------------------------------------------------
def test_resident_books_with_a_hearing_loop_on_a_phone_and_cancels(
    phone, live_server, transactional_db, town_hall
):
    base = live_server.url
    tuesday = next_working(TUESDAY)
    long_day = dutch_long_date(tuesday)

    phone.goto(f"{base}/afspraak/")
    assert phone.locator("html").get_attribute("lang") == "nl"
    phone.get_by_role("heading", name="Afspraak maken", level=1).wait_for()
    phone.get_by_text("Stap 1 van 5").wait_for()
    check(phone)
    shot(phone, "nl-1-locatie")

    # 1. Location.
    phone.get_by_role("radio", name=re.compile("^Stadhuis Maastricht")).check()
    phone.get_by_role("button", name="Verder").click()
    phone.get_by_text("Stap 2 van 5").wait_for()
    check(phone)
    shot(phone, "nl-2-onderwerp")

    # 2. Service, with the organisation that helps.
    phone.get_by_role("radio", name=re.compile("^AOW-pensioen")).check()
    assert "Met een medewerker van SVB" in phone.locator("main").inner_text()
    phone.get_by_role("button", name="Verder").click()
    phone.get_by_text("Stap 3 van 5").wait_for()
    check(phone)

    # 3. Support.
    support = phone.get_by_role("group", name=re.compile("Heeft u ondersteuning nodig"))
    support.get_by_role("checkbox", name="Ringleiding", exact=True).check()
    shot(phone, "nl-3-ondersteuning")
    phone.get_by_role("button", name="Vrije tijden zien").click()
    phone.get_by_text("Stap 4 van 5").wait_for()
    summary = phone.locator("dl.summary").inner_text()
    assert "Ringleiding" in summary and "AOW-pensioen" in summary
    check(phone)
    shot(phone, "nl-4-tijden")

    # 4. Time: Tuesday 10:00, in a group named after the day in full.
    day_group = phone.get_by_role("group", name=long_day, exact=True)
    day_group.get_by_role("radio", name="10:00", exact=True).check()
    phone.get_by_role("button", name="Verder").click()
    phone.get_by_text("Stap 5 van 5").wait_for()
    assert f"{long_day} om 10:00" in phone.locator("dl.summary").inner_text()
    check(phone)

    # 5. Name and how to reach you.
    phone.get_by_label("Voornaam").fill("Joost")
    phone.get_by_label("Achternaam").fill("Hermans")
    phone.get_by_label("E-mailadres").fill("joost@example.nl")
    check(phone)
    shot(phone, "nl-5-gegevens")
    phone.get_by_role("button", name="Afspraak maken").click()

    # The manage page: made, with the code and the date in full.
    phone.wait_for_url(re.compile(r"/afspraak/beheren/[^/]+/\?nieuw=1$"))
    phone.get_by_role("heading", name="Uw afspraak is gemaakt", level=1).wait_for()
    appointment = Appointment.objects.get()
    text = phone.locator("main").inner_text()
    assert appointment.reference in text
    assert f"{long_day} om 10:00" in text
    assert "Ringleiding" in text
    check(phone)
    shot(phone, "nl-6-beheren")
    part = appointment.parts.get()
    assert part.desk == town_hall.loop_desk
    assert appointment.needs == ["ringleiding"]
    assert appointment.starts_at == dt.datetime.combine(tuesday, dt.time(10), tzinfo=AMSTERDAM)
    assert (appointment.person_name, appointment.email) == ("Joost Hermans", "joost@example.nl")
    manage_url = phone.url.split("?")[0]

    # Reschedule page (look only; axe).
    phone.get_by_role("link", name="Afspraak verzetten").click()
    phone.get_by_role("heading", name="Afspraak verzetten", level=1).wait_for()
    assert long_day in phone.locator("main").inner_text()
    check(phone)
    shot(phone, "nl-7-verzetten")
    phone.get_by_role("link", name="Terug", exact=True).click()
    phone.wait_for_url(manage_url)

    # Cancel through the link.
    phone.get_by_role("link", name="Afspraak annuleren").click()
    phone.get_by_role("heading", name="Afspraak annuleren", level=1).wait_for()
    check(phone)
    phone.get_by_role("button", name="Ja, annuleer mijn afspraak").click()
    phone.wait_for_url(manage_url)
    phone.get_by_text("Deze afspraak is geannuleerd.").wait_for()
    assert phone.get_by_role("link", name="Afspraak annuleren").count() == 0
    check(phone)
    appointment.refresh_from_db()
    assert appointment.state == "geannuleerd"


# ---- 2. the same in English ------------------------------------------------------------------
DUTCH = re.compile(
    r"\b(afspraak\w*|uw|u|stap|verder|kies|locatie|onderwerp|ondersteuning|tijd|tijden|vrije|"
    r"ringleiding|gemaakt|annuleren|annuleer|verzetten|voornaam|achternaam|wanneer|waar|"
    r"geen|tot|en met|om|met|een|nee|ja|terug|uur|bel|vragen|neem|zet|agenda|wilt|heen|"
    r"waarover|andere?|latere|weken|aanpassen|gegevens|toelichting|bij|van|naar|deze|"
    r"gepland|geannuleerd|toegang|rolstoel|tolk|extra|eenvoudige|taal|slechtziend|iets|anders)\b",
    re.IGNORECASE,
)


def dutch_texts(page, seen: dict):
    """The headings, legends, labels, buttons, links, terms and paragraphs of `main` that still
    read as Dutch, per page, for the report."""
    texts = page.locator(
        "main h1, main h2, main legend, main label, main button, main a, main dt, main dd,"
        " main .steps, main p"
    ).all_inner_texts()
    path = re.sub(r"/beheren/[^/]+/", "/beheren/<token>/", page.url.split("?")[0])
    path = path.replace(page.url.split("/afspraak")[0], "")
    found = seen.setdefault(path, [])
    for text in texts:
        text = " ".join(text.split())
        if text and DUTCH.search(text) and text not in found:
            found.append(text)


def test_resident_books_in_english(phone, live_server, transactional_db, town_hall):
    """The language switch in the header; every step in English (`lang`), and the booking
    remembers the language. Until the lead adds the English texts this checks the structure
    and prints what still showed in Dutch (run with -s to see it)."""
    base = live_server.url
    tuesday = next_working(TUESDAY)
    seen: dict[str, list[str]] = {}

    phone.goto(f"{base}/afspraak/")
    phone.get_by_role("button", name="English").click()
    phone.wait_for_function("document.documentElement.lang === 'en'")
    assert phone.get_by_role("button", name="Nederlands").count() == 1
    assert "/afspraak/" in phone.url
    shot(phone, "en-1-location")
    dutch_texts(phone, seen)
    walk_to_the_times(phone, base, town_hall, needs=["ringleiding"], until_support=True)
    assert phone.locator("html").get_attribute("lang") == "en"
    dutch_texts(phone, seen)
    primary(phone).click()
    phone.wait_for_url(re.compile(r"stap=tijden"))
    assert phone.locator("html").get_attribute("lang") == "en"
    check(phone)
    dutch_texts(phone, seen)
    shot(phone, "en-4-times")

    with translation.override("en"):
        english_day = formatting.long_date(tuesday)
    day_group = phone.get_by_role("group", name=english_day, exact=True)
    day_group.get_by_role("radio", name="10:00", exact=True).check()
    primary(phone).click()
    phone.wait_for_url(re.compile(r"stap=gegevens"))
    assert phone.locator("html").get_attribute("lang") == "en"
    check(phone)
    dutch_texts(phone, seen)
    phone.locator("#id_given_name").fill("Jane")
    phone.locator("#id_surname").fill("Doe")
    phone.locator("#id_email").fill("jane@example.org")
    primary(phone).click()

    phone.wait_for_url(re.compile(r"/afspraak/beheren/[^/]+/\?nieuw=1$"))
    assert phone.locator("html").get_attribute("lang") == "en"
    appointment = Appointment.objects.get()
    assert appointment.language == "en"
    assert appointment.parts.get().desk == town_hall.loop_desk
    text = phone.locator("main").inner_text()
    assert appointment.reference in text and english_day in text
    check(phone)
    dutch_texts(phone, seen)
    shot(phone, "en-6-manage")
    manage_url = phone.url.split("?")[0]
    links = phone.locator("main .form-actions a")
    assert links.count() == 2  # reschedule, cancel
    links.nth(0).click()
    phone.wait_for_url(re.compile(r"/verzetten/$"))
    assert phone.locator("html").get_attribute("lang") == "en"
    check(phone)
    dutch_texts(phone, seen)
    phone.goto(manage_url)
    phone.locator("main .form-actions a").nth(1).click()
    phone.wait_for_url(re.compile(r"/annuleren/$"))
    assert phone.locator("html").get_attribute("lang") == "en"
    check(phone)
    dutch_texts(phone, seen)
    primary(phone).click()
    phone.wait_for_url(manage_url)
    assert phone.locator("html").get_attribute("lang") == "en"
    check(phone)
    dutch_texts(phone, seen)
    appointment.refresh_from_db()
    assert appointment.state == "geannuleerd"

    # Reported, not asserted, until the English texts are in.
    print("\nStill Dutch on the English pages:")
    for path, texts in seen.items():
        print(f"  {path}:")
        for text in texts:
            print(f"    {text}")


def test_switching_language_midway_keeps_the_choices(
    phone, live_server, transactional_db, town_hall
):
    """Like the "bent u geholpen?" page: the switch keeps the resident where they were, with
    the location, service and support chosen so far."""
    walk_to_the_times(phone, live_server.url, town_hall, needs=["ringleiding"])
    phone.get_by_role("button", name="English").click()
    phone.wait_for_function("document.documentElement.lang === 'en'")
    assert "stap=tijden" in phone.url and "hulp=ringleiding" in phone.url
    assert phone.get_by_role("radio").count() > 0


# ---- 3. nobody trained free: call back ----------------------------------------------------------
def test_nobody_trained_free_says_so_and_offers_a_call_back(
    phone, live_server, transactional_db, town_hall
):
    """Only Anna is trained in easy language; take her off the Tuesday hours, and no one
    trained works in the coming weeks (Thursday is Bram's alone)."""
    town_hall.tuesday.staff.remove(town_hall.svb_anna)
    base = live_server.url
    walk_to_the_times(phone, base, town_hall, needs=["eenvoudige-taal"])

    notice = phone.get_by_role("status")
    notice.get_by_role("heading", name="Nog geen tijd met deze ondersteuning").wait_for()
    assert "geen medewerker of balie vrij" in notice.inner_text()
    assert phone.get_by_role("radio").count() == 0  # no times offered without the support
    shot(phone, "nl-4-geen-tijd")
    phone.get_by_role("link", name=re.compile("^Laat ons u bellen")).click()

    phone.wait_for_url(re.compile(r"/afspraak/regelen/\?"))
    phone.get_by_role("heading", name="Wij bellen u om een afspraak te regelen").wait_for()
    text = phone.locator("main").inner_text()
    assert "AOW-pensioen" in text and "Eenvoudige taal (LVB)" in text
    check(phone)
    phone.get_by_label("Voornaam").fill("Joost")
    phone.get_by_label("Achternaam").fill("Hermans")
    phone.get_by_label("Telefoonnummer").fill("06 12345678")
    phone.get_by_label("Wat moeten wij weten?").fill("Graag rustig uitleggen.")
    check(phone)
    shot(phone, "nl-regelen")
    phone.get_by_role("button", name="Bel mij").click()

    phone.get_by_role("heading", name="Wij bellen u", exact=True).wait_for()
    check(phone)
    task = Task.objects.get(kind="afspraak-regelen")
    assert task.organisation == town_hall.svb and task.team == town_hall.svb_team
    assert "Joost Hermans" in task.note and "eenvoudige taal" in task.note
    assert "Graag rustig uitleggen." in task.note
    assert Appointment.objects.count() == 0


def test_required_fields_are_not_marked_optional(phone, live_server, transactional_db, town_hall):
    """WCAG 3.3.2: a field the booking refuses when empty must not say "(niet verplicht)".
    The names are required on the last step; names and phone on the call-back form."""
    base = live_server.url
    query = f"locatie={town_hall.location.uuid}&dienst={town_hall.aow.uuid}"
    starts_at = dt.datetime.combine(next_working(TUESDAY), dt.time(10), tzinfo=AMSTERDAM)
    slot = starts_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")
    marked = []
    phone.goto(f"{base}/afspraak/?{query}&stap=gegevens&tijd={slot}")
    phone.get_by_text("Stap 5 van 5").wait_for()
    for field in ("id_given_name", "id_surname"):
        label = phone.locator(f"label[for={field}]").inner_text()
        if "niet verplicht" in label:
            marked.append(f"stap 5: {label}")
    phone.goto(f"{base}/afspraak/regelen/?{query}&hulp=eenvoudige-taal")
    for field in ("id_given_name", "id_surname", "id_phone"):
        label = phone.locator(f"label[for={field}]").inner_text()
        if "niet verplicht" in label:
            marked.append(f"regelen: {label}")
    assert marked == [], f"required, but marked optional: {marked}"


def _empty_form_urls(base, town_hall):
    query = f"locatie={town_hall.location.uuid}&dienst={town_hall.aow.uuid}&hulp=ringleiding"
    starts_at = dt.datetime.combine(next_working(TUESDAY), dt.time(10), tzinfo=AMSTERDAM)
    slot = starts_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")
    return (
        f"{base}/afspraak/?{query}&stap=gegevens&tijd={slot}",
        f"{base}/afspraak/regelen/?{query}",
    )


def test_last_step_sent_empty_shows_every_error(phone, live_server, transactional_db, town_hall):
    """Step 5 sent empty: an error summary with every problem, linked to its field; nothing
    booked."""
    details, _arrange = _empty_form_urls(live_server.url, town_hall)
    phone.goto(details)
    with phone.expect_response(lambda r: r.request.method == "POST") as sent:
        phone.get_by_role("button", name="Afspraak maken").click()
    assert sent.value.status == 400, f"sending step 5 empty answered {sent.value.status}"
    errors = phone.get_by_role("alert")
    errors.get_by_role("heading", name="Controleer wat u heeft ingevuld").wait_for()
    for text in ("Vul uw voornaam in.", "Vul uw achternaam in.", "Vul een telefoonnummer"):
        assert text in errors.inner_text()
    assert Appointment.objects.count() == 0
    check(phone)
    errors.get_by_role("link", name=re.compile("^Voornaam")).click()
    assert phone.evaluate("document.activeElement.id") == "id_given_name"


def test_call_back_form_sent_empty_asks_for_the_phone(
    phone, live_server, transactional_db, town_hall
):
    """The call-back form has no e-mail field: the error asks for the phone number (the
    service's own message), not for "a phone number or e-mail address"."""
    _details, arrange = _empty_form_urls(live_server.url, town_hall)
    phone.goto(arrange)
    phone.get_by_role("button", name="Bel mij").click()
    errors = phone.get_by_role("alert")
    errors.get_by_role("heading", name="Controleer wat u heeft ingevuld").wait_for()
    check(phone)
    assert Task.objects.count() == 0
    text = errors.inner_text()
    assert "Vul uw voornaam in." in text and "Vul uw achternaam in." in text
    assert "Vul uw telefoonnummer in." in text, text
    assert "e-mailadres" not in text, text


# ---- 4. staff: day list, check in, complete; the other staff screens ------------------------------
def test_svb_employee_checks_in_and_completes_and_the_staff_screens_are_accessible(
    sessions, live_server, transactional_db, town_hall
):
    base = live_server.url
    tuesday = next_working(TUESDAY)
    appointment = services.book(
        location=town_hall.location,
        service=town_hall.aow,
        starts_at=dt.datetime.combine(tuesday, dt.time(10), tzinfo=AMSTERDAM),
        given_name="Joost",
        surname="Hermans",
        email="joost@example.nl",
        phone="06 12345678",
        needs=["ringleiding"],
    )
    part = appointment.parts.get()
    assert part.desk == town_hall.loop_desk
    employee = part.employee

    page = sessions()
    login(page, base, employee.username)
    page.goto(f"{base}/afspraken/")
    check(page)
    page.get_by_label("Dag", exact=True).fill(tuesday.isoformat())
    page.get_by_label("Locatie", exact=True).select_option(label="Stadhuis Maastricht (Maastricht)")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_url(re.compile(rf"dag={tuesday.isoformat()}"))
    page.get_by_role("heading", name=f"Stadhuis Maastricht – {dutch_long_date(tuesday)}").wait_for()
    row = page.get_by_role("row").filter(has_text="Joost Hermans")
    assert row.count() == 1
    row_text = row.inner_text()
    assert "Ringleiding" in row_text and "AOW-pensioen" in row_text
    assert "Balie 1" in row_text and "10:00" in row_text
    assert "Gepland" in row_text
    check(page)
    shot(page, "staff-daglijst")

    row.get_by_role("button", name=re.compile("^Aanmelden")).click()
    page.wait_for_url(re.compile(rf"dag={tuesday.isoformat()}"))
    row = page.get_by_role("row").filter(has_text="Joost Hermans")
    row.locator(".utrecht-badge-status", has_text="Aangemeld").wait_for()
    assert row.get_by_role("button", name=re.compile("^Aanmelden")).count() == 0
    check(page)
    shot(page, "staff-daglijst-aangemeld")
    appointment.refresh_from_db()
    assert appointment.state == "aangemeld"

    # Detail: prepare the support, complete with an outcome.
    row.get_by_role("link", name="Joost Hermans").click()
    page.wait_for_url(re.compile(rf"/afspraken/{appointment.uuid}/$"))
    page.get_by_role("heading", name="Afspraak met Joost Hermans", level=1).wait_for()
    page.get_by_role("heading", name="Bereid deze ondersteuning voor").wait_for()
    assert "Ringleiding" in page.locator(".prepare").inner_text()
    check(page)
    shot(page, "staff-detail")
    page.get_by_role("radio", name="Beantwoord", exact=True).check()
    page.get_by_label("Wat is er besproken of geregeld?").fill("AOW-aanvraag samen ingevuld.")
    page.get_by_role("button", name="Afronden", exact=True).click()
    page.get_by_text("De afspraak is afgerond en vastgelegd als contact.").wait_for()
    page.locator(".utrecht-badge-status", has_text="Afgerond").wait_for()
    check(page)
    appointment.refresh_from_db()
    assert appointment.state == "afgerond" and appointment.contact is not None
    assert appointment.contact.outcome == "beantwoord"

    # Staff booking: the page, and the times for AOW with a hearing loop.
    page.goto(f"{base}/afspraken/nieuw/")
    page.get_by_role("heading", name="Afspraak maken", level=1).wait_for()
    check(page)
    page.get_by_role("checkbox", name=re.compile("^AOW-pensioen")).check()
    page.get_by_role("checkbox", name="Ringleiding", exact=True).check()
    page.get_by_role("button", name="Vrije tijden zoeken").click()
    page.wait_for_url(re.compile(r"zoek=1"))
    page.get_by_label("Tijd", exact=True).wait_for()
    check(page)
    shot(page, "staff-nieuw")

    # Skills and coverage (own page for an employee).
    page.goto(f"{base}/afspraken/vaardigheden/")
    check(page)

    # Figures: a team lead of the SVB.
    staff(town_hall.svb, Role.TEAMLEIDER, team=town_hall.svb_team, username="teamleider.svb")
    lead = sessions()
    login(lead, base, "teamleider.svb")
    lead.goto(f"{base}/afspraken/cijfers/")
    lead.get_by_role("heading", name="Afspraken: cijfers van de pilot", level=1).wait_for()
    check(lead)
    lead.goto(f"{base}/afspraken/vaardigheden/")  # a lead sees the coverage of the team
    check(lead)

    # Hours and desks: the municipality's functional admin, and the SVB's (guest).
    for username in ("beheer.maastricht", "beheer.svb"):
        admin = sessions()
        login(admin, base, username)
        admin.goto(f"{base}/afspraken/spreekuren/")
        assert admin.url.endswith("/afspraken/spreekuren/")
        assert "Stadhuis Maastricht" in admin.locator("main").inner_text()
        check(admin)
        shot(admin, f"staff-spreekuren-{username}")
