"""The screens of legal terms over the Django test client: the dashboard (terms passed and ending
this week, for the organisation's staff only; the figures of a period, also for management,
without personal data), registering a request from the resident, one request with the panels
its state allows, extending with a letter by post (and refused after the term ended, nothing
written), the term calculator, the request in the resident overview, and never the word
"klant"."""

import datetime as dt
import re

import pytest
import time_machine

from eenloket.core.calendar import AMSTERDAM
from eenloket.core.models import AccessLog
from eenloket.core.roles import Role
from eenloket.deadlines import services
from eenloket.deadlines.models import DelayNotice, Extension, RequestType, TrackedRequest
from eenloket.messaging.models import Message

from ..factories import ResidentFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db

# Wednesday 15 April 2026, 10:00 in Enschede.
NOW = dt.datetime(2026, 4, 15, 10, 0, tzinfo=AMSTERDAM)
KLANT = re.compile(r"klant(?!interacties)", re.IGNORECASE)


def html(response) -> str:
    return response.content.decode()


def at(day: dt.date, hour=10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=AMSTERDAM)


def no_klant(page: str) -> str:
    assert not KLANT.search(page), KLANT.search(page)
    return page


def between(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end)]


def rtype(code):
    return RequestType.objects.get(organisation=None, code=code)


def written():
    return (
        TrackedRequest.objects.count(),
        Extension.objects.count(),
        DelayNotice.objects.count(),
        Message.objects.count(),
    )


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def client(ui_as, handler):
    return ui_as(handler)


@pytest.fixture
def bezwaar(register):
    """Due Wednesday 6 May 2026 (objection period to Tuesday 24 March, 6 weeks, Bevrijdingsdag)."""
    return register(
        "bezwaar",
        received_on=dt.date(2026, 3, 20),
        decision_published_on=dt.date(2026, 2, 10),
        subject="Bezwaar tegen de aanslag",
    )


@pytest.fixture
def maastricht_request(maastricht):
    team = TeamFactory(organisation=maastricht, name="Bezwaar Maastricht")
    colleague = staff(maastricht, Role.BALIEMEDEWERKER, team=team, username="mst")
    return services.register(
        user=colleague,
        organisation=maastricht,
        request_type=rtype("aanvraag"),
        subject="Parkeervergunning Maastricht",
        team=team,
        received_on=dt.date(2026, 2, 17),  # due 14 April: passed
        resident=ResidentFactory(given_names="Mark", surname="Maas", municipality=maastricht),
    )


# ---- the dashboard ---------------------------------------------------------------------------------------
@pytest.fixture
def dashboard_requests(register, handler, maastricht_request):
    passed = register(received_on=dt.date(2026, 2, 17), subject="Kwijtschelding")  # 14 April
    this_week = register(received_on=dt.date(2026, 2, 19), subject="Wasmachine")  # 16 April
    woo = register("woo-verzoek", received_on=dt.date(2026, 3, 19), subject="Stukken bouw")
    # Tuesday 21 April: not this calendar week, but within the coming 7 days.
    register("woo-verzoek", received_on=dt.date(2026, 3, 24), subject="Stukken milieu")
    later = register(received_on=dt.date(2026, 3, 24), subject="Later dit voorjaar")  # 19 May
    # Decided in February and March: one in time, one late without a notice.
    in_time = register(received_on=dt.date(2026, 1, 6), subject="Rioolaansluiting")  # 3 March
    services.decide(user=handler, request=in_time, decided_on=dt.date(2026, 2, 20))
    late = register(received_on=dt.date(2026, 1, 6), subject="Dakkapel")
    services.decide(user=handler, request=late, decided_on=dt.date(2026, 3, 10))
    return passed, this_week, woo, later


def test_the_dashboard_lists_the_terms_passed_and_ending_soon(client, dashboard_requests, resident):
    """The lists of the team: terms passed without a decision, and terms that end in the
    coming 7 days (the lead changed "deze week" to that while these tests were written)."""
    response = client.get("/termijnen/")
    assert response.status_code == 200
    page = no_klant(html(response))
    passed = between(page, 'id="voorbij"', 'id="komende-week"')
    soon = between(page, 'id="komende-week"', 'id="cijfers"')
    assert "Termijn voorbij, nog geen besluit (1)" in passed
    assert "Kwijtschelding" in passed and "dinsdag 14 april 2026" in passed
    assert "Wasmachine" not in passed and "Parkeervergunning Maastricht" not in passed
    assert "Termijn loopt af in de komende 7 dagen (3)" in soon
    assert soon.index("Wasmachine") < soon.index("Stukken milieu")
    assert "Stukken bouw" in soon
    assert "donderdag 16 april 2026" in soon and "dinsdag 21 april 2026" in soon
    assert "Kwijtschelding" not in soon
    assert resident.full_name in page  # the staff see whose request it is
    for absent in (
        "Later dit voorjaar",
        "Rioolaansluiting",
        "Dakkapel",
        "Parkeervergunning Maastricht",
    ):
        assert absent not in page
    assert "Mark Maas" not in page


def test_another_organisation_sees_none_of_enschedes_requests(
    ui_as, maastricht_request, dashboard_requests
):
    colleague = maastricht_request.created_by
    page = no_klant(html(ui_as(colleague).get("/termijnen/")))
    assert "Parkeervergunning Maastricht" in page and "Mark Maas" in page
    for subject in ("Kwijtschelding", "Wasmachine", "Stukken bouw", "Stukken milieu"):
        assert subject not in page
    assert "Anna de Boer" not in page


def test_the_names_on_the_dashboard_are_a_logged_read(client, dashboard_requests, resident):
    page = html(client.get("/termijnen/"))
    assert resident.full_name in page
    assert AccessLog.objects.filter(action="read", channel="ui").exists()


def test_the_figures_of_a_period(client, dashboard_requests):
    page = no_klant(html(client.get("/termijnen/?van=2026-02-01&tot=2026-03-31")))
    figures = page[page.index('id="cijfers"') :]
    assert "Cijfers van zondag 1 februari 2026 tot en met dinsdag 31 maart 2026" in figures
    assert "<dt>Besloten</dt><dd>2</dd>" in figures
    assert "<dt>Op tijd besloten</dt><dd>50% (1 van 2)</dd>" in figures
    assert "op tijd bericht</dt><dd>0% (0 van 1)</dd>" in figures
    assert "<dt>Te laat zonder bericht</dt><dd>50% (1)</dd>" in figures
    # Lead time per type: 45 and 63 days, median 54.
    assert re.search(r">Aanvraag</td>\s*<td[^>]*>2</td>\s*<td[^>]*>54</td>", figures)

    # This quarter so far: nothing decided; one open request whose term passed.
    page = html(client.get("/termijnen/"))
    figures = page[page.index('id="cijfers"') :]
    assert "Cijfers van woensdag 1 april 2026 tot en met woensdag 15 april 2026" in figures
    assert "<dt>Op tijd besloten</dt><dd>–</dd>" in figures
    assert "<dt>Nog open en de termijn is voorbij</dt><dd>1</dd>" in figures


def test_management_sees_the_figures_but_no_names(
    ui_as, management_enschede, dashboard_requests, resident
):
    response = ui_as(management_enschede).get("/termijnen/?van=2026-02-01&tot=2026-03-31")
    assert response.status_code == 200
    page = no_klant(html(response))
    assert "<dt>Op tijd besloten</dt><dd>50% (1 van 2)</dd>" in page
    assert "Termijn voorbij" not in page and "Termijn loopt deze week af" not in page
    assert resident.full_name not in page and "de Boer" not in page
    for subject in ("Kwijtschelding", "Wasmachine", "Stukken bouw"):
        assert subject not in page
    assert "Nieuw verzoek vastleggen" not in page
    assert not AccessLog.objects.exists()


def test_without_a_membership_the_dashboard_is_refused(ui_as, no_membership_user):
    client = ui_as(no_membership_user)
    assert client.get("/termijnen/").status_code == 403
    assert client.get("/termijnen/nieuw/").status_code == 403
    assert client.get("/termijnen/rekenen/").status_code == 403


def test_signed_out_the_screens_send_to_the_login(client, bezwaar):
    from django.test import Client

    for path in ("/termijnen/", f"/termijnen/{bezwaar.uuid}/", "/termijnen/rekenen/"):
        response = Client().get(path)
        assert response.status_code == 302 and "/inloggen/" in response.url


# ---- registering ------------------------------------------------------------------------------------------
def registration(enschede, team, handler, resident, **changes):
    return {
        "organisatie": str(enschede.uuid),
        "inwoner": str(resident.uuid),
        "request_type": str(rtype("wmo-melding").uuid),
        "subject": "Traplift in de woning",
        "received_on": "2026-03-24",
        "decision_published_on": "",
        "team": str(team.uuid),
        "handler": str(handler.uuid),
        "zaak_url": "",
        **changes,
    }


def test_registering_a_request_from_the_resident(client, enschede, team, handler, resident):
    form_url = f"/termijnen/nieuw/?inwoner={resident.uuid}"
    response = client.get(form_url)
    assert response.status_code == 200
    page = no_klant(html(response))
    assert "Nieuw verzoek vastleggen" in page
    assert "Inwoner: Anna de Boer." in page
    assert "Bezwaar (Awb 7:10 lid 1)" in page and "Wmo-melding (onderzoek)" in page

    response = client.post(form_url, registration(enschede, team, handler, resident))
    created = TrackedRequest.objects.get()
    assert response.status_code == 302
    assert response.url == f"/termijnen/{created.uuid}/"
    assert created.resident == resident and created.handler == handler
    assert created.due_date == dt.date(2026, 5, 6)

    page = no_klant(html(client.get(response.url)))
    assert "Het verzoek is vastgelegd. Uiterlijk besluiten op woensdag 6 mei 2026." in page
    assert "<strong>woensdag 6 mei 2026</strong>" in page
    assert (
        "Wmo 2015 art. 2.3.2 lid 1: 6 weken na 24 maart 2026 is dinsdag 5 mei 2026, een algemeen "
        "erkende feestdag; de termijn loopt door tot woensdag 6 mei 2026 (Atw art. 1)." in page
    )
    assert "Anna de Boer" in page


def test_registering_with_bad_data_shows_dutch_errors_and_writes_nothing(
    client, enschede, team, handler, resident
):
    form_url = f"/termijnen/nieuw/?inwoner={resident.uuid}"
    response = client.post(
        form_url, registration(enschede, team, handler, resident, subject="", received_on="")
    )
    assert response.status_code in (200, 400)
    page = no_klant(html(response))
    assert "Controleer wat u heeft ingevuld" in page
    assert "Waar gaat het verzoek over?: Dit veld is vereist." in page
    assert "Ontvangen op: Dit veld is vereist." in page

    response = client.post(
        form_url,
        registration(
            enschede,
            team,
            handler,
            resident,
            request_type=str(rtype("bezwaar").uuid),
            received_on="2026-04-16",
        ),
    )
    assert response.status_code in (200, 400)
    page = no_klant(html(response))
    assert "Een verzoek kan niet in de toekomst binnenkomen." in page
    assert (
        "Geef de datum waarop het besluit is bekendgemaakt: daar begint de bezwaartermijn." in page
    )
    assert 'value="Traplift in de woning"' in page  # what was typed stays
    assert written() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    "query",
    [
        "inwoner=00000000-0000-0000-0000-000000000000",
        "inwoner=geen-uuid",
        "contact=00000000-0000-0000-0000-000000000000",
    ],
)
def test_an_unknown_resident_or_contact_is_a_404_not_a_500(client, query):
    client.raise_request_exception = False
    assert client.get(f"/termijnen/nieuw/?{query}").status_code == 404


def test_a_resident_the_user_may_not_see_is_a_404(client, maastricht_request):
    client.raise_request_exception = False
    response = client.get(f"/termijnen/nieuw/?inwoner={maastricht_request.resident.uuid}")
    assert response.status_code == 404
    assert "Mark Maas" not in html(response)


# ---- one request -----------------------------------------------------------------------------------------------
def panels(page: str) -> set[str]:
    return set(re.findall(r'id="paneel-([a-z]+)"', page))


def test_the_panels_follow_the_state(client, register, handler):
    aanvraag = register()
    page = no_klant(html(client.get(f"/termijnen/{aanvraag.uuid}/")))
    assert panels(page) == {
        "opschorten",
        "vertragingsbericht",
        "ingebrekestelling",
        "besluit",
        "intrekken",
    }
    # An aanvraag has no statutory term: a timely notice names the new one (Awb 4:14 lid 3).
    assert "Voor dit verzoek geldt geen wettelijke termijn." in page
    assert "Hervatten" not in page

    services.suspend(
        user=handler, request=aanvraag, starts_on=dt.date(2026, 4, 10), reason="Loonstroken"
    )
    page = no_klant(html(client.get(f"/termijnen/{aanvraag.uuid}/")))
    assert panels(page) == {"hervatten", "vertragingsbericht", "besluit", "intrekken"}
    assert "Hervatten: de aanvulling is binnen" in page
    assert "Opgeschort: de termijn staat stil, nog 39 dagen over." in page

    services.resume(user=handler, request=aanvraag, ends_on=dt.date(2026, 4, 15))
    services.decide(user=handler, request=aanvraag, decided_on=dt.date(2026, 4, 15))
    page = no_klant(html(client.get(f"/termijnen/{aanvraag.uuid}/")))
    assert panels(page) == set()
    assert "Wat wilt u doen?" not in page
    assert "op woensdag 15 april 2026 – op tijd" in page


def test_a_bezwaar_offers_the_extension_of_the_law(client, bezwaar):
    page = no_klant(html(client.get(f"/termijnen/{bezwaar.uuid}/")))
    assert "verlengen" in panels(page)
    assert "Verlengen met bericht aan de inwoner (Awb 7:10 lid 3)" in page


def test_the_detail_page_is_logged_and_kept_from_other_organisations(
    client, ui_as, bezwaar, counter_maastricht
):
    client.get(f"/termijnen/{bezwaar.uuid}/")
    row = AccessLog.objects.get(object_type="tracked_request")
    assert row.object_id == str(bezwaar.uuid) and row.channel == "ui"

    other = ui_as(counter_maastricht)
    assert other.get(f"/termijnen/{bezwaar.uuid}/").status_code == 404
    assert (
        other.post(f"/termijnen/{bezwaar.uuid}/verlengen/", {"verlengen-reason": "x"}).status_code
        == 404
    )
    assert written() == (1, 0, 0, 0)


def test_extending_a_bezwaar_sends_a_letter_by_post(client, bezwaar, resident):
    response = client.post(
        f"/termijnen/{bezwaar.uuid}/verlengen/", {"verlengen-reason": "Wij wachten op het advies."}
    )
    assert response.status_code == 302
    assert response.url == f"/termijnen/{bezwaar.uuid}/"
    extension = Extension.objects.get()
    assert extension.due_date_before == dt.date(2026, 5, 6)
    assert extension.due_date_after == dt.date(2026, 6, 17)
    message = Message.objects.get()
    assert message.channel == "post" and message.letter_id is not None
    assert message.resident == resident
    assert extension.notice.message == message and extension.notice.timely

    page = no_klant(html(client.get(response.url)))
    assert "De termijn is verlengd tot woensdag 17 juni 2026." in page
    assert "De inwoner krijgt bericht (brief per post)." in page
    assert "<strong>woensdag 17 juni 2026</strong> (eerst woensdag 6 mei 2026)" in page
    assert "Op tijd verstuurd." in page and "Met verlenging." in page
    assert "Brief (pdf)" in page


def test_extending_after_the_term_ended_shows_why_and_writes_nothing(
    ui_as, handler, bezwaar, frozen
):
    frozen.move_to(at(dt.date(2026, 5, 7)))
    client = ui_as(handler)  # signed in that day
    response = client.post(f"/termijnen/{bezwaar.uuid}/verlengen/", {"verlengen-reason": "Te laat"})
    assert response.status_code == 400
    page = no_klant(html(response))
    assert "De termijn liep af op woensdag 6 mei 2026. Verlengen kan alleen voor die datum." in page
    assert '<details class="action-panel" id="paneel-verlengen" open>' in page
    assert written() == (1, 0, 0, 0)
    bezwaar.refresh_from_db()
    assert bezwaar.due_date == dt.date(2026, 5, 6)


def test_a_step_with_missing_data_shows_the_error_in_the_form(client, bezwaar):
    response = client.post(
        f"/termijnen/{bezwaar.uuid}/vertragingsbericht/", {"vertragingsbericht-reason": ""}
    )
    assert response.status_code == 400
    page = no_klant(html(response))
    assert "Controleer wat u heeft ingevuld" in page
    assert written() == (1, 0, 0, 0)


def test_after_its_one_extension_a_woo_request_has_no_extend_panel(client, register, handler):
    woo = register("woo-verzoek")
    services.extend(user=handler, request=woo, reason="Er zijn veel stukken.")
    page = html(client.get(f"/termijnen/{woo.uuid}/"))
    assert "verlengen" not in panels(page)
    assert "Verder uitstel met instemming van de inwoner" not in page


# ---- the calculator -----------------------------------------------------------------------------------------
def test_the_calculator_shows_the_due_date_and_why(client):
    response = client.get("/termijnen/rekenen/?start=2026-03-24&term=P6W&regime=atw")
    assert response.status_code == 200
    page = no_klant(html(response))
    assert "Uiterlijk op woensdag 6 mei 2026" in page
    assert "Atw art. 1" in page
    assert "dinsdag 5 mei 2026, een algemeen erkende feestdag" in page


def test_the_calculator_explains_a_bad_term_in_dutch(client):
    response = client.get("/termijnen/rekenen/?start=2026-03-24&term=6W&regime=atw")
    assert response.status_code == 200
    page = no_klant(html(response))
    assert "Geef de termijn als ISO 8601-duur in dagen, weken, maanden of jaren" in page
    assert "Uiterlijk op" not in page


def test_the_calculator_with_amount_and_unit(client):
    page = html(client.get("/termijnen/rekenen/?start=2026-03-24&amount=6&unit=W&regime=eu"))
    assert "Uiterlijk op woensdag 6 mei 2026" in page
    assert "Verordening 1182/71 art. 3 lid 4" in page


def test_the_calculator_takes_every_term_the_api_takes(client):
    page = html(client.get("/termijnen/rekenen/?start=2026-03-24&term=P1M2W&regime=atw"))
    assert "Dit veld is vereist." not in page
    assert "Uiterlijk op vrijdag 8 mei 2026" in page


def test_a_bad_term_in_the_calculator_gives_only_the_term_error(client):
    page = html(client.get("/termijnen/rekenen/?start=2026-03-24&term=6W&regime=atw"))
    assert "Geef de termijn als ISO 8601-duur" in page
    assert "Dit veld is vereist." not in page


def test_the_calculator_on_its_own(client):
    page = no_klant(html(client.get("/termijnen/rekenen/")))
    assert "Termijn uitrekenen" in page and "Uiterlijk op" not in page


# ---- the resident overview --------------------------------------------------------------------------------
def test_the_resident_overview_shows_the_open_request_and_the_notice(
    client, register, handler, resident
):
    from django.urls import reverse

    obj = register()  # due Tuesday 19 May
    overview = reverse("resident-overview", kwargs={"uuid": resident.uuid})
    page = no_klant(html(client.get(overview)))
    assert "Bijzondere bijstand voor een wasmachine" in page
    assert "Uiterlijk besluiten op dinsdag 19 mei 2026" in page
    assert f'href="/termijnen/{obj.uuid}/"' in page
    assert "bericht gestuurd op" not in page

    services.send_delay_notice(
        user=handler,
        request=obj,
        reason="Wij wachten op een rapport.",
        expected_on=dt.date(2026, 6, 2),
    )
    page = no_klant(html(client.get(overview)))
    # The notice named the new term (Awb 4:14 lid 3): one date, the due date.
    assert (
        "Uiterlijk besluiten op dinsdag 2 juni 2026 · bericht gestuurd op woensdag 15 april 2026"
        in page
    )
    assert page.count("uiterlijk") + page.count("Uiterlijk") == 1

    services.decide(user=handler, request=obj, decided_on=dt.date(2026, 4, 15))
    assert "Uiterlijk besluiten op" not in html(client.get(overview))
