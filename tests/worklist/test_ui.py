"""The Taken page and a task over the Django test client: the tabs, each row (kind, title,
resident, deadline in words, overdue in text), the task page with its number and forms, errors
shown in the form with nothing changed, and few queries."""

import datetime as dt

import pytest
import time_machine

from eenloket.core.calendar import AMSTERDAM
from eenloket.core.models import AccessLog
from eenloket.worklist import services
from eenloket.worklist.models import Task, TaskAttempt

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=AMSTERDAM)  # Wednesday 2 December 2026


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def html(response) -> str:
    return response.content.decode()


def test_the_taken_page_shows_the_team_list_first(ui_as, member_a, make_task, resident):
    make_task(title="Bellen over de kwijtschelding")
    make_task(title="Te laat al", due_at=NOW - dt.timedelta(hours=1))
    response = ui_as(member_a).get("/taken/")
    page = html(response)
    assert response.status_code == 200
    assert 'aria-current="page">Taken van mijn team <span class="tab-count">(2)' in page
    assert "Testbelletje" in page and resident.full_name in page
    assert "vandaag, woensdag 2 december 2026 om 17:00" in page
    assert page.index("Te laat al") < page.index("Bellen over de kwijtschelding")
    assert page.count(">Te laat</span>") == 1  # overdue in words, not only colour
    assert "Nog niet opgepakt (Werk en inkomen)" in page
    # The names shown are a read of personal data.
    assert AccessLog.objects.filter(object_type="task-list").count() == 1


def test_the_tabs(ui_as, member_a, make_task):
    task = make_task(title="Van mij")
    services.claim(user=member_a, task=task)
    client = ui_as(member_a)
    mine = html(client.get("/taken/?lijst=mine"))
    assert 'aria-current="page">Mijn taken' in mine and "Van mij" in mine
    assert "Bij Sanne" in mine or member_a.get_full_name() in mine
    overdue = html(client.get("/taken/?lijst=overdue"))
    assert 'aria-current="page">Te laat' in overdue
    assert "Er staan hier geen open taken." in overdue
    assert 'aria-current="page">Taken van mijn team' in html(client.get("/taken/?lijst=iets"))


def test_the_nav_links_the_taken_page(ui_as, member_a):
    page = html(ui_as(member_a).get("/taken/"))
    assert '<a href="/taken/" aria-current="page">Taken</a>' in page


def test_paging_by_deadline(ui_as, member_a, make_task):
    for i in range(30):
        make_task(title=f"Taak nummer {i:02d}", due_at=NOW + dt.timedelta(hours=i))
    client = ui_as(member_a)
    response = client.get("/taken/")
    page = html(response)
    assert "Taak nummer 24" in page and "Taak nummer 25" not in page
    nxt = response.context["next_cursor"]
    second = html(client.get(f"/taken/?lijst=team&na={nxt}"))
    assert "Taak nummer 25" in second and "Taak nummer 24" not in second
    assert client.get("/taken/?na=%%%").status_code == 404


def test_the_list_needs_few_queries(ui_as, member_a, make_task, django_assert_max_num_queries):
    for i in range(20):
        make_task(title=f"Taak {i}")
    client = ui_as(member_a)
    client.get("/taken/")
    with django_assert_max_num_queries(14):
        client.get("/taken/")


def test_the_task_page(ui_as, member_a, make_task, resident):
    task = make_task(note="Graag na 14 uur bellen")
    services.log_attempt(user=member_a, task=task, result="voicemail", note="Ingesproken")
    page = html(ui_as(member_a).get(f"/taken/{task.uuid}/"))
    assert 'href="tel:+31612345678">06 12345678</a>' in page
    assert "Graag na 14 uur bellen" in page
    assert "Voicemail ingesproken" in page and "Ingesproken" in page
    assert resident.full_name in page
    for button in ("oppakken", "toewijzen", "belpoging", "afronden", "laten-vervallen"):
        assert f"/taken/{task.uuid}/{button}/" in page
    assert 'value="gedaan"' in page and "Niet gelukt" in page  # the kind's outcomes


def test_the_task_page_is_logged(ui_as, member_a, make_task):
    task = make_task()
    ui_as(member_a).get(f"/taken/{task.uuid}/")
    assert AccessLog.objects.filter(object_type="task", object_id=str(task.uuid)).exists()


def test_steps_through_the_screens(ui_as, member_a, colleague_a, make_task):
    task = make_task()
    client = ui_as(member_a)
    base = f"/taken/{task.uuid}"
    response = client.post(f"{base}/oppakken/")
    assert response.status_code == 302 and response.url == f"{base}/"
    client.post(f"{base}/belpoging/", {"belpoging-result": "niet-bereikt", "belpoging-note": "x"})
    assert TaskAttempt.objects.get().result == "niet-bereikt"
    client.post(f"{base}/toewijzen/", {"toewijzen-to_user": str(colleague_a.uuid)})
    task.refresh_from_db()
    assert task.assigned_to == colleague_a
    colleague = ui_as(colleague_a)
    response = colleague.post(
        f"{base}/afronden/", {"afronden-outcome": "gedaan", "afronden-note": "Klaar"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.state, task.outcome_note) == ("afgerond", "Klaar")
    page = html(colleague.get(f"{base}/"))
    assert "De taak is afgerond." in page and "Gedaan" in page
    assert f"{base}/afronden/" not in page


def test_errors_are_shown_in_the_form_and_nothing_changes(ui_as, member_a, make_task):
    task = make_task()
    client = ui_as(member_a)
    base = f"/taken/{task.uuid}"
    response = client.post(f"{base}/afronden/", {"afronden-note": "Klaar"})
    page = html(response)
    assert response.status_code == 400
    assert "Kies een uitkomst uit de lijst." in page
    assert '<details class="action-panel" open>' in page
    response = client.post(
        f"{base}/belpoging/", {"belpoging-result": "bereikt", "belpoging-note": "x" * 5001}
    )
    assert "Deze tekst is te lang: hoogstens 5000 tekens." in html(response)
    response = client.post(f"{base}/laten-vervallen/", {"vervallen-reason": " "})
    assert "Schrijf op waarom de taak vervalt." in html(response)
    task.refresh_from_db()
    assert task.state == "open" and not TaskAttempt.objects.exists()


def test_a_step_that_no_longer_fits_says_so(ui_as, member_a, make_task):
    task = make_task()
    services.cancel(user=member_a, task=task, reason="Dubbel")
    response = ui_as(member_a).post(f"/taken/{task.uuid}/oppakken/")
    assert response.status_code == 409
    assert "“Oppakken” kan niet: de taak staat op “Vervallen”." in html(response)


def test_other_organisations_get_404(ui_as, counter_maastricht, uwv_staff, make_task):
    task = make_task()
    for user in (counter_maastricht, uwv_staff):
        client = ui_as(user)
        assert client.get(f"/taken/{task.uuid}/").status_code == 404
        assert client.post(f"/taken/{task.uuid}/oppakken/").status_code == 404
        assert "Er staan hier geen open taken." in html(client.get("/taken/"))
    task.refresh_from_db()
    assert task.assigned_to is None


def test_the_start_page_shows_my_tasks_and_my_teams(ui_as, member_a, make_task):
    late = make_task(title="Al te laat", due_at=NOW - dt.timedelta(hours=2))
    make_task(title="Nog op tijd")
    mine = make_task(title="Van mij")
    services.claim(user=member_a, task=mine)
    page = html(ui_as(member_a).get("/"))
    mine_part = page[page.index('id="kop-mijn-taken"') : page.index('id="kop-team-taken"')]
    team_part = page[page.index('id="kop-team-taken"') : page.index('id="kop-recent"')]
    assert "Van mij" in mine_part and "(1)" in mine_part
    assert "(3)" in team_part
    assert team_part.index("Al te laat") < team_part.index("Nog op tijd")
    assert "Te laat" in team_part
    assert 'href="/taken/?lijst=team"' in team_part
    assert late.title in page


def test_a_task_handed_to_another_team_leaves_the_list(ui_as, member_a, member_b, make_task):
    task = make_task(team=None)
    response = ui_as(member_a).post(
        f"/taken/{task.uuid}/toewijzen/", {"toewijzen-to_user": str(member_b.uuid)}
    )
    assert response.status_code == 302
    assert Task.objects.get().assigned_to == member_b
