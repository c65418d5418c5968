"""/api/v1/appointments/ and /api/v1/appointment-schedules/ over HTTP (APIClient with a real
token): free slots, booking until the slot is full (409 slot_taken), bad input refused with
nothing written, the day list scoped to the organisations involved, every step with
available_actions following the state, internal meetings, hours managed by each
organisation's functional admin, the pilot figures, and the last free slot taken by exactly one
of several clients at the same moment."""

import datetime as dt
import re

import pytest
import time_machine
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from eenloket.appointments.models import Appointment, Occupancy, Schedule
from eenloket.contacts.models import ContactMoment
from eenloket.core.calendar import AMSTERDAM
from eenloket.core.roles import Role
from eenloket.messaging.models import Message

from ..concurrency import race
from ..conftest import problem
from ..factories import staff

# Monday 7 December 2026, 08:00 in Maastricht. SVB holds hours at the town hall on Tuesday
# 9–12 (two employees, two desks: two residents per slot) and Thursday 13–16 (one of each).
NOW = dt.datetime(2026, 12, 7, 8, 0, tzinfo=AMSTERDAM)
TUESDAY = dt.date(2026, 12, 8)
WEDNESDAY = dt.date(2026, 12, 9)
THURSDAY = dt.date(2026, 12, 10)

LIST = "/api/v1/appointments/"
SLOTS = "/api/v1/appointments/slots/"
MEETINGS = "/api/v1/appointments/meetings/"
SCHEDULES = "/api/v1/appointment-schedules/"
FIGURES = "/api/v1/appointments/figures/"
REFERENCE = re.compile(r"^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$")


def at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)


def when(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def names(body) -> set[str]:
    """The fields of the invalid_params; an item of a list ("needs.0") counts as the list."""
    return {re.sub(r"\.\d+$", "", p["name"]) for p in body["invalid_params"]}


def booking(th, starts_at, **extra):
    return {
        "location": str(th.location.uuid),
        "service": str(th.aow.uuid),
        "starts_at": starts_at.isoformat(),
        "given_name": "Joost",
        "surname": "Hermans",
        "email": "joost@example.nl",
        "phone": "06 12345678",
        **extra,
    }


def book(client, th, starts_at, **extra):
    return client.post(LIST, booking(th, starts_at, **extra), format="json")


def booked(client, th, starts_at, **extra) -> dict:
    response = book(client, th, starts_at, **extra)
    assert response.status_code == 201, response.content
    return response.json()


def written():
    return Appointment.objects.count(), Occupancy.objects.count(), Message.objects.count()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def counter(api_as, town_hall):
    """The town hall's counter (the location's own organisation: the host)."""
    return api_as(town_hall.counter)


@pytest.fixture
def enschede_counter(enschede):
    """A counter employee of an organisation that has nothing to do with the town hall."""
    return staff(enschede, Role.BALIEMEDEWERKER, username="balie.enschede.ander")


# ---- free slots ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_free_slots_with_the_organisation_code(frozen, town_hall, counter):
    th = town_hall
    query = {
        "location": str(th.location.uuid),
        "service": str(th.aow.uuid),
        "date_from": TUESDAY.isoformat(),
        "date_to": THURSDAY.isoformat(),
    }
    response = counter.get(SLOTS, query)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["needs_unmet"] is False
    starts = [when(s["starts_at"]) for s in body["slots"]]
    tuesday = [at(TUESDAY, 9, 0) + dt.timedelta(minutes=30 * i) for i in range(6)]
    thursday = [at(THURSDAY, 13, 0) + dt.timedelta(minutes=30 * i) for i in range(6)]
    assert starts == tuesday + thursday
    assert {s["organisation"] for s in body["slots"]} == {"svb"}
    assert all(
        when(s["ends_at"]) - when(s["starts_at"]) == dt.timedelta(minutes=30) for s in body["slots"]
    )

    # A hearing loop: Tuesday has the loop desk, Thursday only the plain desk.
    body = counter.get(SLOTS, {**query, "needs": "ringleiding"}).json()
    assert [when(s["starts_at"]) for s in body["slots"]] == tuesday
    assert body["needs_unmet"] is False
    # Easy language only on Thursday (Bram is not trained): nothing, said plainly.
    thursday_only = {**query, "date_from": THURSDAY.isoformat()}
    body = counter.get(SLOTS, {**thursday_only, "needs": "eenvoudige-taal"}).json()
    assert body == {"slots": [], "needs_unmet": True}
    # Extra time: a slot twice as long.
    body = counter.get(SLOTS, {**thursday_only, "needs": "extra-tijd,anders"}).json()
    assert body["slots"] and all(
        when(s["ends_at"]) - when(s["starts_at"]) == dt.timedelta(hours=1) for s in body["slots"]
    )


@pytest.mark.django_db
def test_a_full_slot_is_no_longer_offered_and_a_cancelled_one_is_again(frozen, town_hall, counter):
    th = town_hall
    query = {
        "location": str(th.location.uuid),
        "service": str(th.aow.uuid),
        "date_from": THURSDAY.isoformat(),
        "date_to": THURSDAY.isoformat(),
    }
    offered = counter.get(SLOTS, query).json()["slots"]
    # A slot's starts_at is taken back as it is.
    data = {**booking(th, at(THURSDAY, 13)), "starts_at": offered[0]["starts_at"]}
    response = counter.post(LIST, data, format="json")
    assert response.status_code == 201, response.content
    first = response.json()
    assert when(first["starts_at"]) == at(THURSDAY, 13)
    starts = [when(s["starts_at"]) for s in counter.get(SLOTS, query).json()["slots"]]
    assert at(THURSDAY, 13) not in starts and at(THURSDAY, 13, 30) in starts
    counter.post(f"{LIST}{first['uuid']}/cancel/", {"reason": "Dubbel"}, format="json")
    starts = [when(s["starts_at"]) for s in counter.get(SLOTS, query).json()["slots"]]
    assert at(THURSDAY, 13) in starts


BAD_SLOT_QUERIES = [
    ({"location": None}, "location"),
    ({"service": None}, "service"),
    ({"date_from": None}, "date_from"),
    ({"date_to": None}, "date_to"),
    ({"date_from": "8-12-2026"}, "date_from"),
    ({"date_to": "2026-13-01"}, "date_to"),
    ({"needs": "ringleiding,vliegen"}, "needs"),
    ({"service": "passport"}, "service"),  # not offered with appointments here
    ({"location": "geen-uuid"}, "location"),
    ({"service": "12345"}, "service"),
    ({"location": "00000000-0000-0000-0000-000000000000"}, "location"),
    ({"location": "3caaf311-aa88-1eb1-9174-a772b4e8d0f2\x00"}, "location"),
]


@pytest.mark.django_db
def test_bad_slot_queries_are_400_problems(frozen, town_hall, counter):
    th = town_hall
    valid = {
        "location": str(th.location.uuid),
        "service": str(th.aow.uuid),
        "date_from": TUESDAY.isoformat(),
        "date_to": TUESDAY.isoformat(),
    }
    for changes, field in BAD_SLOT_QUERIES:
        if changes.get("service") == "passport":
            changes = {"service": str(th.passport.uuid)}
        query = {k: v for k, v in {**valid, **changes}.items() if v is not None}
        body = problem(counter.get(SLOTS, query), 400)
        assert names(body) == {field}, (changes, body)


@pytest.mark.django_db
def test_past_or_empty_periods_have_no_slots_and_a_long_one_is_cut_at_62_days(
    frozen, town_hall, counter
):
    th = town_hall
    query = {"location": str(th.location.uuid), "service": str(th.aow.uuid)}

    def found(date_from, date_to):
        response = counter.get(SLOTS, {**query, "date_from": date_from, "date_to": date_to})
        assert response.status_code == 200, response.content
        return [when(s["starts_at"]) for s in response.json()["slots"]]

    assert found("2026-11-01", "2026-11-30") == []  # all past
    assert found("2026-12-10", "2026-12-08") == []  # ends before it begins
    assert found("2026-11-01", "2026-12-08")[0] == at(TUESDAY, 9)  # from today on
    # Searched from date_from for 62 days: Tuesday 8 December up to Sunday 7 February.
    starts = found(TUESDAY.isoformat(), "2027-03-31")
    assert starts[0] == at(TUESDAY, 9)
    assert starts[-1] == at(dt.date(2027, 2, 4), 15, 30)  # the last Thursday before the cut


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "query"),
    [
        (LIST, {"date": "9999-12-31"}),
        (LIST, {"date": "0001-01-01"}),
        (SLOTS, {"date_from": "9999-12-01", "date_to": "9999-12-31"}),
        (SLOTS, {"date_from": "0001-01-01", "date_to": "0001-01-02"}),
        (FIGURES, {"date_from": "9999-12-01", "date_to": "9999-12-31"}),
        (FIGURES, {"date_from": "0001-01-01", "date_to": "0001-01-02"}),
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_answered_not_a_500(
    frozen, town_hall, api_as, path, query
):
    """Year 1 and year 9999 are valid dates in the schema: an answer (nothing there, or a 400
    problem), never an OverflowError."""
    th = town_hall
    client = api_as(th.svb_admin if path == FIGURES else th.counter)
    client.raise_request_exception = False
    if path == SLOTS:
        query = {**query, "location": str(th.location.uuid), "service": str(th.aow.uuid)}
    response = client.get(path, query)
    assert response.status_code in (200, 400), response.content[:300]
    if response.status_code == 400:
        problem(response, 400)


@pytest.mark.django_db
def test_an_unknown_location_or_service_is_an_unknown_reference(frozen, town_hall, counter):
    """A well-formed uuid that names nothing is `does_not_exist`, as elsewhere in the API (and
    as tests/core/test_api_schema_conformance.py accepts for a schema-valid query)."""
    th = town_hall
    unknown = "00000000-0000-0000-0000-000000000000"
    query = {
        "location": unknown,
        "service": str(th.aow.uuid),
        "date_from": TUESDAY.isoformat(),
        "date_to": TUESDAY.isoformat(),
    }
    body = problem(counter.get(SLOTS, query), 400)
    assert [(p["name"], p["code"]) for p in body["invalid_params"]] == [
        ("location", "does_not_exist")
    ]
    body = problem(counter.get(LIST, {"date": TUESDAY.isoformat(), "location": unknown}), 400)
    assert [(p["name"], p["code"]) for p in body["invalid_params"]] == [
        ("location", "does_not_exist")
    ]


@pytest.mark.django_db
def test_slots_need_a_login_and_a_contact_role(frozen, town_hall, api_client, api_as):
    query = {
        "location": str(town_hall.location.uuid),
        "service": str(town_hall.aow.uuid),
        "date_from": TUESDAY.isoformat(),
        "date_to": TUESDAY.isoformat(),
    }
    problem(api_client.get(SLOTS, query), 401)
    problem(api_as(town_hall.svb_admin).get(SLOTS, query), 403)


# ---- booking ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_book_until_the_slot_is_full_then_409_slot_taken(frozen, town_hall, counter):
    th = town_hall
    response = book(counter, th, at(TUESDAY, 10))
    assert response.status_code == 201, response.content
    body = response.json()
    assert REFERENCE.match(body["reference"]), body["reference"]
    assert body["state"] == "gepland" and body["state_label"] == "Gepland"
    assert body["kind"] == "bezoek" and body["title"] == "AOW-pensioen"
    assert body["location"] == str(th.location.uuid)
    assert body["name"] == "Joost Hermans" and body["phone"] == "+31612345678"
    assert when(body["starts_at"]) == at(TUESDAY, 10)
    assert when(body["ends_at"]) == at(TUESDAY, 10, 30)
    (part,) = body["parts"]
    assert part["organisation"] == "svb" and part["service"]["uuid"] == str(th.aow.uuid)
    assert part["employee"]["uuid"] == str(th.svb_bram.uuid)  # untrained first
    assert part["desk"]["uuid"] == str(th.plain_desk.uuid)  # the plainest desk first
    # The counter of the location (host) may check in, move and cancel; not finish.
    assert body["available_actions"] == ["check-in", "reschedule", "cancel"]
    assert "token" not in body
    message = Message.objects.get(cause_id=body["uuid"])
    assert message.to == "joost@example.nl" and body["reference"] in message.body
    appointment = Appointment.objects.get(uuid=body["uuid"])
    assert appointment.booked_via == "api" and appointment.created_by == th.counter

    # Two employees and two desks: once more, then full.
    second = booked(counter, th, at(TUESDAY, 10), email="b@example.nl")
    assert second["parts"][0]["employee"]["uuid"] == str(th.svb_anna.uuid)
    assert second["reference"] != body["reference"]
    before = written()
    third = problem(book(counter, th, at(TUESDAY, 10), email="c@example.nl"), 409)
    assert third["code"] == "slot_taken"
    assert "andere tijd" in third["detail"]
    assert written() == before


BAD_BOOKINGS = [
    ({"starts_at": at(dt.date(2026, 12, 1), 10).isoformat()}, "starts_at"),  # past
    ({"starts_at": at(TUESDAY, 13).isoformat()}, "starts_at"),  # no hours then
    ({"starts_at": at(WEDNESDAY, 10).isoformat()}, "starts_at"),  # no hours that day
    ({"starts_at": at(TUESDAY, 9, 15).isoformat()}, "starts_at"),  # between two slots
    ({"starts_at": at(dt.date(2027, 6, 1), 10).isoformat()}, "starts_at"),  # too far ahead
    ({"starts_at": "morgen om tien"}, "starts_at"),
    ({"starts_at": None}, "starts_at"),
    ({"given_name": "", "surname": ""}, "given_name"),
    ({"phone": "12", "email": "geen-adres"}, "email"),
    ({"needs": ["vliegen"]}, "needs"),
    ({"needs": ["anders"]}, "needs_note"),
    ({"needs": ["eenvoudige-taal"], "starts_at": at(THURSDAY, 13).isoformat()}, "needs"),
    ({"service": "passport"}, "service"),  # not at the town hall
    ({"location": "00000000-0000-0000-0000-000000000000"}, "location"),
    ({"service": "geen-uuid"}, "service"),
    ({"language": "fr"}, "language"),
]


@pytest.mark.django_db
def test_bad_bookings_are_400_and_nothing_is_written(frozen, town_hall, counter):
    th = town_hall
    for changes, field in BAD_BOOKINGS:
        if changes.get("service") == "passport":
            changes = {"service": str(th.passport.uuid)}
        data = {k: v for k, v in {**booking(th, at(TUESDAY, 10)), **changes}.items() if v}
        body = problem(counter.post(LIST, data, format="json"), 400)
        assert field in names(body), (changes, body)
        assert written() == (0, 0, 0), changes


@pytest.mark.django_db
def test_booking_needs_a_contact_role_where_the_organisation_works(
    frozen, town_hall, api_as, api_client, enschede_counter
):
    th = town_hall
    problem(api_client.post(LIST, booking(th, at(TUESDAY, 10)), format="json"), 401)
    problem(api_as(th.svb_admin).post(LIST, booking(th, at(TUESDAY, 10)), format="json"), 403)
    body = problem(
        api_as(enschede_counter).post(LIST, booking(th, at(TUESDAY, 10)), format="json"), 403
    )
    assert "locatie" in body["detail"]
    assert written() == (0, 0, 0)
    # The guest organisation's own staff may book at the town hall.
    assert book(api_as(th.svb_anna), th, at(TUESDAY, 10)).status_code == 201


# ---- the day list and who sees what ---------------------------------------------------------------
@pytest.mark.django_db
def test_the_day_list_is_scoped_to_the_organisations_involved(
    frozen, town_hall, counter, api_as, enschede_counter, uwv_staff
):
    th = town_hall
    first = booked(counter, th, at(TUESDAY, 10))
    second = booked(counter, th, at(TUESDAY, 10), email="b@example.nl")
    other_day = booked(counter, th, at(THURSDAY, 13))
    day = {"date": TUESDAY.isoformat(), "location": str(th.location.uuid)}

    for user in (th.counter, th.svb_anna, th.svb_bram):
        rows = api_as(user).get(LIST, day).json()["results"]
        assert [r["uuid"] for r in rows] == [first["uuid"], second["uuid"]], user
    mine = api_as(th.svb_anna).get(LIST, {**day, "mine": "true"}).json()["results"]
    assert [r["uuid"] for r in mine] == [second["uuid"]]
    thursday = counter.get(LIST, {"date": THURSDAY.isoformat()}).json()["results"]
    assert [r["uuid"] for r in thursday] == [other_day["uuid"]]
    elsewhere = {"date": TUESDAY.isoformat(), "location": str(th.office.uuid)}
    assert counter.get(LIST, elsewhere).json()["results"] == []
    # SVB staff see their own part: only "complete" is theirs alone, so booked is the same.
    detail = api_as(th.svb_anna).get(f"{LIST}{first['uuid']}/").json()
    assert detail["available_actions"] == ["check-in", "reschedule", "cancel"]

    for user in (enschede_counter, uwv_staff):
        client = api_as(user)
        assert client.get(LIST, day).json()["results"] == []
        assert client.get(LIST, {"date": TUESDAY.isoformat()}).json()["results"] == []
        problem(client.get(f"{LIST}{first['uuid']}/"), 404)
        problem(client.post(f"{LIST}{first['uuid']}/check-in/"), 404)
        problem(client.post(f"{LIST}{first['uuid']}/cancel/", {}, format="json"), 404)
    assert Appointment.objects.get(uuid=first["uuid"]).state == "gepland"

    problem(counter.get(LIST, {"date": "dinsdag"}), 400)
    problem(counter.get(f"{LIST}00000000-0000-0000-0000-000000000000/"), 404)
    problem(api_as(th.svb_admin).get(LIST, day), 403)


# ---- the steps ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_check_in_no_show_and_complete_follow_the_state(frozen, town_hall, counter, api_as):
    th = town_hall
    bram = api_as(th.svb_bram)
    visit = booked(counter, th, at(TUESDAY, 10))
    url = f"{LIST}{visit['uuid']}"

    # Not begun: no "niet gekomen" yet, and the step itself is refused.
    body = problem(counter.post(f"{url}/no-show/"), 409)
    assert body["code"] == "invalid_transition"
    assert Appointment.objects.get(uuid=visit["uuid"]).state == "gepland"

    frozen.move_to(at(TUESDAY, 9, 55))
    response = counter.post(f"{url}/check-in/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "aangemeld" and when(body["checked_in_at"]) == at(TUESDAY, 9, 55)
    assert body["available_actions"] == []  # the host does not finish SVB's appointment
    assert bram.get(f"{url}/").json()["available_actions"] == ["complete"]
    assert problem(counter.post(f"{url}/check-in/"), 409)["code"] == "invalid_transition"
    problem(counter.post(f"{url}/complete/", {"outcome": "beantwoord"}, format="json"), 403)
    assert problem(bram.post(f"{url}/complete/", {}, format="json"), 400)["invalid_params"]

    frozen.move_to(at(TUESDAY, 10, 25))
    response = bram.post(
        f"{url}/complete/",
        {"outcome": "beantwoord", "answer": "AOW-aanvraag doorgenomen"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "afgerond" and body["available_actions"] == []
    contact = ContactMoment.objects.get(answer="AOW-aanvraag doorgenomen")
    assert contact.organisation == th.svb and contact.channel == "balie"
    for step in ("check-in", "no-show", "cancel"):
        assert problem(bram.post(f"{url}/{step}/"), 409)["code"] == "invalid_transition"
    body = problem(bram.post(f"{url}/reschedule/", {"starts_at": at(TUESDAY, 11).isoformat()}), 409)
    assert body["code"] == "invalid_transition"


@pytest.mark.django_db
def test_no_show_from_the_start_time(frozen, town_hall, counter):
    th = town_hall
    visit = booked(counter, th, at(TUESDAY, 10))
    url = f"{LIST}{visit['uuid']}"
    frozen.move_to(at(TUESDAY, 10, 5))
    listed = counter.get(f"{url}/").json()
    assert listed["available_actions"] == ["check-in", "no-show", "reschedule", "cancel"]
    response = counter.post(f"{url}/no-show/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "niet-gekomen" and body["available_actions"] == []
    assert problem(counter.post(f"{url}/check-in/"), 409)["code"] == "invalid_transition"


@pytest.mark.django_db
def test_reschedule_and_cancel(frozen, town_hall, counter):
    th = town_hall
    visit = booked(counter, th, at(TUESDAY, 11))
    url = f"{LIST}{visit['uuid']}"
    messages = Message.objects.filter(cause_id=visit["uuid"]).count()

    response = counter.post(
        f"{url}/reschedule/", {"starts_at": at(THURSDAY, 14).isoformat()}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert when(body["starts_at"]) == at(THURSDAY, 14) and body["state"] == "gepland"
    assert body["parts"][0]["employee"]["uuid"] == str(th.svb_bram.uuid)
    assert body["available_actions"] == ["check-in", "reschedule", "cancel"]
    assert Message.objects.filter(cause_id=visit["uuid"]).count() == messages + 1
    assert (
        Occupancy.objects.filter(
            appointment__uuid=visit["uuid"], unit_start__lt=at(THURSDAY, 0)
        ).exists()
        is False
    )

    # Bad times: 400 with the field; a full one: 409 slot_taken. Nothing changes.
    other = booked(counter, th, at(THURSDAY, 15), email="b@example.nl")
    for starts_at, status in [
        (at(dt.date(2026, 12, 4), 10), 400),
        (at(WEDNESDAY, 10), 400),
        ("gisteren", 400),
        (at(THURSDAY, 15), 409),
    ]:
        value = starts_at if isinstance(starts_at, str) else starts_at.isoformat()
        body = problem(
            counter.post(f"{url}/reschedule/", {"starts_at": value}, format="json"), status
        )
        if status == 400:
            assert names(body) == {"starts_at"}
        else:
            assert body["code"] == "slot_taken"
    problem(counter.post(f"{url}/reschedule/", {}, format="json"), 400)
    assert Appointment.objects.get(uuid=visit["uuid"]).starts_at == at(THURSDAY, 14)
    assert Appointment.objects.get(uuid=other["uuid"]).starts_at == at(THURSDAY, 15)

    body = problem(counter.post(f"{url}/cancel/", {"reason": "x" * 301}, format="json"), 400)
    assert names(body) == {"reason"}
    response = counter.post(f"{url}/cancel/", {"reason": "Inwoner belde af"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "geannuleerd" and body["available_actions"] == []
    assert not Occupancy.objects.filter(appointment__uuid=visit["uuid"]).exists()
    assert problem(counter.post(f"{url}/cancel/", {}, format="json"), 409)["code"] == (
        "invalid_transition"
    )
    body = problem(
        counter.post(f"{url}/reschedule/", {"starts_at": at(THURSDAY, 13).isoformat()}), 409
    )
    assert body["code"] == "invalid_transition"


# ---- internal meetings ----------------------------------------------------------------------------
def meeting(th, starts_at, ends_at, *participants, **extra):
    return {
        "organisation": "svb",
        "location": str(th.location.uuid),
        "title": "Casusoverleg",
        "starts_at": starts_at.isoformat(),
        "ends_at": ends_at.isoformat(),
        "participants": [str(p.uuid) for p in participants],
        **extra,
    }


@pytest.mark.django_db
def test_an_internal_meeting_and_its_conflict(frozen, town_hall, api_as, counter):
    th = town_hall
    anna = api_as(th.svb_anna)
    data = meeting(th, at(TUESDAY, 14), at(TUESDAY, 15), th.svb_bram, desk=str(th.loop_desk.uuid))
    response = anna.post(MEETINGS, data, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "intern" and body["title"] == "Casusoverleg"
    assert body["state"] == "gepland" and REFERENCE.match(body["reference"])
    assert {p["employee"]["uuid"] for p in body["parts"]} == {
        str(th.svb_anna.uuid),
        str(th.svb_bram.uuid),
    }
    assert body["available_actions"] == ["cancel"]  # no check-in, no-show or moving
    assert not Message.objects.filter(cause_id=body["uuid"]).exists()  # no resident

    # Bram is busy then; the room too. Nothing is written.
    before = written()
    clash = meeting(th, at(TUESDAY, 14, 30), at(TUESDAY, 15, 30), th.svb_bram)
    body = problem(anna.post(MEETINGS, clash, format="json"), 400)
    assert names(body) == {"participants"} and "Bram Bosch" in body["invalid_params"][0]["reason"]
    assert written() == before
    # A resident's appointment takes the time too.
    booked(counter, th, at(TUESDAY, 10))  # Bram, the plain desk
    body = problem(
        anna.post(
            MEETINGS, meeting(th, at(TUESDAY, 10), at(TUESDAY, 11), th.svb_bram), format="json"
        ),
        400,
    )
    assert "Bram Bosch" in body["invalid_params"][0]["reason"]
    # Later that day it fits.
    later = meeting(th, at(TUESDAY, 15), at(TUESDAY, 16), th.svb_bram)
    assert anna.post(MEETINGS, later, format="json").status_code == 201


BAD_MEETINGS = [
    ({"ends_at": at(TUESDAY, 13).isoformat()}, 400, "ends_at"),
    ({"starts_at": at(TUESDAY, 14, 10).isoformat()}, 400, "starts_at"),
    ({"starts_at": at(dt.date(2026, 12, 1), 14).isoformat()}, 400, "starts_at"),
    ({"title": ""}, 400, "title"),
    ({"participants": []}, 400, "participants"),
    ({"participants": ["00000000-0000-0000-0000-000000000000"]}, 400, "participants"),
    ({"desk": "counter_desk"}, 400, "desk"),  # a room of another location
    ({"organisation": "gemeente-maastricht"}, 403, None),  # not Anna's organisation
]


@pytest.mark.django_db
def test_bad_meetings_are_refused(frozen, town_hall, api_as):
    th = town_hall
    anna = api_as(th.svb_anna)
    for changes, status, field in BAD_MEETINGS:
        if changes.get("desk") == "counter_desk":
            changes = {"desk": str(th.counter_desk.uuid)}
        data = {**meeting(th, at(TUESDAY, 14), at(TUESDAY, 15), th.svb_bram), **changes}
        body = problem(anna.post(MEETINGS, data, format="json"), status)
        if field:
            assert field in names(body), (changes, body)
        assert written() == (0, 0, 0), changes


# ---- schedules ------------------------------------------------------------------------------------
def hours(th, organisation="svb", location=None, **extra):
    return {
        "location": str((location or th.location).uuid),
        "organisation": organisation,
        "team": str(th.svb_team.uuid),
        "weekday": 4,  # Friday
        "starts": "09:00",
        "ends": "12:00",
        "valid_from": "2026-12-01",
        "services": [str(th.aow.uuid)],
        "desks": [str(th.plain_desk.uuid)],
        "staff": [str(th.svb_bram.uuid)],
        **extra,
    }


@pytest.mark.django_db
def test_the_guests_functional_admin_adds_hours_at_the_town_hall(frozen, town_hall, api_as):
    th = town_hall
    admin = api_as(th.svb_admin)
    response = admin.post(SCHEDULES, hours(th), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation"] == "svb" and body["location"] == str(th.location.uuid)
    assert body["weekday"] == 4 and body["starts"] == "09:00:00"
    assert body["staff"] == [str(th.svb_bram.uuid)]
    schedule = Schedule.objects.get(uuid=body["uuid"])
    assert schedule.organisation == th.svb and list(schedule.services.all()) == [th.aow]

    # The new Friday hours are offered at once.
    friday = dt.date(2026, 12, 11)
    query = {
        "location": str(th.location.uuid),
        "service": str(th.aow.uuid),
        "date_from": friday.isoformat(),
        "date_to": friday.isoformat(),
    }
    slots = api_as(th.svb_anna).get(SLOTS, query).json()["slots"]
    assert when(slots[0]["starts_at"]) == at(friday, 9) and len(slots) == 6

    listed = admin.get(SCHEDULES).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {r["uuid"] for r in rows} == {
        str(th.tuesday.uuid),
        str(th.thursday.uuid),
        body["uuid"],
    }
    assert admin.get(f"{SCHEDULES}{body['uuid']}/").json()["weekday"] == 4
    # The municipality's admin sees its own hours, not the guest's.
    municipal = api_as(th.admin).get(SCHEDULES).json()
    municipal = municipal["results"] if isinstance(municipal, dict) else municipal
    assert body["uuid"] not in {r["uuid"] for r in municipal} and len(municipal) == 5
    problem(api_as(th.admin).get(f"{SCHEDULES}{body['uuid']}/"), 404)

    assert admin.delete(f"{SCHEDULES}{body['uuid']}/").status_code == 204
    assert not Schedule.objects.filter(uuid=body["uuid"]).exists()


@pytest.mark.django_db
def test_hours_for_another_organisation_or_where_it_is_no_guest_are_refused(
    frozen, town_hall, api_as
):
    th = town_hall
    admin = api_as(th.svb_admin)
    count = Schedule.objects.count()
    # Not its organisation: the municipality's hours are the municipality's admin's.
    body = problem(
        admin.post(
            SCHEDULES, hours(th, organisation="gemeente-maastricht", team=None), format="json"
        ),
        403,
    )
    assert "beheerder" in body["detail"]
    # Not a location where SVB works.
    body = problem(
        admin.post(
            SCHEDULES,
            hours(th, location=th.office, desks=[str(th.counter_desk.uuid)]),
            format="json",
        ),
        400,
    )
    assert "organisation" in names(body)
    # Staff, services and desks must fit.
    for changes, field in [
        ({"staff": [str(th.counter.uuid)]}, "staff"),
        ({"services": [str(th.passport.uuid)]}, "services"),
        ({"desks": [str(th.counter_desk.uuid)]}, "desks"),
        ({"ends": "08:00"}, "ends"),
        ({"starts": "09:10"}, "starts"),
        ({"weekday": 9}, "weekday"),
        ({"valid_until": "2026-11-01"}, "valid_until"),
        ({"services": []}, "services"),
    ]:
        body = problem(admin.post(SCHEDULES, hours(th, **changes), format="json"), 400)
        assert field in names(body), (changes, body)
    # The municipality's admin may not make SVB's hours either.
    problem(api_as(th.admin).post(SCHEDULES, hours(th), format="json"), 403)
    assert Schedule.objects.count() == count


@pytest.mark.django_db
def test_schedules_are_for_functional_admins_only(frozen, town_hall, api_as, api_client):
    th = town_hall
    for user in (th.counter, th.svb_anna):
        client = api_as(user)
        problem(client.get(SCHEDULES), 403)
        problem(client.post(SCHEDULES, hours(th), format="json"), 403)
        problem(client.delete(f"{SCHEDULES}{th.tuesday.uuid}/"), 403)
    problem(api_client.get(SCHEDULES), 401)
    assert Schedule.objects.filter(pk=th.tuesday.pk).exists()


# ---- pilot figures --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_figures_for_report_roles(frozen, town_hall, api_as, counter, enschede):
    th = town_hall
    booked(counter, th, at(TUESDAY, 9), needs=["eenvoudige-taal"])
    late = booked(counter, th, at(TUESDAY, 9, 30), email="b@example.nl")
    gone = booked(counter, th, at(TUESDAY, 10), email="c@example.nl")
    counter.post(f"{LIST}{gone['uuid']}/cancel/", {}, format="json")
    frozen.move_to(at(TUESDAY, 9, 45))
    assert counter.post(f"{LIST}{late['uuid']}/no-show/").status_code == 200

    period = {"date_from": "2026-12-01", "date_to": "2026-12-31"}
    lead = staff(th.svb, Role.TEAMLEIDER, team=th.svb_team, username="lead.svb")
    board = staff(th.svb, Role.MANAGEMENT, username="management.svb")
    for user in (lead, board, th.svb_admin, th.admin):
        response = api_as(user).get(FIGURES, period)
        assert response.status_code == 200, (user, response.content)
        (row,) = response.json()
        assert row["organisation"] == "SVB" and row["location"] == "Stadhuis Maastricht"
        assert row["week"] == "2026-W50"
        assert (row["appointments"], row["no_shows"], row["no_show_rate"]) == (2, 1, 50.0)
        assert (row["with_needs"], row["needs_met"], row["needs_met_share"]) == (1, 1, 100.0)
    outsider = staff(enschede, Role.MANAGEMENT, username="management.enschede.ander")
    assert api_as(outsider).get(FIGURES, period).json() == []

    for user in (th.counter, th.svb_anna):
        problem(api_as(user).get(FIGURES, period), 403)
    admin = api_as(th.svb_admin)
    assert names(problem(admin.get(FIGURES, {"date_from": "2026-12-01"}), 400)) == {"date_to"}
    bad = {"date_from": "2026-12-31", "date_to": "2026-12-01"}
    assert names(problem(admin.get(FIGURES, bad), 400)) == {"date_to"}
    long = {"date_from": "2025-01-01", "date_to": "2026-12-31"}
    assert names(problem(admin.get(FIGURES, long), 400)) == {"date_to"}


# ---- the last free slot, taken by several clients at the same moment ---------------------------------
def client_of(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.mark.xdist_group("transactional")
@pytest.mark.django_db(transaction=True)
def test_the_last_free_slot_goes_to_exactly_one_client(town_hall):
    th = town_hall
    people = [th.counter, th.svb_anna, th.svb_bram, th.counter]
    clients = [client_of(user) for user in people]
    # Thursday: one employee and one desk, so each time is the last free one.
    with time_machine.travel(NOW, tick=False):
        for round_, starts_at in enumerate([at(THURSDAY, 13), at(THURSDAY, 14, 30)]):
            before = written()
            results = race(
                [
                    lambda c=c, e=f"r{round_}-{i}@example.nl", s=starts_at: book(c, th, s, email=e)
                    for i, c in enumerate(clients)
                ]
            )
            assert all(kind == "ok" for kind, _value in results), results
            statuses = sorted(response.status_code for _kind, response in results)
            assert statuses == [201, 409, 409, 409], [r.content for _k, r in results]
            for _kind, response in results:
                if response.status_code == 409:
                    assert problem(response, 409)["code"] == "slot_taken"
            count, occupancy, messages = written()
            assert (count, messages) == (before[0] + 1, before[2] + 1)
            assert occupancy == before[1] + 4  # a desk and an employee, two quarters
            assert Appointment.objects.filter(starts_at=starts_at, state="gepland").count() == 1
