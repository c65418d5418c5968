"""A callback request from start to end in two browser sessions (Chromium): the counter employee
registers a contact with the outcome Terugbelverzoek, the task appears in the team's work list,
a colleague claims it, logs a call that did not reach the resident and completes it. axe-core on
the pages of the flow."""

import pytest

from eenloket.contacts.models import ContactMoment
from eenloket.core.roles import Role
from eenloket.worklist.models import Task

from ..browser import assert_accessible, assert_reflows, login
from ..factories import ResidentFactory, TeamFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def sessions(browser):
    contexts = [
        browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
        for _ in range(2)
    ]
    yield [c.new_page() for c in contexts]
    for c in contexts:
        c.close()


@pytest.fixture
def callback_world(transactional_db, enschede, enschede_location):
    team = TeamFactory(organisation=enschede, name="Belastingen")
    staff(
        enschede,
        Role.BALIEMEDEWERKER,
        team=team,
        username="balie",
        first_name="Sanne",
        last_name="Bakker",
        direct_phone="+31534811111",
    )
    staff(
        enschede,
        Role.KCC_MEDEWERKER,
        team=team,
        username="kcc",
        first_name="Ahmed",
        last_name="Bouzid",
    )
    resident = ResidentFactory(
        given_names="Fatima", surname="Yilmaz", municipality=enschede, phone="+31612345678"
    )
    return {"resident": resident, "team": team}


def test_a_callback_request_from_the_counter_to_the_team_and_done(
    sessions, live_server, callback_world
):
    base = live_server.url
    counter, colleague = sessions
    resident = callback_world["resident"]

    # The counter employee records the contact; the callback fields appear with the outcome.
    login(counter, base, "balie")
    counter.goto(f"{base}/contacten/nieuw/?inwoner={resident.uuid}")
    fields = counter.locator("#terugbelverzoek")
    assert fields.is_hidden()
    counter.get_by_label("Vraag van de inwoner").fill(
        "Kan ik de aanslag gemeentelijke belastingen in termijnen betalen?"
    )
    counter.get_by_label("Kanaal").select_option(label="Telefoon")
    counter.get_by_label("Uitkomst").select_option(label="Terugbelverzoek")
    fields.wait_for(state="visible")
    assert counter.get_by_label("Team dat terugbelt").input_value() == str(
        callback_world["team"].uuid
    )
    assert counter.get_by_label("Terugbellen op nummer").input_value() == "06 12345678"
    counter.get_by_label("Toelichting voor wie terugbelt").fill("Liefst na 14 uur")
    assert_accessible(counter)
    counter.get_by_role("button", name="Contact opslaan").click()
    counter.get_by_text("Het terugbelverzoek staat bij de taken.").wait_for()
    task = Task.objects.get()
    assert task.phone == "+31612345678" and task.note == "Liefst na 14 uur"

    # The start page shows it under the team's tasks.
    counter.goto(f"{base}/")
    team_tasks = counter.locator("section", has=counter.locator("#kop-team-taken"))
    assert "Kan ik de aanslag gemeentelijke belastingen" in team_tasks.inner_text()
    assert_accessible(counter)

    # A colleague of the team finds it in the team's work list.
    login(colleague, base, "kcc")
    colleague.get_by_role("link", name="Taken", exact=True).click()
    colleague.wait_for_url(f"{base}/taken/")
    assert (
        colleague.get_by_role("link", name="Taken van mijn team (1)").get_attribute("aria-current")
        == "page"
    )
    assert "Fatima Yilmaz" in colleague.locator("table").inner_text()
    assert_accessible(colleague)
    assert_reflows(colleague)
    colleague.get_by_role("link", name="Kan ik de aanslag gemeentelijke belastingen").click()
    number = colleague.locator(".task-phone a")
    assert (number.inner_text(), number.get_attribute("href")) == (
        "06 12345678",
        "tel:+31612345678",
    )
    assert_accessible(colleague)

    # Claims it, calls without reaching her, then calls again and helps her.
    colleague.get_by_role("button", name="Oppakken").click()
    colleague.get_by_text("U heeft de taak opgepakt.").wait_for()
    colleague.get_by_text("Belpoging vastleggen", exact=True).first.click()
    colleague.get_by_label("Niet bereikt", exact=True).check()
    colleague.get_by_label("Notitie").fill("Geen gehoor")
    colleague.get_by_role("button", name="Belpoging vastleggen").click()
    colleague.get_by_text("De belpoging is vastgelegd.").wait_for()
    assert "Niet bereikt" in colleague.locator(".attempts").inner_text()
    assert_accessible(colleague)

    # Completing without an outcome: the error in the form, nothing changed.
    colleague.locator("summary", has_text="Afronden").click()
    colleague.get_by_role("button", name="Taak afronden").click()
    colleague.get_by_role("alert").get_by_text("Kies een uitkomst uit de lijst.").wait_for()
    assert_accessible(colleague)
    task.refresh_from_db()
    assert task.state == "open"

    colleague.get_by_label("Geholpen").check()
    colleague.get_by_label("Wat is er gedaan of afgesproken?").fill(
        "Betalingsregeling in 10 termijnen uitgelegd."
    )
    colleague.get_by_role("button", name="Taak afronden").click()
    colleague.get_by_text("De taak is afgerond.").wait_for()
    assert_accessible(colleague)
    task.refresh_from_db()
    assert (task.state, task.outcome) == ("afgerond", "geholpen")
    call = ContactMoment.objects.order_by("-id").first()
    assert (call.channel, call.answer) == (
        "telefoon",
        "Betalingsregeling in 10 termijnen uitgelegd.",
    )

    # Off the start page now.
    counter.goto(f"{base}/")
    assert "Uw team heeft geen open taken." in counter.locator("main").inner_text()


def test_a_callback_request_from_an_existing_contact(page, live_server, callback_world, enschede):
    from ..factories import ContactMomentFactory

    base = live_server.url
    contact = ContactMomentFactory(
        organisation=enschede,
        staff=callback_world["team"].memberships.first().user,
        resident=callback_world["resident"],
        question="Waar blijft mijn teruggave?",
    )
    login(page, base, "balie")
    page.goto(f"{base}/contacten/{contact.uuid}/")
    page.get_by_role("link", name="Terugbelverzoek maken").click()
    assert_accessible(page)
    page.get_by_label("Terugbellen op nummer").fill("12345")
    page.get_by_role("button", name="Terugbelverzoek opslaan").click()
    page.get_by_role("alert").get_by_text("Dit telefoonnummer klopt niet.").wait_for()
    assert_accessible(page)
    assert not Task.objects.exists()
    page.get_by_label("Terugbellen op nummer").fill("053 481 1111")
    page.get_by_role("button", name="Terugbelverzoek opslaan").click()
    page.get_by_text("Het terugbelverzoek staat bij de taken van het team.").wait_for()
    assert Task.objects.get().phone == "+31534811111"
