"""The public "bent u geholpen?" page in Chromium on a small phone (360 × 740): axe-core clean
(WCAG 2.1 AA), no sideways scrolling, no CSP violations; answering "Nee" with a comment ends on
the thank-you page and creates the follow-up task; the error state; the English version."""

import re

import pytest
from django.urls import reverse

from eenloket.helped.models import CheckState
from eenloket.worklist.models import Task

from ..browser import assert_accessible, assert_reflows, login, sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="nl-NL", is_mobile=True, has_touch=True
    )
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


def open_question(phone, live_server, sent_check, **kwargs):
    check, token = sent_check(**kwargs)
    phone.goto(live_server.url + reverse("helped:answer", kwargs={"token": token}))
    return check


def test_resident_answers_nee_with_a_comment_on_a_phone(
    phone, live_server, transactional_db, sent_check, team
):
    check = open_question(phone, live_server, sent_check)
    assert phone.locator("html").get_attribute("lang") == "nl"
    phone.get_by_role("heading", name="Bent u geholpen?", exact=True).wait_for()
    assert_accessible(phone)
    assert sideways_scroll(phone) <= 1
    assert_reflows(phone, 320)

    question = phone.get_by_role("group", name=re.compile("Bijzondere bijstand"))
    question.get_by_role("radio", name="Nee", exact=True).check()
    phone.get_by_role("radio", name="2 – Slecht").check()
    comment = phone.get_by_label("Wilt u nog iets zeggen?")
    comment.fill("Niemand belde terug.")
    phone.get_by_text("U kunt nog 980 tekens typen.").wait_for()
    assert_accessible(phone)
    phone.get_by_role("button", name="Antwoord versturen").click()

    phone.wait_for_url(re.compile(r"/bedankt/$"))
    phone.get_by_role("heading", name="Dank u wel voor uw antwoord").wait_for()
    assert_accessible(phone)
    assert sideways_scroll(phone) <= 1
    assert phone.csp_errors == []

    check.refresh_from_db()
    assert (check.state, check.rating, check.comment) == (
        CheckState.NOT_HELPED,
        2,
        "Niemand belde terug.",
    )
    task = Task.objects.get(kind="geholpen-opvolgen")
    assert task.team == team and "Niemand belde terug." in task.note


def test_sending_without_a_choice_shows_an_accessible_error(
    phone, live_server, transactional_db, sent_check
):
    check = open_question(phone, live_server, sent_check)
    phone.get_by_role("button", name="Antwoord versturen").click()
    summary = phone.get_by_role("alert")
    summary.get_by_text("Kies Ja of Nee.").wait_for()
    # The summary has the focus (screen readers read it) and links to the question.
    assert phone.evaluate("document.activeElement.id") == "form-fouten"
    assert_accessible(phone)
    assert sideways_scroll(phone) <= 1
    check.refresh_from_db()
    assert check.used_at is None


def test_the_page_in_english_for_an_english_speaking_resident(
    phone, live_server, transactional_db, sent_check, resident
):
    resident.language = "en"
    resident.save()
    open_question(phone, live_server, sent_check)
    assert phone.locator("html").get_attribute("lang") == "en"
    assert_accessible(phone)
    # The language switch offers Dutch; choosing it keeps the resident on the question.
    phone.get_by_role("button", name="Nederlands").click()
    phone.wait_for_function("document.documentElement.lang === 'nl'")
    assert "/geholpen/" in phone.url
    assert_accessible(phone)
    phone.get_by_role("button", name="English").click()
    phone.wait_for_function("document.documentElement.lang === 'en'")
    phone.get_by_role("radio", name=re.compile(r"^(Yes|Ja)$")).check()
    phone.locator("button[type=submit].utrecht-button--primary-action").click()
    phone.wait_for_url(re.compile(r"/bedankt/$"))
    assert phone.locator("html").get_attribute("lang") == "en"
    assert_accessible(phone)
    assert sideways_scroll(phone) <= 1


def test_link_problems_are_accessible(phone, live_server, transactional_db, sent_check):
    phone.goto(live_server.url + "/geholpen/klopt-niet/")
    phone.get_by_role("heading", name="Deze link klopt niet").wait_for()
    assert_accessible(phone)
    assert sideways_scroll(phone) <= 1


def test_the_figures_page_for_a_team_lead(page, live_server, transactional_db, sent_check, lead):
    check, _token = sent_check()
    check.state, check.helped, check.rating = CheckState.NOT_HELPED, False, 2
    check.save()
    login(page, live_server.url, "teamleider")
    page.goto(f"{live_server.url}/geholpen/cijfers/")
    page.get_by_role("heading", name="Bent u geholpen? – cijfers").wait_for()
    page.get_by_role("rowheader", name="Stadhuis Enschede").wait_for()
    assert_accessible(page)
    assert_reflows(page, 320)
    page.get_by_label("Periode").select_option("30")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_url(re.compile(r"periode=30"))
    assert_accessible(page)
