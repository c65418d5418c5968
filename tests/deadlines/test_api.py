"""/api/v1/deadlines/due-date, /api/v1/request-types/ and /api/v1/requests/ over HTTP (APIClient
with a real token): the term arithmetic with its explanation, bad input refused as a 400 problem
naming the field (and nothing written), the request types from the law, registering a request
with its due date counted at once, the list (earliest due date first, filters) and every step
with its 409 when it does not fit, the penalty after an ingebrekestelling, other organisations
kept out, every read of a resident's request logged, and few queries for the list."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from rest_framework.test import APIClient

from eenloket.core.calendar import AMSTERDAM
from eenloket.core.models import AccessLog
from eenloket.core.roles import Role
from eenloket.deadlines import services
from eenloket.deadlines.models import DelayNotice, Extension, TrackedRequest
from eenloket.messaging.models import Message

from ..conftest import problem
from ..factories import ResidentFactory, TeamFactory, staff

pytestmark = pytest.mark.django_db

# Wednesday 15 April 2026, 10:00 in Enschede.
NOW = dt.datetime(2026, 4, 15, 10, 0, tzinfo=AMSTERDAM)
DUE_DATE = "/api/v1/deadlines/due-date"
TYPES = "/api/v1/request-types/"
LIST = "/api/v1/requests/"

# The requests used below, all of Gemeente Enschede:
# - aanvraag received Tuesday 24 March 2026: 8 weeks (Awb 4:13), due Tuesday 19 May 2026;
# - bezwaar against a decision published 10 February: the objection period ends Tuesday 24 March,
#   6 weeks after it is Tuesday 5 May (Bevrijdingsdag), so due Wednesday 6 May 2026;
# - woo-verzoek received 24 March: 4 weeks, due Tuesday 21 April 2026.


def at(day: dt.date, hour=10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=AMSTERDAM)


def names(body) -> set[str]:
    return {p["name"] for p in body["invalid_params"]}


def url(obj, step="") -> str:
    uuid = obj["uuid"] if isinstance(obj, dict) else obj.uuid
    return f"{LIST}{uuid}/" + (f"{step}/" if step else "")


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
def client(api_as, handler):
    return api_as(handler)


@pytest.fixture
def maastricht_staff(maastricht):
    team = TeamFactory(organisation=maastricht, name="Bezwaar Maastricht")
    return staff(maastricht, Role.BALIEMEDEWERKER, team=team, username="bezwaar.maastricht")


def new_request(team, resident, **extra):
    return {
        "organisation": "gemeente-enschede",
        "request_type": "aanvraag",
        "subject": "Bijzondere bijstand voor een wasmachine",
        "team": str(team.uuid),
        "received_on": "2026-03-24",
        "resident": str(resident.uuid),
        **extra,
    }


def bezwaar(register):
    return register(
        "bezwaar",
        received_on=dt.date(2026, 3, 20),
        decision_published_on=dt.date(2026, 2, 10),
        subject="Bezwaar tegen de aanslag",
    )


# ---- the arithmetic ---------------------------------------------------------------------------------
def test_the_due_date_of_six_weeks_after_24_march_skips_bevrijdingsdag(client):
    response = client.get(DUE_DATE, {"start": "2026-03-24", "term": "P6W"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["due_date"] == "2026-05-06"
    assert body["rules"] == ["atw-1"]
    assert body["regime"] == "atw"
    assert "5 mei 2026" in body["explanation"]
    assert "Atw art. 1" in body["explanation"]
    assert "woensdag 6 mei 2026" in body["explanation"]


def test_the_due_date_under_eu_law_and_on_the_plain_calendar(client):
    eu = client.get(DUE_DATE, {"start": "2026-03-24", "term": "P6W", "regime": "eu"}).json()
    assert eu["due_date"] == "2026-05-06"
    assert eu["rules"] == ["eu-3-4"] and eu["regime"] == "eu"
    assert "Verordening 1182/71 art. 3 lid 4" in eu["explanation"]
    assert "Atw" not in eu["explanation"]

    plain = client.get(DUE_DATE, {"start": "2026-03-24", "term": "P6W", "regime": "kalender"})
    assert plain.json() == {
        "due_date": "2026-05-05",
        "explanation": "6 weken na 24 maart 2026 is dinsdag 5 mei 2026.",
        "rules": [],
        "regime": "kalender",
    }


def test_the_api_answers_in_dutch_even_when_the_client_asks_for_english(client):
    """The project ignores Accept-Language on purpose (core.middleware.DutchFirstLocaleMiddleware:
    Dutch unless the language cookie says otherwise); the explanation stays Dutch."""
    response = client.get(
        DUE_DATE, {"start": "2026-03-24", "term": "P6W"}, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"
    )
    assert response.status_code == 200
    assert response["Content-Language"] == "nl"
    assert response.json()["explanation"] == (
        "6 weken na 24 maart 2026 is dinsdag 5 mei 2026, een algemeen erkende feestdag; "
        "de termijn loopt door tot woensdag 6 mei 2026 (Atw art. 1)."
    )


def test_with_english_chosen_the_explanation_is_not_half_dutch_half_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(DUE_DATE, {"start": "2026-03-24", "term": "P6W"})
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    explanation = response.json()["explanation"]
    english_dates = "May 2026" in explanation
    dutch_words = bool(re.search(r"\b(weken|feestdag|loopt door)\b", explanation))
    assert not (english_dates and dutch_words), explanation


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"term": "P6W"}, "start"),
        ({"start": "2026-13-01", "term": "P6W"}, "start"),
        ({"start": "24-03-2026", "term": "P6W"}, "start"),
        ({"start": "1999-12-31", "term": "P6W"}, "start"),
        ({"start": "2026-03-24"}, "term"),
        ({"start": "2026-03-24", "term": "6W"}, "term"),
        ({"start": "2026-03-24", "term": "PT6H"}, "term"),
        ({"start": "2026-03-24", "term": "P0D"}, "term"),
        ({"start": "2026-03-24", "term": "P6W", "regime": "xyz"}, "regime"),
    ],
)
def test_bad_input_for_the_arithmetic_is_a_400_problem_naming_the_field(client, query, field):
    body = problem(client.get(DUE_DATE, query), 400)
    assert names(body) == {field}
    reason = body["invalid_params"][0]["reason"]
    assert reason and "klant" not in reason.lower()


def test_the_term_error_tells_how_to_write_a_term(client):
    body = problem(client.get(DUE_DATE, {"start": "2026-03-24", "term": "6 weken"}), 400)
    assert "P6W" in body["invalid_params"][0]["reason"]


def test_the_arithmetic_is_for_signed_in_staff_only(no_membership_user, api_as):
    anonymous = problem(APIClient().get(DUE_DATE, {"start": "2026-03-24", "term": "P6W"}), 401)
    assert anonymous["title"] == "U bent niet ingelogd."
    problem(api_as(no_membership_user).get(DUE_DATE, {"start": "2026-03-24", "term": "P6W"}), 403)


# ---- the request types ----------------------------------------------------------------------------------
def test_the_seven_shared_request_types_with_their_terms(client):
    response = client.get(TYPES)
    assert response.status_code == 200
    types = {t["code"]: t for t in response.json()}
    assert set(types) == {
        "aanvraag",
        "wmo-melding",
        "wmo-aanvraag",
        "bezwaar",
        "klacht",
        "woo-verzoek",
        "avg-inzage",
    }
    assert all(t["organisation"] is None for t in types.values())
    summary = {
        code: (t["term"], t["article"], t["extension"], t["regime"]) for code, t in types.items()
    }
    assert summary == {
        "aanvraag": ("P8W", "Awb 4:13", "", "atw"),
        "wmo-melding": ("P6W", "Wmo 2015 art. 2.3.2 lid 1", "", "atw"),
        "wmo-aanvraag": ("P2W", "Wmo 2015 art. 2.3.5 lid 1", "", "atw"),
        "bezwaar": ("P6W", "Awb 7:10 lid 1", "P6W", "atw"),
        "klacht": ("P6W", "Awb 9:11 lid 1", "P4W", "atw"),
        "woo-verzoek": ("P4W", "Woo art. 4.4 lid 1", "P2W", "atw"),
        "avg-inzage": ("P1M", "AVG art. 12 lid 3", "P2M", "eu"),
    }
    assert types["bezwaar"]["extension_article"] == "Awb 7:10 lid 3"
    assert types["bezwaar"]["further_with_consent"] is True
    assert types["bezwaar"]["starts"] == "einde-bezwaartermijn"
    assert types["woo-verzoek"]["penalty_applies"] is False
    assert types["aanvraag"]["penalty_applies"] is True


# ---- registering --------------------------------------------------------------------------------------------
def test_a_request_is_registered_with_its_due_date_counted_at_once(client, team, resident):
    response = client.post(
        LIST,
        new_request(
            team,
            resident,
            request_type="bezwaar",
            subject="Bezwaar tegen de aanslag",
            received_on="2026-03-20",
            decision_published_on="2026-02-10",
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation"] == "gemeente-enschede"
    assert body["request_type"]["code"] == "bezwaar"
    assert body["team"] == {"uuid": str(team.uuid), "name": "Bezwaar en klachten"}
    assert body["resident"] == str(resident.uuid)
    assert body["state"] == "open" and body["state_label"] == "In behandeling"
    assert body["due_date"] == body["original_due_date"] == "2026-05-06"
    assert body["due_explanation"].startswith("Bezwaartermijn (Awb 6:7)")
    assert "Awb 7:10 lid 1" in body["due_explanation"]
    assert "Atw art. 1" in body["due_explanation"]
    assert re.fullmatch(r"BE-2026-[A-Z2-9]{5}", body["reference"])
    assert body["penalty"] == {"days": 0, "euros": 0}
    assert body["suspensions"] == body["extensions"] == body["notices"] == []
    assert set(body["available_actions"]) == {
        "suspend",
        "extend",
        "delay-notice",
        "default-notice",
        "decide",
        "withdraw",
    }
    stored = TrackedRequest.objects.get(uuid=body["uuid"])
    assert stored.due_date == dt.date(2026, 5, 6) and stored.resident == resident


def test_an_aanvraag_offers_no_extension(client, team, resident):
    body = client.post(LIST, new_request(team, resident), format="json").json()
    assert body["due_date"] == "2026-05-19"
    assert "extend" not in body["available_actions"]
    assert "suspend" in body["available_actions"] and "decide" in body["available_actions"]


def test_registering_with_a_handler_of_the_organisation(client, team, resident, handler):
    body = client.post(
        LIST, new_request(team, resident, handler=str(handler.uuid)), format="json"
    ).json()
    assert body["handler"] == {"uuid": str(handler.uuid), "name": "Sanne Bakker"}


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"subject": None}, {"subject"}),
        ({"subject": "   "}, {"subject"}),
        ({"team": None}, {"team"}),
        ({"team": "geen-uuid"}, {"team"}),
        ({"received_on": "2026-04-16"}, {"received_on"}),  # tomorrow
        ({"received_on": "1999-12-31"}, {"received_on"}),
        ({"received_on": "24-03-2026"}, {"received_on"}),
        ({"request_type": "paspoort"}, {"request_type"}),
        ({"organisation": "gemeente-nergens"}, {"organisation"}),
        ({"resident": "00000000-0000-0000-0000-000000000000"}, {"resident"}),
        ({"advisory_committee": True}, {"advisory_committee"}),
        ({"request_type": "bezwaar"}, {"decision_published_on"}),
        (
            {"request_type": "bezwaar", "decision_published_on": "2026-03-25"},
            {"decision_published_on"},
        ),
        ({"zaak_url": "geen link"}, {"zaak_url"}),
    ],
)
def test_bad_input_when_registering_is_a_400_problem_and_nothing_is_written(
    client, team, resident, changes, fields
):
    data = {k: v for k, v in {**new_request(team, resident), **changes}.items() if v is not None}
    body = problem(client.post(LIST, data, format="json"), 400)
    assert names(body) == fields, body
    assert written() == (0, 0, 0, 0)


def test_a_team_of_another_organisation_is_refused(client, team, resident, maastricht_staff):
    other_team = maastricht_staff.memberships.get().team
    body = problem(
        client.post(
            LIST, {**new_request(team, resident), "team": str(other_team.uuid)}, format="json"
        ),
        400,
    )
    assert names(body) == {"team"}
    assert body["invalid_params"][0]["reason"] == "Kies een team van deze organisatie."
    assert written() == (0, 0, 0, 0)


def test_another_organisation_cannot_register_for_enschede(
    api_as, maastricht_staff, team, resident
):
    """Without a resident: 403, the organisation is not theirs. With an Enschede resident
    they have no basis to see: 404, exactly as when the resident does not exist (the register
    does not say who is in it). Nothing written either way."""
    other = api_as(maastricht_staff)
    data = new_request(team, resident)
    body = problem(other.post(LIST, {**data, "resident": None}, format="json"), 403)
    assert body["detail"] == "Alleen medewerkers van deze organisatie mogen dit vastleggen."
    problem(other.post(LIST, data, format="json"), 404)
    assert written() == (0, 0, 0, 0)


def test_a_contact_moment_of_another_organisation_cannot_be_linked(
    client, team, resident, maastricht, counter_maastricht
):
    from ..factories import ContactMomentFactory

    theirs = ContactMomentFactory(
        organisation=maastricht, staff=counter_maastricht, resident=resident, question="Vraag"
    )
    response = client.post(
        LIST, {**new_request(team, resident), "contact": str(theirs.uuid)}, format="json"
    )
    # As for any id the user may not see: not found (the register does not say what exists).
    problem(response, 404)
    assert written() == (0, 0, 0, 0)


def test_registering_needs_a_contact_role(api_as, management_enschede, team, resident):
    problem(api_as(management_enschede).post(LIST, new_request(team, resident)), 403)
    assert written() == (0, 0, 0, 0)


# ---- reading ----------------------------------------------------------------------------------------------
def test_another_organisation_gets_404_and_sees_nothing(api_as, maastricht_staff, register):
    obj = register()
    other = api_as(maastricht_staff)
    problem(other.get(url(obj)), 404)
    assert other.get(LIST).json()["results"] == []
    before = AccessLog.objects.filter(object_type="tracked_request").count()
    for step, data in (
        ("decide", {"decided_on": "2026-04-15"}),
        ("suspend", {"starts_on": "2026-04-10", "reason": "Aanvullen"}),
        ("withdraw", {}),
    ):
        problem(other.post(url(obj, step), data, format="json"), 404)
    obj.refresh_from_db()
    assert obj.state == "open" and obj.decided_on is None
    assert AccessLog.objects.filter(object_type="tracked_request").count() == before


def test_reading_a_request_with_a_resident_is_logged(client, handler, register):
    obj = register()
    response = client.get(url(obj))
    assert response.status_code == 200
    assert response.json()["uuid"] == str(obj.uuid)
    row = AccessLog.objects.get(object_type="tracked_request")
    assert row.object_id == str(obj.uuid)
    assert row.action == "read" and row.channel == "api"
    assert row.actor_organisation == "gemeente-enschede"
    assert row.actor_id and row.actor_name == handler.get_full_name()
    assert row.data_subject_id  # pseudonymised: not the BSN itself
    assert obj.resident.bsn not in row.data_subject_id

    client.get(url(obj))
    assert AccessLog.objects.filter(object_type="tracked_request").count() == 2


def test_the_list_logs_one_read_per_request_with_a_resident(client, register):
    with_resident = register()
    register(resident=None, subject="Zonder inwoner")
    assert len(client.get(LIST).json()["results"]) == 2
    rows = AccessLog.objects.filter(object_type="tracked_request")
    assert [r.object_id for r in rows] == [str(with_resident.uuid)]


def test_the_list_is_ordered_by_due_date_and_filters(client, register, enschede, handler):
    aanvraag = register()  # 19 May
    woo = register("woo-verzoek", subject="Stukken over de bouwvergunning")  # 21 April
    objection = bezwaar(register)  # 6 May
    other_team = TeamFactory(organisation=enschede, name="Wmo")
    elsewhere = register("wmo-melding", team=other_team, subject="Traplift")  # 6 May
    services.suspend(
        user=handler, request=aanvraag, starts_on=dt.date(2026, 4, 10), reason="Loonstroken"
    )

    def listed(query=None):
        response = client.get(LIST, query or {})
        assert response.status_code == 200, response.content
        return [r["uuid"] for r in response.json()["results"]]

    # Earliest due date first; a suspended request (no due date while the clock stands still)
    # still listed.
    everything = listed()
    assert set(everything) == {str(o.uuid) for o in (aanvraag, woo, objection, elsewhere)}
    dated = [u for u in everything if u != str(aanvraag.uuid)]
    assert dated[0] == str(woo.uuid)
    assert set(dated[1:]) == {str(objection.uuid), str(elsewhere.uuid)}

    assert listed({"state": "opgeschort"}) == [str(aanvraag.uuid)]
    assert set(listed({"state": "open"})) == {
        str(woo.uuid),
        str(objection.uuid),
        str(elsewhere.uuid),
    }
    assert listed({"team": str(other_team.uuid)}) == [str(elsewhere.uuid)]
    assert listed({"due_before": "2026-05-06"}) == [str(woo.uuid)]
    assert set(listed({"due_before": "2026-05-07"})) == {
        str(woo.uuid),
        str(objection.uuid),
        str(elsewhere.uuid),
    }
    assert listed({"state": "besloten"}) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [({"team": "geen-uuid"}, "team"), ({"due_before": "19-05-2026"}, "due_before")],
)
def test_bad_list_filters_are_400_problems(client, query, field):
    assert names(problem(client.get(LIST, query), 400)) == {field}


def _list_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(LIST)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200
    return len(queries.captured_queries)


def _ten_requests(register, handler, notices=4):
    for i in range(10):
        obj = register(received_on=dt.date(2026, 3, 1) + dt.timedelta(days=i), subject=f"Nr {i}")
        if i < notices:
            services.send_delay_notice(
                user=handler,
                request=obj,
                reason="Advies van de GGD is nodig",
                expected_on=dt.date(2026, 6, 30),
            )


def test_the_list_needs_a_bounded_number_of_queries(
    client, register, handler, django_assert_max_num_queries
):
    _ten_requests(register, handler)
    client.get(LIST)  # warm-up
    # Token, scope, requests, suspensions, extensions, notices, the access log: 7, plus room.
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert len(response.json()["results"]) == 10


def test_the_queries_of_the_list_do_not_grow_with_the_number_of_requests(client, register):
    register(subject="De eerste")
    one = _list_queries(client)
    for i in range(9):
        register(received_on=dt.date(2026, 3, 1) + dt.timedelta(days=i), subject=f"Nr {i}")
    assert _list_queries(client) == one


def test_the_queries_of_the_list_do_not_grow_with_the_number_of_notices(client, register, handler):
    _ten_requests(register, handler, notices=1)
    one = _list_queries(client)
    for obj in TrackedRequest.objects.filter(notices__isnull=True)[:3]:
        services.send_delay_notice(
            user=handler, request=obj, reason="Advies", expected_on=dt.date(2026, 6, 30)
        )
    assert _list_queries(client) == one


# ---- the steps -------------------------------------------------------------------------------------------------
def test_suspend_and_resume_move_the_due_date(client, register):
    obj = register()  # due Tuesday 19 May
    response = client.post(
        url(obj, "suspend"),
        {"starts_on": "2026-04-10", "reason": "Loonstroken ontbreken"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "opgeschort" and body["due_date"] is None
    assert body["days_left"] == 39  # 10 April to 19 May
    assert body["suspensions"] == [
        {
            "starts_on": "2026-04-10",
            "ends_on": None,
            "respond_by": None,
            "reason": "Loonstroken ontbreken",
            "days": 0,
        }
    ]
    assert "resume" in body["available_actions"]
    assert "suspend" not in body["available_actions"]
    assert "extend" not in body["available_actions"]

    body = client.post(url(obj, "resume"), {"ends_on": "2026-04-15"}, format="json").json()
    assert body["state"] == "open"
    # Stopped 11-14 April (Awb 4:15 lid 1): 19 May plus 4 days is Saturday 23 May, then
    # Sunday and Tweede Pinksterdag: Tuesday 26 May.
    assert body["due_date"] == "2026-05-26"
    assert body["original_due_date"] == "2026-05-19"
    assert "plus 4 dagen opschorting (Awb 4:15)" in body["due_explanation"]
    assert body["suspensions"][0]["ends_on"] == "2026-04-15"
    assert body["suspensions"][0]["days"] == 4
    assert "resume" not in body["available_actions"]


def test_extending_a_bezwaar_sends_the_notice(client, register):
    obj = bezwaar(register)  # due Wednesday 6 May
    response = client.post(
        url(obj, "extend"), {"reason": "Wij wachten op het advies van de GGD."}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["due_date"] == "2026-06-17"  # 6 weeks more (Awb 7:10 lid 3)
    assert body["original_due_date"] == "2026-05-06"
    assert body["expected_on"] == "2026-06-17"
    assert body["state"] == "open"
    assert body["extensions"] == [
        {
            "kind": "wettelijk",
            "term": "P6W",
            "article": "Awb 7:10 lid 3",
            "reason": "Wij wachten op het advies van de GGD.",
            "due_date_before": "2026-05-06",
            "due_date_after": "2026-06-17",
        }
    ]
    [notice] = body["notices"]
    assert notice["extension"] is True and notice["timely"] is True
    assert notice["sent_on"] == "2026-04-15" and notice["expected_on"] == "2026-06-17"
    assert notice["due_date_then"] == "2026-05-06"
    assert notice["channel"] == "post"  # Anna de Boer wants letters
    message = Message.objects.get()
    assert message.channel == "post" and message.letter_id is not None
    assert message.resident == obj.resident
    assert message.cause_id == str(obj.uuid)


def test_a_further_delay_of_a_bezwaar_needs_the_residents_consent(client, register):
    obj = bezwaar(register)
    client.post(url(obj, "extend"), {"reason": "Advies van de GGD"}, format="json")
    assert Extension.objects.count() == 1

    body = problem(
        client.post(url(obj, "extend"), {"reason": "Nog geen advies"}, format="json"), 400
    )
    assert names(body) == {"term"}
    body = problem(
        client.post(
            url(obj, "extend"), {"reason": "Nog geen advies", "term": "P2W"}, format="json"
        ),
        400,
    )
    assert names(body) == {"consent_note"}
    assert Extension.objects.count() == 1

    body = client.post(
        url(obj, "extend"),
        {"reason": "Nog geen advies", "term": "P2W", "consent_note": "Akkoord per telefoon"},
        format="json",
    ).json()
    assert [e["kind"] for e in body["extensions"]] == ["wettelijk", "instemming"]
    assert body["extensions"][1]["due_date_before"] == "2026-06-17"
    assert body["due_date"] == "2026-07-01"  # 17 June plus 2 weeks
    assert [n["extension"] for n in body["notices"]] == [True, True]


def test_extending_a_woo_request_by_the_two_weeks_of_the_woo(client, register):
    obj = register("woo-verzoek")  # due Tuesday 21 April
    body = client.post(
        url(obj, "extend"), {"reason": "Er zijn veel stukken."}, format="json"
    ).json()
    # 21 April plus 2 weeks is Tuesday 5 May, Bevrijdingsdag: Wednesday 6 May.
    assert body["due_date"] == "2026-05-06"
    assert body["extensions"][0]["article"] == "Woo art. 4.4 lid 2"
    assert body["notices"][0]["extension"] is True and body["notices"][0]["timely"] is True

    again = client.post(url(obj, "extend"), {"reason": "Nog meer stukken."}, format="json")
    assert problem(again, 409)["code"] == "no_extension"
    assert Extension.objects.count() == 1


def test_a_longer_extension_than_the_law_allows_is_refused(client, register):
    obj = register("woo-verzoek")
    body = problem(
        client.post(url(obj, "extend"), {"reason": "Veel stukken", "term": "P3W"}, format="json"),
        400,
    )
    assert names(body) == {"term"}
    assert written() == (1, 0, 0, 0)


def test_after_its_one_extension_a_woo_request_offers_no_extend(client, register):
    obj = register("woo-verzoek")
    body = client.post(url(obj, "extend"), {"reason": "Er zijn veel stukken."}, format="json")
    assert body.status_code == 200
    assert "extend" not in body.json()["available_actions"]


def test_extending_after_the_term_ended_is_a_409_term_expired(client, register, frozen):
    obj = bezwaar(register)  # due Wednesday 6 May
    frozen.move_to(at(dt.date(2026, 5, 7)))
    response = client.post(url(obj, "extend"), {"reason": "Te laat bedacht"}, format="json")
    body = problem(response, 409)
    assert body["code"] == "term_expired"
    assert "woensdag 6 mei 2026" in body["detail"]
    assert written() == (1, 0, 0, 0)
    obj.refresh_from_db()
    assert obj.due_date == dt.date(2026, 5, 6)


def test_extending_on_the_last_day_is_still_in_time(client, register, frozen):
    obj = bezwaar(register)
    frozen.move_to(at(dt.date(2026, 5, 6), 16))
    body = client.post(url(obj, "extend"), {"reason": "Advies komt later"}, format="json").json()
    assert body["due_date"] == "2026-06-17"
    assert body["notices"][0]["timely"] is True


def test_an_aanvraag_cannot_be_extended(client, register):
    obj = register()
    body = problem(client.post(url(obj, "extend"), {"reason": "Druk"}, format="json"), 409)
    assert body["code"] == "no_extension"
    assert "Stuur een bericht dat het besluit later komt" in body["detail"]
    assert written() == (1, 0, 0, 0)


def test_a_delay_notice_in_time_and_after_the_term(client, register, frozen):
    obj = register("wmo-melding")  # a statutory term: due Wednesday 6 May
    body = client.post(
        url(obj, "delay-notice"),
        {"reason": "Wij wachten op een rapport.", "expected_on": "2026-06-02"},
        format="json",
    ).json()
    [notice] = body["notices"]
    assert notice["timely"] is True and notice["extension"] is False
    assert notice["channel"] == "post"
    assert body["due_date"] == "2026-05-06"  # a notice moves no legal term
    assert body["expected_on"] == "2026-06-02"

    frozen.move_to(at(dt.date(2026, 5, 20)))
    body = client.post(
        url(obj, "delay-notice"),
        {"reason": "Het rapport is er nog niet.", "expected_on": "2026-06-16"},
        format="json",
    ).json()
    assert [n["timely"] for n in body["notices"]] == [True, False]
    assert body["notices"][1]["sent_on"] == "2026-05-20"
    assert body["due_date"] == "2026-05-06"
    assert Message.objects.filter(channel="post").count() == 2


def test_a_delay_notice_with_a_date_before_the_due_date_is_refused(client, register):
    obj = register()
    body = problem(
        client.post(
            url(obj, "delay-notice"),
            {"reason": "Druk", "expected_on": "2026-05-01"},
            format="json",
        ),
        400,
    )
    assert names(body) == {"expected_on"}
    assert written() == (1, 0, 0, 0)


def test_a_penalty_runs_after_an_ingebrekestelling_on_a_late_aanvraag(client, register, frozen):
    obj = register()  # due Tuesday 19 May
    early = client.post(url(obj, "default-notice"), {"received_on": "2026-04-15"}, format="json")
    assert names(problem(early, 400)) == {"received_on"}

    frozen.move_to(at(dt.date(2026, 5, 20)))
    body = client.post(
        url(obj, "default-notice"), {"received_on": "2026-05-20"}, format="json"
    ).json()
    assert body["default_notice_on"] == "2026-05-20"
    assert body["penalty"] == {"days": 0, "euros": 0}  # two weeks first

    # From Thursday 4 June (two weeks after 20 May), up to and including Wednesday 10 June:
    # 7 days of € 23 (Awb 4:17).
    frozen.move_to(at(dt.date(2026, 6, 10)))
    body = client.get(url(obj)).json()
    assert body["penalty"] == {"days": 7, "euros": 7 * 23}

    body = client.post(url(obj, "decide"), {"decided_on": "2026-06-10"}, format="json").json()
    assert body["state"] == "besloten" and body["decided_in_time"] is False
    assert body["penalty"] == {"days": 6, "euros": 6 * 23}  # up to the day before the decision


def test_no_penalty_for_a_woo_request(client, register, frozen):
    obj = register("woo-verzoek")  # due Tuesday 21 April
    frozen.move_to(at(dt.date(2026, 6, 10)))
    body = client.post(
        url(obj, "default-notice"), {"received_on": "2026-04-22"}, format="json"
    ).json()
    assert body["default_notice_on"] == "2026-04-22"
    assert body["penalty"] == {"days": 0, "euros": 0}


def test_deciding_in_time_closes_the_request(client, register):
    obj = bezwaar(register)
    body = client.post(
        url(obj, "decide"), {"decided_on": "2026-04-15", "note": "Bezwaar gegrond"}, format="json"
    ).json()
    assert body["state"] == "besloten" and body["state_label"] == "Besloten"
    assert body["decided_on"] == "2026-04-15" and body["decided_in_time"] is True
    assert body["available_actions"] == []


def test_a_decision_in_the_future_is_refused(client, register):
    obj = register()
    body = problem(
        client.post(url(obj, "decide"), {"decided_on": "2026-04-16"}, format="json"), 400
    )
    assert names(body) == {"decided_on"}
    obj.refresh_from_db()
    assert obj.state == "open"


def test_a_step_that_does_not_fit_the_state_is_a_409(client, register):
    obj = register()
    body = problem(client.post(url(obj, "resume"), {"ends_on": "2026-04-15"}, format="json"), 409)
    assert body["code"] == "invalid_transition"
    assert body["detail"] == "“Hervatten” kan niet: het verzoek staat op “In behandeling”."

    client.post(url(obj, "decide"), {"decided_on": "2026-04-15"}, format="json")
    for step, data in (
        ("decide", {"decided_on": "2026-04-15"}),
        ("suspend", {"starts_on": "2026-04-15", "reason": "Aanvullen"}),
        ("delay-notice", {"reason": "Later", "expected_on": "2026-06-01"}),
        ("withdraw", {}),
    ):
        assert problem(client.post(url(obj, step), data, format="json"), 409)["code"] == (
            "invalid_transition"
        ), step
    assert written() == (1, 0, 0, 0)


def test_withdrawing(client, register):
    obj = register()
    body = client.post(url(obj, "withdraw"), {"note": "Inwoner belde"}, format="json").json()
    assert body["state"] == "ingetrokken" and body["available_actions"] == []


def test_every_available_action_is_a_step_of_the_api(client, register):
    obj = register()
    actions = client.get(url(obj)).json()["available_actions"]
    for action in actions:
        response = client.post(url(obj, action), {}, format="json")
        assert response.status_code != 404, action


def test_a_request_without_a_resident_gets_no_notice(client, register):
    obj = register("woo-verzoek", resident=None)
    body = problem(client.post(url(obj, "extend"), {"reason": "Veel stukken"}, format="json"), 400)
    assert "Koppel eerst de inwoner" in body["invalid_params"][0]["reason"]
    assert written() == (1, 0, 0, 0)


def test_a_resident_who_cannot_be_reached_gets_no_silent_extension(client, register):
    unreachable = ResidentFactory(
        given_names="Piet",
        surname="Zonderadres",
        street="",
        house_number=None,
        postcode="",
        city="",
        phone="",
        email="",
        preferred_channel="post",
    )
    obj = register("woo-verzoek", resident=unreachable)
    response = client.post(url(obj, "extend"), {"reason": "Veel stukken"}, format="json")
    assert response.status_code == 400
    assert written() == (1, 0, 0, 0)
    obj.refresh_from_db()
    assert obj.due_date == dt.date(2026, 4, 21)
